package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/bot/discordtest"
	"mend/conversations"
	"mend/storage"
)

var dave = &discordgo.User{ID: "100000000000000005", Username: "dave", GlobalName: "Dave"}

// withDave adds a fourth person to the guild, for a second couple.
func withDave(o *discordtest.Options, _ *Config) {
	o.Guilds[0].Members = append(o.Guilds[0].Members, &discordgo.Member{User: dave})
}

// invitation is an invitation as both partners see it: the public message
// and the inviter's private note.
type invitation struct {
	public  *discordgo.Message
	accept  string
	decline string
	note    *discordgo.Message
}

func (h *harness) invite(from, to *discordgo.User) invitation {
	h.t.Helper()
	r := h.slash(from, generalChan, "couple", sub("invite", userOpt("partner", to)))
	if isEphemeral(r) {
		h.t.Fatalf("the invitation was refused: %s", text(r.Data))
	}
	token := h.lastToken()
	public, _ := h.srv.Original(token)
	inv := invitation{public: public, accept: h.idWith(r.Data.Components, actAccept), decline: h.idWith(r.Data.Components, actDecline)}
	h.waitFor("the inviter's private note", func() bool {
		if notes := h.srv.Followups(token); len(notes) > 0 {
			inv.note = notes[0]
		}
		return inv.note != nil
	})
	return inv
}

// firstFollowup waits for the first follow-up message of an interaction.
func (h *harness) firstFollowup(what, token string) *discordgo.Message {
	h.t.Helper()
	var first *discordgo.Message
	h.waitFor(what, func() bool {
		if f := h.srv.Followups(token); len(f) > 0 {
			first = f[0]
		}
		return first != nil
	})
	return first
}

// waitForClosed waits for a public invitation to read only that it is
// closed, naming nobody and with no buttons left.
func (h *harness) waitForClosed(messageID string) {
	h.t.Helper()
	h.waitFor("the public invitation to read closed", func() bool {
		m, _ := h.srv.Message(messageID)
		return m.Content == "This invitation is closed." && len(m.Components) == 0 && len(m.Embeds) == 0
	})
}

// wantNoChannel checks that no couple channel was created.
func wantNoChannel(t *testing.T, h *harness) {
	t.Helper()
	for _, c := range h.srv.Channels(testGuild) {
		if strings.HasPrefix(c.Name, "mend-") {
			t.Fatalf("a couple channel was created: %s", c.Name)
		}
	}
}

func wantPending(t *testing.T, h *harness, u *discordgo.User) conversations.Couple {
	t.Helper()
	c, err := h.app.Couples.Of(h.ctx, conversations.Actor{UserID: u.ID, GuildID: testGuild})
	if err != nil || c.Status != conversations.CouplePending {
		t.Fatalf("%s's couple is %+v (%v), want a pending invitation", u.Username, c, err)
	}
	return c
}

func TestTheInviterReadsPrivatelyWhatAcceptingMeans(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.invite(alice, bob)

	if inv.note.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Fatal("the inviter's note is public")
	}
	note := messageText(inv.note)
	mustContain(t, "the inviter's note", note,
		"When Bob presses Accept, Mend first shows them this, privately",
		"private channel for Alice, Bob and Mend",
		"Anyone with the **Administrator** permission on this server can read every channel, including that one",
		"only the two of you and Mend is best",
		"`/export`", "`/forget`", "not a therapist",
		"You can withdraw the invitation as long as Bob has not answered it; it stays open until <t:", "["+customID{Action: actWithdraw, ID: wantPending(t, h, alice).ID, Message: mustInt(t, inv.public.ID)}.String()+"]",
	)
	// The public invitation says none of it: others may read it.
	public := messageText(inv.public)
	for _, private := range []string{"Administrator", "trust", "therap", "/export"} {
		if strings.Contains(public, private) {
			t.Errorf("the public invitation says %q:\n%s", private, public)
		}
	}
	mustContain(t, "the public invitation", public, "Nothing starts unless you accept", "Only Bob can answer this invitation; it stays open until <t:")
}

func TestTheFirstAcceptExplainsAndOnlyTheSecondCreatesTheChannel(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.invite(alice, bob)

	r := h.press(bob, generalChan, inv.public.ID, inv.accept)
	if !isEphemeral(r) {
		t.Fatalf("the explanation is public: %s", text(r.Data))
	}
	mustContain(t, "what bob reads", text(r.Data),
		"Alice invited you to use Mend together. Here is what accepting means.",
		"Administrator", "`/export`", "`/forget`", "not a therapist",
		"Nothing starts until you press **Accept** below")
	confirm, notNow := h.idWith(r.Data.Components, actConfirm), h.idWith(r.Data.Components, actNotNow)
	if b, _ := button(r.Data.Components, confirm); b.Label != "Accept" {
		t.Errorf("the confirming button says %q", b.Label)
	}
	if b, _ := button(r.Data.Components, notNow); b.Label != "Not now" {
		t.Errorf("the other button says %q", b.Label)
	}
	wantNoChannel(t, h)
	wantPending(t, h, bob)
	explained, _ := h.srv.Original(h.lastToken())

	// Nobody else can confirm for bob, even with his button.
	for _, u := range []*discordgo.User{alice, carol} {
		if r := h.press(u, generalChan, explained.ID, confirm); text(r.Data) != "This invitation is for someone else, so only they can answer it." {
			t.Errorf("%s confirming: %s", u.Username, text(r.Data))
		}
	}
	wantNoChannel(t, h)

	h.press(bob, generalChan, explained.ID, confirm)
	var channel string
	h.waitFor("the couple channel", func() bool {
		for _, c := range h.srv.Channels(testGuild) {
			if strings.HasPrefix(c.Name, "mend-") {
				channel = c.ID
			}
		}
		return channel != ""
	})
	h.waitFor("the public invitation to say bob accepted", func() bool {
		m, _ := h.srv.Message(inv.public.ID)
		return strings.Contains(m.Content, "Bob accepted. Your private channel is <#"+channel+">") && len(m.Components) == 0
	})
}

func TestNotNowLeavesTheInvitationOpen(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.invite(alice, bob)
	r := h.press(bob, generalChan, inv.public.ID, inv.accept)
	explained, _ := h.srv.Original(h.lastToken())

	later := h.press(bob, generalChan, explained.ID, h.idWith(r.Data.Components, actNotNow))
	if later.Type != discordgo.InteractionResponseUpdateMessage {
		t.Fatalf("Not now answered %v", later.Type)
	}
	mustContain(t, "not now", text(later.Data), "No rush. Nothing has started, and the invitation stays open until <t:", "press **Accept** on it whenever you are ready")
	if len(later.Data.Components) != 0 {
		t.Errorf("Not now left buttons: %v", customIDs(later.Data.Components))
	}
	wantNoChannel(t, h)
	wantPending(t, h, bob)
	if m, _ := h.srv.Message(inv.public.ID); len(m.Components) == 0 {
		t.Error("Not now took the buttons off the public invitation")
	}

	// The invitation still works afterwards.
	h.couple2(inv)
}

// couple2 accepts an invitation in two presses and waits for the channel.
func (h *harness) couple2(inv invitation) string {
	h.t.Helper()
	h.accept(bob, inv.public.ID, inv.accept)
	var channel string
	h.waitFor("the couple channel", func() bool {
		for _, c := range h.srv.Channels(testGuild) {
			if strings.HasPrefix(c.Name, "mend-") {
				channel = c.ID
			}
		}
		return channel != ""
	})
	return channel
}

func TestAnExpiredInvitationSaysSoAndHoldsNobody(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.invite(alice, bob)
	r := h.press(bob, generalChan, inv.public.ID, inv.accept)
	explained, _ := h.srv.Original(h.lastToken())
	confirm := h.idWith(r.Data.Components, actConfirm)

	h.clock.Advance(7 * 24 * time.Hour)
	for _, press := range []struct{ name, message, id string }{
		{"Accept", inv.public.ID, inv.accept},
		{"Decline", inv.public.ID, inv.decline},
		{"the confirming Accept", explained.ID, confirm},
	} {
		r := h.press(bob, generalChan, press.message, press.id)
		if !isEphemeral(r) {
			t.Errorf("%s on an expired invitation answered in public", press.name)
		}
		mustContain(t, press.name+" on an expired invitation", text(r.Data),
			"This invitation expired on", "7 days after it was sent, so nothing was started",
			"either of you can send a new invitation with `/couple invite`")
	}
	wantNoChannel(t, h)
	h.waitForClosed(inv.public.ID)
	info := h.slash(alice, generalChan, "couple", sub("info"))
	mustContain(t, "alice's /couple info", text(info.Data), "Bob isn't starting Mend now. Your invitation closed on")

	// Neither of them is held any more.
	h.invite(carol, bob)
	if _, err := h.app.Couples.Of(h.ctx, conversations.Actor{UserID: alice.ID, GuildID: testGuild}); conversations.ErrorCode(err) != conversations.ENOTFOUND {
		t.Errorf("alice is still held by the expired invitation: %v", err)
	}
}

func TestAnExpiredInvitationDoesNotBlockANewOne(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.invite(alice, bob)
	h.clock.Advance(8 * 24 * time.Hour)
	again := h.invite(alice, bob)
	if c := wantPending(t, h, bob); idOf(t, again.accept) != c.ID {
		t.Errorf("bob's couple is %d, the new invitation's button %s", c.ID, again.accept)
	}
	h.couple2(again)
}

func TestADeclineClosesTheInvitationPubliclyAndTellsTheInviterPrivately(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.invite(alice, bob)
	r := h.press(bob, generalChan, inv.public.ID, inv.decline)
	if r.Type != discordgo.InteractionResponseUpdateMessage || text(r.Data) != "This invitation is closed." || len(r.Data.Components) != 0 {
		t.Fatalf("decline answered %v: %q with %d rows", r.Type, text(r.Data), len(r.Data.Components))
	}
	token := h.lastToken()
	private := h.firstFollowup("bob's private answer", token)
	if private.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Error("the answer to the decline is public")
	}
	mustContain(t, "bob's private answer", messageText(private), "You declined, and nothing was started", "Alice is told only that you aren't starting Mend now")
	if h.idWith(private.Components, actDontAsk) == "" {
		t.Error("no Don't ask me again after a decline")
	}
	h.waitFor("alice's direct message", func() bool {
		dms := h.srv.DMs(alice.ID)
		return len(dms) == 1 && dms[0] == "Bob isn't starting Mend now."
	})

	// A week's room, and no date to count down to.
	h.clock.Advance(7*24*time.Hour - time.Minute)
	again := h.slash(alice, generalChan, "couple", sub("invite", userOpt("partner", bob)))
	if !isEphemeral(again) {
		t.Fatalf("the refusal is public: %s", text(again.Data))
	}
	if got := text(again.Data); got != "Bob isn't starting Mend now, so Mend won't send them a new invitation from you for now." {
		t.Errorf("inviting again within a week: %q", got)
	}
	if _, err := h.app.Couples.Of(h.ctx, conversations.Actor{UserID: alice.ID, GuildID: testGuild}); conversations.ErrorCode(err) != conversations.ENOTFOUND {
		t.Errorf("a refused invitation was stored: %v", err)
	}

	h.clock.Advance(time.Minute)
	h.invite(alice, bob)
}

func TestDontAskMeAgainAfterADeclineBlocksThatInviterOnly(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.invite(alice, bob)
	h.press(bob, generalChan, inv.public.ID, inv.decline)
	token := h.lastToken()
	private := h.firstFollowup("bob's private answer", token)
	dontAsk := h.idWith(private.Components, actDontAsk)
	if r := h.press(carol, generalChan, private.ID, dontAsk); !strings.Contains(text(r.Data), "This invitation is for someone else, so only they can answer it.") || strings.Contains(text(r.Data), "Bob") {
		t.Errorf("carol pressing Don't ask me again: %s", text(r.Data))
	}
	r := h.press(bob, generalChan, private.ID, dontAsk)
	mustContain(t, "don't ask me again", text(r.Data), "Done. Alice can't invite you in this server any more", "invite them yourself with `/couple invite`, and that lifts it")
	if dms := h.srv.DMs(alice.ID); len(dms) != 1 {
		t.Errorf("alice was told twice: %q", dms)
	}
	// The operator's log says that it happened, never whose it was.
	h.waitFor("the block logged", func() bool { return strings.Contains(h.logs.String(), `msg="invitations blocked"`) })
	for _, line := range strings.Split(h.logs.String(), "\n") {
		if strings.Contains(line, `msg="invitations blocked"`) && (strings.Contains(line, "couple=") || strings.Contains(line, "guild=") || strings.Contains(line, bob.ID) || strings.Contains(line, alice.ID)) {
			t.Errorf("the block's log line says whose it was: %s", line)
		}
	}

	h.clock.Advance(30 * 24 * time.Hour)
	again := h.slash(alice, generalChan, "couple", sub("invite", userOpt("partner", bob)))
	if got := text(again.Data); !isEphemeral(again) || got != "Bob isn't starting Mend now, so Mend won't send them a new invitation from you for now." {
		t.Errorf("alice inviting bob a month later: %q", got)
	}
	h.couple2(h.invite(carol, bob))
}

func TestDontAskMeAgainBeforeAcceptingClosesTheInvitation(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.invite(alice, bob)
	r := h.press(bob, generalChan, inv.public.ID, inv.accept)
	mustContain(t, "what accepting means", text(r.Data), "If you are afraid of Alice, you don't have to accept or explain.")
	explained, _ := h.srv.Original(h.lastToken())
	h.press(bob, generalChan, explained.ID, h.idWith(r.Data.Components, actDontAsk))
	h.waitForClosed(inv.public.ID)
	h.waitFor("alice's direct message", func() bool {
		dms := h.srv.DMs(alice.ID)
		return len(dms) == 1 && dms[0] == "Bob isn't starting Mend now."
	})
	wantNoChannel(t, h)

	// Bob inviting alice lifts the block; the week after his no still holds.
	h.clock.Advance(7 * 24 * time.Hour)
	if r := h.slash(alice, generalChan, "couple", sub("invite", userOpt("partner", bob))); !strings.Contains(text(r.Data), "Bob isn't starting Mend now") {
		t.Errorf("alice inviting bob a week later: %s", text(r.Data))
	}
	mine := h.invite(bob, alice)
	h.press(bob, generalChan, mine.note.ID, h.idWith(mine.note.Components, actWithdraw))
	h.invite(alice, bob)
}

func TestAtMostThreeInvitationsAWeekToTheSamePerson(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for range 3 {
		inv := h.invite(alice, bob)
		h.press(alice, generalChan, inv.note.ID, h.idWith(inv.note.Components, actWithdraw))
	}
	r := h.slash(alice, generalChan, "couple", sub("invite", userOpt("partner", bob)))
	if got := text(r.Data); !isEphemeral(r) || got != "You have invited Bob 3 times this week. Mend sends at most 3 invitations a week to the same person, whatever became of them, so that nobody feels pressed." {
		t.Errorf("a fourth invitation: %q", got)
	}
	h.clock.Advance(7 * 24 * time.Hour)
	h.invite(alice, bob)
}

func TestTheConsentTextSaysWhoCanReadWhatIsStored(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.invite(alice, bob)
	r := h.press(bob, generalChan, inv.public.ID, inv.accept)
	mustContain(t, "plain", text(r.Data), "What you write is stored as plain text: the person who runs this Mend can read all of it.")

	key, err := storage.ParseKey(storage.GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	if h.keys, err = storage.NewKeyring(key); err != nil {
		t.Fatal(err)
	}
	h.restart()
	r = h.press(bob, generalChan, inv.public.ID, inv.accept)
	mustContain(t, "encrypted", text(r.Data), "What you write is stored encrypted: nobody can read it from the database or its backups without the key, which the person who runs this Mend keeps.")
}

func TestTheInviterCanWithdrawAndThePublicInvitationSaysSo(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.invite(alice, bob)
	withdraw := h.idWith(inv.note.Components, actWithdraw)

	if r := h.press(bob, generalChan, inv.note.ID, withdraw); !strings.Contains(text(r.Data), "Only the person who sent this invitation can withdraw it") {
		t.Errorf("bob withdrawing: %s", text(r.Data))
	}
	r := h.press(alice, generalChan, inv.note.ID, withdraw)
	mustContain(t, "withdrawn", text(r.Data), "You withdrew your invitation to Bob. Nothing was started")
	h.waitFor("the public invitation to say it was withdrawn", func() bool {
		m, _ := h.srv.Message(inv.public.ID)
		return m.Content == "Alice withdrew this invitation." && len(m.Components) == 0 && len(m.Embeds) == 0
	})
	if r := h.press(bob, generalChan, inv.public.ID, inv.accept); !strings.Contains(text(r.Data), "Alice withdrew this invitation, so nothing was started") {
		t.Errorf("accepting a withdrawn invitation: %s", text(r.Data))
	}
	wantNoChannel(t, h)
	h.invite(alice, carol)
}

func TestCoupleInfoAndLeaveWhilePendingSayWhoseAnswerItWaitsFor(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.invite(alice, bob)

	r := h.slash(bob, generalChan, "couple", sub("info"))
	mustContain(t, "bob's /couple info", text(r.Data), "Alice invited you to use Mend together, and nothing has started yet", "press **Accept** on it")
	r = h.slash(alice, generalChan, "couple", sub("leave"))
	mustContain(t, "alice's /couple leave", text(r.Data), "Your invitation to Bob is waiting for their answer until <t:")
	h.press(alice, generalChan, "", h.idWith(r.Data.Components, actWithdraw))
	if _, err := h.app.Couples.Of(h.ctx, conversations.Actor{UserID: alice.ID, GuildID: testGuild}); conversations.ErrorCode(err) != conversations.ENOTFOUND {
		t.Errorf("withdrawing from /couple leave left a couple: %v", err)
	}
}

func TestAForgedConfirmCannotRewriteAnotherMessage(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withDave)
	h.couple()
	var earlier *discordgo.Message
	h.waitFor("alice's invitation to say it was accepted", func() bool {
		for _, m := range h.srv.Messages(generalChan) {
			if strings.Contains(m.Content, "Bob accepted") {
				earlier = m
			}
		}
		return earlier != nil
	})
	inv := h.invite(carol, dave)
	forged := customID{Action: actConfirm, ID: idOf(t, inv.accept), Message: mustInt(t, earlier.ID)}.String()
	h.press(dave, generalChan, inv.public.ID, forged)
	h.waitFor("the refusal in the logs", func() bool {
		return strings.Contains(h.logs.String(), "refused to edit a message that is not the couple's invitation")
	})
	if m, _ := h.srv.Message(earlier.ID); m.Content != earlier.Content {
		t.Errorf("a forged button rewrote another message: %q", m.Content)
	}
}

func mustInt(t testing.TB, s string) int64 {
	t.Helper()
	id, err := parseCanonicalInt(s, 1)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// An inviter whose direct messages are closed still learns of a decline:
// /couple info says it, in the same words, with no date; a new invitation
// they send replaces it.
func TestAfterADeclineCoupleInfoTellsTheInviter(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.srv.CloseDMs(alice.ID)
	inv := h.invite(alice, bob)
	h.press(bob, generalChan, inv.public.ID, inv.decline)
	info := h.slash(alice, generalChan, "couple", sub("info"))
	if got := text(info.Data); !isEphemeral(info) || got != "Bob isn't starting Mend now. Your invitation is closed, and nothing was started." {
		t.Errorf("alice's /couple info after the decline: %q", got)
	}
	h.clock.Advance(3 * 24 * time.Hour)
	if got := text(h.slash(alice, generalChan, "couple", sub("leave")).Data); got != "Bob isn't starting Mend now. Your invitation is closed, and nothing was started." {
		t.Errorf("alice's /couple leave after the decline: %q", got)
	}
	// Bob, who declined, is simply not in a couple.
	if got := text(h.slash(bob, generalChan, "couple", sub("info")).Data); !strings.Contains(got, "You are not in a couple here yet.") {
		t.Errorf("bob's /couple info after declining: %q", got)
	}
	// Carol's invitation to alice is what alice reads about next.
	h.invite(carol, alice)
	if got := text(h.slash(alice, generalChan, "couple", sub("info")).Data); strings.Contains(got, "isn't starting Mend") {
		t.Errorf("alice's /couple info with a new invitation still speaks of the decline: %q", got)
	}
}

// An invitation nobody answered reads closed once it expires, without
// anyone pressing its buttons: the scheduler queues the edit, and the outbox
// makes it.
func TestAnExpiredInvitationClosesByItselfAtExpiry(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.invite(alice, bob)
	expires := h.clock.Now().Add(7 * 24 * time.Hour)
	h.clock.Advance(7*24*time.Hour - 30*time.Minute)
	// The scheduler wakes at the expiry, not up to an hour after it.
	if due, err := h.db.Schedules.EarliestDue(h.ctx); err != nil || !due.Equal(expires) {
		t.Errorf("the next thing due is at %v (%v), want the expiry %v", due, err, expires)
	}
	h.clock.Advance(29 * time.Minute)
	if report, err := h.app.Schedules.RunDue(h.ctx); err != nil || report.InvitationsClosed != 0 {
		t.Fatalf("a minute before expiry RunDue closed %d invitations (%v), want 0", report.InvitationsClosed, err)
	}
	h.clock.Advance(time.Minute)
	if report, err := h.app.Schedules.RunDue(h.ctx); err != nil || report.InvitationsClosed != 1 {
		t.Fatalf("at expiry RunDue closed %d invitations (%v), want 1", report.InvitationsClosed, err)
	}
	mustFlush(t, h, 1)
	h.waitForClosed(inv.public.ID)
	if report, err := h.app.Schedules.RunDue(h.ctx); err != nil || report.InvitationsClosed != 0 {
		t.Errorf("a second round closed %d invitations again (%v), want 0", report.InvitationsClosed, err)
	}
	// Only IDs were stored; the couple is no longer held.
	if _, err := h.app.Couples.Of(h.ctx, conversations.Actor{UserID: bob.ID, GuildID: testGuild}); conversations.ErrorCode(err) != conversations.ENOTFOUND {
		t.Errorf("bob is still held by the expired invitation: %v", err)
	}
}
