package conversations_test

import (
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"mend/conversations"
)

// talkWorld is alice and bob after a revealed check-in that raised two
// hurts and needs and a promise and an agreement seen differently, with the
// IDs of what was reviewed.
type talkWorld struct {
	*fixture
	couple                conversations.Couple
	checkIn               conversations.CheckIn
	commitment, agreement int64
}

func newTalkWorld(t *testing.T) *talkWorld {
	t.Helper()
	f := newFixture(t)
	c := f.couple()
	agreement := f.addAgreement(c.ID, alice, "We are open about money")
	commitment, err := f.app.Commitments.Add(f.ctx, f.actor(c.ID, bob), "Home by 7 pm on weekdays", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.Boundaries.Set(f.ctx, f.actor(c.ID, bob), 0, "I need an evening alone each week"); err != nil {
		t.Fatal(err)
	}
	ci := f.open(c.ID, "")
	f.finish(ci.ID, alice, byPrompt(map[string]conversations.AnswerInput{
		"trust":             {Scale: 4},
		"appreciation":      {Text: "You cooked on Tuesday."},
		"commitment-review": {Verdict: conversations.VerdictKept},
		"agreement-review":  {Verdict: conversations.VerdictKept},
		"hurt":              {Text: "The late text on Friday worried me."},
		"need":              {Text: "A call when plans change."},
	}))
	f.finish(ci.ID, bob, byPrompt(map[string]conversations.AnswerInput{
		"trust":             {Scale: 2},
		"appreciation":      {Text: "You listened."},
		"commitment-review": {Verdict: conversations.VerdictNotThisWeek},
		"agreement-review":  {Verdict: conversations.VerdictPartly},
		"boundary-review":   {Text: "My evening alone was hard to ask for."},
		"responsibility":    {Text: "I was late and did not call."},
		"need":              {Text: "Patience while I learn this."},
	}))
	if got := f.storedCheckIn(ci.ID).Status; got != conversations.CheckInRevealed {
		t.Fatalf("the check-in is %s, want revealed", got)
	}
	return &talkWorld{fixture: f, couple: c, checkIn: f.storedCheckIn(ci.ID), commitment: commitment.ID, agreement: agreement.ID}
}

func (w *talkWorld) by(userID string) conversations.Actor { return w.actor(w.couple.ID, userID) }

// started is a talk alice asked for and bob joined.
func (w *talkWorld) started() conversations.TalkView {
	w.t.Helper()
	v, err := w.app.Talks.Start(w.ctx, w.by(alice), w.checkIn.ID)
	if err != nil {
		w.t.Fatalf("alice starts a talk: %v", err)
	}
	if v, err = w.app.Talks.Join(w.ctx, w.by(bob), v.Talk.ID); err != nil {
		w.t.Fatalf("bob joins: %v", err)
	}
	return v
}

// atTopic is a started talk whose appreciations both have read.
func (w *talkWorld) atTopic() conversations.TalkView {
	w.t.Helper()
	v := w.started()
	w.must(w.app.Talks.Read(w.ctx, w.by(alice), v.Talk.ID))
	return w.must(w.app.Talks.Read(w.ctx, w.by(bob), v.Talk.ID))
}

// inTurns is a talk about alice's hurt, alice speaking.
func (w *talkWorld) inTurns() conversations.TalkView {
	w.t.Helper()
	v := w.atTopic()
	return w.must(w.app.Talks.Choose(w.ctx, w.by(bob), v.Talk.ID, "hurt/hurt/0/alice"))
}

// atClosing is a talk about alice's hurt in which both spoke and felt heard.
func (w *talkWorld) atClosing() conversations.TalkView {
	w.t.Helper()
	v := w.inTurns()
	id := v.Talk.ID
	w.must(w.app.Talks.Heard(w.ctx, w.by(alice), id))
	w.must(w.app.Talks.Swap(w.ctx, w.by(bob), id))
	w.must(w.app.Talks.Heard(w.ctx, w.by(bob), id))
	return w.must(w.app.Talks.ToClosing(w.ctx, w.by(alice), id))
}

func (w *talkWorld) must(v conversations.TalkView, err error) conversations.TalkView {
	w.t.Helper()
	if err != nil {
		w.t.Fatalf("%v", err)
	}
	return v
}

func (w *talkWorld) stored(id int64) conversations.GuidedTalk {
	w.t.Helper()
	talk, err := w.db.Talks.GuidedTalk(w.ctx, id)
	if err != nil {
		w.t.Fatalf("load talk %d: %v", id, err)
	}
	return talk
}

func TestATalkGoesFromAppreciationsToOneTopicToTurnsToClosing(t *testing.T) {
	t.Parallel()
	w := newTalkWorld(t)
	v, err := w.app.Talks.Start(w.ctx, w.by(alice), w.checkIn.ID)
	if err != nil {
		t.Fatal(err)
	}
	id := v.Talk.ID
	if v.Talk.Stage != conversations.TalkAsked || v.Asked().UserID != bob || !v.Talk.ExpiresAt.Equal(start.Add(24*time.Hour)) {
		t.Fatalf("a new talk: stage %s, asked %s, expires %v; want asked, bob, a day later", v.Talk.Stage, v.Asked().UserID, v.Talk.ExpiresAt)
	}

	v = w.must(w.app.Talks.Join(w.ctx, w.by(bob), id))
	if v.Talk.Stage != conversations.TalkAppreciation || v.Appreciations != [2]string{"You cooked on Tuesday.", "You listened."} {
		t.Fatalf("after bob joins: stage %s, appreciations %q", v.Talk.Stage, v.Appreciations)
	}
	v = w.must(w.app.Talks.Read(w.ctx, w.by(bob), id))
	v = w.must(w.app.Talks.Read(w.ctx, w.by(bob), id)) // a second press changes nothing
	if v.Talk.Stage != conversations.TalkAppreciation || v.Talk.Read != [2]bool{false, true} {
		t.Fatalf("after bob read: stage %s, read %v; want appreciation until alice reads too", v.Talk.Stage, v.Talk.Read)
	}
	v = w.must(w.app.Talks.Read(w.ctx, w.by(alice), id))
	if v.Talk.Stage != conversations.TalkChoosing {
		t.Fatalf("after both read: stage %s, want topic", v.Talk.Stage)
	}

	// What the reveal raised, in the partners' own words: not the boundary
	// (bob's alone), not what they saw alike, not the responsibility taken.
	var topics []string
	for _, topic := range v.Topics {
		topics = append(topics, topic.Key()+" = "+topic.Describe(v.Couple))
	}
	want := []string{
		fmt.Sprintf("review/commitment-review/%d/ = Seen differently: “Home by 7 pm on weekdays”", w.commitment),
		fmt.Sprintf("review/agreement-review/%d/ = Seen differently: “We are open about money”", w.agreement),
		"hurt/hurt/0/alice = Alice's hurt or worry: “The late text on Friday worried me.”",
		"need/need/0/alice = What Alice needs: “A call when plans change.”",
		"need/need/0/bob = What Bob needs: “Patience while I learn this.”",
	}
	if got := strings.Join(topics, "\n"); got != strings.Join(want, "\n") {
		t.Fatalf("topics:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}

	// Bob picks alice's need: alice raised it, so she speaks first.
	v = w.must(w.app.Talks.Choose(w.ctx, w.by(bob), id, "need/need/0/alice"))
	if v.Talk.Stage != conversations.TalkTurns || v.Speaker().UserID != alice || v.Listener().UserID != bob || v.Topic.Words != "A call when plans change." {
		t.Fatalf("after the pick: stage %s, speaker %s, listener %s, topic %+v", v.Talk.Stage, v.Speaker().UserID, v.Listener().UserID, v.Topic)
	}
	_, err = w.app.Talks.ToClosing(w.ctx, w.by(alice), id)
	wantCode(t, "closing before anyone felt heard", err, conversations.EINVALID)
	_, err = w.app.Talks.Swap(w.ctx, w.by(bob), id)
	wantCode(t, "swapping before the speaker feels heard", err, conversations.EINVALID)
	_, err = w.app.Talks.Heard(w.ctx, w.by(bob), id)
	wantCode(t, "the listener saying they feel heard", err, conversations.EUNAUTHORIZED)
	if !strings.Contains(conversations.ErrorMessage(err), "Only Alice, who is speaking now, can say they feel heard.") {
		t.Errorf("the listener is told: %s", conversations.ErrorMessage(err))
	}
	w.must(w.app.Talks.Heard(w.ctx, w.by(alice), id))
	v = w.must(w.app.Talks.Swap(w.ctx, w.by(alice), id))
	if v.Speaker().UserID != bob || v.Talk.HeardNow {
		t.Fatalf("after the swap: speaker %s, heard now %v; want bob, not yet", v.Speaker().UserID, v.Talk.HeardNow)
	}
	_, err = w.app.Talks.ToClosing(w.ctx, w.by(alice), id)
	wantCode(t, "closing before bob felt heard", err, conversations.EINVALID)
	w.must(w.app.Talks.Heard(w.ctx, w.by(bob), id))
	w.clock.Advance(time.Hour)
	v = w.must(w.app.Talks.ToClosing(w.ctx, w.by(bob), id))
	if v.Talk.Stage != conversations.TalkClosing || !v.Talk.TalkedAt.Equal(start.Add(time.Hour)) {
		t.Fatalf("at closing: stage %s, talked at %v", v.Talk.Stage, v.Talk.TalkedAt)
	}
	v = w.must(w.app.Talks.FinishWithNothing(w.ctx, w.by(alice), id))
	if v.Talk.Open() || v.Talk.Outcome != conversations.OutcomeNothing {
		t.Fatalf("after the close: open %v, outcome %q", v.Talk.Open(), v.Talk.Outcome)
	}
	p, err := w.app.Records.Progress(w.ctx, w.by(bob), 4)
	if err != nil {
		t.Fatal(err)
	}
	if p.TalksHeld != 1 {
		t.Errorf("progress counts %d talks held, want 1", p.TalksHeld)
	}
}

func TestNothingStartsWithoutBothPartners(t *testing.T) {
	t.Parallel()
	w := newTalkWorld(t)
	v, err := w.app.Talks.Start(w.ctx, w.by(alice), 0) // the latest reveal
	if err != nil {
		t.Fatal(err)
	}
	if v.CheckIn.ID != w.checkIn.ID {
		t.Errorf("/talk is about check-in %d, want the latest reveal %d", v.CheckIn.ID, w.checkIn.ID)
	}
	_, err = w.app.Talks.Read(w.ctx, w.by(alice), v.Talk.ID)
	wantCode(t, "reading before bob joined", err, conversations.ECONFLICT)
	_, err = w.app.Talks.Join(w.ctx, w.by(alice), v.Talk.ID)
	wantCode(t, "alice joining her own talk", err, conversations.EINVALID)
	if msg := conversations.ErrorMessage(err); msg != "You asked for this talk; it starts when Bob says they're ready." {
		t.Errorf("alice is told: %s", msg)
	}
	_, err = w.app.Talks.Start(w.ctx, w.by(bob), 0)
	wantCode(t, "a second talk while one is open", err, conversations.ECONFLICT)
	if got := w.stored(v.Talk.ID).Stage; got != conversations.TalkAsked {
		t.Errorf("the talk is at %s, want still asked", got)
	}

	// Not now ends it kindly, and nothing of it is kept.
	v = w.must(w.app.Talks.NotNow(w.ctx, w.by(bob), v.Talk.ID))
	if v.Talk.Open() {
		t.Error("the talk is still open after Not now")
	}
	if _, err := w.db.Talks.GuidedTalk(w.ctx, v.Talk.ID); conversations.ErrorCode(err) != conversations.ENOTFOUND {
		t.Errorf("a talk ended by Not now is still stored: %v", err)
	}
	_, err = w.app.Talks.Join(w.ctx, w.by(bob), v.Talk.ID)
	wantCode(t, "joining after Not now", err, conversations.ENOTFOUND)
	if n := w.count(`SELECT COUNT(*) FROM guided_talks`); n != 0 {
		t.Errorf("%d talks stored, want 0", n)
	}
	// And a new one can start.
	if _, err := w.app.Talks.Start(w.ctx, w.by(bob), 0); err != nil {
		t.Errorf("a talk after Not now: %v", err)
	}
}

func TestATalkNeedsARevealToTalkAbout(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	_, err := f.app.Talks.Start(f.ctx, f.actor(c.ID, alice), 0)
	wantCode(t, "a talk with no reveal yet", err, conversations.ENOTFOUND)
	if msg := conversations.ErrorMessage(err); !strings.HasPrefix(msg, "There is no reveal to talk through yet.") {
		t.Errorf("told: %s", msg)
	}
	ci := f.open(c.ID, "")
	_, err = f.app.Talks.Start(f.ctx, f.actor(c.ID, alice), ci.ID)
	wantCode(t, "a talk about an open check-in", err, conversations.ECONFLICT)
	if n := f.count(`SELECT COUNT(*) FROM guided_talks`); n != 0 {
		t.Errorf("%d talks stored, want 0", n)
	}
}

func TestThePromptsOfARoleAnswerOnlyItsHolder(t *testing.T) {
	t.Parallel()
	w := newTalkWorld(t)
	v := w.inTurns() // alice speaks, bob listens
	id := v.Talk.ID
	if _, err := w.app.Talks.Prompts(w.ctx, w.by(alice), id, conversations.RoleSpeaker); err != nil {
		t.Errorf("the speaker's prompts to alice: %v", err)
	}
	if _, err := w.app.Talks.Prompts(w.ctx, w.by(bob), id, conversations.RoleListener); err != nil {
		t.Errorf("the listener's prompts to bob: %v", err)
	}
	_, err := w.app.Talks.Prompts(w.ctx, w.by(bob), id, conversations.RoleSpeaker)
	wantCode(t, "the speaker's prompts to bob", err, conversations.EUNAUTHORIZED)
	_, err = w.app.Talks.Prompts(w.ctx, w.by(alice), id, conversations.RoleListener)
	wantCode(t, "the listener's prompts to alice", err, conversations.EUNAUTHORIZED)
	if msg := conversations.ErrorMessage(err); msg != "These prompts are for Bob, who is listening now. Yours are under \"Prompts for the speaker\"." {
		t.Errorf("alice is told: %s", msg)
	}
}

func TestABreakPausesTheTalkAndAsksOnceToComeBack(t *testing.T) {
	t.Parallel()
	w := newTalkWorld(t)
	v := w.inTurns()
	id := v.Talk.ID
	v = w.must(w.app.Talks.Pause(w.ctx, w.by(bob), id))
	if !v.Talk.BreakUntil.Equal(start.Add(20 * time.Minute)) {
		t.Fatalf("the break runs until %v, want 20 minutes from now", v.Talk.BreakUntil)
	}
	_, err := w.app.Talks.Heard(w.ctx, w.by(alice), id)
	wantCode(t, "feeling heard during the break", err, conversations.ECONFLICT)
	_, err = w.app.Talks.Back(w.ctx, w.by(alice), id)
	wantCode(t, "coming back before the break ends", err, conversations.ECONFLICT)
	if msg := conversations.ErrorMessage(err); !strings.HasPrefix(msg, "The break runs until 10:20 CET.") {
		t.Errorf("alice is told: %s", msg)
	}
	if r := w.runDue(); r.ComeBacks != 0 {
		t.Errorf("%d come-backs during the break", r.ComeBacks)
	}

	w.clock.Advance(20 * time.Minute)
	if r := w.runDue(); r.ComeBacks != 1 {
		t.Errorf("%d come-backs when the break ended, want 1", r.ComeBacks)
	}
	if r := w.runDue(); r.ComeBacks != 0 {
		t.Errorf("%d more come-backs on the next pass, want 0", r.ComeBacks)
	}
	w.clock.Advance(3 * time.Hour)
	if r := w.runDue(); r.ComeBacks != 0 {
		t.Errorf("%d more come-backs hours later, want 0", r.ComeBacks)
	}
	if n := w.count(`SELECT COUNT(*) FROM posts WHERE kind = 'talk-come-back' AND talk_id = ?`, id); n != 1 {
		t.Errorf("%d Ready to come back? posts, want 1", n)
	}
	v = w.must(w.app.Talks.Back(w.ctx, w.by(alice), id))
	if v.Talk.Stage != conversations.TalkTurns || v.Speaker().UserID != alice || !v.Talk.BreakUntil.IsZero() {
		t.Fatalf("back: stage %s, speaker %s, break until %v; want the turns as they were, alice speaking", v.Talk.Stage, v.Speaker().UserID, v.Talk.BreakUntil)
	}
	w.must(w.app.Talks.Heard(w.ctx, w.by(alice), id))

	// Coming back as the break ends, before Mend asked, asks nothing after.
	w.must(w.app.Talks.Pause(w.ctx, w.by(alice), id))
	w.clock.Advance(20 * time.Minute)
	w.must(w.app.Talks.Back(w.ctx, w.by(bob), id))
	if r := w.runDue(); r.ComeBacks != 0 {
		t.Errorf("%d come-backs after they came back by themselves, want 0", r.ComeBacks)
	}
}

func TestATalkEndsByItselfAfterItsTimeQuietly(t *testing.T) {
	t.Parallel()
	w := newTalkWorld(t)
	v := w.started()
	id := v.Talk.ID
	if err := w.db.Talks.SetTalkMessage(w.ctx, id, "555"); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(24*time.Hour - time.Minute)
	if r := w.runDue(); r.TalksEnded != 0 {
		t.Fatalf("%d talks ended a minute early", r.TalksEnded)
	}
	w.clock.Advance(time.Minute)
	if r := w.runDue(); r.TalksEnded != 1 {
		t.Fatalf("%d talks ended after a day, want 1", r.TalksEnded)
	}
	if n := w.count(`SELECT COUNT(*) FROM guided_talks`); n != 0 {
		t.Errorf("%d talks stored after one ended before a topic, want 0", n)
	}
	// One edit of the talk's message; no new message calls anybody.
	if n := w.count(`SELECT COUNT(*) FROM posts WHERE kind = 'talk-ended' AND message_id = '555'`); n != 1 {
		t.Errorf("%d edits of the talk's message, want 1", n)
	}
	if n := w.count(`SELECT COUNT(*) FROM posts WHERE kind IN ('talk-come-back', 'reminder')`); n != 0 {
		t.Errorf("%d posts call the partners, want 0", n)
	}
	_, err := w.app.Talks.Read(w.ctx, w.by(alice), id)
	wantCode(t, "a press after the talk ended", err, conversations.ENOTFOUND)
}

func TestAPressOnATalkPastItsTimeEndsItAndSaysSo(t *testing.T) {
	t.Parallel()
	w := newTalkWorld(t)
	v := w.atClosing()
	w.clock.Advance(24 * time.Hour)
	_, err := w.app.Talks.FinishWithNothing(w.ctx, w.by(alice), v.Talk.ID)
	wantCode(t, "closing a talk past its time", err, conversations.ENOTFOUND)
	if msg := conversations.ErrorMessage(err); !strings.Contains(msg, "This talk ended by itself after 24 hours.") {
		t.Errorf("alice is told: %s", msg)
	}
	// It was talked through, so its topic is kept, with nothing tried.
	kept := w.stored(v.Talk.ID)
	if kept.Open() || kept.Outcome != conversations.OutcomeNothing || kept.Topic == nil || kept.Topic.Kind != conversations.TopicHurt {
		t.Errorf("kept: open %v, outcome %q, topic %+v", kept.Open(), kept.Outcome, kept.Topic)
	}
}

func TestAStrangerAndTheOtherCoupleChangeNothing(t *testing.T) {
	t.Parallel()
	w := newTalkWorld(t)
	other := w.otherCouple()
	v := w.inTurns()
	id := v.Talk.ID
	before := w.stored(id)

	stranger := conversations.Actor{UserID: mallory, GuildID: guild, ChannelID: channel}
	carolHere := w.actor(other.ID, carol) // in carol and dave's own channel
	for _, by := range []conversations.Actor{stranger, carolHere} {
		for what, press := range map[string]func() (conversations.TalkView, error){
			"heard": func() (conversations.TalkView, error) { return w.app.Talks.Heard(w.ctx, by, id) },
			"stop":  func() (conversations.TalkView, error) { return w.app.Talks.Stop(w.ctx, by, id) },
			"break": func() (conversations.TalkView, error) { return w.app.Talks.Pause(w.ctx, by, id) },
			"prompts": func() (conversations.TalkView, error) {
				return w.app.Talks.Prompts(w.ctx, by, id, conversations.RoleSpeaker)
			},
		} {
			_, err := press()
			wantCode(t, by.UserID+" pressing "+what, err, conversations.EUNAUTHORIZED)
		}
	}
	if after := w.stored(id); after.Version != before.Version || after.Stage != before.Stage || !after.BreakUntil.IsZero() {
		t.Errorf("the talk changed: version %d → %d, stage %s, break %v", before.Version, after.Version, after.Stage, after.BreakUntil)
	}
	_, err := w.app.Talks.Start(w.ctx, carolHere, w.checkIn.ID)
	wantCode(t, "carol starting a talk about alice and bob's check-in", err, conversations.EUNAUTHORIZED)
}

func TestOnlyTheTopicWhenAndHowAreKeptOfATalk(t *testing.T) {
	t.Parallel()
	w := newTalkWorld(t)
	v := w.atClosing()
	_, _, err := w.app.Talks.FinishWithCommitment(w.ctx, w.by(alice), v.Talk.ID, "   ", "")
	wantCode(t, "an empty promise", err, conversations.EINVALID)
	if got := w.stored(v.Talk.ID).Stage; got != conversations.TalkClosing {
		t.Fatalf("after a refused promise the talk is at %s, want still closing", got)
	}
	v, c, err := w.app.Talks.FinishWithCommitment(w.ctx, w.by(alice), v.Talk.ID, "I'll text when I'm running late", "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Text != "I'll text when I'm running late" || c.OwnerID != alice || c.Status != conversations.CommitmentOpen {
		t.Errorf("the commitment: %+v", c)
	}
	if v.Talk.Outcome != conversations.OutcomeCommitment {
		t.Errorf("the outcome is %q, want commitment", v.Talk.Outcome)
	}
	raw := w.rawTalk(v.Talk.ID)
	want := fmt.Sprintf("couple=%d checkin=%d stage=ended asked_by= started_at=<nil> expires_at=<nil> read=0,0 speaker=0 heard=0,0,0 break_until=<nil> come_back_due=0 message_id= topic=hurt,hurt,0,alice talked_at=2025-03-10T09:00:00.000Z outcome=commitment",
		w.couple.ID, w.checkIn.ID)
	if raw != want {
		t.Errorf("the stored talk:\n%s\nwant:\n%s", raw, want)
	}
}

// rawTalk is a talk's row as the file holds it.
func (w *talkWorld) rawTalk(id int64) string {
	w.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+w.path+"?mode=ro")
	if err != nil {
		w.t.Fatal(err)
	}
	defer db.Close()
	var couple, checkIn, speaker, r0, r1, hn, h0, h1, due, subject int64
	var stage, askedBy, messageID, kind, prompt, raisedBy, outcome string
	var startedAt, expiresAt, breakUntil, talkedAt any
	err = db.QueryRow(`SELECT couple_id, checkin_id, stage, asked_by, started_at, expires_at, read_0, read_1, speaker, heard_now, heard_0, heard_1,
		break_until, come_back_due, message_id, topic_kind, topic_prompt, topic_subject, topic_raised_by, talked_at, outcome FROM guided_talks WHERE id = ?`, id).
		Scan(&couple, &checkIn, &stage, &askedBy, &startedAt, &expiresAt, &r0, &r1, &speaker, &hn, &h0, &h1, &breakUntil, &due, &messageID, &kind, &prompt, &subject, &raisedBy, &talkedAt, &outcome)
	if err != nil {
		w.t.Fatalf("read talk %d: %v", id, err)
	}
	return fmt.Sprintf("couple=%d checkin=%d stage=%s asked_by=%s started_at=%v expires_at=%v read=%d,%d speaker=%d heard=%d,%d,%d break_until=%v come_back_due=%d message_id=%s topic=%s,%s,%d,%s talked_at=%s outcome=%s",
		couple, checkIn, stage, askedBy, startedAt, expiresAt, r0, r1, speaker, hn, h0, h1, breakUntil, due, messageID, kind, prompt, subject, raisedBy, talkedAt, outcome)
}

func TestStoppingBeforeTheTopicWasTalkedThroughKeepsNothing(t *testing.T) {
	t.Parallel()
	w := newTalkWorld(t)
	v := w.inTurns()
	w.must(w.app.Talks.Heard(w.ctx, w.by(alice), v.Talk.ID))
	v = w.must(w.app.Talks.Stop(w.ctx, w.by(bob), v.Talk.ID))
	if v.Talk.Open() {
		t.Fatal("the talk is open after Let's stop here")
	}
	if n := w.count(`SELECT COUNT(*) FROM guided_talks`); n != 0 {
		t.Errorf("%d talks stored after stopping mid-turn, want 0", n)
	}
	p, err := w.app.Records.Progress(w.ctx, w.by(bob), 4)
	if err != nil {
		t.Fatal(err)
	}
	if p.TalksHeld != 0 {
		t.Errorf("progress counts %d talks held, want 0", p.TalksHeld)
	}
}

func TestAReviewTalkedThroughIsMarkedTalkedAbout(t *testing.T) {
	t.Parallel()
	w := newTalkWorld(t)
	v := w.atTopic()
	id := v.Talk.ID
	// A review has no author: whoever picks it raised it, and speaks first.
	v = w.must(w.app.Talks.Choose(w.ctx, w.by(bob), id, fmt.Sprintf("review/commitment-review/%d/", w.commitment)))
	if v.Speaker().UserID != bob {
		t.Errorf("the speaker is %s, want bob, who picked it", v.Speaker().UserID)
	}
	w.must(w.app.Talks.Heard(w.ctx, w.by(bob), id))
	w.must(w.app.Talks.Swap(w.ctx, w.by(bob), id))
	w.must(w.app.Talks.Heard(w.ctx, w.by(alice), id))
	w.must(w.app.Talks.ToClosing(w.ctx, w.by(alice), id))
	r, err := w.app.CheckIns.Reveal(w.ctx, w.by(alice), w.checkIn.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !r.TalkedAbout(conversations.StepKey{PromptID: "commitment-review", SubjectID: w.commitment}) {
		t.Error("the promise talked through is not marked talked about on the reveal")
	}
	if r.TalkedAbout(conversations.StepKey{PromptID: "agreement-review", SubjectID: w.agreement}) {
		t.Error("the agreement nobody picked is marked talked about")
	}
}

func TestAnUnknownTopicIsRefusedAndChangesNothing(t *testing.T) {
	t.Parallel()
	w := newTalkWorld(t)
	v := w.atTopic()
	for _, key := range []string{"", "hurt/hurt/0/bob", "responsibility/responsibility/0/bob", "boundary-review/boundary-review/1/bob", strings.Repeat("x", 500)} {
		_, err := w.app.Talks.Choose(w.ctx, w.by(alice), v.Talk.ID, key)
		wantCode(t, fmt.Sprintf("topic %.20q", key), err, conversations.EINVALID)
	}
	if got := w.stored(v.Talk.ID).Stage; got != conversations.TalkChoosing {
		t.Errorf("the talk is at %s, want still choosing", got)
	}
}

func TestWithoutAppreciationsOrTopicsATalkStillHasItsShape(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, conversations.PulseID)
	f.finish(ci.ID, alice, plainly)
	f.finish(ci.ID, bob, plainly)
	v, err := f.app.Talks.Start(f.ctx, f.actor(c.ID, bob), 0)
	if err != nil {
		t.Fatal(err)
	}
	id := v.Talk.ID
	if _, err := f.app.Talks.Join(f.ctx, f.actor(c.ID, alice), id); err != nil {
		t.Fatal(err)
	}
	f.app.Talks.Read(f.ctx, f.actor(c.ID, alice), id)
	v, err = f.app.Talks.Read(f.ctx, f.actor(c.ID, bob), id)
	if err != nil {
		t.Fatal(err)
	}
	if v.Appreciations != [2]string{} {
		t.Errorf("appreciations %q, want none", v.Appreciations)
	}
	if len(v.Topics) != 1 || v.Topics[0].Key() != "aloud//0/" || v.Topics[0].Describe(v.Couple) != "Something on your minds that the check-in didn't ask about, named aloud" {
		t.Fatalf("topics %+v, want only the one named aloud", v.Topics)
	}
	v, err = f.app.Talks.Choose(f.ctx, f.actor(c.ID, alice), id, "aloud//0/")
	if err != nil {
		t.Fatal(err)
	}
	if v.Speaker().UserID != alice {
		t.Errorf("the speaker is %s, want alice, who named it", v.Speaker().UserID)
	}
}

func TestTwoPressesAtOnceBothCount(t *testing.T) {
	t.Parallel()
	w := newTalkWorld(t)
	v := w.started()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, who := range []string{alice, bob} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = w.app.Talks.Read(w.ctx, w.by(who), v.Talk.ID)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("press %d: %v", i, err)
		}
	}
	if got := w.stored(v.Talk.ID); got.Stage != conversations.TalkChoosing || got.Read != [2]bool{true, true} {
		t.Errorf("after both read at once: stage %s, read %v; want topic, both", got.Stage, got.Read)
	}
}

func TestATalkSurvivesARestartWhereItWas(t *testing.T) {
	t.Parallel()
	w := newTalkWorld(t)
	v := w.inTurns()
	w.must(w.app.Talks.Heard(w.ctx, w.by(alice), v.Talk.ID))
	w.restart()
	v, err := w.app.Talks.Open(w.ctx, w.by(bob))
	if err != nil {
		t.Fatal(err)
	}
	if v.Talk.Stage != conversations.TalkTurns || v.Speaker().UserID != alice || !v.Talk.HeardNow || v.Topic.Words != "The late text on Friday worried me." {
		t.Errorf("after a restart: stage %s, speaker %s, heard %v, topic %+v", v.Talk.Stage, v.Speaker().UserID, v.Talk.HeardNow, v.Topic)
	}
}

func TestAPressOnAnEndedTalkPointsToTheOneOpenNow(t *testing.T) {
	t.Parallel()
	w := newTalkWorld(t)
	old, err := w.app.Talks.Start(w.ctx, w.by(alice), 0)
	if err != nil {
		t.Fatal(err)
	}
	w.must(w.app.Talks.NotNow(w.ctx, w.by(bob), old.Talk.ID))
	_, err = w.app.Talks.Join(w.ctx, w.by(bob), old.Talk.ID)
	if msg := conversations.ErrorMessage(err); msg != "This talk has ended. Either of you can start another with /talk, whenever you are both ready." {
		t.Errorf("a press on the ended talk, none open: %s", msg)
	}
	if _, err := w.app.Talks.Start(w.ctx, w.by(bob), 0); err != nil {
		t.Fatal(err)
	}
	_, err = w.app.Talks.Join(w.ctx, w.by(bob), old.Talk.ID)
	wantCode(t, "a press on the ended talk", err, conversations.ENOTFOUND)
	if msg := conversations.ErrorMessage(err); msg != "This talk has ended. The talk you are having now is in a newer message in this channel." {
		t.Errorf("a press on the ended talk, another open: %s", msg)
	}
}
