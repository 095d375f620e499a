package ops

import (
	"net/http"
	"testing"
	"time"
)

// The server is unauthenticated: a caller that sends slowly, reads slowly
// or sends huge headers is cut off.
func TestTheOpsServerBoundsEveryRequest(t *testing.T) {
	t.Parallel()
	srv := newServer(http.NewServeMux())
	for _, tt := range []struct {
		name      string
		got, want time.Duration
	}{
		{"ReadHeaderTimeout", srv.ReadHeaderTimeout, 5 * time.Second},
		{"ReadTimeout", srv.ReadTimeout, 10 * time.Second},
		{"WriteTimeout", srv.WriteTimeout, 30 * time.Second},
		{"IdleTimeout", srv.IdleTimeout, time.Minute},
	} {
		if tt.got != tt.want {
			t.Errorf("%s = %s, want %s", tt.name, tt.got, tt.want)
		}
	}
	if srv.MaxHeaderBytes != 8<<10 {
		t.Errorf("MaxHeaderBytes = %d, want 8192", srv.MaxHeaderBytes)
	}
}
