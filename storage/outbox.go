package storage

import (
	"context"
	"database/sql"
	"fmt"
	"mend/conversations"
	"time"
)

var _ conversations.OutboxStore = (*Outbox)(nil)

// Outbox keeps the posts waiting to reach a couple's channel.
type Outbox struct{ *conns }

// insertPost queues p, unless its couple checks in at a console: the console
// shows everything itself and has no channel, and a bot started on the same
// database must find nothing of it to deliver. Whichever process queues the
// post (the console, or a bot's scheduler closing or reminding), the rule is
// here, once.
func insertPost(ctx context.Context, tx execer, p conversations.Post) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO posts (couple_id, kind, checkin_id, user_id, commitment_id, talk_id, message_id, next_attempt_at, created_at)
		SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?
		WHERE NOT EXISTS (SELECT 1 FROM couples WHERE id = ? AND guild_id = ?)`,
		p.CoupleID, p.Kind, nullInt(p.CheckInID), p.UserID, nullInt(p.CommitmentID), p.TalkID, p.MessageID, dbTime(p.NextAttemptAt), dbTime(p.CreatedAt),
		p.CoupleID, conversations.ConsoleGuild)
	if err != nil {
		return fmt.Errorf("queue %s post: %w", p.Kind, err)
	}
	return nil
}

// PendingPosts returns posts due for an attempt by now, oldest first.
func (st *Outbox) PendingPosts(ctx context.Context, now time.Time, limit int) ([]conversations.Post, error) {
	var out []conversations.Post
	err := st.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `
			SELECT id, couple_id, kind, checkin_id, user_id, commitment_id, talk_id, message_id, attempts, next_attempt_at, created_at, last_error
			FROM posts WHERE status = 'pending' AND next_attempt_at <= ?
			ORDER BY next_attempt_at, id LIMIT ?`, dbTime(now), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p conversations.Post
			var checkIn, commitment sql.NullInt64
			if err := rows.Scan(&p.ID, &p.CoupleID, &p.Kind, &checkIn, &p.UserID, &commitment, &p.TalkID, &p.MessageID, &p.Attempts,
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
func (st *Outbox) MarkPostSent(ctx context.Context, postID int64, messageID string, at time.Time) error {
	err := st.write(ctx, func(tx *sql.Tx) error {
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
func (st *Outbox) MarkPostFailed(ctx context.Context, postID int64, attempts int, next time.Time, giveUp bool, reason string) error {
	status := "pending"
	if giveUp {
		status = "gave_up"
	}
	err := st.write(ctx, func(tx *sql.Tx) error {
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

// QueuePost queues a post on its own.
func (st *Outbox) QueuePost(ctx context.Context, p conversations.Post) error {
	err := st.write(ctx, func(tx *sql.Tx) error {
		return insertPost(ctx, tx, p)
	})
	if err != nil {
		return fmt.Errorf("queue %s post of couple %d: %w", p.Kind, p.CoupleID, err)
	}
	return nil
}

// PostPending reports whether a post of the kind is waiting to be sent.
func (st *Outbox) PostPending(ctx context.Context, coupleID int64, kind conversations.PostKind, checkInID int64) (bool, error) {
	var pending bool
	err := st.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `
			SELECT EXISTS (SELECT 1 FROM posts
			WHERE couple_id = ? AND kind = ? AND IFNULL(checkin_id, 0) = ? AND status = 'pending')`,
			coupleID, kind, checkInID).Scan(&pending)
	})
	if err != nil {
		return false, fmt.Errorf("look for a pending %s post of couple %d: %w", kind, coupleID, err)
	}
	return pending, nil
}

// changeThenPost runs a guarded change and, only if it changed a row, queues
// the post announcing it: the guard is what makes the post happen once.
func changeThenPost(ctx context.Context, tx *sql.Tx, post conversations.Post, query string, args ...any) (bool, error) {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	if err := insertPost(ctx, tx, post); err != nil {
		return false, err
	}
	return true, nil
}
