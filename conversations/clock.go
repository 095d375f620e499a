package conversations

import "time"

// Clock is where every rule about time gets "now", so that tests can drive
// windows, due dates and schedules without sleeping.
type Clock interface {
	Now() time.Time
}

// SystemClock is the wall clock, in UTC.
type SystemClock struct{}

// Now returns the current time in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }
