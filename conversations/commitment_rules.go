package conversations

import (
	"context"
	"fmt"
	"time"
)

// DefaultMaxOpenCommitments is how many open commitments one partner may
// have unless the config says otherwise. Every open commitment is reviewed by
// both at every check-in; past about ten, a check-in stops being a
// conversation and becomes a list to get through.
const DefaultMaxOpenCommitments = 10

// DueAfter says whether the commitment is due later than date (YYYY-MM-DD in
// the couple's zone). Such a commitment is not asked about before its due
// date: it is listed as coming up instead.
func (c Commitment) DueAfter(date string) bool {
	return c.DueOn != "" && c.DueOn > date
}

// OpenedOn is the check-in's opening date in the couple's zone, the date its
// reviews are judged by.
func (ci CheckIn) OpenedOn(c Couple) string {
	return ci.OpenedAt.In(c.Location()).Format(DateLayout)
}

// Today is the date now in the couple's zone.
func (c Couple) Today(now time.Time) string {
	return now.In(c.Location()).Format(DateLayout)
}

// ComingUp returns the couple's open commitments that the check-in does not
// review because they fall due after it opened, for one of its partners.
func (s *Service) ComingUp(ctx context.Context, checkInID int64, userID string) ([]Commitment, error) {
	ci, couple, err := s.CheckIn(ctx, checkInID, userID)
	if err != nil {
		return nil, err
	}
	return s.comingUp(ctx, ci, couple)
}

func (s *Service) comingUp(ctx context.Context, ci CheckIn, couple Couple) ([]Commitment, error) {
	open, err := s.store.OpenCommitments(ctx, couple.ID)
	if err != nil {
		return nil, fmt.Errorf("list open commitments of couple %d: %w", couple.ID, err)
	}
	reviewed := map[int64]bool{}
	for _, sub := range ci.Subjects {
		if sub.Kind == SubjectCommitment {
			reviewed[sub.ID] = true
		}
	}
	date := ci.OpenedOn(couple)
	var out []Commitment
	for _, c := range open {
		if c.DueAfter(date) && !reviewed[c.ID] {
			out = append(out, c)
		}
	}
	return out, nil
}

// commitmentsHeld counts a partner's open commitments, with the ones they
// wrote in the check-in open now, which become commitments when it is
// revealed. except is a step of that check-in not to count: the one being
// answered, whose earlier answer it replaces.
func (s *Service) commitmentsHeld(ctx context.Context, coupleID int64, userID string, except StepKey) (int, error) {
	open, err := s.store.OpenCommitments(ctx, coupleID)
	if err != nil {
		return 0, fmt.Errorf("list open commitments of couple %d: %w", coupleID, err)
	}
	n := 0
	for _, c := range open {
		if c.OwnerID == userID {
			n++
		}
	}
	ci, err := s.store.LatestOpenCheckIn(ctx, coupleID)
	if ErrorCode(err) == ENOTFOUND {
		return n, nil
	}
	if err != nil {
		return 0, fmt.Errorf("find open check-in of couple %d: %w", coupleID, err)
	}
	if ci.StatusAt(s.clock.Now()) != CheckInOpen {
		return n, nil
	}
	answers, err := s.store.Answers(ctx, ci.ID)
	if err != nil {
		return 0, fmt.Errorf("load answers of check-in %d: %w", ci.ID, err)
	}
	for _, a := range answers {
		p, ok := ci.Template.Prompt(a.PromptID)
		if ok && p.Kind == KindNewCommitment && a.UserID == userID && !a.Skipped && a.Key() != except {
			n++
		}
	}
	return n, nil
}

// roomForCommitment refuses a new commitment of a partner who holds as many
// as Mend keeps. The words are given back, so that nothing written is lost.
func (s *Service) roomForCommitment(ctx context.Context, coupleID int64, userID string, except StepKey, text string) error {
	full, err := s.commitmentsFull(ctx, coupleID, userID, except)
	if err != nil || !full {
		return err
	}
	return Errorf(EINVALID, "%s Nothing was added; here are your words, so they are not lost: “%s”.", fullNote(s.MaxOpenCommitments), text)
}

func (s *Service) commitmentsFull(ctx context.Context, coupleID int64, userID string, except StepKey) (bool, error) {
	if s.MaxOpenCommitments <= 0 {
		return false, nil
	}
	n, err := s.commitmentsHeld(ctx, coupleID, userID, except)
	return n >= s.MaxOpenCommitments, err
}

// fullNote says why there is no room for another commitment, and how to make
// some, without counting anything against anyone.
func fullNote(limit int) string {
	return fmt.Sprintf("You have %d open commitments, as many as Mend keeps for one person, so that a check-in stays short enough to really talk. Marking one done, or dropping one, makes room for a new one.", limit)
}

// FullNote is what a partner with no room for another commitment is told at a
// new-commitment step; empty when there is room.
func (st Step) FullNote() string {
	if st.CommitmentLimit == 0 {
		return ""
	}
	return fullNote(st.CommitmentLimit) + " For now, you can skip this question."
}

// markFull tells a new-commitment step whether the partner has room for one.
func (s *Service) markFull(ctx context.Context, step Step) (Step, error) {
	if step.Done || step.Item.Prompt.Kind != KindNewCommitment {
		return step, nil
	}
	full, err := s.commitmentsFull(ctx, step.CheckIn.CoupleID, step.UserID, step.Item.Key())
	if err != nil {
		return Step{}, err
	}
	step.CommitmentLimit = 0
	if full {
		step.CommitmentLimit = s.MaxOpenCommitments
	}
	return step, nil
}
