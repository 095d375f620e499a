package conversations_test

import (
	"strings"
	"testing"
	"time"

	"mend/conversations"
)

func wantMessage(t *testing.T, what string, err error, code, want string) {
	t.Helper()
	wantCode(t, what, err, code)
	if msg := conversations.ErrorMessage(err); !strings.Contains(msg, want) {
		t.Errorf("%s: message %q does not say %q", what, msg, want)
	}
}

func TestAnInvitationExpiresAfterAWeekByDefault(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(bob), zone)
	if err != nil {
		t.Fatal(err)
	}
	if want := start.Add(7 * 24 * time.Hour); !c.ExpiresAt.Equal(want) {
		t.Fatalf("ExpiresAt = %v, want %v", c.ExpiresAt, want)
	}
	stored, err := f.db.Couples.Couple(f.ctx, c.ID)
	if err != nil || !stored.ExpiresAt.Equal(c.ExpiresAt) {
		t.Fatalf("stored expiry %v (%v), want %v", stored.ExpiresAt, err, c.ExpiresAt)
	}

	f.clock.Advance(7*24*time.Hour - time.Minute)
	if _, err := f.app.Couples.Invitation(f.ctx, f.inGuild(c.ID, bob), c.ID); err != nil {
		t.Fatalf("a minute before it expires: %v", err)
	}
	f.clock.Advance(time.Minute)
	_, err = f.app.Couples.Accept(f.ctx, f.inGuild(c.ID, bob), c.ID, channel)
	wantMessage(t, "accept when expired", err, conversations.ECONFLICT, "This invitation expired on Mon 17 Mar 10:00 CET, 7 days after it was sent, so nothing was started.")
	_, err = f.app.Couples.Decline(f.ctx, f.inGuild(c.ID, bob), c.ID)
	wantMessage(t, "decline when expired", err, conversations.ECONFLICT, "`/couple invite`")
	stored, _ = f.db.Couples.Couple(f.ctx, c.ID)
	if stored.Status != conversations.CouplePending || stored.Partners[1].Consented() {
		t.Errorf("an expired invitation changed: %+v", stored)
	}
}

func TestTheInvitationExpiryIsConfigurable(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.configure(conversations.Settings{InvitationExpiry: 36 * time.Hour})
	c, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(bob), zone)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(36 * time.Hour)
	_, err = f.app.Couples.Invitation(f.ctx, f.inGuild(c.ID, bob), c.ID)
	wantMessage(t, "answer when expired", err, conversations.ECONFLICT, "36 hours after it was sent")
}

func TestAnExpiredInvitationHoldsNobody(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	old, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(bob), zone)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(8 * 24 * time.Hour)

	_, err = f.app.Couples.Of(f.ctx, conversations.Actor{UserID: alice, GuildID: guild})
	wantMessage(t, "the inviter's couple", err, conversations.ENOTFOUND, "Bob isn't starting Mend now. Your invitation closed on Mon 17 Mar 10:00 CET, and nothing was started.")
	_, err = f.app.Couples.Of(f.ctx, conversations.Actor{UserID: bob, GuildID: guild})
	wantMessage(t, "the invitee's couple", err, conversations.ENOTFOUND, "The invitation from Alice expired")

	// Both can be invited by others, and invite again themselves.
	withCarol, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(carol).UserID, GuildID: guild}, partner(carol).Name, partner(bob), zone)
	if err != nil {
		t.Fatalf("carol invites bob after alice's invitation expired: %v", err)
	}
	again, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(mallory), zone)
	if err != nil {
		t.Fatalf("alice invites again: %v", err)
	}
	if withCarol.ID == old.ID || again.ID == old.ID {
		t.Error("a new invitation reused the expired one")
	}
	got, err := f.app.Couples.Of(f.ctx, conversations.Actor{UserID: bob, GuildID: guild})
	if err != nil || got.ID != withCarol.ID {
		t.Errorf("bob's couple = %d (%v), want carol's invitation %d", got.ID, err, withCarol.ID)
	}
}

func TestTheInviterCanWithdrawAPendingInvitation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(bob), zone)
	if err != nil {
		t.Fatal(err)
	}
	for _, by := range []conversations.Actor{{UserID: bob, GuildID: guild}, {UserID: mallory, GuildID: guild}, {UserID: alice, GuildID: "guild-2"}} {
		_, err := f.app.Couples.Withdraw(f.ctx, by, c.ID)
		wantMessage(t, "withdraw by "+by.UserID+" in "+by.GuildID, err, conversations.EUNAUTHORIZED, "Only the person who sent this invitation can withdraw it.")
	}
	withdrawn, err := f.app.Couples.Withdraw(f.ctx, conversations.Actor{UserID: alice, GuildID: guild}, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if withdrawn.Status != conversations.CoupleEnded || !withdrawn.Withdrawn() {
		t.Errorf("after withdrawing: %+v", withdrawn)
	}
	if _, err := f.app.Couples.Withdraw(f.ctx, conversations.Actor{UserID: alice, GuildID: guild}, c.ID); err != nil {
		t.Errorf("withdrawing twice: %v", err)
	}
	_, err = f.app.Couples.Accept(f.ctx, f.inGuild(c.ID, bob), c.ID, channel)
	wantMessage(t, "accept a withdrawn invitation", err, conversations.ECONFLICT, "Alice withdrew this invitation, so nothing was started.")
	if _, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(carol), zone); err != nil {
		t.Errorf("inviting someone else after withdrawing: %v", err)
	}
}

func TestAnAnsweredInvitationCannotBeWithdrawn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	_, err := f.app.Couples.Withdraw(f.ctx, conversations.Actor{UserID: alice, GuildID: guild}, c.ID)
	wantMessage(t, "withdraw an accepted invitation", err, conversations.ECONFLICT, "Bob has already accepted")

	d, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: "guild-2"}, partner(alice).Name, partner(bob), zone)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.Couples.Decline(f.ctx, f.inGuild(d.ID, bob), d.ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.app.Couples.Withdraw(f.ctx, conversations.Actor{UserID: alice, GuildID: "guild-2"}, d.ID)
	wantMessage(t, "withdraw a declined invitation", err, conversations.ECONFLICT, "Bob has already answered")
}

func TestAfterADeclineTheSameInviterWaitsAWeek(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(bob), zone)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)
	if _, err := f.app.Couples.Decline(f.ctx, f.inGuild(c.ID, bob), c.ID); err != nil {
		t.Fatal(err)
	}

	f.clock.Advance(7*24*time.Hour - time.Minute)
	_, err = f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(bob), zone)
	// No date: a countdown would only tell the inviter when to press again.
	if msg := conversations.ErrorMessage(err); msg != "Bob isn't starting Mend now, so Mend won't send them a new invitation from you for now." {
		t.Errorf("invite again within a week: %q (%v)", msg, err)
	}
	if _, err := f.app.Couples.Of(f.ctx, conversations.Actor{UserID: alice, GuildID: guild}); conversations.ErrorCode(err) != conversations.ENOTFOUND {
		t.Errorf("a refused invitation was stored: %v", err)
	}

	// Only that inviter and that partner wait: bob may invite alice, and
	// carol may invite bob.
	if c, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(bob).UserID, GuildID: guild}, partner(bob).Name, partner(alice), zone); err != nil {
		t.Errorf("bob inviting alice: %v", err)
	} else if _, err := f.app.Couples.Withdraw(f.ctx, conversations.Actor{UserID: bob, GuildID: guild}, c.ID); err != nil {
		t.Fatal(err)
	}
	if c, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(carol).UserID, GuildID: guild}, partner(carol).Name, partner(bob), zone); err != nil {
		t.Errorf("carol inviting bob: %v", err)
	} else if _, err := f.app.Couples.Withdraw(f.ctx, conversations.Actor{UserID: carol, GuildID: guild}, c.ID); err != nil {
		t.Fatal(err)
	}

	f.clock.Advance(time.Minute)
	if _, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(bob), zone); err != nil {
		t.Errorf("invite again a week after the decline: %v", err)
	}
}

func TestAtMostThreeInvitationsAWeekToTheSamePersonWhateverBecameOfThem(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	alices := conversations.Actor{UserID: alice, GuildID: guild}
	for i := range 3 {
		c, err := f.app.Couples.Invite(f.ctx, alices, partner(alice).Name, partner(bob), zone)
		if err != nil {
			t.Fatalf("invitation %d: %v", i+1, err)
		}
		if _, err := f.app.Couples.Withdraw(f.ctx, alices, c.ID); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Hour)
	}
	_, err := f.app.Couples.Invite(f.ctx, alices, partner(alice).Name, partner(bob), zone)
	if msg := conversations.ErrorMessage(err); msg != "You have invited Bob 3 times this week. Mend sends at most 3 invitations a week to the same person, whatever became of them, so that nobody feels pressed." {
		t.Errorf("a fourth invitation: %q (%v)", msg, err)
	}
	if c, err := f.app.Couples.Invite(f.ctx, alices, partner(alice).Name, partner(carol), zone); err != nil {
		t.Errorf("inviting someone else: %v", err)
	} else if _, err := f.app.Couples.Withdraw(f.ctx, alices, c.ID); err != nil {
		t.Fatal(err)
	}
	// The first of the three was sent 7 days ago now.
	f.clock.Advance(7*24*time.Hour - 3*time.Hour)
	if _, err := f.app.Couples.Invite(f.ctx, alices, partner(alice).Name, partner(bob), zone); err != nil {
		t.Errorf("a week after the first: %v", err)
	}
}

func TestDontAskMeAgainBlocksThatInviterUntilTheInviteeInvitesThem(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	alices, bobs := conversations.Actor{UserID: alice, GuildID: guild}, conversations.Actor{UserID: bob, GuildID: guild}
	c, err := f.app.Couples.Invite(f.ctx, alices, partner(alice).Name, partner(bob), zone)
	if err != nil {
		t.Fatal(err)
	}
	for _, by := range []conversations.Actor{alices, {UserID: mallory, GuildID: guild}, {UserID: bob, GuildID: "guild-2"}} {
		_, err := f.app.Couples.DontAskAgain(f.ctx, by, c.ID)
		wantMessage(t, "blocking by "+by.UserID+" in "+by.GuildID, err, conversations.EUNAUTHORIZED, "This invitation is for someone else, so only they can answer it.")
	}
	blocked, err := f.app.Couples.DontAskAgain(f.ctx, bobs, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if blocked.Status != conversations.CoupleEnded || blocked.DeclinedAt.IsZero() {
		t.Errorf("a waiting invitation is declined with the block: %+v", blocked)
	}

	// Long past the cooldown, alice hears the same words as after a decline.
	f.clock.Advance(30 * 24 * time.Hour)
	_, err = f.app.Couples.Invite(f.ctx, alices, partner(alice).Name, partner(bob), zone)
	if msg := conversations.ErrorMessage(err); msg != "Bob isn't starting Mend now, so Mend won't send them a new invitation from you for now." {
		t.Errorf("alice inviting bob after the block: %q (%v)", msg, err)
	}
	if d, err := f.app.Couples.Invite(f.ctx, alices, partner(alice).Name, partner(carol), zone); err != nil {
		t.Errorf("the block is bob's alone: %v", err)
	} else if _, err := f.app.Couples.Withdraw(f.ctx, alices, d.ID); err != nil {
		t.Fatal(err)
	}

	// Bob inviting alice lifts it.
	d, err := f.app.Couples.Invite(f.ctx, bobs, partner(bob).Name, partner(alice), zone)
	if err != nil {
		t.Fatalf("bob inviting alice: %v", err)
	}
	if _, err := f.app.Couples.Withdraw(f.ctx, bobs, d.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.Couples.Invite(f.ctx, alices, partner(alice).Name, partner(bob), zone); err != nil {
		t.Errorf("alice inviting bob once bob invited her: %v", err)
	}
}

func TestInvitingTheSamePartnerTwiceSaysItIsAlreadySent(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if _, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(bob), zone); err != nil {
		t.Fatal(err)
	}
	_, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(bob), zone)
	wantMessage(t, "invite twice", err, conversations.ECONFLICT, "You have already invited Bob; that invitation waits for their answer until Mon 17 Mar 10:00 CET.")
	_, err = f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(bob).UserID, GuildID: guild}, partner(bob).Name, partner(carol), zone)
	wantMessage(t, "the invitee invites someone else", err, conversations.ECONFLICT, "An invitation to you is waiting for your answer")
}

// A partner can accept in the moment between the invitation's post and the
// inviter's handler recording where it went: recording it then is not an
// error (it was once logged as "This invitation is for someone else"), and
// only the inviter may record it at all.
func TestRecordingWhereAnAnsweredInvitationWasPostedChangesNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	inviter := conversations.Actor{UserID: alice, GuildID: guild, ChannelID: "lobby"}
	c, err := f.app.Couples.Invite(f.ctx, inviter, partner(alice).Name, partner(bob), zone)
	if err != nil {
		t.Fatal(err)
	}
	err = f.app.Couples.InvitationPosted(f.ctx, conversations.Actor{UserID: bob, GuildID: guild, ChannelID: "lobby"}, c.ID, "lobby", "42")
	wantCode(t, "bob recording alice's invitation", err, conversations.EUNAUTHORIZED)
	if _, err := f.app.Couples.Accept(f.ctx, f.inGuild(c.ID, bob), c.ID, channel); err != nil {
		t.Fatal(err)
	}
	if err := f.app.Couples.InvitationPosted(f.ctx, inviter, c.ID, "lobby", "42"); err != nil {
		t.Errorf("alice recording her invitation after bob accepted it: %v", err)
	}
	stored, err := f.db.Couples.Couple(f.ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.InvitationMessageID != "" {
		t.Errorf("an answered invitation's post was recorded: %q", stored.InvitationMessageID)
	}
}
