package bot

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"mend/bot/discordtest"
	"mend/conversations"
)

// dmAttempts counts the bot's requests to open a direct message with userID.
func dmAttempts(h *harness, userID string) int {
	n := 0
	for _, r := range h.srv.Requests() {
		if r.Path == "/users/@me/channels" && strings.Contains(string(r.Body), `"recipient_id":"`+userID+`"`) {
			n++
		}
	}
	return n
}

// A direct message Discord refuses (50007) is not tried again at the next
// reminder: every refused request counts toward Discord banning the bot's
// address. The reminders go to the channel instead.
func TestARefusedDirectMessageIsNotTriedAgain(t *testing.T) {
	t.Parallel()
	o := newObserved(t, func(_ *discordtest.Options, c *Config) { c.RemindByDM = true })
	h := o.harness
	ch := h.couple()
	c := mustCouple(t, h, ch)
	ci, err := h.app.CheckIns.Open(h.ctx, h.byFirst(c.ID), "")
	if err != nil {
		t.Fatal(err)
	}
	h.srv.CloseDMs(bob.ID)
	h.clock.Advance(25 * time.Hour)
	if r, err := h.app.Schedules.RunDue(h.ctx); err != nil || r.Reminded != 2 {
		t.Fatalf("RunDue: %+v %v", r, err)
	}
	if _, err := h.bot.FlushOutbox(h.ctx); err != nil {
		t.Fatal(err)
	}
	if n := dmAttempts(h, bob.ID); n != 1 {
		t.Fatalf("%d direct messages tried for bob, want 1", n)
	}
	now := h.clock.Now()
	if err := h.db.Outbox.QueuePost(h.ctx, conversations.Post{CoupleID: c.ID, CheckInID: ci.ID, UserID: bob.ID, Kind: conversations.PostReminder, CreatedAt: now, NextAttemptAt: now}); err != nil {
		t.Fatal(err)
	}

	mustFlush(t, h, 1)

	if n := dmAttempts(h, bob.ID); n != 1 {
		t.Errorf("%d direct messages tried for bob after a second reminder, want still 1", n)
	}
	var toBob int
	for _, m := range h.srv.Messages(ch) {
		if strings.Contains(m.Content, "<@"+bob.ID+">, a gentle reminder") {
			toBob++
		}
	}
	if toBob != 2 {
		t.Errorf("%d reminders for bob in the channel, want 2", toBob)
	}
	if n := o.value("mend_outbox_sends_total", "outcome", OutcomeDMRefused); n != 1 {
		t.Errorf("%v refused direct messages counted, want 1", n)
	}
	if n := dmAttempts(h, alice.ID); n != 1 {
		t.Errorf("%d direct messages to alice, whose are open, want 1 for her reminder", n)
	}
}

// revealAttempts counts the bot's attempts to post the reveal.
func revealAttempts(h *harness) int {
	n := 0
	for _, r := range h.srv.Requests() {
		if r.Method == http.MethodPost && strings.Contains(string(r.Body), "words of alice") {
			n++
		}
	}
	return n
}

// A 403 in the channel (an admin took Send Messages away) is still retried,
// the reveal is owed, but at most three times an hour: Discord counts each
// 403 toward banning the bot's address.
func TestAForbiddenPostIsRetriedAtMostThreeTimesAnHour(t *testing.T) {
	t.Parallel()
	o := newObserved(t)
	h := o.harness
	ch := h.couple()
	refuse := refuseReveal(h, http.StatusForbidden, 50013, "Missing Permissions")
	revealQueued(t, h, mustCouple(t, h, ch))
	if _, err := h.bot.FlushOutbox(h.ctx); err != nil {
		t.Fatal(err)
	}
	if n := revealAttempts(h); n != 1 {
		t.Fatalf("%d attempts at once, want 1", n)
	}

	for range 60 {
		h.clock.Advance(time.Minute)
		if _, err := h.bot.FlushOutbox(h.ctx); err != nil {
			t.Fatal(err)
		}
	}

	if n := revealAttempts(h); n < 2 || n > 4 {
		t.Errorf("%d attempts within the first hour and its start, want the first and 1 to 3 retries", n)
	}
	if n := o.value("mend_outbox_sends_total", "outcome", OutcomeForbidden); int(n) != revealAttempts(h) {
		t.Errorf("%v sends counted forbidden, want one per attempt: %d", n, revealAttempts(h))
	}
	refuse.Store(false)
	h.clock.Advance(30 * time.Minute)
	mustFlush(t, h, 1)
	if n := revealsIn(h, ch); n != 1 {
		t.Errorf("%d reveals in the channel once allowed again, want 1", n)
	}
}
