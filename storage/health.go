package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"mend/conversations"
)

// OutboxBacklog counts the posts waiting to be sent at now and finds the one
// that has been due the longest, for health checks and metrics.
func (db *DB) OutboxBacklog(ctx context.Context, now time.Time) (conversations.OutboxBacklog, error) {
	var b conversations.OutboxBacklog
	var total int
	var due sql.NullInt64
	var oldest time.Time
	err := db.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `
			SELECT COUNT(*), SUM(next_attempt_at <= ?), MIN(next_attempt_at)
			FROM posts WHERE status = 'pending'`, dbTime(now)).Scan(&total, &due, timeColumn{&oldest})
	})
	if err != nil {
		return b, fmt.Errorf("measure the outbox backlog: %w", err)
	}
	b.Due = int(due.Int64)
	b.Waiting = total - b.Due
	// The earliest next attempt is the oldest due post's only when one is due.
	if b.Due > 0 {
		b.OldestDue = oldest
	}
	return b, nil
}

// CheckWritable proves that the database takes a write now, so a disk that
// filled up or turned read-only shows in a health check before a partner's
// next answer fails. It takes the write lock and commits the schema version
// unchanged: a real write to the file, and one that needs no table of its
// own. Migrations read that version under the same lock, so they never see
// it half-way.
func (db *DB) CheckWritable(ctx context.Context) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		var version int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version))
		return err
	})
	if err != nil {
		return fmt.Errorf("write to the database: %w", err)
	}
	return nil
}
