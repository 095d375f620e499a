package storage

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// Posts queued for a console couple before they were refused are dropped,
// so that a bot on the same database does not try to deliver them; a
// Discord couple's stay.
func TestPendingPostsOfAConsoleCoupleAreDroppedOnUpgrade(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, path := openWriter(t)
	before := fstest.MapFS{}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if strings.Contains(name, "_console_posts.sql") {
			break
		}
		body, err := fs.ReadFile(migrationFS, name)
		if err != nil {
			t.Fatal(err)
		}
		before[name] = &fstest.MapFile{Data: body}
	}
	if err := migrate(ctx, db, path, before); err != nil {
		t.Fatal(err)
	}
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
	var left []int64
	rows, err := db.Query(`SELECT couple_id FROM posts WHERE status = 'pending'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		left = append(left, id)
	}
	if len(left) != 1 || left[0] != 2 {
		t.Errorf("pending posts of couples %v after the upgrade, want only the Discord couple's: [2]", left)
	}
}
