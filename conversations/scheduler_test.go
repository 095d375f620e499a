package conversations_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"mend/conversations"
)

// Wednesday 12 March 2025, 20:00 in Berlin (CET) is 19:00 UTC.
var wednesdayEvening = time.Date(2025, time.March, 12, 19, 0, 0, 0, time.UTC)

func (f *fixture) weekly(coupleID int64, every int) conversations.Schedule {
	f.t.Helper()
	s, err := conversations.NewWeeklySchedule(coupleID, conversations.WeeklyInput{Weekday: "Wednesday", Time: "20:00", TimeZone: zone, EveryWeeks: every}, f.clock.Now())
	if err != nil {
		f.t.Fatal(err)
	}
	if s, err = f.app.Schedules.Set(f.ctx, f.actor(coupleID, alice), s); err != nil {
		f.t.Fatal(err)
	}
	return s
}

func (f *fixture) runDue() conversations.DueReport {
	f.t.Helper()
	r, err := f.app.Schedules.RunDue(f.ctx)
	if err != nil {
		f.t.Fatalf("RunDue: %v", err)
	}
	return r
}

func (f *fixture) pending() []conversations.Post {
	f.t.Helper()
	posts, err := f.app.Outbox.Pending(f.ctx, 1000)
	if err != nil {
		f.t.Fatal(err)
	}
	return posts
}

// count runs a COUNT query on the database file through a separate connection.
func (f *fixture) count(query string, args ...any) int {
	f.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+f.path+"?mode=ro")
	if err != nil {
		f.t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		f.t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestScheduledCheckInOpensOnceWhenDue(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	s := f.weekly(c.ID, 1)
	if !s.NextRunAt.Equal(wednesdayEvening) {
		t.Fatalf("next run %s, want %s", s.NextRunAt, wednesdayEvening)
	}
	f.clock.Set(wednesdayEvening.Add(-time.Minute))
	if r := f.runDue(); r.Opened != 0 {
		t.Fatalf("opened %d a minute early", r.Opened)
	}
	f.clock.Set(wednesdayEvening)
	if r := f.runDue(); r.Opened != 1 {
		t.Fatalf("report %+v, want one opened", r)
	}
	if r := f.runDue(); r.Opened != 0 {
		t.Errorf("a second pass opened %d more", r.Opened)
	}
	ci, err := f.app.CheckIns.Current(f.ctx, f.byFirst(c.ID))
	if err != nil {
		t.Fatal(err)
	}
	if !ci.ClosesAt.Equal(wednesdayEvening.Add(48 * time.Hour)) {
		t.Errorf("closes at %s", ci.ClosesAt)
	}
	posts := f.pending()
	if len(posts) != 1 || posts[0].Kind != conversations.PostCheckIn || posts[0].CheckInID != ci.ID {
		t.Errorf("posts = %+v, want the check-in's post", posts)
	}
	s, _ = f.app.Schedules.Get(f.ctx, f.actor(c.ID, bob))
	if !s.NextRunAt.Equal(wednesdayEvening.AddDate(0, 0, 7)) {
		t.Errorf("next run after opening: %s", s.NextRunAt)
	}
}

func TestEverySecondWeekOpensEveryOtherWeek(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	f.weekly(c.ID, 2)
	opened := 0
	for week := 0; week < 6; week++ {
		f.clock.Set(wednesdayEvening.AddDate(0, 0, 7*week).Add(time.Minute))
		opened += f.runDue().Opened
	}
	if opened != 3 {
		t.Errorf("opened %d check-ins in 6 weeks, want 3", opened)
	}
	if n := f.count(`SELECT COUNT(*) FROM schedule_runs WHERE status = 'opened'`); n != 3 {
		t.Errorf("%d runs recorded", n)
	}
}

func TestPausedScheduleOpensNothingUntilTheDate(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	f.weekly(c.ID, 1)
	// Paused until Monday 24 March: the runs of 12 and 19 March do not happen.
	s, err := f.app.Schedules.Pause(f.ctx, f.actor(c.ID, bob), "2025-03-24")
	if err != nil {
		t.Fatal(err)
	}
	if !s.Paused(f.clock.Now()) || !s.NextRunAt.Equal(wednesdayEvening.AddDate(0, 0, 14)) {
		t.Fatalf("paused schedule: %+v", s)
	}
	for week := 0; week < 2; week++ {
		f.clock.Set(wednesdayEvening.AddDate(0, 0, 7*week).Add(time.Minute))
		if r := f.runDue(); r.Opened+r.Missed != 0 {
			t.Errorf("week %d of the pause: %+v", week, r)
		}
	}
	f.clock.Set(wednesdayEvening.AddDate(0, 0, 14))
	if r := f.runDue(); r.Opened != 1 {
		t.Errorf("after the pause: %+v", r)
	}
}

func TestResumeEndsAPause(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	f.weekly(c.ID, 1)
	if _, err := f.app.Schedules.Resume(f.ctx, f.actor(c.ID, alice)); conversations.ErrorCode(err) != conversations.ECONFLICT {
		t.Errorf("resume without a pause: %v", err)
	}
	if _, err := f.app.Schedules.Pause(f.ctx, f.actor(c.ID, alice), "2025-04-30"); err != nil {
		t.Fatal(err)
	}
	s, err := f.app.Schedules.Resume(f.ctx, f.actor(c.ID, bob))
	if err != nil {
		t.Fatal(err)
	}
	if s.Paused(f.clock.Now()) || !s.NextRunAt.Equal(wednesdayEvening) {
		t.Errorf("resumed schedule: %+v", s)
	}
}

func TestPauseRefusesBadDatesAndChangesNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	before := f.weekly(c.ID, 1)
	for _, until := range []string{"2025-03-10", "2025-03-01", "next week", "2025-02-30", "2027-01-01"} {
		if _, err := f.app.Schedules.Pause(f.ctx, f.actor(c.ID, alice), until); conversations.ErrorCode(err) != conversations.EINVALID {
			t.Errorf("pause until %q: %v, want EINVALID", until, err)
		}
	}
	after, _ := f.app.Schedules.Get(f.ctx, f.actor(c.ID, alice))
	if !after.NextRunAt.Equal(before.NextRunAt) || after.PausedUntil != "" {
		t.Errorf("a refused pause changed the schedule: %+v", after)
	}
	if _, err := f.app.Schedules.Pause(f.ctx, f.actor(c.ID, mallory), "2025-04-01"); conversations.ErrorCode(err) != conversations.EUNAUTHORIZED {
		t.Errorf("a stranger paused: %v", err)
	}
}

func TestMissedRunInsideGraceOpensLate(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	f.weekly(c.ID, 1)
	f.restart() // Mend was down over the scheduled time...
	f.clock.Set(wednesdayEvening.Add(5*time.Hour + 59*time.Minute))
	if r := f.runDue(); r.Opened != 1 || r.Missed != 0 {
		t.Errorf("inside the grace window: %+v", r)
	}
}

func TestMissedRunOutsideGraceIsRecordedNotPosted(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	f.weekly(c.ID, 1)
	f.clock.Set(wednesdayEvening.Add(6*time.Hour + time.Minute))
	if r := f.runDue(); r.Opened != 0 || r.Missed != 1 {
		t.Errorf("outside the grace window: %+v", r)
	}
	if posts := f.pending(); len(posts) != 0 {
		t.Errorf("a missed run queued %d posts", len(posts))
	}
	if n := f.count(`SELECT COUNT(*) FROM schedule_runs WHERE status = 'missed'`); n != 1 {
		t.Errorf("%d missed runs recorded", n)
	}
	s, _ := f.app.Schedules.Get(f.ctx, f.actor(c.ID, alice))
	if !s.NextRunAt.Equal(wednesdayEvening.AddDate(0, 0, 7)) {
		t.Errorf("next run %s", s.NextRunAt)
	}
}

func TestLongDowntimeOpensOnlyTheLatestRun(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	f.weekly(c.ID, 1)
	f.clock.Set(wednesdayEvening.AddDate(0, 0, 14).Add(time.Hour))
	if r := f.runDue(); r.Opened != 1 || r.Missed != 2 {
		t.Errorf("after three weeks away: %+v", r)
	}
}

func TestTwoSchedulerLoopsOpenEachCheckInOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const couples = 30
	for i := 0; i < couples; i++ {
		c, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(fmtID("a", i)).UserID, GuildID: guild}, partner(fmtID("a", i)).Name, partner(fmtID("b", i)), zone)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.Couples.Accept(f.ctx, f.inGuild(c.ID, fmtID("b", i)), c.ID, fmtID("channel", i)); err != nil {
			t.Fatal(err)
		}
		s, _ := conversations.NewWeeklySchedule(c.ID, conversations.WeeklyInput{Weekday: "Wednesday", Time: "20:00", TimeZone: zone}, f.clock.Now())
		if _, err := f.app.Schedules.Set(f.ctx, f.actor(c.ID, fmtID("a", i)), s); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.Set(wednesdayEvening)
	// A second process: its own database handle and service on the same file.
	other := mustOpenDB(t, f.path)
	defer mustCloseDB(t, other)
	services := []*conversations.Mend{f.app, conversations.New(other.Stores(), f.clock, f.templates, f.settings)}
	var wg sync.WaitGroup
	opened := make([]int, len(services))
	for i, app := range services {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := 0; round < 3; round++ {
				r, err := app.Schedules.RunDue(f.ctx)
				if err != nil {
					t.Errorf("loop %d: %v", i, err)
				}
				opened[i] += r.Opened
			}
		}()
	}
	wg.Wait()
	if opened[0]+opened[1] != couples {
		t.Errorf("the loops report %d + %d opened, want %d in all", opened[0], opened[1], couples)
	}
	if n := f.count(`SELECT COUNT(*) FROM checkins`); n != couples {
		t.Errorf("%d check-ins in the database, want %d", n, couples)
	}
	if n := f.count(`SELECT COUNT(*) FROM posts`); n != couples {
		t.Errorf("%d posts queued, want %d", n, couples)
	}
}

func fmtID(prefix string, i int) string {
	return prefix + "-" + string(rune('A'+i/26)) + string(rune('a'+i%26))
}

func TestScheduledRunIsSkippedWhileACheckInIsOpen(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	f.weekly(c.ID, 1)
	f.clock.Set(wednesdayEvening.Add(-time.Hour))
	manual := f.open(c.ID, "")
	f.clock.Set(wednesdayEvening)
	if r := f.runDue(); r.Skipped != 1 || r.Opened != 0 {
		t.Errorf("report %+v, want the run skipped", r)
	}
	ci, err := f.app.CheckIns.Current(f.ctx, f.byFirst(c.ID))
	if err != nil || ci.ID != manual.ID {
		t.Errorf("current check-in %d (%v), want the one opened by hand", ci.ID, err)
	}
}

func TestScheduledWindowEndsAtTheNextRun(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	s, err := conversations.NewCronSchedule(c.ID, "0 20 * * *", zone, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.Schedules.Set(f.ctx, f.actor(c.ID, alice), s); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(s.NextRunAt)
	f.runDue()
	ci, _ := f.app.CheckIns.Current(f.ctx, f.byFirst(c.ID))
	if !ci.ClosesAt.Equal(s.NextRunAt.Add(24 * time.Hour)) {
		t.Errorf("a daily check-in closes at %s, want the next run", ci.ClosesAt)
	}
	f.clock.Set(s.NextRunAt.Add(24 * time.Hour))
	if r := f.runDue(); r.Opened != 1 {
		t.Errorf("the next day's run: %+v", r)
	}
}

func TestRemindersGoToThePartnerWhoHasNotFinished(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	f.finish(ci.ID, alice, plainly)
	f.clock.Advance(23 * time.Hour)
	if r := f.runDue(); r.Reminded != 0 {
		t.Errorf("reminded early: %+v", r)
	}
	f.clock.Advance(time.Hour)
	if r := f.runDue(); r.Reminded != 1 {
		t.Errorf("report %+v, want one reminder", r)
	}
	if r := f.runDue(); r.Reminded != 0 {
		t.Errorf("reminded twice: %+v", r)
	}
	posts := f.pending()
	if len(posts) != 1 || posts[0].Kind != conversations.PostReminder || posts[0].UserID != bob {
		t.Errorf("posts = %+v, want one reminder for bob", posts)
	}
}

// closedHalfway is a check-in of c that alice finished and bob answered
// two questions of, closed by the scheduler when its time ran out.
func (f *fixture) closedHalfway(c conversations.Couple) conversations.CheckIn {
	f.t.Helper()
	ci := f.open(c.ID, "")
	f.finish(ci.ID, alice, plainly)
	f.answerN(ci.ID, bob, 2)
	f.clock.Advance(48 * time.Hour)
	if r := f.runDue(); r.Closed != 1 {
		f.t.Fatalf("report %+v, want the check-in closed", r)
	}
	return ci
}

func TestClosedCheckInRevealsNothingAndOffersToShare(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.closedHalfway(c)
	if got := f.storedCheckIn(ci.ID); got.Status != conversations.CheckInClosed {
		t.Errorf("status %s", got.Status)
	}
	if _, err := f.app.CheckIns.Reveal(f.ctx, f.as(ci.ID, alice), ci.ID); conversations.ErrorCode(err) != conversations.ECONFLICT {
		t.Errorf("reveal of a closed check-in: %v", err)
	}
	if _, err := f.app.CheckIns.ShareAnyway(f.ctx, f.as(ci.ID, bob), ci.ID); conversations.ErrorCode(err) != conversations.ECONFLICT {
		t.Errorf("bob, unfinished, shared: %v", err)
	}
	// Nothing is shown before alice asks, and only bob can say yes.
	if _, err := f.app.CheckIns.AllowShare(f.ctx, f.as(ci.ID, bob), ci.ID); conversations.ErrorCode(err) != conversations.EUNAUTHORIZED {
		t.Errorf("bob showed alice's answers before she asked: %v", err)
	}
	if _, err := f.app.CheckIns.ShareAnyway(f.ctx, f.as(ci.ID, alice), ci.ID); err != nil {
		t.Fatal(err)
	}
	for _, p := range f.pending() {
		if p.Kind == conversations.PostShare {
			t.Errorf("asking to share queued %+v; nothing is shown before bob says yes", p)
		}
	}
	if _, err := f.app.CheckIns.AllowShare(f.ctx, f.as(ci.ID, alice), ci.ID); conversations.ErrorCode(err) != conversations.EUNAUTHORIZED {
		t.Errorf("alice said yes to her own answers: %v", err)
	}
	shared, err := f.app.CheckIns.AllowShare(f.ctx, f.as(ci.ID, bob), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range shared.Rows {
		if row.Answers[1] != nil {
			t.Fatalf("sharing alice's answers showed bob's answer to %s", row.Item.Key())
		}
	}
	if shared.Rows[0].Answers[0] == nil {
		t.Error("alice's answers are missing from what she shared")
	}
	if _, err := f.app.CheckIns.ShareAnyway(f.ctx, f.as(ci.ID, alice), ci.ID); conversations.ErrorCode(err) != conversations.ECONFLICT {
		t.Errorf("asked twice: %v", err)
	}
	if _, err := f.app.CheckIns.AllowShare(f.ctx, f.as(ci.ID, bob), ci.ID); conversations.ErrorCode(err) != conversations.ECONFLICT {
		t.Errorf("shared twice: %v", err)
	}
}

func TestSharedAnswersLeaveOutReviewsOfTheOtherPartnersPromises(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	mine, err := f.app.Commitments.Add(f.ctx, f.actor(c.ID, alice), "Call the bank", "")
	if err != nil {
		t.Fatal(err)
	}
	his, err := f.app.Commitments.Add(f.ctx, f.actor(c.ID, bob), "Home by seven", "")
	if err != nil {
		t.Fatal(err)
	}
	ci := f.open(c.ID, "")
	f.finish(ci.ID, alice, plainly)
	f.clock.Advance(48 * time.Hour)
	f.runDue()
	if _, err := f.app.CheckIns.ShareAnyway(f.ctx, f.as(ci.ID, alice), ci.ID); err != nil {
		t.Fatal(err)
	}
	shared, err := f.app.CheckIns.AllowShare(f.ctx, f.as(ci.ID, bob), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	var reviewed []int64
	for _, row := range shared.Rows {
		if row.Item.Subject != nil && row.Item.Subject.Kind == conversations.SubjectCommitment {
			reviewed = append(reviewed, row.Item.Subject.ID)
		}
	}
	if len(reviewed) != 1 || reviewed[0] != mine.ID {
		t.Errorf("shared reviews of commitments %v, want only alice's own %d (not bob's %d)", reviewed, mine.ID, his.ID)
	}
}

func TestCommitmentIsRemindedWhenItFallsDueInTheCouplesZone(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	cm, err := f.app.Commitments.Add(f.ctx, f.actor(c.ID, alice), "Call the bank together", "2025-03-11")
	if err != nil {
		t.Fatal(err)
	}
	if r := f.runDue(); r.DueReminders != 0 {
		t.Fatalf("reminded a day early: %+v", r)
	}
	// 23:30 UTC on the 10th is already the 11th in Berlin.
	f.clock.Set(time.Date(2025, 3, 10, 23, 30, 0, 0, time.UTC))
	if r := f.runDue(); r.DueReminders != 1 {
		t.Errorf("report %+v, want one due reminder", r)
	}
	if r := f.runDue(); r.DueReminders != 0 {
		t.Errorf("reminded twice: %+v", r)
	}
	posts := f.pending()
	if len(posts) != 1 || posts[0].Kind != conversations.PostDue || posts[0].CommitmentID != cm.ID || posts[0].UserID != alice {
		t.Errorf("posts = %+v", posts)
	}
}

func TestFailedPostIsRetriedWithBackoffThenGivenUp(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	f.weekly(c.ID, 1)
	f.clock.Set(wednesdayEvening)
	f.runDue()
	post := f.pending()[0]
	if err := f.app.Outbox.Failed(f.ctx, post, "HTTP 500", conversations.FailPassing); err != nil {
		t.Fatal(err)
	}
	if got := f.pending(); len(got) != 0 {
		t.Errorf("a failed post is due again at once")
	}
	f.clock.Advance(2 * time.Second) // the first wait is at most 2 seconds
	got := f.pending()
	if len(got) != 1 || got[0].Attempts != 1 {
		t.Fatalf("after the backoff: %+v", got)
	}
	if err := f.app.Outbox.Failed(f.ctx, got[0], "HTTP 400 invalid form body", conversations.FailRefused); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)
	if got := f.pending(); len(got) != 0 {
		t.Errorf("a post given up on is still pending: %+v", got)
	}
}

func TestACheckInBothFinishedIsRevealedNotClosedWhenTheWindowEnds(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	// Both finished, but the process died before the reveal: the answers and
	// the finished status are stored, the reveal is not.
	for _, p := range ci.Participants {
		p.Status, p.FinishedAt = conversations.Done, f.clock.Now()
		if err := f.db.Answers.SaveParticipant(f.ctx, ci.ID, p); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.Advance(49 * time.Hour)
	r := f.runDue()
	if r.Closed != 0 {
		t.Errorf("a check-in both finished was closed: %+v", r)
	}
	if got := f.storedCheckIn(ci.ID); got.Status != conversations.CheckInRevealed {
		t.Errorf("status %s, want revealed", got.Status)
	}
	var reveal int
	for _, p := range f.pending() {
		if p.Kind == conversations.PostReveal && p.CheckInID == ci.ID {
			reveal++
		}
	}
	if reveal != 1 {
		t.Errorf("%d reveal posts queued, want 1", reveal)
	}
}

func TestAFinishedPartnerCannotBePausedAfterwards(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	f.finish(ci.ID, alice, plainly)
	// A "Take a break" that read alice's status before her last answer landed.
	stale, _ := ci.Participant(alice)
	stale.Status, stale.PausedAt = conversations.Paused, f.clock.Now()
	if err := f.db.Answers.SaveParticipant(f.ctx, ci.ID, stale); err != nil {
		t.Fatal(err)
	}
	if p, _ := f.storedCheckIn(ci.ID).Participant(alice); p.Status != conversations.Done {
		t.Errorf("alice is %s after a stale pause, want done", p.Status)
	}
	f.finish(ci.ID, bob, plainly)
	if got := f.storedCheckIn(ci.ID); got.Status != conversations.CheckInRevealed {
		t.Errorf("status %s after both finished, want revealed", got.Status)
	}
}

// panickingStore panics in the scheduler's first read, as a bug would.
type panickingStore struct {
	conversations.ScheduleStore
	panics atomic.Int32
}

func (p *panickingStore) DueSchedules(ctx context.Context, now time.Time, limit int) ([]conversations.DueSchedule, error) {
	p.panics.Add(1)
	var m map[string]int
	//lint:ignore SA5000 a runtime panic is what this test needs
	m["boom"]++
	return nil, nil
}

func TestAPanicInTheSchedulerIsReportedAndTheLoopGoesOn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	store := &panickingStore{ScheduleStore: f.db.Schedules}
	stores := f.db.Stores()
	stores.Schedules = store
	app := conversations.New(stores, f.clock, f.templates, f.settings)
	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	wake := make(chan struct{}, 1)
	panics := make(chan *conversations.PanicError, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		app.Schedules.RunScheduler(ctx, wake, func(conversations.DueReport) {}, func(err error) {
			var pe *conversations.PanicError
			if errors.As(err, &pe) {
				panics <- pe
			}
		})
	}()
	for round := 1; round <= 2; round++ {
		pe := <-panics
		if !strings.Contains(pe.Value, "nil map") || !strings.Contains(string(pe.Stack), "DueSchedules") {
			t.Errorf("round %d reported %q with stack:\n%s", round, pe.Value, pe.Stack)
		}
		if round == 1 {
			wake <- struct{}{} // the loop is still there to be woken
		}
	}
	cancel()
	<-done
	if n := store.panics.Load(); n < 2 {
		t.Errorf("%d rounds ran, want at least 2", n)
	}
}
