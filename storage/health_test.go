package storage_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"mend/conversations"
)

func TestOutboxBacklogCountsDueAndWaitingPostsAndFindsTheOldestDue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "u1", "u2")
	now := t0.Add(time.Hour)

	empty, err := db.OutboxBacklog(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "backlog of an empty outbox", empty, conversations.OutboxBacklog{})

	for _, next := range []time.Time{now.Add(-10 * time.Minute), now.Add(-time.Minute), now, now.Add(time.Hour)} {
		p := conversations.Post{CoupleID: c.ID, Kind: conversations.PostWelcome, CreatedAt: t0, NextAttemptAt: next}
		if err := db.Outbox.QueuePost(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.OutboxBacklog(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "backlog", got, conversations.OutboxBacklog{Due: 3, Waiting: 1, OldestDue: now.Add(-10 * time.Minute)})
	if d := got.Delay(now); d != 10*time.Minute {
		t.Errorf("delay = %s, want 10m", d)
	}
}

func TestOutboxBacklogLeavesOutSentPosts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "u1", "u2")
	if err := db.Outbox.QueuePost(ctx, conversations.Post{CoupleID: c.ID, Kind: conversations.PostWelcome, CreatedAt: t0, NextAttemptAt: t0}); err != nil {
		t.Fatal(err)
	}
	pending, err := db.Outbox.PendingPosts(ctx, t0, 10)
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending posts: %v, %v", pending, err)
	}
	if err := db.Outbox.MarkPostSent(ctx, pending[0].ID, "m1", t0); err != nil {
		t.Fatal(err)
	}
	got, err := db.OutboxBacklog(ctx, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "backlog after the post was sent", got, conversations.OutboxBacklog{})
}

func TestCheckWritableWritesAndLeavesTheSchemaVersionAlone(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mend.db")
	db := MustOpenDBAt(t, path)
	before := userVersion(t, path)
	if err := db.CheckWritable(context.Background()); err != nil {
		t.Fatalf("a fresh database is not writable: %v", err)
	}
	MustCloseDB(t, db)
	if after := userVersion(t, path); after != before {
		t.Errorf("the schema version went from %d to %d", before, after)
	}
}

func TestCheckWritableFailsOnAClosedDatabase(t *testing.T) {
	t.Parallel()
	db := MustOpenDB(t)
	MustCloseDB(t, db)
	if err := db.CheckWritable(context.Background()); err == nil {
		t.Fatal("a closed database was reported writable")
	}
}
