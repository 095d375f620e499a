package conversations

import (
	"fmt"
	"time"
)

// DefaultInvitationExpiry is how long an invitation waits for an answer. A
// week leaves room to think and to talk first; after it, the invitation
// holds nobody and either partner can invite again.
const DefaultInvitationExpiry = 7 * 24 * time.Hour

// DeclineCooldown is how long after a decline the same person cannot invite
// the same partner again: a no deserves room, not a second ask at once.
const DeclineCooldown = 24 * time.Hour

// timeLayout is how a moment is written in a message: in words, in a zone.
const timeLayout = "Mon 2 Jan 15:04 MST"

// Withdrawn reports whether the couple is an invitation its sender took back.
func (c Couple) Withdrawn() bool {
	return c.Status == CoupleEnded && c.DeclinedAt.IsZero() && !c.Partners[1].Consented()
}

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
		c.ExpiresAt.In(c.Location()).Format(timeLayout), plainDuration(after))
}

// expiredCouple answers a partner asking about their couple when all they had
// was an invitation that expired.
func expiredCouple(c Couple, userID string) error {
	when := c.ExpiresAt.In(c.Location()).Format(timeLayout)
	if c.Partners[0].UserID == userID {
		return Errorf(ENOTFOUND, "Your invitation to %s expired on %s without an answer, so nothing was started. `/couple invite` sends a new one whenever you are ready.", c.Partners[1].Name, when)
	}
	return Errorf(ENOTFOUND, "You are not in a couple here. The invitation from %s expired on %s; either of you can send a new one with `/couple invite`.", c.Partners[0].Name, when)
}

// coupleTaken explains why p cannot be part of a new invitation from inviter:
// p is in existing, which is active or a pending invitation still open.
func coupleTaken(existing Couple, p, inviter, invitee Partner, loc *time.Location) error {
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
	case p.UserID == inviter.UserID:
		return Errorf(ECONFLICT, "An invitation to you is waiting for your answer, until %s. Please answer it first, with Accept or Decline on the invitation.", until)
	}
	return Errorf(ECONFLICT, "%s has an invitation here waiting for an answer, until %s. Each person can be in one couple per server, so please try again once it is answered or has expired.", p.Name, until)
}

// plainDuration writes a duration as people say it: "7 days", "36 hours".
func plainDuration(d time.Duration) string {
	day := 24 * time.Hour
	switch {
	case d == day:
		return "1 day"
	case d%day == 0:
		return fmt.Sprintf("%d days", d/day)
	case d == time.Hour:
		return "1 hour"
	case d%time.Hour == 0:
		return fmt.Sprintf("%d hours", d/time.Hour)
	}
	return fmt.Sprintf("%d minutes", d/time.Minute)
}
