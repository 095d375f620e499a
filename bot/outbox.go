package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// outboxWorkers send posts side by side, so that the pace, not one slow
// request, bounds the rate.
const outboxWorkers = 8

// DefaultPostsPerSecond leaves room under Discord's global limit (about 50 a
// second) for interaction responses and edits.
const DefaultPostsPerSecond = 40

// pacer spaces requests evenly at a rate, shared by the outbox's workers.
type pacer struct {
	mu       sync.Mutex
	next     time.Time
	interval time.Duration
}

func newPacer(perSecond float64) *pacer {
	if perSecond <= 0 {
		return &pacer{}
	}
	return &pacer{interval: time.Duration(float64(time.Second) / perSecond)}
}

// wait blocks until the caller's turn, or ctx ends.
func (p *pacer) wait(ctx context.Context) error {
	if p.interval == 0 {
		return ctx.Err()
	}
	p.mu.Lock()
	now := time.Now()
	if p.next.Before(now) {
		p.next = now
	}
	at := p.next
	p.next = p.next.Add(p.interval)
	p.mu.Unlock()
	timer := time.NewTimer(time.Until(at))
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

func (b *Bot) notifyPosted() {
	select {
	case b.posted <- struct{}{}:
	default:
	}
}

// runOutbox sends queued posts until ctx ends: at once when told that posts
// were queued, and every few seconds for retries.
func (b *Bot) runOutbox(ctx context.Context) {
	for {
		if _, err := b.FlushOutbox(ctx); err != nil && ctx.Err() == nil {
			b.log.Error("outbox", "err", err)
		}
		timer := time.NewTimer(5 * time.Second)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-b.posted:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// FlushOutbox sends every post that is due now and reports how many it sent.
func (b *Bot) FlushOutbox(ctx context.Context) (int, error) {
	sent := 0
	for ctx.Err() == nil {
		posts, err := b.svc.PendingPosts(ctx, 100)
		if err != nil {
			return sent, err
		}
		if len(posts) == 0 {
			return sent, nil
		}
		var mu sync.Mutex
		var wg sync.WaitGroup
		queue := make(chan conversations.Post)
		for w := 0; w < outboxWorkers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for p := range queue {
					if b.deliver(ctx, p) {
						mu.Lock()
						sent++
						mu.Unlock()
					}
				}
			}()
		}
		for _, p := range posts {
			queue <- p
		}
		close(queue)
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
func (b *Bot) deliver(ctx context.Context, p conversations.Post) bool {
	channelID, pages, err := b.renderPost(ctx, p)
	if err != nil {
		permanent := conversations.ErrorCode(err) == conversations.ENOTFOUND
		b.log.Warn("could not prepare a post", "post", p.ID, "kind", p.Kind, "err", err)
		if err := b.svc.PostFailed(ctx, p, err.Error(), permanent); err != nil {
			b.log.Error("outbox", "post", p.ID, "err", err)
		}
		return false
	}
	messageID := ""
	if channelID != "" && p.Kind == conversations.PostReminder && b.cfg.RemindByDM {
		// Buttons do not work in a direct message (Mend acts only inside its
		// server), so the reminder points to the channel instead.
		direct := pages[0]
		direct.Components = nil
		direct.Content += fmt.Sprintf(" Your check-in is in <#%s>.", channelID)
		if dm, err := b.session.UserChannelCreate(p.UserID); err == nil {
			if msg, err := b.sendOnce(ctx, dm.ID, direct, p.Nonce()); err == nil {
				channelID, messageID = "", msg.ID
			} else {
				// Direct messages closed: the channel mention still reaches them.
				b.log.Info("reminder by direct message failed; mentioning in the channel", "post", p.ID, "err", err)
			}
		}
	}
	if channelID != "" {
		// Every page has its own nonce: after a failure halfway, the retry
		// sends them all again and Discord returns the ones it already has.
		for i, page := range pages {
			msg, err := b.sendOnce(ctx, channelID, page, p.PageNonce(i))
			if err != nil {
				permanent := isPermanent(err)
				b.log.Warn("could not send a post", "post", p.ID, "kind", p.Kind, "page", i, "attempt", p.Attempts+1, "permanent", permanent, "err", err)
				if err := b.svc.PostFailed(ctx, p, err.Error(), permanent); err != nil {
					b.log.Error("outbox", "post", p.ID, "err", err)
				}
				return false
			}
			if i == 0 {
				messageID = msg.ID
			}
		}
	}
	if err := b.svc.PostSent(ctx, p, messageID); err != nil {
		// Sent but not marked: the next attempt repeats the nonces, and
		// Discord answers with these same messages instead of new ones.
		b.log.Error("outbox: sent but not recorded", "post", p.ID, "err", err)
		return false
	}
	switch p.Kind {
	case conversations.PostClosed, conversations.PostReveal:
		// The check-in's own message still offers Start; show how it ended.
		if ci, _, err := b.svc.CheckInForSystem(ctx, p.CheckInID); err == nil {
			b.refreshPost(ctx, ci)
		}
	}
	if p.Kind == conversations.PostReveal {
		b.log.Info("check-in revealed", "checkin", p.CheckInID, "couple", p.CoupleID)
	}
	return messageID != ""
}

// sendOnce posts a message with a nonce that Discord enforces: a second
// request with the same nonce returns the first message. discordgo's
// MessageSend has no nonce field, so the request is made directly.
func (b *Bot) sendOnce(ctx context.Context, channelID string, m message, nonce string) (*discordgo.Message, error) {
	if err := b.pace.wait(ctx); err != nil {
		return nil, err
	}
	body := struct {
		*discordgo.MessageSend
		Nonce        string `json:"nonce"`
		EnforceNonce bool   `json:"enforce_nonce"`
	}{m.send(), nonce, true}
	endpoint := discordgo.EndpointChannelMessages(channelID)
	raw, err := b.session.RequestWithBucketID(http.MethodPost, endpoint, body, endpoint)
	if err != nil {
		return nil, err
	}
	var msg discordgo.Message
	if err := json.Unmarshal(raw, &msg); err != nil {
		return nil, fmt.Errorf("decode sent message: %w", err)
	}
	return &msg, nil
}

// isPermanent tells a failure that retrying cannot fix (the channel is gone,
// Mend lost access, Discord refused the message) from a passing one.
func isPermanent(err error) bool {
	var rest *discordgo.RESTError
	if !errors.As(err, &rest) || rest.Response == nil {
		return false
	}
	switch rest.Response.StatusCode {
	case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound:
		return true
	}
	return false
}

// renderPost turns a queued post into channel messages, from the state of
// things now. A post that no longer has a purpose (the partner finished, the
// commitment was done, the couple ended) renders to no channel and is marked
// sent unsent.
func (b *Bot) renderPost(ctx context.Context, p conversations.Post) (string, []message, error) {
	one := func(channelID string, m message) (string, []message, error) { return channelID, []message{m}, nil }
	switch p.Kind {
	case conversations.PostCheckIn, conversations.PostReminder, conversations.PostClosed:
		ci, couple, err := b.svc.CheckInForSystem(ctx, p.CheckInID)
		if err != nil {
			return "", nil, err
		}
		if couple.Status != conversations.CoupleActive {
			return "", nil, nil
		}
		now := b.svc.Now()
		switch p.Kind {
		case conversations.PostCheckIn:
			return one(couple.ChannelID, checkInPost(ci, couple, now))
		case conversations.PostReminder:
			part, _ := ci.Participant(p.UserID)
			if ci.StatusAt(now) != conversations.CheckInOpen || part.Status == conversations.Done {
				return "", nil, nil
			}
			return one(couple.ChannelID, reminderMessage(ci, p.UserID))
		default:
			return one(couple.ChannelID, closedMessage(ci, couple))
		}
	case conversations.PostReveal:
		r, err := b.svc.RevealForSystem(ctx, p.CheckInID)
		if err != nil {
			return "", nil, err
		}
		if r.Couple.Status != conversations.CoupleActive {
			return "", nil, nil
		}
		return r.Couple.ChannelID, revealMessages(r), nil
	case conversations.PostShare:
		r, err := b.svc.SharedAnswers(ctx, p.CheckInID, p.UserID)
		if err != nil {
			return "", nil, err
		}
		if r.Couple.Status != conversations.CoupleActive {
			return "", nil, nil
		}
		return r.Couple.ChannelID, sharedMessages(r, p.UserID), nil
	case conversations.PostWelcome:
		couple, err := b.svc.CoupleOfSystem(ctx, p.CoupleID)
		if err != nil {
			return "", nil, err
		}
		if couple.Status != conversations.CoupleActive {
			return "", nil, nil
		}
		return one(couple.ChannelID, welcomeMessage(couple))
	case conversations.PostDue:
		c, couple, err := b.svc.CommitmentForSystem(ctx, p.CommitmentID)
		if err != nil {
			return "", nil, err
		}
		if couple.Status != conversations.CoupleActive || c.Status != conversations.CommitmentOpen {
			return "", nil, nil
		}
		return one(couple.ChannelID, dueMessage(c))
	}
	return "", nil, conversations.Errorf(conversations.ENOTFOUND, "unknown post kind %q", p.Kind)
}

// sharedMessages shows one partner's answers of a closed check-in.
func sharedMessages(r conversations.Reveal, userID string) []message {
	pages := revealMessages(r)
	for i := range pages {
		// "I hear you" belongs to a check-in both finished.
		pages[i].Components = nil
	}
	who := r.Couple.NameOf(userID)
	pages[0].Content = fmt.Sprintf("%s chose to share their answers of the check-in that closed. %s's answers stay private.",
		who, r.Couple.Other(userID).Name)
	pages[0].Mentions = nil
	return pages
}

func reminderMessage(ci conversations.CheckIn, userID string) message {
	return message{
		Content: fmt.Sprintf("%s, a gentle reminder: your check-in is open until %s. Whenever you are ready, press **Start my check-in**; you continue where you left off.",
			mention(userID), timestamp(ci.ClosesAt, "f")),
		Mentions:   []string{userID},
		Components: startRow(ci.ID),
	}
}

func closedMessage(ci conversations.CheckIn, c conversations.Couple) message {
	m := message{Embeds: []*discordgo.MessageEmbed{{
		Title: "The check-in has closed", Color: colorQuieter,
		Description: "It closed before you had both finished, so nothing was shown. Everything either of you wrote is kept.",
	}}}
	for i, p := range ci.Participants {
		if p.Status == conversations.Done {
			m.Embeds[0].Description += fmt.Sprintf("\n\n%s, you finished: if you like, you can share your answers anyway. Only yours are shown.", c.Partners[i].Name)
			m.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.Button{Label: "Share my answers anyway", Style: discordgo.SecondaryButton, CustomID: customID{Action: actShare, ID: ci.ID}.String()},
			}}}
		}
	}
	return m
}

func dueMessage(c conversations.Commitment) message {
	return message{
		Content:  fmt.Sprintf("%s, your commitment “%s” is due today (%s). You will both look back at it at your next check-in.", mention(c.OwnerID), c.Text, c.DueOn),
		Mentions: []string{c.OwnerID},
	}
}

// share queues the answers of a partner who finished a closed check-in for
// the channel.
func (b *Bot) share(ctx context.Context, it *interaction, id customID) error {
	if _, _, err := b.checkIn(ctx, it, id.ID); err != nil {
		return err
	}
	if _, err := b.svc.ShareAnyway(ctx, id.ID, it.userID()); err != nil {
		return err
	}
	if err := it.reply(message{Ephemeral: true, Content: "Your answers are being shared in the channel."}); err != nil {
		return err
	}
	b.sendQueued(ctx)
	return nil
}

// sendQueued has what an interaction just queued sent now rather than at the
// outbox's next round: the outbox loop is woken (it sends in order, paced,
// whatever else is waiting). Without the loops (tests that drive them), it
// sends here.
func (b *Bot) sendQueued(ctx context.Context) {
	if !b.cfg.ManualLoops {
		b.notifyPosted()
		return
	}
	if _, err := b.FlushOutbox(ctx); err != nil {
		b.log.Error("outbox", "err", err)
	}
}
