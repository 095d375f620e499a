package ops

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"mend/config"
)

// Start serves /healthz and /metrics on metrics.listen, when it is set,
// with the checks of the running bot. The returned stop ends serving and
// waits until it has ended.
func Start(ctx context.Context, cfg *config.Config, m *Metrics, checks Checks, log *slog.Logger) (stop func(), err error) {
	if cfg.Metrics.Listen == "" {
		return func() {}, nil
	}
	checks.MaxPostDelay = cfg.MaxPostDelay()
	handler, err := NewHandler(m, checks, log)
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
	if !loopback(ln.Addr()) {
		log.Warn("/healthz and /metrics are served beyond this machine, to anyone who can reach "+ln.Addr().String()+
			"; unless a firewall or the container's published port limits that, set metrics.listen to 127.0.0.1:PORT",
			"addr", ln.Addr().String())
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := Serve(ctx, ln, handler); err != nil {
			log.Error("health and metrics", "err", err)
		}
	}()
	return func() { cancel(); <-done }, nil
}

// loopback reports whether addr is reachable from this machine alone.
func loopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}
