package storage

import (
	"context"
	"database/sql"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// TestInvitationsPendingBeforeExpiryExpireAWeekAfterTheyWereSent: an
// invitation sent before invitations expired must not hold two people for
// ever either.
func TestInvitationsPendingBeforeExpiryExpireAWeekAfterTheyWereSent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, path := openWriter(t)
	migrateUpTo(t, db, path, "_invitation_expiry.sql")
	if _, err := db.Exec(`INSERT INTO couples (guild_id, status, time_zone, created_at) VALUES
		('g1', 'pending', 'UTC', '2025-03-10T18:00:00.123Z'),
		('g1', 'active', 'UTC', '2025-03-10T18:00:00.000Z')`); err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, db, path, migrationFS); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(`SELECT status, COALESCE(invitation_expires_at, '') FROM couples ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	want := map[string]string{"pending": "2025-03-17T18:00:00.123Z", "active": ""}
	for rows.Next() {
		var status, expires string
		if err := rows.Scan(&status, &expires); err != nil {
			t.Fatal(err)
		}
		if expires != want[status] {
			t.Errorf("%s couple expires at %q, want %q", status, expires, want[status])
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// migrateUpTo applies the embedded migrations before the one whose name ends
// in suffix, so a test can store what that migration meets in the field.
func migrateUpTo(t *testing.T, db *sql.DB, path, suffix string) {
	t.Helper()
	before := fstest.MapFS{}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if strings.HasSuffix(name, suffix) {
			break
		}
		body, err := fs.ReadFile(migrationFS, name)
		if err != nil {
			t.Fatal(err)
		}
		before[name] = &fstest.MapFile{Data: body}
	}
	if err := migrate(context.Background(), db, path, before); err != nil {
		t.Fatal(err)
	}
}
