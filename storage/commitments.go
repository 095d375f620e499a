package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"mend/conversations"
	"time"
)

var _ conversations.CommitmentStore = (*Commitments)(nil)

// Commitments keeps the commitments partners make.
type Commitments struct{ *conns }

// Commitments returns all of the couple's commitments, oldest first.
func (st *Commitments) Commitments(ctx context.Context, coupleID int64) ([]conversations.Commitment, error) {
	var out []conversations.Commitment
	err := st.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = st.queryCommitments(ctx, tx, coupleID, `ORDER BY id`)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list commitments of couple %d: %w", coupleID, err)
	}
	return out, nil
}

// CloseCommitment moves an open commitment to done or dropped.
func (st *Commitments) CloseCommitment(ctx context.Context, id int64, status conversations.CommitmentStatus, at time.Time) error {
	err := st.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE commitments SET status = ?, closed_at = ? WHERE id = ? AND status = 'open'`, status, dbTime(at), id)
		if err != nil {
			return err
		}
		return mustAffectOne(res, "open commitment")
	})
	if err != nil {
		return fmt.Errorf("close commitment %d: %w", id, err)
	}
	return nil
}

// AddCommitment records c and sets c.ID.
func (st *Commitments) AddCommitment(ctx context.Context, c *conversations.Commitment) error {
	var id int64
	err := st.write(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = st.insertCommitment(ctx, tx, *c)
		return err
	})
	if err != nil {
		return fmt.Errorf("add commitment to couple %d: %w", c.CoupleID, err)
	}
	c.ID = id
	return nil
}

func (db *conns) insertCommitment(ctx context.Context, tx *sql.Tx, c conversations.Commitment) (int64, error) {
	id, err := nextID(ctx, tx, "commitments")
	if err != nil {
		return 0, err
	}
	_, err = tx.ExecContext(ctx, `
		INSERT INTO commitments (id, couple_id, owner_id, text, due_on, status, created_at, closed_at, source_checkin_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, c.CoupleID, c.OwnerID, db.keys.seal(commitmentText, keyOf(c.CoupleID, id), c.Text), nullString(c.DueOn), c.Status,
		dbTime(c.CreatedAt), dbTime(c.ClosedAt), nullInt(c.SourceCheckInID))
	if isForeignKeyViolation(err) {
		if c.SourceCheckInID != 0 {
			return 0, notFound("couple or check-in")
		}
		return 0, notFound("couple")
	}
	if err != nil {
		return 0, err
	}
	return id, nil
}

// OpenCommitments returns the couple's open commitments, oldest first.
func (st *Commitments) OpenCommitments(ctx context.Context, coupleID int64) ([]conversations.Commitment, error) {
	var out []conversations.Commitment
	err := st.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = st.queryCommitments(ctx, tx, coupleID, `AND status = 'open' ORDER BY id`)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list open commitments of couple %d: %w", coupleID, err)
	}
	return out, nil
}

// queryCommitments returns the couple's commitments matching the rest of a
// WHERE clause (and its ORDER BY).
func (db *conns) queryCommitments(ctx context.Context, tx *sql.Tx, coupleID int64, rest string) ([]conversations.Commitment, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT id, owner_id, text, due_on, status, created_at, closed_at, source_checkin_id
		FROM commitments WHERE couple_id = ? `+rest, coupleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []conversations.Commitment
	for rows.Next() {
		c := conversations.Commitment{CoupleID: coupleID}
		var dueOn sql.NullString
		var source sql.NullInt64
		if err := rows.Scan(&c.ID, &c.OwnerID, db.sealedByID(commitmentText, &c.CoupleID, &c.ID, &c.Text), &dueOn, &c.Status, timeColumn{&c.CreatedAt}, timeColumn{&c.ClosedAt}, &source); err != nil {
			return nil, err
		}
		c.DueOn, c.SourceCheckInID = dueOn.String, source.Int64
		out = append(out, c)
	}
	return out, rows.Err()
}

// Commitment returns one commitment.
func (st *Commitments) Commitment(ctx context.Context, id int64) (conversations.Commitment, error) {
	c := conversations.Commitment{ID: id}
	err := st.read(ctx, func(tx *sql.Tx) error {
		var dueOn sql.NullString
		var source sql.NullInt64
		err := tx.QueryRowContext(ctx, `
			SELECT couple_id, owner_id, text, due_on, status, created_at, closed_at, source_checkin_id
			FROM commitments WHERE id = ?`, id).
			Scan(&c.CoupleID, &c.OwnerID, st.sealedByID(commitmentText, &c.CoupleID, &c.ID, &c.Text), &dueOn, &c.Status, timeColumn{&c.CreatedAt}, timeColumn{&c.ClosedAt}, &source)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("commitment")
		}
		c.DueOn, c.SourceCheckInID = dueOn.String, source.Int64
		return err
	})
	if err != nil {
		return conversations.Commitment{}, fmt.Errorf("load commitment %d: %w", id, err)
	}
	return c, nil
}
