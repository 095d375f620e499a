package ops

import (
	"context"
	"sync"
	"time"
)

// healthEvery is how long /healthz serves the same report. /healthz needs no
// credentials, and each check commits a synced write: run per request, a few
// callers in a loop would take the disk from partners' answers. Docker and
// monitors ask every several seconds, so a report this old is still news.
const healthEvery = 5 * time.Second

// healthCache runs the checks at most once every healthEvery, whoever asks
// and however many ask at once: a caller that finds the report stale runs
// them, and those arriving meanwhile wait for that run.
type healthCache struct {
	checks Checks
	// now is the real clock, not the one Mend's rules run on: the age of a
	// report is about the load on the disk. Tests replace it.
	now    func() time.Time
	mu     sync.Mutex
	report Report
	at     time.Time
	have   bool
}

func (h *healthCache) get(ctx context.Context) Report {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	if h.have && !now.Before(h.at) && now.Sub(h.at) < healthEvery {
		return h.report
	}
	// The report is shared: one caller hanging up must not make it a
	// failure. Each check has its own timeout.
	h.report = h.checks.Health(context.WithoutCancel(ctx))
	h.at, h.have = now, true
	return h.report
}
