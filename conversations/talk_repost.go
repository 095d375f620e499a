package conversations

import (
	"context"
	"errors"
	"fmt"
)

// RepostTalk posts the couple's open talk again, as a new message in their
// channel, for when the one posted is gone: deleted, or lost with a channel
// that was made again. Without it the talk could neither go on nor be
// stopped until it ended by itself. gone is the message found missing ("" if
// none ever arrived): a talk whose message has changed since, or whose
// message is on its way, is not posted again. It reports whether it was.
// Nothing of the talk changes.
func RepostTalk(ctx context.Context, s *Talks, by Actor, talkID int64, gone string) (TalkView, bool, error) {
	t, couple, err := talkFor(ctx, s.core, by, talkID)
	if err != nil {
		return TalkView{}, false, err
	}
	if v, err := s.expireIfDue(ctx, t, couple); err != nil || !v.Talk.Open() {
		return v, false, errors.Join(err, errTalkOver)
	}
	pending, err := s.stores.Outbox.PostPending(ctx, couple.ID, PostTalk, t.CheckInID)
	if err != nil {
		return TalkView{}, false, err
	}
	if !pending {
		// Read again: the post may have gone out since the talk was read,
		// and a sent post's message is recorded before it counts as sent.
		if t, err = s.stores.Talks.GuidedTalk(ctx, talkID); err != nil {
			return TalkView{}, false, fmt.Errorf("load talk %d: %w", talkID, err)
		}
	}
	if pending || t.MessageID != gone {
		v, err := talkView(ctx, s.core, t, couple)
		return v, false, err
	}
	now := s.clock.Now()
	post := Post{CoupleID: couple.ID, Kind: PostTalk, TalkID: t.ID, CheckInID: t.CheckInID, CreatedAt: now, NextAttemptAt: now}
	switch err := s.stores.Talks.SaveGuidedTalk(ctx, &t, []Post{post}); {
	case ErrorCode(err) == ECONFLICT:
		return TalkView{}, false, Errorf(ECONFLICT, "The talk changed at this very moment. Please try /talk again.")
	case err != nil:
		return TalkView{}, false, fmt.Errorf("post %s again: %w", t, err)
	}
	v, err := talkView(ctx, s.core, t, couple)
	return v, true, err
}
