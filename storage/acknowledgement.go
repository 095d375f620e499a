package storage

import (
	"context"
	"database/sql"
	"fmt"

	"mend/conversations"
)

// SaveAcknowledgement records that a partner heard the other's answer, or
// thanked them for it. A second press of the button keeps the first record
// and is not an error.
func (db *DB) SaveAcknowledgement(ctx context.Context, a conversations.Acknowledgement) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO acknowledgements (checkin_id, prompt_id, kind, author_id, by_user_id, at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (checkin_id, prompt_id, author_id) DO NOTHING`,
			a.CheckInID, a.PromptID, ackKind(a.Kind), a.AuthorID, a.ByUserID, dbTime(a.At))
		if isForeignKeyViolation(err) {
			return notFound("check-in or partner")
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("acknowledge %s of %s in check-in %d: %w", a.PromptID, a.AuthorID, a.CheckInID, err)
	}
	return nil
}

// Acknowledgements returns the acknowledgements of a check-in in the order they
// were given.
func (db *DB) Acknowledgements(ctx context.Context, checkInID int64) ([]conversations.Acknowledgement, error) {
	var out []conversations.Acknowledgement
	err := db.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `
			SELECT prompt_id, kind, author_id, by_user_id, at
			FROM acknowledgements WHERE checkin_id = ? ORDER BY at, rowid`, checkInID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a := conversations.Acknowledgement{CheckInID: checkInID}
			if err := rows.Scan(&a.PromptID, &a.Kind, &a.AuthorID, &a.ByUserID, timeColumn{&a.At}); err != nil {
				return err
			}
			out = append(out, a)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("load acknowledgements of check-in %d: %w", checkInID, err)
	}
	return out, nil
}

// ackKind is the kind stored for an acknowledgement: one made without a kind
// is an "I hear you", as every acknowledgement was before there were others.
func ackKind(k conversations.AckKind) conversations.AckKind {
	if k == "" {
		return conversations.AckHeard
	}
	return k
}
