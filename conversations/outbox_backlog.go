package conversations

import "time"

// OutboxBacklog is how far behind the outbox is: what an operator watches to
// know that couples get their posts.
type OutboxBacklog struct {
	// Due counts pending posts whose time to be sent has come.
	Due int
	// Waiting counts pending posts whose next attempt is later: a retry
	// after a failure, or a post held until a lost channel is made again.
	Waiting int
	// OldestDue is when the post that has waited longest for its turn became
	// due; zero when none is due.
	OldestDue time.Time
}

// Delay is how long the longest-waiting due post has waited at now. A post
// waiting for a retry does not count: its wait is the backoff doing its job,
// not the outbox falling behind.
func (b OutboxBacklog) Delay(now time.Time) time.Duration {
	if b.OldestDue.IsZero() || b.OldestDue.After(now) {
		return 0
	}
	return now.Sub(b.OldestDue)
}
