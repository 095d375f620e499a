package conversations

import "time"

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
