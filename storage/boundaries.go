package storage

import (
	"context"
	"database/sql"
	"fmt"

	"mend/conversations"
)

var _ conversations.BoundaryStore = (*Boundaries)(nil)

// Boundaries keeps the personal boundaries partners state.
type Boundaries struct{ *conns }

// AddBoundary records b and sets b.ID.
func (st *Boundaries) AddBoundary(ctx context.Context, b *conversations.Boundary) error {
	var id int64
	err := st.write(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = nextID(ctx, tx, "boundaries"); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `
			INSERT INTO boundaries (id, couple_id, owner_id, text, status, created_at, changed_at, ended_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			id, b.CoupleID, b.OwnerID, st.keys.seal(boundaryText, keyOf(b.CoupleID, id), b.Text), b.Status, dbTime(b.CreatedAt), dbTime(b.ChangedAt), dbTime(b.EndedAt))
		if isForeignKeyViolation(err) {
			return notFound("couple")
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("add boundary to couple %d: %w", b.CoupleID, err)
	}
	b.ID = id
	return nil
}

// Boundaries returns all of the couple's boundaries, oldest first.
func (st *Boundaries) Boundaries(ctx context.Context, coupleID int64) ([]conversations.Boundary, error) {
	var out []conversations.Boundary
	err := st.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `
			SELECT id, couple_id, owner_id, text, status, created_at, changed_at, ended_at
			FROM boundaries WHERE couple_id = ? ORDER BY id`, coupleID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var b conversations.Boundary
			if err := rows.Scan(&b.ID, &b.CoupleID, &b.OwnerID, st.sealedByID(boundaryText, &b.CoupleID, &b.ID, &b.Text), &b.Status,
				timeColumn{&b.CreatedAt}, timeColumn{&b.ChangedAt}, timeColumn{&b.EndedAt}); err != nil {
				return err
			}
			out = append(out, b)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list boundaries of couple %d: %w", coupleID, err)
	}
	return out, nil
}

// UpdateBoundary saves b's text, status and times.
func (st *Boundaries) UpdateBoundary(ctx context.Context, b conversations.Boundary) error {
	err := st.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE boundaries SET text = ?, status = ?, changed_at = ?, ended_at = ? WHERE id = ?`,
			st.keys.seal(boundaryText, keyOf(b.CoupleID, b.ID), b.Text), b.Status, dbTime(b.ChangedAt), dbTime(b.EndedAt), b.ID)
		if err != nil {
			return err
		}
		return mustAffectOne(res, "boundary")
	})
	if err != nil {
		return fmt.Errorf("update boundary %d: %w", b.ID, err)
	}
	return nil
}
