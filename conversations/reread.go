package conversations

import (
	"context"
	"fmt"
)

// Revisit returns a step the partner already answered, to answer it again
// while they reread their answers before sending them. index counts the
// partner's steps from 0, as Step.Items lists them.
func (s *Service) Revisit(ctx context.Context, by Actor, checkInID int64, index int) (Step, error) {
	ci, couple, answers, err := s.answerable(ctx, by, checkInID)
	if err != nil {
		return Step{}, err
	}
	current := stepFor(ci, couple, answers, by.UserID)
	if current.Sent {
		return Step{}, Errorf(ECONFLICT, "You have already sent your answers, so they are sealed now.")
	}
	if !current.Done {
		return Step{}, &StaleStepError{Step: current}
	}
	if index < 0 || index >= len(current.Items) {
		return Step{}, Errorf(EINVALID, "There is no question %d in this check-in.", index+1)
	}
	return stepAt(ci, couple, answers, by.UserID, current.Items[index].Key())
}

// Send seals a partner's answers and counts them as finished: the reveal
// comes when both have sent. Every step must be answered (or skipped) first.
// Sending twice changes nothing.
func (s *Service) Send(ctx context.Context, by Actor, checkInID int64) (Step, error) {
	ci, couple, err := s.checkInFor(ctx, by, checkInID)
	if err != nil {
		return Step{}, err
	}
	answers, err := s.store.Answers(ctx, checkInID)
	if err != nil {
		return Step{}, fmt.Errorf("load answers of check-in %d: %w", checkInID, err)
	}
	step := stepFor(ci, couple, answers, by.UserID)
	if step.Sent || ci.Status == CheckInRevealed {
		return s.settle(ctx, step)
	}
	if err := s.Answerable(ci, couple); err != nil {
		return Step{}, err
	}
	if !step.Done {
		return Step{}, &StaleStepError{Step: step}
	}
	p, _ := ci.Participant(by.UserID)
	now := s.clock.Now()
	if p.StartedAt.IsZero() {
		p.StartedAt = now
	}
	p.Status, p.FinishedAt = Done, now
	if err := s.store.SaveParticipant(ctx, checkInID, p); err != nil {
		return Step{}, fmt.Errorf("send answers of check-in %d: %w", checkInID, err)
	}
	step.CheckIn.setParticipant(p)
	step.Sent, step.StatusChanged = true, true
	return s.settle(ctx, step)
}

// StepAt returns the step with key, for opening its form: the step the
// partner is on or, while they reread, one they answered. Anything else is a
// StaleStepError that says where they are.
func (s *Service) StepAt(ctx context.Context, by Actor, checkInID int64, key StepKey) (Step, error) {
	ci, couple, answers, err := s.answerable(ctx, by, checkInID)
	if err != nil {
		return Step{}, err
	}
	return stepAt(ci, couple, answers, by.UserID, key)
}

// answerable loads a check-in that still takes answers, for a partner acting
// from its channel, with every answer given so far.
func (s *Service) answerable(ctx context.Context, by Actor, checkInID int64) (CheckIn, Couple, []Answer, error) {
	ci, couple, err := s.checkInFor(ctx, by, checkInID)
	if err != nil {
		return CheckIn{}, Couple{}, nil, err
	}
	if err := s.Answerable(ci, couple); err != nil {
		return CheckIn{}, Couple{}, nil, err
	}
	answers, err := s.store.Answers(ctx, checkInID)
	if err != nil {
		return CheckIn{}, Couple{}, nil, fmt.Errorf("load answers of check-in %d: %w", checkInID, err)
	}
	return ci, couple, answers, nil
}
