package conversations

import (
	"time"
)

// Paused reports whether the schedule is paused at now.
func (s Schedule) Paused(now time.Time) bool {
	return s.PausedUntil != "" && s.PausedUntil > now.In(s.Location()).Format(DateLayout)
}
