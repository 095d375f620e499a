package conversations

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/robfig/cron/v3"
)

// runs lists n consecutive runs after from, as UTC instants.
func runs(t *testing.T, s Schedule, from time.Time, n int) []string {
	t.Helper()
	var out []string
	for i := 0; i < n; i++ {
		next, err := s.Next(from)
		if err != nil {
			t.Fatalf("Next(%s): %v", from, err)
		}
		if !next.After(from) {
			t.Fatalf("Next(%s) = %s is not after it", from, next)
		}
		out = append(out, next.UTC().Format(time.RFC3339))
		from = next
	}
	return out
}

func weekly(t *testing.T, zone, day, clock string, every int, now time.Time) Schedule {
	t.Helper()
	s, err := NewWeeklySchedule(1, WeeklyInput{Weekday: day, Time: clock, TimeZone: zone, EveryWeeks: every}, now)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestWeeklyScheduleRunsOnTheDayInTheCouplesZone(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) // a Wednesday
	s := weekly(t, "Asia/Tokyo", "sunday", "20:30", 1, now)
	want := []string{"2026-11-29T11:30:00Z", "2026-12-06T11:30:00Z", "2026-12-13T11:30:00Z"}
	if got := runs(t, s, now, 3); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("runs = %v, want %v", got, want)
	}
	if s.NextRunAt.Format(time.RFC3339) != want[0] {
		t.Errorf("NextRunAt = %s, want %s", s.NextRunAt, want[0])
	}
}

func TestEverySecondWeekSkipsTheWeekBetween(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	s := weekly(t, "Europe/Berlin", "Friday", "19:00", 2, now)
	want := []string{"2026-11-27T18:00:00Z", "2026-12-11T18:00:00Z", "2026-12-25T18:00:00Z", "2027-01-08T18:00:00Z"}
	if got := runs(t, s, now, 4); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("runs = %v, want %v", got, want)
	}
	// Asking from inside the skipped week still lands on the right week.
	mid := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	if got := runs(t, s, mid, 1); got[0] != want[1] {
		t.Errorf("from the week between: %s, want %s", got[0], want[1])
	}
}

func TestScheduleAcrossClockChanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, zone, day, clock string
		from                   time.Time
		want                   []string
	}{
		// 02:30 does not exist on 8 March 2026 in New York: the check-in opens
		// at 03:30 EDT, then at 02:30 EDT a week later.
		{"New York spring forward", "America/New_York", "sunday", "02:30", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC),
			[]string{"2026-03-08T07:30:00Z", "2026-03-15T06:30:00Z"}},
		// 01:30 happens twice on 1 November 2026: it opens at the first.
		{"New York fall back", "America/New_York", "sunday", "01:30", time.Date(2026, 10, 26, 0, 0, 0, 0, time.UTC),
			[]string{"2026-11-01T05:30:00Z", "2026-11-08T06:30:00Z"}},
		{"Berlin spring forward", "Europe/Berlin", "sunday", "02:30", time.Date(2026, 3, 23, 0, 0, 0, 0, time.UTC),
			[]string{"2026-03-29T01:30:00Z", "2026-04-05T00:30:00Z"}},
		{"Berlin fall back", "Europe/Berlin", "sunday", "02:30", time.Date(2026, 10, 19, 0, 0, 0, 0, time.UTC),
			[]string{"2026-10-25T00:30:00Z", "2026-11-01T01:30:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := weekly(t, tt.zone, tt.day, tt.clock, 1, tt.from)
			if got := runs(t, s, tt.from, 2); strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("runs = %v, want %v", got, tt.want)
			}
			// The second 01:30 (or 02:30) of a fall-back night is not a run.
			first, _ := s.Next(tt.from)
			again, _ := s.Next(first)
			if again.Sub(first) < 24*time.Hour {
				t.Errorf("runs %s and %s are an hour apart: the repeated hour opened twice", first, again)
			}
		})
	}
}

func TestCronScheduleAcrossClockChanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, zone, expr string
		from             time.Time
		want             []string
	}{
		{"New York spring forward", "America/New_York", "30 2 * * *", time.Date(2026, 3, 7, 12, 0, 0, 0, time.UTC),
			[]string{"2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z"}},
		{"New York fall back", "America/New_York", "30 1 * * *", time.Date(2026, 10, 31, 12, 0, 0, 0, time.UTC),
			[]string{"2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"}},
		{"Berlin spring forward", "Europe/Berlin", "30 2 * * SUN", time.Date(2026, 3, 23, 0, 0, 0, 0, time.UTC),
			[]string{"2026-03-29T01:30:00Z", "2026-04-05T00:30:00Z"}},
		{"Berlin fall back", "Europe/Berlin", "30 2 * * *", time.Date(2026, 10, 24, 12, 0, 0, 0, time.UTC),
			[]string{"2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewCronSchedule(1, tt.expr, tt.zone, tt.from)
			if err != nil {
				t.Fatal(err)
			}
			if got := runs(t, s, tt.from, 2); strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("runs = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestScheduleInputIsValidated(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	bad := []struct {
		name string
		err  error
		want string
	}{
		{"unknown zone", func() error {
			_, err := NewWeeklySchedule(1, WeeklyInput{Weekday: "monday", Time: "20:00", TimeZone: "Mars/Olympus"}, now)
			return err
		}(), "not a time zone"},
		{"25:00", func() error {
			_, err := NewWeeklySchedule(1, WeeklyInput{Weekday: "monday", Time: "25:00", TimeZone: "UTC"}, now)
			return err
		}(), "not a time of day"},
		{"no weekday", func() error {
			_, err := NewWeeklySchedule(1, WeeklyInput{Weekday: "someday", Time: "20:00", TimeZone: "UTC"}, now)
			return err
		}(), "not a day of the week"},
		{"every 9 weeks", func() error {
			_, err := NewWeeklySchedule(1, WeeklyInput{Weekday: "monday", Time: "20:00", TimeZone: "UTC", EveryWeeks: 9}, now)
			return err
		}(), "out of range"},
		{"never fires", func() error { _, err := NewCronSchedule(1, "0 20 30 2 *", "UTC", now); return err }(), "never fires"},
		{"not cron", func() error { _, err := NewCronSchedule(1, "every sunday", "UTC", now); return err }(), "not a cron expression"},
		{"too often", func() error { _, err := NewCronSchedule(1, "*/5 * * * *", "UTC", now); return err }(), "at most two a day"},
		{"@every", func() error { _, err := NewCronSchedule(1, "@every 24h", "UTC", now); return err }(), "@every"},
		{"zone inside", func() error { _, err := NewCronSchedule(1, "CRON_TZ=UTC 0 20 * * *", "UTC", now); return err }(), "separately"},
	}
	for _, tt := range bad {
		if ErrorCode(tt.err) != EINVALID || !strings.Contains(ErrorMessage(tt.err), tt.want) {
			t.Errorf("%s: got %v, want EINVALID mentioning %q", tt.name, tt.err, tt.want)
		}
	}
}

// fuzzZones are zones with the changes a run must survive: an hour of
// summer time either side of the equator, half an hour of it, none at all.
var fuzzZones = []string{"America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata"}

func FuzzCronSchedule(f *testing.F) {
	for i, s := range []string{"0 20 * * SUN", "30 2 * * *", "0 0 30 2 *", "@weekly", "* * * * *", "0 20 1-7 * MON", "0 0 29 2 *", "15 2,14 * 3 *"} {
		f.Add(s, uint8(i))
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, expr string, zone uint8) {
		name := fuzzZones[int(zone)%len(fuzzZones)]
		s, err := NewCronSchedule(1, expr, name, now)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("%q: an invalid expression must be EINVALID, got %v", expr, err)
			}
			return
		}
		// It was accepted, so it fires: it must keep firing.
		got, err := s.Upcoming(now, 5)
		if err != nil || len(got) != 5 {
			t.Fatalf("%q in %s: %d runs after %s (%v), want 5", expr, name, len(got), now, err)
		}
		parsed, err := cronParser.Parse(strings.TrimSpace(expr))
		if err != nil {
			t.Fatalf("%q was accepted but does not parse: %v", expr, err)
		}
		spec := parsed.(*cron.SpecSchedule)
		prev := now
		for _, run := range got {
			if !run.After(prev) {
				t.Fatalf("%q: runs not increasing: %s then %s", expr, prev, run)
			}
			if !firesAt(spec, run, s.Location()) {
				t.Fatalf("%q in %s: a run at %s (%s there) that the expression does not name", expr, name, run, run.In(s.Location()))
			}
			prev = run
		}
	})
}

// firesAt says whether the cron fields name run's wall-clock time in loc,
// read as cron reads them: day of month and day of week either both hold
// or, when neither is *, one of them does. A time that a clock springing
// forward skips runs as far after the jump, so a run just after a jump is
// also read at the wall time before it.
func firesAt(spec *cron.SpecSchedule, run time.Time, loc *time.Location) bool {
	const star = 1 << 63
	local := run.In(loc)
	wall := time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), local.Minute(), local.Second(), 0, time.UTC)
	walls := []time.Time{wall}
	_, after := local.Zone()
	if _, before := run.Add(-3 * time.Hour).In(loc).Zone(); after > before {
		walls = append(walls, wall.Add(-time.Duration(after-before)*time.Second))
	}
	for _, w := range walls {
		dom := 1<<uint(w.Day())&spec.Dom != 0
		dow := 1<<uint(w.Weekday())&spec.Dow != 0
		day := dom || dow
		if spec.Dom&star != 0 || spec.Dow&star != 0 {
			day = dom && dow
		}
		if w.Second() == 0 && 1<<uint(w.Minute())&spec.Minute != 0 && 1<<uint(w.Hour())&spec.Hour != 0 &&
			1<<uint(w.Month())&spec.Month != 0 && day {
			return true
		}
	}
	return false
}

func TestUpcomingReturnsTheErrorOfNext(t *testing.T) {
	t.Parallel()
	// Every second week counts from its anchor; without one there is no next run.
	s := Schedule{CoupleID: 7, Kind: ScheduleWeekly, Weekday: time.Wednesday, Hour: 20, EveryWeeks: 2, Anchor: "not a date", TimeZone: "UTC"}
	runs, err := s.Upcoming(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC), 3)
	if err == nil || len(runs) != 0 {
		t.Errorf("Upcoming with a bad anchor = %v, %v; want no runs and the error", runs, err)
	}
}
