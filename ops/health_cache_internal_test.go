package ops

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"mend/conversations"
	"mend/conversations/clocktest"
)

// failingDB counts the writes the checks make, and fails them once told to.
type failingDB struct {
	writes atomic.Int64
	fail   atomic.Bool
}

func (d *failingDB) CheckWritable(context.Context) error {
	d.writes.Add(1)
	if d.fail.Load() {
		return errors.New("disk I/O error")
	}
	return nil
}

type emptyOutbox struct{}

func (emptyOutbox) OutboxBacklog(context.Context, time.Time) (conversations.OutboxBacklog, error) {
	return conversations.OutboxBacklog{}, nil
}

// Many callers at once cost one synced write, and the report is refreshed
// once it is five seconds old: a failure shows by then.
func TestHealthzRunsTheChecksAtMostOnceEveryFiveSeconds(t *testing.T) {
	t.Parallel()
	db := &failingDB{}
	clock := clocktest.New(time.Date(2025, 3, 10, 18, 0, 0, 0, time.UTC))
	h := &healthCache{now: clock.Now, checks: Checks{
		Gateway: func() bool { return true }, Database: db, Outbox: emptyOutbox{}, Now: clock.Now,
	}}

	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			if r := h.get(context.Background()); !r.Healthy() {
				t.Errorf("report %+v, want healthy", r)
			}
		})
	}
	wg.Wait()
	if got := db.writes.Load(); got != 1 {
		t.Fatalf("16 callers at once made %d writes, want 1", got)
	}
	db.fail.Store(true)
	clock.Advance(4 * time.Second)
	if r := h.get(context.Background()); !r.Healthy() || db.writes.Load() != 1 {
		t.Errorf("4 s later: healthy %v after %d writes, want the first report: healthy after 1", r.Healthy(), db.writes.Load())
	}
	clock.Advance(time.Second)
	r := h.get(context.Background())
	if r.Healthy() || db.writes.Load() != 2 {
		t.Errorf("5 s later: healthy %v after %d writes, want the checks run again: unhealthy after 2", r.Healthy(), db.writes.Load())
	}
	if !strings.Contains(r.Checks[1].Detail, "disk I/O error") {
		t.Errorf("the database check says %q", r.Checks[1].Detail)
	}
}

// A caller who hangs up while the checks run does not turn the shared
// report into a failure.
func TestHealthzReportOutlivesTheCallerWhoAskedForIt(t *testing.T) {
	t.Parallel()
	clock := clocktest.New(time.Date(2025, 3, 10, 18, 0, 0, 0, time.UTC))
	h := &healthCache{now: clock.Now, checks: Checks{
		Gateway: func() bool { return true }, Database: ctxDB{}, Outbox: emptyOutbox{}, Now: clock.Now,
	}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r := h.get(ctx); !r.Healthy() {
		t.Errorf("report %+v after the caller hung up, want healthy", r)
	}
}

// ctxDB fails when its context has ended, as a real write would.
type ctxDB struct{}

func (ctxDB) CheckWritable(ctx context.Context) error { return ctx.Err() }
