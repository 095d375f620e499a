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

// AgreementStatus says whether an agreement is still reviewed.
type AgreementStatus string

const (
	AgreementActive  AgreementStatus = "active"
	AgreementRetired AgreementStatus = "retired"
)

// Agreement is a boundary the couple set together ("we are open about money").
type Agreement struct {
	ID        int64
	CoupleID  int64
	Text      string
	CreatedBy string
	Status    AgreementStatus
	CreatedAt time.Time
	RetiredAt time.Time
}

// MaxAgreementLength keeps an agreement short enough to review at a glance.
const MaxAgreementLength = 300
