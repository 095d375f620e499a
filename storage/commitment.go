package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"mend/conversations"
)

// AddCommitment records c and sets c.ID.
func (db *DB) AddCommitment(ctx context.Context, c *conversations.Commitment) error {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = db.insertCommitment(ctx, tx, *c)
		return err
	})
	if err != nil {
		return fmt.Errorf("add commitment to couple %d: %w", c.CoupleID, err)
	}
	c.ID = id
	return nil
}

func (db *DB) insertCommitment(ctx context.Context, tx *sql.Tx, c conversations.Commitment) (int64, error) {
	res, err := tx.ExecContext(ctx, `
		INSERT INTO commitments (couple_id, owner_id, text, due_on, status, created_at, closed_at, source_checkin_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		c.CoupleID, c.OwnerID, db.keys.seal(commitmentText, c.Text), nullString(c.DueOn), c.Status,
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
	return res.LastInsertId()
}

// OpenCommitments returns the couple's open commitments, oldest first.
func (db *DB) OpenCommitments(ctx context.Context, coupleID int64) ([]conversations.Commitment, error) {
	var out []conversations.Commitment
	err := db.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = db.queryCommitments(ctx, tx, coupleID, `AND status = 'open' ORDER BY id`)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list open commitments of couple %d: %w", coupleID, err)
	}
	return out, nil
}

// queryCommitments returns the couple's commitments matching the rest of a
// WHERE clause (and its ORDER BY).
func (db *DB) queryCommitments(ctx context.Context, tx *sql.Tx, coupleID int64, rest string) ([]conversations.Commitment, error) {
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
		if err := rows.Scan(&c.ID, &c.OwnerID, db.sealed(commitmentText, &c.Text), &dueOn, &c.Status, timeColumn{&c.CreatedAt}, timeColumn{&c.ClosedAt}, &source); err != nil {
			return nil, err
		}
		c.DueOn, c.SourceCheckInID = dueOn.String, source.Int64
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddAgreement records a and sets a.ID.
func (db *DB) AddAgreement(ctx context.Context, a *conversations.Agreement) error {
	var id int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			INSERT INTO agreements (couple_id, text, created_by, status, created_at, retired_at,
				agreed_at, retire_by, retire_proposed_at, withdrawn_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.CoupleID, db.keys.seal(agreementText, a.Text), a.CreatedBy, a.Status, dbTime(a.CreatedAt), dbTime(a.RetiredAt),
			dbTime(a.AgreedAt), a.RetireBy, dbTime(a.RetireProposedAt), dbTime(a.WithdrawnAt))
		if isForeignKeyViolation(err) {
			return notFound("couple")
		}
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return fmt.Errorf("add agreement to couple %d: %w", a.CoupleID, err)
	}
	a.ID = id
	return nil
}

// ActiveAgreements returns the couple's agreements in force, oldest first: a
// retiring one is reviewed until both have agreed to retire it.
func (db *DB) ActiveAgreements(ctx context.Context, coupleID int64) ([]conversations.Agreement, error) {
	var out []conversations.Agreement
	err := db.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = db.queryAgreements(ctx, tx, coupleID, `AND status IN ('active', 'retiring') ORDER BY id`)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list active agreements of couple %d: %w", coupleID, err)
	}
	return out, nil
}

// queryAgreements returns the couple's agreements matching the rest of a
// WHERE clause (and its ORDER BY).
func (db *DB) queryAgreements(ctx context.Context, tx *sql.Tx, coupleID int64, rest string) ([]conversations.Agreement, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT `+agreementColumns+`
		FROM agreements WHERE couple_id = ? `+rest, coupleID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []conversations.Agreement
	for rows.Next() {
		a, err := db.scanAgreement(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Commitment returns one commitment.
func (db *DB) Commitment(ctx context.Context, id int64) (conversations.Commitment, error) {
	c := conversations.Commitment{ID: id}
	err := db.read(ctx, func(tx *sql.Tx) error {
		var dueOn sql.NullString
		var source sql.NullInt64
		err := tx.QueryRowContext(ctx, `
			SELECT couple_id, owner_id, text, due_on, status, created_at, closed_at, source_checkin_id
			FROM commitments WHERE id = ?`, id).
			Scan(&c.CoupleID, &c.OwnerID, db.sealed(commitmentText, &c.Text), &dueOn, &c.Status, timeColumn{&c.CreatedAt}, timeColumn{&c.ClosedAt}, &source)
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
