package conversations

import (
	"context"
	"fmt"
	"time"
)

// Agreements are the rules a couple agrees on together, from a proposal to
// agreeing, talking first, withdrawing and retiring.
type Agreements struct{ *core }

// Propose records an agreement one partner proposes. It is reviewed
// at check-ins only once the other partner agrees (AgreeTo).
func (s *Agreements) Propose(ctx context.Context, by Actor, text string) (Agreement, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return Agreement{}, err
	}
	text, err = CleanAgreementText(text)
	if err != nil {
		return Agreement{}, err
	}
	a := Agreement{CoupleID: couple.ID, Text: text, CreatedBy: by.UserID, Status: AgreementProposed, CreatedAt: s.clock.Now()}
	if err := s.stores.Agreements.AddAgreement(ctx, &a); err != nil {
		return Agreement{}, fmt.Errorf("propose agreement to couple %d: %w", couple.ID, err)
	}
	return a, nil
}

// AgreeTo records the other partner's yes to what an agreement waits on: a
// proposed one becomes active, a retiring one is retired. asked is the status
// the partner was asked about (proposed or retiring), so that a button on an
// old message cannot answer a later question about the same agreement.
func (s *Agreements) AgreeTo(ctx context.Context, by Actor, agreementID int64, asked AgreementStatus) (Agreement, error) {
	a, couple, err := s.agreementOf(ctx, by, agreementID)
	if err != nil {
		return Agreement{}, err
	}
	if err := answerable(a, couple, by.UserID, asked); err != nil {
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
func (s *Agreements) TalkFirst(ctx context.Context, by Actor, agreementID int64, asked AgreementStatus) (Agreement, error) {
	a, couple, err := s.agreementOf(ctx, by, agreementID)
	if err != nil {
		return Agreement{}, err
	}
	return a, answerable(a, couple, by.UserID, asked)
}

// Withdraw takes back what a partner proposed: a proposed agreement
// is withdrawn and never reviewed; a proposal to retire one is dropped, and
// the agreement stays active.
func (s *Agreements) Withdraw(ctx context.Context, by Actor, agreementID int64, asked AgreementStatus) (Agreement, error) {
	a, couple, err := s.agreementOf(ctx, by, agreementID)
	if err != nil {
		return Agreement{}, err
	}
	if a.Status != asked || !pending(asked) {
		return Agreement{}, agreementMoved(a, couple, asked)
	}
	if a.Proposer() != by.UserID {
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

// NotForMe is the other partner's "not for me" to a proposal: nothing is
// added, and the proposer is told so, without a reason asked of anyone.
func (s *Agreements) NotForMe(ctx context.Context, by Actor, agreementID int64) (Agreement, error) {
	a, couple, err := s.agreementOf(ctx, by, agreementID)
	if err != nil {
		return Agreement{}, err
	}
	if err := answerable(a, couple, by.UserID, AgreementProposed); err != nil {
		return Agreement{}, err
	}
	a.Status, a.WithdrawnAt = AgreementDeclined, s.clock.Now()
	return s.moveAgreement(ctx, a, AgreementProposed)
}

// End ends an agreement in force, at once: either partner can, and needs
// nobody's yes. It is no longer reviewed; the other partner is told, and
// it can be talked about at the next check-in.
func (s *Agreements) End(ctx context.Context, by Actor, agreementID int64) (Agreement, error) {
	a, couple, err := s.agreementOf(ctx, by, agreementID)
	if err != nil {
		return Agreement{}, err
	}
	if !a.InForce() {
		return Agreement{}, agreementMoved(a, couple, AgreementActive)
	}
	from := a.Status
	a.Status, a.RetireBy, a.RetiredAt = AgreementRetired, by.UserID, s.clock.Now()
	return s.moveAgreement(ctx, a, from)
}

// List returns the couple's agreements for a partner: those in force
// first, then proposals, then retired ones. Withdrawn proposals never were
// agreements and are left out.
func (s *Agreements) List(ctx context.Context, by Actor) ([]Agreement, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return nil, err
	}
	all, err := s.stores.Agreements.Agreements(ctx, couple.ID)
	if err != nil {
		return nil, fmt.Errorf("list agreements of couple %d: %w", couple.ID, err)
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

func (s *Agreements) agreementOf(ctx context.Context, by Actor, agreementID int64) (Agreement, Couple, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return Agreement{}, Couple{}, err
	}
	all, err := s.stores.Agreements.Agreements(ctx, couple.ID)
	if err != nil {
		return Agreement{}, Couple{}, fmt.Errorf("list agreements of couple %d: %w", couple.ID, err)
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
func (s *Agreements) moveAgreement(ctx context.Context, a Agreement, from AgreementStatus) (Agreement, error) {
	err := s.stores.Agreements.UpdateAgreement(ctx, a, from)
	if ErrorCode(err) == ECONFLICT {
		return Agreement{}, Errorf(ECONFLICT, "Your partner answered this at the same moment. `/agreement list` shows where it stands now.")
	}
	if err != nil {
		return Agreement{}, fmt.Errorf("move agreement %d from %s to %s: %w", a.ID, from, a.Status, err)
	}
	return a, nil
}
