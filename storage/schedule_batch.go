package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"mend/conversations"
	"reflect"
	"slices"
	"strings"
	"time"
)

// applyPlansTogether applies a batch of schedule plans with a few statements
// for the whole batch rather than ten for each plan: opening thousands of
// check-ins at the same minute then costs a few hundred statements. It runs
// inside a savepoint and is all or nothing: when any plan of the batch would
// not apply as planned (another process moved a schedule on or recorded a run
// first, a check-in is still open, a partner changed the guided path), the
// statements fail or change fewer rows than planned, everything is rolled
// back, and the caller tries again with fewer plans (see applyPlans). It
// reports whether it applied the batch; an error is one that applying the
// plans one by one could not get past either.
func (st *Schedules) applyPlansTogether(ctx context.Context, tx *sql.Tx, stmts *stmtCache, plans []*conversations.SchedulePlan) (bool, error) {
	if _, err := stmts.ExecContext(ctx, `SAVEPOINT batch`); err != nil {
		return false, err
	}
	ids, err := st.insertPlans(ctx, tx, stmts, plans)
	if err != nil {
		if _, err := stmts.ExecContext(ctx, `ROLLBACK TO batch`); err != nil {
			return false, err
		}
	}
	if _, err := stmts.ExecContext(ctx, `RELEASE batch`); err != nil {
		return false, err
	}
	if err != nil {
		return false, nil
	}
	// Only now, once it is all stored, do the plans learn their check-ins'
	// IDs: applied again after a rollback, they start from scratch.
	for i, plan := range plans {
		if plan.Open == nil {
			continue
		}
		plan.Open.ID = ids[i]
		for r := range plan.Runs {
			if plan.Runs[r].Status == conversations.RunOpened {
				plan.Runs[r].CheckInID = ids[i]
			}
		}
	}
	return true, nil
}

// errBatchMoved is a batch statement that changed fewer rows than the plans
// it carries: some plan would not apply as planned.
var errBatchMoved = errors.New("a plan of the batch no longer applies")

// insertPlans writes what the plans do and returns the IDs their check-ins
// get (0 for a plan that opens none), leaving the plans as they are.
func (st *Schedules) insertPlans(ctx context.Context, tx *sql.Tx, stmts *stmtCache, plans []*conversations.SchedulePlan) ([]int64, error) {
	// Compare-and-set, as one plan at a time does: every schedule must still
	// be where its plan found it.
	at := timeTexts{}
	moves := make([][]any, len(plans))
	for i, plan := range plans {
		moves[i] = []any{plan.CoupleID, at.of(plan.NextRun), at.of(plan.ExpectedNextRun)}
	}
	if err := execRowsAll(ctx, stmts, `UPDATE schedules SET next_run_at = v.column2 FROM (VALUES %s) AS v
		WHERE schedules.couple_id = v.column1 AND schedules.next_run_at = v.column3`, moves); err != nil {
		return nil, err
	}
	ids := make([]int64, len(plans))
	next, err := nextID(ctx, tx, "checkins")
	if err != nil {
		return nil, err
	}
	texts := &batchTemplates{}
	var closes, checkIns, participants, subjects, posts, runs [][]any
	for i, plan := range plans {
		now := plan.NextRun
		if ci := plan.Open; ci != nil {
			ids[i], now = next, ci.OpenedAt
			next++
			tmpl, err := texts.of(ci.Template)
			if err != nil {
				return nil, err
			}
			closes = append(closes, []any{ci.CoupleID, at.of(ci.OpenedAt)})
			checkIns = append(checkIns, []any{ids[i], ci.CoupleID, ci.Template.ID, tmpl[0], "", ci.Status,
				at.of(ci.OpenedAt), at.of(ci.ClosesAt), at.of(ci.RevealedAt), at.of(ci.ClosedAt), ci.PostID, ci.RevealPostID})
			for pos, p := range ci.Participants {
				participants = append(participants, []any{ids[i], pos, p.UserID, p.Status, at.of(p.StartedAt), at.of(p.PausedAt), at.of(p.FinishedAt)})
			}
			for pos, s := range ci.Subjects {
				subjects = append(subjects, []any{ids[i], pos, s.PromptID, s.Kind, s.ID, st.keys.seal(subjectText, subjectKey(ci.CoupleID, ids[i], s), s.Text), s.OwnerID})
			}
			posts = append(posts, []any{plan.CoupleID, conversations.PostCheckIn, ids[i], "", nil, at.of(now), at.of(now)})
		}
		for _, run := range plan.Runs {
			var checkIn int64
			if run.Status == conversations.RunOpened {
				if plan.Open == nil {
					return nil, errBatchMoved // left for one plan at a time to sort out
				}
				checkIn = ids[i]
			}
			runs = append(runs, []any{plan.CoupleID, at.of(run.ScheduledFor), run.Status, nullInt(checkIn), at.of(now)})
		}
	}
	// A check-in whose window ended is closed at the moment it ended, as
	// opening one check-in at a time does.
	if _, err := execRows(ctx, stmts, `UPDATE checkins SET status = 'closed', closed_at = closes_at FROM (VALUES %s) AS v
		WHERE checkins.couple_id = v.column1 AND checkins.status = 'open' AND checkins.closes_at <= v.column2`, closes); err != nil {
		return nil, err
	}
	// A check-in still open makes the insert fail on checkins_one_open.
	if err := saveTemplates(ctx, stmts, texts.rows); err != nil {
		return nil, err
	}
	if err := execRowsAll(ctx, stmts, `INSERT INTO checkins (id, couple_id, template_id, template_hash, template_json, status, opened_at,
		closes_at, revealed_at, closed_at, post_id, reveal_post_id) VALUES %s`, checkIns); err != nil {
		return nil, err
	}
	if err := execRowsAll(ctx, stmts, `INSERT INTO checkin_participants (checkin_id, position, user_id, status, started_at, paused_at, finished_at)
		VALUES %s`, participants); err != nil {
		return nil, err
	}
	if err := execRowsAll(ctx, stmts, `INSERT INTO checkin_subjects (checkin_id, position, prompt_id, kind, subject_id, text, owner_id)
		VALUES %s`, subjects); err != nil {
		return nil, err
	}
	// A path a partner changed since the plan was made is not where the
	// plan found it: fewer rows change.
	var newPaths, movedPaths [][]any
	for _, plan := range plans {
		if plan.Open != nil && plan.Open.PathAfter != nil {
			row, err := pathRow(*plan.Open.PathAfter)
			if err != nil {
				return nil, err
			}
			if plan.Open.PathAfter.Version == 0 {
				newPaths = append(newPaths, row)
			} else {
				movedPaths = append(movedPaths, row)
			}
		}
	}
	for _, write := range []struct {
		exec func(context.Context, execer, [][]any) (sql.Result, error)
		rows [][]any
	}{{execPathInserts, newPaths}, {execPathUpdates, movedPaths}} {
		res, err := write.exec(ctx, stmts, write.rows)
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n != int64(len(write.rows)) {
			return nil, errBatchMoved
		}
	}
	// A console couple's posts are never queued, as insertPost rules.
	if _, err := execRows(ctx, stmts, `INSERT INTO posts (couple_id, kind, checkin_id, user_id, commitment_id, next_attempt_at, created_at)
		SELECT * FROM (VALUES %s) AS v WHERE NOT EXISTS (SELECT 1 FROM couples WHERE id = v.column1 AND guild_id = '`+conversations.ConsoleGuild+`')`, posts); err != nil {
		return nil, err
	}
	// A run another process recorded first makes this fail on the primary key.
	if err := execRowsAll(ctx, stmts, `INSERT INTO schedule_runs (couple_id, scheduled_for, status, checkin_id, recorded_at) VALUES %s`, runs); err != nil {
		return nil, err
	}
	return ids, nil
}

// execRowsAll is execRows for statements that must change every row given.
func execRowsAll(ctx context.Context, tx execer, query string, rows [][]any) error {
	n, err := execRows(ctx, tx, query, rows)
	if err == nil && n != int64(len(rows)) {
		err = errBatchMoved
	}
	return err
}

// execRows runs query with the %s in it replaced by a VALUES list of rows, in
// as few statements as SQLite's limit on parameters allows, and returns how
// many rows they changed. Every row has the same number of values.
func execRows(ctx context.Context, tx execer, query string, rows [][]any) (int64, error) {
	var changed int64
	for len(rows) > 0 {
		width := len(rows[0])
		chunk := min(len(rows), maxRowsPerStatement, maxParameters/width)
		tuple := "(" + strings.TrimSuffix(strings.Repeat("?,", width), ",") + ")"
		args := make([]any, 0, chunk*width)
		for _, row := range rows[:chunk] {
			args = append(args, row...)
		}
		res, err := tx.ExecContext(ctx, fmt.Sprintf(query, strings.TrimSuffix(strings.Repeat(tuple+",", chunk), ",")), args...)
		if err != nil {
			return changed, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return changed, err
		}
		changed += n
		rows = rows[chunk:]
	}
	return changed, nil
}

const (
	// maxParameters stays under SQLite's limit on a statement's parameters.
	maxParameters = 32000
	// maxRowsPerStatement keeps a batch's statements to a few sizes, so the
	// statement cache holds few of them.
	maxRowsPerStatement = 500
)

// batchTemplates are the distinct templates of a batch's check-ins, each
// encoded once: most check-ins opening at the same minute share a few.
type batchTemplates struct {
	seen []conversations.Template
	rows [][]any // templateText of each
}

// of is templateText of t, from the batch's templates when one equals it.
func (b *batchTemplates) of(t conversations.Template) ([]any, error) {
	for i := range b.seen {
		if reflect.DeepEqual(b.seen[i], t) {
			return b.rows[i], nil
		}
	}
	row, err := templateText(t)
	if err != nil {
		return nil, err
	}
	// Past a few, comparing costs more than encoding again; the table
	// stores each text once all the same.
	if len(b.seen) < maxBatchTemplates {
		b.seen, b.rows = append(b.seen, t), append(b.rows, row)
	} else if !slices.ContainsFunc(b.rows, func(r []any) bool { return r[0] == row[0] }) {
		b.rows = append(b.rows, row)
	}
	return row, nil
}

const maxBatchTemplates = 16

// timeTexts are the times of a batch as stored, each formatted once: a
// batch holds the same few times thousands of times.
type timeTexts map[time.Time]any

func (m timeTexts) of(t time.Time) any {
	v, ok := m[t]
	if !ok {
		v = dbTime(t)
		m[t] = v
	}
	return v
}
