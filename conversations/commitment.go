package conversations

import "time"

// CommitmentStatus tracks a promise from made to done or dropped.
type CommitmentStatus string

const (
	CommitmentOpen    CommitmentStatus = "open"
	CommitmentDone    CommitmentStatus = "done"
	CommitmentDropped CommitmentStatus = "dropped"
)

// Commitment is a concrete, checkable promise one partner made to the other.
// While it is open, both partners review it at every check-in.
type Commitment struct {
	ID       int64
	CoupleID int64
	OwnerID  string
	Text     string
	// DueOn is a calendar date (2006-01-02) in the couple's time zone, or empty.
	DueOn     string
	Status    CommitmentStatus
	CreatedAt time.Time
	ClosedAt  time.Time
	// SourceCheckInID is the check-in it was made in, or 0 when it was added directly.
	SourceCheckInID int64
}

// DueAfter says whether the commitment is due later than date (YYYY-MM-DD in
// the couple's zone). Such a commitment is not asked about before its due
// date: it is listed as coming up instead.
func (c Commitment) DueAfter(date string) bool {
	return c.DueOn != "" && c.DueOn > date
}
