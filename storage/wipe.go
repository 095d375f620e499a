package storage

import (
	"context"
	"database/sql"
	"fmt"
)

// tryWipe makes a first attempt at the wipe a delete just recorded and
// reports whether it is done. A failed attempt is not the delete's failure:
// the rows are gone and the wipe is recorded, so FinishWipes, run by the
// scheduler, retries it and reports what goes wrong.
func (db *conns) tryWipe(ctx context.Context) bool {
	pending, err := db.finishWipes(ctx)
	return err == nil && !pending
}

// requestWipe records, in the transaction that deletes a couple's words,
// that their old pages are still in the write-ahead log until it is emptied.
func requestWipe(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO pending_wipes DEFAULT VALUES`); err != nil {
		return fmt.Errorf("record pending wipe: %w", err)
	}
	return nil
}

// truncateWAL folds the write-ahead log into the database file, where
// secure_delete has zeroed what was deleted, and truncates it to nothing. It
// runs on a connection that does not wait for locks, so it returns at once
// with false when another connection is writing or reads an older snapshot.
//
// PRAGMA wal_checkpoint reports a blocked checkpoint in its result row, not
// as an error: busy is 1, and the second column counts the frames still
// in the log.
func (db *conns) truncateWAL(ctx context.Context) (bool, error) {
	var busy, frames, checkpointed int
	if err := db.wiper.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &checkpointed); err != nil {
		return false, fmt.Errorf("empty the write-ahead log of %s: %w", db.path, err)
	}
	return busy == 0 && frames == 0, nil
}

// finishWipes empties the write-ahead log if a forget is waiting for it, and
// reports whether one still is: a reader elsewhere holding an old snapshot
// keeps the log from being emptied, and waiting for it would hold up every
// writer, so the caller tries again later.
func (db *conns) finishWipes(ctx context.Context) (pending bool, err error) {
	var last int64
	if err := db.reader.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM pending_wipes`).Scan(&last); err != nil {
		return false, fmt.Errorf("read pending wipes: %w", err)
	}
	if last == 0 {
		return false, nil
	}
	wiped, err := db.truncateWAL(ctx)
	if err != nil {
		return true, err
	}
	if !wiped {
		return true, nil
	}
	// Only the wipes recorded before the log was emptied are done; one
	// recorded since (by another process) needs another round.
	var left int
	err = db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM pending_wipes WHERE id <= ?`, last); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM pending_wipes`).Scan(&left)
	})
	if err != nil {
		return true, fmt.Errorf("record finished wipes: %w", err)
	}
	return left > 0, nil
}
