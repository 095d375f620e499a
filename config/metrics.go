package config

import (
	"net"
	"regexp"
	"strconv"
	"time"
)

func (cfg *Config) validateMetrics(src []byte, fail func(int, string, ...any)) {
	m := &cfg.Metrics
	if m.Listen != "" {
		_, port, err := net.SplitHostPort(m.Listen)
		if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
			fail(keyLine(src, "listen", m.Listen), "metrics.listen %q is not an address to listen on; write a host and a port, like \"127.0.0.1:9464\"", m.Listen)
		}
	}
	if m.MaxPostDelay != "" {
		d, err := time.ParseDuration(m.MaxPostDelay)
		if err != nil || d <= 0 {
			fail(findLine(src, 0, regexp.MustCompile(`^\s*max_post_delay\s*=`)), "metrics.max_post_delay %q must be a duration above zero, like \"15m\"", m.MaxPostDelay)
		} else {
			cfg.maxPostDelay = d
		}
	}
}
