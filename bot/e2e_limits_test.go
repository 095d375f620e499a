package bot

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"mend/bot/discordtest"
	"mend/conversations"
	"mend/internal/testkit"
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

// A server with no room for another channel (its 500, or the 50 of Mend's
// category) gets a clear, kind message to the partner confirming, and a line
// in the operator's log; nothing is created and the invitation stays open.
func TestAServerWithNoRoomForAChannelKeepsTheInvitationOpen(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		body map[string]any
		says string
	}{
		{"500 channels", map[string]any{"message": "Maximum number of guild channels reached (500)", "code": 30013},
			"this server has reached Discord's limit of 500 channels"},
		{"a full category", map[string]any{"message": "Invalid Form Body", "code": 50035, "errors": map[string]any{
			"parent_id": map[string]any{"_errors": []any{map[string]any{"code": "CHANNEL_PARENT_MAX_CHANNELS", "message": "Maximum number of channels in category reached (50)"}}}}},
			"the category Mend puts couples' channels in has reached Discord's limit of 50 channels"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			var full atomic.Bool
			full.Store(true)
			h.srv.Hook(func(r *http.Request, _ []byte) (int, any, bool) {
				if full.Load() && r.Method == http.MethodPost && r.URL.Path == "/api/v9/guilds/"+testGuild+"/channels" {
					return http.StatusBadRequest, tt.body, true
				}
				return 0, nil, false
			})
			inv := h.invite(alice, bob)
			explained, confirm := h.explain(bob, inv.public.ID, inv.accept)

			h.press(bob, generalChan, explained, confirm)

			var said string
			h.waitFor("bob to be told", func() bool {
				for _, m := range h.srv.Followups(h.lastToken()) {
					said = m.Content
				}
				return said != ""
			})
			want := "Mend could not create your private channel: " + tt.says + ". Nothing was changed and the invitation is still open: once a server admin has made room, press Accept again."
			if said != want {
				t.Errorf("bob reads %q, want %q", said, want)
			}
			testkit.MustContain(t, "log", h.logs.String(), "level=WARN msg=\"cannot create a couple's channel: "+tt.says+"; the invitation stays open until there is room\"")
			wantNoChannel(t, h)
			wantPending(t, h, bob)

			// Once there is room, the same Accept works.
			full.Store(false)
			h.press(bob, generalChan, explained, confirm)
			h.waitFor("the couple channel", func() bool {
				for _, c := range h.srv.Channels(testGuild) {
					if strings.HasPrefix(c.Name, "mend-") {
						return true
					}
				}
				return false
			})
		})
	}
}
