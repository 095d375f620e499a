package conversations

import (
	"fmt"
	"time"
)

// GuidedTalk is a talk the partners hold after a reveal, in the shape
// couples therapists give one: appreciations first; one topic; one partner
// speaks while the other listens and says back what they heard, then they
// swap; a real break whenever either of them needs one; and something small
// to try at the end. What the two say aloud never passes through Mend. While
// the talk lasts Mend keeps where it is; once it ends, only which topic was
// talked through, when, and whether it ended with a commitment or an
// agreement, and nothing at all of a talk that ended before its topic was
// talked through.
type GuidedTalk struct {
	ID        int64
	CoupleID  int64
	CheckInID int64
	// Version changes with every saved change, so that two presses at once
	// never both apply to the same state.
	Version int

	// Kept only while the talk is open.
	Stage     TalkStage
	AskedBy   string
	StartedAt time.Time
	ExpiresAt time.Time
	// Read is, by partner position, whether each has said or read their
	// appreciation.
	Read [2]bool
	// Speaker is the position of the partner speaking in this turn.
	Speaker int
	// HeardNow is set once this turn's speaker feels heard; Heard, once each
	// partner has, in any turn.
	HeardNow bool
	Heard    [2]bool
	// BreakUntil is when a break ends; zero when there is none.
	BreakUntil time.Time
	// ComeBackDue is set while the one "Ready to come back?" of a break is
	// still to be posted.
	ComeBackDue bool
	// MessageID is the talk's message in the couple's channel, once posted.
	MessageID string

	// Kept after the talk ends, when its topic was talked through.
	Topic *TopicRef
	// TalkedAt is when both had spoken and felt heard: the topic was
	// talked through, and the talk counts as a talk held.
	TalkedAt time.Time
	Outcome  TalkOutcome
}

// TalkStage is where a guided talk is.
type TalkStage string

const (
	// TalkAsked waits for the partner who did not start it to join.
	TalkAsked TalkStage = "asked"
	// TalkAppreciation quotes each partner's appreciation from the reveal.
	TalkAppreciation TalkStage = "appreciation"
	// TalkChoosing offers what the reveal raised; one topic is picked.
	TalkChoosing TalkStage = "topic"
	// TalkTurns is speaker and listener, swapping.
	TalkTurns TalkStage = "turns"
	// TalkClosing asks for one small thing to try, or nothing.
	TalkClosing TalkStage = "closing"
	// TalkEnded is over, whichever way it ended.
	TalkEnded TalkStage = "ended"
)

// TalkOutcome is how a talked-through topic ended.
type TalkOutcome string

const (
	// OutcomeNothing: the partners talked it through and chose nothing to
	// try, or stopped before choosing.
	OutcomeNothing TalkOutcome = "nothing"
	// OutcomeCommitment: one of them made a commitment.
	OutcomeCommitment TalkOutcome = "commitment"
	// OutcomeAgreement: one of them proposed an agreement.
	OutcomeAgreement TalkOutcome = "agreement"
)

// TopicKind is what in the reveal a topic comes from.
type TopicKind string

const (
	// TopicHurt is a partner's words about a hurt or worry.
	TopicHurt TopicKind = "hurt"
	// TopicNeed is a partner's words about what they need.
	TopicNeed TopicKind = "need"
	// TopicReview is a promise or agreement the partners saw differently.
	TopicReview TopicKind = "review"
	// TopicAloud is something on the partners' minds that the reveal did
	// not raise, named aloud; it is offered only when the reveal raised
	// nothing to choose.
	TopicAloud TopicKind = "aloud"
)

// TopicRef names a topic without its words: the answer or review it came
// from, and the partner who raised it, who speaks first.
type TopicRef struct {
	Kind      TopicKind
	PromptID  string
	SubjectID int64
	RaisedBy  string
}

// TalkRole is which side of a turn a partner is on.
type TalkRole string

const (
	// RoleSpeaker talks about their own experience.
	RoleSpeaker TalkRole = "speaker"
	// RoleListener says back what they heard.
	RoleListener TalkRole = "listener"
)

// Open reports whether the talk has not ended.
func (t GuidedTalk) Open() bool { return t.Stage != TalkEnded && t.Stage != "" }

// OnBreak reports whether the talk is paused at now.
func (t GuidedTalk) OnBreak(now time.Time) bool {
	return !t.BreakUntil.IsZero() && now.Before(t.BreakUntil)
}

// Kept reports whether anything of the talk stays once it has ended: only a
// topic that was talked through.
func (t GuidedTalk) Kept() bool { return t.Topic != nil && !t.TalkedAt.IsZero() }

// Listener is the position of the partner listening in this turn.
func (t GuidedTalk) Listener() int { return 1 - t.Speaker }

// RoleOf is the role of the partner at position who in this turn.
func (t GuidedTalk) RoleOf(who int) TalkRole {
	if who == t.Speaker {
		return RoleSpeaker
	}
	return RoleListener
}

// MayClose reports whether both partners have spoken and felt heard, so
// the talk may move on to its closing.
func (t GuidedTalk) MayClose() bool { return t.Heard[0] && t.Heard[1] }

// errMovedOn answers a button from a step the talk has left.
var errMovedOn = Errorf(ECONFLICT, "The talk has moved on from that step; its message shows where you are now.")

// ErrTalkMovedOn is errMovedOn for the screens: a press from a step the
// talk has left comes from a message that shows an old step, and the
// message is brought to where the talk is.
var ErrTalkMovedOn = errMovedOn

// join is the asked partner's "I'm ready".
func (t *GuidedTalk) join(who int, c Couple) error {
	if t.Stage != TalkAsked {
		return errMovedOn
	}
	if c.Partners[who].UserID == t.AskedBy {
		return Errorf(EINVALID, "You asked for this talk; it starts when %s says they're ready.", c.Partners[1-who].Name)
	}
	t.Stage = TalkAppreciation
	return nil
}

// read records that the partner at position who has said or read their
// appreciation; once both have, the topic is chosen next.
func (t *GuidedTalk) read(who int) error {
	if t.Stage != TalkAppreciation {
		return errMovedOn
	}
	t.Read[who] = true
	if t.Read[0] && t.Read[1] {
		t.Stage = TalkChoosing
	}
	return nil
}

// choose starts the turns on topic, with the partner who raised it
// speaking first.
func (t *GuidedTalk) choose(topic TopicRef, c Couple) error {
	if t.Stage != TalkChoosing {
		return errMovedOn
	}
	speaker := c.PartnerIndex(topic.RaisedBy)
	if speaker < 0 {
		return Errorf(EINVALID, "That topic is not one of yours to talk about.")
	}
	t.Topic, t.Speaker, t.Stage = &topic, speaker, TalkTurns
	return nil
}

// heard is the speaker's "I feel heard".
func (t *GuidedTalk) heard(who int, c Couple) error {
	if t.Stage != TalkTurns {
		return errMovedOn
	}
	if who != t.Speaker {
		return Errorf(EUNAUTHORIZED, "Only %s, who is speaking now, can say they feel heard. Yours is to listen and say back what you heard.", c.Partners[t.Speaker].Name)
	}
	t.HeardNow, t.Heard[who] = true, true
	return nil
}

// swap changes speaker and listener once the speaker feels heard.
func (t *GuidedTalk) swap(c Couple) error {
	if t.Stage != TalkTurns {
		return errMovedOn
	}
	if !t.HeardNow {
		return Errorf(EINVALID, "You swap once %s feels heard. There's no hurry: this turn has no clock.", c.Partners[t.Speaker].Name)
	}
	t.Speaker, t.HeardNow = 1-t.Speaker, false
	return nil
}

// toClosing moves on to the one small thing to try, once both have spoken
// and felt heard: from then on the topic counts as talked through.
func (t *GuidedTalk) toClosing(now time.Time) error {
	if t.Stage != TalkTurns {
		return errMovedOn
	}
	if !t.MayClose() {
		return Errorf(EINVALID, "You move on once each of you has spoken and felt heard.")
	}
	t.Stage, t.TalkedAt = TalkClosing, now
	return nil
}

// finish ends the talk at its closing with what the partners chose to try.
func (t *GuidedTalk) finish(outcome TalkOutcome) error {
	if t.Stage != TalkClosing {
		return errMovedOn
	}
	t.end()
	t.Outcome = outcome
	return nil
}

// pause starts a break of d; a second press during a break changes nothing.
func (t *GuidedTalk) pause(now time.Time, d time.Duration) error {
	if t.Stage == TalkAsked {
		return Errorf(EINVALID, "The talk hasn't started yet. \"Not now\" is always a fine answer.")
	}
	if t.OnBreak(now) {
		return nil
	}
	t.BreakUntil, t.ComeBackDue = now.Add(d), true
	return nil
}

// back ends a break that has run its time.
func (t *GuidedTalk) back(now time.Time, c Couple) error {
	if t.BreakUntil.IsZero() {
		return nil
	}
	if t.OnBreak(now) {
		return Errorf(ECONFLICT, "The break runs until %s. A real break helps more than pushing on; the talk will be here.", t.BreakUntil.In(c.Location()).Format("15:04 MST"))
	}
	t.BreakUntil, t.ComeBackDue = time.Time{}, false
	return nil
}

// end ends the talk whichever way; what is kept is decided by Kept.
func (t *GuidedTalk) end() {
	if t.Kept() && t.Outcome == "" {
		t.Outcome = OutcomeNothing
	}
	t.Stage, t.BreakUntil, t.ComeBackDue = TalkEnded, time.Time{}, false
}

// String names the talk in logs and errors.
func (t GuidedTalk) String() string { return fmt.Sprintf("talk %d", t.ID) }
