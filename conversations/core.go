package conversations

import (
	"context"
	"fmt"
)

// core is what every aggregate shares: the stores, the clock, the templates
// and the settings, and the few rules more than one aggregate needs (who may
// act on a couple or a check-in, when a check-in is revealed).
type core struct {
	stores    Stores
	clock     Clock
	templates *Templates
	settings  Settings
}

// checkInFor loads a check-in for a partner acting from the couple's
// channel, so that an adapter authorizes once, by passing the actor in.
func (s *core) checkInFor(ctx context.Context, by Actor, checkInID int64) (CheckIn, Couple, error) {
	ci, couple, err := s.checkIn(ctx, checkInID, by.UserID)
	if err != nil {
		return ci, couple, err
	}
	if couple.ChannelID != by.ChannelID || couple.GuildID != by.GuildID {
		return CheckIn{}, Couple{}, Errorf(EUNAUTHORIZED, "That check-in belongs to another channel.")
	}
	return ci, couple, nil
}

// revealMissing reports whether a revealed check-in's reveal never arrived
// and is not on its way either.
func (s *core) revealMissing(ctx context.Context, ci CheckIn) (bool, error) {
	if ci.Status != CheckInRevealed || ci.RevealPostID != "" {
		return false, nil
	}
	pending, err := s.stores.Outbox.PostPending(ctx, ci.CoupleID, PostReveal, ci.ID)
	if err != nil {
		return false, fmt.Errorf("look for the reveal post of check-in %d: %w", ci.ID, err)
	}
	return !pending, nil
}

func (s *core) comingUp(ctx context.Context, ci CheckIn, couple Couple) ([]Commitment, error) {
	open, err := s.stores.Commitments.OpenCommitments(ctx, couple.ID)
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
func (s *core) commitmentsHeld(ctx context.Context, coupleID int64, userID string, except StepKey) (int, error) {
	open, err := s.stores.Commitments.OpenCommitments(ctx, coupleID)
	if err != nil {
		return 0, fmt.Errorf("list open commitments of couple %d: %w", coupleID, err)
	}
	n := 0
	for _, c := range open {
		if c.OwnerID == userID {
			n++
		}
	}
	ci, err := s.stores.CheckIns.LatestOpenCheckIn(ctx, coupleID)
	if ErrorCode(err) == ENOTFOUND {
		return n, nil
	}
	if err != nil {
		return 0, fmt.Errorf("find open check-in of couple %d: %w", coupleID, err)
	}
	if ci.StatusAt(s.clock.Now()) != CheckInOpen {
		return n, nil
	}
	answers, err := s.stores.Answers.Answers(ctx, ci.ID)
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
func (s *core) roomForCommitment(ctx context.Context, coupleID int64, userID string, except StepKey, text string) error {
	full, err := s.commitmentsFull(ctx, coupleID, userID, except)
	if err != nil || !full {
		return err
	}
	return Errorf(EINVALID, "%s Nothing was added; here are your words, so they are not lost: “%s”.", fullNote(s.settings.MaxOpenCommitments), text)
}

func (s *core) commitmentsFull(ctx context.Context, coupleID int64, userID string, except StepKey) (bool, error) {
	if s.settings.MaxOpenCommitments <= 0 {
		return false, nil
	}
	n, err := s.commitmentsHeld(ctx, coupleID, userID, except)
	return n >= s.settings.MaxOpenCommitments, err
}

// markFull tells a new-commitment step whether the partner has room for one.
func (s *core) markFull(ctx context.Context, step Step) (Step, error) {
	if step.Done || step.Item.Prompt.Kind != KindNewCommitment {
		return step, nil
	}
	full, err := s.commitmentsFull(ctx, step.CheckIn.CoupleID, step.UserID, step.Item.Key())
	if err != nil {
		return Step{}, err
	}
	step.CommitmentLimit = 0
	if full {
		step.CommitmentLimit = s.settings.MaxOpenCommitments
	}
	return step, nil
}

// drawWeek draws the questions of the week of a check-in about to open, from
// the couple's path as it stands; the path after it is stored with it.
func (s *core) drawWeek(ci *CheckIn, p Path) {
	p.CoupleID = ci.CoupleID
	ci.Template, ci.PathAfter = s.settings.Library.draw(ci.Template, p)
}

// drawWeekFor loads the couple's path and draws the check-in's questions.
func (s *core) drawWeekFor(ctx context.Context, ci *CheckIn) error {
	p, err := s.stores.Paths.GuidedPath(ctx, ci.CoupleID)
	if err != nil {
		return fmt.Errorf("load path of couple %d: %w", ci.CoupleID, err)
	}
	s.drawWeek(ci, p)
	return nil
}

// sharedAnswers returns the answers a partner shared of a closed check-in,
// and nothing of the other partner's, for posting them.
func (s *core) sharedAnswers(ctx context.Context, checkInID int64, userID string) (Reveal, error) {
	ci, couple, err := s.checkInOfSystem(ctx, checkInID)
	if err != nil {
		return Reveal{}, err
	}
	answers, err := s.stores.Answers.Answers(ctx, checkInID)
	if err != nil {
		return Reveal{}, fmt.Errorf("load answers of check-in %d: %w", checkInID, err)
	}
	own := answers[:0:0]
	for _, a := range answers {
		if a.UserID == userID {
			own = append(own, a)
		}
	}
	r := NewReveal(ci, couple, own)
	// A review of the other partner's promise is about them: it is not
	// shown without them in the check-in.
	rows := r.Rows[:0:0]
	for _, row := range r.Rows {
		if sub := row.Item.Subject; sub == nil || sub.Kind != SubjectCommitment || sub.OwnerID == userID {
			rows = append(rows, row)
		}
	}
	r.Rows = rows
	return r, nil
}

func (s *core) loadCouple(ctx context.Context, coupleID int64) (Couple, error) {
	c, err := s.stores.Couples.Couple(ctx, coupleID)
	if ErrorCode(err) == ENOTFOUND {
		return Couple{}, Errorf(ENOTFOUND, "That couple no longer exists on Mend.")
	}
	if err != nil {
		return Couple{}, fmt.Errorf("load couple %d: %w", coupleID, err)
	}
	return c, nil
}

// currentCheckIn returns the couple's check-in that is open for answers now.
func (s *core) currentCheckIn(ctx context.Context, coupleID int64) (CheckIn, error) {
	ci, err := s.stores.CheckIns.LatestOpenCheckIn(ctx, coupleID)
	if err != nil {
		return CheckIn{}, fmt.Errorf("find open check-in of couple %d: %w", coupleID, err)
	}
	if ci.StatusAt(s.clock.Now()) != CheckInOpen {
		return CheckIn{}, Errorf(ENOTFOUND, "There is no check-in open right now.")
	}
	return ci, nil
}

// checkInOfSystem returns a check-in and its couple without a partner's
// authorization, for Mend's own work (sending a queued post), never for a
// request that comes from a person.
func (s *core) checkInOfSystem(ctx context.Context, checkInID int64) (CheckIn, Couple, error) {
	ci, err := s.stores.CheckIns.CheckIn(ctx, checkInID)
	if err != nil {
		return CheckIn{}, Couple{}, fmt.Errorf("load check-in %d: %w", checkInID, err)
	}
	couple, err := s.loadCouple(ctx, ci.CoupleID)
	return ci, couple, err
}

// commitmentOfSystem returns a commitment and its couple for Mend's own work.
func (s *core) commitmentOfSystem(ctx context.Context, commitmentID int64) (Commitment, Couple, error) {
	c, err := s.stores.Commitments.Commitment(ctx, commitmentID)
	if err != nil {
		return Commitment{}, Couple{}, fmt.Errorf("load commitment %d: %w", commitmentID, err)
	}
	couple, err := s.loadCouple(ctx, c.CoupleID)
	return c, couple, err
}

// checkIn returns a check-in for one of its partners.
func (s *core) checkIn(ctx context.Context, checkInID int64, userID string) (CheckIn, Couple, error) {
	ci, err := s.stores.CheckIns.CheckIn(ctx, checkInID)
	if err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return CheckIn{}, Couple{}, Errorf(ENOTFOUND, "That check-in no longer exists.")
		}
		return CheckIn{}, Couple{}, fmt.Errorf("load check-in %d: %w", checkInID, err)
	}
	couple, err := s.stores.Couples.Couple(ctx, ci.CoupleID)
	if err != nil {
		return CheckIn{}, Couple{}, fmt.Errorf("load couple of check-in %d: %w", checkInID, err)
	}
	if !couple.IsPartner(userID) {
		return CheckIn{}, Couple{}, Errorf(EUNAUTHORIZED, "This check-in belongs to two other people, so Mend can't show it to you.")
	}
	return ci, couple, nil
}

// revealIfDone reveals an open check-in whose partners have both finished,
// recording the commitments made in it; it reports whether this call did.
func (s *core) revealIfDone(ctx context.Context, ci CheckIn) (bool, error) {
	if ci.Status != CheckInOpen || ci.Participants[0].Status != Done || ci.Participants[1].Status != Done {
		return false, nil
	}
	answers, err := s.stores.Answers.Answers(ctx, ci.ID)
	if err != nil {
		return false, fmt.Errorf("load answers of check-in %d: %w", ci.ID, err)
	}
	var made []Commitment
	for _, a := range answers {
		p, ok := ci.Template.Prompt(a.PromptID)
		if !ok || p.Kind != KindNewCommitment || a.Skipped {
			continue
		}
		made = append(made, Commitment{CoupleID: ci.CoupleID, OwnerID: a.UserID, Text: a.Text, DueOn: a.DueOn, Status: CommitmentOpen, CreatedAt: a.AnsweredAt, SourceCheckInID: ci.ID})
	}
	now := s.clock.Now()
	post := Post{CoupleID: ci.CoupleID, Kind: PostReveal, CheckInID: ci.ID, CreatedAt: now, NextAttemptAt: now}
	revealed, err := s.stores.CheckIns.RevealCheckIn(ctx, ci.ID, now, made, post)
	if err != nil {
		return false, fmt.Errorf("reveal check-in %d: %w", ci.ID, err)
	}
	return revealed, nil
}

// reveal returns both partners' answers of a revealed check-in to one of them.
func (s *core) reveal(ctx context.Context, checkInID int64, viewerID string) (Reveal, error) {
	ci, couple, err := s.checkIn(ctx, checkInID, viewerID)
	if err != nil {
		return Reveal{}, err
	}
	if ci.Status != CheckInRevealed {
		return Reveal{}, Errorf(ECONFLICT, "The answers are shared only when you have both finished, so that nobody answers in reaction to the other.")
	}
	answers, err := s.stores.Answers.Answers(ctx, checkInID)
	if err != nil {
		return Reveal{}, fmt.Errorf("load answers of check-in %d: %w", checkInID, err)
	}
	acks, err := s.stores.Acknowledgements.Acknowledgements(ctx, checkInID)
	if err != nil {
		return Reveal{}, fmt.Errorf("load acknowledgements of check-in %d: %w", checkInID, err)
	}
	talks, err := s.stores.Acknowledgements.Talks(ctx, checkInID)
	if err != nil {
		return Reveal{}, fmt.Errorf("load talks of check-in %d: %w", checkInID, err)
	}
	r := NewReveal(ci, couple, answers)
	r.Acks, r.Talks = acks, talks
	return r, nil
}

// revealOfSystem returns a revealed check-in for Mend's own work (posting it).
func (s *core) revealOfSystem(ctx context.Context, checkInID int64) (Reveal, error) {
	_, couple, err := s.checkInOfSystem(ctx, checkInID)
	if err != nil {
		return Reveal{}, err
	}
	return s.reveal(ctx, checkInID, couple.Partners[0].UserID)
}

// stillAnswerable explains why a check-in takes no more answers, or returns nil.
func (s *core) stillAnswerable(ci CheckIn, couple Couple) error {
	if couple.Status != CoupleActive {
		return Errorf(ECONFLICT, "This couple is no longer using Mend together, so nothing more is recorded or shown.")
	}
	switch ci.StatusAt(s.clock.Now()) {
	case CheckInRevealed:
		return Errorf(ECONFLICT, "This check-in is finished and both sets of answers have been shared.")
	case CheckInClosed:
		closed := ci.ClosesAt.In(couple.Location()).Format("Mon 2 Jan 15:04 MST")
		return Errorf(ECONFLICT, "This check-in closed on %s. Everything you answered is kept; the next check-in will come with your schedule, or start one now.", closed)
	}
	return nil
}

// coupleHere returns the active couple whose channel the actor acts from,
// for one of its two partners only. It is the one place that decides who may
// act on a couple: every adapter passes the actor and renders the answer.
func (s *core) coupleHere(ctx context.Context, by Actor) (Couple, error) {
	couple, err := s.coupleOwnedHere(ctx, by)
	if err != nil {
		return Couple{}, err
	}
	if couple.Status != CoupleActive {
		return Couple{}, Errorf(ECONFLICT, "This couple is no longer active on Mend. `/export` and `/forget` still work here for both of you.")
	}
	return couple, nil
}

// coupleOwnedHere is coupleHere for taking or deleting the couple's data,
// which both partners may still do after one of them left.
func (s *core) coupleOwnedHere(ctx context.Context, by Actor) (Couple, error) {
	couple, err := s.stores.Couples.CoupleByChannel(ctx, by.ChannelID)
	if ErrorCode(err) == ENOTFOUND {
		if err := s.missingChannelOf(ctx, by); err != nil {
			return Couple{}, err
		}
		return Couple{}, Errorf(ENOTFOUND, "This works in your couple's private channel. If you don't have one yet, `/couple invite` starts it.")
	}
	if err != nil {
		return Couple{}, fmt.Errorf("look up couple of channel %s: %w", by.ChannelID, err)
	}
	if !couple.IsPartner(by.UserID) || couple.GuildID != by.GuildID {
		return Couple{}, Errorf(EUNAUTHORIZED, "This channel belongs to two other people, so Mend can't act on it for you.")
	}
	return couple, nil
}

// missingChannelOf returns a ChannelMissingError when the actor's couple in
// their guild has lost its channel, and nil otherwise: for answering a
// partner who can no longer reach Mend from their channel.
func (s *core) missingChannelOf(ctx context.Context, by Actor) error {
	c, err := s.stores.Couples.CoupleOf(ctx, by.GuildID, by.UserID)
	if ErrorCode(err) == ENOTFOUND {
		return nil
	}
	if err != nil {
		return fmt.Errorf("look up couple of %s: %w", by.UserID, err)
	}
	if c.Status == CoupleActive && c.ChannelMissing() {
		return &ChannelMissingError{Couple: c, UserID: by.UserID}
	}
	return nil
}

// forgetAnswersOf deletes a partner's own answers in a couple they left.
func (s *core) forgetAnswersOf(ctx context.Context, by Actor, coupleID int64) (int, error) {
	couple, err := s.loadCouple(ctx, coupleID)
	if err != nil {
		return 0, err
	}
	if !couple.IsPartner(by.UserID) || couple.GuildID != by.GuildID {
		return 0, Errorf(EUNAUTHORIZED, "Only the partners of this couple can do that.")
	}
	if couple.Status == CoupleActive {
		return 0, Errorf(ECONFLICT, "Your own answers can be deleted when you leave the couple; `/couple leave` offers it.")
	}
	n, err := s.stores.Records.DeleteAnswersOf(ctx, coupleID, by.UserID)
	if err != nil {
		return 0, fmt.Errorf("delete answers of couple %d: %w", coupleID, err)
	}
	return n, nil
}
