package bot

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

func restError(status, code int) error {
	return &discordgo.RESTError{Response: &http.Response{StatusCode: status}, Message: &discordgo.APIErrorMessage{Code: code}}
}

// Only Discord's refusals of a direct message close a partner's direct
// messages, and for a day.
func TestClosedDMsRememberOnlyDiscordsRefusalsForADay(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 10, 18, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name    string
		err     error
		refused bool
	}{
		{"cannot send messages to this user", restError(http.StatusForbidden, 50007), true},
		{"no mutual guild", restError(http.StatusForbidden, 50278), true},
		{"missing access", restError(http.StatusForbidden, 50001), false},
		{"a server error", restError(http.StatusInternalServerError, 0), false},
		{"a network error", errors.New("connection reset by peer"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var c closedDMs
			if got := c.refused("42", tt.err, now); got != tt.refused {
				t.Fatalf("refused = %v, want %v", got, tt.refused)
			}
			if got := c.closed("42", now.Add(23*time.Hour)); got != tt.refused {
				t.Errorf("closed 23 hours later = %v, want %v", got, tt.refused)
			}
			if c.closed("42", now.Add(24*time.Hour)) {
				t.Error("still closed a day later")
			}
			if c.closed("43", now) {
				t.Error("another partner's direct messages are closed too")
			}
		})
	}
}
