package conversations

import "time"

// RunStatus is what became of one scheduled time.
type RunStatus string

// ScheduledRun is one scheduled time of a couple and its outcome.
type ScheduledRun struct {
	CoupleID     int64
	ScheduledFor time.Time
	Status       RunStatus
	CheckInID    int64
}

const (
	RunOpened RunStatus = "opened"
	// RunMissed: Mend was not running at the time, and it was longer ago than
	// the grace window when Mend came back; nothing is posted late.
	RunMissed RunStatus = "missed"
	// RunSkipped: another check-in was still open at the time.
	RunSkipped RunStatus = "skipped"
)
