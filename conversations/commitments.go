package conversations

import (
	"context"
	"fmt"
)

// Commitments are the promises partners make, in a check-in or outside one,
// and how they are kept.
type Commitments struct{ *core }

// List returns the couple's commitments, open ones first, to a partner.
func (s *Commitments) List(ctx context.Context, by Actor) ([]Commitment, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return nil, err
	}
	all, err := s.stores.Commitments.Commitments(ctx, couple.ID)
	if err != nil {
		return nil, fmt.Errorf("list commitments of couple %d: %w", couple.ID, err)
	}
	var open, closed []Commitment
	for _, c := range all {
		if c.Status == CommitmentOpen {
			open = append(open, c)
		} else {
			closed = append(closed, c)
		}
	}
	return append(open, closed...), nil
}

// Close marks an open commitment done or drops it. Only the partner
// who made it can: the other reviews it at the check-ins instead.
func (s *Commitments) Close(ctx context.Context, by Actor, commitmentID int64, status CommitmentStatus) (Commitment, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return Commitment{}, err
	}
	if status != CommitmentDone && status != CommitmentDropped {
		return Commitment{}, Errorf(EINVALID, "A commitment can be marked done or dropped.")
	}
	c, err := s.stores.Commitments.Commitment(ctx, commitmentID)
	if ErrorCode(err) == ENOTFOUND || (err == nil && c.CoupleID != couple.ID) {
		return Commitment{}, Errorf(ENOTFOUND, "There is no commitment #%d of yours; `/commitment list` shows them.", commitmentID)
	}
	if err != nil {
		return Commitment{}, fmt.Errorf("load commitment %d: %w", commitmentID, err)
	}
	if c.OwnerID != by.UserID {
		owner := couple.NameOf(c.OwnerID)
		return Commitment{}, Errorf(EUNAUTHORIZED, "Only %s can mark their own commitment done or drop it; you will both review it at the next check-in.", owner)
	}
	if c.Status != CommitmentOpen {
		return Commitment{}, Errorf(ECONFLICT, "That commitment is already %s.", c.Status)
	}
	now := s.clock.Now()
	if err := s.stores.Commitments.CloseCommitment(ctx, commitmentID, status, now); err != nil {
		return Commitment{}, fmt.Errorf("close commitment %d: %w", commitmentID, err)
	}
	c.Status, c.ClosedAt = status, now
	return c, nil
}

// Add records a promise a partner makes outside a check-in.
func (s *Commitments) Add(ctx context.Context, by Actor, text, dueOn string) (Commitment, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return Commitment{}, err
	}
	now := s.clock.Now()
	text, err = cleanText(text, DefaultCommitmentLength, "commitment")
	if err != nil {
		return Commitment{}, err
	}
	if dueOn != "" {
		if dueOn, err = ValidateDueDate(dueOn, now.In(couple.Location())); err != nil {
			return Commitment{}, err
		}
	}
	if err := s.roomForCommitment(ctx, couple.ID, by.UserID, StepKey{}, text); err != nil {
		return Commitment{}, err
	}
	c := Commitment{CoupleID: couple.ID, OwnerID: by.UserID, Text: text, DueOn: dueOn, Status: CommitmentOpen, CreatedAt: now}
	if err := s.stores.Commitments.AddCommitment(ctx, &c); err != nil {
		return Commitment{}, fmt.Errorf("add commitment to couple %d: %w", couple.ID, err)
	}
	return c, nil
}

// DefaultMaxOpenCommitments is how many open commitments one partner may
// have unless the config says otherwise. Every open commitment is reviewed by
// both at every check-in; past about ten, a check-in stops being a
// conversation and becomes a list to get through.
const DefaultMaxOpenCommitments = 10
