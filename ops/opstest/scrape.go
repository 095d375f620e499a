// Package opstest reads what Mend's /metrics and /healthz answer, for tests.
package opstest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"mend/ops"
)

// Scrape is one scrape of /metrics: its text as served, and parsed.
type Scrape struct {
	Text     string
	families map[string]*dto.MetricFamily
}

// Metrics scrapes url (a /metrics URL) and fails tb if it cannot.
func Metrics(tb testing.TB, url string) Scrape {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatalf("scrape %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		tb.Fatalf("scrape %s: status %d, %v\n%s", url, resp.StatusCode, err, body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(string(body)))
	if err != nil {
		tb.Fatalf("scrape %s: not in Prometheus's text format: %v\n%s", url, err, body)
	}
	return Scrape{Text: string(body), families: families}
}

// Value is the value of the series of name whose labels include labels
// (given as name, value, name, value...), and whether there is one. For a
// histogram it is the number of observations.
func (s Scrape) Value(name string, labels ...string) (float64, bool) {
	f, ok := s.families[name]
	if !ok {
		return 0, false
	}
	for _, m := range f.GetMetric() {
		if hasLabels(m, labels) {
			return value(m), true
		}
	}
	return 0, false
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Histogram != nil:
		return float64(m.Histogram.GetSampleCount())
	case m.Untyped != nil:
		return m.Untyped.GetValue()
	}
	return 0
}

// Sum adds up the series of name whose labels include labels, as Value
// reads each.
func (s Scrape) Sum(name string, labels ...string) float64 {
	total := 0.0
	for _, m := range s.families[name].GetMetric() {
		if hasLabels(m, labels) {
			total += value(m)
		}
	}
	return total
}

// LabelValues lists every value the label takes in the series of name.
func (s Scrape) LabelValues(name, label string) []string {
	var out []string
	for _, m := range s.families[name].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == label {
				out = append(out, l.GetValue())
			}
		}
	}
	return out
}

func hasLabels(m *dto.Metric, want []string) bool {
	for i := 0; i+1 < len(want); i += 2 {
		found := false
		for _, l := range m.GetLabel() {
			if l.GetName() == want[i] && l.GetValue() == want[i+1] {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// Health asks url (a /healthz URL) and returns the status code and report.
func Health(tb testing.TB, url string) (int, ops.Report) {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	var r ops.Report
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		tb.Fatalf("GET %s: the body is not a health report: %v", url, err)
	}
	return resp.StatusCode, r
}

// Check returns the check of that name in r.
func Check(r ops.Report, name string) (ops.Check, bool) {
	for _, c := range r.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return ops.Check{}, false
}
