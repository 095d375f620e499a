package storage

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// Reviews stored before the answers changed are kept, and read as the
// answer that now says the same: missed and not respected as "not this
// week", respected as "kept".
func TestOldReviewAnswersAreKeptAndMappedByTheMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, path := openWriter(t)
	db.SetMaxOpenConns(1) // one connection, so the pragma below holds
	before := fstest.MapFS{}
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() >= "0013" {
			continue
		}
		data, err := fs.ReadFile(migrationFS, "migrations/"+e.Name())
		if err != nil {
			t.Fatal(err)
		}
		before["migrations/"+e.Name()] = &fstest.MapFile{Data: data}
	}
	if err := migrate(ctx, db, path, before); err != nil {
		t.Fatal(err)
	}
	// Answers alone, without the couple and check-in they would belong to.
	if _, err := db.Exec(`PRAGMA foreign_keys = OFF`); err != nil {
		t.Fatal(err)
	}
	for prompt, verdict := range map[string]string{"a": "missed", "b": "respected", "c": "not_respected", "d": "partly", "e": "kept"} {
		if _, err := db.Exec(`INSERT INTO answers (checkin_id, user_id, prompt_id, subject_id, verdict, note, answered_at)
			VALUES (1, 'alice', ?, 1, ?, 'a note kept as written', '2025-01-01T00:00:00Z')`, prompt, verdict); err != nil {
			t.Fatal(err)
		}
	}

	if err := migrate(ctx, db, path, migrationFS); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(`SELECT prompt_id, verdict, note FROM answers ORDER BY prompt_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var prompt, verdict, note string
		if err := rows.Scan(&prompt, &verdict, &note); err != nil {
			t.Fatal(err)
		}
		if note != "a note kept as written" {
			t.Errorf("the note of %s became %q", prompt, note)
		}
		got = append(got, prompt+"="+verdict)
	}
	if want := "a=not_this_week b=kept c=not_this_week d=partly e=kept"; strings.Join(got, " ") != want {
		t.Errorf("answers after the migration: %s, want %s", strings.Join(got, " "), want)
	}
}
