package conversations

import (
	"context"
	"fmt"
	"time"
)

// ChannelMissingError answers a partner whose couple's channel was deleted:
// whatever they asked for, what they need first is the channel back. The
// adapter offers to make it again.
type ChannelMissingError struct {
	Couple Couple
}

func (e *ChannelMissingError) Error() string {
	return fmt.Sprintf("channel of couple %d is missing", e.Couple.ID)
}

// Unwrap gives the message a partner is shown.
func (e *ChannelMissingError) Unwrap() error {
	return Errorf(ECONFLICT, "Your private channel with %s was deleted, so Mend has paused your check-ins. Nothing you wrote is lost. Mend can make the channel again and post your latest answers there.",
		e.Couple.Partners[1].Name)
}

// ChannelLost records that a channel Mend posts to is gone. For a couple's
// channel it pauses the couple (no check-in opens, posts wait) and reports
// true the first time, so that the partners are told once. Any other channel
// is not Mend's concern and returns false.
func (s *Service) ChannelLost(ctx context.Context, channelID string) (Couple, bool, error) {
	c, err := s.store.CoupleByChannel(ctx, channelID)
	if ErrorCode(err) == ENOTFOUND {
		return Couple{}, false, nil
	}
	if err != nil {
		return Couple{}, false, fmt.Errorf("look up couple of lost channel %s: %w", channelID, err)
	}
	if c.Status != CoupleActive || c.ChannelMissing() {
		return c, false, nil
	}
	now := s.clock.Now()
	marked, err := s.store.MarkChannelMissing(ctx, c.ID, channelID, now)
	if err != nil {
		return Couple{}, false, fmt.Errorf("record lost channel of couple %d: %w", c.ID, err)
	}
	c.ChannelMissingAt = now
	return c, marked, nil
}

// ChannelToRemake returns the couple whose channel a partner asks to make
// again, after checking that it is theirs and is missing.
func (s *Service) ChannelToRemake(ctx context.Context, by Actor, coupleID int64) (Couple, error) {
	c, err := s.loadCouple(ctx, coupleID)
	if err != nil {
		return Couple{}, err
	}
	if !c.IsPartner(by.UserID) || c.GuildID != by.GuildID {
		return Couple{}, Errorf(EUNAUTHORIZED, "That button belongs to two other people.")
	}
	if c.Status != CoupleActive {
		return Couple{}, Errorf(ECONFLICT, "This couple is no longer using Mend together, so there is no channel to make.")
	}
	if !c.ChannelMissing() {
		return Couple{}, Errorf(ECONFLICT, "Your channel is already there: <#%s>.", c.ChannelID)
	}
	return c, nil
}

// ChannelRemade records the couple's new channel and fills it: the welcome,
// the latest reveal again (the old messages went with the old channel), the
// open check-in's message, and every post that waited for the channel.
func (s *Service) ChannelRemade(ctx context.Context, by Actor, coupleID int64, channelID string) (Couple, error) {
	c, err := s.ChannelToRemake(ctx, by, coupleID)
	if err != nil {
		return Couple{}, err
	}
	now := s.clock.Now()
	posts := []Post{{CoupleID: c.ID, Kind: PostWelcome}}
	recent, err := s.store.CheckIns(ctx, c.ID, 20)
	if err != nil {
		return Couple{}, fmt.Errorf("list check-ins of couple %d: %w", c.ID, err)
	}
	for _, ci := range recent {
		if ci.Status == CheckInRevealed {
			posts = append(posts, Post{CoupleID: c.ID, Kind: PostReveal, CheckInID: ci.ID})
			break
		}
	}
	if len(recent) > 0 && recent[0].StatusAt(now) == CheckInOpen {
		posts = append(posts, Post{CoupleID: c.ID, Kind: PostCheckIn, CheckInID: recent[0].ID})
	}
	var queue []Post
	for _, p := range posts {
		pending, err := s.store.PostPending(ctx, c.ID, p.Kind, p.CheckInID)
		if err != nil {
			return Couple{}, fmt.Errorf("look for a waiting %s post of couple %d: %w", p.Kind, c.ID, err)
		}
		if !pending {
			// A moment before now: posts go out in the order of their next
			// attempt, and the welcome should open the channel, before the
			// posts that waited for it (which ReplaceChannel makes due now).
			p.CreatedAt, p.NextAttemptAt = now, now.Add(-time.Millisecond)
			queue = append(queue, p)
		}
	}
	if err := s.store.ReplaceChannel(ctx, c.ID, channelID, now, queue); err != nil {
		return Couple{}, fmt.Errorf("record the new channel of couple %d: %w", c.ID, err)
	}
	return s.loadCouple(ctx, c.ID)
}

// MissingChannelOf returns a ChannelMissingError when the user's couple in a
// guild has lost its channel, and nil otherwise: for answering a partner who
// can no longer reach Mend from their channel.
func (s *Service) MissingChannelOf(ctx context.Context, guildID, userID string) error {
	c, err := s.store.CoupleOf(ctx, guildID, userID)
	if ErrorCode(err) == ENOTFOUND {
		return nil
	}
	if err != nil {
		return fmt.Errorf("look up couple of %s: %w", userID, err)
	}
	if c.Status == CoupleActive && c.ChannelMissing() {
		return &ChannelMissingError{Couple: c}
	}
	return nil
}

// UndeliveredReveal returns the couple's latest revealed check-in when its
// reveal never reached the channel (it was given up, not merely waiting).
// When that reveal arrived or is on its way, or nothing was revealed yet, it
// returns ENOTFOUND: a nil error always comes with a check-in to post again.
func (s *Service) UndeliveredReveal(ctx context.Context, coupleID int64) (CheckIn, error) {
	recent, err := s.store.CheckIns(ctx, coupleID, 20)
	if err != nil {
		return CheckIn{}, fmt.Errorf("list check-ins of couple %d: %w", coupleID, err)
	}
	for _, ci := range recent {
		if ci.Status != CheckInRevealed {
			continue
		}
		missing, err := s.revealMissing(ctx, ci)
		if err != nil {
			return CheckIn{}, err
		}
		if !missing {
			break
		}
		return ci, nil
	}
	return CheckIn{}, Errorf(ENOTFOUND, "Every reveal reached your channel.")
}

// revealMissing reports whether a revealed check-in's reveal never arrived
// and is not on its way either.
func (s *Service) revealMissing(ctx context.Context, ci CheckIn) (bool, error) {
	if ci.Status != CheckInRevealed || ci.RevealPostID != "" {
		return false, nil
	}
	pending, err := s.store.PostPending(ctx, ci.CoupleID, PostReveal, ci.ID)
	if err != nil {
		return false, fmt.Errorf("look for the reveal post of check-in %d: %w", ci.ID, err)
	}
	return !pending, nil
}

// RepostReveal queues the reveal of a check-in again, for a reveal that never
// reached the channel.
func (s *Service) RepostReveal(ctx context.Context, by Actor, checkInID int64) (CheckIn, error) {
	ci, couple, err := s.checkInFor(ctx, by, checkInID)
	if err != nil {
		return CheckIn{}, err
	}
	if couple.Status != CoupleActive {
		return CheckIn{}, Errorf(ECONFLICT, "This couple is no longer using Mend together, so nothing more is shown.")
	}
	if ci.Status != CheckInRevealed {
		return CheckIn{}, Errorf(ECONFLICT, "This check-in has not been revealed, so there is nothing to post again.")
	}
	if ci.RevealPostID != "" {
		return CheckIn{}, Errorf(ECONFLICT, "The answers of this check-in are already in your channel.")
	}
	pending, err := s.store.PostPending(ctx, couple.ID, PostReveal, ci.ID)
	if err != nil {
		return CheckIn{}, fmt.Errorf("look for the reveal post of check-in %d: %w", ci.ID, err)
	}
	if pending {
		return ci, nil
	}
	now := s.clock.Now()
	post := Post{CoupleID: couple.ID, Kind: PostReveal, CheckInID: ci.ID, CreatedAt: now, NextAttemptAt: now}
	if err := s.store.QueuePost(ctx, post); err != nil {
		return CheckIn{}, fmt.Errorf("queue the reveal of check-in %d again: %w", ci.ID, err)
	}
	return ci, nil
}
