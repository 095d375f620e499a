package conversations_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"mend/conversations"
)

// revealCounter is the real check-in store, counting the reveals the
// service asks it for.
type revealCounter struct {
	conversations.CheckInStore
	asked atomic.Int32
}

func (r *revealCounter) RevealCheckIn(ctx context.Context, checkInID int64, at time.Time, made []conversations.Commitment, post conversations.Post) (bool, error) {
	r.asked.Add(1)
	return r.CheckInStore.RevealCheckIn(ctx, checkInID, at, made, post)
}

// TestTheServiceAsksForARevealOnlyWhenBothPartnersAreDone holds the service
// to its own rule, whatever the store checks again in its transaction (the
// store's check is what makes two partners finishing at once reveal once):
// a partner who finished alone, first or second in the couple, asks for no
// reveal.
func TestTheServiceAsksForARevealOnlyWhenBothPartnersAreDone(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	stores := f.db.Stores()
	counter := &revealCounter{CheckInStore: stores.CheckIns}
	stores.CheckIns = counter
	f.app = conversations.New(stores, f.clock, f.templates, f.settings)
	c := f.couple()

	for i, order := range [][2]string{{alice, bob}, {bob, alice}} {
		ci := f.open(c.ID, "")
		f.finish(ci.ID, order[0], plainly)
		if n := counter.asked.Load(); n != int32(i) {
			t.Errorf("with only %s done, the service asked the store for a reveal (%d reveals asked, want %d)", order[0], n, i)
		}
		if got := f.storedCheckIn(ci.ID); got.Status != conversations.CheckInOpen {
			t.Fatalf("with only %s done the check-in is %s", order[0], got.Status)
		}
		f.finish(ci.ID, order[1], plainly)
		if got := f.storedCheckIn(ci.ID); got.Status != conversations.CheckInRevealed {
			t.Fatalf("with both done the check-in is %s, want revealed", got.Status)
		}
		if n := counter.asked.Load(); n != int32(i+1) {
			t.Errorf("after both finished %d reveals were asked, want %d", n, i+1)
		}
	}
}
