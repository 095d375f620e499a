package conversations_test

import (
	"testing"
	"time"
)

func TestSchedulerLagIsHowLongTheEarliestDueThingHasWaited(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	for _, p := range f.pending() {
		if err := f.app.Outbox.Sent(f.ctx, p, "m"); err != nil {
			t.Fatal(err)
		}
	}
	f.weekly(c.ID, 1)
	lag := func() time.Duration {
		t.Helper()
		d, err := f.app.Schedules.SchedulerLag(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	f.clock.Set(wednesdayEvening.Add(-time.Minute))
	if d := lag(); d != 0 {
		t.Errorf("lag before anything is due = %s, want 0", d)
	}
	f.clock.Set(wednesdayEvening.Add(5 * time.Minute))
	if d := lag(); d != 5*time.Minute {
		t.Errorf("lag five minutes after the scheduled time = %s, want 5m", d)
	}
	f.runDue()
	for _, p := range f.pending() {
		if err := f.app.Outbox.Sent(f.ctx, p, "m"); err != nil {
			t.Fatal(err)
		}
	}
	if d := lag(); d != 0 {
		t.Errorf("lag once the check-in opened and was posted = %s, want 0", d)
	}
}
