package storage

import (
	"context"
	"testing"
)

// Rebuilding checkin_subjects so a check-in may hold a boundary keeps every
// subject and every "we talked about it" that points at one.
func TestMigrationForBoundaryReviewsKeepsSubjectsAndTalks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, path := openWriter(t)
	migrateUpTo(t, db, path, "_boundary_reviews_and_invitation_posts.sql")
	for _, q := range []string{
		`INSERT INTO couples (guild_id, status, time_zone, created_at) VALUES ('g1', 'active', 'UTC', '2025-03-10T18:00:00.000Z')`,
		`INSERT INTO checkins (couple_id, template_id, template_json, status, opened_at, closes_at) VALUES (1, 'weekly', '{}', 'revealed', '2025-03-11T18:00:00Z', '2025-03-12T18:00:00Z')`,
		`INSERT INTO checkin_participants (checkin_id, position, user_id, status) VALUES (1, 0, 'u1', 'done'), (1, 1, 'u2', 'done')`,
		`INSERT INTO checkin_subjects (checkin_id, position, prompt_id, kind, subject_id, text, owner_id) VALUES (1, 0, 'commitment-review', 'commitment', 7, 'Home by 7', 'u1')`,
		`INSERT INTO talks (checkin_id, prompt_id, subject_id, by_user_id, at) VALUES (1, 'commitment-review', 7, 'u2', '2025-03-12T19:00:00Z')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := migrate(ctx, db, path, migrationFS); err != nil {
		t.Fatal(err)
	}
	var subjects, talks int
	if err := db.QueryRow(`SELECT COUNT(*) FROM checkin_subjects WHERE text = 'Home by 7' AND owner_id = 'u1'`).Scan(&subjects); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT COUNT(*) FROM talks WHERE subject_id = 7 AND by_user_id = 'u2'`).Scan(&talks); err != nil {
		t.Fatal(err)
	}
	if subjects != 1 || talks != 1 {
		t.Errorf("after the migration: %d subjects, %d talks; want 1 and 1", subjects, talks)
	}
	if _, err := db.Exec(`INSERT INTO checkin_subjects (checkin_id, position, prompt_id, kind, subject_id, text, owner_id) VALUES (1, 1, 'own-boundary', 'boundary', 3, 'Sundays', 'u2')`); err != nil {
		t.Errorf("a boundary is refused as a subject: %v", err)
	}
}
