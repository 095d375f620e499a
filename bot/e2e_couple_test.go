package bot

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"mend/bot/discordtest"
	"mend/conversations"
)

func TestInviteAndAcceptCreateAPrivateChannel(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	inv := h.slash(alice, generalChan, "couple", sub("invite", userOpt("partner", bob)))
	if isEphemeral(inv) {
		t.Fatalf("the invitation should be visible to the partner: %s", text(inv.Data))
	}
	mustContain(t, "invitation", text(inv.Data), "<@"+bob.ID+">", "Nothing starts unless you accept")
	if got := inv.Data.AllowedMentions.Users; len(got) != 1 || got[0] != bob.ID {
		t.Errorf("the invitation may ping %v, want only the partner", got)
	}
	invMsg, _ := h.srv.Original(h.lastToken())
	accept := h.idWith(inv.Data.Components, actAccept)

	// Only the invited partner can accept.
	for _, u := range []*discordgo.User{carol, alice} {
		r := h.press(u, generalChan, invMsg.ID, accept)
		// A stranger learns nothing of who is involved.
		if !isEphemeral(r) || text(r.Data) != "This invitation is for someone else, so only they can answer it." {
			t.Errorf("%s pressing Accept: %s", u.Username, text(r.Data))
		}
	}
	if n := len(h.srv.Channels(testGuild)); n != 1 {
		t.Fatalf("a refused press created channels: %d", n)
	}

	consent := h.press(bob, generalChan, invMsg.ID, accept)
	if !isEphemeral(consent) {
		t.Fatalf("the first Accept answered in public: %s", text(consent.Data))
	}
	if n := len(h.srv.Channels(testGuild)); n != 1 {
		t.Fatalf("the first Accept created a channel: %d channels", n)
	}
	consentMsg, _ := h.srv.Original(h.lastToken())
	confirm := h.idWith(consent.Data.Components, actConfirm)
	h.press(bob, generalChan, consentMsg.ID, confirm)
	var ch *discordgo.Channel
	h.waitFor("the couple channel and its welcome", func() bool {
		for _, c := range h.srv.Channels(testGuild) {
			if strings.HasPrefix(c.Name, "mend-") {
				ch = c
			}
		}
		return ch != nil && len(h.srv.Messages(ch.ID)) == 1
	})
	if ch.Name != "mend-alice-bob" {
		t.Errorf("channel name %q", ch.Name)
	}
	want := map[string]struct{ allow, deny int64 }{
		testGuild:          {0, discordgo.PermissionViewChannel},
		alice.ID:           {discordgo.PermissionViewChannel, 0},
		bob.ID:             {discordgo.PermissionViewChannel, 0},
		h.srv.BotUser().ID: {discordgo.PermissionViewChannel, 0},
	}
	if len(ch.PermissionOverwrites) != len(want) {
		t.Errorf("%d overwrites, want %d: %+v", len(ch.PermissionOverwrites), len(want), ch.PermissionOverwrites)
	}
	for _, o := range ch.PermissionOverwrites {
		w, ok := want[o.ID]
		if !ok {
			t.Errorf("unexpected overwrite for %s", o.ID)
			continue
		}
		if o.Allow&w.allow != w.allow || o.Deny&w.deny != w.deny || (o.ID == testGuild) != (o.Type == discordgo.PermissionOverwriteTypeRole) {
			t.Errorf("overwrite for %s: allow %d deny %d type %d", o.ID, o.Allow, o.Deny, o.Type)
		}
		if o.ID != testGuild && o.Allow&discordgo.PermissionSendMessages == 0 {
			t.Errorf("%s cannot write in the couple channel", o.ID)
		}
	}
	welcome := messageText(h.srv.Messages(ch.ID)[0])
	mustContain(t, "welcome", welcome, "How Mend works", "Administrator", "/schedule set", "not a therapist")
	h.waitFor("the invitation to say it was accepted", func() bool {
		m, _ := h.srv.Message(invMsg.ID)
		return strings.Contains(m.Content, "Bob accepted")
	})
	confirmToken := h.lastToken()
	h.waitFor("bob's private answer", func() bool {
		m, _ := h.srv.Original(confirmToken)
		return strings.Contains(m.Content, "You accepted. Your private channel with Alice is <#"+ch.ID+">") && len(m.Embeds) == 0
	})
	// A second press of either Accept changes nothing and makes no second channel.
	for _, press := range []struct{ message, id string }{{invMsg.ID, accept}, {consentMsg.ID, confirm}} {
		r := h.press(bob, generalChan, press.message, press.id)
		if !strings.Contains(text(r.Data), "already been answered") {
			t.Errorf("second accept: %s", text(r.Data))
		}
	}
	if n := len(h.srv.Channels(testGuild)); n != 2 {
		t.Errorf("%d channels after a second accept, want 2", n)
	}
}

func TestInviteRefusalsChangeNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cases := []struct {
		name    string
		partner *discordgo.User
		want    string
	}{
		{"yourself", alice, "can't invite yourself"},
		{"a bot", otherBot, "is a bot"},
	}
	for _, c := range cases {
		r := h.slash(alice, generalChan, "couple", sub("invite", userOpt("partner", c.partner)))
		if !isEphemeral(r) || !strings.Contains(text(r.Data), c.want) {
			t.Errorf("inviting %s: %s", c.name, text(r.Data))
		}
	}
	h.couple()
	r := h.slash(carol, generalChan, "couple", sub("invite", userOpt("partner", bob)))
	if !isEphemeral(r) || !strings.Contains(text(r.Data), "Mend can't send this invitation now. Each person can be in one couple here at a time, and whether someone has an invitation or a couple is theirs to tell, so Mend doesn't say more.") ||
		strings.Contains(text(r.Data), "Bob") || strings.Contains(text(r.Data), "Alice") {
		t.Errorf("inviting someone in a couple: %s", text(r.Data))
	}
	if _, err := h.app.Couples.Of(h.ctx, conversations.Actor{UserID: carol.ID, GuildID: testGuild}); err == nil {
		t.Error("a refused invitation was stored")
	}
}

func TestInviteNeedsManageChannels(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(o *discordtest.Options, c *Config) {
		o.Guilds[0].BotPermissions = Permissions &^ discordgo.PermissionManageChannels
	})
	r := h.slash(alice, generalChan, "couple", sub("invite", userOpt("partner", bob)))
	if !isEphemeral(r) || !strings.Contains(text(r.Data), "Manage Channels") {
		t.Errorf("invite without Manage Channels: %s", text(r.Data))
	}
}

func TestCoupleInfoAndLeave(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	info := h.slash(bob, ch, "couple", sub("info"))
	mustContain(t, "info", text(info.Data), "Alice and Bob", "Europe/Berlin", "<#"+ch+">")
	confirm := h.slash(alice, ch, "couple", sub("leave"))
	if !isEphemeral(confirm) {
		t.Fatal("the leave confirmation should be private")
	}
	stay := h.idWith(confirm.Data.Components, actStay)
	h.press(alice, ch, "", stay)
	if c, _ := h.app.Couples.Of(h.ctx, conversations.Actor{UserID: alice.ID, GuildID: testGuild}); c.ID == 0 {
		t.Fatal("Stay ended the couple")
	}
	leave := h.idWith(confirm.Data.Components, actLeave)
	// Bob cannot press Alice's private button; the ID he forges is checked.
	if r := h.press(carol, ch, "", leave); !strings.Contains(text(r.Data), "Only the two partners") {
		t.Errorf("carol leaving their couple: %s", text(r.Data))
	}
	r := h.press(alice, ch, "", leave)
	mustContain(t, "leave", text(r.Data), "You have left Mend")
	var notice string
	h.waitFor("the notice in the channel", func() bool {
		msgs := h.srv.Messages(ch)
		notice = msgs[len(msgs)-1].Content
		return strings.Contains(notice, "Alice has left Mend")
	})
	mustContain(t, "the notice", notice, "Take care of yourself", "`/export` still gives you a copy")
	// What the notice offers works: the partner left behind can export.
	if _, export := exportOf(t, h, bob, ch); !strings.Contains(string(export), "mend-export") {
		t.Errorf("bob's export after alice left: %.200s", export)
	}
	if r := h.slash(bob, ch, "checkin", sub("now")); !strings.Contains(text(r.Data), "no longer active") {
		t.Errorf("a check-in after leaving: %s", text(r.Data))
	}
}

// Someone else's waiting invitation is theirs: a stranger who invites the
// same person is refused in words that name nobody and give no date.
func TestInvitingSomeoneWithAWaitingInvitationNamesNobody(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if r := h.slash(alice, generalChan, "couple", sub("invite", userOpt("partner", bob))); isEphemeral(r) {
		t.Fatalf("alice's invitation: %s", text(r.Data))
	}
	r := h.slash(carol, generalChan, "couple", sub("invite", userOpt("partner", bob)))
	got := text(r.Data)
	if !isEphemeral(r) || !strings.Contains(got, "Mend can't send this invitation now. Each person can be in one couple here at a time, and whether someone has an invitation or a couple is theirs to tell, so Mend doesn't say more.") {
		t.Errorf("carol inviting bob: %s", got)
	}
	for _, secret := range []string{"Alice", "Bob", "until", "<t:"} {
		if strings.Contains(got, secret) {
			t.Errorf("carol's refusal contains %q: %s", secret, got)
		}
	}
	if _, err := h.app.Couples.Of(h.ctx, conversations.Actor{UserID: carol.ID, GuildID: testGuild}); err == nil {
		t.Error("a refused invitation was stored")
	}
}
