package conversations

import (
	"math/rand/v2"
	"time"
)

// Delivery is what a queued post should show now, decided from the state of
// things when it is sent rather than when it was queued.
type Delivery struct {
	Post   Post
	Couple Couple
	// Now is when it was decided, for rendering times relative to it.
	Now time.Time
	// Needed is false when the post has lost its purpose (the partner it
	// reminds has finished, the commitment is done, the couple ended or was
	// forgotten): it is marked done without sending anything.
	Needed bool
	// Hold is set while the couple's channel is missing: the post waits for
	// the channel to be made again instead of failing.
	Hold bool
	// What the post refers to, as the kind needs it.
	CheckIn    CheckIn
	Reveal     Reveal
	Commitment Commitment
	// ComingUp, for an open check-in's own post, lists the commitments it
	// does not ask about because they fall due later.
	ComingUp []Commitment
}

// Owed reports whether the couple is owed this kind of post: it carries their
// answers or what they need to take part, so it is retried for at least
// OwedRetryWindow and never given up for a passing failure.
func (k PostKind) Owed() bool {
	switch k {
	case PostReveal, PostShare, PostCheckIn, PostWelcome, PostClosed:
		return true
	}
	return false
}

// Retry windows: how long after a post was queued Mend keeps trying to send
// it through failures that may pass (Discord down, a permission removed for a
// while). A reminder is worth little a day late; a reveal is worth a lot.
const (
	OwedRetryWindow  = 72 * time.Hour
	OtherRetryWindow = 6 * time.Hour
)

// SendFailure is how a post's send failed, as the adapter classifies it.
type SendFailure int

const (
	// FailPassing may pass with time: a network error, a 5xx, a 429, a
	// permission removed (403).
	FailPassing SendFailure = iota
	// FailRefused cannot succeed as it is (Discord refused the message, 400).
	FailRefused
	// FailChannelGone: the couple's channel no longer exists.
	FailChannelGone
)

// Jitter spreads d over [d/2, d), so that retries of posts that failed
// together do not arrive together.
func Jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2)
}
