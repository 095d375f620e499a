package bot

import (
	"strings"
	"testing"

	"mend/bot/discordtest"
	"mend/conversations"
)

// dueToday stores a commitment of u's that falls due today in the couple's zone.
func dueToday(t *testing.T, h *harness, c conversations.Couple, ownerID, text string) {
	t.Helper()
	today := h.clock.Now().In(c.Location()).Format(conversations.DateLayout)
	cm := conversations.Commitment{CoupleID: c.ID, OwnerID: ownerID, Text: text, DueOn: today, Status: conversations.CommitmentOpen, CreatedAt: h.clock.Now()}
	if err := h.db.AddCommitment(h.ctx, &cm); err != nil {
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
	if report, err := h.svc.RunDue(h.ctx); err != nil || report.DueReminders != 2 {
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
	if report, err := h.svc.RunDue(h.ctx); err != nil || report.DueReminders != 1 {
		t.Fatalf("RunDue reminded of %d commitments (%v), want 1", report.DueReminders, err)
	}
	mustFlush(t, h, 1)
	if dms := h.srv.DMs(alice.ID); len(dms) != 0 {
		t.Errorf("alice got direct messages %q; reminders go by mention", dms)
	}
	mustContain(t, "the channel", channelText(h, ch), "<@"+alice.ID+">, a note for today: you planned “Call my sister”.")
}
