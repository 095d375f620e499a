package conversations

import (
	"context"
	"fmt"
	"time"
)

// Outbox is every post Mend owes a couple's channel: which are due, what
// each shows when it is sent, and what became of it.
type Outbox struct{ *core }

// Deliver decides what a queued post shows, or that it is no longer needed:
// also when what it refers to is gone (a forgotten couple) or its kind is
// one this Mend does not know, since there is nothing to show then.
func (s *Outbox) Deliver(ctx context.Context, p Post) (Delivery, error) {
	d := Delivery{Post: p, Now: s.clock.Now()}
	var err error
	switch p.Kind {
	case PostCheckIn, PostReminder, PostClosed:
		d.CheckIn, d.Couple, err = s.checkInOfSystem(ctx, p.CheckInID)
	case PostReveal:
		d.Reveal, err = s.revealOfSystem(ctx, p.CheckInID)
		d.Couple = d.Reveal.Couple
	case PostShare:
		d.Reveal, err = s.sharedAnswers(ctx, p.CheckInID, p.UserID)
		d.Couple = d.Reveal.Couple
	case PostWelcome, PostLeft, PostInvitationClosed:
		d.Couple, err = s.loadCouple(ctx, p.CoupleID)
	case PostDue:
		d.Commitment, d.Couple, err = s.commitmentOfSystem(ctx, p.CommitmentID)
	case PostTalk, PostTalkComeBack:
		d.Talk, err = s.talkOfSystem(ctx, p.TalkID)
		d.Couple = d.Talk.Couple
	case PostTalkEnded:
		d.Couple, err = s.loadCouple(ctx, p.CoupleID)
	default:
		return d, nil
	}
	if ErrorCode(err) == ENOTFOUND {
		return Delivery{Post: p, Now: d.Now}, nil
	}
	if err != nil {
		return d, err
	}
	if p.Kind == PostCheckIn && d.CheckIn.StatusAt(d.Now) == CheckInOpen {
		if d.ComingUp, err = s.comingUp(ctx, d.CheckIn, d.Couple); err != nil {
			return d, err
		}
	}
	d.Needed = s.stillNeeded(d)
	d.Hold = d.Needed && d.Couple.ChannelMissing()
	return d, nil
}

// stillNeeded says whether a post still has a purpose. Only the notice that
// a partner left is for a couple that ended, and only while its channel is
// there to read it in.
func (s *Outbox) stillNeeded(d Delivery) bool {
	if d.Post.Kind == PostInvitationClosed {
		// Nobody answered in time: the invitation still offers its buttons.
		return d.Couple.Status == CouplePending && d.Couple.InvitationMessageID != ""
	}
	if d.Post.Kind == PostTalkEnded && d.Post.MessageID == "" {
		return false // there is no message to edit
	}
	if (d.Post.Kind == PostTalk || d.Post.Kind == PostTalkComeBack) && !d.Talk.Talk.Open() {
		return false // it ended before its message went out
	}
	if d.Post.Kind == PostLeft {
		return d.Couple.Status == CoupleEnded && !d.Couple.ChannelMissing()
	}
	if d.Couple.Status != CoupleActive {
		return false
	}
	switch d.Post.Kind {
	case PostReminder:
		part, _ := d.CheckIn.Participant(d.Post.UserID)
		return d.CheckIn.StatusAt(s.clock.Now()) == CheckInOpen && part.Status != Done
	case PostDue:
		return d.Commitment.Status == CommitmentOpen
	}
	return true
}

// Failed records a failed attempt and when to try again, with jitter so
// that many posts failing together do not retry together. A passing failure
// is retried until the post's retry window ends; a refused one is given up at
// once. A post whose channel is gone waits for the channel to be made again
// (see ChannelLost and ChannelRemade), which sends it at once.
func (s *Outbox) Failed(ctx context.Context, p Post, reason string, how SendFailure) error {
	now := s.clock.Now()
	attempts := p.Attempts + 1
	window := OtherRetryWindow
	if p.Kind.Owed() {
		window = OwedRetryWindow
	}
	next := now.Add(Jitter(Backoff(attempts)))
	if how == FailForbidden {
		if least := now.Add(ForbiddenRetry + Jitter(10*time.Minute)); next.Before(least) {
			next = least
		}
	}
	passing := how == FailPassing || how == FailForbidden
	giveUp := how == FailRefused || (passing && next.Sub(p.CreatedAt) > window)
	if how == FailChannelGone {
		// Checked again now and then, in case the channel comes back (an
		// outage, not a deletion); ChannelRemade sends it at once.
		next = now.Add(Jitter(time.Hour))
	}
	if err := s.stores.Outbox.MarkPostFailed(ctx, p.ID, attempts, next, giveUp, reason); err != nil {
		return fmt.Errorf("mark post %d failed: %w", p.ID, err)
	}
	return nil
}

// Held puts off a post whose channel is missing, without counting an
// attempt against it.
func (s *Outbox) Held(ctx context.Context, p Post) error {
	next := s.clock.Now().Add(Jitter(time.Hour))
	if err := s.stores.Outbox.MarkPostFailed(ctx, p.ID, p.Attempts, next, false, "waiting for the couple's channel"); err != nil {
		return fmt.Errorf("hold post %d: %w", p.ID, err)
	}
	return nil
}

// StatusPost is what a check-in's own channel message should show now, for
// keeping it current; like Deliver, Needed is false once the couple ended.
func (s *Outbox) StatusPost(ctx context.Context, checkInID int64) (Delivery, error) {
	return s.Deliver(ctx, Post{Kind: PostCheckIn, CheckInID: checkInID})
}

// Pending returns posts due to be sent now.
func (s *Outbox) Pending(ctx context.Context, limit int) ([]Post, error) {
	posts, err := s.stores.Outbox.PendingPosts(ctx, s.clock.Now(), limit)
	if err != nil {
		return nil, fmt.Errorf("list pending posts: %w", err)
	}
	return posts, nil
}

// Sent records that Discord has the post.
func (s *Outbox) Sent(ctx context.Context, p Post, messageID string) error {
	// The check-in learns its message first: until the post is marked sent
	// it still counts as on its way, so nobody is ever told in between that
	// a reveal that arrived never did. A crash in between resends with the
	// same nonce, and Discord returns the same message.
	var err error
	switch {
	case p.Kind == PostCheckIn && p.CheckInID != 0:
		err = s.setCheckInPosts(ctx, p.CheckInID, messageID, "")
	case p.Kind == PostReveal && p.CheckInID != 0:
		err = s.setCheckInPosts(ctx, p.CheckInID, "", messageID)
	case p.Kind == PostTalk && p.TalkID != 0 && messageID != "":
		if err = s.stores.Talks.SetTalkMessage(ctx, p.TalkID, messageID); err != nil {
			err = fmt.Errorf("record the message of talk %d: %w", p.TalkID, err)
		}
	}
	if err != nil {
		return err
	}
	if err := s.stores.Outbox.MarkPostSent(ctx, p.ID, messageID, s.clock.Now()); err != nil {
		return fmt.Errorf("mark post %d sent: %w", p.ID, err)
	}
	return nil
}

// setCheckInPosts records the channel messages of a check-in: its status post
// and the first message of its reveal. An empty ID leaves that one unchanged.
func (s *Outbox) setCheckInPosts(ctx context.Context, checkInID int64, postID, revealPostID string) error {
	if err := s.stores.CheckIns.SetCheckInPosts(ctx, checkInID, postID, revealPostID); err != nil {
		return fmt.Errorf("record posts of check-in %d: %w", checkInID, err)
	}
	return nil
}

// talkOfSystem returns a talk as its message shows it, for Mend's own work
// (posting it).
func (s *Outbox) talkOfSystem(ctx context.Context, talkID int64) (TalkView, error) {
	t, err := s.stores.Talks.GuidedTalk(ctx, talkID)
	if err != nil {
		return TalkView{}, err
	}
	couple, err := s.loadCouple(ctx, t.CoupleID)
	if err != nil {
		return TalkView{}, err
	}
	return talkView(ctx, s.core, t, couple)
}
