package conversations_test

import (
	"testing"
	"time"

	"mend/conversations"
)

// The numbers below are the README's, written out: a wait that doubles from
// 2 seconds up to 15 minutes, spread by jitter over [d/2, d).
func TestBackoffDoublesFromTwoSecondsUpToFifteenMinutes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		attempts int
		want     time.Duration
	}{
		{1, 2 * time.Second},
		{2, 4 * time.Second},
		{3, 8 * time.Second},
		{4, 16 * time.Second},
		{5, 32 * time.Second},
		{6, 64 * time.Second},
		{7, 128 * time.Second},
		{8, 256 * time.Second},
		{9, 512 * time.Second},
		{10, 15 * time.Minute},
		{11, 15 * time.Minute},
		{100, 15 * time.Minute},
	} {
		if got := conversations.Backoff(tc.attempts); got != tc.want {
			t.Errorf("Backoff(%d) = %v, want %v", tc.attempts, got, tc.want)
		}
	}
}

func TestJitterSpreadsAWaitOverItsLowerHalfToItself(t *testing.T) {
	t.Parallel()
	for _, d := range []time.Duration{2 * time.Second, 15 * time.Minute} {
		low, high := d, time.Duration(0)
		for range 2000 {
			got := conversations.Jitter(d)
			if got < d/2 || got >= d {
				t.Fatalf("Jitter(%v) = %v, outside [%v, %v)", d, got, d/2, d)
			}
			low, high = min(low, got), max(high, got)
		}
		// 2000 draws spread over [d/2, d) reach both tenths at its ends.
		if low >= d/2+d/20 || high < d-d/20 {
			t.Errorf("Jitter(%v) over 2000 draws stayed within [%v, %v]: not spread over [%v, %v)", d, low, high, d/2, d)
		}
	}
}

// retried fails a post at the fixture's clock, and says whether it is still
// to be sent afterwards.
func (f *fixture) retried(p conversations.Post, how conversations.SendFailure) bool {
	f.t.Helper()
	if err := f.app.Outbox.Failed(f.ctx, p, "HTTP 500", how); err != nil {
		f.t.Fatal(err)
	}
	// Far past any wait: a post still pending then was kept.
	f.clock.Advance(time.Hour)
	for _, q := range f.pending() {
		if q.ID == p.ID {
			return true
		}
	}
	return false
}

// TestRetriesLastSeventyTwoHoursForWhatIsOwedAndSixForTheRest: with the wait
// at its 15-minute cap, a failure 15 minutes before the window ends is tried
// again (the wait ends before it), one 7.5 minutes before it is not (the
// shortest wait, half of 15 minutes, ends after it); a refused request is
// given up at once.
func TestRetriesLastSeventyTwoHoursForWhatIsOwedAndSixForTheRest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		window time.Duration
		queue  func(f *fixture) conversations.Post
	}{
		{"a check-in's post (owed)", 72 * time.Hour, func(f *fixture) conversations.Post {
			f.weekly(f.couple().ID, 1)
			f.clock.Set(wednesdayEvening)
			f.runDue()
			return f.pending()[0]
		}},
		{"a due date's reminder", 6 * time.Hour, func(f *fixture) conversations.Post {
			c := f.couple()
			if _, err := f.app.Commitments.Add(f.ctx, f.actor(c.ID, alice), "Call the bank together", "2025-03-11"); err != nil {
				f.t.Fatal(err)
			}
			f.clock.Set(time.Date(2025, 3, 11, 8, 0, 0, 0, time.UTC))
			f.runDue()
			return f.pending()[0]
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			post := tc.queue(f)
			post.Attempts = 20 // the wait is at its cap of 15 minutes

			f.clock.Set(post.CreatedAt.Add(tc.window - 15*time.Minute))
			if !f.retried(post, conversations.FailPassing) {
				t.Errorf("a failure 15 minutes before the %v window ends was given up", tc.window)
			}
			f.clock.Set(post.CreatedAt.Add(tc.window - 7*time.Minute - 30*time.Second + time.Millisecond))
			if f.retried(post, conversations.FailPassing) {
				t.Errorf("a failure 7.5 minutes before the %v window ends is still retried", tc.window)
			}
		})
	}
}

func TestARefusedPostIsGivenUpAtOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.weekly(f.couple().ID, 1)
	f.clock.Set(wednesdayEvening)
	f.runDue()
	if f.retried(f.pending()[0], conversations.FailRefused) {
		t.Error("a refused post, at its first attempt, is retried")
	}
}
