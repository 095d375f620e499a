// Package ops serves what an operator of Mend watches: /healthz, which says
// whether this process is working, and /metrics, in Prometheus's format.
//
// Nothing here carries a user ID, a name or anything a partner wrote: every
// label is a fixed name (a route from the bot's tables, an error code, an
// outcome), so a scrape can be shared as freely as the logs.
package ops

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics holds Mend's counters in a registry of its own rather than
// Prometheus's global one, so that tests running side by side each count
// their own bot. It implements bot.Metrics.
type Metrics struct {
	registry     *prometheus.Registry
	interactions *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	sends        *prometheus.CounterVec
	rateLimited  *prometheus.CounterVec
	checkIns     *prometheus.CounterVec
	reconnects   prometheus.Counter
}

// NewMetrics registers Mend's metrics, the Go runtime's and the process's.
func NewMetrics(version string) *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		interactions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mend_interactions_total",
			Help: "Interactions handled, by route (a command or action name) and result (ok or an error code).",
		}, []string{"route", "result"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "mend_interaction_duration_seconds",
			Help: "How long Mend took to handle an interaction, by route.",
			// Around the 20 ms p99 target, and up to Discord's 3 s deadline.
			Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 3},
		}, []string{"route"}),
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mend_outbox_sends_total",
			Help: "Attempts to send a queued post, by outcome.",
		}, []string{"outcome"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mend_discord_rate_limited_total",
			Help: "Requests Discord answered with 429, by the scope it named; user and global ones count toward a ban.",
		}, []string{"scope"}),
		checkIns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "mend_checkins_total",
			Help: "Check-ins opened, revealed (the reveal posted) and closed (before both had finished).",
		}, []string{"event"}),
		reconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "mend_gateway_reconnects_total",
			Help: "Connections to the Discord gateway after the first.",
		}),
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "mend_build_info",
		Help:        "Always 1; the version of Mend running is its label.",
		ConstLabels: prometheus.Labels{"version": version},
	})
	build.Set(1)
	m.registry.MustRegister(m.interactions, m.latency, m.sends, m.rateLimited, m.checkIns, m.reconnects, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Shown at 0 from the start, so a dashboard's rate has a series to
	// begin from before the first check-in.
	for _, event := range []string{"opened", "revealed", "closed"} {
		m.checkIns.WithLabelValues(event)
	}
	return m
}

// Registry is where Mend's metrics are registered, for a collector of more.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// Interaction counts an interaction and observes how long it took.
func (m *Metrics) Interaction(route, result string, took time.Duration) {
	m.interactions.WithLabelValues(route, result).Inc()
	m.latency.WithLabelValues(route).Observe(took.Seconds())
}

// PostOutcome counts one attempt to send a queued post.
func (m *Metrics) PostOutcome(outcome string) { m.sends.WithLabelValues(outcome).Inc() }

// RateLimited counts a 429.
func (m *Metrics) RateLimited(scope string) { m.rateLimited.WithLabelValues(scope).Inc() }

// CheckIns counts n check-ins that were opened, revealed or closed.
func (m *Metrics) CheckIns(event string, n int) {
	if n > 0 {
		m.checkIns.WithLabelValues(event).Add(float64(n))
	}
}

// GatewayReconnected counts a reconnect to the gateway.
func (m *Metrics) GatewayReconnected() { m.reconnects.Inc() }
