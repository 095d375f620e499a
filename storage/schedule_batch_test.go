package storage_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"mend/conversations"
	"mend/storage"
)

// batchDue is when the plans of these tests fall due.
var batchDue = time.Date(2025, 3, 12, 19, 0, 0, 0, time.UTC)

// duePlans makes n couples whose schedules are due at batchDue and a plan for
// each that opens a check-in reviewing one of the couple's commitments.
func duePlans(t *testing.T, db *storage.DB, n int) []*conversations.SchedulePlan {
	t.Helper()
	ctx := context.Background()
	var plans []*conversations.SchedulePlan
	for i := 0; i < n; i++ {
		c := mustCreateCouple(t, db, "g1", "a"+itoa(i), "b"+itoa(i))
		s := conversations.Schedule{CoupleID: c.ID, Kind: conversations.ScheduleWeekly, Weekday: time.Wednesday, Hour: 20,
			EveryWeeks: 1, TimeZone: "Europe/Berlin", NextRunAt: batchDue, UpdatedBy: "a" + itoa(i), UpdatedAt: t0}
		if err := db.Schedules.SaveSchedule(ctx, s); err != nil {
			t.Fatal(err)
		}
		subjects := []conversations.Subject{{PromptID: "commitment-review", Kind: conversations.SubjectCommitment, ID: 7, Text: "home by 7 pm, couple " + itoa(i), OwnerID: "a" + itoa(i)}}
		ci := newCheckIn(c.ID, "a"+itoa(i), "b"+itoa(i), batchDue, subjects)
		plans = append(plans, &conversations.SchedulePlan{
			CoupleID: c.ID, ExpectedNextRun: batchDue, NextRun: batchDue.AddDate(0, 0, 7),
			Runs: []conversations.ScheduledRun{{CoupleID: c.ID, ScheduledFor: batchDue, Status: conversations.RunOpened}},
			Open: &ci,
		})
	}
	return plans
}

func countRows(t *testing.T, path, query string) int {
	t.Helper()
	raw := mustRawDB(t, path)
	defer raw.Close()
	var n int
	if err := raw.QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// A batch of plans applied together stores each check-in whole, with its
// subject sealed to its own row, its post and its run, and the template they
// share once.
func TestABatchOfSchedulePlansIsStoredWholeWithItsTemplateOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "mend.db")
	db := MustOpenDBAt(t, path, storage.WithKeys(mustKeyring(t, storage.GenerateKey())))
	defer MustCloseDB(t, db)
	plans := duePlans(t, db, 4)
	// One opens with a template of its own, as a couple at another week of
	// the guided path would.
	plans[2].Open.Template.Name = "Another week"

	applied, err := db.Schedules.ApplySchedulePlans(ctx, plans)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "applied", applied, []bool{true, true, true, true})
	for i, plan := range plans {
		if plan.Open.ID == 0 || plan.Runs[0].CheckInID != plan.Open.ID {
			t.Fatalf("plan %d: check-in %d, run's check-in %d", i, plan.Open.ID, plan.Runs[0].CheckInID)
		}
		got, err := db.CheckIns.CheckIn(ctx, plan.Open.ID)
		if err != nil {
			t.Fatal(err)
		}
		mustEqual(t, "stored check-in "+itoa(i), got, *plan.Open)
		if got.Subjects[0].Text != "home by 7 pm, couple "+itoa(i) {
			t.Errorf("check-in %d reviews %q", i, got.Subjects[0].Text)
		}
	}
	for query, want := range map[string]int{
		`SELECT COUNT(*) FROM checkin_templates`:                                        2,
		`SELECT COUNT(*) FROM checkins WHERE template_json = ''`:                        4,
		`SELECT COUNT(*) FROM posts WHERE kind = 'checkin'`:                             4,
		`SELECT COUNT(*) FROM schedule_runs WHERE checkin_id IS NOT NULL`:               4,
		`SELECT COUNT(*) FROM schedules WHERE next_run_at = '2025-03-19T19:00:00.000Z'`: 4,
	} {
		if n := countRows(t, path, query); n != want {
			t.Errorf("%s: %d, want %d", query, n, want)
		}
	}
}

// When one plan of a batch no longer applies (another process moved its
// schedule on), the others are applied and that one alone is not.
func TestABatchOfSchedulePlansSkipsOnlyThePlanThatNoLongerApplies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "mend.db")
	db := MustOpenDBAt(t, path)
	defer MustCloseDB(t, db)
	// Eight plans, the sixth stale: tried together, then in halves.
	plans := duePlans(t, db, 8)
	plans[5].ExpectedNextRun = batchDue.AddDate(0, 0, -7)

	applied, err := db.Schedules.ApplySchedulePlans(ctx, plans)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "applied", applied, []bool{true, true, true, true, true, false, true, true})
	for i, plan := range plans {
		if stored := plan.Open.ID != 0; stored != (i != 5) {
			t.Errorf("plan %d: check-in %d", i, plan.Open.ID)
		}
	}
	for query, want := range map[string]int{
		`SELECT COUNT(*) FROM checkins`:      7,
		`SELECT COUNT(*) FROM posts`:         7,
		`SELECT COUNT(*) FROM schedule_runs`: 7,
		`SELECT COUNT(*) FROM schedules WHERE next_run_at = '2025-03-12T19:00:00.000Z'`: 1,
	} {
		if n := countRows(t, path, query); n != want {
			t.Errorf("%s: %d, want %d", query, n, want)
		}
	}
	// Made and applied again, as a second process would: the plan that did
	// not apply does now, and nothing opens twice.
	applied, err = db.Schedules.ApplySchedulePlans(ctx, duePlansAgain(plans))
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "applied again", applied, []bool{false, false, false, false, false, true, false, false})
	if n := countRows(t, path, `SELECT COUNT(*) FROM checkins`); n != 8 {
		t.Errorf("%d check-ins after applying again, want 8", n)
	}
}

// duePlansAgain copies plans as they were made, before they were applied.
func duePlansAgain(plans []*conversations.SchedulePlan) []*conversations.SchedulePlan {
	out := make([]*conversations.SchedulePlan, len(plans))
	for i, p := range plans {
		ci := *p.Open
		ci.ID = 0
		out[i] = &conversations.SchedulePlan{CoupleID: p.CoupleID, ExpectedNextRun: batchDue, NextRun: p.NextRun,
			Runs: []conversations.ScheduledRun{{CoupleID: p.CoupleID, ScheduledFor: batchDue, Status: conversations.RunOpened}}, Open: &ci}
	}
	return out
}

// A template that only a forgotten couple's check-ins used goes with them.
func TestForgetDeletesTheTemplatesNoCheckInUses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "mend.db")
	db := MustOpenDBAt(t, path)
	defer MustCloseDB(t, db)
	kept := mustCreateCouple(t, db, "g1", "alice", "bob")
	mustOpenCheckIn(t, db, kept, t0)
	gone := mustCreateCouple(t, db, "g1", "carol", "dan")
	ci := newCheckIn(gone.ID, "carol", "dan", t0, nil)
	ci.Template.Name = "Only carol and dan's"
	if err := db.CheckIns.OpenCheckIn(ctx, &ci, nil); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, path, `SELECT COUNT(*) FROM checkin_templates`); n != 2 {
		t.Fatalf("%d templates stored, want 2", n)
	}
	if _, err := db.Records.ForgetCouple(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, path, `SELECT COUNT(*) FROM checkin_templates WHERE json LIKE '%Only carol%'`); n != 0 {
		t.Errorf("the forgotten couple's template is still stored")
	}
	if n := countRows(t, path, `SELECT COUNT(*) FROM checkin_templates`); n != 1 {
		t.Errorf("%d templates left, want the one alice and bob's check-in uses", n)
	}
}
