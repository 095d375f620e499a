package conversations

import "context"

// Actor is who asks, and from where. Every request a person makes carries
// one, and the service checks all of it against the couple: one of its two
// partners, in the couple's own guild and channel. The console is a place of
// its own (a guild and channel named for it), so it passes the same check.
type Actor struct {
	UserID    string
	GuildID   string
	ChannelID string
}

// checkInFor loads a check-in for a partner acting from the couple's
// channel, so that an adapter authorizes once, by passing the actor in.
func (s *Service) checkInFor(ctx context.Context, by Actor, checkInID int64) (CheckIn, Couple, error) {
	ci, couple, err := s.CheckIn(ctx, checkInID, by.UserID)
	if err != nil {
		return ci, couple, err
	}
	if couple.ChannelID != by.ChannelID || couple.GuildID != by.GuildID {
		return CheckIn{}, Couple{}, Errorf(EUNAUTHORIZED, "That check-in belongs to another channel.")
	}
	return ci, couple, nil
}
