package conversations

import (
	"context"
	"errors"
	"fmt"
)

// RepostTalk posts the couple's open talk again, as a new message in their
// channel, for when the one posted is gone: deleted, or lost with a channel
// that was made again. Without it the talk could neither go on nor be
// stopped until it ended by itself. Nothing of the talk changes, and a
// message already on its way is not queued twice.
func RepostTalk(ctx context.Context, s *Talks, by Actor, talkID int64) (TalkView, error) {
	t, couple, err := talkFor(ctx, s.core, by, talkID)
	if err != nil {
		return TalkView{}, err
	}
	if v, err := s.expireIfDue(ctx, t, couple); err != nil || !v.Talk.Open() {
		return v, errors.Join(err, errTalkOver)
	}
	pending, err := s.stores.Outbox.PostPending(ctx, couple.ID, PostTalk, t.CheckInID)
	if err != nil {
		return TalkView{}, err
	}
	if !pending {
		now := s.clock.Now()
		post := Post{CoupleID: couple.ID, Kind: PostTalk, TalkID: t.ID, CheckInID: t.CheckInID, CreatedAt: now, NextAttemptAt: now}
		switch err := s.stores.Talks.SaveGuidedTalk(ctx, &t, []Post{post}); {
		case ErrorCode(err) == ECONFLICT:
			return TalkView{}, Errorf(ECONFLICT, "The talk changed at this very moment. Please try /talk again.")
		case err != nil:
			return TalkView{}, fmt.Errorf("post %s again: %w", t, err)
		}
	}
	return talkView(ctx, s.core, t, couple)
}
