package conversations

import "time"

// An agreement binds both partners, so one partner alone cannot make one:
// the other answers every proposal, and may say it is not for them. Either
// partner can end one alone, since nobody should be held to a rule they no
// longer want; the other is told. Commitments and boundaries, which are
// one's own, need no such answer.

// InForce says whether the agreement is reviewed at check-ins: once agreed,
// and until its retirement is agreed too.
func (a Agreement) InForce() bool {
	return a.Status == AgreementActive || a.Status == AgreementRetiring
}

// Proposer is the partner whose proposal the agreement waits on: who
// proposed it, or who proposed retiring it. Empty when nothing is pending.
func (a Agreement) Proposer() string {
	switch a.Status {
	case AgreementProposed:
		return a.CreatedBy
	case AgreementRetiring:
		return a.RetireBy
	}
	return ""
}

// CleanAgreementText returns the text as an agreement stores it, or why it
// cannot be one; the console asks for consent only about text it can keep.
func CleanAgreementText(text string) (string, error) {
	return cleanText(text, MaxAgreementLength, "agreement")
}

func pending(status AgreementStatus) bool {
	return status == AgreementProposed || status == AgreementRetiring
}

// answerable checks that userID may answer the question asked about a: it
// is still the question, and they are the partner it waits on.
func answerable(a Agreement, couple Couple, userID string, asked AgreementStatus) error {
	if a.Status != asked || !pending(asked) {
		return agreementMoved(a, couple, asked)
	}
	if a.Proposer() == userID {
		return Errorf(EUNAUTHORIZED, "You proposed this, so it waits for %s to answer. You can withdraw it if you have changed your mind.", couple.Other(userID).Name)
	}
	return nil
}

// agreementMoved explains why a question about an agreement has no answer
// any more: it was answered or withdrawn, or never asked.
func agreementMoved(a Agreement, couple Couple, asked AgreementStatus) error {
	switch {
	case a.Status == AgreementWithdrawn:
		return Errorf(ECONFLICT, "%s withdrew this proposal, so there is nothing to answer.", couple.NameOf(a.CreatedBy))
	case a.Status == AgreementDeclined:
		return Errorf(ECONFLICT, "%s would rather not make this agreement, so nothing was added and there is nothing to answer.", couple.Other(a.CreatedBy).Name)
	case a.Status == AgreementRetired:
		return Errorf(ECONFLICT, "This agreement has ended already.")
	case asked == AgreementProposed && a.InForce():
		return Errorf(ECONFLICT, "This was agreed already; it is one of your agreements now.")
	case asked == AgreementRetiring && a.Status == AgreementActive:
		return Errorf(ECONFLICT, "Nobody is proposing to retire this agreement now; it is still one of your agreements.")
	case a.Status == AgreementProposed:
		return Errorf(ECONFLICT, "This is still a proposal, waiting for %s's answer.", couple.Other(a.CreatedBy).Name)
	}
	return Errorf(ECONFLICT, "That agreement is %s, so that cannot be done now.", a.Status)
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
	// AgreementDeclined is a proposal the other partner said was not for
	// them: nothing was agreed, and it is never reviewed.
	AgreementDeclined AgreementStatus = "declined"
)

// Agreement is a rule the couple set together ("Sunday evenings are for us").
// One partner proposes it and the other agrees; either can end it.
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
	// RetireBy ended it (or, before either partner could end one alone,
	// proposed retiring it, at RetireProposedAt); empty when nobody has.
	RetireBy         string
	RetireProposedAt time.Time
	WithdrawnAt      time.Time
}

// MaxAgreementLength keeps an agreement short enough to review at a glance.
const MaxAgreementLength = 300
