package conversations_test

import (
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"
)

// BenchmarkOpenDueCheckIns measures RunDue opening check-ins that all fall due
// at the same minute (the target: 10,000 in under a second; see the README).
// MEND_BENCH_DUE changes how many.
func BenchmarkOpenDueCheckIns(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("MEND_BENCH_DUE")); err == nil {
		n = v
	}
	due := time.Date(2025, time.March, 12, 19, 0, 0, 0, time.UTC)
	// The target scales with n: a second for every 10,000.
	target := time.Duration(n) * time.Second / 10000
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f := newFixture(b)
		seedDue(b, f.path, n, due)
		f.clock.Set(due)
		b.StartTimer()
		start := time.Now()
		r, err := f.app.Schedules.RunDue(f.ctx)
		elapsed := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if r.Opened != n {
			b.Fatalf("opened %d of %d", r.Opened, n)
		}
		if elapsed >= target {
			b.Errorf("opened %d check-ins in %v; the target is under %v", n, elapsed.Round(time.Millisecond), target)
		}
	}
	b.ReportMetric(float64(n), "check-ins")
}

func seedDue(tb testing.TB, path string, n int, due time.Time) {
	tb.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on&_journal_mode=WAL&_busy_timeout=5000")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	tx, _ := db.Begin()
	couple, _ := tx.Prepare(`INSERT INTO couples (guild_id, channel_id, status, time_zone, created_at) VALUES ('g', ?, 'active', 'Europe/Berlin', '2025-01-01T00:00:00.000Z')`)
	partner, _ := tx.Prepare(`INSERT INTO partners (couple_id, position, user_id, display_name, consented_at) VALUES (?, ?, ?, 'P', '2025-01-01T00:00:00.000Z')`)
	sched, _ := tx.Prepare(`INSERT INTO schedules (couple_id, kind, weekday, hour, minute, every_weeks, anchor, time_zone, next_run_at, updated_by, updated_at)
		VALUES (?, 'weekly', 3, 20, 0, 1, '', 'Europe/Berlin', ?, 'x', '2025-01-01T00:00:00.000Z')`)
	for i := 0; i < n; i++ {
		res, err := couple.Exec(fmt.Sprintf("c%d", i))
		if err != nil {
			tb.Fatal(err)
		}
		id, _ := res.LastInsertId()
		for p := 0; p < 2; p++ {
			if _, err := partner.Exec(id, p, fmt.Sprintf("u%d-%d", p, i)); err != nil {
				tb.Fatal(err)
			}
		}
		if _, err := sched.Exec(id, due.UTC().Format("2006-01-02T15:04:05.000Z")); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}
