package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mend/conversations"
	"time"
)

var _ conversations.CheckInStore = (*CheckIns)(nil)

// CheckIns keeps check-ins: opening, closing, the reveal and sharing after
// the window.
type CheckIns struct{ *conns }

// CheckIns returns the couple's check-ins, newest first, at most limit.
func (st *CheckIns) CheckIns(ctx context.Context, coupleID int64, limit int) ([]conversations.CheckIn, error) {
	var out []conversations.CheckIn
	err := st.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = st.loadCheckIns(ctx, tx, `SELECT id FROM checkins WHERE couple_id = ? ORDER BY opened_at DESC, id DESC LIMIT ?`, coupleID, limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list check-ins of couple %d: %w", coupleID, err)
	}
	return out, nil
}

// OpenCheckIn records ci with its participants and subjects and sets ci.ID.
// An open check-in of the couple whose window ended by ci.OpenedAt is closed
// first, in the same transaction; one still running is ECONFLICT.
func (st *CheckIns) OpenCheckIn(ctx context.Context, ci *conversations.CheckIn, post *conversations.Post) error {
	err := st.write(ctx, func(tx *sql.Tx) error {
		if err := st.insertCheckIn(ctx, tx, ci); err != nil {
			return err
		}
		if post != nil {
			p := *post
			p.CheckInID = ci.ID
			return insertPost(ctx, tx, p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("open check-in for couple %d: %w", ci.CoupleID, err)
	}
	return nil
}

// CheckIn returns the check-in with the given ID.
func (st *CheckIns) CheckIn(ctx context.Context, id int64) (conversations.CheckIn, error) {
	var ci conversations.CheckIn
	err := st.read(ctx, func(tx *sql.Tx) error {
		var err error
		ci, err = st.loadCheckIn(ctx, tx, id)
		return err
	})
	if err != nil {
		return conversations.CheckIn{}, fmt.Errorf("load check-in %d: %w", id, err)
	}
	return ci, nil
}

// CheckInNumber is the check-in's place among its couple's check-ins,
// counting from 1 in the order they opened.
func (st *CheckIns) CheckInNumber(ctx context.Context, checkInID int64) (int, error) {
	var n int
	err := st.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM checkins WHERE id <= ?1
			AND couple_id = (SELECT couple_id FROM checkins WHERE id = ?1)`, checkInID).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("number check-in %d: %w", checkInID, err)
	}
	return n, nil
}

// LatestOpenCheckIn returns the couple's check-in with status open, whether or
// not its window has ended.
func (st *CheckIns) LatestOpenCheckIn(ctx context.Context, coupleID int64) (conversations.CheckIn, error) {
	var ci conversations.CheckIn
	err := st.read(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `
			SELECT id FROM checkins WHERE couple_id = ? AND status = 'open'
			ORDER BY opened_at DESC, id DESC LIMIT 1`, coupleID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return conversations.Errorf(conversations.ENOTFOUND, "There is no check-in open right now.")
		}
		if err != nil {
			return err
		}
		ci, err = st.loadCheckIn(ctx, tx, id)
		return err
	})
	if err != nil {
		return conversations.CheckIn{}, fmt.Errorf("find open check-in of couple %d: %w", coupleID, err)
	}
	return ci, nil
}

func (db *conns) loadCheckIn(ctx context.Context, tx *sql.Tx, id int64) (conversations.CheckIn, error) {
	ci := conversations.CheckIn{ID: id}
	var tmpl string
	err := tx.QueryRowContext(ctx, `
		SELECT c.couple_id, COALESCE(t.json, c.template_json), c.status, c.opened_at, c.closes_at, c.revealed_at, c.closed_at,
			c.post_id, c.reveal_post_id
		FROM checkins c LEFT JOIN checkin_templates t ON t.hash = c.template_hash WHERE c.id = ?`, id).
		Scan(&ci.CoupleID, &tmpl, &ci.Status, timeColumn{&ci.OpenedAt}, timeColumn{&ci.ClosesAt},
			timeColumn{&ci.RevealedAt}, timeColumn{&ci.ClosedAt}, &ci.PostID, &ci.RevealPostID)
	if errors.Is(err, sql.ErrNoRows) {
		return conversations.CheckIn{}, notFound("check-in")
	}
	if err != nil {
		return conversations.CheckIn{}, err
	}
	if err := json.Unmarshal([]byte(tmpl), &ci.Template); err != nil {
		return conversations.CheckIn{}, fmt.Errorf("decode template: %w", err)
	}
	if ci.Participants, err = loadParticipants(ctx, tx, id); err != nil {
		return conversations.CheckIn{}, err
	}
	if ci.Subjects, err = db.loadSubjects(ctx, tx, ci.CoupleID, id); err != nil {
		return conversations.CheckIn{}, err
	}
	return ci, nil
}

func loadParticipants(ctx context.Context, tx *sql.Tx, checkInID int64) ([2]conversations.Participant, error) {
	var out [2]conversations.Participant
	rows, err := tx.QueryContext(ctx, `
		SELECT position, user_id, status, started_at, paused_at, finished_at
		FROM checkin_participants WHERE checkin_id = ? ORDER BY position`, checkInID)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var pos int
		var p conversations.Participant
		if err := rows.Scan(&pos, &p.UserID, &p.Status, timeColumn{&p.StartedAt}, timeColumn{&p.PausedAt}, timeColumn{&p.FinishedAt}); err != nil {
			return out, err
		}
		if pos < 0 || pos > 1 {
			return out, fmt.Errorf("participant at position %d", pos)
		}
		out[pos] = p
		n++
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	if n != 2 {
		return out, fmt.Errorf("check-in has %d participants, want 2", n)
	}
	return out, nil
}

func (db *conns) loadSubjects(ctx context.Context, tx *sql.Tx, coupleID, checkInID int64) ([]conversations.Subject, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT prompt_id, kind, subject_id, text, owner_id
		FROM checkin_subjects WHERE checkin_id = ? ORDER BY position`, checkInID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []conversations.Subject
	for rows.Next() {
		var s conversations.Subject
		if err := rows.Scan(&s.PromptID, &s.Kind, &s.ID, db.sealed(subjectText, func() rowKey { return subjectKey(coupleID, checkInID, s) }, &s.Text), &s.OwnerID); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// RevealCheckIn marks the check-in revealed and records the commitments made in
// it, only if it is open and every participant is done. The condition and the
// change are one statement under the write lock, so of any number of callers,
// in any number of processes, exactly one sees true.
func (st *CheckIns) RevealCheckIn(ctx context.Context, checkInID int64, at time.Time, made []conversations.Commitment, post conversations.Post) (bool, error) {
	var revealed bool
	err := st.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE checkins SET status = 'revealed', revealed_at = ?
			WHERE id = ? AND status = 'open' AND NOT EXISTS (
				SELECT 1 FROM checkin_participants
				WHERE checkin_id = checkins.id AND status <> 'done'
			)`, dbTime(at), checkInID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			return checkInExists(ctx, tx, checkInID)
		}
		for i := range made {
			if _, err := st.insertCommitment(ctx, tx, made[i]); err != nil {
				return fmt.Errorf("record commitment %d made in it: %w", i, err)
			}
		}
		if err := insertPost(ctx, tx, post); err != nil {
			return err
		}
		revealed = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("reveal check-in %d: %w", checkInID, err)
	}
	return revealed, nil
}

// SetCheckInPosts records the adapter's references to the check-in's status
// message and reveal; an empty one leaves the stored one as it is.
func (st *CheckIns) SetCheckInPosts(ctx context.Context, checkInID int64, postID, revealPostID string) error {
	err := st.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE checkins SET
				post_id = COALESCE(NULLIF(?, ''), post_id),
				reveal_post_id = COALESCE(NULLIF(?, ''), reveal_post_id)
			WHERE id = ?`, postID, revealPostID, checkInID)
		if err != nil {
			return err
		}
		return mustAffectOne(res, "check-in")
	})
	if err != nil {
		return fmt.Errorf("record posts of check-in %d: %w", checkInID, err)
	}
	return nil
}

// checkInExists tells a check-in that is not there from one that is there but
// not in the state a guarded update wanted.
func checkInExists(ctx context.Context, tx *sql.Tx, id int64) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM checkins WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("check-in")
	}
	return err
}

// insertCheckIn inserts ci with its participants and subjects and sets ci.ID;
// a second open check-in of the couple is ECONFLICT.
func (db *conns) insertCheckIn(ctx context.Context, tx execer, ci *conversations.CheckIn) error {
	tmpl, err := templateText(ci.Template)
	if err != nil {
		return err
	}
	if err := saveTemplates(ctx, tx, [][]any{tmpl}); err != nil {
		return err
	}
	// Nobody may have recorded that the last check-in's window ended; it
	// closes at the moment it ended, not now.
	if _, err := tx.ExecContext(ctx, `
		UPDATE checkins SET status = 'closed', closed_at = closes_at
		WHERE couple_id = ? AND status = 'open' AND closes_at <= ?`,
		ci.CoupleID, dbTime(ci.OpenedAt)); err != nil {
		return fmt.Errorf("close expired check-ins: %w", err)
	}
	res, err := tx.ExecContext(ctx, `
		INSERT INTO checkins (couple_id, template_id, template_json, template_hash, status, opened_at, closes_at, revealed_at, closed_at, post_id, reveal_post_id)
		VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?)`,
		ci.CoupleID, ci.Template.ID, tmpl[0], ci.Status,
		dbTime(ci.OpenedAt), dbTime(ci.ClosesAt), dbTime(ci.RevealedAt), dbTime(ci.ClosedAt),
		ci.PostID, ci.RevealPostID)
	switch {
	case isUniqueViolation(err):
		return conversations.Errorf(conversations.ECONFLICT, "A check-in is already open for you two. Press Start my check-in on it (or use /checkin status) to continue; a new one can start once it is finished or closed.")
	case isForeignKeyViolation(err):
		return notFound("couple")
	case err != nil:
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	// Both partners in one statement: a scheduler opening thousands of
	// check-ins at once runs every statement here thousands of times.
	p0, p1 := ci.Participants[0], ci.Participants[1]
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO checkin_participants (checkin_id, position, user_id, status, started_at, paused_at, finished_at)
		VALUES (?, 0, ?, ?, ?, ?, ?), (?, 1, ?, ?, ?, ?, ?)`,
		id, p0.UserID, p0.Status, dbTime(p0.StartedAt), dbTime(p0.PausedAt), dbTime(p0.FinishedAt),
		id, p1.UserID, p1.Status, dbTime(p1.StartedAt), dbTime(p1.PausedAt), dbTime(p1.FinishedAt)); err != nil {
		return fmt.Errorf("participants: %w", err)
	}
	for i, s := range ci.Subjects {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO checkin_subjects (checkin_id, position, prompt_id, kind, subject_id, text, owner_id)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, i, s.PromptID, s.Kind, s.ID, db.keys.seal(subjectText, subjectKey(ci.CoupleID, id, s), s.Text), s.OwnerID); err != nil {
			return fmt.Errorf("subject %s/%d: %w", s.PromptID, s.ID, err)
		}
	}
	// The path moves on with the check-in that drew from it, or not at all.
	if ci.PathAfter != nil {
		if _, err := savePath(ctx, tx, *ci.PathAfter); err != nil {
			return fmt.Errorf("move the guided path on: %w", err)
		}
	}
	ci.ID = id
	return nil
}

// OpenCheckIns returns the open check-ins that opened before openedBefore
// or close by closingBy.
func (st *CheckIns) OpenCheckIns(ctx context.Context, openedBefore, closingBy time.Time) ([]conversations.CheckIn, error) {
	var out []conversations.CheckIn
	err := st.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = st.loadCheckIns(ctx, tx, `
			SELECT id FROM checkins WHERE status = 'open' AND (opened_at <= ? OR closes_at <= ?) ORDER BY id`,
			dbTime(openedBefore), dbTime(closingBy))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list open check-ins: %w", err)
	}
	return out, nil
}

// loadCheckIns loads the check-ins whose IDs the query selects, in its order.
// The IDs are read first: loadCheckIn runs queries of its own on tx.
func (db *conns) loadCheckIns(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]conversations.CheckIn, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]conversations.CheckIn, 0, len(ids))
	for _, id := range ids {
		ci, err := db.loadCheckIn(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, ci)
	}
	return out, nil
}

// CloseCheckIn closes an open check-in and queues its post.
func (st *CheckIns) CloseCheckIn(ctx context.Context, checkInID int64, at time.Time, post conversations.Post) (bool, error) {
	closed := false
	err := st.write(ctx, func(tx *sql.Tx) error {
		var err error
		// A check-in both finished in time is revealed, not closed, even if
		// the reveal has not happened yet when the window ends.
		closed, err = changeThenPost(ctx, tx, post, `
			UPDATE checkins SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'
			AND EXISTS (SELECT 1 FROM checkin_participants p WHERE p.checkin_id = checkins.id AND p.status <> 'done')`,
			dbTime(at), checkInID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("close check-in %d: %w", checkInID, err)
	}
	return closed, nil
}

// AskShare records that a partner asked to share the answers of a closed
// check-in; false when they had asked already.
func (st *CheckIns) AskShare(ctx context.Context, checkInID int64, userID string, at time.Time) (bool, error) {
	asked := false
	err := st.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO checkin_share_asks (checkin_id, user_id, asked_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			checkInID, userID, dbTime(at))
		if isForeignKeyViolation(err) {
			return notFound("check-in")
		}
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		asked = n == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("record the ask to share check-in %d: %w", checkInID, err)
	}
	return asked, nil
}

// ShareAsked reports whether a partner asked to share the answers of a
// check-in.
func (st *CheckIns) ShareAsked(ctx context.Context, checkInID int64, userID string) (bool, error) {
	var asked bool
	err := st.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM checkin_share_asks WHERE checkin_id = ? AND user_id = ?)`, checkInID, userID).Scan(&asked)
	})
	if err != nil {
		return false, fmt.Errorf("look up the ask to share check-in %d: %w", checkInID, err)
	}
	return asked, nil
}

// RecordShare records that a partner shared the answers of a closed check-in.
func (st *CheckIns) RecordShare(ctx context.Context, checkInID int64, userID string, at time.Time, post conversations.Post) (bool, error) {
	recorded := false
	err := st.write(ctx, func(tx *sql.Tx) error {
		var err error
		recorded, err = changeThenPost(ctx, tx, post, `INSERT INTO checkin_shares (checkin_id, user_id, shared_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			checkInID, userID, dbTime(at))
		if isForeignKeyViolation(err) {
			return notFound("check-in")
		}
		return err
	})
	if err != nil {
		return false, fmt.Errorf("record share of check-in %d: %w", checkInID, err)
	}
	return recorded, nil
}

// subjectKey is the row a check-in's copy of a commitment or agreement is
// bound to.
func subjectKey(coupleID, checkInID int64, s conversations.Subject) rowKey {
	return keyOf(coupleID, checkInID, s.PromptID, s.ID)
}

// templateText is a check-in's template as stored, its SHA-256 and its JSON.
func templateText(t conversations.Template) ([]any, error) {
	text, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("encode template %s: %w", t.ID, err)
	}
	hash := sha256.Sum256(text)
	return []any{hex.EncodeToString(hash[:]), string(text)}, nil
}

// saveTemplates stores templates (from templateText) that are not stored yet:
// a check-in refers to its template by hash, and the many check-ins that
// open with the same one share its text.
func saveTemplates(ctx context.Context, tx execer, templates [][]any) error {
	if _, err := execRows(ctx, tx, `INSERT INTO checkin_templates (hash, json) VALUES %s ON CONFLICT DO NOTHING`, templates); err != nil {
		return fmt.Errorf("store templates: %w", err)
	}
	return nil
}
