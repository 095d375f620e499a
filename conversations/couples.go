package conversations

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Couples is how two people become a couple, stay one and stop: the
// invitation and its answer, names, leaving, and the couple's channel.
type Couples struct{ *core }

// DefaultInvitationExpiry is how long an invitation waits for an answer. A
// week leaves room to think and to talk first; after it, the invitation
// holds nobody and either partner can invite again.
const DefaultInvitationExpiry = 7 * 24 * time.Hour

// DeclineCooldown is how long after a decline the same person cannot invite
// the same partner again: a no deserves room, not a second ask at once.
const DeclineCooldown = 7 * 24 * time.Hour

// MaxInvitations is how many invitations one person may send the same
// partner in InvitationWindow, whatever became of them: withdrawing and
// inviting again would otherwise @mention someone without end.
const (
	MaxInvitations   = 3
	InvitationWindow = 7 * 24 * time.Hour
)

// MayInvite refuses an invitation Mend never sends, whoever asks: one to
// oneself. Adapters ask it first, before their own checks, so the person
// hears this answer before any other.
func MayInvite(inviterID, inviteeID string) error {
	if inviterID != "" && inviterID == inviteeID {
		return Errorf(EINVALID, "You can't invite yourself. Mend is for two partners together; invite the person you are rebuilding trust with.")
	}
	return nil
}

// Invite proposes a couple. The inviter consents by inviting; the couple stays
// pending until the invitee accepts, or the invitation expires.
func (s *Couples) Invite(ctx context.Context, by Actor, inviterName string, invitee Partner, timeZone string) (Couple, error) {
	guildID := by.GuildID
	inviter := Partner{UserID: by.UserID, Name: strings.TrimSpace(inviterName)}
	invitee.Name = strings.TrimSpace(invitee.Name)
	if err := MayInvite(inviter.UserID, invitee.UserID); err != nil {
		return Couple{}, err
	}
	switch {
	case inviter.UserID == "" || invitee.UserID == "":
		return Couple{}, Errorf(EINVALID, "Both partners need to be named.")
	case inviter.Name == "" || invitee.Name == "":
		return Couple{}, Errorf(EINVALID, "Both partners need a name to show in check-ins.")
	}
	loc, err := LoadZone(timeZone)
	if err != nil {
		return Couple{}, err
	}
	now := s.clock.Now()
	for _, p := range []Partner{inviter, invitee} {
		existing, err := s.stores.Couples.CoupleOf(ctx, guildID, p.UserID)
		if err == nil && !existing.Expired(now) {
			return Couple{}, coupleTaken(existing, p, inviter, invitee, loc)
		}
		if err != nil && ErrorCode(err) != ENOTFOUND {
			return Couple{}, fmt.Errorf("look up couple of %s: %w", p.UserID, err)
		}
	}
	if err := s.mayAskAgain(ctx, guildID, inviter, invitee, now); err != nil {
		return Couple{}, err
	}
	inviter.ConsentedAt, invitee.ConsentedAt = now, time.Time{}
	c := Couple{GuildID: guildID, Partners: [2]Partner{inviter, invitee}, Status: CouplePending, TimeZone: timeZone, CreatedAt: now,
		ExpiresAt: now.Add(s.settings.InvitationExpiry)}
	if err := s.stores.Couples.CreateCouple(ctx, &c); err != nil {
		return Couple{}, fmt.Errorf("create couple: %w", err)
	}
	// Inviting someone lifts a "Don't ask me again" one gave them: the
	// block was theirs to end.
	if err := s.stores.Couples.SetInvitationBlock(ctx, guildID, inviter.UserID, invitee.UserID, false, now); err != nil {
		return Couple{}, fmt.Errorf("lift the invitation block of %s: %w", inviter.UserID, err)
	}
	return c, nil
}

// mayAskAgain refuses a new invitation to a partner who declined the same
// inviter less than DeclineCooldown ago or asked not to be invited by them
// again, with the same words for both and no date, so that the inviter
// learns neither which it was nor when to press again; and one beyond
// MaxInvitations in InvitationWindow.
func (s *Couples) mayAskAgain(ctx context.Context, guildID string, inviter, invitee Partner, now time.Time) error {
	h, err := s.stores.Couples.InvitationHistory(ctx, guildID, inviter.UserID, invitee.UserID, now.Add(-InvitationWindow))
	if err != nil {
		return fmt.Errorf("look up invitations of %s to %s: %w", inviter.UserID, invitee.UserID, err)
	}
	if h.Blocked || (!h.LastDecline.IsZero() && now.Before(h.LastDecline.Add(DeclineCooldown))) {
		return Errorf(ECONFLICT, "%s isn't starting Mend now, so Mend won't send them a new invitation from you for now.", invitee.Name)
	}
	if h.Sent >= MaxInvitations {
		return Errorf(ECONFLICT, "You have invited %s %d times this week. Mend sends at most %d invitations a week to the same person, whatever became of them, so that nobody feels pressed.", invitee.Name, h.Sent, MaxInvitations)
	}
	return nil
}

// errNotYourInvitation refuses anyone but the invitee; it names nobody, since
// whoever pressed may be a stranger to both.
var errNotYourInvitation = Errorf(EUNAUTHORIZED, "This invitation is for someone else, so only they can answer it.")

// Invitation returns a pending couple for its invitee, who alone may answer
// it, in the server it was sent in. An invitation that is closed or expired
// comes back with the error, so that an adapter can show it closed.
func (s *Couples) Invitation(ctx context.Context, by Actor, coupleID int64) (Couple, error) {
	c, err := s.loadCouple(ctx, coupleID)
	if err != nil {
		return Couple{}, err
	}
	if c.Partners[1].UserID != by.UserID {
		return Couple{}, errNotYourInvitation
	}
	if c.Status != CouplePending {
		return c, invitationClosed(c)
	}
	if c.Expired(s.clock.Now()) {
		return c, invitationExpired(c, c.ExpiresAt.Sub(c.CreatedAt))
	}
	if c.GuildID != by.GuildID {
		return Couple{}, Errorf(EUNAUTHORIZED, "This invitation belongs to another server.")
	}
	return c, nil
}

// Accept records the invitee's consent and makes the couple active in its
// private channel.
func (s *Couples) Accept(ctx context.Context, by Actor, coupleID int64, channelID string) (Couple, error) {
	c, err := s.Invitation(ctx, by, coupleID)
	if err != nil {
		return Couple{}, err
	}
	if channelID == "" {
		return Couple{}, fmt.Errorf("accept couple %d: no channel", coupleID)
	}
	now := s.clock.Now()
	c.Partners[1].ConsentedAt = now
	c.Status = CoupleActive
	c.ChannelID = channelID
	var welcome *Post
	if s.settings.Announce {
		welcome = &Post{CoupleID: c.ID, Kind: PostWelcome, CreatedAt: now, NextAttemptAt: now}
	}
	if err := s.stores.Couples.UpdateCouple(ctx, c, welcome); err != nil {
		return Couple{}, fmt.Errorf("accept couple %d: %w", coupleID, err)
	}
	return c, nil
}

// Decline ends a pending invitation at the invitee's wish.
func (s *Couples) Decline(ctx context.Context, by Actor, coupleID int64) (Couple, error) {
	c, err := s.Invitation(ctx, by, coupleID)
	if err != nil {
		return Couple{}, err
	}
	c.Status = CoupleEnded
	c.DeclinedAt = s.clock.Now()
	if err := s.stores.Couples.UpdateCouple(ctx, c, nil); err != nil {
		return Couple{}, fmt.Errorf("decline couple %d: %w", coupleID, err)
	}
	return c, nil
}

// DontAskAgain is the invitee's "Don't ask me again": the inviter cannot
// invite them in this server until they invite the inviter themselves. An
// invitation still waiting is declined with it; one they accepted has
// nothing left to block.
func (s *Couples) DontAskAgain(ctx context.Context, by Actor, coupleID int64) (Couple, error) {
	c, err := s.loadCouple(ctx, coupleID)
	if err != nil {
		return Couple{}, err
	}
	if c.Partners[1].UserID != by.UserID || c.GuildID != by.GuildID {
		return Couple{}, errNotYourInvitation
	}
	if c.Partners[1].Consented() {
		return Couple{}, Errorf(ECONFLICT, "You accepted this invitation, so there is nothing to block. `/couple leave` ends the couple whenever you want, and your partner is never told why.")
	}
	now := s.clock.Now()
	if c.Status == CouplePending && !c.Expired(now) {
		if c, err = s.Decline(ctx, by, coupleID); err != nil {
			return Couple{}, err
		}
	}
	if err := s.stores.Couples.SetInvitationBlock(ctx, c.GuildID, c.Partners[1].UserID, c.Partners[0].UserID, true, now); err != nil {
		return Couple{}, fmt.Errorf("block invitations of couple %d: %w", coupleID, err)
	}
	return c, nil
}

// InvitationPosted records where the inviter's invitation was posted, so
// that it can read closed as soon as it expires.
func (s *Couples) InvitationPosted(ctx context.Context, by Actor, coupleID int64, channelID, messageID string) error {
	c, err := s.loadCouple(ctx, coupleID)
	if err != nil {
		return err
	}
	if c.Partners[0].UserID != by.UserID || c.GuildID != by.GuildID {
		return errNotYourInvitation
	}
	if c.Status != CouplePending {
		// Answered before its post was recorded (a quick partner):
		// an answered invitation never needs closing at its expiry.
		return nil
	}
	if err := s.stores.Couples.SetInvitationPost(ctx, coupleID, channelID, messageID); err != nil {
		return fmt.Errorf("record the post of invitation %d: %w", coupleID, err)
	}
	return nil
}

// Withdraw ends a pending invitation at the wish of the partner who sent it,
// in the guild it was sent in. Withdrawing twice changes nothing.
func (s *Couples) Withdraw(ctx context.Context, by Actor, coupleID int64) (Couple, error) {
	c, err := s.loadCouple(ctx, coupleID)
	if err != nil {
		return Couple{}, err
	}
	if c.Partners[0].UserID != by.UserID || c.GuildID != by.GuildID {
		return Couple{}, Errorf(EUNAUTHORIZED, "Only the person who sent this invitation can withdraw it.")
	}
	switch {
	case c.Status == CoupleActive:
		return Couple{}, Errorf(ECONFLICT, "%s has already accepted, so there is no invitation left to withdraw. `/couple leave` ends the couple if you want to stop.", c.Partners[1].Name)
	case c.Withdrawn():
		return c, nil
	case c.Status == CoupleEnded && !c.DeclinedAt.IsZero():
		return Couple{}, Errorf(ECONFLICT, "%s has already answered this invitation, so there is nothing to withdraw.", c.Partners[1].Name)
	case c.Status == CoupleEnded:
		// Accepted once and ended since: there was no invitation left.
		return Couple{}, Errorf(ECONFLICT, "%s accepted this invitation back then, so there is nothing to withdraw now.", c.Partners[1].Name)
	}
	c.Status = CoupleEnded
	if err := s.stores.Couples.UpdateCouple(ctx, c, nil); err != nil {
		return Couple{}, fmt.Errorf("withdraw invitation %d: %w", coupleID, err)
	}
	return c, nil
}

// EncryptedAtRest reports whether what partners write is stored encrypted,
// which the consent text tells them before they accept.
func (s *Couples) EncryptedAtRest() bool { return s.settings.EncryptedAtRest }

// Of returns the pending or active couple of a user in a guild. An
// invitation that expired is no couple any more.
func (s *Couples) Of(ctx context.Context, by Actor) (Couple, error) {
	userID := by.UserID
	c, err := s.stores.Couples.CoupleOf(ctx, by.GuildID, userID)
	if err == nil && c.Expired(s.clock.Now()) {
		return Couple{}, expiredCouple(c, userID)
	}
	if ErrorCode(err) == ENOTFOUND {
		return Couple{}, s.noCouple(ctx, by)
	}
	if err != nil {
		return Couple{}, fmt.Errorf("look up couple of %s: %w", userID, err)
	}
	return c, nil
}

// noCouple answers someone with no couple here. An inviter whose last
// invitation was declined reads it again, in the same words as the direct
// message that may never have reached them, with no date.
func (s *Couples) noCouple(ctx context.Context, by Actor) error {
	last, err := s.stores.Couples.LastCoupleOf(ctx, by.GuildID, by.UserID)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return fmt.Errorf("look up the last couple of %s: %w", by.UserID, err)
	}
	if err == nil && !last.DeclinedAt.IsZero() && last.Partners[0].UserID == by.UserID {
		return Errorf(ENOTFOUND, "%s isn't starting Mend now. Your invitation is closed, and nothing was started.", last.Partners[1].Name)
	}
	return Errorf(ENOTFOUND, "You are not in a couple here yet.")
}

// Info returns the actor's couple in their server and the check-in open in
// it now, if any. A couple whose channel was deleted is answered with a
// ChannelMissingError, since the channel is what they need first.
func (s *Couples) Info(ctx context.Context, by Actor) (Couple, *CheckIn, error) {
	couple, err := s.Of(ctx, by)
	if err != nil || couple.Status == CouplePending {
		return couple, nil, err
	}
	if couple.ChannelMissing() {
		return Couple{}, nil, &ChannelMissingError{Couple: couple, UserID: by.UserID}
	}
	ci, err := s.currentCheckIn(ctx, couple.ID)
	switch {
	case err == nil:
		return couple, &ci, nil
	case ErrorCode(err) == ENOTFOUND:
		return couple, nil, nil
	}
	return Couple{}, nil, err
}

// Here returns the active couple whose channel the actor acts from, for one
// of its two partners only.
func (s *Couples) Here(ctx context.Context, by Actor) (Couple, error) {
	return s.coupleHere(ctx, by)
}

// OwnedHere is Here for taking or deleting the couple's data, which both
// partners may still do after one of them left.
func (s *Couples) OwnedHere(ctx context.Context, by Actor) (Couple, error) {
	return s.coupleOwnedHere(ctx, by)
}

// ByChannel returns the couple whose private channel this is.
func (s *Couples) ByChannel(ctx context.Context, channelID string) (Couple, error) {
	c, err := s.stores.Couples.CoupleByChannel(ctx, channelID)
	if err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return Couple{}, Errorf(ENOTFOUND, "This channel does not belong to a couple.")
		}
		return Couple{}, fmt.Errorf("look up couple of channel %s: %w", channelID, err)
	}
	return c, nil
}

// RenamePartner changes the name a partner is shown under.
func (s *Couples) RenamePartner(ctx context.Context, by Actor, name string) (Couple, error) {
	c, err := s.coupleOwnedHere(ctx, by)
	if err != nil {
		return Couple{}, err
	}
	i := c.PartnerIndex(by.UserID)
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return Couple{}, Errorf(EINVALID, "A name can't be empty.")
	case c.Partners[i].Name == name:
		return c, nil
	}
	c.Partners[i].Name = name
	if err := s.stores.Couples.UpdateCouple(ctx, c, nil); err != nil {
		return Couple{}, fmt.Errorf("rename partner of couple %d: %w", c.ID, err)
	}
	return c, nil
}

// ErrCoupleEnded answers a partner who leaves a couple that has ended.
var ErrCoupleEnded = Errorf(ECONFLICT, "This couple has already ended.")

// Leave ends a couple at the wish of either partner and, when they ask for
// it, deletes their own answers; nothing else is deleted. Pressed again after
// the deletion failed, it tries the deletion once more.
func (s *Couples) Leave(ctx context.Context, by Actor, coupleID int64, forgetMine bool) (Left, error) {
	c, err := s.end(ctx, by, coupleID)
	again := errors.Is(err, ErrCoupleEnded) && forgetMine
	if again {
		c, err = s.loadCouple(ctx, coupleID)
	}
	if err != nil {
		return Left{}, err
	}
	left := Left{Couple: c, Again: again}
	if forgetMine {
		if left.AnswersDeleted, err = s.forgetAnswersOf(ctx, by, coupleID); err != nil {
			return Left{}, err
		}
	}
	return left, nil
}

// end ends a couple for one of its partners.
func (s *Couples) end(ctx context.Context, by Actor, coupleID int64) (Couple, error) {
	c, err := s.loadCouple(ctx, coupleID)
	if err != nil {
		return Couple{}, err
	}
	if !c.IsPartner(by.UserID) || c.GuildID != by.GuildID {
		return Couple{}, Errorf(EUNAUTHORIZED, "Only the two partners of this couple can end it, in the server they use Mend in.")
	}
	switch c.Status {
	case CoupleEnded:
		return Couple{}, ErrCoupleEnded
	case CouplePending:
		// Ending an invitation is its own answer: a decline starts the
		// cooldown, a withdrawal says who took it back.
		return Couple{}, Errorf(ECONFLICT, "This invitation has not been accepted yet, so there is no couple to leave: %s can decline it, and %s can withdraw it.", c.Partners[1].Name, c.Partners[0].Name)
	}
	c.Status = CoupleEnded
	// The other partner hears it in their channel, through the outbox like
	// every other post, queued with the leave itself.
	var notice *Post
	if s.settings.Announce && c.ChannelID != "" {
		now := s.clock.Now()
		notice = &Post{CoupleID: c.ID, Kind: PostLeft, UserID: by.UserID, CreatedAt: now, NextAttemptAt: now}
	}
	if err := s.stores.Couples.UpdateCouple(ctx, c, notice); err != nil {
		return Couple{}, fmt.Errorf("leave couple %d: %w", coupleID, err)
	}
	return c, nil
}

// Stay answers a partner who was asked whether to leave and chose to stay:
// nothing changes, if the question was theirs to answer.
func (s *Couples) Stay(ctx context.Context, by Actor, coupleID int64) error {
	couple, err := s.Of(ctx, by)
	if err != nil {
		return err
	}
	return belongsTo(couple, coupleID, "button")
}

// belongsTo refuses a button or menu (what) pressed by a partner of another
// couple than the one it was made for.
func belongsTo(c Couple, coupleID int64, what string) error {
	if c.ID != coupleID {
		return Errorf(EUNAUTHORIZED, "That %s belongs to another couple.", what)
	}
	return nil
}

// ChannelLost records that a channel Mend posts to is gone. For a couple's
// channel it pauses the couple (no check-in opens, posts wait) and reports
// true the first time, so that the partners are told once. Any other channel
// is not Mend's concern and returns false.
func (s *Couples) ChannelLost(ctx context.Context, channelID string) (Couple, bool, error) {
	c, err := s.stores.Couples.CoupleByChannel(ctx, channelID)
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
	marked, err := s.stores.Couples.MarkChannelMissing(ctx, c.ID, channelID, now)
	if err != nil {
		return Couple{}, false, fmt.Errorf("record lost channel of couple %d: %w", c.ID, err)
	}
	c.ChannelMissingAt = now
	return c, marked, nil
}

// ChannelToRemake returns the couple whose channel a partner asks to make
// again, after checking that it is theirs and is missing.
func (s *Couples) ChannelToRemake(ctx context.Context, by Actor, coupleID int64) (Couple, error) {
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
// open check-in's message, an open talk's, and every post that waited for
// the channel.
func (s *Couples) ChannelRemade(ctx context.Context, by Actor, coupleID int64, channelID string) (Couple, error) {
	c, err := s.ChannelToRemake(ctx, by, coupleID)
	if err != nil {
		return Couple{}, err
	}
	now := s.clock.Now()
	posts := []Post{{CoupleID: c.ID, Kind: PostWelcome}}
	recent, err := s.stores.CheckIns.CheckIns(ctx, c.ID, 20)
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
	// An open talk goes on from a message of its own in the new channel.
	switch t, err := s.stores.Talks.OpenTalk(ctx, c.ID); {
	case err == nil && now.Before(t.ExpiresAt):
		posts = append(posts, Post{CoupleID: c.ID, Kind: PostTalk, CheckInID: t.CheckInID, TalkID: t.ID})
	case err != nil && ErrorCode(err) != ENOTFOUND:
		return Couple{}, fmt.Errorf("look up the open talk of couple %d: %w", c.ID, err)
	}
	var queue []Post
	for _, p := range posts {
		pending, err := s.stores.Outbox.PostPending(ctx, c.ID, p.Kind, p.CheckInID)
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
	if err := s.stores.Couples.ReplaceChannel(ctx, c.ID, channelID, now, queue); err != nil {
		return Couple{}, fmt.Errorf("record the new channel of couple %d: %w", c.ID, err)
	}
	return s.loadCouple(ctx, c.ID)
}

// timeLayout is how a moment is written in a message: in words, in a zone.
const timeLayout = "Mon 2 Jan 15:04 MST"

// invitationClosed explains why an invitation that is not pending cannot be
// answered any more.
func invitationClosed(c Couple) error {
	if c.Withdrawn() {
		return Errorf(ECONFLICT, "%s withdrew this invitation, so nothing was started.", c.Partners[0].Name)
	}
	return Errorf(ECONFLICT, "This invitation has already been answered.")
}

// invitationExpired answers a button of an invitation nobody answered in time.
func invitationExpired(c Couple, after time.Duration) error {
	return Errorf(ECONFLICT, "This invitation expired on %s, %s after it was sent, so nothing was started. If you both still want to use Mend together, either of you can send a new invitation with `/couple invite`.",
		c.ExpiresAt.In(c.Location()).Format(timeLayout), PlainDuration(after))
}

// expiredCouple answers a partner asking about their couple when all they had
// was an invitation that expired.
func expiredCouple(c Couple, userID string) error {
	when := c.ExpiresAt.In(c.Location()).Format(timeLayout)
	if c.Partners[0].UserID == userID {
		return Errorf(ENOTFOUND, "%s isn't starting Mend now. Your invitation closed on %s, and nothing was started.", c.Partners[1].Name, when)
	}
	return Errorf(ENOTFOUND, "You are not in a couple here. The invitation from %s expired on %s; either of you can send a new one with `/couple invite`.", c.Partners[0].Name, when)
}

// coupleTaken explains why p cannot be part of a new invitation from inviter:
// p is in existing, which is active or a pending invitation still open.
func coupleTaken(existing Couple, p, inviter, invitee Partner, loc *time.Location) error {
	if p.UserID != inviter.UserID {
		// Someone else's invitations and couple are theirs: the refusal
		// names nobody, and reads the same whatever the reason.
		return Errorf(ECONFLICT, "%s", InviteeTaken)
	}
	if existing.Status != CouplePending {
		return Errorf(ECONFLICT, "%s already has a couple here. Each person can be in one couple per server; that couple has to be left first.", p.Name)
	}
	until := existing.ExpiresAt.In(loc).Format(timeLayout)
	sentByInviter := existing.Partners[0].UserID == inviter.UserID
	switch {
	case sentByInviter && existing.Partners[1].UserID == invitee.UserID:
		return Errorf(ECONFLICT, "You have already invited %s; that invitation waits for their answer until %s.", invitee.Name, until)
	case sentByInviter:
		return Errorf(ECONFLICT, "Your invitation to %s is still waiting for an answer, until %s. To invite someone else, withdraw it first: `/couple info` offers that.", existing.Partners[1].Name, until)
	}
	return Errorf(ECONFLICT, "An invitation to you is waiting for your answer, until %s. Please answer it first, with Accept or Decline on the invitation.", until)
}

// InviteeTaken refuses an invitation to someone who already has a couple,
// or an invitation, here: the same words for both, naming nobody, with no
// date to try again, since what someone else has here is theirs to tell.
const InviteeTaken = "Mend can't send this invitation now. Each person can be in one couple here at a time, and whether someone has an invitation or a couple is theirs to tell, so Mend doesn't say more."
