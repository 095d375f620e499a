package conversations

import (
	"context"
	"fmt"
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
	// reminds has finished, the commitment is done, the couple ended): it is
	// marked done without sending anything.
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

// Deliver decides what a queued post shows, or that it is no longer needed.
// An ENOTFOUND error means what it refers to is gone (a forgotten couple).
func (s *Service) Deliver(ctx context.Context, p Post) (Delivery, error) {
	d := Delivery{Post: p, Now: s.clock.Now()}
	var err error
	switch p.Kind {
	case PostCheckIn, PostReminder, PostClosed:
		d.CheckIn, d.Couple, err = s.checkInOfSystem(ctx, p.CheckInID)
	case PostReveal:
		d.Reveal, err = s.revealOfSystem(ctx, p.CheckInID)
		d.Couple = d.Reveal.Couple
	case PostShare:
		d.Reveal, err = s.SharedAnswers(ctx, p.CheckInID, p.UserID)
		d.Couple = d.Reveal.Couple
	case PostWelcome:
		d.Couple, err = s.loadCouple(ctx, p.CoupleID)
	case PostDue:
		d.Commitment, d.Couple, err = s.commitmentOfSystem(ctx, p.CommitmentID)
	default:
		return d, Errorf(ENOTFOUND, "unknown post kind %q", p.Kind)
	}
	if err != nil {
		return d, err
	}
	if p.Kind == PostCheckIn && d.CheckIn.StatusAt(d.Now) == CheckInOpen {
		if d.ComingUp, err = s.comingUp(ctx, d.CheckIn, d.Couple); err != nil {
			return d, err
		}
	}
	d.Needed = d.Couple.Status == CoupleActive && s.stillNeeded(d)
	d.Hold = d.Needed && d.Couple.ChannelMissing()
	return d, nil
}

// stillNeeded says whether a post of an active couple still has a purpose.
func (s *Service) stillNeeded(d Delivery) bool {
	switch d.Post.Kind {
	case PostReminder:
		part, _ := d.CheckIn.Participant(d.Post.UserID)
		return d.CheckIn.StatusAt(s.clock.Now()) == CheckInOpen && part.Status != Done
	case PostDue:
		return d.Commitment.Status == CommitmentOpen
	}
	return true
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

// PostFailed records a failed attempt and when to try again, with jitter so
// that many posts failing together do not retry together. A passing failure
// is retried until the post's retry window ends; a refused one is given up at
// once. A post whose channel is gone waits for the channel to be made again
// (see ChannelLost and ChannelRemade), which sends it at once.
func (s *Service) PostFailed(ctx context.Context, p Post, reason string, how SendFailure) error {
	now := s.clock.Now()
	attempts := p.Attempts + 1
	window := OtherRetryWindow
	if p.Kind.Owed() {
		window = OwedRetryWindow
	}
	next := now.Add(Jitter(Backoff(attempts)))
	giveUp := how == FailRefused || (how == FailPassing && next.Sub(p.CreatedAt) > window)
	if how == FailChannelGone {
		// Checked again now and then, in case the channel comes back (an
		// outage, not a deletion); ChannelRemade sends it at once.
		next = now.Add(Jitter(time.Hour))
	}
	if err := s.store.MarkPostFailed(ctx, p.ID, attempts, next, giveUp, reason); err != nil {
		return fmt.Errorf("mark post %d failed: %w", p.ID, err)
	}
	return nil
}

// PostHeld puts off a post whose channel is missing, without counting an
// attempt against it.
func (s *Service) PostHeld(ctx context.Context, p Post) error {
	next := s.clock.Now().Add(Jitter(time.Hour))
	if err := s.store.MarkPostFailed(ctx, p.ID, p.Attempts, next, false, "waiting for the couple's channel"); err != nil {
		return fmt.Errorf("hold post %d: %w", p.ID, err)
	}
	return nil
}

// Jitter spreads d over [d/2, d), so that retries of posts that failed
// together do not arrive together.
func Jitter(d time.Duration) time.Duration {
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2)
}

// StatusPost is what a check-in's own channel message should show now, for
// keeping it current; like Deliver, Needed is false once the couple ended.
func (s *Service) StatusPost(ctx context.Context, checkInID int64) (Delivery, error) {
	return s.Deliver(ctx, Post{Kind: PostCheckIn, CheckInID: checkInID})
}
