package ops

import (
	"context"
	"fmt"
	"time"

	"mend/conversations"
)

// Database is the database as /healthz checks it.
type Database interface {
	// CheckWritable fails when the database cannot take a write now.
	CheckWritable(ctx context.Context) error
}

// Outbox is the queue of posts as /healthz and /metrics measure it.
type Outbox interface {
	OutboxBacklog(ctx context.Context, now time.Time) (conversations.OutboxBacklog, error)
}

// Scheduler is the check-in scheduler as /metrics measures it.
type Scheduler interface {
	SchedulerLag(ctx context.Context) (time.Duration, error)
}

// DefaultMaxPostDelay is how long a post may wait for its turn before
// /healthz fails. Sending 10,000 check-ins due at once takes about four
// minutes at the default pace, so this leaves room for that and fails when
// the outbox has stopped.
const DefaultMaxPostDelay = 15 * time.Minute

// checkTimeout bounds each check, so /healthz answers while Docker still
// waits for it even when the database is stuck behind a long write.
const checkTimeout = 3 * time.Second

// Checks are what /healthz looks at and /metrics reads at every scrape.
type Checks struct {
	// Gateway reports whether the Discord gateway is connected and ready.
	Gateway   func() bool
	Database  Database
	Outbox    Outbox
	Scheduler Scheduler
	// Now is the clock Mend's rules run on: posts are due by it.
	Now func() time.Time
	// MaxPostDelay is how long a due post may wait unsent before /healthz
	// fails; 0 means DefaultMaxPostDelay.
	MaxPostDelay time.Duration
}

// Report is the body of /healthz.
type Report struct {
	// Status is "ok" when every check passed, else "unhealthy".
	Status string  `json:"status"`
	Checks []Check `json:"checks"`
}

// Check is the result of one check, with a detail for whoever reads it.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// Healthy reports whether every check passed.
func (r Report) Healthy() bool { return r.Status == "ok" }

// Health runs the checks: the gateway is connected and ready, the database
// takes a write, and no post has waited longer than MaxPostDelay.
func (c Checks) Health(ctx context.Context) Report {
	r := Report{Status: "ok", Checks: []Check{c.gateway(), c.database(ctx), c.outbox(ctx)}}
	for _, check := range r.Checks {
		if !check.OK {
			r.Status = "unhealthy"
		}
	}
	return r
}

func (c Checks) gateway() Check {
	if c.Gateway() {
		return Check{Name: "gateway", OK: true, Detail: "connected and ready"}
	}
	return Check{Name: "gateway", Detail: "not connected to the Discord gateway"}
}

func (c Checks) database(ctx context.Context) Check {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	if err := c.Database.CheckWritable(ctx); err != nil {
		return Check{Name: "database", Detail: err.Error()}
	}
	return Check{Name: "database", OK: true, Detail: "writable"}
}

func (c Checks) outbox(ctx context.Context) Check {
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	now := c.Now()
	b, err := c.Outbox.OutboxBacklog(ctx, now)
	if err != nil {
		return Check{Name: "outbox", Detail: err.Error()}
	}
	limit := c.maxPostDelay()
	delay := b.Delay(now)
	detail := fmt.Sprintf("%d posts due, %d waiting for a retry; the longest a due post has waited is %s (limit %s)",
		b.Due, b.Waiting, delay.Truncate(time.Second), limit)
	return Check{Name: "outbox", OK: delay <= limit, Detail: detail}
}

func (c Checks) maxPostDelay() time.Duration {
	if c.MaxPostDelay > 0 {
		return c.MaxPostDelay
	}
	return DefaultMaxPostDelay
}
