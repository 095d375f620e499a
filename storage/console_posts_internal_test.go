package storage

import (
	"context"
	"testing"
)

// Posts queued for a console couple before they were refused are dropped,
// so that a bot on the same database does not try to deliver them; a
// Discord couple's stay.
func TestPendingPostsOfAConsoleCoupleAreDroppedOnUpgrade(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, path := openWriter(t)
	migrateUpTo(t, db, path, "_console_posts.sql")
	if _, err := db.Exec(`INSERT INTO couples (id, guild_id, channel_id, status, time_zone, created_at) VALUES
		(1, 'console', 'console', 'active', 'UTC', '2025-03-10T18:00:00.000Z'),
		(2, '111', '222', 'active', 'UTC', '2025-03-10T18:00:00.000Z')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO posts (couple_id, kind, next_attempt_at, created_at) VALUES
		(1, 'reveal', '2025-03-10T18:00:00.000Z', '2025-03-10T18:00:00.000Z'),
		(2, 'reveal', '2025-03-10T18:00:00.000Z', '2025-03-10T18:00:00.000Z')`); err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, db, path, migrationFS); err != nil {
		t.Fatal(err)
	}
	var left string
	if err := db.QueryRow(`SELECT GROUP_CONCAT(couple_id) FROM posts WHERE status = 'pending'`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != "2" {
		t.Errorf("pending posts of couples %q after the upgrade, want only the Discord couple's: 2", left)
	}
}
