package storage

import (
	"context"
	"database/sql"
	"fmt"

	"mend/conversations"
)

// SaveTalk records that the partners talked about a review they saw
// differently. A second press keeps the first record and is not an error.
func (db *DB) SaveTalk(ctx context.Context, t conversations.Talk) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO talks (checkin_id, prompt_id, subject_id, by_user_id, at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (checkin_id, prompt_id, subject_id) DO NOTHING`,
			t.CheckInID, t.PromptID, t.SubjectID, t.ByUserID, dbTime(t.At))
		if isForeignKeyViolation(err) {
			return notFound("review or partner of the check-in")
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("record talk about %s in check-in %d: %w", t.Key(), t.CheckInID, err)
	}
	return nil
}

// Talks returns the talks of a check-in in the order they were marked.
func (db *DB) Talks(ctx context.Context, checkInID int64) ([]conversations.Talk, error) {
	var out []conversations.Talk
	err := db.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `
			SELECT prompt_id, subject_id, by_user_id, at
			FROM talks WHERE checkin_id = ? ORDER BY at, rowid`, checkInID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t := conversations.Talk{CheckInID: checkInID}
			if err := rows.Scan(&t.PromptID, &t.SubjectID, &t.ByUserID, timeColumn{&t.At}); err != nil {
				return err
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("load talks of check-in %d: %w", checkInID, err)
	}
	return out, nil
}
