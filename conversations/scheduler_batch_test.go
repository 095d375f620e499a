package conversations_test

import (
	"testing"
	"time"

	"mend/conversations"
)

// Check-ins due at the same time are opened together; one couple whose
// check-in is still open has its run skipped, and the others open as usual.
func TestACheckInStillOpenSkipsOnlyItsCouplesRunAmongManyDue(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var couples []int64
	for i := 0; i < 5; i++ {
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
		couples = append(couples, c.ID)
	}
	f.clock.Set(wednesdayEvening.Add(-time.Hour))
	_, err := f.app.CheckIns.Open(f.ctx, f.actor(couples[2], fmtID("a", 2)), "")
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Set(wednesdayEvening)
	if r := f.runDue(); r.Opened != 4 || r.Skipped != 1 {
		t.Errorf("report %+v, want 4 opened and 1 skipped", r)
	}
	if n := f.count(`SELECT COUNT(*) FROM checkins WHERE status = 'open'`); n != 5 {
		t.Errorf("%d check-ins open, want 5 (4 scheduled, 1 opened by hand)", n)
	}
	if n := f.count(`SELECT COUNT(*) FROM checkins WHERE couple_id = ?`, couples[2]); n != 1 {
		t.Errorf("couple %d has %d check-ins, want only the one opened by hand", couples[2], n)
	}
	if n := f.count(`SELECT COUNT(*) FROM schedule_runs WHERE status = 'skipped' AND couple_id = ?`, couples[2]); n != 1 {
		t.Errorf("couple %d: %d skipped runs recorded, want 1", couples[2], n)
	}
	if n := f.count(`SELECT COUNT(*) FROM schedules WHERE next_run_at = ?`, wednesdayEvening.AddDate(0, 0, 7).Format("2006-01-02T15:04:05.000Z")); n != 5 {
		t.Errorf("%d schedules moved on to next week, want 5", n)
	}
	if f.runDue().Opened != 0 {
		t.Error("a second pass opened more")
	}
}
