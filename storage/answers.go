package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"mend/conversations"
)

var _ conversations.AnswerStore = (*Answers)(nil)

// Answers keeps what each partner answered in a check-in and how far they
// got.
type Answers struct{ *conns }

// SaveParticipant records a partner's progress through a check-in.
func (st *Answers) SaveParticipant(ctx context.Context, checkInID int64, p conversations.Participant) error {
	err := st.write(ctx, func(tx *sql.Tx) error {
		return saveParticipant(ctx, tx, checkInID, p)
	})
	if err != nil {
		return fmt.Errorf("save progress of %s in check-in %d: %w", p.UserID, checkInID, err)
	}
	return nil
}

// saveParticipant never moves a partner who finished back to anything else:
// a "Take a break" pressed as the last answer lands must not undo the finish
// (and with it the reveal).
func saveParticipant(ctx context.Context, tx *sql.Tx, checkInID int64, p conversations.Participant) error {
	res, err := tx.ExecContext(ctx, `
		UPDATE checkin_participants SET status = ?, started_at = ?, paused_at = ?, finished_at = ?
		WHERE checkin_id = ? AND user_id = ? AND (status <> 'done' OR ? = 'done')`,
		p.Status, dbTime(p.StartedAt), dbTime(p.PausedAt), dbTime(p.FinishedAt), checkInID, p.UserID, p.Status)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	var status string
	err = tx.QueryRowContext(ctx, `SELECT status FROM checkin_participants WHERE checkin_id = ? AND user_id = ?`, checkInID, p.UserID).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("participant")
	}
	return err // done already: nothing to change
}

// Answers returns every answer of a check-in, of both partners, in the order
// they were given; a replaced answer counts from its replacement.
func (st *Answers) Answers(ctx context.Context, checkInID int64) ([]conversations.Answer, error) {
	var out []conversations.Answer
	err := st.read(ctx, func(tx *sql.Tx) error {
		// Times are stored to the millisecond; rowid settles ties the same
		// way on every read.
		rows, err := tx.QueryContext(ctx, `
			SELECT c.couple_id, a.user_id, a.prompt_id, a.subject_id, a.skipped, a.scale, a.choice, a.text, a.verdict, a.note, a.due_on, a.answered_at
			FROM answers a JOIN checkins c ON c.id = a.checkin_id
			WHERE a.checkin_id = ? ORDER BY a.answered_at, a.rowid`, checkInID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a := conversations.Answer{CheckInID: checkInID}
			var coupleID int64
			var scale, choice, text, verdict, note any
			var dueOn sql.NullString
			if err := rows.Scan(&coupleID, &a.UserID, &a.PromptID, &a.SubjectID, &a.Skipped, &scale, &choice, &text,
				&verdict, &note, &dueOn, timeColumn{&a.AnsweredAt}); err != nil {
				return err
			}
			if err := st.openAnswer(&a, answerKey(coupleID, a), scale, choice, text, verdict, note); err != nil {
				return err
			}
			a.DueOn = dueOn.String
			out = append(out, a)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("load answers of check-in %d: %w", checkInID, err)
	}
	return out, nil
}

// SaveAnswer stores a, replacing an earlier answer to the same step, together
// with the partner's progress p. It is ECONFLICT once the check-in is no longer
// open, when a.AnsweredAt is not before its window's end, or once the partner
// has sent their answers; all are read under the write lock, so a reveal or a
// Send cannot slip in between check and write.
func (st *Answers) SaveAnswer(ctx context.Context, a conversations.Answer, p conversations.Participant) error {
	if a.UserID != p.UserID {
		return fmt.Errorf("save answer %s of check-in %d: answer of %s with progress of %s", a.Key(), a.CheckInID, a.UserID, p.UserID)
	}
	err := st.write(ctx, func(tx *sql.Tx) error {
		// An answer given after the window ended is refused even while
		// nothing has recorded the end yet, the same way CheckIn.StatusAt
		// sees it.
		var status conversations.CheckInStatus
		var late bool
		var coupleID int64
		err := tx.QueryRowContext(ctx, `SELECT status, IFNULL(closes_at <= ?, 0), couple_id FROM checkins WHERE id = ?`,
			dbTime(a.AnsweredAt), a.CheckInID).Scan(&status, &late, &coupleID)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("check-in")
		}
		if err != nil {
			return err
		}
		if status != conversations.CheckInOpen || late {
			return conversations.Errorf(conversations.ECONFLICT, "This check-in is no longer open for answers. Everything you answered before is kept.")
		}
		// Sent answers are sealed. The service checks this too, but from a
		// read made before this write: a change racing its author's Send
		// is refused here, under the write lock.
		var sent bool
		if err := tx.QueryRowContext(ctx, `SELECT status = 'done' FROM checkin_participants WHERE checkin_id = ? AND user_id = ?`,
			a.CheckInID, a.UserID).Scan(&sent); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if sent {
			return conversations.Errorf(conversations.ECONFLICT, "Your answers were sent, so they can no longer be changed.")
		}
		if err := saveParticipant(ctx, tx, a.CheckInID, p); err != nil {
			return err
		}
		key := answerKey(coupleID, a)
		_, err = tx.ExecContext(ctx, `
			INSERT INTO answers (checkin_id, user_id, prompt_id, subject_id, skipped, scale, choice, text, verdict, note, due_on, answered_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (checkin_id, user_id, prompt_id, subject_id) DO UPDATE SET
				skipped = excluded.skipped, scale = excluded.scale, choice = excluded.choice,
				text = excluded.text, verdict = excluded.verdict, note = excluded.note,
				due_on = excluded.due_on, answered_at = excluded.answered_at`,
			a.CheckInID, a.UserID, a.PromptID, a.SubjectID, a.Skipped,
			st.keys.sealInt(answerScale, key, a.Scale), st.keys.sealNull(answerChoice, key, a.Choice), st.keys.sealNull(answerText, key, a.Text),
			st.keys.sealNull(answerVerdict, key, string(a.Verdict)), st.keys.sealNull(answerNote, key, a.Note), nullString(a.DueOn), dbTime(a.AnsweredAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("save answer %s of check-in %d: %w", a.Key(), a.CheckInID, err)
	}
	return nil
}

// answerKey is the row an answer's sealed values are bound to.
func answerKey(coupleID int64, a conversations.Answer) rowKey {
	return keyOf(coupleID, a.CheckInID, a.UserID, a.PromptID, a.SubjectID)
}

// openAnswer opens the sealed fields of an answer read from its row.
func (st *Answers) openAnswer(a *conversations.Answer, key rowKey, scale, choice, text, verdict, note any) error {
	var err error
	if a.Scale, err = st.keys.openInt(answerScale, key, scale); err != nil {
		return err
	}
	if a.Choice, err = st.keys.open(answerChoice, key, choice); err != nil {
		return err
	}
	if a.Text, err = st.keys.open(answerText, key, text); err != nil {
		return err
	}
	v, err := st.keys.open(answerVerdict, key, verdict)
	if err != nil {
		return err
	}
	a.Verdict = conversations.ReadVerdict(v)
	a.Note, err = st.keys.open(answerNote, key, note)
	return err
}
