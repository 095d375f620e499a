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

// AgreementStatus says where an agreement is between proposed and retired.
type AgreementStatus string

const (
	// AgreementProposed waits for the other partner's yes; it is not reviewed.
	AgreementProposed AgreementStatus = "proposed"
	AgreementActive   AgreementStatus = "active"
	// AgreementRetiring is active, and reviewed, until the partner who did
	// not propose retiring it agrees.
	AgreementRetiring AgreementStatus = "retiring"
	AgreementRetired  AgreementStatus = "retired"
	// AgreementWithdrawn is a proposal its proposer took back.
	AgreementWithdrawn AgreementStatus = "withdrawn"
)

// Agreement is a boundary the couple set together ("we are open about money").
// One partner proposes it and the other agrees; so is its retirement.
type Agreement struct {
	ID        int64
	CoupleID  int64
	Text      string
	CreatedBy string
	Status    AgreementStatus
	CreatedAt time.Time
	RetiredAt time.Time
	// AgreedAt is when the other partner agreed; zero for an agreement from
	// before Mend asked both.
	AgreedAt time.Time
	// RetireBy proposed retiring it, at RetireProposedAt; empty when nobody
	// has (or the proposal was withdrawn).
	RetireBy         string
	RetireProposedAt time.Time
	WithdrawnAt      time.Time
}

// MaxAgreementLength keeps an agreement short enough to review at a glance.
const MaxAgreementLength = 300
