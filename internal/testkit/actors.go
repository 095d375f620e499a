package testkit

import (
	"context"
	"testing"

	"mend/conversations"
)

// coupleReader is where a test reads a couple it acts for: the storage
// adapter's couples, or any double of them.
type coupleReader interface {
	Couple(ctx context.Context, id int64) (conversations.Couple, error)
}

// Actor is userID acting from the channel of the couple with coupleID, as
// the couple is stored now.
func Actor(tb testing.TB, couples coupleReader, coupleID int64, userID string) conversations.Actor {
	tb.Helper()
	c, err := couples.Couple(tb.Context(), coupleID)
	if err != nil {
		tb.Fatalf("couple %d: %v", coupleID, err)
	}
	return conversations.Actor{UserID: userID, GuildID: c.GuildID, ChannelID: c.ChannelID}
}

// InGuild is userID acting in the guild of the couple with coupleID, from no
// channel of theirs, as an invitation is answered.
func InGuild(tb testing.TB, couples coupleReader, coupleID int64, userID string) conversations.Actor {
	tb.Helper()
	by := Actor(tb, couples, coupleID, userID)
	by.ChannelID = ""
	return by
}

// FirstPartner is the inviting partner of the couple with coupleID, acting
// from the couple's channel.
func FirstPartner(tb testing.TB, couples coupleReader, coupleID int64) conversations.Actor {
	tb.Helper()
	c, err := couples.Couple(tb.Context(), coupleID)
	if err != nil {
		tb.Fatalf("couple %d: %v", coupleID, err)
	}
	return conversations.Actor{UserID: c.Partners[0].UserID, GuildID: c.GuildID, ChannelID: c.ChannelID}
}
