package bot

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

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

	mu    sync.Mutex
	stats limitStats
	last  time.Time // when the latest limited request was allowed to leave
}

// limitStats is the limiter's own account of what it let through: how many
// requests took a turn, how many were exempt, and the shortest gap between
// the times two turns in a row were given.
type limitStats struct {
	Limited, Exempt int
	MinGap          time.Duration
}

func newLimitedTransport(perSecond float64, next http.RoundTripper) http.RoundTripper {
	if perSecond <= 0 {
		return next
	}
	return &limitedTransport{limiter: rate.NewLimiter(rate.Limit(perSecond), limitBurst), next: next}
}

func (t *limitedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if exemptFromGlobalLimit(req.URL.Path) {
		t.mu.Lock()
		t.stats.Exempt++
		t.mu.Unlock()
		return t.next.RoundTrip(req)
	}
	if err := t.wait(req); err != nil {
		return nil, fmt.Errorf("wait for the discord rate limit: %w", err)
	}
	return t.next.RoundTrip(req)
}

// wait takes a turn on the limiter and sleeps until it comes, as
// rate.Limiter.Wait does, noting the time the turn was given.
func (t *limitedTransport) wait(req *http.Request) error {
	ctx := req.Context()
	now := time.Now()
	t.mu.Lock()
	r := t.limiter.ReserveN(now, 1)
	at := now.Add(r.DelayFrom(now))
	if deadline, ok := ctx.Deadline(); ok && at.After(deadline) {
		r.CancelAt(now)
		t.mu.Unlock()
		return fmt.Errorf("the turn at %s comes after the request's deadline", at.Format(time.RFC3339Nano))
	}
	t.count(at)
	t.mu.Unlock()
	timer := time.NewTimer(at.Sub(now))
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		r.Cancel()
		return ctx.Err()
	}
}

// count records a turn given for at; t.mu is held.
func (t *limitedTransport) count(at time.Time) {
	if t.stats.Limited > 0 {
		gap := at.Sub(t.last)
		if t.stats.Limited == 1 || gap < t.stats.MinGap {
			t.stats.MinGap = gap
		}
	}
	t.stats.Limited++
	t.last = at
}

// accounting returns what the limiter has let through so far.
func (t *limitedTransport) accounting() limitStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stats
}

// exemptFromGlobalLimit tells interaction callbacks and the webhook calls
// that edit or follow up an interaction's response (both carry the
// interaction's token) from every other request.
func exemptFromGlobalLimit(path string) bool {
	return strings.Contains(path, "/interactions/") || strings.Contains(path, "/webhooks/")
}
