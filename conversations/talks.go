package conversations

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// DefaultTalkBreak is how long "We need a break" pauses a talk: about the
// time a body takes to settle after flooding.
const DefaultTalkBreak = 20 * time.Minute

// DefaultTalkExpiry is how long a talk stays open before it ends by itself.
const DefaultTalkExpiry = 24 * time.Hour

// revealsLooked is how many of a couple's latest check-ins /talk looks
// through for the latest reveal.
const revealsLooked = 50

// Talks are the guided talks after a reveal. Either partner starts one;
// nothing happens until the other joins; either can pause it or end it at
// any step. Each action takes the partner who acts and answers with the
// talk as both should now see it.
type Talks struct {
	*core
	// A talk can close with a commitment or a proposed agreement, made
	// through their own flows with their usual rules and consent.
	commitments *Commitments
	agreements  *Agreements
}

// errUnchanged, from a change, asks act for the view without saving.
var errUnchanged = errors.New("unchanged")

// errTalkOver answers a press on a talk that has ended.
var errTalkOver = Errorf(ENOTFOUND, "This talk has ended. Either of you can start another with /talk, whenever you are both ready.")

// Start asks the other partner to talk through the reveal of checkInID, or
// of the couple's latest reveal when checkInID is 0.
func (s *Talks) Start(ctx context.Context, by Actor, checkInID int64) (TalkView, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return TalkView{}, err
	}
	ci, err := revealedCheckIn(ctx, s.core, by, couple, checkInID)
	if err != nil {
		return TalkView{}, err
	}
	if open, err := s.stores.Talks.OpenTalk(ctx, couple.ID); err == nil {
		if v, err := s.expireIfDue(ctx, open, couple); err != nil || v.Talk.Open() {
			return v, errors.Join(err, Errorf(ECONFLICT, "A talk is already open in this channel; its message is above. \"Let's stop here\" on it ends it, if you would rather start again."))
		}
	} else if ErrorCode(err) != ENOTFOUND {
		return TalkView{}, fmt.Errorf("look up the open talk of couple %d: %w", couple.ID, err)
	}
	now := s.clock.Now()
	t := GuidedTalk{CoupleID: couple.ID, CheckInID: ci.ID, Stage: TalkAsked, AskedBy: by.UserID, StartedAt: now, ExpiresAt: now.Add(s.settings.TalkExpiry)}
	post := Post{CoupleID: couple.ID, Kind: PostTalk, CheckInID: ci.ID, CreatedAt: now, NextAttemptAt: now}
	if err := s.stores.Talks.CreateTalk(ctx, &t, &post); err != nil {
		if ErrorCode(err) == ECONFLICT {
			return TalkView{}, Errorf(ECONFLICT, "A talk is already open in this channel; its message is above.")
		}
		return TalkView{}, fmt.Errorf("start a talk for couple %d: %w", couple.ID, err)
	}
	return talkView(ctx, s.core, t, couple)
}

// revealedCheckIn is the check-in a talk is about: checkInID, which must be
// revealed, or the couple's latest reveal.
func revealedCheckIn(ctx context.Context, s *core, by Actor, couple Couple, checkInID int64) (CheckIn, error) {
	if checkInID != 0 {
		ci, _, err := s.checkInFor(ctx, by, checkInID)
		if err != nil {
			return CheckIn{}, err
		}
		if ci.Status != CheckInRevealed {
			return CheckIn{}, Errorf(ECONFLICT, "A talk follows a check-in you have both finished, once both sets of answers are shown.")
		}
		return ci, nil
	}
	recent, err := s.stores.CheckIns.CheckIns(ctx, couple.ID, revealsLooked)
	if err != nil {
		return CheckIn{}, fmt.Errorf("list check-ins of couple %d: %w", couple.ID, err)
	}
	for _, ci := range recent {
		if ci.Status == CheckInRevealed {
			return ci, nil
		}
	}
	return CheckIn{}, Errorf(ENOTFOUND, "There is no reveal to talk through yet. A talk follows a check-in you have both finished, once both sets of answers are shown.")
}

// Open returns the couple's open talk; ENOTFOUND when there is none.
func (s *Talks) Open(ctx context.Context, by Actor) (TalkView, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return TalkView{}, err
	}
	t, err := s.stores.Talks.OpenTalk(ctx, couple.ID)
	if ErrorCode(err) == ENOTFOUND {
		return TalkView{}, Errorf(ENOTFOUND, "There is no talk open. /talk starts one about your latest reveal.")
	}
	if err != nil {
		return TalkView{}, fmt.Errorf("look up the open talk of couple %d: %w", couple.ID, err)
	}
	v, err := s.expireIfDue(ctx, t, couple)
	if err == nil && !v.Talk.Open() {
		return v, errTalkOver
	}
	return v, err
}

// View returns the talk as it is now.
func (s *Talks) View(ctx context.Context, by Actor, talkID int64) (TalkView, error) {
	return s.act(ctx, by, talkID, true, func(*GuidedTalk, int, TalkView) error { return errUnchanged })
}

// Join is the asked partner's "I'm ready": the talk begins.
func (s *Talks) Join(ctx context.Context, by Actor, talkID int64) (TalkView, error) {
	return s.act(ctx, by, talkID, false, func(t *GuidedTalk, who int, v TalkView) error { return t.join(who, v.Couple) })
}

// NotNow ends a talk before it began, kindly: either partner may answer
// it, the one asked or the one who asked, and nothing of it is kept.
func (s *Talks) NotNow(ctx context.Context, by Actor, talkID int64) (TalkView, error) {
	return s.act(ctx, by, talkID, false, func(t *GuidedTalk, _ int, _ TalkView) error {
		if t.Stage != TalkAsked {
			return errMovedOn
		}
		t.end()
		return nil
	})
}

// Read records that the partner has said or read their appreciation.
func (s *Talks) Read(ctx context.Context, by Actor, talkID int64) (TalkView, error) {
	return s.act(ctx, by, talkID, false, func(t *GuidedTalk, who int, _ TalkView) error { return t.read(who) })
}

// Choose picks the topic with the given key (TalkTopic.Key) among what the
// reveal raised.
func (s *Talks) Choose(ctx context.Context, by Actor, talkID int64, key string) (TalkView, error) {
	return s.act(ctx, by, talkID, false, func(t *GuidedTalk, _ int, v TalkView) error {
		if t.Stage != TalkChoosing {
			return errMovedOn
		}
		for _, topic := range v.Topics {
			if topic.Key() == key {
				ref := topic.Ref
				if ref.RaisedBy == "" {
					ref.RaisedBy = by.UserID
				}
				return t.choose(ref, v.Couple)
			}
		}
		return Errorf(EINVALID, "That topic is not in this talk's list. Pick one from the list on the talk's message.")
	})
}

// Heard is the speaker's "I feel heard".
func (s *Talks) Heard(ctx context.Context, by Actor, talkID int64) (TalkView, error) {
	return s.act(ctx, by, talkID, false, func(t *GuidedTalk, who int, v TalkView) error { return t.heard(who, v.Couple) })
}

// Swap changes speaker and listener.
func (s *Talks) Swap(ctx context.Context, by Actor, talkID int64) (TalkView, error) {
	return s.act(ctx, by, talkID, false, func(t *GuidedTalk, _ int, v TalkView) error { return t.swap(v.Couple) })
}

// ToClosing moves on to one small thing to try, once both have spoken and
// felt heard. The topic counts as talked through from here: a review seen
// differently is marked talked about, as with "We talked about it".
func (s *Talks) ToClosing(ctx context.Context, by Actor, talkID int64) (TalkView, error) {
	v, err := s.act(ctx, by, talkID, false, func(t *GuidedTalk, _ int, _ TalkView) error { return t.toClosing(s.clock.Now()) })
	if err != nil {
		return v, err
	}
	if topic := v.Talk.Topic; topic != nil && topic.Kind == TopicReview {
		talked := Talk{CheckInID: v.Talk.CheckInID, PromptID: topic.PromptID, SubjectID: topic.SubjectID, ByUserID: by.UserID, At: v.Talk.TalkedAt}
		if err := s.stores.Acknowledgements.SaveTalk(ctx, talked); err != nil {
			return v, fmt.Errorf("mark the topic of %s talked about: %w", v.Talk, err)
		}
	}
	return v, nil
}

// Prompts shows a partner the prompts of their role in this turn; only its
// holder sees them.
func (s *Talks) Prompts(ctx context.Context, by Actor, talkID int64, role TalkRole) (TalkView, error) {
	return s.act(ctx, by, talkID, false, func(t *GuidedTalk, who int, v TalkView) error {
		if t.Stage != TalkTurns {
			return errMovedOn
		}
		if t.RoleOf(who) != role {
			if role == RoleSpeaker {
				return Errorf(EUNAUTHORIZED, "These prompts are for %s, who is speaking now. Yours are under \"Prompts for the listener\".", v.Speaker().Name)
			}
			return Errorf(EUNAUTHORIZED, "These prompts are for %s, who is listening now. Yours are under \"Prompts for the speaker\".", v.Listener().Name)
		}
		return errUnchanged
	})
}

// Pause starts a break: the talk waits, and once the break is over Mend
// asks once whether they are ready to come back.
func (s *Talks) Pause(ctx context.Context, by Actor, talkID int64) (TalkView, error) {
	return s.act(ctx, by, talkID, true, func(t *GuidedTalk, _ int, _ TalkView) error {
		return t.pause(s.clock.Now(), s.settings.TalkBreak)
	})
}

// Back ends a break that has run its time; the talk goes on where it was.
func (s *Talks) Back(ctx context.Context, by Actor, talkID int64) (TalkView, error) {
	return s.act(ctx, by, talkID, true, func(t *GuidedTalk, _ int, v TalkView) error { return t.back(s.clock.Now(), v.Couple) })
}

// Stop is "Let's stop here": the talk ends for both, at any step.
func (s *Talks) Stop(ctx context.Context, by Actor, talkID int64) (TalkView, error) {
	return s.act(ctx, by, talkID, true, func(t *GuidedTalk, _ int, _ TalkView) error {
		t.end()
		return nil
	})
}

// FinishWithNothing ends a talk at its closing with nothing to try: a
// talk that was held is enough.
func (s *Talks) FinishWithNothing(ctx context.Context, by Actor, talkID int64) (TalkView, error) {
	return s.act(ctx, by, talkID, false, func(t *GuidedTalk, _ int, _ TalkView) error { return t.finish(OutcomeNothing) })
}

// FinishWithCommitment makes the partner's commitment, with the rules of
// every commitment, and ends the talk with it.
func (s *Talks) FinishWithCommitment(ctx context.Context, by Actor, talkID int64, text, dueOn string) (TalkView, Commitment, error) {
	return finishWith(ctx, s, by, talkID, OutcomeCommitment, "Your promise is saved: /commitment list shows it.",
		func() (Commitment, error) { return s.commitments.Add(ctx, by, text, dueOn) })
}

// FinishWithAgreement proposes the partner's agreement, which the other
// is asked to agree to as always, and ends the talk with it.
func (s *Talks) FinishWithAgreement(ctx context.Context, by Actor, talkID int64, text string) (TalkView, Agreement, error) {
	return finishWith(ctx, s, by, talkID, OutcomeAgreement, "Your proposal is saved: /agreement list shows it.",
		func() (Agreement, error) { return s.agreements.Propose(ctx, by, text) })
}

// finishWith ends a talk at its closing with what create makes there through
// its own flow: checked first, so nothing is made for a talk that moved on;
// saved says what was made if the talk ended under it all the same.
func finishWith[T any](ctx context.Context, s *Talks, by Actor, talkID int64, outcome TalkOutcome, saved string, create func() (T, error)) (TalkView, T, error) {
	var made T
	if v, err := s.atClosing(ctx, by, talkID); err != nil {
		return v, made, err
	}
	made, err := create()
	if err != nil {
		return TalkView{}, made, err
	}
	v, err := s.act(ctx, by, talkID, false, func(t *GuidedTalk, _ int, _ TalkView) error { return t.finish(outcome) })
	if err != nil {
		return v, made, madeAnyway(err, saved)
	}
	return v, made, nil
}

// madeAnyway adds to the refusal of a talk's end that what the partner
// made at its close is saved all the same, in the words they are shown,
// so that they do not make it twice.
func madeAnyway(err error, saved string) error {
	if ErrorCode(err) == EINTERNAL {
		return fmt.Errorf("%w (%s)", err, saved)
	}
	return Errorf(ErrorCode(err), "%s %s", ErrorMessage(err), saved)
}

// atClosing checks, before anything is made, that the talk is at its
// closing and the partner may act on it.
func (s *Talks) atClosing(ctx context.Context, by Actor, talkID int64) (TalkView, error) {
	return s.act(ctx, by, talkID, false, func(t *GuidedTalk, _ int, _ TalkView) error {
		if t.Stage != TalkClosing {
			return errMovedOn
		}
		return errUnchanged
	})
}

// act applies change to the talk for a partner of its couple acting from
// their channel, and saves it; two changes at once are applied one after
// the other. During a break only an action allowed on a break applies.
func (s *Talks) act(ctx context.Context, by Actor, talkID int64, onBreak bool, change func(t *GuidedTalk, who int, v TalkView) error) (TalkView, error) {
	for attempt := 1; ; attempt++ {
		t, couple, err := talkFor(ctx, s.core, by, talkID)
		if err != nil {
			return TalkView{}, err
		}
		if v, err := s.expireIfDue(ctx, t, couple); err != nil || !v.Talk.Open() {
			return v, errors.Join(err, Errorf(ENOTFOUND, "This talk ended by itself after %s. Either of you can start another with /talk, whenever you are both ready.", PlainDuration(s.settings.TalkExpiry)))
		}
		v, err := talkView(ctx, s.core, t, couple)
		if err != nil {
			return v, err
		}
		if now := s.clock.Now(); !onBreak && t.OnBreak(now) {
			return v, Errorf(ECONFLICT, "You are on a break until %s. When it is over, \"We're back\" picks the talk up where you left it.", t.BreakUntil.In(couple.Location()).Format("15:04 MST"))
		}
		next := t
		switch err := change(&next, couple.PartnerIndex(by.UserID), v); {
		case errors.Is(err, errUnchanged):
			return v, nil
		case err != nil:
			return v, err
		}
		err = s.stores.Talks.SaveGuidedTalk(ctx, &next, nil)
		if ErrorCode(err) == ECONFLICT && attempt < 5 {
			continue // the other partner pressed at the same moment
		}
		if err != nil {
			return v, fmt.Errorf("save %s: %w", t, err)
		}
		return talkView(ctx, s.core, next, couple)
	}
}

// talkFor loads a talk for a partner of its couple, acting from their
// channel.
func talkFor(ctx context.Context, s *core, by Actor, talkID int64) (GuidedTalk, Couple, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return GuidedTalk{}, Couple{}, err
	}
	t, err := s.stores.Talks.GuidedTalk(ctx, talkID)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return GuidedTalk{}, Couple{}, talkOver(ctx, s, couple)
	case err != nil:
		return GuidedTalk{}, Couple{}, fmt.Errorf("load talk %d: %w", talkID, err)
	case t.CoupleID != couple.ID:
		return GuidedTalk{}, Couple{}, Errorf(EUNAUTHORIZED, "This talk belongs to two other people, so Mend can't act on it for you.")
	case !t.Open():
		return GuidedTalk{}, Couple{}, talkOver(ctx, s, couple)
	}
	return t, couple, nil
}

// talkOver answers a press on a talk that ended, pointing to the one the
// couple is having now, if any, rather than inviting them to start one.
func talkOver(ctx context.Context, s *core, couple Couple) error {
	if _, err := s.stores.Talks.OpenTalk(ctx, couple.ID); err == nil {
		return Errorf(ENOTFOUND, "This talk has ended. The talk you are having now is in a newer message in this channel.")
	}
	return errTalkOver
}

// expireIfDue ends a talk whose time ran out, quietly: its message is
// edited to say so, and nobody is called.
func (s *Talks) expireIfDue(ctx context.Context, t GuidedTalk, couple Couple) (TalkView, error) {
	now := s.clock.Now()
	if !t.Open() || now.Before(t.ExpiresAt) {
		return talkView(ctx, s.core, t, couple)
	}
	next := t
	next.end()
	var posts []Post
	if t.MessageID != "" {
		posts = append(posts, Post{CoupleID: t.CoupleID, Kind: PostTalkEnded, TalkID: t.ID, CheckInID: t.CheckInID, MessageID: t.MessageID, CreatedAt: now, NextAttemptAt: now})
	}
	if err := s.stores.Talks.SaveGuidedTalk(ctx, &next, posts); err != nil && ErrorCode(err) != ECONFLICT {
		return TalkView{}, fmt.Errorf("end %s, whose time ran out: %w", t, err)
	}
	return talkView(ctx, s.core, next, couple)
}

// runDue ends the talks whose time ran out and asks "Ready to come back?"
// once after each break that ended.
func (s *Talks) runDue(ctx context.Context, r *DueReport) error {
	now := s.clock.Now()
	due, err := s.stores.Talks.DueTalks(ctx, now, dueBatch)
	if err != nil {
		return fmt.Errorf("list due talks: %w", err)
	}
	for _, t := range due {
		if !now.Before(t.ExpiresAt) {
			couple, err := s.loadCouple(ctx, t.CoupleID)
			if err != nil {
				return err
			}
			if _, err := s.expireIfDue(ctx, t, couple); err != nil {
				return err
			}
			r.TalksEnded++
			continue
		}
		next := t
		next.ComeBackDue = false
		post := Post{CoupleID: t.CoupleID, Kind: PostTalkComeBack, TalkID: t.ID, CheckInID: t.CheckInID, CreatedAt: now, NextAttemptAt: now}
		switch err := s.stores.Talks.SaveGuidedTalk(ctx, &next, []Post{post}); {
		case ErrorCode(err) == ECONFLICT:
			// A partner pressed at the same moment; the next pass looks again.
		case err != nil:
			return fmt.Errorf("ask whether they are ready to come back to %s: %w", t, err)
		default:
			r.ComeBacks++
		}
	}
	return nil
}
