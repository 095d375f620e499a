package storage_test

import (
	"context"
	"testing"
	"time"

	"mend/conversations"
)

func TestCreateCoupleRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)

	c := newCouple("g1", "alice", "bob")
	c.Status = conversations.CouplePending
	c.Partners[1].ConsentedAt = time.Time{}
	if err := db.Couples.CreateCouple(ctx, &c); err != nil {
		t.Fatal(err)
	}
	if c.ID == 0 {
		t.Fatal("CreateCouple did not set the ID")
	}
	got, err := db.Couples.Couple(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "stored couple", got, c)
}

func TestCreateCoupleKeepsMilliseconds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)

	c := newCouple("g1", "alice", "bob")
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	c.CreatedAt = time.Date(2025, 3, 10, 19, 0, 0, 123456789, berlin)
	if err := db.Couples.CreateCouple(ctx, &c); err != nil {
		t.Fatal(err)
	}
	got, err := db.Couples.Couple(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2025, 3, 10, 18, 0, 0, 123000000, time.UTC)
	if !got.CreatedAt.Equal(want) || got.CreatedAt.Location() != time.UTC {
		t.Errorf("CreatedAt = %v, want %v", got.CreatedAt, want)
	}
}

func TestUpdateCoupleSavesConsentChannelAndNames(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := newCouple("g1", "alice", "bob")
	c.Status, c.Partners[1].ConsentedAt = conversations.CouplePending, time.Time{}
	if err := db.Couples.CreateCouple(ctx, &c); err != nil {
		t.Fatal(err)
	}

	c.Status = conversations.CoupleActive
	c.ChannelID = "chan-1"
	c.TimeZone = "America/New_York"
	c.Partners[1].ConsentedAt = t0.Add(2 * time.Hour)
	c.Partners[0].Name = "Ali"
	if err := db.Couples.UpdateCouple(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	got, err := db.Couples.Couple(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "updated couple", got, c)
}

func TestUpdateUnknownCoupleIsNotFound(t *testing.T) {
	t.Parallel()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := newCouple("g1", "alice", "bob")
	c.ID = 42
	wantCode(t, db.Couples.UpdateCouple(context.Background(), c, nil), conversations.ENOTFOUND)
}

func TestUnknownCoupleIsNotFound(t *testing.T) {
	t.Parallel()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	_, err := db.Couples.Couple(context.Background(), 42)
	wantCode(t, err, conversations.ENOTFOUND)
}

func TestCoupleOfFindsPendingOrActiveCoupleInGuild(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)

	active := mustCreateCouple(t, db, "g1", "alice", "bob")
	ended := newCouple("g1", "carol", "dave")
	ended.Status = conversations.CoupleEnded
	if err := db.Couples.CreateCouple(ctx, &ended); err != nil {
		t.Fatal(err)
	}
	pending := newCouple("g2", "alice", "erin")
	pending.Status = conversations.CouplePending
	if err := db.Couples.CreateCouple(ctx, &pending); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		guild  string
		user   string
		wantID int64 // 0: not found
	}{
		{"inviter", "g1", "alice", active.ID},
		{"invitee", "g1", "bob", active.ID},
		{"pending in another guild", "g2", "alice", pending.ID},
		{"pending invitee", "g2", "erin", pending.ID},
		{"ended couple", "g1", "carol", 0},
		{"partner from another guild", "g1", "erin", 0},
		{"guild without couples", "g3", "alice", 0},
		{"stranger", "g1", "mallory", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.Couples.CoupleOf(ctx, tt.guild, tt.user)
			if tt.wantID == 0 {
				wantCode(t, err, conversations.ENOTFOUND)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != tt.wantID || !got.IsPartner(tt.user) {
				t.Errorf("CoupleOf(%s, %s) = couple %d %+v, want couple %d", tt.guild, tt.user, got.ID, got.Partners, tt.wantID)
			}
		})
	}
}

func TestCreateCoupleRefusesPersonAlreadyInCouple(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	mustCreateCouple(t, db, "g1", "alice", "bob")
	ended := newCouple("g1", "carol", "dave")
	ended.Status = conversations.CoupleEnded
	if err := db.Couples.CreateCouple(ctx, &ended); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		guild  string
		a, b   string
		status conversations.CoupleStatus
		code   string
	}{
		{"inviter taken", "g1", "alice", "erin", conversations.CouplePending, conversations.ECONFLICT},
		{"invitee taken", "g1", "erin", "bob", conversations.CouplePending, conversations.ECONFLICT},
		{"other guild", "g2", "alice", "erin", conversations.CouplePending, ""},
		{"partners of an ended couple", "g1", "carol", "frank", conversations.CouplePending, ""},
		{"ended record", "g1", "alice", "gina", conversations.CoupleEnded, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCouple(tt.guild, tt.a, tt.b)
			c.Status = tt.status
			wantCode(t, db.Couples.CreateCouple(ctx, &c), tt.code)
		})
	}
}

func TestCoupleByChannelFindsCoupleOfChannel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)

	active := newCouple("g1", "alice", "bob")
	active.ChannelID = "chan-1"
	ended := newCouple("g1", "carol", "dave")
	ended.ChannelID, ended.Status = "chan-2", conversations.CoupleEnded
	pending := newCouple("g1", "erin", "frank")
	pending.Status = conversations.CouplePending // no channel yet
	for _, c := range []*conversations.Couple{&active, &ended, &pending} {
		if err := db.Couples.CreateCouple(ctx, c); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		channel string
		wantID  int64 // 0: not found
	}{
		{"chan-1", active.ID},
		{"chan-2", ended.ID},
		{"", 0},
		{"chan-3", 0},
	}
	for _, tt := range tests {
		t.Run(tt.channel, func(t *testing.T) {
			got, err := db.Couples.CoupleByChannel(ctx, tt.channel)
			if tt.wantID == 0 {
				wantCode(t, err, conversations.ENOTFOUND)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != tt.wantID {
				t.Errorf("couple of channel %q = %d, want %d", tt.channel, got.ID, tt.wantID)
			}
		})
	}
}
