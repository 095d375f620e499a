package conversations

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"time"
)

// RunStatus is what became of one scheduled time.
type RunStatus string

const (
	RunOpened RunStatus = "opened"
	// RunMissed: Mend was not running at the time, and it was longer ago than
	// the grace window when Mend came back; nothing is posted late.
	RunMissed RunStatus = "missed"
	// RunSkipped: another check-in was still open at the time.
	RunSkipped RunStatus = "skipped"
)

// ScheduledRun is one scheduled time of a couple and its outcome.
type ScheduledRun struct {
	CoupleID     int64
	ScheduledFor time.Time
	Status       RunStatus
	CheckInID    int64
}

// SchedulePlan is everything one due schedule changes, applied by the store in
// one transaction: the schedule advances from ExpectedNextRun (and only from
// it, so two processes cannot both apply it) to NextRun, the runs are recorded
// (unique per couple and time), and Open, if set, is opened with its post. If
// another check-in is still open, Open's run is recorded as skipped instead.
type SchedulePlan struct {
	CoupleID        int64
	ExpectedNextRun time.Time
	NextRun         time.Time
	Runs            []ScheduledRun
	Open            *CheckIn
}

// DueSchedule is a schedule that has come due, with what opening its
// check-in needs, read in one go.
type DueSchedule struct {
	Schedule    Schedule
	Couple      Couple
	Commitments []Commitment // open ones
	Agreements  []Agreement  // active ones
	// Path is the couple's place on the guided path.
	Path Path
}

// DefaultGrace is how late a run may still be opened after Mend was down.
const DefaultGrace = 6 * time.Hour

// DueReport counts what one pass of RunDue did.
type DueReport struct {
	Opened, Missed, Skipped, Reminded, Closed, DueReminders int
	// WipePending: words deleted by a forget are still on disk, because
	// another connection was using the database (see Forgotten).
	WipePending bool
}

// WipeRetry is how soon RunDue tries again to wipe from disk what a forget
// deleted, while another connection keeps it there.
const WipeRetry = 30 * time.Second

// RunDue does everything that has come due by now: opens scheduled check-ins
// (recording missed ones), sends reminders, closes check-ins whose window
// ended, and reminds partners of commitments that fall due. Every change and
// the post that announces it are one transaction, and each is guarded so
// that two processes running RunDue at once do each thing once. It also
// finishes wiping from disk what partners asked Mend to forget, first, so
// that a failure in another step cannot keep their words there.
func (s *Service) RunDue(ctx context.Context) (DueReport, error) {
	var r DueReport
	var err error
	if r.WipePending, err = s.store.FinishWipes(ctx); err != nil {
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
	return r, nil
}

// dueBatch bounds how many schedules one query returns.
const dueBatch = 1000

func (s *Service) runSchedules(ctx context.Context, r *DueReport) error {
	for {
		now := s.clock.Now()
		due, err := s.store.DueSchedules(ctx, now, dueBatch)
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
			applied, err := s.store.ApplySchedulePlans(ctx, plans)
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
func (s *Service) planSchedule(d DueSchedule, now time.Time) (*SchedulePlan, error) {
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
		if i == len(times)-1 && now.Sub(t) <= s.Grace {
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
func (s *Service) scheduledTemplate(id string) Template {
	if t, ok := s.templates.Get(id); ok && id != "" {
		return t
	}
	if t, ok := s.templates.Get(s.DefaultTemplate); ok {
		return t
	}
	return s.templates.List()[0]
}

// newCheckIn builds (but does not store) a check-in opening now. A scheduled
// one closes no later than the next scheduled run, so two never overlap.
func (s *Service) newCheckIn(couple Couple, t Template, commitments []Commitment, agreements []Agreement, now, nextRun time.Time) (CheckIn, error) {
	if couple.Status != CoupleActive {
		return CheckIn{}, Errorf(ECONFLICT, "Check-ins start once both partners have accepted.")
	}
	closes := now.Add(s.Window)
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

func (s *Service) runCheckIns(ctx context.Context, r *DueReport) error {
	now := s.clock.Now()
	// Only check-ins that may need a reminder or closing by now.
	openedBefore := now
	for _, offset := range s.Reminders {
		openedBefore = minTime(openedBefore, now.Add(-offset))
	}
	if len(s.Reminders) == 0 {
		openedBefore = time.Time{}
	}
	open, err := s.store.OpenCheckIns(ctx, openedBefore, now)
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
			closed, err := s.store.CloseCheckIn(ctx, ci.ID, ci.ClosesAt, Post{CoupleID: ci.CoupleID, Kind: PostClosed, CheckInID: ci.ID, CreatedAt: now, NextAttemptAt: now})
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
		for i, offset := range s.Reminders {
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
			sent, err := s.store.RecordReminder(ctx, ci.ID, p.UserID, slot, post)
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

func (s *Service) runDueCommitments(ctx context.Context, r *DueReport) error {
	now := s.clock.Now()
	// The latest calendar day anywhere on Earth is at most 14 hours ahead of UTC.
	horizon := now.Add(14 * time.Hour).UTC().Format(DateLayout)
	due, err := s.store.UnremindedCommitmentsDueBy(ctx, horizon)
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
		reminded, err := s.store.RemindCommitment(ctx, c.ID, now, post)
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
func (s *Service) NextWake(ctx context.Context, last DueReport) (time.Time, error) {
	now := s.clock.Now()
	wake := now.Add(time.Hour)
	if last.WipePending {
		wake = now.Add(WipeRetry)
	}
	next, err := s.store.EarliestDue(ctx)
	if err != nil {
		return time.Time{}, fmt.Errorf("find next due time: %w", err)
	}
	if !next.IsZero() && next.Before(wake) {
		wake = next
	}
	// Reminders are offsets from each open check-in; a minute's delay is fine.
	if len(s.Reminders) > 0 && now.Add(time.Minute).Before(wake) {
		wake = now.Add(time.Minute)
	}
	return wake, nil
}

// RunScheduler calls RunDue whenever something comes due, until ctx ends.
// wake, when signalled, makes it look again at once (a schedule changed).
// after is called with each report, so the adapter can send queued posts.
func (s *Service) RunScheduler(ctx context.Context, wake <-chan struct{}, after func(DueReport), onError func(error)) {
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

// PanicError is a panic recovered in a background loop, with where it
// happened. Its value is kept only for runtime errors: any other value could
// carry what a partner wrote, and the error is logged.
type PanicError struct {
	Value string
	Stack []byte
}

func (e *PanicError) Error() string { return "panic: " + e.Value }

// Recovered turns a recovered panic value into a *PanicError.
func Recovered(p any) *PanicError {
	value := fmt.Sprintf("%T", p)
	if re, ok := p.(runtime.Error); ok {
		value = re.Error()
	}
	return &PanicError{Value: value, Stack: debug.Stack()}
}

// runDueRecovered is RunDue for the loop: a panic in one round is reported
// as an error, and the next round runs as usual.
func (s *Service) runDueRecovered(ctx context.Context) (report DueReport, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = Recovered(p)
		}
	}()
	return s.RunDue(ctx)
}

// Queued posts, for the adapter that sends them.

// PendingPosts returns posts due to be sent now.
func (s *Service) PendingPosts(ctx context.Context, limit int) ([]Post, error) {
	posts, err := s.store.PendingPosts(ctx, s.clock.Now(), limit)
	if err != nil {
		return nil, fmt.Errorf("list pending posts: %w", err)
	}
	return posts, nil
}

// PostSent records that Discord has the post.
func (s *Service) PostSent(ctx context.Context, p Post, messageID string) error {
	// The check-in learns its message first: until the post is marked sent
	// it still counts as on its way, so nobody is ever told in between that
	// a reveal that arrived never did. A crash in between resends with the
	// same nonce, and Discord returns the same message.
	var err error
	switch {
	case p.Kind == PostCheckIn && p.CheckInID != 0:
		err = s.SetCheckInPosts(ctx, p.CheckInID, messageID, "")
	case p.Kind == PostReveal && p.CheckInID != 0:
		err = s.SetCheckInPosts(ctx, p.CheckInID, "", messageID)
	}
	if err != nil {
		return err
	}
	if err := s.store.MarkPostSent(ctx, p.ID, messageID, s.clock.Now()); err != nil {
		return fmt.Errorf("mark post %d sent: %w", p.ID, err)
	}
	return nil
}

// ShareAnyway shows the answers of a partner who finished a check-in that
// closed before the other did: nothing is revealed automatically then, but the
// one who finished may choose to share. Only their own answers are shown.
func (s *Service) ShareAnyway(ctx context.Context, by Actor, checkInID int64) (Reveal, error) {
	userID := by.UserID
	ci, couple, err := s.checkInFor(ctx, by, checkInID)
	if err != nil {
		return Reveal{}, err
	}
	if couple.Status != CoupleActive {
		return Reveal{}, Errorf(ECONFLICT, "This couple is no longer using Mend together, so nothing more is recorded or shown.")
	}
	now := s.clock.Now()
	if ci.StatusAt(now) != CheckInClosed {
		return Reveal{}, Errorf(ECONFLICT, "Sharing your answers alone is for a check-in that closed before you had both finished.")
	}
	if p, _ := ci.Participant(userID); p.Status != Done {
		return Reveal{}, Errorf(ECONFLICT, "You had not finished this check-in, so there are no finished answers to share.")
	}
	post := Post{CoupleID: ci.CoupleID, Kind: PostShare, CheckInID: checkInID, UserID: userID, CreatedAt: now, NextAttemptAt: now}
	shared, err := s.store.RecordShare(ctx, checkInID, userID, now, post)
	if err != nil {
		return Reveal{}, fmt.Errorf("share answers of check-in %d: %w", checkInID, err)
	}
	if !shared {
		return Reveal{}, Errorf(ECONFLICT, "You have already shared your answers of this check-in.")
	}
	return s.SharedAnswers(ctx, checkInID, userID)
}

// SharedAnswers returns the answers a partner shared of a closed check-in,
// and nothing of the other partner's, for posting them.
func (s *Service) SharedAnswers(ctx context.Context, checkInID int64, userID string) (Reveal, error) {
	ci, couple, err := s.checkInOfSystem(ctx, checkInID)
	if err != nil {
		return Reveal{}, err
	}
	answers, err := s.store.Answers(ctx, checkInID)
	if err != nil {
		return Reveal{}, fmt.Errorf("load answers of check-in %d: %w", checkInID, err)
	}
	own := answers[:0:0]
	for _, a := range answers {
		if a.UserID == userID {
			own = append(own, a)
		}
	}
	return NewReveal(ci, couple, own), nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
