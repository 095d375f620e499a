package conversations

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// ScheduleKind says how a schedule's times are described.
type ScheduleKind string

const (
	// ScheduleWeekly runs on a weekday at a time of day, every N weeks.
	ScheduleWeekly ScheduleKind = "weekly"
	// ScheduleCron runs at the times of a cron expression, for advanced use.
	ScheduleCron ScheduleKind = "cron"
)

// MinScheduleGap is the shortest time allowed between two scheduled
// check-ins: more often than twice a day would be a burden, not a rhythm.
const MinScheduleGap = 12 * time.Hour

// MaxEveryWeeks bounds "every N weeks".
const MaxEveryWeeks = 8

// Schedule is when a couple's check-ins open by themselves. Times are computed
// in the couple's zone and stored in UTC.
type Schedule struct {
	CoupleID int64
	Kind     ScheduleKind
	// Weekly: the day, the time of day and how many weeks apart. Anchor is the
	// date (in the zone) of one run, from which "every N weeks" counts.
	Weekday    time.Weekday
	Hour       int
	Minute     int
	EveryWeeks int
	Anchor     string
	// Cron: a standard five-field expression.
	Cron string

	TimeZone   string
	TemplateID string
	// NextRunAt is the next time a check-in opens, in UTC.
	NextRunAt time.Time
	// PausedUntil is a date (in the zone) before which nothing opens; empty
	// when the schedule is not paused.
	PausedUntil string
	UpdatedBy   string
	UpdatedAt   time.Time
}

var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Location returns the schedule's zone.
func (s Schedule) Location() *time.Location {
	loc, err := loadLocation(s.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Next returns the first run strictly after t, or an error when there is none
// within five years.
func (s Schedule) Next(t time.Time) (time.Time, error) {
	loc := s.Location()
	if s.Kind == ScheduleCron {
		return nextCron(s.Cron, loc, t)
	}
	anchor, err := time.ParseInLocation(DateLayout, s.Anchor, time.UTC)
	if err != nil && s.EveryWeeks > 1 {
		return time.Time{}, fmt.Errorf("schedule of couple %d: bad anchor %q", s.CoupleID, s.Anchor)
	}
	local := t.In(loc)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	period := 7 * max(s.EveryWeeks, 1)
	for i := 0; i <= period+7; i++ {
		d := day.AddDate(0, 0, i)
		if d.Weekday() != s.Weekday || (s.EveryWeeks > 1 && daysBetween(anchor, d)%period != 0) {
			continue
		}
		if run := wallClock(d, s.Hour, s.Minute, loc); run.After(t) {
			return run.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("schedule of couple %d has no next run", s.CoupleID)
}

func daysBetween(a, b time.Time) int {
	d := int(b.Sub(a).Hours() / 24)
	if d < 0 {
		d = -d
	}
	return d
}

// wallClock returns the instant a clock in loc shows hour:minute on the given
// date. On a day when clocks spring forward past that time, it is the moment
// just as far after the jump (02:30 becomes 03:30); on a day when they fall
// back and the time happens twice, it is the first time.
func wallClock(date time.Time, hour, minute int, loc *time.Location) time.Time {
	naive := time.Date(date.Year(), date.Month(), date.Day(), hour, minute, 0, 0, time.UTC)
	// The offsets in force a day and a half either side cover any transition
	// near this date; no zone changes its offset twice within three days.
	_, before := naive.Add(-36 * time.Hour).In(loc).Zone()
	_, after := naive.Add(36 * time.Hour).In(loc).Zone()
	var best time.Time
	for _, off := range []int{before, after} {
		u := naive.Add(-time.Duration(off) * time.Second).In(loc)
		if u.Hour() == hour && u.Minute() == minute && u.Day() == date.Day() && (best.IsZero() || u.Before(best)) {
			best = u
		}
	}
	if best.IsZero() {
		best = naive.Add(-time.Duration(before) * time.Second).In(loc)
	}
	return best
}

// nextCron returns the first time after t that the expression names, read in
// loc with the same rule for clock changes as weekly schedules. robfig/cron
// parses the expression; its own Next is not used because it skips a time
// that a spring-forward day does not have and runs twice a time that a
// fall-back day has twice.
func nextCron(expr string, loc *time.Location, t time.Time) (time.Time, error) {
	parsed, err := cronParser.Parse(expr)
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "%q is not a cron expression Mend can read (%v).", expr, err)
	}
	spec, ok := parsed.(*cron.SpecSchedule)
	if !ok {
		return time.Time{}, Errorf(EINVALID, "%q is not a calendar schedule; @every is not supported.", expr)
	}
	local := t.In(loc)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	// The day before too: its late times can land after t once the offset is applied.
	for i := -1; i <= 5*366; i++ {
		d := day.AddDate(0, 0, i)
		if 1<<uint(d.Month())&spec.Month == 0 || !cronDayMatches(spec, d) {
			continue
		}
		for h := 0; h < 24; h++ {
			if 1<<uint(h)&spec.Hour == 0 {
				continue
			}
			for m := 0; m < 60; m++ {
				if 1<<uint(m)&spec.Minute == 0 {
					continue
				}
				if run := wallClock(d, h, m, loc); run.After(t) {
					return run.UTC(), nil
				}
			}
		}
	}
	return time.Time{}, Errorf(EINVALID, "The expression %q never fires.", expr)
}

// cronDayMatches is cron's rule for the two day fields: when either is "*",
// both must match; otherwise either may.
func cronDayMatches(s *cron.SpecSchedule, d time.Time) bool {
	const starBit = 1 << 63
	dom := 1<<uint(d.Day())&s.Dom > 0
	dow := 1<<uint(d.Weekday())&s.Dow > 0
	if s.Dom&starBit > 0 || s.Dow&starBit > 0 {
		return dom && dow
	}
	return dom || dow
}

// WeeklyInput is what a partner gives to set a weekly schedule.
type WeeklyInput struct {
	Weekday    string
	Time       string // "HH:MM", 24-hour
	TimeZone   string
	EveryWeeks int
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

// NewWeeklySchedule validates the input and returns a schedule whose next run
// is the first one after now.
func NewWeeklySchedule(coupleID int64, in WeeklyInput, now time.Time) (Schedule, error) {
	day, ok := weekdays[strings.ToLower(strings.TrimSpace(in.Weekday))]
	if !ok {
		return Schedule{}, Errorf(EINVALID, "%q is not a day of the week; use Monday to Sunday.", in.Weekday)
	}
	hour, minute, err := parseClock(in.Time)
	if err != nil {
		return Schedule{}, err
	}
	loc, err := LoadZone(in.TimeZone)
	if err != nil {
		return Schedule{}, err
	}
	every := in.EveryWeeks
	if every == 0 {
		every = 1
	}
	if every < 1 || every > MaxEveryWeeks {
		return Schedule{}, Errorf(EINVALID, "Every %d weeks is out of range; choose from 1 to %d.", in.EveryWeeks, MaxEveryWeeks)
	}
	s := Schedule{CoupleID: coupleID, Kind: ScheduleWeekly, Weekday: day, Hour: hour, Minute: minute, EveryWeeks: every, TimeZone: loc.String()}
	// The first run is the next such weekday; "every N weeks" counts from it.
	probe := s
	probe.EveryWeeks = 1
	first, err := probe.Next(now)
	if err != nil {
		return Schedule{}, err
	}
	s.Anchor = first.In(loc).Format(DateLayout)
	s.NextRunAt = first
	return s, nil
}

// NewCronSchedule validates a cron expression: it must parse, fire, and leave
// at least MinScheduleGap between runs.
func NewCronSchedule(coupleID int64, expr, timeZone string, now time.Time) (Schedule, error) {
	expr = strings.TrimSpace(expr)
	loc, err := LoadZone(timeZone)
	if err != nil {
		return Schedule{}, err
	}
	if strings.HasPrefix(expr, "TZ=") || strings.HasPrefix(expr, "CRON_TZ=") {
		return Schedule{}, Errorf(EINVALID, "Give the time zone separately, not inside the expression.")
	}
	if _, err := cronParser.Parse(expr); err != nil {
		return Schedule{}, Errorf(EINVALID, "%q is not a cron expression Mend can read (%v). It has five fields: minute hour day-of-month month day-of-week, like \"0 20 * * SUN\" for Sundays at 20:00.", expr, err)
	}
	if strings.HasPrefix(expr, "@every") {
		return Schedule{}, Errorf(EINVALID, "@every is not supported; name days and times, like \"0 20 * * SUN\".")
	}
	s := Schedule{CoupleID: coupleID, Kind: ScheduleCron, Cron: expr, TimeZone: loc.String()}
	next, err := s.Next(now)
	if err != nil {
		return Schedule{}, err
	}
	prev := next
	for i := 0; i < 20; i++ {
		n, err := s.Next(prev)
		if err != nil {
			break
		}
		if n.Sub(prev) < MinScheduleGap {
			return Schedule{}, Errorf(EINVALID, "%q would open check-ins %s apart; Mend allows at most two a day (12 hours apart).", expr, n.Sub(prev))
		}
		prev = n
	}
	s.NextRunAt = next
	return s, nil
}

func parseClock(s string) (int, int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, 0, Errorf(EINVALID, "%q is not a time of day; write it as 24-hour HH:MM, like 20:30.", s)
	}
	return t.Hour(), t.Minute(), nil
}

// Upcoming returns the next n runs after t, for showing a schedule, or the
// runs found before Next failed with its error.
func (s Schedule) Upcoming(t time.Time, n int) ([]time.Time, error) {
	var out []time.Time
	for len(out) < n {
		next, err := s.Next(t)
		if err != nil {
			return out, err
		}
		out = append(out, next)
		t = next
	}
	return out, nil
}

// Describe says the schedule in words.
func (s Schedule) Describe() string {
	if s.Kind == ScheduleCron {
		return fmt.Sprintf("cron %q (%s)", s.Cron, s.TimeZone)
	}
	every := "every week"
	if s.EveryWeeks > 1 {
		every = fmt.Sprintf("every %d weeks", s.EveryWeeks)
	}
	return fmt.Sprintf("%ss at %02d:%02d (%s), %s", s.Weekday, s.Hour, s.Minute, s.TimeZone, every)
}

// Paused reports whether the schedule is paused at now.
func (s Schedule) Paused(now time.Time) bool {
	return s.PausedUntil != "" && s.PausedUntil > now.In(s.Location()).Format(DateLayout)
}
