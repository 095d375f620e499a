package bot

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// countingTransport answers every request with 204 and counts them.
type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	c.n.Add(1)
	return &http.Response{StatusCode: http.StatusNoContent, Body: http.NoBody, Header: http.Header{}}, nil
}

// exhaustedTransport is a limited transport whose one turn is taken: the
// next limited request would wait an hour.
func exhaustedTransport(t *testing.T) (*limitedTransport, *countingTransport) {
	t.Helper()
	next := &countingTransport{}
	tr := newLimitedTransport(1.0/3600, next).(*limitedTransport)
	if _, err := roundTrip(t, tr, http.MethodPost, discordgo.EndpointChannelMessages("1")); err != nil {
		t.Fatalf("the first request, with the limiter full: %v", err)
	}
	return tr, next
}

// roundTrip sends one request that may wait a minute at most.
func roundTrip(t *testing.T, tr http.RoundTripper, method, url string) (*http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	return tr.RoundTrip(req)
}

// The paths discordgo uses to answer an interaction: the callback, and the
// webhook calls that edit the response and send or edit a follow-up.
var interactionReplies = map[string]string{
	"callback":          discordgo.EndpointInteractionResponse("111", "itoken"),
	"edit the response": discordgo.EndpointInteractionResponseActions("222", "itoken"),
	"follow up":         discordgo.EndpointFollowupMessage("222", "itoken"),
	"edit a follow-up":  discordgo.EndpointFollowupMessageActions("222", "itoken", "333"),
}

func TestInteractionRepliesNeverWaitOnTheLimiter(t *testing.T) {
	t.Parallel()
	tr, next := exhaustedTransport(t)
	for name, url := range interactionReplies {
		method := http.MethodPatch
		if name == "callback" || name == "follow up" {
			method = http.MethodPost
		}
		if _, err := roundTrip(t, tr, method, url); err != nil {
			t.Errorf("%s (%s) waited on the limiter: %v", name, url, err)
		}
	}
	got := tr.accounting()
	if got.Exempt != 4 || got.Limited != 1 || next.n.Load() != 5 {
		t.Errorf("accounting %+v and %d requests sent, want 4 exempt, 1 limited (the first) and 5 sent", got, next.n.Load())
	}
}

func TestEveryOtherRequestWaitsItsTurnOnTheLimiter(t *testing.T) {
	t.Parallel()
	for name, url := range map[string]string{
		"post in a channel":      discordgo.EndpointChannelMessages("10"),
		"edit a channel message": discordgo.EndpointChannelMessage("10", "20"),
		"open a direct message":  discordgo.EndpointUserChannels("@me"),
		"make a channel":         discordgo.EndpointGuildChannels("30"),
		"delete a channel":       discordgo.EndpointChannel("10"),
		"set a permission":       discordgo.EndpointChannelPermission("10", "40"),
		"register commands":      discordgo.EndpointApplicationGlobalCommands("50"),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tr, next := exhaustedTransport(t)
			if _, err := roundTrip(t, tr, http.MethodPost, url); err == nil {
				t.Errorf("%s (%s) did not wait its turn", name, url)
			}
			if got := tr.accounting(); got.Exempt != 0 || next.n.Load() != 1 {
				t.Errorf("accounting %+v and %d requests sent, want none exempt and only the first sent", got, next.n.Load())
			}
		})
	}
}

func TestTurnsAreGivenAtTheRateApart(t *testing.T) {
	t.Parallel()
	next := &countingTransport{}
	tr := newLimitedTransport(1000, next).(*limitedTransport)
	for range 20 {
		if _, err := roundTrip(t, tr, http.MethodPost, discordgo.EndpointChannelMessages("1")); err != nil {
			t.Fatal(err)
		}
	}
	if got := tr.accounting(); got.Limited != 20 || got.Exempt != 0 || got.MinGap < time.Millisecond-time.Microsecond {
		t.Errorf("accounting %+v, want 20 limited, a millisecond apart at least", got)
	}
}
