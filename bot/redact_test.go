package bot

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// Long and distinctive, so that finding one in a text is never a coincidence.
const (
	secretInteractionToken = "aW50ZXJhY3Rpb246OTk5OnNlY3JldA-interaction-token"
	secretBotToken         = "c2VjcmV0LWJvdA-secret-bot-token"
)

// noSecrets fails the test when s holds the interaction or the bot token.
func noSecrets(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range []string{secretInteractionToken, secretBotToken} {
		if strings.Contains(s, secret) {
			t.Errorf("%s holds a token:\n%s", what, s)
		}
	}
}

func TestRedactStringTakesTokensOutOfDiscordPaths(t *testing.T) {
	t.Parallel()
	tok := secretInteractionToken
	for _, c := range []struct{ in, want string }{
		// The URL discordgo builds (nothing is sent: these are strings).
		{`Post "` + discordgo.EndpointAPI + `interactions/123/` + tok + `/callback": EOF`,
			`Post "` + discordgo.EndpointAPI + `interactions/123/<redacted>/callback": EOF`},
		{"PATCH /api/v9/webhooks/456/" + tok + "/messages/@original",
			"PATCH /api/v9/webhooks/456/<redacted>/messages/@original"},
		{"POST /api/v9/webhooks/456/" + tok + "?wait=true",
			"POST /api/v9/webhooks/456/<redacted>?wait=true"},
		{"/interactions//" + tok + "/callback", "/interactions//<redacted>/callback"},
		{"authorization: Bot " + secretBotToken, "authorization: Bot <redacted>"},
		{"token " + secretBotToken + " in a sentence", "token <redacted> in a sentence"},
		{"a pasted token MTA5ODc2NTQzMjEwOTg3NjU0.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789 here", "a pasted token <redacted> here"},
		{"/channels/123/messages and webhooks/456 are not tokens", "/channels/123/messages and webhooks/456 are not tokens"},
	} {
		if got := redactString(c.in, secretBotToken); got != c.want {
			t.Errorf("redactString(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func TestRedactErrorTakesTheTokenOutOfARealURLErrorAndKeepsItsCause(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	_, sendErr := http.Post("http://"+addr+"/api/v9/interactions/123/"+secretInteractionToken+"/callback", "application/json", strings.NewReader("{}"))
	var original *url.Error
	if !errors.As(sendErr, &original) || !strings.Contains(sendErr.Error(), secretInteractionToken) {
		t.Fatalf("want a *url.Error naming the token to start from, got %T %v", sendErr, sendErr)
	}

	got := fmt.Errorf("respond to interaction: %w", redactError(sendErr, secretBotToken))
	noSecrets(t, "the message", got.Error())
	noSecrets(t, "%+v", fmt.Sprintf("%+v", got))
	mustContain(t, "the message", got.Error(), "interactions/123/<redacted>/callback", "connection refused")
	var u *url.Error
	if !errors.As(got, &u) {
		t.Fatalf("the *url.Error is no longer reachable in %v", got)
	}
	noSecrets(t, "the *url.Error's URL", u.URL)
	if !errors.Is(got, syscall.ECONNREFUSED) {
		t.Errorf("the cause (connection refused) is no longer reachable in %v", got)
	}
	if !strings.Contains(original.URL, secretInteractionToken) {
		t.Errorf("redacting changed the original error: %s", original.URL)
	}
}

func TestRedactErrorKeepsTheRESTErrorStatusWithoutTokens(t *testing.T) {
	t.Parallel()
	// A proxy that, unlike Discord, echoes the path in its error.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"code":10062,"message":"Unknown interaction at %s"}`, r.URL.Path)
	}))
	defer srv.Close()
	s, err := discordgo.New("Bot " + secretBotToken)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTransport(srv.URL+"/api/v9/", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Client = &http.Client{Transport: tr}
	sendErr := s.InteractionRespond(&discordgo.Interaction{ID: "123", Token: secretInteractionToken},
		&discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate})
	var original *discordgo.RESTError
	if !errors.As(sendErr, &original) || original.Request.Header.Get("Authorization") == "" {
		t.Fatalf("want a *discordgo.RESTError with its request to start from, got %T %v", sendErr, sendErr)
	}

	got := fmt.Errorf("respond to interaction: %w", redactError(sendErr, secretBotToken))
	noSecrets(t, "the message", got.Error())
	var rest *discordgo.RESTError
	if !errors.As(got, &rest) || rest.Response.StatusCode != http.StatusNotFound || rest.Message.Code != discordgo.ErrCodeUnknownInteraction {
		t.Fatalf("the RESTError and its status are no longer reachable in %v", got)
	}
	if classify(got) != conversations.FailRefused {
		t.Error("the outbox no longer sees a redacted 404 for what it is")
	}
	for _, req := range []*http.Request{rest.Request, rest.Response.Request} {
		noSecrets(t, "the request URL", req.URL.String())
		noSecrets(t, "the request headers", fmt.Sprint(req.Header))
	}
	noSecrets(t, "the response body", string(rest.ResponseBody))
	noSecrets(t, "the decoded message", rest.Message.Message)
	if original.Request.Header.Get("Authorization") == "" || !strings.Contains(original.Request.URL.Path, secretInteractionToken) {
		t.Error("redacting changed the original error's request")
	}
}

func TestRedactErrorLeavesAnErrorWithoutSecretsAsItIs(t *testing.T) {
	t.Parallel()
	err := fmt.Errorf("read post: %w", io.EOF)
	if got := redactError(err, secretBotToken); got != err {
		t.Errorf("got a new error %v for one with nothing to redact", got)
	}
	if redactError(nil, secretBotToken) != nil {
		t.Error("nil became an error")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTransportTakesTokensOutOfItsErrors(t *testing.T) {
	t.Parallel()
	// A chatty next hop, such as a proxy client, naming all it was given.
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return nil, fmt.Errorf("proxy refused %s with %q", r.URL, r.Header.Get("Authorization"))
	})
	tr, err := NewTransport("http://127.0.0.1:1/api/v9/", "", next)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, discordgo.EndpointInteractionResponse("123", secretInteractionToken), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bot "+secretBotToken)
	_, err = tr.RoundTrip(req)
	if err == nil {
		t.Fatal("the failing next hop went unnoticed")
	}
	noSecrets(t, "the transport's error", err.Error())
	mustContain(t, "the transport's error", err.Error(), "interactions/123/<redacted>/callback")
}

func TestRedactingHandlerScrubsEveryPartOfARecord(t *testing.T) {
	t.Parallel()
	path := "/api/v9/webhooks/456/" + secretInteractionToken + "/messages/@original"
	for name, newHandler := range map[string]func(io.Writer) slog.Handler{
		"text": func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) },
		"json": func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) },
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			log := slog.New(NewRedactingHandler(newHandler(&buf), secretBotToken))
			log.With("auth", "Bot "+secretBotToken).WithGroup("request").Info("PATCH "+path,
				"path", path,
				"err", fmt.Errorf("edit: %w", &url.Error{Op: "Patch", URL: strings.TrimSuffix(discordgo.EndpointDiscord, "/") + path, Err: io.EOF}),
				slog.Group("inner", "token", secretBotToken),
				"url", &url.URL{Scheme: "https", Host: "discord.com", Path: path},
				"headers", http.Header{"Authorization": {"Bot " + secretBotToken}},
			)
			noSecrets(t, "the log line", buf.String())
			mustContain(t, "the log line", buf.String(), "webhooks/456/<redacted>/messages/@original", "Bot <redacted>")
		})
	}
}
