package bot

import (
	"net/http"
	"time"

	"mend/conversations"
)

// Metrics counts what the bot does, for an operator's dashboard. It must be
// safe for concurrent use.
//
// Every label it is given is a fixed name: a route from the command or action
// table, an error code, one of the outcomes and events below. Never a user ID,
// a name or anything a partner wrote, so that a scrape can be shared as freely
// as the logs.
type Metrics interface {
	// Interaction records one interaction: its route, its result ("ok" or an
	// error code) and how long Mend took to handle it.
	Interaction(route, result string, took time.Duration)
	// PostOutcome records what became of one attempt to send a queued post.
	PostOutcome(outcome string)
	// RateLimited records a 429 from Discord, by the scope it named.
	RateLimited(scope string)
	// CheckIns records n check-ins that were opened, revealed or closed.
	CheckIns(event string, n int)
	// GatewayReconnected records a gateway connection after the first.
	GatewayReconnected()
}

// What became of an attempt to send a queued post.
const (
	OutcomeSent        = "sent"
	OutcomeNotNeeded   = "not_needed"   // what it announced is gone or past
	OutcomeHeld        = "held"         // the couple's channel is missing
	OutcomeRetry       = "retry"        // failed in a way that may pass
	OutcomeRefused     = "refused"      // failed in a way retrying cannot fix
	OutcomeChannelGone = "channel_gone" // Discord says the channel was deleted
	OutcomeDMRefused   = "dm_refused"   // a reminder's direct message, refused; sent to the channel
	OutcomeForbidden   = "forbidden"    // a 403 in the channel; retried at most 4 times an hour
	OutcomePanicked    = "panicked"
	OutcomeUnrecorded  = "unrecorded" // sent, but not marked sent
)

// What happened to check-ins.
const (
	CheckInsOpened   = "opened"
	CheckInsRevealed = "revealed" // the reveal was posted in the channel
	CheckInsClosed   = "closed"   // closed before both had finished
)

// noMetrics is the default: counting nothing costs nothing.
type noMetrics struct{}

func (noMetrics) Interaction(string, string, time.Duration) {}
func (noMetrics) PostOutcome(string)                        {}
func (noMetrics) RateLimited(string)                        {}
func (noMetrics) CheckIns(string, int)                      {}
func (noMetrics) GatewayReconnected()                       {}

// rateLimitCounter counts the 429s Discord answers. discordgo waits and
// retries them itself, so above the transport they cannot be seen; and
// Discord bans a bot that draws too many, so an operator wants to see them
// before it does.
type rateLimitCounter struct {
	next    http.RoundTripper
	metrics Metrics
}

func (t *rateLimitCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		t.metrics.RateLimited(rateLimitScope(resp.Header))
	}
	return resp, err
}

// rateLimitScope is the scope Discord names in a 429, kept to the values
// Discord documents so that the label stays a fixed name: "user" and
// "global" count toward a ban, "shared" (a resource other bots use too) does
// not.
func rateLimitScope(h http.Header) string {
	switch s := h.Get("X-RateLimit-Scope"); s {
	case "user", "global", "shared":
		return s
	}
	if h.Get("X-RateLimit-Global") == "true" {
		return "global"
	}
	return "unknown"
}

// sentOutcome tells a post Discord now has from one that was no longer needed
// and was marked sent without a message.
func sentOutcome(messageID string) string {
	if messageID == "" {
		return OutcomeNotNeeded
	}
	return OutcomeSent
}

func failureOutcome(how conversations.SendFailure) string {
	switch how {
	case conversations.FailRefused:
		return OutcomeRefused
	case conversations.FailChannelGone:
		return OutcomeChannelGone
	case conversations.FailForbidden:
		return OutcomeForbidden
	}
	return OutcomeRetry
}
