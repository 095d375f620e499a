package conversations_test

import (
	"testing"

	"mend/conversations"
)

func TestLeaveEndsOnlyAnActiveCoupleFromItsOwnServer(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	elsewhere := conversations.Actor{UserID: alice, GuildID: "another-guild", ChannelID: "another-channel"}
	_, err := f.app.Couples.Leave(f.ctx, elsewhere, c.ID, false)
	wantCode(t, "leave from another server", err, conversations.EUNAUTHORIZED)

	pending, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(carol).UserID, GuildID: "guild-2"}, partner(carol).Name, partner(bob), zone)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.app.Couples.Leave(f.ctx, f.in(pending, bob), pending.ID, false)
	wantCode(t, "leave of an invitation", err, conversations.ECONFLICT)
	if got, err := f.db.Couples.Couple(f.ctx, pending.ID); err != nil || got.Status != conversations.CouplePending {
		t.Errorf("after a refused leave the invitation is %s (%v), want still pending", got.Status, err)
	}
	if got, err := f.db.Couples.Couple(f.ctx, c.ID); err != nil || got.Status != conversations.CoupleActive {
		t.Errorf("after a leave from another server the couple is %s (%v), want active", got.Status, err)
	}
}

func TestAnAcceptedCoupleThatEndedHasNoInvitationToWithdraw(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	if _, err := f.app.Couples.Leave(f.ctx, f.in(c, bob), c.ID, false); err != nil {
		t.Fatal(err)
	}
	_, err := f.app.Couples.Withdraw(f.ctx, f.in(c, alice), c.ID)
	wantCode(t, "withdraw after accepting and leaving", err, conversations.ECONFLICT)
}

func TestLeavingQueuesTheNoticeForTheChannel(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	f.configure(conversations.Settings{Announce: true})

	if _, err := f.app.Couples.Leave(f.ctx, f.in(c, alice), c.ID, false); err != nil {
		t.Fatal(err)
	}

	pending, err := f.app.Outbox.Pending(f.ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var notice *conversations.Post
	for i, p := range pending {
		if p.Kind == conversations.PostLeft {
			notice = &pending[i]
		}
	}
	if notice == nil || notice.UserID != alice {
		t.Fatalf("pending posts %+v, want the notice that alice left", pending)
	}
	d, err := f.app.Outbox.Deliver(f.ctx, *notice)
	if err != nil || !d.Needed || d.Couple.Status != conversations.CoupleEnded {
		t.Errorf("delivery of the notice: %+v, %v; want it needed, for the ended couple", d, err)
	}
}
