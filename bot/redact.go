package bot

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// An interaction token lets whoever holds it answer as Mend for 15 minutes,
// the bot token for good. Both travel in REST requests (the first in the
// URL path, the second in the Authorization header), and Go's HTTP client and
// discordgo copy requests and URLs into the errors they return. This file
// takes them out again before an error leaves the bot or a line reaches the
// log.

const redacted = "<redacted>"

// tokenPath matches the token segment of an interaction callback
// (interactions/<id>/<token>/callback) and of an interaction webhook
// (webhooks/<app>/<token>, …/messages/@original). The ID segment is not
// required to be a snowflake: a malformed one must not let the token through.
var tokenPath = regexp.MustCompile(`((?:interactions|webhooks)/[^/\s"'?#]*/)[^/\s"'?#<>]+`)

// botTokenShape matches a Discord bot token (base64 user ID, timestamp,
// HMAC), so that a token Mend was not configured with (one pasted into a
// config value, an old one) is caught by the log handler too.
var botTokenShape = regexp.MustCompile(`[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}`)

// redactString takes token path segments, anything shaped like a bot token,
// and each of secrets out of s.
func redactString(s string, secrets ...string) string {
	for _, secret := range secrets {
		// An empty secret would match between every two characters.
		if secret != "" {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	s = tokenPath.ReplaceAllString(s, "${1}"+redacted)
	return botTokenShape.ReplaceAllString(s, redacted)
}

// redactError returns err with tokens and secrets taken out of its message
// and out of everything it wraps. errors.Is and errors.As still reach what
// err wraps: a *url.Error, *discordgo.RESTError or *discordgo.RateLimitError
// becomes a copy without the token (a RESTError keeps its status code, which
// classify and the channel creation check), and any other error whose
// message changed becomes a redactedError wrapping redacted copies of what
// it wrapped. An error with nothing to redact is returned as it is.
func redactError(err error, secrets ...string) error {
	out, _ := redactChain(err, secrets)
	return out
}

// redactChain reports whether it had to change err, so that callers keep
// err's identity (sentinels, comparable values) when it holds no secret.
func redactChain(err error, secrets []string) (error, bool) {
	switch e := err.(type) {
	case nil:
		return nil, false
	case *url.Error:
		inner, changed := redactChain(e.Err, secrets)
		u := redactString(e.URL, secrets...)
		if !changed && u == e.URL {
			return err, false
		}
		return &url.Error{Op: e.Op, URL: u, Err: inner}, true
	case *discordgo.RESTError:
		// Always copied: its request holds the Authorization header even
		// when its message shows nothing.
		return redactREST(e, secrets), true
	case *discordgo.RateLimitError:
		if e.RateLimit == nil {
			return err, false
		}
		return &discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{
			TooManyRequests: e.TooManyRequests, URL: redactString(e.URL, secrets...),
		}}, true
	}
	msg := err.Error()
	clean := redactString(msg, secrets...)
	var wrapped []error
	switch w := err.(type) {
	case interface{ Unwrap() error }:
		wrapped = []error{w.Unwrap()}
	case interface{ Unwrap() []error }:
		wrapped = w.Unwrap()
	}
	changed := clean != msg
	inner := make([]error, len(wrapped))
	for i, e := range wrapped {
		var c bool
		inner[i], c = redactChain(e, secrets)
		changed = changed || c
	}
	if !changed {
		return err, false
	}
	return &redactedError{msg: clean, wrapped: inner}, true
}

// redactedError stands in for an error whose message held a token; its
// wrapped errors are redacted copies of the original's.
type redactedError struct {
	msg     string
	wrapped []error
}

func (e *redactedError) Error() string   { return e.msg }
func (e *redactedError) Unwrap() []error { return e.wrapped }

func redactREST(e *discordgo.RESTError, secrets []string) *discordgo.RESTError {
	c := *e
	c.Request = redactRequest(e.Request, secrets)
	if e.Response != nil {
		resp := *e.Response
		resp.Request = redactRequest(e.Response.Request, secrets)
		c.Response = &resp
	}
	// A proxy in front of Discord may echo the URL in its error body.
	c.ResponseBody = []byte(redactString(string(e.ResponseBody), secrets...))
	if e.Message != nil {
		m := *e.Message
		m.Message = redactString(m.Message, secrets...)
		c.Message = &m
	}
	return &c
}

// redactRequest copies req without its Authorization header and with the
// token out of its URL.
func redactRequest(req *http.Request, secrets []string) *http.Request {
	if req == nil {
		return nil
	}
	c := req.Clone(req.Context())
	c.Header.Del("Authorization")
	c.URL.Path = redactString(c.URL.Path, secrets...)
	c.URL.RawPath = ""
	c.URL.RawQuery = redactString(c.URL.RawQuery, secrets...)
	return c
}

// RedactingHandler passes records on to another slog.Handler with interaction
// tokens, anything shaped like a bot token and the given secrets taken out of
// the message and of every string, error and other value. It is the second
// line of defence: the bot redacts its own errors before they are logged.
type RedactingHandler struct {
	next    slog.Handler
	secrets []string
}

// NewRedactingHandler wraps next; secrets are typically the bot token.
func NewRedactingHandler(next slog.Handler, secrets ...string) *RedactingHandler {
	return &RedactingHandler{next: next, secrets: secrets}
}

func (h *RedactingHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

func (h *RedactingHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, redactString(r.Message, h.secrets...), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *RedactingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = h.attr(a)
	}
	return &RedactingHandler{next: h.next.WithAttrs(clean), secrets: h.secrets}
}

func (h *RedactingHandler) WithGroup(name string) slog.Handler {
	return &RedactingHandler{next: h.next.WithGroup(name), secrets: h.secrets}
}

func (h *RedactingHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, redactString(v.String(), h.secrets...))
	case slog.KindGroup:
		group := v.Group()
		clean := make([]slog.Attr, len(group))
		for i, g := range group {
			clean[i] = h.attr(g)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(clean...)}
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.Any(a.Key, redactError(err, h.secrets...))
		}
		// Handlers print other values with fmt or encoding/json; when the
		// printed form holds a secret, the redacted text replaces the value.
		s := fmt.Sprintf("%+v", v.Any())
		if clean := redactString(s, h.secrets...); clean != s {
			return slog.String(a.Key, clean)
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
