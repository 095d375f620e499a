package ops_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"mend/config"
	"mend/internal/testkit"
	"mend/ops"
)

// countingDB counts the writes /healthz makes.
type countingDB struct{ writes atomic.Int64 }

func (d *countingDB) CheckWritable(context.Context) error {
	d.writes.Add(1)
	return nil
}

// A request whose headers are larger than any health check or scrape needs
// is refused before it reaches a handler.
func TestTheOpsServerRefusesOversizedHeaders(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	db := &countingDB{}
	checks := healthy()
	checks.Database = db
	h, err := ops.NewHandler(ops.NewMetrics("v1"), checks, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ops.Serve(ctx, ln, h) }()
	t.Cleanup(func() { cancel(); <-done })

	req, err := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+"/healthz", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Padding", strings.Repeat("a", 64<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("64 KiB of headers: status %d, want 431", resp.StatusCode)
	}
	if db.writes.Load() != 0 {
		t.Errorf("the refused request ran the checks")
	}
}

func TestStartWarnsWhenServingBeyondLoopback(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		listen string
		warned bool
	}{
		{"127.0.0.1:0", false},
		{"0.0.0.0:0", true},
	} {
		t.Run(tt.listen, func(t *testing.T) {
			t.Parallel()
			logs := &testkit.LogBuffer{}
			cfg := &config.Config{}
			cfg.Metrics.Listen = tt.listen
			stop, err := ops.Start(context.Background(), cfg, ops.NewMetrics("v1"), healthy(), slog.New(slog.NewTextHandler(logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			stop()
			warned := strings.Contains(logs.String(), "level=WARN msg=\"/healthz and /metrics are served beyond this machine")
			if warned != tt.warned {
				t.Errorf("listening on %s warned %v, want %v:\n%s", tt.listen, warned, tt.warned, logs)
			}
			if tt.warned {
				testkit.MustContain(t, "log", logs.String(), "set metrics.listen to 127.0.0.1:PORT")
			}
		})
	}
}
