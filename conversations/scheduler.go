package conversations

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"time"
)

// RunStatus is what became of one scheduled time.
type RunStatus string

const (
	RunOpened RunStatus = "opened"
	// RunMissed: Mend was not running at the time, and it was longer ago than
	// the grace window when Mend came back; nothing is posted late.
	RunMissed RunStatus = "missed"
	// RunSkipped: another check-in was still open at the time.
	RunSkipped RunStatus = "skipped"
)

// ScheduledRun is one scheduled time of a couple and its outcome.
type ScheduledRun struct {
	CoupleID     int64
	ScheduledFor time.Time
	Status       RunStatus
	CheckInID    int64
}

// SchedulePlan is everything one due schedule changes, applied by the store in
// one transaction: the schedule advances from ExpectedNextRun (and only from
// it, so two processes cannot both apply it) to NextRun, the runs are recorded
// (unique per couple and time), and Open, if set, is opened with its post. If
// another check-in is still open, Open's run is recorded as skipped instead.
type SchedulePlan struct {
	CoupleID        int64
	ExpectedNextRun time.Time
	NextRun         time.Time
	Runs            []ScheduledRun
	Open            *CheckIn
}

// DueSchedule is a schedule that has come due, with what opening its
// check-in needs, read in one go.
type DueSchedule struct {
	Schedule    Schedule
	Couple      Couple
	Commitments []Commitment // open ones
	Agreements  []Agreement  // active ones
	// Path is the couple's place on the guided path.
	Path Path
}

// DefaultGrace is how late a run may still be opened after Mend was down.
const DefaultGrace = 6 * time.Hour

// DueReport counts what one pass of RunDue did.
type DueReport struct {
	Opened, Missed, Skipped, Reminded, Closed, DueReminders int
	// WipePending: words deleted by a forget are still on disk, because
	// another connection was using the database (see Forgotten).
	WipePending bool
}

// WipeRetry is how soon RunDue tries again to wipe from disk what a forget
// deleted, while another connection keeps it there.
const WipeRetry = 30 * time.Second

// dueBatch bounds how many schedules one query returns.
const dueBatch = 1000

// PanicError is a panic recovered in a background loop, with where it
// happened. Its value is kept only for runtime errors: any other value could
// carry what a partner wrote, and the error is logged.
type PanicError struct {
	Value string
	Stack []byte
}

func (e *PanicError) Error() string { return "panic: " + e.Value }

// Recovered turns a recovered panic value into a *PanicError.
func Recovered(p any) *PanicError {
	value := fmt.Sprintf("%T", p)
	if re, ok := p.(runtime.Error); ok {
		value = re.Error()
	}
	return &PanicError{Value: value, Stack: debug.Stack()}
}

// Queued posts, for the adapter that sends them.

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
