package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"mend/bot"
	"mend/bot/ops"
	"mend/conversations"
	"mend/storage"
)

// serveOps serves /healthz and /metrics on metrics.listen, when it is set.
// The returned stop ends serving and waits until it has ended.
func serveOps(ctx context.Context, cfg *Config, m *ops.Metrics, b *bot.Bot, db *storage.DB, app *conversations.Mend, log *slog.Logger) (stop func(), err error) {
	if cfg.Metrics.Listen == "" {
		return func() {}, nil
	}
	handler, err := ops.NewHandler(m, ops.Checks{
		Gateway: b.GatewayReady, Database: db, Outbox: db, Scheduler: app.Schedules,
		Now: app.Now, MaxPostDelay: cfg.maxPostDelay,
	}, log)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.Metrics.Listen)
	if err != nil {
		return nil, fmt.Errorf("listen on metrics.listen %s: %w", cfg.Metrics.Listen, err)
	}
	// The address actually bound, which differs from the configured one for
	// port 0.
	log.Info("serving /healthz and /metrics", "addr", ln.Addr().String())
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := ops.Serve(ctx, ln, handler); err != nil {
			log.Error("health and metrics", "err", err)
		}
	}()
	return func() { cancel(); <-done }, nil
}

// healthcheckTimeout is below Docker's default health check timeout (30 s),
// so a stuck Mend is reported by this command rather than by Docker killing it.
const healthcheckTimeout = 10 * time.Second

func runHealthcheck(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs, configPath := newFlagSet("healthcheck", "healthcheck [--config FILE] [--url URL]", stderr)
	url := fs.String("url", "", "the `URL` of Mend's /healthz (default: from metrics.listen in the config)")
	if code, done := parseFlags(fs, args, stdout); done {
		// Docker reserves exit status 2 of a health check; 1 is "unhealthy".
		return min(code, 1)
	}
	target := *url
	if target == "" {
		cfg, err := LoadConfig(*configPath)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		if cfg.Metrics.Listen == "" {
			fmt.Fprintln(stderr, "mend healthcheck: metrics.listen is not set in the config, so Mend serves no /healthz. Set it (config.example.toml shows how) or pass --url.")
			return 1
		}
		target = healthURL(cfg.Metrics.Listen)
	}
	ctx, cancel := context.WithTimeout(ctx, healthcheckTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		fmt.Fprintf(stderr, "mend healthcheck: %v\n", err)
		return 1
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "mend healthcheck: %v\n", err)
		return 1
	}
	defer resp.Body.Close()
	// The report, for `docker inspect` and for whoever runs this by hand.
	io.Copy(stdout, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "mend healthcheck: %s answered %s\n", target, resp.Status)
		return 1
	}
	return 0
}

// healthURL is where a Mend listening on listen answers. An address that
// listens everywhere is asked on loopback: the check runs beside Mend.
func healthURL(listen string) string {
	host, port, _ := net.SplitHostPort(listen) // checked when the config was loaded
	switch host {
	case "", "0.0.0.0", "::":
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz"
}
