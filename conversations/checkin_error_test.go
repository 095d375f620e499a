package conversations_test

import (
	"strings"
	"testing"
)

// The store names what it was doing; the service does not say it again, so
// an error reads "open check-in for couple 1: <why>", once.
func TestAnErrorOfTheStoreSaysWhatWasBeingDoneOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	f.open(c.ID, "")

	_, err := f.app.CheckIns.Open(f.ctx, f.byFirst(c.ID), "")

	if err == nil {
		t.Fatal("a second check-in opened while the first is open")
	}
	if n := strings.Count(err.Error(), "open check-in for couple"); n != 1 {
		t.Errorf("%q says what was being done %d times, want once", err, n)
	}
}
