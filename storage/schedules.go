package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"mend/conversations"
	"strings"
	"time"
)

var _ conversations.ScheduleStore = (*Schedules)(nil)

// Schedules keeps schedules and the reminders the scheduler sends.
type Schedules struct{ *conns }

const scheduleColumns = `couple_id, kind, weekday, hour, minute, every_weeks, anchor, cron, time_zone, template_id,
	next_run_at, paused_until, updated_by, updated_at`

func scanSchedule(row interface{ Scan(...any) error }) (conversations.Schedule, error) {
	var s conversations.Schedule
	var weekday int
	err := row.Scan(&s.CoupleID, &s.Kind, &weekday, &s.Hour, &s.Minute, &s.EveryWeeks, &s.Anchor, &s.Cron, &s.TimeZone,
		&s.TemplateID, timeColumn{&s.NextRunAt}, &s.PausedUntil, &s.UpdatedBy, timeColumn{&s.UpdatedAt})
	s.Weekday = time.Weekday(weekday)
	return s, err
}

// SaveSchedule creates or replaces the couple's schedule.
func (st *Schedules) SaveSchedule(ctx context.Context, s conversations.Schedule) error {
	err := st.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO schedules (`+scheduleColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (couple_id) DO UPDATE SET
				kind = excluded.kind, weekday = excluded.weekday, hour = excluded.hour, minute = excluded.minute,
				every_weeks = excluded.every_weeks, anchor = excluded.anchor, cron = excluded.cron,
				time_zone = excluded.time_zone, template_id = excluded.template_id, next_run_at = excluded.next_run_at,
				paused_until = excluded.paused_until, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			s.CoupleID, s.Kind, int(s.Weekday), s.Hour, s.Minute, s.EveryWeeks, s.Anchor, s.Cron, s.TimeZone, s.TemplateID,
			dbTime(s.NextRunAt), s.PausedUntil, s.UpdatedBy, dbTime(s.UpdatedAt))
		if isForeignKeyViolation(err) {
			return notFound("couple")
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("save schedule of couple %d: %w", s.CoupleID, err)
	}
	return nil
}

// Schedule returns the couple's schedule.
func (st *Schedules) Schedule(ctx context.Context, coupleID int64) (conversations.Schedule, error) {
	var s conversations.Schedule
	err := st.read(ctx, func(tx *sql.Tx) error {
		var err error
		s, err = scanSchedule(tx.QueryRowContext(ctx, `SELECT `+scheduleColumns+` FROM schedules WHERE couple_id = ?`, coupleID))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("schedule")
		}
		return err
	})
	if err != nil {
		return conversations.Schedule{}, fmt.Errorf("load schedule of couple %d: %w", coupleID, err)
	}
	return s, nil
}

// DueSchedules returns the schedules of active couples due by now, with what
// opening their check-ins needs, from one read transaction.
func (st *Schedules) DueSchedules(ctx context.Context, now time.Time, limit int) ([]conversations.DueSchedule, error) {
	var out []conversations.DueSchedule
	err := st.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `
			SELECT `+prefixed("s.", scheduleColumns)+`
			FROM schedules s JOIN couples c ON c.id = s.couple_id
			WHERE s.next_run_at <= ? AND c.status = 'active' AND c.channel_missing_at IS NULL
			ORDER BY s.next_run_at, s.couple_id LIMIT ?`, dbTime(now), limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			s, err := scanSchedule(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, conversations.DueSchedule{Schedule: s})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return st.loadDueContexts(ctx, tx, out)
	})
	if err != nil {
		return nil, fmt.Errorf("list due schedules: %w", err)
	}
	return out, nil
}

// loadDueContexts fills in the couples, open commitments and active
// agreements of due schedules with one query per table for the whole batch.
func (st *Schedules) loadDueContexts(ctx context.Context, tx *sql.Tx, due []conversations.DueSchedule) error {
	if len(due) == 0 {
		return nil
	}
	index := map[int64]*conversations.DueSchedule{}
	ids := make([]any, len(due))
	for i := range due {
		d := &due[i]
		d.Couple.ID = d.Schedule.CoupleID
		index[d.Couple.ID] = d
		ids[i] = d.Couple.ID
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + ")"
	each := func(query string, scan func(rows *sql.Rows) error) error {
		rows, err := tx.QueryContext(ctx, query, ids...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	err := each(`SELECT id, guild_id, channel_id, status, time_zone, created_at FROM couples WHERE id IN `+in, func(rows *sql.Rows) error {
		var c conversations.Couple
		if err := rows.Scan(&c.ID, &c.GuildID, &c.ChannelID, &c.Status, &c.TimeZone, timeColumn{&c.CreatedAt}); err != nil {
			return err
		}
		index[c.ID].Couple = c
		return nil
	})
	if err != nil {
		return fmt.Errorf("couples: %w", err)
	}
	err = each(`SELECT couple_id, position, user_id, display_name, consented_at FROM partners WHERE couple_id IN `+in, func(rows *sql.Rows) error {
		var id int64
		var pos int
		var p conversations.Partner
		if err := rows.Scan(&id, &pos, &p.UserID, &p.Name, timeColumn{&p.ConsentedAt}); err != nil {
			return err
		}
		if pos < 0 || pos > 1 {
			return fmt.Errorf("couple %d: partner at position %d", id, pos)
		}
		index[id].Couple.Partners[pos] = p
		return nil
	})
	if err != nil {
		return fmt.Errorf("partners: %w", err)
	}
	err = each(`SELECT id, couple_id, owner_id, text, due_on, status, created_at, closed_at, source_checkin_id
		FROM commitments WHERE status = 'open' AND couple_id IN `+in+` ORDER BY id`, func(rows *sql.Rows) error {
		var c conversations.Commitment
		var dueOn sql.NullString
		var source sql.NullInt64
		if err := rows.Scan(&c.ID, &c.CoupleID, &c.OwnerID, st.sealedByID(commitmentText, &c.CoupleID, &c.ID, &c.Text), &dueOn, &c.Status, timeColumn{&c.CreatedAt}, timeColumn{&c.ClosedAt}, &source); err != nil {
			return err
		}
		c.DueOn, c.SourceCheckInID = dueOn.String, source.Int64
		d := index[c.CoupleID]
		d.Commitments = append(d.Commitments, c)
		return nil
	})
	if err != nil {
		return fmt.Errorf("commitments: %w", err)
	}
	err = each(`SELECT `+agreementColumns+`
		FROM agreements WHERE status IN ('active', 'retiring') AND couple_id IN `+in+` ORDER BY id`, func(rows *sql.Rows) error {
		a, err := st.scanAgreement(rows)
		if err != nil {
			return err
		}
		d := index[a.CoupleID]
		d.Agreements = append(d.Agreements, a)
		return nil
	})
	if err != nil {
		return fmt.Errorf("agreements: %w", err)
	}
	return loadDuePaths(ctx, tx, due)
}

// prefixed qualifies each column of a list with a table alias.
func prefixed(prefix, columns string) string {
	parts := strings.Split(columns, ",")
	for i, c := range parts {
		parts[i] = prefix + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// ApplySchedulePlans applies each plan (see conversations.SchedulePlan) in one
// transaction for the batch. It applies them together, with a few statements
// for the whole batch (see applyPlansTogether); when one of them no longer
// applies, it rolls that back and tries again in halves, down to each plan
// inside a savepoint of its own: a plan another process applied first is
// rolled back alone, and its flag is false. Many due at the same minute then
// cost one commit, not one each.
func (st *Schedules) ApplySchedulePlans(ctx context.Context, plans []*conversations.SchedulePlan) ([]bool, error) {
	applied := make([]bool, len(plans))
	err := st.write(ctx, func(tx *sql.Tx) error {
		return st.applyPlans(ctx, tx, newStmtCache(tx), plans, applied)
	})
	if err != nil {
		return nil, err
	}
	return applied, nil
}

// applyPlans applies plans together when it can. When one of them no longer
// applies, it halves them and tries each half, down to that plan on its own,
// which it then applies in a savepoint of its own, statement by statement
// (that way also records a run skipped for a check-in still open): a plan
// that does not apply costs its batch a few more statements, not one plan at
// a time for all of them. applied[i] says whether plans[i] was applied.
func (st *Schedules) applyPlans(ctx context.Context, tx *sql.Tx, stmts *stmtCache, plans []*conversations.SchedulePlan, applied []bool) error {
	if len(plans) == 0 {
		return nil
	}
	together, err := st.applyPlansTogether(ctx, tx, stmts, plans)
	if err != nil {
		return err
	}
	if together {
		for i := range applied {
			applied[i] = true
		}
		return nil
	}
	if len(plans) > 1 {
		half := len(plans) / 2
		if err := st.applyPlans(ctx, tx, stmts, plans[:half], applied[:half]); err != nil {
			return err
		}
		return st.applyPlans(ctx, tx, stmts, plans[half:], applied[half:])
	}
	for i, plan := range plans {
		if _, err := stmts.ExecContext(ctx, `SAVEPOINT plan`); err != nil {
			return err
		}
		ok, err := st.applySchedulePlan(ctx, stmts, plan)
		if err != nil && !errors.Is(err, errRunRecorded) {
			return fmt.Errorf("apply schedule of couple %d: %w", plan.CoupleID, err)
		}
		if !ok || err != nil {
			if _, err := stmts.ExecContext(ctx, `ROLLBACK TO plan`); err != nil {
				return err
			}
			// The plan's check-in was not stored after all.
			if plan.Open != nil {
				plan.Open.ID = 0
			}
		}
		if _, err := stmts.ExecContext(ctx, `RELEASE plan`); err != nil {
			return err
		}
		applied[i] = ok && err == nil
	}
	return nil
}

func (st *Schedules) applySchedulePlan(ctx context.Context, tx execer, plan *conversations.SchedulePlan) (bool, error) {
	// Compare-and-set: only the process that still sees the old next run
	// applies the plan.
	res, err := tx.ExecContext(ctx, `UPDATE schedules SET next_run_at = ? WHERE couple_id = ? AND next_run_at = ?`,
		dbTime(plan.NextRun), plan.CoupleID, dbTime(plan.ExpectedNextRun))
	if err != nil {
		return false, fmt.Errorf("advance schedule: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	now := plan.NextRun
	if plan.Open != nil {
		now = plan.Open.OpenedAt
	}
	for i := range plan.Runs {
		run := &plan.Runs[i]
		if run.Status == conversations.RunOpened && plan.Open != nil {
			err := st.insertCheckIn(ctx, tx, plan.Open)
			switch {
			case errors.Is(err, errPathMoved):
				// A partner changed the path since the plan was made: the
				// plan is rolled back and made again on the next round.
				return false, nil
			case conversations.ErrorCode(err) == conversations.ECONFLICT:
				run.Status = conversations.RunSkipped
				plan.Open = nil
			case err != nil:
				return false, err
			default:
				run.CheckInID = plan.Open.ID
				post := conversations.Post{CoupleID: plan.CoupleID, Kind: conversations.PostCheckIn, CheckInID: plan.Open.ID, CreatedAt: now, NextAttemptAt: now}
				if err := insertPost(ctx, tx, post); err != nil {
					return false, err
				}
			}
		}
		_, err := tx.ExecContext(ctx, `
			INSERT INTO schedule_runs (couple_id, scheduled_for, status, checkin_id, recorded_at) VALUES (?, ?, ?, ?, ?)`,
			plan.CoupleID, dbTime(run.ScheduledFor), run.Status, nullInt(run.CheckInID), dbTime(now))
		if isUniqueViolation(err) {
			return false, errRunRecorded
		}
		if err != nil {
			return false, fmt.Errorf("record run %s: %w", run.ScheduledFor.Format(time.RFC3339), err)
		}
	}
	return true, nil
}

// errRunRecorded rolls back a plan whose run another process recorded.
var errRunRecorded = errors.New("run already recorded")

// RecordReminder records a reminder and queues its post, once per slot.
func (st *Schedules) RecordReminder(ctx context.Context, checkInID int64, userID string, slot int, post conversations.Post) (bool, error) {
	recorded := false
	err := st.write(ctx, func(tx *sql.Tx) error {
		var err error
		recorded, err = changeThenPost(ctx, tx, post, `
			INSERT INTO checkin_reminders (checkin_id, user_id, slot, sent_at) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, checkInID, userID, slot, dbTime(post.CreatedAt))
		return err
	})
	if err != nil {
		return false, fmt.Errorf("record reminder of check-in %d: %w", checkInID, err)
	}
	return recorded, nil
}

// UnremindedCommitmentsDueBy lists open commitments due by date, not reminded.
func (st *Schedules) UnremindedCommitmentsDueBy(ctx context.Context, date string) ([]conversations.Commitment, error) {
	var out []conversations.Commitment
	err := st.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `
			SELECT id, couple_id, owner_id, text, due_on FROM commitments
			WHERE status = 'open' AND due_on IS NOT NULL AND due_on <= ? AND reminded_at IS NULL
			ORDER BY due_on, id`, date)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c := conversations.Commitment{Status: conversations.CommitmentOpen}
			if err := rows.Scan(&c.ID, &c.CoupleID, &c.OwnerID, st.sealedByID(commitmentText, &c.CoupleID, &c.ID, &c.Text), &c.DueOn); err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("list commitments due by %s: %w", date, err)
	}
	return out, nil
}

// RemindCommitment marks a commitment reminded and queues the post, once.
func (st *Schedules) RemindCommitment(ctx context.Context, commitmentID int64, at time.Time, post conversations.Post) (bool, error) {
	reminded := false
	err := st.write(ctx, func(tx *sql.Tx) error {
		var err error
		reminded, err = changeThenPost(ctx, tx, post, `UPDATE commitments SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL AND status = 'open'`, dbTime(at), commitmentID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("remind of commitment %d: %w", commitmentID, err)
	}
	return reminded, nil
}

// EarliestDue is the earliest time anything scheduled comes due.
func (st *Schedules) EarliestDue(ctx context.Context) (time.Time, error) {
	var t time.Time
	err := st.read(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `
			SELECT MIN(t) FROM (
				SELECT MIN(s.next_run_at) AS t FROM schedules s JOIN couples c ON c.id = s.couple_id WHERE c.status = 'active' AND c.channel_missing_at IS NULL
				UNION ALL SELECT MIN(closes_at) FROM checkins WHERE status = 'open'
				UNION ALL SELECT MIN(next_attempt_at) FROM posts WHERE status = 'pending'
				UNION ALL SELECT MIN(invitation_expires_at) FROM couples
					WHERE status = 'pending' AND invitation_message_id <> '' AND invitation_closed_at IS NULL
				UNION ALL SELECT MIN(expires_at) FROM guided_talks WHERE stage <> 'ended'
				UNION ALL SELECT MIN(break_until) FROM guided_talks WHERE stage <> 'ended' AND come_back_due = 1
			)`).Scan(timeColumn{&t})
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("find the earliest due time: %w", err)
	}
	return t, nil
}
