package conversations

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// SetSchedule replaces the couple's schedule with s (built by NewWeeklySchedule
// or NewCronSchedule) for one of its partners, and moves the couple to the
// schedule's time zone, in which due dates are read too.
func (s *Service) SetSchedule(ctx context.Context, coupleID int64, userID string, sched Schedule) (Schedule, error) {
	couple, err := s.activeCouple(ctx, coupleID, userID)
	if err != nil {
		return Schedule{}, err
	}
	if sched.TemplateID != "" {
		if _, ok := s.templates.Get(sched.TemplateID); !ok {
			return Schedule{}, Errorf(EINVALID, "There is no template called %q.", sched.TemplateID)
		}
	}
	sched.CoupleID, sched.UpdatedBy, sched.UpdatedAt = coupleID, userID, s.clock.Now()
	if couple.TimeZone != sched.TimeZone {
		couple.TimeZone = sched.TimeZone
		if err := s.store.UpdateCouple(ctx, couple, nil); err != nil {
			return Schedule{}, fmt.Errorf("move couple %d to %s: %w", coupleID, sched.TimeZone, err)
		}
	}
	if err := s.store.SaveSchedule(ctx, sched); err != nil {
		return Schedule{}, fmt.Errorf("save schedule of couple %d: %w", coupleID, err)
	}
	return sched, nil
}

// Schedule returns the couple's schedule to one of its partners.
func (s *Service) Schedule(ctx context.Context, coupleID int64, userID string) (Schedule, error) {
	if _, err := s.activeCouple(ctx, coupleID, userID); err != nil {
		return Schedule{}, err
	}
	sched, err := s.store.Schedule(ctx, coupleID)
	if ErrorCode(err) == ENOTFOUND {
		return Schedule{}, Errorf(ENOTFOUND, "You have no schedule yet. `/schedule set` makes one.")
	}
	if err != nil {
		return Schedule{}, fmt.Errorf("load schedule of couple %d: %w", coupleID, err)
	}
	return sched, nil
}

// PauseSchedule stops check-ins from opening before the given date (in the
// couple's zone); the first run on or after it opens as usual.
func (s *Service) PauseSchedule(ctx context.Context, coupleID int64, userID, until string) (Schedule, error) {
	sched, err := s.Schedule(ctx, coupleID, userID)
	if err != nil {
		return Schedule{}, err
	}
	loc := sched.Location()
	now := s.clock.Now()
	day, err := time.ParseInLocation(DateLayout, strings.TrimSpace(until), loc)
	if err != nil {
		return Schedule{}, Errorf(EINVALID, "%q is not a date Mend can read; write it as year-month-day, like %s.", until, now.In(loc).AddDate(0, 0, 14).Format(DateLayout))
	}
	today := now.In(loc).Format(DateLayout)
	if day.Format(DateLayout) <= today {
		return Schedule{}, Errorf(EINVALID, "%s is not in the future; pause until a later day, or use `/schedule resume`.", day.Format(DateLayout))
	}
	if day.After(now.AddDate(1, 0, 0)) {
		return Schedule{}, Errorf(EINVALID, "A pause can last up to a year.")
	}
	next, err := sched.Next(wallClock(day, 0, 0, loc).Add(-time.Second))
	if err != nil {
		return Schedule{}, err
	}
	sched.NextRunAt, sched.PausedUntil = next, day.Format(DateLayout)
	sched.UpdatedBy, sched.UpdatedAt = userID, now
	if err := s.store.SaveSchedule(ctx, sched); err != nil {
		return Schedule{}, fmt.Errorf("pause schedule of couple %d: %w", coupleID, err)
	}
	return sched, nil
}

// ResumeSchedule ends a pause: the next run is the first one from now.
func (s *Service) ResumeSchedule(ctx context.Context, coupleID int64, userID string) (Schedule, error) {
	sched, err := s.Schedule(ctx, coupleID, userID)
	if err != nil {
		return Schedule{}, err
	}
	now := s.clock.Now()
	if sched.PausedUntil == "" || sched.PausedUntil <= now.In(sched.Location()).Format(DateLayout) {
		return Schedule{}, Errorf(ECONFLICT, "Your schedule is not paused.")
	}
	next, err := sched.Next(now)
	if err != nil {
		return Schedule{}, err
	}
	sched.NextRunAt, sched.PausedUntil = next, ""
	sched.UpdatedBy, sched.UpdatedAt = userID, now
	if err := s.store.SaveSchedule(ctx, sched); err != nil {
		return Schedule{}, fmt.Errorf("resume schedule of couple %d: %w", coupleID, err)
	}
	return sched, nil
}

// Paused reports whether the schedule is paused at now.
func (s Schedule) Paused(now time.Time) bool {
	return s.PausedUntil != "" && s.PausedUntil > now.In(s.Location()).Format(DateLayout)
}
