package storage

import (
	"context"
	"database/sql"
	"fmt"
	"mend/conversations"
)

var _ conversations.AcknowledgementStore = (*Acknowledgements)(nil)

// Acknowledgements keeps what partners said to each other after a reveal:
// "I hear you", thanks, and the reviews they talked about.
type Acknowledgements struct{ *conns }

// SaveAcknowledgement records that a partner heard the other's answer, or
// thanked them for it. A second press of the button keeps the first record
// and is not an error.
func (st *Acknowledgements) SaveAcknowledgement(ctx context.Context, a conversations.Acknowledgement) error {
	err := st.write(ctx, func(tx *sql.Tx) error {
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
func (st *Acknowledgements) Acknowledgements(ctx context.Context, checkInID int64) ([]conversations.Acknowledgement, error) {
	var out []conversations.Acknowledgement
	err := st.read(ctx, func(tx *sql.Tx) error {
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

// SaveTalk records that the partners talked about a review they saw
// differently. A second press keeps the first record and is not an error.
func (st *Acknowledgements) SaveTalk(ctx context.Context, t conversations.Talk) error {
	err := st.write(ctx, func(tx *sql.Tx) error {
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
func (st *Acknowledgements) Talks(ctx context.Context, checkInID int64) ([]conversations.Talk, error) {
	var out []conversations.Talk
	err := st.read(ctx, func(tx *sql.Tx) error {
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
