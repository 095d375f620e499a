package conversations

import (
	"context"
	"fmt"
	"time"
)

// An agreement binds both partners, so one partner alone can neither make
// one nor end one: the other answers every proposal. Commitments, which are
// one's own promises, need no such answer.

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

// ProposeAgreement records an agreement one partner proposes. It is reviewed
// at check-ins only once the other partner agrees (AgreeTo).
func (s *Service) ProposeAgreement(ctx context.Context, coupleID int64, userID, text string) (Agreement, error) {
	if _, err := s.activeCouple(ctx, coupleID, userID); err != nil {
		return Agreement{}, err
	}
	text, err := CleanAgreementText(text)
	if err != nil {
		return Agreement{}, err
	}
	a := Agreement{CoupleID: coupleID, Text: text, CreatedBy: userID, Status: AgreementProposed, CreatedAt: s.clock.Now()}
	if err := s.store.AddAgreement(ctx, &a); err != nil {
		return Agreement{}, fmt.Errorf("propose agreement to couple %d: %w", coupleID, err)
	}
	return a, nil
}

// AgreeTo records the other partner's yes to what an agreement waits on: a
// proposed one becomes active, a retiring one is retired. asked is the status
// the partner was asked about (proposed or retiring), so that a button on an
// old message cannot answer a later question about the same agreement.
func (s *Service) AgreeTo(ctx context.Context, coupleID int64, userID string, agreementID int64, asked AgreementStatus) (Agreement, error) {
	a, couple, err := s.agreementOf(ctx, coupleID, userID, agreementID)
	if err != nil {
		return Agreement{}, err
	}
	if err := answerable(a, couple, userID, asked); err != nil {
		return Agreement{}, err
	}
	from, now := a.Status, s.clock.Now()
	if from == AgreementProposed {
		a.Status, a.AgreedAt = AgreementActive, now
	} else {
		a.Status, a.RetiredAt = AgreementRetired, now
	}
	return s.moveAgreement(ctx, a, from)
}

// TalkFirst is the other partner's "let's talk first": nothing changes, the
// proposal stays open, and only the partner it waits on can say it.
func (s *Service) TalkFirst(ctx context.Context, coupleID int64, userID string, agreementID int64, asked AgreementStatus) (Agreement, error) {
	a, couple, err := s.agreementOf(ctx, coupleID, userID, agreementID)
	if err != nil {
		return Agreement{}, err
	}
	return a, answerable(a, couple, userID, asked)
}

// WithdrawAgreement takes back what a partner proposed: a proposed agreement
// is withdrawn and never reviewed; a proposal to retire one is dropped, and
// the agreement stays active.
func (s *Service) WithdrawAgreement(ctx context.Context, coupleID int64, userID string, agreementID int64, asked AgreementStatus) (Agreement, error) {
	a, couple, err := s.agreementOf(ctx, coupleID, userID, agreementID)
	if err != nil {
		return Agreement{}, err
	}
	if a.Status != asked || !pending(asked) {
		return Agreement{}, agreementMoved(a, couple, asked)
	}
	if a.Proposer() != userID {
		return Agreement{}, Errorf(EUNAUTHORIZED, "Only %s can withdraw what they proposed. You can agree, or say you would like to talk first.", couple.NameOf(a.Proposer()))
	}
	from := a.Status
	if from == AgreementProposed {
		a.Status, a.WithdrawnAt = AgreementWithdrawn, s.clock.Now()
	} else {
		a.Status, a.RetireBy, a.RetireProposedAt = AgreementActive, "", time.Time{}
	}
	return s.moveAgreement(ctx, a, from)
}

// RetireAgreement proposes to stop reviewing an active agreement. It stays in
// force, and is reviewed, until the other partner agrees. Asked by the partner
// a retirement already waits on, it is their yes, and the agreement retires.
func (s *Service) RetireAgreement(ctx context.Context, coupleID int64, userID string, agreementID int64) (Agreement, error) {
	a, couple, err := s.agreementOf(ctx, coupleID, userID, agreementID)
	if err != nil {
		return Agreement{}, err
	}
	switch a.Status {
	case AgreementRetiring:
		if a.RetireBy == userID {
			return Agreement{}, Errorf(ECONFLICT, "You have already proposed retiring it; it stays until %s agrees.", couple.Other(userID).Name)
		}
		return s.AgreeTo(ctx, coupleID, userID, agreementID, AgreementRetiring)
	case AgreementActive:
	default:
		return Agreement{}, agreementMoved(a, couple, AgreementActive)
	}
	a.Status, a.RetireBy, a.RetireProposedAt = AgreementRetiring, userID, s.clock.Now()
	return s.moveAgreement(ctx, a, AgreementActive)
}

// Agreements returns the couple's agreements for a partner: those in force
// first, then proposals, then retired ones. Withdrawn proposals never were
// agreements and are left out.
func (s *Service) Agreements(ctx context.Context, coupleID int64, userID string) ([]Agreement, error) {
	if _, err := s.activeCouple(ctx, coupleID, userID); err != nil {
		return nil, err
	}
	all, err := s.store.Agreements(ctx, coupleID)
	if err != nil {
		return nil, fmt.Errorf("list agreements of couple %d: %w", coupleID, err)
	}
	var inForce, proposed, retired []Agreement
	for _, a := range all {
		switch {
		case a.InForce():
			inForce = append(inForce, a)
		case a.Status == AgreementProposed:
			proposed = append(proposed, a)
		case a.Status == AgreementRetired:
			retired = append(retired, a)
		}
	}
	return append(append(inForce, proposed...), retired...), nil
}

func (s *Service) agreementOf(ctx context.Context, coupleID int64, userID string, agreementID int64) (Agreement, Couple, error) {
	couple, err := s.activeCouple(ctx, coupleID, userID)
	if err != nil {
		return Agreement{}, Couple{}, err
	}
	all, err := s.store.Agreements(ctx, coupleID)
	if err != nil {
		return Agreement{}, Couple{}, fmt.Errorf("list agreements of couple %d: %w", coupleID, err)
	}
	for _, a := range all {
		if a.ID == agreementID {
			return a, couple, nil
		}
	}
	return Agreement{}, Couple{}, Errorf(ENOTFOUND, "There is no agreement #%d between you two; `/agreement list` shows them.", agreementID)
}

// moveAgreement stores a's new state if it is still in state from: of two
// answers at once, the second is told what the first did.
func (s *Service) moveAgreement(ctx context.Context, a Agreement, from AgreementStatus) (Agreement, error) {
	err := s.store.UpdateAgreement(ctx, a, from)
	if ErrorCode(err) == ECONFLICT {
		return Agreement{}, Errorf(ECONFLICT, "Your partner answered this at the same moment. `/agreement list` shows where it stands now.")
	}
	if err != nil {
		return Agreement{}, fmt.Errorf("move agreement %d from %s to %s: %w", a.ID, from, a.Status, err)
	}
	return a, nil
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
	case a.Status == AgreementRetired:
		return Errorf(ECONFLICT, "This agreement is retired already.")
	case asked == AgreementProposed && a.InForce():
		return Errorf(ECONFLICT, "This was agreed already; it is one of your agreements now.")
	case asked == AgreementRetiring && a.Status == AgreementActive:
		return Errorf(ECONFLICT, "Nobody is proposing to retire this agreement now; it is still one of your agreements.")
	case a.Status == AgreementProposed:
		return Errorf(ECONFLICT, "This is still a proposal, waiting for %s to agree.", couple.Other(a.CreatedBy).Name)
	}
	return Errorf(ECONFLICT, "That agreement is %s, so that cannot be done now.", a.Status)
}
