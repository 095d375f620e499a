package conversations

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Schedules are when a couple's check-ins open, and the loop that opens
// them, reminds, closes and reminds of commitments falling due.
type Schedules struct {
	*core
	// talks end guided talks whose time ran out and post the "Ready to
	// come back?" of breaks that ended.
	talks *Talks
}

// SchedulerLag is how far behind the scheduler is: now minus the earliest
// time something came due (a scheduled check-in, a closing, a retry) that has
// not been done yet; 0 when nothing is overdue.
func (s *Schedules) SchedulerLag(ctx context.Context) (time.Duration, error) {
	due, err := s.stores.Schedules.EarliestDue(ctx)
	if err != nil {
		return 0, fmt.Errorf("scheduler lag: %w", err)
	}
	now := s.clock.Now()
	if due.IsZero() || due.After(now) {
		return 0, nil
	}
	return now.Sub(due), nil
}

// Set replaces the couple's schedule with s (built by NewWeeklySchedule
// or NewCronSchedule) for one of its partners, and moves the couple to the
// schedule's time zone, in which due dates are read too.
func (s *Schedules) Set(ctx context.Context, by Actor, sched Schedule) (Schedule, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return Schedule{}, err
	}
	if sched.TemplateID != "" {
		if _, ok := s.templates.Get(sched.TemplateID); !ok {
			return Schedule{}, Errorf(EINVALID, "There is no template called %q.", sched.TemplateID)
		}
	}
	sched.CoupleID, sched.UpdatedBy, sched.UpdatedAt = couple.ID, by.UserID, s.clock.Now()
	if couple.TimeZone != sched.TimeZone {
		couple.TimeZone = sched.TimeZone
		if err := s.stores.Couples.UpdateCouple(ctx, couple, nil); err != nil {
			return Schedule{}, fmt.Errorf("move couple %d to %s: %w", couple.ID, sched.TimeZone, err)
		}
	}
	if err := s.stores.Schedules.SaveSchedule(ctx, sched); err != nil {
		return Schedule{}, fmt.Errorf("save schedule of couple %d: %w", couple.ID, err)
	}
	return sched, nil
}

// Get returns the couple's schedule to one of its partners.
func (s *Schedules) Get(ctx context.Context, by Actor) (Schedule, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return Schedule{}, err
	}
	sched, err := s.stores.Schedules.Schedule(ctx, couple.ID)
	if ErrorCode(err) == ENOTFOUND {
		return Schedule{}, Errorf(ENOTFOUND, "You have no schedule yet. `/schedule set` makes one.")
	}
	if err != nil {
		return Schedule{}, fmt.Errorf("load schedule of couple %d: %w", couple.ID, err)
	}
	return sched, nil
}

// Pause stops check-ins from opening before the given date (in the
// couple's zone); the first run on or after it opens as usual.
func (s *Schedules) Pause(ctx context.Context, by Actor, until string) (Schedule, error) {
	sched, err := s.Get(ctx, by)
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
	sched.UpdatedBy, sched.UpdatedAt = by.UserID, now
	if err := s.stores.Schedules.SaveSchedule(ctx, sched); err != nil {
		return Schedule{}, fmt.Errorf("pause schedule of couple %d: %w", sched.CoupleID, err)
	}
	return sched, nil
}

// Resume ends a pause: the next run is the first one from now.
func (s *Schedules) Resume(ctx context.Context, by Actor) (Schedule, error) {
	sched, err := s.Get(ctx, by)
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
	sched.UpdatedBy, sched.UpdatedAt = by.UserID, now
	if err := s.stores.Schedules.SaveSchedule(ctx, sched); err != nil {
		return Schedule{}, fmt.Errorf("resume schedule of couple %d: %w", sched.CoupleID, err)
	}
	return sched, nil
}

// RunDue does everything that has come due by now: opens scheduled check-ins
// (recording missed ones), sends reminders, closes check-ins whose window
// ended, reminds partners of commitments that fall due, has expired
// invitations read "This invitation is closed.", ends guided talks whose
// time ran out and asks "Ready to come back?" after breaks. Every change and
// the post that announces it are one transaction, and each is guarded so
// that two processes running RunDue at once do each thing once. It also
// finishes wiping from disk what partners asked Mend to forget, first, so
// that a failure in another step cannot keep their words there.
func (s *Schedules) RunDue(ctx context.Context) (DueReport, error) {
	var r DueReport
	var err error
	if r.WipePending, err = s.stores.Records.FinishWipes(ctx); err != nil {
		return r, fmt.Errorf("finish wipes: %w", err)
	}
	if err := s.runSchedules(ctx, &r); err != nil {
		return r, err
	}
	if err := s.runCheckIns(ctx, &r); err != nil {
		return r, err
	}
	if err := s.runDueCommitments(ctx, &r); err != nil {
		return r, err
	}
	if r.InvitationsClosed, err = s.stores.Couples.CloseExpiredInvitations(ctx, s.clock.Now()); err != nil {
		return r, fmt.Errorf("close expired invitations: %w", err)
	}
	if err := s.talks.runDue(ctx, &r); err != nil {
		return r, err
	}
	return r, nil
}

func (s *Schedules) runSchedules(ctx context.Context, r *DueReport) error {
	for {
		now := s.clock.Now()
		due, err := s.stores.Schedules.DueSchedules(ctx, now, dueBatch)
		if err != nil {
			return fmt.Errorf("list due schedules: %w", err)
		}
		plans := make([]*SchedulePlan, 0, len(due))
		for _, d := range due {
			plan, err := s.planSchedule(d, now)
			if err != nil {
				return err
			}
			plans = append(plans, plan)
		}
		if len(plans) > 0 {
			applied, err := s.stores.Schedules.ApplySchedulePlans(ctx, plans)
			if err != nil {
				return fmt.Errorf("run due schedules: %w", err)
			}
			for i, plan := range plans {
				if !applied[i] {
					continue // another process got there first
				}
				for _, run := range plan.Runs {
					switch run.Status {
					case RunOpened:
						r.Opened++
					case RunMissed:
						r.Missed++
					case RunSkipped:
						r.Skipped++
					}
				}
			}
		}
		if len(due) < dueBatch {
			return nil
		}
	}
}

// planSchedule decides what a due schedule does now: every run from the
// stored next one up to now is recorded, and only the last can still be
// opened, and only inside the grace window.
func (s *Schedules) planSchedule(d DueSchedule, now time.Time) (*SchedulePlan, error) {
	sched := d.Schedule
	plan := &SchedulePlan{CoupleID: sched.CoupleID, ExpectedNextRun: sched.NextRunAt}
	var times []time.Time
	for t := sched.NextRunAt; !t.After(now) && len(times) < 1000; {
		times = append(times, t)
		next, err := sched.Next(t)
		if err != nil {
			break
		}
		t = next
	}
	next, err := sched.Next(now)
	if err != nil {
		return nil, fmt.Errorf("next run of couple %d: %w", sched.CoupleID, err)
	}
	plan.NextRun = next
	for i, t := range times {
		run := ScheduledRun{CoupleID: sched.CoupleID, ScheduledFor: t, Status: RunMissed}
		if i == len(times)-1 && now.Sub(t) <= s.settings.Grace {
			run.Status = RunOpened
			ci, err := s.newCheckIn(d.Couple, s.scheduledTemplate(sched.TemplateID), d.Commitments, d.Agreements, now, next)
			if err != nil {
				return nil, err
			}
			s.drawWeek(&ci, d.Path)
			plan.Open = &ci
		}
		plan.Runs = append(plan.Runs, run)
	}
	return plan, nil
}

// scheduledTemplate is the schedule's template, or the default one when the
// schedule's was removed from the config since: the couple's check-in still
// happens.
func (s *Schedules) scheduledTemplate(id string) Template {
	if t, ok := s.templates.Get(id); ok && id != "" {
		return t
	}
	if t, ok := s.templates.Get(s.settings.DefaultTemplate); ok {
		return t
	}
	return s.templates.List()[0]
}

// newCheckIn builds (but does not store) a check-in opening now. A scheduled
// one closes no later than the next scheduled run, so two never overlap.
func (s *Schedules) newCheckIn(couple Couple, t Template, commitments []Commitment, agreements []Agreement, now, nextRun time.Time) (CheckIn, error) {
	if couple.Status != CoupleActive {
		return CheckIn{}, Errorf(ECONFLICT, "Check-ins start once both partners have accepted.")
	}
	closes := now.Add(s.settings.Window)
	if !nextRun.IsZero() && nextRun.Before(closes) {
		closes = nextRun
	}
	return CheckIn{
		CoupleID: couple.ID,
		Template: t,
		Subjects: subjectsOf(t, commitments, agreements, couple.Today(now)),
		Participants: [2]Participant{
			{UserID: couple.Partners[0].UserID, Status: NotStarted},
			{UserID: couple.Partners[1].UserID, Status: NotStarted},
		},
		Status:   CheckInOpen,
		OpenedAt: now,
		ClosesAt: closes,
	}, nil
}

func (s *Schedules) runCheckIns(ctx context.Context, r *DueReport) error {
	now := s.clock.Now()
	// Only check-ins that may need a reminder or closing by now.
	openedBefore := now
	for _, offset := range s.settings.Reminders {
		openedBefore = minTime(openedBefore, now.Add(-offset))
	}
	if len(s.settings.Reminders) == 0 {
		openedBefore = time.Time{}
	}
	open, err := s.stores.CheckIns.OpenCheckIns(ctx, openedBefore, now)
	if err != nil {
		return fmt.Errorf("list open check-ins: %w", err)
	}
	for _, ci := range open {
		if !now.Before(ci.ClosesAt) && ci.Participants[0].Status == Done && ci.Participants[1].Status == Done {
			// Both finished in time; the reveal was interrupted. Do it now.
			if _, err := s.revealIfDone(ctx, ci); err != nil {
				return err
			}
			continue
		}
		if !now.Before(ci.ClosesAt) {
			closed, err := s.stores.CheckIns.CloseCheckIn(ctx, ci.ID, ci.ClosesAt, Post{CoupleID: ci.CoupleID, Kind: PostClosed, CheckInID: ci.ID, CreatedAt: now, NextAttemptAt: now})
			if err != nil {
				return fmt.Errorf("close check-in %d: %w", ci.ID, err)
			}
			if closed {
				r.Closed++
			}
			continue
		}
		// Only the latest reminder that has come due is sent: after downtime,
		// one reminder, not a burst of them.
		slot := -1
		for i, offset := range s.settings.Reminders {
			if at := ci.OpenedAt.Add(offset); !now.Before(at) && at.Before(ci.ClosesAt) {
				slot = i
			}
		}
		if slot < 0 {
			continue
		}
		for _, p := range ci.Participants {
			if p.Status == Done {
				continue
			}
			post := Post{CoupleID: ci.CoupleID, Kind: PostReminder, CheckInID: ci.ID, UserID: p.UserID, CreatedAt: now, NextAttemptAt: now}
			sent, err := s.stores.Schedules.RecordReminder(ctx, ci.ID, p.UserID, slot, post)
			if err != nil {
				return fmt.Errorf("remind %s of check-in %d: %w", p.UserID, ci.ID, err)
			}
			if sent {
				r.Reminded++
			}
		}
	}
	return nil
}

func (s *Schedules) runDueCommitments(ctx context.Context, r *DueReport) error {
	now := s.clock.Now()
	// The latest calendar day anywhere on Earth is at most 14 hours ahead of UTC.
	horizon := now.Add(14 * time.Hour).UTC().Format(DateLayout)
	due, err := s.stores.Schedules.UnremindedCommitmentsDueBy(ctx, horizon)
	if err != nil {
		return fmt.Errorf("list commitments falling due: %w", err)
	}
	zones := map[int64]*time.Location{}
	for _, c := range due {
		loc, ok := zones[c.CoupleID]
		if !ok {
			couple, err := s.loadCouple(ctx, c.CoupleID)
			if err != nil {
				return err
			}
			loc = couple.Location()
			zones[c.CoupleID] = loc
		}
		if c.DueOn > now.In(loc).Format(DateLayout) {
			continue
		}
		post := Post{CoupleID: c.CoupleID, Kind: PostDue, CommitmentID: c.ID, UserID: c.OwnerID, CreatedAt: now, NextAttemptAt: now}
		reminded, err := s.stores.Schedules.RemindCommitment(ctx, c.ID, now, post)
		if err != nil {
			return fmt.Errorf("remind of commitment %d: %w", c.ID, err)
		}
		if reminded {
			r.DueReminders++
		}
	}
	return nil
}

// NextWake is when RunDue next has something to do, at the latest an hour
// from now (so a change made by another process is picked up), given the
// report of its last pass.
func (s *Schedules) NextWake(ctx context.Context, last DueReport) (time.Time, error) {
	now := s.clock.Now()
	wake := now.Add(time.Hour)
	if last.WipePending {
		wake = now.Add(WipeRetry)
	}
	next, err := s.stores.Schedules.EarliestDue(ctx)
	if err != nil {
		return time.Time{}, fmt.Errorf("find next due time: %w", err)
	}
	if !next.IsZero() && next.Before(wake) {
		wake = next
	}
	// Reminders are offsets from each open check-in; a minute's delay is fine.
	if len(s.settings.Reminders) > 0 && now.Add(time.Minute).Before(wake) {
		wake = now.Add(time.Minute)
	}
	return wake, nil
}

// RunScheduler calls RunDue whenever something comes due, until ctx ends.
// wake, when signalled, makes it look again at once (a schedule changed).
// after is called with each report, so the adapter can send queued posts.
func (s *Schedules) RunScheduler(ctx context.Context, wake <-chan struct{}, after func(DueReport), onError func(error)) {
	for {
		report, err := s.runDueRecovered(ctx)
		if err != nil && ctx.Err() == nil {
			onError(err)
		}
		after(report)
		next, err := s.NextWake(ctx, report)
		if err != nil {
			if ctx.Err() == nil {
				onError(err)
			}
			next = s.clock.Now().Add(time.Minute)
		}
		timer := time.NewTimer(max(time.Until(next), time.Second))
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// runDueRecovered is RunDue for the loop: a panic in one round is reported
// as an error, and the next round runs as usual.
func (s *Schedules) runDueRecovered(ctx context.Context) (report DueReport, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = Recovered(p)
		}
	}()
	return s.RunDue(ctx)
}

// DefaultGrace is how late a run may still be opened after Mend was down.
const DefaultGrace = 6 * time.Hour

// WipeRetry is how soon RunDue tries again to wipe from disk what a forget
// deleted, while another connection keeps it there.
const WipeRetry = 30 * time.Second

// dueBatch bounds how many schedules one query returns.
const dueBatch = 1000

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
