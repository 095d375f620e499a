package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"mend/conversations"
)

var _ conversations.AgreementStore = (*Agreements)(nil)

// Agreements keeps the agreements a couple proposes, agrees to and retires.
type Agreements struct{ *conns }

// Agreements returns all of the couple's agreements, oldest first.
func (st *Agreements) Agreements(ctx context.Context, coupleID int64) ([]conversations.Agreement, error) {
	var out []conversations.Agreement
	err := st.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = st.queryAgreements(ctx, tx, coupleID, `ORDER BY id`)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list agreements of couple %d: %w", coupleID, err)
	}
	return out, nil
}

// AddAgreement records a and sets a.ID.
func (st *Agreements) AddAgreement(ctx context.Context, a *conversations.Agreement) error {
	var id int64
	err := st.write(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = nextID(ctx, tx, "agreements"); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO agreements (id, couple_id, text, created_by, status, created_at, retired_at,
				agreed_at, retire_by, retire_proposed_at, withdrawn_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, a.CoupleID, st.keys.seal(agreementText, keyOf(a.CoupleID, id), a.Text), a.CreatedBy, a.Status, dbTime(a.CreatedAt), dbTime(a.RetiredAt),
			dbTime(a.AgreedAt), a.RetireBy, dbTime(a.RetireProposedAt), dbTime(a.WithdrawnAt))
		if isForeignKeyViolation(err) {
			return notFound("couple")
		}
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
func (st *Agreements) ActiveAgreements(ctx context.Context, coupleID int64) ([]conversations.Agreement, error) {
	var out []conversations.Agreement
	err := st.read(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = st.queryAgreements(ctx, tx, coupleID, `AND status IN ('active', 'retiring') ORDER BY id`)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list active agreements of couple %d: %w", coupleID, err)
	}
	return out, nil
}

// queryAgreements returns the couple's agreements matching the rest of a
// WHERE clause (and its ORDER BY).
func (db *conns) queryAgreements(ctx context.Context, tx *sql.Tx, coupleID int64, rest string) ([]conversations.Agreement, error) {
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

// agreementColumns are read by scanAgreement, in its order.
const agreementColumns = `id, couple_id, text, created_by, status, created_at, retired_at,
	agreed_at, retire_by, retire_proposed_at, withdrawn_at`

func (db *conns) scanAgreement(rows *sql.Rows) (conversations.Agreement, error) {
	var a conversations.Agreement
	err := rows.Scan(&a.ID, &a.CoupleID, db.sealedByID(agreementText, &a.CoupleID, &a.ID, &a.Text), &a.CreatedBy, &a.Status, timeColumn{&a.CreatedAt}, timeColumn{&a.RetiredAt},
		timeColumn{&a.AgreedAt}, &a.RetireBy, timeColumn{&a.RetireProposedAt}, timeColumn{&a.WithdrawnAt})
	return a, err
}

// UpdateAgreement saves a's status and what goes with it if the stored status
// is still from. The condition is in the UPDATE itself, so of two partners
// answering at once exactly one changes the row.
func (st *Agreements) UpdateAgreement(ctx context.Context, a conversations.Agreement, from conversations.AgreementStatus) error {
	err := st.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE agreements SET status = ?, retired_at = ?, agreed_at = ?, retire_by = ?, retire_proposed_at = ?, withdrawn_at = ?
			WHERE id = ? AND status = ?`,
			a.Status, dbTime(a.RetiredAt), dbTime(a.AgreedAt), a.RetireBy, dbTime(a.RetireProposedAt), dbTime(a.WithdrawnAt),
			a.ID, from)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 1 {
			return err
		}
		var status string
		err = tx.QueryRowContext(ctx, `SELECT status FROM agreements WHERE id = ?`, a.ID).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("agreement")
		}
		if err != nil {
			return err
		}
		return conversations.Errorf(conversations.ECONFLICT, "agreement is %s, not %s", status, from)
	})
	if err != nil {
		return fmt.Errorf("update agreement %d: %w", a.ID, err)
	}
	return nil
}
