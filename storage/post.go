package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"mend/conversations"
)

func insertPost(ctx context.Context, tx execer, p conversations.Post) (int64, error) {
	res, err := tx.ExecContext(ctx, `
		INSERT INTO posts (couple_id, kind, checkin_id, user_id, commitment_id, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		p.CoupleID, p.Kind, nullInt(p.CheckInID), p.UserID, nullInt(p.CommitmentID), dbTime(p.NextAttemptAt), dbTime(p.CreatedAt))
	if err != nil {
		return 0, fmt.Errorf("queue %s post: %w", p.Kind, err)
	}
	return res.LastInsertId()
}

// PendingPosts returns posts due for an attempt by now, oldest first.
func (db *DB) PendingPosts(ctx context.Context, now time.Time, limit int) ([]conversations.Post, error) {
	var out []conversations.Post
	err := db.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `
			SELECT id, couple_id, kind, checkin_id, user_id, commitment_id, attempts, next_attempt_at, created_at, last_error
			FROM posts WHERE status = 'pending' AND next_attempt_at <= ?
			ORDER BY next_attempt_at, id LIMIT ?`, dbTime(now), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p conversations.Post
			var checkIn, commitment sql.NullInt64
			if err := rows.Scan(&p.ID, &p.CoupleID, &p.Kind, &checkIn, &p.UserID, &commitment, &p.Attempts,
				timeColumn{&p.NextAttemptAt}, timeColumn{&p.CreatedAt}, &p.LastError); err != nil {
				return err
			}
			p.CheckInID, p.CommitmentID = checkIn.Int64, commitment.Int64
			out = append(out, p)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list pending posts: %w", err)
	}
	return out, nil
}

// MarkPostSent records that Discord has the post.
func (db *DB) MarkPostSent(ctx context.Context, postID int64, messageID string, at time.Time) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE posts SET status = 'sent', sent_at = ?, message_id = ?, attempts = attempts + 1 WHERE id = ?`,
			dbTime(at), messageID, postID)
		if err != nil {
			return err
		}
		return mustAffectOne(res, "post")
	})
	if err != nil {
		return fmt.Errorf("mark post %d sent: %w", postID, err)
	}
	return nil
}

// MarkPostFailed records a failed attempt.
func (db *DB) MarkPostFailed(ctx context.Context, postID int64, attempts int, next time.Time, giveUp bool, reason string) error {
	status := "pending"
	if giveUp {
		status = "gave_up"
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE posts SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'pending'`,
			status, attempts, dbTime(next), reason, postID)
		if err != nil {
			return err
		}
		return mustAffectOne(res, "pending post")
	})
	if err != nil {
		return fmt.Errorf("mark post %d failed: %w", postID, err)
	}
	return nil
}
