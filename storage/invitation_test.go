package storage_test

import (
	"context"
	"testing"
	"time"

	"mend/conversations"
)

func pendingCouple(guild, a, b string, expiresAt time.Time) conversations.Couple {
	c := newCouple(guild, a, b)
	c.Status, c.Partners[1].ConsentedAt, c.ExpiresAt = conversations.CouplePending, time.Time{}, expiresAt
	return c
}

func TestAnExpiredInvitationDoesNotBlockANewCouple(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	old := pendingCouple("g1", "alice", "bob", t0.Add(time.Hour))
	if err := db.Couples.CreateCouple(ctx, &old); err != nil {
		t.Fatal(err)
	}

	before := pendingCouple("g1", "carol", "bob", t0.Add(8*24*time.Hour))
	before.CreatedAt = t0.Add(time.Hour - time.Millisecond)
	wantCode(t, db.Couples.CreateCouple(ctx, &before), conversations.ECONFLICT)

	after := before
	after.CreatedAt = t0.Add(time.Hour)
	if err := db.Couples.CreateCouple(ctx, &after); err != nil {
		t.Fatalf("a new invitation once the old one expired: %v", err)
	}
	got, err := db.Couples.CoupleOf(ctx, "g1", "bob")
	if err != nil || got.ID != after.ID {
		t.Errorf("CoupleOf(bob) = %d (%v), want the newer invitation %d", got.ID, err, after.ID)
	}
}

func TestExpiryAndDeclineAreStored(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := pendingCouple("g1", "alice", "bob", t0.Add(7*24*time.Hour))
	if err := db.Couples.CreateCouple(ctx, &c); err != nil {
		t.Fatal(err)
	}
	c.Status, c.DeclinedAt = conversations.CoupleEnded, t0.Add(2*time.Hour)
	if err := db.Couples.UpdateCouple(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	got, err := db.Couples.Couple(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "declined couple", got, c)
}

// The store's half of the rules for inviting again: the last decline and
// the count are per inviter and invitee, the count starts at since, and a
// block is the invitee's to the inviter until lifted.
func TestInvitationHistoryIsPerInviterAndInvitee(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	for i, at := range []time.Time{t0.Add(time.Hour), t0.Add(3 * time.Hour)} {
		c := pendingCouple("g1", "alice", "bob", t0.Add(7*24*time.Hour))
		c.CreatedAt = t0.Add(time.Duration(i) * 2 * time.Hour)
		if err := db.Couples.CreateCouple(ctx, &c); err != nil {
			t.Fatal(err)
		}
		c.Status, c.DeclinedAt = conversations.CoupleEnded, at
		if err := db.Couples.UpdateCouple(ctx, c, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Couples.SetInvitationBlock(ctx, "g1", "bob", "alice", true, t0.Add(4*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.Couples.SetInvitationBlock(ctx, "g1", "bob", "alice", true, t0.Add(5*time.Hour)); err != nil {
		t.Fatalf("blocking twice: %v", err)
	}
	tests := []struct {
		name                    string
		guild, inviter, invitee string
		since                   time.Time
		want                    conversations.InvitationHistory
	}{
		{"the latest of two, both counted", "g1", "alice", "bob", t0.Add(-time.Millisecond), conversations.InvitationHistory{LastDecline: t0.Add(3 * time.Hour), Sent: 2, Blocked: true}},
		{"counted after since", "g1", "alice", "bob", t0, conversations.InvitationHistory{LastDecline: t0.Add(3 * time.Hour), Sent: 1, Blocked: true}},
		{"the other way round", "g1", "bob", "alice", t0, conversations.InvitationHistory{}},
		{"another guild", "g2", "alice", "bob", t0, conversations.InvitationHistory{}},
		{"someone else", "g1", "carol", "bob", t0, conversations.InvitationHistory{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Couples.InvitationHistory(ctx, tt.guild, tt.inviter, tt.invitee, tt.since)
			if err != nil || !got.LastDecline.Equal(tt.want.LastDecline) || got.Sent != tt.want.Sent || got.Blocked != tt.want.Blocked {
				t.Errorf("InvitationHistory = %+v (%v), want %+v", got, err, tt.want)
			}
		})
	}
	if err := db.Couples.SetInvitationBlock(ctx, "g1", "bob", "alice", false, t0.Add(6*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, err := db.Couples.InvitationHistory(ctx, "g1", "alice", "bob", t0); err != nil || got.Blocked {
		t.Errorf("after lifting the block: %+v (%v)", got, err)
	}
}
