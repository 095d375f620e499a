package conversations

import (
	"testing"
	"time"
)

func TestPlainDurationSaysItInWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d    time.Duration
		want string
	}{
		{48 * time.Hour, "48 hours"},
		{24 * time.Hour, "24 hours"},
		{time.Hour, "1 hour"},
		{36*time.Hour + 30*time.Minute, "36 hours and 30 minutes"},
		{72 * time.Hour, "3 days"},
		{336 * time.Hour, "14 days"},
		{7 * 24 * time.Hour, "7 days"},
		{90 * time.Minute, "1 hour and 30 minutes"},
		{20 * time.Minute, "20 minutes"},
		{30 * time.Second, "30 seconds"},
	}
	for _, tt := range tests {
		if got := PlainDuration(tt.d); got != tt.want {
			t.Errorf("PlainDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
