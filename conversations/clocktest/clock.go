// Package clocktest is the one fake clock of Mend's tests: a
// conversations.Clock that moves only when a test moves it, so that rules
// about days and weeks are tested without waiting for them. It imports
// nothing of Mend, so every package's tests may use it, the domain's too.
package clocktest

import (
	"sync"
	"time"
)

// Clock stands still at the time it was given until Set or Advance moves it.
// It is safe for concurrent use: the bot's loops read it while a test moves
// it.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// New returns a clock standing at now.
func New(now time.Time) *Clock {
	return &Clock{now: now}
}

// Now returns the time the clock stands at.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t, back in time too.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock d later.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
