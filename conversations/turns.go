package conversations

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// Turns are one partner's way through a check-in: beginning, answering or
// skipping step by step, pausing, rereading and sending.
type Turns struct{ *core }

// Begin starts or resumes a partner's check-in and returns where they are. It
// is what a "Start my check-in" button calls, as often as it is pressed.
func (s *Turns) Begin(ctx context.Context, by Actor, checkInID int64) (Step, error) {
	step, err := s.stepOf(ctx, by, checkInID)
	if err != nil {
		return Step{}, err
	}
	ci, couple := step.CheckIn, step.Couple
	p, _ := ci.Participant(by.UserID)
	if ci.Status == CheckInRevealed || (step.Done && p.Status == Done) {
		return s.settle(ctx, step)
	}
	if err := s.stillAnswerable(ci, couple); err != nil {
		return Step{}, err
	}
	// Even with every step answered (or none to answer, when a template
	// holds only reviews and there is nothing to review), the partner is
	// still answering until they send: they reread first.
	if p.Status != InProgress {
		if p.Status == NotStarted {
			if step.SafetyCheck, err = s.asksSafetyCheck(ctx, ci); err != nil {
				return Step{}, err
			}
		}
		if p.StartedAt.IsZero() {
			p.StartedAt = s.clock.Now()
		}
		p.Status = InProgress
		if err := s.stores.Answers.SaveParticipant(ctx, checkInID, p); err != nil {
			return Step{}, fmt.Errorf("start check-in %d: %w", checkInID, err)
		}
		step.CheckIn.setParticipant(p)
		step.StatusChanged = true
	}
	return s.markFull(ctx, step)
}

// asksSafetyCheck reports whether ci is one of the check-ins that ask the
// private safety check: the couple's first, then every SafetyCheckEvery-th.
// Both partners are asked in the same check-ins, so being asked tells
// nothing about anyone.
func (s *Turns) asksSafetyCheck(ctx context.Context, ci CheckIn) (bool, error) {
	n, err := s.stores.CheckIns.CheckInNumber(ctx, ci.ID)
	if err != nil {
		return false, err
	}
	return (n-1)%s.settings.SafetyCheckEvery == 0, nil
}

// Current returns where a partner is, without changing anything.
func (s *Turns) Current(ctx context.Context, by Actor, checkInID int64) (Step, error) {
	step, err := s.stepOf(ctx, by, checkInID)
	if err != nil {
		return Step{}, err
	}
	return s.markFull(ctx, step)
}

// stepOf loads where a partner acting from their couple's channel is in a
// check-in, as their answers so far put them.
func (s *Turns) stepOf(ctx context.Context, by Actor, checkInID int64) (Step, error) {
	ci, couple, err := s.checkInFor(ctx, by, checkInID)
	if err != nil {
		return Step{}, err
	}
	answers, err := s.stores.Answers.Answers(ctx, checkInID)
	if err != nil {
		return Step{}, fmt.Errorf("load answers of check-in %d: %w", checkInID, err)
	}
	return stepFor(ci, couple, answers, by.UserID), nil
}

// StepAt returns the step with key, for opening its form: the step the
// partner is on or, while they reread, one they answered. Anything else is a
// StaleStepError that says where they are.
func (s *Turns) StepAt(ctx context.Context, by Actor, checkInID int64, key StepKey) (Step, error) {
	ci, couple, answers, err := s.answerable(ctx, by, checkInID)
	if err != nil {
		return Step{}, err
	}
	return stepAt(ci, couple, answers, by.UserID, key)
}

// Answer records a partner's answer to the step named by key, which must be the
// step they are on: a stale button from an earlier step is refused, not applied
// to the wrong question.
func (s *Turns) Answer(ctx context.Context, by Actor, checkInID int64, key StepKey, in AnswerInput) (Step, error) {
	return s.record(ctx, by, checkInID, key, false, in)
}

// Skip passes over an optional step.
func (s *Turns) Skip(ctx context.Context, by Actor, checkInID int64, key StepKey) (Step, error) {
	return s.record(ctx, by, checkInID, key, true, AnswerInput{})
}

func (s *Turns) record(ctx context.Context, by Actor, checkInID int64, key StepKey, skip bool, in AnswerInput) (Step, error) {
	userID := by.UserID
	ci, couple, answers, err := s.answerable(ctx, by, checkInID)
	if err != nil {
		return Step{}, err
	}
	step, err := stepAt(ci, couple, answers, userID, key)
	if err != nil {
		var stale *StaleStepError
		if errors.As(err, &stale) {
			if stale.Step, err = s.markFull(ctx, stale.Step); err != nil {
				return Step{}, err
			}
			return Step{}, stale
		}
		return Step{}, err
	}
	full := false
	if step.Item.Prompt.Kind == KindNewCommitment {
		if full, err = s.commitmentsFull(ctx, couple.ID, userID, key); err != nil {
			return Step{}, err
		}
	}
	now := s.clock.Now()
	a := Answer{CheckInID: checkInID, UserID: userID, PromptID: key.PromptID, SubjectID: key.SubjectID, AnsweredAt: now}
	if skip {
		// A partner with no room for another commitment may pass over even
		// a required new-commitment question: it cannot be answered.
		if full {
			step.CommitmentLimit = s.settings.MaxOpenCommitments
		}
		if !step.Skippable() {
			return Step{}, Errorf(EINVALID, "This question can't be skipped, but a few words are enough.")
		}
		a.Skipped = true
	} else {
		norm, err := step.Item.Prompt.normalize(in, now.In(couple.Location()))
		if err != nil {
			return Step{}, err
		}
		if full {
			return Step{}, s.roomForCommitment(ctx, couple.ID, userID, key, norm.Text)
		}
		a.Scale, a.Choice, a.Text, a.Verdict, a.Note, a.DueOn = norm.Scale, norm.Choice, norm.Text, norm.Verdict, norm.Note, norm.DueOn
	}
	p, _ := ci.Participant(userID)
	before := p.Status
	if p.StartedAt.IsZero() {
		p.StartedAt = now
	}
	p.Status = InProgress
	if err := s.stores.Answers.SaveAnswer(ctx, a, p); err != nil {
		return Step{}, fmt.Errorf("save answer %s of check-in %d: %w", key, checkInID, err)
	}
	ci.setParticipant(p)
	next := stepFor(ci, couple, replaceAnswer(answers, a), userID)
	next.StatusChanged = p.Status != before
	return s.markFull(ctx, next)
}

// settle reveals a check-in whose partners are both done. It runs on every
// visit of a finished partner, so a crash between the last answer and the
// reveal heals itself the next time anyone looks.
func (s *Turns) settle(ctx context.Context, step Step) (Step, error) {
	if step.CheckIn.Status != CheckInOpen || step.Couple.Status != CoupleActive {
		return step, nil
	}
	// step.CheckIn was read before this partner's answer was saved, so the
	// other partner may have finished since. Read it again: of two partners
	// finishing at once, the one whose save came second then sees both done.
	ci, err := s.stores.CheckIns.CheckIn(ctx, step.CheckIn.ID)
	if err != nil {
		return Step{}, fmt.Errorf("reload check-in %d: %w", step.CheckIn.ID, err)
	}
	step.CheckIn = ci
	revealed, err := s.revealIfDone(ctx, ci)
	if err != nil {
		return Step{}, err
	}
	if revealed {
		step.CheckIn.Status, step.CheckIn.RevealedAt = CheckInRevealed, s.clock.Now()
		step.JustRevealed = true
	}
	return step, nil
}

// Pause records that a partner asked for a break. Both partners see it in the
// status once the partner has answered something; a break before the first
// answer (as after the private safety check's note) changes nothing the other
// partner sees. Answering again, or pressing Start, resumes.
func (s *Turns) Pause(ctx context.Context, by Actor, checkInID int64) (CheckIn, error) {
	userID := by.UserID
	ci, _, answers, err := s.answerable(ctx, by, checkInID)
	if err != nil {
		return CheckIn{}, err
	}
	if !slices.ContainsFunc(answers, func(a Answer) bool { return a.UserID == userID }) {
		if p, _ := ci.Participant(userID); p.Status == Done {
			return CheckIn{}, Errorf(ECONFLICT, "You have already finished this check-in, so there is nothing to pause.")
		}
		return ci, nil
	}
	p, _ := ci.Participant(userID)
	switch p.Status {
	case Done:
		return CheckIn{}, Errorf(ECONFLICT, "You have already finished this check-in, so there is nothing to pause.")
	case Paused:
		return ci, nil
	}
	p.Status, p.PausedAt = Paused, s.clock.Now()
	if err := s.stores.Answers.SaveParticipant(ctx, checkInID, p); err != nil {
		return CheckIn{}, fmt.Errorf("pause check-in %d: %w", checkInID, err)
	}
	ci.setParticipant(p)
	return ci, nil
}

// Revisit returns a step the partner already answered, to answer it again
// while they reread their answers before sending them. index counts the
// partner's steps from 0, as Step.Items lists them.
func (s *Turns) Revisit(ctx context.Context, by Actor, checkInID int64, index int) (Step, error) {
	ci, couple, answers, err := s.answerable(ctx, by, checkInID)
	if err != nil {
		return Step{}, err
	}
	current := stepFor(ci, couple, answers, by.UserID)
	if current.Sent {
		return Step{}, Errorf(ECONFLICT, "You have already sent your answers, so they can no longer be changed.")
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
func (s *Turns) Send(ctx context.Context, by Actor, checkInID int64) (Step, error) {
	step, err := s.stepOf(ctx, by, checkInID)
	if err != nil {
		return Step{}, err
	}
	ci, couple := step.CheckIn, step.Couple
	if step.Sent || ci.Status == CheckInRevealed {
		return s.settle(ctx, step)
	}
	if err := s.stillAnswerable(ci, couple); err != nil {
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
	if err := s.stores.Answers.SaveParticipant(ctx, checkInID, p); err != nil {
		return Step{}, fmt.Errorf("send answers of check-in %d: %w", checkInID, err)
	}
	step.CheckIn.setParticipant(p)
	step.Sent, step.StatusChanged = true, true
	return s.settle(ctx, step)
}

// answerable loads a check-in that still takes answers, for a partner acting
// from its channel, with every answer given so far.
func (s *Turns) answerable(ctx context.Context, by Actor, checkInID int64) (CheckIn, Couple, []Answer, error) {
	ci, couple, err := s.checkInFor(ctx, by, checkInID)
	if err != nil {
		return CheckIn{}, Couple{}, nil, err
	}
	if err := s.stillAnswerable(ci, couple); err != nil {
		return CheckIn{}, Couple{}, nil, err
	}
	answers, err := s.stores.Answers.Answers(ctx, checkInID)
	if err != nil {
		return CheckIn{}, Couple{}, nil, fmt.Errorf("load answers of check-in %d: %w", checkInID, err)
	}
	return ci, couple, answers, nil
}

// Remaining lists what a partner has not answered yet in a check-in.
func (s *Turns) Remaining(ctx context.Context, by Actor, checkInID int64) ([]Item, error) {
	ci, _, err := s.checkInFor(ctx, by, checkInID)
	if err != nil {
		return nil, err
	}
	answers, err := s.stores.Answers.Answers(ctx, checkInID)
	if err != nil {
		return nil, fmt.Errorf("load answers of check-in %d: %w", checkInID, err)
	}
	return ci.Remaining(answers, by.UserID), nil
}

// ComingUp returns the couple's open commitments that the check-in does not
// review because they fall due after it opened, for one of its partners.
func (s *Turns) ComingUp(ctx context.Context, by Actor, checkInID int64) ([]Commitment, error) {
	ci, couple, err := s.checkInFor(ctx, by, checkInID)
	if err != nil {
		return nil, err
	}
	return s.comingUp(ctx, ci, couple)
}

// stepFor finds the first step the partner has not answered.
func stepFor(ci CheckIn, couple Couple, answers []Answer, userID string) Step {
	items := ci.ItemsFor(userID)
	answered := map[StepKey]bool{}
	var own []Answer
	for _, a := range answers {
		if a.UserID == userID {
			answered[a.Key()] = true
			own = append(own, a)
		}
	}
	p, _ := ci.Participant(userID)
	step := Step{CheckIn: ci, Couple: couple, UserID: userID, Total: len(items), Index: len(items), Done: true,
		Sent: p.Status == Done, Items: items, Answers: own}
	for i, it := range items {
		if !answered[it.Key()] {
			step.Item, step.Index, step.Done = it, i, false
			break
		}
	}
	return step
}

// stepAt returns the step with key for answering: the one the partner is on,
// or, while they reread before sending, any step they answered. Anything else
// (an old message, a double click, a change after sending) is stale.
func stepAt(ci CheckIn, couple Couple, answers []Answer, userID string, key StepKey) (Step, error) {
	step := stepFor(ci, couple, answers, userID)
	if !step.Done && step.Item.Key() == key {
		return step, nil
	}
	if step.Done && !step.Sent {
		for i, it := range step.Items {
			if it.Key() != key {
				continue
			}
			revising := step
			revising.Item, revising.Index, revising.Done, revising.Revising = it, i, false, true
			for j := range step.Answers {
				if step.Answers[j].Key() == key {
					revising.Previous = &step.Answers[j]
				}
			}
			return revising, nil
		}
	}
	return Step{}, &StaleStepError{Step: step}
}

// replaceAnswer returns answers with a in place of an earlier answer of the
// same partner to the same step.
func replaceAnswer(answers []Answer, a Answer) []Answer {
	out := make([]Answer, 0, len(answers)+1)
	for _, old := range answers {
		if old.UserID != a.UserID || old.Key() != a.Key() {
			out = append(out, old)
		}
	}
	return append(out, a)
}
