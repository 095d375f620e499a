package storage_test

import (
	"context"
	"testing"

	"mend/conversations"
)

func TestACoupleWithoutAStoredPathIsAtTheStart(t *testing.T) {
	t.Parallel()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	p, err := db.Paths.GuidedPath(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.CoupleID != c.ID || p.Version != 0 || p.Slot != 0 || p.Off || len(p.PacksOff) != 0 {
		t.Errorf("path = %+v, want the start", p)
	}
}

func TestSavePathStoresOnlyOverTheVersionItWasMadeFrom(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	p := conversations.Path{CoupleID: c.ID, Slot: 3, PacksOff: []string{"boundaries-money"},
		Asked: map[string][]string{"repair": {"repair-come-back"}}, Rotations: map[string]int{"evening/extra": 2}, ChangedBy: "alice", ChangedAt: t0}
	if err := db.Paths.SavePath(ctx, &p); err != nil {
		t.Fatal(err)
	}
	stale := p
	stale.Version = 0
	stale.Slot = 9
	if err := db.Paths.SavePath(ctx, &stale); conversations.ErrorCode(err) != conversations.ECONFLICT {
		t.Fatalf("a second first save: %v, want a conflict", err)
	}
	p.Slot = 4
	p.ProposedOff, p.ProposedBy = []string{"boundaries-phones"}, "bob"
	if err := db.Paths.SavePath(ctx, &p); err != nil {
		t.Fatal(err)
	}
	stale = p
	stale.Version = 1
	if err := db.Paths.SavePath(ctx, &stale); conversations.ErrorCode(err) != conversations.ECONFLICT {
		t.Fatalf("a save over an old version: %v, want a conflict", err)
	}
	got, err := db.Paths.GuidedPath(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	p.ChangedAt = p.ChangedAt.UTC()
	mustEqual(t, "stored path", got, p)
}

func TestACheckInWhosePathMovedMeanwhileIsNotOpened(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	moved := conversations.Path{CoupleID: c.ID, Slot: 1}
	if err := db.Paths.SavePath(ctx, &moved); err != nil {
		t.Fatal(err)
	}
	ci := newCheckIn(c.ID, "alice", "bob", t0, nil)
	ci.PathAfter = &conversations.Path{CoupleID: c.ID, Slot: 1} // made from version 0
	if err := db.CheckIns.OpenCheckIn(ctx, &ci, nil); conversations.ErrorCode(err) != conversations.ECONFLICT {
		t.Fatalf("OpenCheckIn over a moved path: %v, want a conflict", err)
	}
	if _, err := db.CheckIns.LatestOpenCheckIn(ctx, c.ID); conversations.ErrorCode(err) != conversations.ENOTFOUND {
		t.Errorf("a check-in was stored without its path: %v", err)
	}
	ci.PathAfter = &conversations.Path{CoupleID: c.ID, Version: moved.Version, Slot: 2}
	if err := db.CheckIns.OpenCheckIn(ctx, &ci, nil); err != nil {
		t.Fatal(err)
	}
	if p, err := db.Paths.GuidedPath(ctx, c.ID); err != nil || p.Slot != 2 || p.Version != 2 {
		t.Errorf("path after the check-in opened: %+v, %v; want slot 2, version 2", p, err)
	}
}
