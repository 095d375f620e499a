package storage

import (
	"context"
	"database/sql"
	"fmt"
	"mend/conversations"
	"time"
)

var _ conversations.TalkStore = (*Talks)(nil)

// Talks keeps guided talks. An open talk's row says where it is; an ended
// one keeps only its topic, when it was talked through and its outcome.
type Talks struct{ *conns }

const talkColumns = `id, couple_id, checkin_id, version, stage, asked_by, started_at, expires_at,
	read_0, read_1, speaker, heard_now, heard_0, heard_1, break_until, come_back_due, message_id,
	topic_kind, topic_prompt, topic_subject, topic_raised_by, talked_at, outcome`

// errTalkMoved refuses a change made from a state that is no longer the
// stored one; the domain reads it again and retries.
var errTalkMoved = conversations.Errorf(conversations.ECONFLICT, "The talk changed at this very moment.")

func scanTalk(row interface{ Scan(...any) error }) (conversations.GuidedTalk, error) {
	var t conversations.GuidedTalk
	var topicKind, outcome sql.NullString
	var prompt, raisedBy string
	var subject int64
	err := row.Scan(&t.ID, &t.CoupleID, &t.CheckInID, &t.Version, &t.Stage, &t.AskedBy, timeColumn{&t.StartedAt}, timeColumn{&t.ExpiresAt},
		&t.Read[0], &t.Read[1], &t.Speaker, &t.HeardNow, &t.Heard[0], &t.Heard[1], timeColumn{&t.BreakUntil}, &t.ComeBackDue, &t.MessageID,
		&topicKind, &prompt, &subject, &raisedBy, timeColumn{&t.TalkedAt}, &outcome)
	if err != nil {
		return t, err
	}
	if topicKind.Valid {
		t.Topic = &conversations.TopicRef{Kind: conversations.TopicKind(topicKind.String), PromptID: prompt, SubjectID: subject, RaisedBy: raisedBy}
	}
	t.Outcome = conversations.TalkOutcome(outcome.String)
	return t, nil
}

// CreateTalk records a new open talk and queues its post in one
// transaction; ECONFLICT when the couple has an open talk.
func (st *Talks) CreateTalk(ctx context.Context, t *conversations.GuidedTalk, post *conversations.Post) error {
	err := st.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			INSERT INTO guided_talks (couple_id, checkin_id, version, stage, asked_by, started_at, expires_at)
			VALUES (?, ?, 1, ?, ?, ?, ?)`,
			t.CoupleID, t.CheckInID, t.Stage, t.AskedBy, dbTime(t.StartedAt), dbTime(t.ExpiresAt))
		switch {
		case isUniqueViolation(err):
			return conversations.Errorf(conversations.ECONFLICT, "the couple has an open talk")
		case isForeignKeyViolation(err):
			return notFound("couple or check-in")
		case err != nil:
			return err
		}
		if t.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		t.Version = 1
		if post == nil {
			return nil
		}
		post.TalkID = t.ID
		return insertPost(ctx, tx, *post)
	})
	if err != nil {
		return fmt.Errorf("create a talk for couple %d: %w", t.CoupleID, err)
	}
	return nil
}

// GuidedTalk returns a talk, open or kept.
func (st *Talks) GuidedTalk(ctx context.Context, id int64) (conversations.GuidedTalk, error) {
	t, err := st.one(ctx, "talk", `WHERE id = ?`, id)
	if err != nil {
		return conversations.GuidedTalk{}, fmt.Errorf("load talk %d: %w", id, err)
	}
	return t, nil
}

// OpenTalk returns the couple's open talk.
func (st *Talks) OpenTalk(ctx context.Context, coupleID int64) (conversations.GuidedTalk, error) {
	t, err := st.one(ctx, "open talk", `WHERE couple_id = ? AND stage <> 'ended'`, coupleID)
	if err != nil {
		return conversations.GuidedTalk{}, fmt.Errorf("load the open talk of couple %d: %w", coupleID, err)
	}
	return t, nil
}

// one returns the talk that where selects; ENOTFOUND, naming what, when
// there is none.
func (st *Talks) one(ctx context.Context, what, where string, args ...any) (conversations.GuidedTalk, error) {
	talks, err := st.query(ctx, where, args...)
	if err != nil {
		return conversations.GuidedTalk{}, err
	}
	if len(talks) == 0 {
		return conversations.GuidedTalk{}, notFound(what)
	}
	return talks[0], nil
}

// SaveGuidedTalk stores t if its stored version is still t.Version and
// queues posts, in one transaction. An ended talk keeps only its topic,
// when it was talked through and its outcome; one that has none of them
// is deleted.
func (st *Talks) SaveGuidedTalk(ctx context.Context, t *conversations.GuidedTalk, posts []conversations.Post) error {
	err := st.write(ctx, func(tx *sql.Tx) error {
		var res sql.Result
		var err error
		switch {
		case t.Stage == conversations.TalkEnded && !t.Kept():
			res, err = tx.ExecContext(ctx, `DELETE FROM guided_talks WHERE id = ? AND version = ?`, t.ID, t.Version)
		case t.Stage == conversations.TalkEnded:
			res, err = tx.ExecContext(ctx, `
				UPDATE guided_talks SET version = version + 1, stage = 'ended',
					asked_by = '', started_at = NULL, expires_at = NULL, read_0 = 0, read_1 = 0, speaker = 0,
					heard_now = 0, heard_0 = 0, heard_1 = 0, break_until = NULL, come_back_due = 0, message_id = '',
					topic_kind = ?, topic_prompt = ?, topic_subject = ?, topic_raised_by = ?, talked_at = ?, outcome = ?
				WHERE id = ? AND version = ?`,
				t.Topic.Kind, t.Topic.PromptID, t.Topic.SubjectID, t.Topic.RaisedBy, dbTime(t.TalkedAt), t.Outcome, t.ID, t.Version)
		default:
			var kind any
			var topic conversations.TopicRef
			if t.Topic != nil {
				kind, topic = string(t.Topic.Kind), *t.Topic
			}
			res, err = tx.ExecContext(ctx, `
				UPDATE guided_talks SET version = version + 1, stage = ?, read_0 = ?, read_1 = ?, speaker = ?,
					heard_now = ?, heard_0 = ?, heard_1 = ?, break_until = ?, come_back_due = ?,
					topic_kind = ?, topic_prompt = ?, topic_subject = ?, topic_raised_by = ?, talked_at = ?
				WHERE id = ? AND version = ? AND stage <> 'ended'`,
				t.Stage, t.Read[0], t.Read[1], t.Speaker, t.HeardNow, t.Heard[0], t.Heard[1], dbTime(t.BreakUntil), t.ComeBackDue,
				kind, topic.PromptID, topic.SubjectID, topic.RaisedBy, dbTime(t.TalkedAt), t.ID, t.Version)
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return errTalkMoved
		}
		for _, p := range posts {
			if err := insertPost(ctx, tx, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save talk %d: %w", t.ID, err)
	}
	t.Version++
	return nil
}

// DueTalks returns open talks whose time ran out by now, or whose break
// ended with its "Ready to come back?" still to post.
func (st *Talks) DueTalks(ctx context.Context, now time.Time, limit int) ([]conversations.GuidedTalk, error) {
	talks, err := st.query(ctx, `WHERE stage <> 'ended' AND (expires_at <= ?1 OR (come_back_due = 1 AND break_until <= ?1))
		ORDER BY id LIMIT ?2`, dbTime(now), limit)
	if err != nil {
		return nil, fmt.Errorf("list due talks: %w", err)
	}
	return talks, nil
}

// SetTalkMessage records where an open talk's message was posted.
func (st *Talks) SetTalkMessage(ctx context.Context, talkID int64, messageID string) error {
	err := st.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE guided_talks SET message_id = ? WHERE id = ? AND stage <> 'ended'`, messageID, talkID)
		return err
	})
	if err != nil {
		return fmt.Errorf("record the message of talk %d: %w", talkID, err)
	}
	return nil
}

// TalksHeld returns the couple's kept talks talked through in [since, until).
func (st *Talks) TalksHeld(ctx context.Context, coupleID int64, since, until time.Time) ([]conversations.GuidedTalk, error) {
	talks, err := st.query(ctx, `WHERE couple_id = ? AND stage = 'ended' AND talked_at >= ? AND talked_at < ?
		ORDER BY talked_at, id`, coupleID, dbTime(since), dbTime(until))
	if err != nil {
		return nil, fmt.Errorf("list talks held by couple %d: %w", coupleID, err)
	}
	return talks, nil
}

// query returns the talks that where (a WHERE clause and what follows it)
// selects.
func (st *Talks) query(ctx context.Context, where string, args ...any) ([]conversations.GuidedTalk, error) {
	var out []conversations.GuidedTalk
	err := st.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+talkColumns+` FROM guided_talks `+where, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTalk(rows)
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	return out, err
}
