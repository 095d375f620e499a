package bot

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// waitForPostedAgain waits for the talk's message posted again, at its
// appreciations, and makes it the talk's message of the fixture.
func (f *talkFixture) waitForPostedAgain() {
	f.t.Helper()
	f.talk = ""
	f.waitFor("the talk's message posted again", func() bool {
		for _, m := range f.srv.Messages(f.ch) {
			if offersAction(m.Components, actTalkRead) {
				f.talk = m.ID
			}
		}
		return f.talk != ""
	})
}

// endsByItself lets a day pass: the scheduler ends the talk, and the edit
// that says so is sent.
func (f *talkFixture) endsByItself() {
	f.t.Helper()
	f.clock.Advance(conversations.DefaultTalkExpiry + time.Minute)
	if report, err := f.app.Schedules.RunDue(f.ctx); err != nil || report.TalksEnded != 1 {
		f.t.Fatalf("RunDue ended %d talks (%v), want 1", report.TalksEnded, err)
	}
	if _, err := f.bot.FlushOutbox(f.ctx); err != nil {
		f.t.Fatal(err)
	}
}

// A talk whose message was deleted could neither go on nor be stopped, and
// /talk said its message was above: /talk posts it again, where it was.
func TestATalkWhoseMessageIsGoneIsPostedAgainByTalk(t *testing.T) {
	t.Parallel()
	f := joinedTalk(t)
	f.step(alice, actTalkRead)
	old := f.talk
	if !f.srv.DeleteMessage(old) {
		t.Fatal("the talk's message was not there to delete")
	}

	r := f.slash(bob, f.ch, "talk")
	if !isEphemeral(r) {
		t.Errorf("/talk answered in public: %s", text(r.Data))
	}
	mustContain(t, "/talk with the message gone", text(r.Data), "A talk is already open, and its message is no longer in this channel, so Mend posts it again below. It goes on where you left it")
	f.waitForPostedAgain()
	if f.talk == old {
		t.Fatal("the deleted message is still the talk's")
	}
	mustContain(t, "the talk posted again", messageText(f.message()), "Appreciations first", "Pressed so far: Alice.")
	f.waitFor("the new message recorded as the talk's", func() bool {
		return countRows(t, f.harness, `SELECT COUNT(*) FROM guided_talks WHERE message_id = ?`, f.talk) == 1
	})
	mustContain(t, "the talk, going on", f.step(bob, actTalkRead), "One topic")

	// With the message there, /talk points to it and posts nothing.
	messages := len(f.srv.Messages(f.ch))
	mustContain(t, "/talk with the message there", text(f.slash(alice, f.ch, "talk").Data), "A talk is already open in this channel; its message is above.")
	if _, err := f.bot.FlushOutbox(f.ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(f.srv.Messages(f.ch)); n != messages {
		t.Errorf("/talk with the talk's message there posted %d messages", n-messages)
	}
	if n := countRows(t, f.harness, `SELECT COUNT(*) FROM guided_talks WHERE stage = ?`, string(conversations.TalkChoosing)); n != 1 {
		t.Errorf("%d talks at the topic step, want 1", n)
	}
	// Asked twice before it is sent, the talk is posted again once.
	c := mustCouple(t, f.harness, f.ch)
	for range 2 {
		if _, _, err := conversations.RepostTalk(f.ctx, f.app.Talks, f.actor(c.ID, alice.ID), f.talkID(), f.talk); err != nil {
			t.Fatal(err)
		}
	}
	if n := countRows(t, f.harness, `SELECT COUNT(*) FROM posts WHERE kind = 'talk' AND status = 'pending'`); n != 1 {
		t.Errorf("%d posts of the talk queued, want 1", n)
	}
	if strings.Contains(f.logs.String(), "level=ERROR") {
		t.Errorf("errors logged:\n%s", f.logs.String())
	}
}

// A talk that ends by itself after its message was deleted has nothing to
// edit: that is no failure to log as an error, nor to retry.
func TestATalkEndingAfterItsMessageWasDeletedEndsQuietly(t *testing.T) {
	t.Parallel()
	f := joinedTalk(t)
	f.srv.DeleteMessage(f.talk)
	f.endsByItself()
	if n := countRows(t, f.harness, `SELECT COUNT(*) FROM posts WHERE kind = 'talk-ended' AND status = 'sent'`); n != 1 {
		t.Errorf("%d edits of the ended talk recorded as done, want 1", n)
	}
	if logs := f.logs.String(); strings.Contains(logs, "level=ERROR") || strings.Contains(logs, "level=WARN") {
		t.Errorf("the end of a talk whose message was deleted was logged as a failure:\n%s", logs)
	}
}

// Two partners pressing at once can leave the message showing the older
// answer. A press from a step the talk has left then brings the message to
// where the talk is, tells the one who pressed why, privately, and changes
// nothing of the talk.
func TestAPressFromAStepTheTalkLeftShowsWhereTheTalkIs(t *testing.T) {
	t.Parallel()
	f := joinedTalk(t)
	f.step(alice, actTalkRead)
	f.step(bob, actTalkRead)
	version := countRows(t, f.harness, `SELECT version FROM guided_talks`)

	for _, stale := range []string{actTalkRead, actTalkPromise, actTalkNotNow} {
		r := f.press(bob, f.ch, f.talk, f.id(stale))
		if r.Type != discordgo.InteractionResponseUpdateMessage {
			t.Fatalf("a press of %s at the topic step answered %v: %s", stale, r.Type, text(r.Data))
		}
		mustContain(t, "the message after a press of "+stale, text(r.Data), "One topic", "["+f.id(actTalkTopic)+"]")
		token := f.lastToken()
		var notes []*discordgo.Message
		f.waitFor("the note on a press of "+stale, func() bool {
			notes = f.srv.Followups(token)
			return len(notes) > 0
		})
		if len(notes) != 1 || notes[0].Flags&discordgo.MessageFlagsEphemeral == 0 {
			t.Fatalf("a press of %s was told %d things (%+v), want one, privately", stale, len(notes), notes)
		}
		mustContain(t, "the note on a press of "+stale, notes[0].Content, "The talk has moved on from that step; its message shows where you are now.")
	}
	if got := countRows(t, f.harness, `SELECT version FROM guided_talks`); got != version {
		t.Errorf("presses from a step the talk left changed its version from %d to %d", version, got)
	}

	// The prompts of a turn, pressed once the talk went on to its closing.
	prompts := customID{Action: actTalkPrompts, ID: f.talkID(), Number: 1}.String()
	f.step(bob, actTalkTopic, "hurt/hurt/0/"+alice.ID)
	f.step(alice, actTalkHeard)
	f.step(bob, actTalkSwap)
	f.step(bob, actTalkHeard)
	f.step(alice, actTalkClosing)
	r := f.press(bob, f.ch, f.talk, prompts)
	if r.Type != discordgo.InteractionResponseUpdateMessage {
		t.Fatalf("the listener's prompts at the closing answered %v: %s", r.Type, text(r.Data))
	}
	mustContain(t, "the message after a press of the prompts", text(r.Data), "One small thing")
}

// A channel deleted mid-talk takes the talk's message with it. The channel
// made again gets the talk's message, as it gets the reveal, and the one
// "Ready to come back?" links to it; the talk goes on there, and its end
// after a day edits that message, quietly.
func TestATalkGoesOnInAChannelMadeAgain(t *testing.T) {
	t.Parallel()
	f := joinedTalk(t)
	c := mustCouple(t, f.harness, f.ch)
	f.step(alice, actTalkPause)
	f.srv.DeleteChannel(f.ch, true)
	f.waitFor("the couple marked as without a channel", func() bool {
		got, err := f.db.Couples.Couple(f.ctx, c.ID)
		return err == nil && got.ChannelMissing()
	})
	f.clock.Advance(conversations.DefaultTalkBreak + time.Minute)
	if report, err := f.app.Schedules.RunDue(f.ctx); err != nil || report.ComeBacks != 1 {
		t.Fatalf("RunDue asked %d times whether they are ready (%v), want 1", report.ComeBacks, err)
	}
	f.ch = remakeAfterLoss(t, f.harness, c)
	f.waitForPostedAgain()
	var comeBack string
	f.waitFor("the come-back in the channel made again", func() bool {
		for _, m := range f.srv.Messages(f.ch) {
			if strings.HasPrefix(m.Content, conversations.TalkComeBack) {
				comeBack = m.Content
			}
		}
		return comeBack != ""
	})
	mustContain(t, "the come-back", comeBack, "Your talk: "+WebURL+"/channels/"+testGuild+"/"+f.ch+"/"+f.talk)
	mustContain(t, "/talk in the channel made again", text(f.slash(bob, f.ch, "talk").Data), "A talk is already open in this channel; its message is above.")
	mustContain(t, "the talk, going on", f.step(alice, actTalkRead), "Pressed so far: Alice.")

	f.endsByItself()
	f.waitFor("the talk's message to say it ended", func() bool {
		return strings.Contains(messageText(f.message()), conversations.TalkExpired)
	})
	if logs := f.logs.String(); strings.Contains(logs, "level=ERROR") {
		t.Errorf("errors logged:\n%s", logs)
	}
}

// The README promises that a promise seen differently, once talked through
// in a guided talk, is marked "You talked about it" on the reveal, as a
// press of "We talked about it" would mark it.
func TestAReviewTalkedThroughInATalkIsMarkedOnTheReveal(t *testing.T) {
	t.Parallel()
	rf := revealWithRepairs(t)
	talkThroughReview(t, rf, rf.commitment)
}

// The same on a later page of a long reveal: ten promises reviewed the same
// fill its first page, and the one seen differently comes after.
func TestAReviewTalkedThroughInATalkIsMarkedOnALaterPageOfTheReveal(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	rf := &repairFixture{harness: h, ch: h.couple()}
	for i := range 12 {
		u := []*discordgo.User{alice, bob}[i%2]
		rf.commitment = addCommitment(t, h, rf.ch, u, fmt.Sprintf("Promise number %d", i+1))
	}
	ci, err := h.app.CheckIns.Open(h.ctx, h.byFirst(mustCouple(t, h, rf.ch).ID), conversations.RebuildingTrustID)
	if err != nil {
		t.Fatal(err)
	}
	rf.checkIn = ci.ID
	answers := func(last conversations.Verdict) func(conversations.Item) *conversations.AnswerInput {
		return func(it conversations.Item) *conversations.AnswerInput {
			switch {
			case it.Prompt.Kind == conversations.KindScale:
				return &conversations.AnswerInput{Scale: 3}
			case it.Prompt.Kind == conversations.KindCommitmentReview && it.Subject.ID == rf.commitment:
				return &conversations.AnswerInput{Verdict: last}
			case it.Prompt.Kind == conversations.KindCommitmentReview:
				return &conversations.AnswerInput{Verdict: conversations.VerdictKept}
			case it.Prompt.Optional || it.Prompt.Kind == conversations.KindNewCommitment:
				return nil
			}
			return &conversations.AnswerInput{Text: "A few words"}
		}
	}
	answerWith(t, h, ci.ID, alice, answers(conversations.VerdictKept))
	answerWith(t, h, ci.ID, bob, answers(conversations.VerdictNotThisWeek))
	if _, err := h.bot.FlushOutbox(h.ctx); err != nil {
		t.Fatal(err)
	}
	rf.talk = customID{Action: actTalk, ID: ci.ID, Prompt: "commitment-review", Subject: rf.commitment}.String()
	page := rf.messageWith(rf.talk)
	if page == nil || page.ID == h.storedCheckIn(ci.ID).RevealPostID {
		t.Fatalf("the promise seen differently is not on a later page of the reveal:\n%s", channelText(h, rf.ch))
	}
	talkThroughReview(t, rf, rf.commitment)
}

// talkThroughReview has a talk about the review of commitment in rf's
// reveal reach its closing, and waits for the reveal to mark it.
func talkThroughReview(t *testing.T, rf *repairFixture, commitment int64) {
	t.Helper()
	f := &talkFixture{harness: rf.harness, test: t, ch: rf.ch, checkIn: rf.checkIn, start: customID{Action: actTalkStart, ID: rf.checkIn}.String()}
	f.reveal = rf.messageWith(f.start)
	if f.reveal == nil {
		t.Fatalf("no reveal page offers a talk:\n%s", channelText(f.harness, f.ch))
	}
	if b, _ := button(rf.messageWith(rf.talk).Components, rf.talk); b.Label != "We talked about it" || b.Disabled {
		t.Fatalf("before the talk the reveal's button is %q (disabled %v)", b.Label, b.Disabled)
	}
	f.ask(alice)
	f.step(bob, actTalkJoin)
	f.step(alice, actTalkRead)
	f.step(bob, actTalkRead)
	topic := fmt.Sprintf("review/commitment-review/%d/", commitment)
	mustContain(t, "the turns", f.step(bob, actTalkTopic, topic), "**Bob speaks**")
	f.step(bob, actTalkHeard)
	f.step(alice, actTalkSwap)
	f.step(alice, actTalkHeard)
	mustContain(t, "the closing", f.step(bob, actTalkClosing), "One small thing")

	f.waitFor("the reveal to mark the promise talked about", func() bool {
		b, ok := button(rf.messageWith(rf.talk).Components, rf.talk)
		return ok && b.Label == "You talked about it" && b.Disabled
	})
	if strings.Contains(f.logs.String(), "level=ERROR") || strings.Contains(f.logs.String(), "level=WARN") {
		t.Errorf("failures logged:\n%s", f.logs.String())
	}
}

// Nothing a partner wrote reaches the log through a talk: not the
// appreciations and topics it quotes, nor a promise refused and then made.
func TestATalkLogsNoWords(t *testing.T) {
	t.Parallel()
	f := revealForTalk(t, true)
	f.ask(alice)
	f.toClosing()
	opened := f.on(bob, actTalkPromise)
	const promise = "I'll plan our Saturday walk by the river"
	f.submit(bob, f.ch, f.talk, opened.Data.CustomID, map[string]string{"text": promise, "due": "someday"})
	f.submit(bob, f.ch, f.talk, opened.Data.CustomID, map[string]string{"text": promise, "due": ""})
	if n := countRows(t, f.harness, `SELECT COUNT(*) FROM guided_talks WHERE outcome = 'commitment'`); n != 1 {
		t.Fatalf("%d talks ended with a promise, want 1", n)
	}
	logs := f.logs.String()
	for _, words := range []string{aliceThanks, bobThanks, aliceHurt, bobNeed, promise, "Saturday walk"} {
		if strings.Contains(logs, words) {
			t.Errorf("the log holds %q:\n%s", words, logs)
		}
	}
	mustContain(t, "the log", logs, "talk ended", "outcome=commitment")
}

// A "Ready to come back?" queued for a talk that ends before it is sent is
// not sent, and neither is anything into the channel of a couple that left
// mid-talk, when its talk's time runs out.
func TestNoComeBackForATalkThatEndedOrACoupleThatLeft(t *testing.T) {
	t.Parallel()
	f := joinedTalk(t)
	f.step(alice, actTalkPause)
	f.clock.Advance(conversations.DefaultTalkBreak + time.Minute)
	if report, err := f.app.Schedules.RunDue(f.ctx); err != nil || report.ComeBacks != 1 {
		t.Fatalf("RunDue asked %d times whether they are ready (%v), want 1", report.ComeBacks, err)
	}
	messages := len(f.srv.Messages(f.ch))
	mustContain(t, "the stop", f.step(bob, actTalkStop), conversations.TalkStopped)
	mustFlush(t, f.harness, 0)
	if n := len(f.srv.Messages(f.ch)); n != messages {
		t.Errorf("%d messages after the talk ended, want none:\n%s", n-messages, channelText(f.harness, f.ch))
	}

	// A new talk, paused; then alice leaves.
	f.talk = ""
	f.ask(bob)
	f.step(alice, actTalkJoin)
	f.step(alice, actTalkPause)
	confirm := f.slash(alice, f.ch, "couple", sub("leave"))
	f.press(alice, f.ch, "", f.idWith(confirm.Data.Components, actLeave))
	f.waitFor("the notice that alice left", func() bool {
		return strings.Contains(channelText(f.harness, f.ch), "Alice has left Mend")
	})
	messages = len(f.srv.Messages(f.ch))
	f.clock.Advance(conversations.DefaultTalkBreak + time.Minute)
	if _, err := f.app.Schedules.RunDue(f.ctx); err != nil {
		t.Fatal(err)
	}
	mustFlush(t, f.harness, 0)
	f.endsByItself()
	if n := len(f.srv.Messages(f.ch)); n != messages {
		t.Errorf("%d messages after alice left, want none:\n%s", n-messages, channelText(f.harness, f.ch))
	}
	if n := countRows(t, f.harness, `SELECT COUNT(*) FROM posts WHERE status <> 'sent'`); n != 0 {
		t.Errorf("%d posts left waiting or given up, want none", n)
	}
	if logs := f.logs.String(); strings.Contains(logs, "level=ERROR") || strings.Contains(logs, "level=WARN") {
		t.Errorf("failures logged:\n%s", logs)
	}
}

// A channel deleted while Mend was away is first noticed, here, by the
// edit that says a talk ended: the couple is told and paused, as when any
// other post finds the channel gone.
func TestATalkEndingInAChannelDeletedWhileMendWasAwayMarksItMissing(t *testing.T) {
	t.Parallel()
	f := joinedTalk(t)
	c := mustCouple(t, f.harness, f.ch)
	f.srv.DeleteChannel(f.ch, false)
	f.endsByItself()
	f.waitFor("the couple marked as without a channel", func() bool {
		got, err := f.db.Couples.Couple(f.ctx, c.ID)
		return err == nil && got.ChannelMissing()
	})
	for _, u := range []*discordgo.User{alice, bob} {
		mustContain(t, u.Username+"'s direct messages", strings.Join(f.srv.DMs(u.ID), "\n"), "was deleted")
	}
}
