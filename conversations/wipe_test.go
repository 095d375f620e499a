package conversations_test

import (
	"testing"
	"time"

	"mend/conversations"
)

// A forget whose words another program kept on disk is finished by the
// scheduler; it must come back for it soon, not in an hour.
func TestNextWakeIsSoonWhileAWipeIsPending(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// Reminders make the scheduler wake every minute anyway; without them
	// only the pending wipe can bring the wake forward.
	f.configure(conversations.Settings{Reminders: []time.Duration{}})
	idle, err := f.app.Schedules.NextWake(f.ctx, conversations.DueReport{})
	if err != nil {
		t.Fatal(err)
	}
	if !idle.Equal(start.Add(time.Hour)) {
		t.Fatalf("NextWake with nothing due = %v, want an hour from %v", idle, start)
	}

	wake, err := f.app.Schedules.NextWake(f.ctx, conversations.DueReport{WipePending: true})
	if err != nil {
		t.Fatal(err)
	}

	if wake.After(start.Add(time.Minute)) {
		t.Errorf("NextWake with a wipe pending = %v, want within a minute of %v", wake, start)
	}
}
