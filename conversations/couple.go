package conversations

import (
	"strings"
	"time"
)

// CoupleStatus is where a couple is in the consent flow.
type CoupleStatus string

const (
	// CouplePending: one partner invited the other, who has not accepted yet.
	CouplePending CoupleStatus = "pending"
	// CoupleActive: both partners consented; check-ins can run.
	CoupleActive CoupleStatus = "active"
	// CoupleEnded: the invitation was declined or a partner left.
	CoupleEnded CoupleStatus = "ended"
)

// Partner is one person of a couple, known by their Discord user ID.
type Partner struct {
	UserID string
	Name   string
	// ConsentedAt is zero until this partner agreed to use Mend together.
	ConsentedAt time.Time
}

// Consented reports whether this partner has agreed to the couple.
func (p Partner) Consented() bool { return !p.ConsentedAt.IsZero() }

// ConsoleGuild is the guild ID of a couple that checks in at a console
// rather than on Discord. No Discord guild has it (Discord's IDs are
// numbers). Nothing is queued for such a couple's channel: the console shows
// everything itself, and a bot on the same database must not try to deliver
// to a channel that does not exist.
const ConsoleGuild = "console"

// Couple is two partners who agreed to check in together. Partners[0] is the one
// who sent the invitation.
type Couple struct {
	ID        int64
	GuildID   string
	ChannelID string
	Partners  [2]Partner
	Status    CoupleStatus
	// TimeZone is an IANA name; due dates and schedules are read in it.
	TimeZone  string
	CreatedAt time.Time
	// ChannelMissingAt is when Mend found the couple's channel deleted; zero
	// while it exists. Until it is made again nothing is posted and no
	// check-in opens.
	ChannelMissingAt time.Time
	// ExpiresAt is when a pending invitation stops waiting for an answer;
	// zero for couples invited before invitations expired.
	ExpiresAt time.Time
	// DeclinedAt is when the invitee declined; zero otherwise.
	DeclinedAt time.Time
	// InvitationChannelID and InvitationMessageID are the adapter's
	// references to the public invitation, empty until it is posted.
	InvitationChannelID string
	InvitationMessageID string
}

// ChannelMissing reports whether the couple's channel was deleted and not
// made again yet.
func (c Couple) ChannelMissing() bool { return !c.ChannelMissingAt.IsZero() }

// Expired reports whether the couple is an invitation nobody answered in
// time: it no longer holds either partner, and its buttons only say so.
func (c Couple) Expired(now time.Time) bool {
	return c.Status == CouplePending && !c.ExpiresAt.IsZero() && !now.Before(c.ExpiresAt)
}

// PartnerIndex returns 0 or 1 for a partner of the couple and -1 for anyone else.
func (c Couple) PartnerIndex(userID string) int {
	for i, p := range c.Partners {
		if userID != "" && p.UserID == userID {
			return i
		}
	}
	return -1
}

// IsPartner reports whether userID is one of the two partners.
func (c Couple) IsPartner(userID string) bool { return c.PartnerIndex(userID) >= 0 }

// NameOf returns the name of the partner with userID, or "" for anyone else.
func (c Couple) NameOf(userID string) string {
	if i := c.PartnerIndex(userID); i >= 0 {
		return c.Partners[i].Name
	}
	return ""
}

// Other returns the partner who is not userID.
func (c Couple) Other(userID string) Partner {
	if c.PartnerIndex(userID) == 0 {
		return c.Partners[1]
	}
	return c.Partners[0]
}

// Location returns the couple's time zone, or UTC when it is unset or unknown to
// this machine (the zone is validated when it is set, so that is a fallback only).
func (c Couple) Location() *time.Location {
	if c.TimeZone == "" {
		return time.UTC
	}
	loc, err := loadLocation(c.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// LoadZone resolves an IANA time zone name, with an error a partner can act on.
func LoadZone(name string) (*time.Location, error) {
	if strings.TrimSpace(name) == "" || strings.EqualFold(name, "local") {
		return nil, Errorf(EINVALID, "Please name a time zone such as Europe/Berlin or America/New_York.")
	}
	loc, err := loadLocation(name)
	if err != nil {
		return nil, Errorf(EINVALID, "%q is not a time zone Mend knows. Time zones are written like Europe/Berlin, America/New_York or Asia/Tokyo.", name)
	}
	return loc, nil
}

// Withdrawn reports whether the couple is an invitation its sender took back.
func (c Couple) Withdrawn() bool {
	return c.Status == CoupleEnded && c.DeclinedAt.IsZero() && !c.Partners[1].Consented()
}

// Today is the date now in the couple's zone.
func (c Couple) Today(now time.Time) string {
	return now.In(c.Location()).Format(DateLayout)
}
