package bot

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"mend/bot/discordtest"
	"mend/conversations"
)

// dueToday stores a commitment of u's that falls due today in the couple's zone.
func dueToday(t *testing.T, h *harness, c conversations.Couple, ownerID, text string) {
	t.Helper()
	today := h.clock.Now().In(c.Location()).Format(conversations.DateLayout)
	cm := conversations.Commitment{CoupleID: c.ID, OwnerID: ownerID, Text: text, DueOn: today, Status: conversations.CommitmentOpen, CreatedAt: h.clock.Now()}
	if err := h.db.Commitments.AddCommitment(h.ctx, &cm); err != nil {
		t.Fatal(err)
	}
}

func TestADueCommitmentIsANoteToSelfByDirectMessageOrInTheChannelWhenDMsAreClosed(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(o *discordtest.Options, c *Config) { c.RemindByDM = true })
	ch := h.couple()
	c := mustCouple(t, h, ch)
	dueToday(t, h, c, alice.ID, "Call my sister")
	dueToday(t, h, c, bob.ID, "Book the counsellor")
	h.srv.CloseDMs(bob.ID) // bob accepts no direct messages from bots
	if report, err := h.app.Schedules.RunDue(h.ctx); err != nil || report.DueReminders != 2 {
		t.Fatalf("RunDue reminded of %d commitments (%v), want 2", report.DueReminders, err)
	}
	mustFlush(t, h, 2)

	want := "A note for today: you planned “Call my sister”. However it goes, you can talk about it at your next check-in."
	if dms := h.srv.DMs(alice.ID); len(dms) != 1 || dms[0] != want {
		t.Errorf("alice's direct messages: %q, want only %q", dms, want)
	}
	channel := channelText(h, ch)
	if strings.Contains(channel, "Call my sister") {
		t.Errorf("alice's note, sent to her alone, is in the channel too:\n%s", channel)
	}
	mustContain(t, "the channel", channel,
		"<@"+bob.ID+">, a note for today: you planned “Book the counsellor”. However it goes, you can talk about it at your next check-in.")
}

func TestADueCommitmentIsMentionedInTheChannelUnlessRemindersGoByDM(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	c := mustCouple(t, h, ch)
	dueToday(t, h, c, alice.ID, "Call my sister")
	if report, err := h.app.Schedules.RunDue(h.ctx); err != nil || report.DueReminders != 1 {
		t.Fatalf("RunDue reminded of %d commitments (%v), want 1", report.DueReminders, err)
	}
	mustFlush(t, h, 1)
	if dms := h.srv.DMs(alice.ID); len(dms) != 0 {
		t.Errorf("alice got direct messages %q; reminders go by mention", dms)
	}
	mustContain(t, "the channel", channelText(h, ch), "<@"+alice.ID+">, a note for today: you planned “Call my sister”.")
}

// answerWith answers every step of a partner's check-in through the service:
// with what answer returns, or a skip when it returns nil.
func answerWith(t *testing.T, h *harness, checkInID int64, u *discordgo.User, answer func(conversations.Item) *conversations.AnswerInput) {
	t.Helper()
	by := h.as(checkInID, u.ID)
	step, err := h.app.Turns.Begin(h.ctx, by, checkInID)
	for err == nil && !step.Done {
		if in := answer(step.Item); in != nil {
			step, err = h.app.Turns.Answer(h.ctx, by, checkInID, step.Item.Key(), *in)
		} else {
			step, err = h.app.Turns.Skip(h.ctx, by, checkInID, step.Item.Key())
		}
	}
	if err == nil {
		// Everything answered: the partner sends, as after rereading.
		_, err = h.app.Turns.Send(h.ctx, by, checkInID)
	}
	if err != nil {
		t.Fatalf("%s answers check-in %d: %v", u.Username, checkInID, err)
	}
}

// repairFixture is a revealed rebuilding-trust check-in in which alice took
// responsibility for something and the two saw alice's promise differently.
type repairFixture struct {
	*harness
	ch         string
	checkIn    int64
	commitment int64
	thank      string // alice's "Thank you for owning this" button
	talk       string // the "We talked about it" button of alice's promise
}

func revealWithRepairs(t *testing.T) *repairFixture {
	t.Helper()
	h := newHarness(t)
	f := &repairFixture{harness: h, ch: h.couple()}
	f.commitment = addCommitment(t, h, f.ch, alice, "Home by 7 pm on weekdays")
	ci, err := h.app.CheckIns.Open(h.ctx, h.byFirst(mustCouple(t, h, f.ch).ID), conversations.RebuildingTrustID)
	if err != nil {
		t.Fatal(err)
	}
	f.checkIn = ci.ID
	answers := func(verdict conversations.Verdict, owned string) func(conversations.Item) *conversations.AnswerInput {
		return func(it conversations.Item) *conversations.AnswerInput {
			switch it.Prompt.Kind {
			case conversations.KindScale:
				return &conversations.AnswerInput{Scale: 3}
			case conversations.KindCommitmentReview:
				return &conversations.AnswerInput{Verdict: verdict}
			case conversations.KindNewCommitment:
				return nil
			}
			switch {
			case it.Prompt.ID == "responsibility" && owned != "":
				return &conversations.AnswerInput{Text: owned}
			case it.Prompt.Optional:
				return nil
			}
			return &conversations.AnswerInput{Text: "A few words"}
		}
	}
	answerWith(t, h, ci.ID, alice, answers(conversations.VerdictKept, "I did not call when I was late"))
	answerWith(t, h, ci.ID, bob, answers(conversations.VerdictNotThisWeek, ""))
	if _, err := h.bot.FlushOutbox(h.ctx); err != nil {
		t.Fatal(err)
	}
	f.thank = customID{Action: actThank, ID: ci.ID, Prompt: "responsibility", Number: 0}.String()
	f.talk = customID{Action: actTalk, ID: ci.ID, Prompt: "commitment-review", Subject: f.commitment}.String()
	for _, id := range []string{f.thank, f.talk} {
		if f.messageWith(id) == nil {
			t.Fatalf("no reveal message offers %s:\n%s", id, channelText(h, f.ch))
		}
	}
	return f
}

// messageWith is the channel message that carries the button with this ID.
func (f *repairFixture) messageWith(id string) *discordgo.Message {
	for _, m := range f.srv.Messages(f.ch) {
		if _, ok := button(m.Components, id); ok {
			return m
		}
	}
	return nil
}

func (f *repairFixture) pressOn(u *discordgo.User, id string) *discordtest.Response {
	f.t.Helper()
	return f.press(u, f.ch, f.messageWith(id).ID, id)
}

func TestOnlyThePartnerCanThankForOwningSomethingAndOnceIsRecorded(t *testing.T) {
	t.Parallel()
	f := revealWithRepairs(t)
	mustContain(t, "the thank-you's button", buttonLabel(f.messageWith(f.thank).Components, f.thank), "Thank you for owning this, Alice")

	r := f.pressOn(alice, f.thank)
	if !isEphemeral(r) || !strings.Contains(text(r.Data), "Only Bob can thank you for owning this.") {
		t.Errorf("alice thanking herself: %v %s", r.Type, text(r.Data))
	}
	if r := f.pressOn(carol, f.thank); !isEphemeral(r) || r.Type == discordgo.InteractionResponseUpdateMessage {
		t.Errorf("carol, a stranger, pressing thank: %v %s", r.Type, text(r.Data))
	}
	if n := countRows(t, f.harness, `SELECT COUNT(*) FROM acknowledgements`); n != 0 {
		t.Fatalf("%d acknowledgements after refused presses, want none", n)
	}

	for range 2 { // twice changes nothing
		r = f.pressOn(bob, f.thank)
		if r.Type != discordgo.InteractionResponseUpdateMessage {
			t.Fatalf("bob pressing thank: %v %s", r.Type, text(r.Data))
		}
		b, _ := button(r.Data.Components, f.thank)
		if !b.Disabled || b.Label != "Bob thanked you for owning this, Alice" {
			t.Errorf("after bob's thanks the button is %q (disabled %v)", b.Label, b.Disabled)
		}
	}
	if n := countRows(t, f.harness, `SELECT COUNT(*) FROM acknowledgements WHERE prompt_id = 'responsibility' AND kind = 'thanked' AND by_user_id = ?`, bob.ID); n != 1 {
		t.Errorf("%d thank-yous from bob recorded, want 1", n)
	}
	// The channel's copy of the message shows it too, for alice to see.
	f.waitFor("the reveal to show bob's thanks", func() bool {
		b, _ := button(f.messageWith(f.thank).Components, f.thank)
		return b.Disabled
	})
	mustContain(t, "the reveal", messageText(f.messageWith(f.thank)), "It does not ask for forgiveness")
}

func TestEitherPartnerCanMarkAPromiseSeenDifferentlyAsTalkedAboutAndProgressNeverCountsIt(t *testing.T) {
	t.Parallel()
	f := revealWithRepairs(t)
	if r := f.pressOn(carol, f.talk); !isEphemeral(r) || r.Type == discordgo.InteractionResponseUpdateMessage {
		t.Errorf("carol, a stranger, pressing talk: %v %s", r.Type, text(r.Data))
	}
	// A review they saw alike cannot be marked: there is no button for one,
	// and a forged one is refused.
	forged := customID{Action: actTalk, ID: f.checkIn, Prompt: "trust"}.String()
	if r := f.press(alice, f.ch, f.messageWith(f.talk).ID, forged); !isEphemeral(r) || !strings.Contains(text(r.Data), "Only a review you saw differently") {
		t.Errorf("a forged talk button: %v %s", r.Type, text(r.Data))
	}

	r := f.pressOn(alice, f.talk)
	if r.Type != discordgo.InteractionResponseUpdateMessage {
		t.Fatalf("alice pressing We talked about it: %v %s", r.Type, text(r.Data))
	}
	if b, _ := button(r.Data.Components, f.talk); !b.Disabled || b.Label != "You talked about it" {
		t.Errorf("after alice's press the button is %q (disabled %v)", b.Label, b.Disabled)
	}
	mustContain(t, "the reveal", text(r.Data), "You see this one differently: That is worth a gentle conversation, not a verdict. You have talked about it.")
	f.pressOn(bob, f.talk) // bob presses too: it was marked once
	if n := countRows(t, f.harness, `SELECT COUNT(*) FROM talks`); n != 1 {
		t.Errorf("%d talks recorded, want 1", n)
	}

	// Alice's one promise: she felt it was kept, bob that it was not kept
	// this week. The reveal marks it; progress never counts the differences.
	f.slash(bob, f.ch, "progress")
	progress := messageText(deferredReply(t, f.harness, f.lastToken()))
	mustContain(t, "/progress", progress, "Alice's promises: Alice felt 1 of 1 was kept; Bob felt 0 of 1.")
	if strings.Contains(progress, "differently") {
		t.Errorf("/progress counts what was seen differently: %s", progress)
	}
}
