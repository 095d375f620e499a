package bot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// DefaultAPIURL is Discord's own REST base, the one discordgo builds every URL
// on (API version 9 in discordgo v0.29).
var DefaultAPIURL = discordgo.EndpointAPI

// restTransport sends discordgo's REST calls to another base URL: a Discord
// REST proxy such as nirn-proxy in production, a fake Discord in tests.
// discordgo builds every URL from package-level endpoints, so rewriting at
// the transport is the one per-session way to redirect it.
type restTransport struct {
	base *url.URL
	// gateway, when set, answers discordgo's "which gateway?" request, so the
	// websocket can be pointed at a gateway proxy too.
	gateway string
	next    http.RoundTripper
}

// NewTransport returns a RoundTripper that rewrites Discord API URLs onto
// apiURL and, when gatewayURL is not empty, reports it as the gateway.
func NewTransport(apiURL, gatewayURL string, next http.RoundTripper) (http.RoundTripper, error) {
	base, err := url.Parse(apiURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("discord api_url %q is not an http(s) URL", apiURL)
	}
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
	}
	if gatewayURL != "" {
		g, err := url.Parse(gatewayURL)
		if err != nil || (g.Scheme != "ws" && g.Scheme != "wss") || g.Host == "" {
			return nil, fmt.Errorf("discord gateway_url %q is not a ws(s) URL", gatewayURL)
		}
	}
	if next == nil {
		next = http.DefaultTransport
	}
	return &restTransport{base: base, gateway: gatewayURL, next: next}, nil
}

func (t *restTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	full := req.URL.String()
	if !strings.HasPrefix(full, discordgo.EndpointAPI) {
		return t.next.RoundTrip(req)
	}
	rel := strings.TrimPrefix(full, discordgo.EndpointAPI)
	if t.gateway != "" && req.Method == http.MethodGet && (rel == "gateway" || rel == "gateway/bot") {
		body, _ := json.Marshal(map[string]any{"url": t.gateway, "shards": 1})
		return &http.Response{
			StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Content-Type": {"application/json"}},
			Body:   io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: req,
		}, nil
	}
	// Both the URL (an interaction token) and the request (the bot token)
	// may find their way into an error; neither may leave with it.
	auth := req.Header.Get("Authorization")
	target, err := t.base.Parse(rel)
	if err != nil {
		return nil, redactError(fmt.Errorf("rewrite discord url %s: %w", req.URL.Path, err), auth, strings.TrimPrefix(auth, "Bot "))
	}
	out := req.Clone(req.Context())
	out.URL = target
	out.Host = target.Host
	resp, err := t.next.RoundTrip(out)
	if err != nil {
		return nil, redactError(err, auth, strings.TrimPrefix(auth, "Bot "))
	}
	return resp, nil
}
