package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

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
	f.talk = ""
	f.waitFor("the talk's message posted again", func() bool {
		for _, m := range f.srv.Messages(f.ch) {
			if offersAction(m.Components, actTalkRead) {
				f.talk = m.ID
			}
		}
		return f.talk != ""
	})
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
		if _, err := conversations.RepostTalk(f.ctx, f.app.Talks, f.actor(c.ID, alice.ID), f.talkID()); err != nil {
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
	f.clock.Advance(conversations.DefaultTalkExpiry + time.Minute)
	if report, err := f.app.Schedules.RunDue(f.ctx); err != nil || report.TalksEnded != 1 {
		t.Fatalf("RunDue ended %d talks (%v), want 1", report.TalksEnded, err)
	}
	if _, err := f.bot.FlushOutbox(f.ctx); err != nil {
		t.Fatal(err)
	}
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

// A channel deleted mid-talk takes the talk's message with it. In the
// channel made again, /talk posts the talk there, and it goes on; its end
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

	r := f.slash(bob, f.ch, "talk")
	mustContain(t, "/talk in the channel made again", text(r.Data), "so Mend posts it again below")
	f.talk = ""
	f.waitFor("the talk's message in the channel made again", func() bool {
		for _, m := range f.srv.Messages(f.ch) {
			if offersAction(m.Components, actTalkRead) {
				f.talk = m.ID
			}
		}
		return f.talk != ""
	})
	mustContain(t, "the talk, going on", f.step(alice, actTalkRead), "Pressed so far: Alice.")

	f.clock.Advance(conversations.DefaultTalkExpiry)
	if report, err := f.app.Schedules.RunDue(f.ctx); err != nil || report.TalksEnded != 1 {
		t.Fatalf("RunDue ended %d talks (%v), want 1", report.TalksEnded, err)
	}
	if _, err := f.bot.FlushOutbox(f.ctx); err != nil {
		t.Fatal(err)
	}
	f.waitFor("the talk's message to say it ended", func() bool {
		return strings.Contains(messageText(f.message()), conversations.TalkExpired)
	})
	if logs := f.logs.String(); strings.Contains(logs, "level=ERROR") {
		t.Errorf("errors logged:\n%s", logs)
	}
}
