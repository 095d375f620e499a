package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"mend/conversations"
)

// agreementColumns are read by scanAgreement, in its order.
const agreementColumns = `id, couple_id, text, created_by, status, created_at, retired_at,
	agreed_at, retire_by, retire_proposed_at, withdrawn_at`

func (db *DB) scanAgreement(rows *sql.Rows) (conversations.Agreement, error) {
	var a conversations.Agreement
	err := rows.Scan(&a.ID, &a.CoupleID, db.sealed(agreementText, &a.Text), &a.CreatedBy, &a.Status, timeColumn{&a.CreatedAt}, timeColumn{&a.RetiredAt},
		timeColumn{&a.AgreedAt}, &a.RetireBy, timeColumn{&a.RetireProposedAt}, timeColumn{&a.WithdrawnAt})
	return a, err
}

// UpdateAgreement saves a's status and what goes with it if the stored status
// is still from. The condition is in the UPDATE itself, so of two partners
// answering at once exactly one changes the row.
func (db *DB) UpdateAgreement(ctx context.Context, a conversations.Agreement, from conversations.AgreementStatus) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
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
