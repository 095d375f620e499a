package ops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// NewHandler serves /healthz and /metrics. It registers on m the gauges that
// are read from checks at every scrape (gateway, outbox, scheduler), so it is
// called once for a Metrics.
func NewHandler(m *Metrics, checks Checks, log *slog.Logger) (http.Handler, error) {
	if err := m.registry.Register(newStateCollector(checks)); err != nil {
		return nil, fmt.Errorf("register the state gauges: %w", err)
	}
	health := &healthCache{checks: checks, now: time.Now}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		report := health.get(r.Context())
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if !report.Healthy() {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		json.NewEncoder(w).Encode(report)
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{
		// One gauge that cannot be read (the database is busy) should not
		// cost the scrape of every other metric.
		ErrorHandling: promhttp.ContinueOnError,
		ErrorLog:      errorLog{log},
	}))
	return mux, nil
}

// Serve answers on ln until ctx ends, then gives the requests in flight a
// few seconds to finish.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := newServer(h)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve health and metrics on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	stop, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(stop)
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	if err != nil {
		return fmt.Errorf("stop serving health and metrics: %w", err)
	}
	return nil
}

// newServer bounds what a caller can hold: the server is unauthenticated, and
// without limits a few slow or oversized requests would keep connections and
// memory for as long as they like. A scrape or a health check is a small GET
// answered within checkTimeout or so.
func newServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       time.Minute,
		MaxHeaderBytes:    8 << 10,
	}
}

// errorLog passes promhttp's complaints (a gauge that could not be read) to
// Mend's log.
type errorLog struct{ log *slog.Logger }

func (l errorLog) Println(v ...any) { l.log.Warn("metrics", "err", fmt.Sprint(v...)) }

// stateCollector reads what is a state rather than a count when Prometheus
// scrapes, so the figures are as fresh as the scrape and nothing polls in
// between.
type stateCollector struct {
	checks                      Checks
	up, posts, oldest, schedLag *prometheus.Desc
}

func newStateCollector(c Checks) *stateCollector {
	return &stateCollector{
		checks: c,
		up:     prometheus.NewDesc("mend_gateway_up", "1 while the Discord gateway is connected and ready, else 0.", nil, nil),
		posts: prometheus.NewDesc("mend_outbox_posts", "Posts waiting to be sent: due now, or waiting for a retry or a lost channel.",
			[]string{"state"}, nil),
		oldest: prometheus.NewDesc("mend_outbox_oldest_due_seconds",
			"How long the pending post that has waited longest since it became due has waited; 0 when none is due.", nil, nil),
		schedLag: prometheus.NewDesc("mend_scheduler_lag_seconds",
			"Now minus the earliest due time the scheduler has not dealt with yet; 0 when it is caught up.", nil, nil),
	}
}

func (s *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- s.up
	ch <- s.posts
	ch <- s.oldest
	ch <- s.schedLag
}

func (s *stateCollector) Collect(ch chan<- prometheus.Metric) {
	// Collect has no context of its own; a scrape that waits longer than
	// this has given up anyway.
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	up := 0.0
	if s.checks.Gateway() {
		up = 1
	}
	ch <- prometheus.MustNewConstMetric(s.up, prometheus.GaugeValue, up)

	now := s.checks.Now()
	if b, err := s.checks.Outbox.OutboxBacklog(ctx, now); err != nil {
		ch <- prometheus.NewInvalidMetric(s.posts, err)
	} else {
		ch <- prometheus.MustNewConstMetric(s.posts, prometheus.GaugeValue, float64(b.Due), "due")
		ch <- prometheus.MustNewConstMetric(s.posts, prometheus.GaugeValue, float64(b.Waiting), "waiting")
		ch <- prometheus.MustNewConstMetric(s.oldest, prometheus.GaugeValue, b.Delay(now).Seconds())
	}
	if lag, err := s.checks.Scheduler.SchedulerLag(ctx); err != nil {
		ch <- prometheus.NewInvalidMetric(s.schedLag, err)
	} else {
		ch <- prometheus.MustNewConstMetric(s.schedLag, prometheus.GaugeValue, lag.Seconds())
	}
}
