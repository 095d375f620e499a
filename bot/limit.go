package bot

import (
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/time/rate"
)

// DefaultRequestsPerSecond is Mend's share of Discord's global limit of 50
// requests a second: a full outbox uses 90% of it, and what else Mend sends
// (edits, direct messages, a new channel) waits its turn instead of drawing
// a 429, which Discord counts toward a ban.
const DefaultRequestsPerSecond = 45

// limitBurst is 1: requests are spaced evenly, so no second ever holds more
// than the rate plus one, however Discord's one-second windows fall.
const limitBurst = 1

// limitedTransport makes every Discord REST request wait its turn on one
// limiter, except interaction responses, which Discord exempts from the
// global limit and which must go out within three seconds.
type limitedTransport struct {
	limiter *rate.Limiter
	next    http.RoundTripper
}

func newLimitedTransport(perSecond float64, next http.RoundTripper) http.RoundTripper {
	if perSecond <= 0 {
		return next
	}
	return &limitedTransport{limiter: rate.NewLimiter(rate.Limit(perSecond), limitBurst), next: next}
}

func (t *limitedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !exemptFromGlobalLimit(req.URL.Path) {
		if err := t.limiter.Wait(req.Context()); err != nil {
			return nil, fmt.Errorf("wait for the discord rate limit: %w", err)
		}
	}
	return t.next.RoundTrip(req)
}

// exemptFromGlobalLimit tells interaction callbacks and the webhook calls
// that edit or follow up an interaction's response (both carry the
// interaction's token) from every other request.
func exemptFromGlobalLimit(path string) bool {
	return strings.Contains(path, "/interactions/") || strings.Contains(path, "/webhooks/")
}
