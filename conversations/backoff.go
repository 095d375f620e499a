package conversations

import (
	"math/rand/v2"
	"time"
)

// Retry windows: how long after a post was queued Mend keeps trying to send
// it through failures that may pass (Discord down, a permission removed for a
// while). A reminder is worth little a day late; a reveal is worth a lot.
const (
	OwedRetryWindow  = 72 * time.Hour
	OtherRetryWindow = 6 * time.Hour
)

// Backoff is how long to wait before attempt n+1 of a failed post: doubling
// from 2 seconds up to 15 minutes (before jitter).
func Backoff(attempts int) time.Duration {
	d := 2 * time.Second
	for i := 1; i < attempts && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

const maxBackoff = 15 * time.Minute

// Jitter spreads d over [d/2, d), so that retries of posts that failed
// together do not arrive together.
func Jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2)
}
