package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// outboxWorkers send posts side by side, so that the shared rate limit, not
// one slow request, bounds the rate.
const outboxWorkers = 8

// sender delivers the outbox's posts to Discord and keeps each check-in's
// message in step with the database through its refresher.
type sender struct {
	outbox  *conversations.Outbox
	session *discordgo.Session
	log     *slog.Logger
	metrics Metrics
	lost    lostChannels
	refresh *refresher
	// dmReminders sends reminders as direct messages; manualLoops leaves
	// sending to the caller of flush (tests that drive time themselves).
	dmReminders, manualLoops bool
	// closed are the partners whose direct messages Discord refused.
	closed closedDMs
	now    func() time.Time

	// posted tells the sending loop that posts were queued.
	posted chan struct{}
	// flushing lets one flush run at a time.
	flushing sync.Mutex
}

// newSender sends through session; its status edits run until life ends.
// now is the clock Mend's rules run on.
func newSender(life context.Context, outbox *conversations.Outbox, session *discordgo.Session, log *slog.Logger, metrics Metrics, lost lostChannels, cfg Config, now func() time.Time) *sender {
	return &sender{
		outbox: outbox, session: session, log: log, metrics: metrics, lost: lost,
		refresh:     newRefresher(life, outbox, session, log, lost),
		dmReminders: cfg.RemindByDM, manualLoops: cfg.ManualLoops,
		posted: make(chan struct{}, 1), now: now,
	}
}

// notifyPosted wakes the sending loop; a wake already pending is enough.
func (s *sender) notifyPosted() {
	select {
	case s.posted <- struct{}{}:
	default:
	}
}

// run sends queued posts until ctx ends: at once when told that posts
// were queued, and every few seconds for retries.
func (s *sender) run(ctx context.Context) {
	for {
		safely(s.log, "outbox", func() {
			if _, err := s.flush(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("outbox", "err", err)
			}
		})
		timer := time.NewTimer(5 * time.Second)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-s.posted:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// flush sends every post that is due now and reports how many it sent.
//
// One flush runs at a time: two would pick the same pending post and send it
// side by side, and although the nonce keeps Discord from showing it twice,
// the second could record as sent a post whose first attempt failed.
func (s *sender) flush(ctx context.Context) (int, error) {
	s.flushing.Lock()
	defer s.flushing.Unlock()
	sent := 0
	for ctx.Err() == nil {
		posts, err := s.outbox.Pending(ctx, 100)
		if err != nil {
			return sent, err
		}
		if len(posts) == 0 {
			return sent, nil
		}
		var mu sync.Mutex
		var wg sync.WaitGroup
		// A couple's posts go through one worker, in the order they were
		// queued (the welcome before the reveal in a channel made again);
		// different couples' posts go side by side.
		queues := make([]chan conversations.Post, outboxWorkers)
		for w := range queues {
			queues[w] = make(chan conversations.Post, len(posts))
			wg.Add(1)
			go func() {
				defer wg.Done()
				for p := range queues[w] {
					delivered := false
					if !safely(s.log, "outbox post", func() { delivered = s.deliver(ctx, p) }, "post", p.ID, "kind", p.Kind) {
						s.postPanicked(ctx, p)
					}
					if delivered {
						mu.Lock()
						sent++
						mu.Unlock()
					}
				}
			}()
		}
		for _, p := range posts {
			queues[p.CoupleID%outboxWorkers] <- p
		}
		for _, q := range queues {
			close(q)
		}
		wg.Wait()
		if len(posts) < 100 {
			return sent, nil
		}
	}
	return sent, ctx.Err()
}

// deliver sends one post and records the outcome. A failure is recorded for a
// retry with backoff; it is never lost and never sent twice, because a resend
// carries the same nonce.
func (s *sender) deliver(ctx context.Context, p conversations.Post) bool {
	d, err := s.outbox.Deliver(ctx, p)
	if err != nil {
		s.log.Warn("could not prepare a post", "post", p.ID, "kind", p.Kind, "err", err)
		s.recordFailure(ctx, p, err, conversations.FailPassing)
		return false
	}
	switch {
	case !d.Needed:
		return s.markSent(ctx, p, "")
	case d.Hold:
		s.metrics.PostOutcome(OutcomeHeld)
		if err := s.outbox.Held(ctx, p); err != nil {
			s.log.Error("outbox", "post", p.ID, "err", err)
		}
		return false
	}
	switch p.Kind {
	case conversations.PostInvitationClosed:
		return s.closeInvitation(ctx, p, d.Couple)
	case conversations.PostTalkEnded:
		return s.endTalk(ctx, p, d.Couple)
	}
	pages := renderDelivery(d)
	channelID := d.Couple.ChannelID
	if s.byDM(p.Kind) {
		if msg, ok := s.remindByDM(ctx, p, directMessage(d, pages[0])); ok {
			return s.markSent(ctx, p, msg.ID)
		}
	}
	messageID := ""
	// Every page has its own nonce: after a failure halfway, the retry sends
	// them all again and Discord returns the ones it already has.
	for i, page := range pages {
		msg, err := s.sendOnce(ctx, channelID, page, p.PageNonce(i))
		if err != nil {
			how := classify(err)
			s.log.Warn("could not send a post", "post", p.ID, "kind", p.Kind, "page", i, "attempt", p.Attempts+1, "failure", how, "err", err)
			s.recordFailure(ctx, p, err, how)
			if how == conversations.FailChannelGone {
				s.lost.report(ctx, channelID)
			}
			return false
		}
		if i == 0 {
			messageID = msg.ID
		}
	}
	if !s.markSent(ctx, p, messageID) {
		return false
	}
	switch p.Kind {
	case conversations.PostCheckIn:
		// A partner may have started or paused while the post was on its way,
		// after it was rendered: the refresher shows it if so.
		s.refresh.shown(p.CheckInID, pages[0])
		s.refresh.request(p.CheckInID)
	case conversations.PostClosed, conversations.PostReveal:
		// The check-in's own message still offers Start; show how it ended.
		s.refresh.request(p.CheckInID)
	}
	if p.Kind == conversations.PostReveal {
		s.log.Info("check-in revealed", "checkin", p.CheckInID, "couple", p.CoupleID)
		s.metrics.CheckIns(CheckInsRevealed, 1)
	}
	return true
}

// byDM says whether a post is a reminder that goes to its partner alone, as
// the config asks: the check-in reminder and the note on a due commitment.
func (s *sender) byDM(kind conversations.PostKind) bool {
	return s.dmReminders && (kind == conversations.PostReminder || kind == conversations.PostDue)
}

// remindByDM sends a reminder as a direct message. It reports false when
// direct messages are closed, and the reminder then goes to the channel. A
// partner whose direct messages Discord refused is not tried again for a
// day (see closedDMsFor).
func (s *sender) remindByDM(ctx context.Context, p conversations.Post, m message) (*discordgo.Message, bool) {
	if s.closed.closed(p.UserID, s.now()) {
		return nil, false
	}
	dm, err := s.session.UserChannelCreate(p.UserID, discordgo.WithContext(ctx))
	if err == nil {
		var msg *discordgo.Message
		if msg, err = s.sendOnce(ctx, dm.ID, m, p.Nonce()); err == nil {
			return msg, true
		}
	}
	if s.closed.refused(p.UserID, err, s.now()) {
		s.metrics.PostOutcome(OutcomeDMRefused)
		s.log.Info("Discord refused a direct message; this partner's reminders go to the channel, without another try for a day", "post", p.ID, "user", p.UserID, "err", err)
		return nil, false
	}
	s.log.Info("reminder by direct message failed; mentioning in the channel", "post", p.ID, "err", err)
	return nil, false
}

func (s *sender) markSent(ctx context.Context, p conversations.Post, messageID string) bool {
	if err := s.outbox.Sent(ctx, p, messageID); err != nil {
		// Sent but not marked: the next attempt repeats the nonces, and
		// Discord answers with these same messages instead of new ones.
		s.log.Error("outbox: sent but not recorded", "post", p.ID, "err", err)
		s.metrics.PostOutcome(OutcomeUnrecorded)
		return false
	}
	s.metrics.PostOutcome(sentOutcome(messageID))
	return messageID != ""
}

func (s *sender) recordFailure(ctx context.Context, p conversations.Post, err error, how conversations.SendFailure) {
	s.metrics.PostOutcome(failureOutcome(how))
	if how == conversations.FailRefused {
		// Nothing retrying can fix; for a reveal, /checkin status and
		// /history offer to post it again.
		s.log.Error("gave up on a post", "post", p.ID, "kind", p.Kind, "err", err)
	}
	if err := s.outbox.Failed(ctx, p, err.Error(), how); err != nil {
		s.log.Error("outbox", "post", p.ID, "err", err)
	}
}

// postPanicked records a post whose sending panicked as failed, so that it
// is tried again later rather than at once, over and over.
func (s *sender) postPanicked(ctx context.Context, p conversations.Post) {
	s.metrics.PostOutcome(OutcomePanicked)
	if err := s.outbox.Failed(ctx, p, "sending panicked", conversations.FailPassing); err != nil {
		s.log.Error("outbox", "post", p.ID, "err", err)
	}
}

// sendOnce posts a message with a nonce that Discord enforces: a second
// request with the same nonce returns the first message. discordgo's
// MessageSend has no nonce field, so the request is made directly.
func (s *sender) sendOnce(ctx context.Context, channelID string, m message, nonce string) (*discordgo.Message, error) {
	body := struct {
		*discordgo.MessageSend
		Nonce        string `json:"nonce"`
		EnforceNonce bool   `json:"enforce_nonce"`
	}{m.send(), nonce, true}
	endpoint := discordgo.EndpointChannelMessages(channelID)
	raw, err := s.session.RequestWithBucketID(http.MethodPost, endpoint, body, endpoint, discordgo.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	var msg discordgo.Message
	if err := json.Unmarshal(raw, &msg); err != nil {
		return nil, fmt.Errorf("decode sent message: %w", err)
	}
	return &msg, nil
}

// classify tells the failures of a send apart: a 403 (a permission removed
// for a while) may pass but is retried sparingly; a 5xx, a 429 or a network
// error may pass; a 404 for the
// channel means it was deleted; any other 4xx means Discord refused the
// message itself.
func classify(err error) conversations.SendFailure {
	var rest *discordgo.RESTError
	if !errors.As(err, &rest) || rest.Response == nil {
		return conversations.FailPassing
	}
	status := rest.Response.StatusCode
	switch {
	case status == http.StatusNotFound && rest.Message != nil && rest.Message.Code == discordgo.ErrCodeUnknownChannel:
		return conversations.FailChannelGone
	case status == http.StatusForbidden:
		return conversations.FailForbidden
	case status == http.StatusTooManyRequests, status >= 500:
		return conversations.FailPassing
	case status >= 400:
		return conversations.FailRefused
	}
	return conversations.FailPassing
}

// sendQueued has what an interaction just queued sent now rather than at the
// outbox's next round: the outbox loop is woken (it sends in order, paced,
// whatever else is waiting). Without the loops (tests that drive them), it
// sends here.
func (s *sender) sendQueued(ctx context.Context) {
	if !s.manualLoops {
		s.notifyPosted()
		return
	}
	if _, err := s.flush(ctx); err != nil {
		s.log.Error("outbox", "err", err)
	}
}

// closeInvitation makes an expired public invitation read "This invitation
// is closed.", naming nobody. A message that no longer offers the couple's
// Accept (it was answered, or is not the invitation) is left as it is.
func (s *sender) closeInvitation(ctx context.Context, p conversations.Post, c conversations.Couple) bool {
	channelID, messageID := c.InvitationChannelID, c.InvitationMessageID
	found, err := s.session.ChannelMessage(channelID, messageID, discordgo.WithContext(ctx))
	if err == nil && slices.Contains(componentIDs(found.Components), customID{Action: actAccept, ID: c.ID}.String()) {
		_, err = s.session.ChannelMessageEditComplex(invitationClosedMessage().channelEdit(channelID, messageID), discordgo.WithContext(ctx))
	}
	if err != nil {
		how := classify(err)
		s.log.Warn("could not close an expired invitation", "post", p.ID, "couple", c.ID, "failure", how, "err", err)
		s.recordFailure(ctx, p, err, how)
		return false
	}
	return s.markSent(ctx, p, messageID)
}

// endTalk makes the message of a talk whose time ran out say that it
// ended, without its buttons: an edit, so that nobody is called.
func (s *sender) endTalk(ctx context.Context, p conversations.Post, c conversations.Couple) bool {
	ended := talkEndedMessage(conversations.TalkExpired)
	_, err := s.session.ChannelMessageEditComplex(ended.channelEdit(c.ChannelID, p.MessageID), discordgo.WithContext(ctx))
	if isUnknown(err, discordgo.ErrCodeUnknownMessage) {
		// Someone deleted the message, or it went with a channel made
		// again: there is nothing left to say ended.
		return s.markSent(ctx, p, "")
	}
	if err != nil {
		how := classify(err)
		s.log.Warn("could not say that a talk ended", "post", p.ID, "couple", c.ID, "failure", how, "err", err)
		s.recordFailure(ctx, p, err, how)
		if how == conversations.FailChannelGone {
			s.lost.report(ctx, c.ChannelID)
		}
		return false
	}
	return s.markSent(ctx, p, p.MessageID)
}
