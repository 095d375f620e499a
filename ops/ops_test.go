package ops_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"mend/conversations"
	"mend/ops"
	"mend/ops/opstest"
)

var now = time.Date(2025, 3, 10, 18, 0, 0, 0, time.UTC)

type fakeDB struct{ err error }

func (f fakeDB) CheckWritable(context.Context) error { return f.err }

type fakeOutbox struct {
	backlog conversations.OutboxBacklog
	err     error
}

func (f fakeOutbox) OutboxBacklog(context.Context, time.Time) (conversations.OutboxBacklog, error) {
	return f.backlog, f.err
}

type fakeScheduler struct{ lag time.Duration }

func (f fakeScheduler) SchedulerLag(context.Context) (time.Duration, error) { return f.lag, nil }

// healthy is a set of checks that all pass; each test spoils one.
func healthy() ops.Checks {
	return ops.Checks{
		Gateway:      func() bool { return true },
		Database:     fakeDB{},
		Outbox:       fakeOutbox{backlog: conversations.OutboxBacklog{Due: 2, Waiting: 1, OldestDue: now.Add(-time.Minute)}},
		Scheduler:    fakeScheduler{lag: 3 * time.Second},
		Now:          func() time.Time { return now },
		MaxPostDelay: 10 * time.Minute,
	}
}

func serve(t *testing.T, m *ops.Metrics, c ops.Checks) *httptest.Server {
	t.Helper()
	h, err := ops.NewHandler(m, c, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestHealthzIsOKWhenEveryCheckPasses(t *testing.T) {
	t.Parallel()
	srv := serve(t, ops.NewMetrics("v1"), healthy())
	code, r := opstest.Health(t, srv.URL+"/healthz")
	if code != http.StatusOK || r.Status != "ok" {
		t.Fatalf("status %d, report %+v; want 200 and ok", code, r)
	}
	for _, name := range []string{"gateway", "database", "outbox"} {
		if c, ok := opstest.Check(r, name); !ok || !c.OK || c.Detail == "" {
			t.Errorf("check %s = %+v (present %v), want passed with a detail", name, c, ok)
		}
	}
}

func TestHealthzFailsWhenOneCheckFails(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		check  string
		spoil  func(*ops.Checks)
		detail string
	}{
		{"gateway down", "gateway", func(c *ops.Checks) { c.Gateway = func() bool { return false } }, "not connected"},
		{"database read-only", "database", func(c *ops.Checks) { c.Database = fakeDB{errors.New("attempt to write a readonly database")} }, "readonly"},
		{"a post waited too long", "outbox", func(c *ops.Checks) {
			c.Outbox = fakeOutbox{backlog: conversations.OutboxBacklog{Due: 1, OldestDue: now.Add(-11 * time.Minute)}}
		}, "11m0s (limit 10m0s)"},
		{"outbox unreadable", "outbox", func(c *ops.Checks) { c.Outbox = fakeOutbox{err: errors.New("database is locked")} }, "locked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			checks := healthy()
			tt.spoil(&checks)
			srv := serve(t, ops.NewMetrics("v1"), checks)
			code, r := opstest.Health(t, srv.URL+"/healthz")
			if code != http.StatusServiceUnavailable || r.Status != "unhealthy" {
				t.Errorf("status %d, %q; want 503 and unhealthy", code, r.Status)
			}
			for _, c := range r.Checks {
				if c.OK == (c.Name == tt.check) {
					t.Errorf("check %+v; want only %s to fail", c, tt.check)
				}
			}
			if c, _ := opstest.Check(r, tt.check); !strings.Contains(c.Detail, tt.detail) {
				t.Errorf("detail %q does not say %q", c.Detail, tt.detail)
			}
		})
	}
}

func TestAPostWaitingForARetryDoesNotFailHealthz(t *testing.T) {
	t.Parallel()
	checks := healthy()
	checks.Outbox = fakeOutbox{backlog: conversations.OutboxBacklog{Waiting: 40}}
	srv := serve(t, ops.NewMetrics("v1"), checks)
	if code, r := opstest.Health(t, srv.URL+"/healthz"); code != http.StatusOK {
		t.Errorf("status %d with posts only waiting for a retry: %+v", code, r)
	}
}

func TestMetricsShowWhatTheBotCountedAndTheStateAtTheScrape(t *testing.T) {
	t.Parallel()
	m := ops.NewMetrics("v1.2.3")
	srv := serve(t, m, healthy())
	m.Interaction("checkin now", "ok", 4*time.Millisecond)
	m.Interaction("checkin now", "ok", 30*time.Millisecond)
	m.Interaction("ci.start", "unauthorized", time.Millisecond)
	m.PostOutcome("sent")
	m.RateLimited("user")
	m.CheckIns("opened", 2)
	m.CheckIns("closed", 0)
	m.GatewayReconnected()

	s := opstest.Metrics(t, srv.URL+"/metrics")
	for _, want := range []struct {
		name   string
		labels []string
		value  float64
	}{
		{"mend_interactions_total", []string{"route", "checkin now", "result", "ok"}, 2},
		{"mend_interactions_total", []string{"route", "ci.start", "result", "unauthorized"}, 1},
		{"mend_interaction_duration_seconds", []string{"route", "checkin now"}, 2},
		{"mend_outbox_sends_total", []string{"outcome", "sent"}, 1},
		{"mend_discord_rate_limited_total", []string{"scope", "user"}, 1},
		{"mend_checkins_total", []string{"event", "opened"}, 2},
		{"mend_checkins_total", []string{"event", "revealed"}, 0},
		{"mend_checkins_total", []string{"event", "closed"}, 0},
		{"mend_gateway_reconnects_total", nil, 1},
		{"mend_gateway_up", nil, 1},
		{"mend_outbox_posts", []string{"state", "due"}, 2},
		{"mend_outbox_posts", []string{"state", "waiting"}, 1},
		{"mend_outbox_oldest_due_seconds", nil, 60},
		{"mend_scheduler_lag_seconds", nil, 3},
		{"mend_build_info", []string{"version", "v1.2.3"}, 1},
	} {
		if got, ok := s.Value(want.name, want.labels...); !ok || got != want.value {
			t.Errorf("%s%v = %v (present %v), want %v", want.name, want.labels, got, ok, want.value)
		}
	}
	if _, ok := s.Value("go_goroutines"); !ok {
		t.Error("the Go runtime's metrics are missing")
	}
}

func TestMetricsAreServedWhenTheOutboxCannotBeRead(t *testing.T) {
	t.Parallel()
	checks := healthy()
	checks.Outbox = fakeOutbox{err: errors.New("database is locked")}
	m := ops.NewMetrics("v1")
	srv := serve(t, m, checks)
	m.PostOutcome("sent")
	s := opstest.Metrics(t, srv.URL+"/metrics")
	if _, ok := s.Value("mend_outbox_posts"); ok {
		t.Error("outbox depth shown although it could not be read")
	}
	if v, ok := s.Value("mend_outbox_sends_total", "outcome", "sent"); !ok || v != 1 {
		t.Errorf("the other metrics are missing: sends = %v, %v", v, ok)
	}
}

func TestServeStopsWhenItsContextEnds(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h, err := ops.NewHandler(ops.NewMetrics("v1"), healthy(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ops.Serve(ctx, ln, h) }()
	if code, _ := opstest.Health(t, "http://"+ln.Addr().String()+"/healthz"); code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve returned %v after its context ended", err)
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/healthz"); err == nil {
		t.Error("still answering after Serve returned")
	}
}
