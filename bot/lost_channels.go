package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// lostChannels hears from the sender, the refresher and the gateway that a
// channel Mend posts to was deleted.
type lostChannels struct {
	couples *conversations.Couples
	session *discordgo.Session
	log     *slog.Logger
	// locks holds a second report of a channel until the first has told the
	// partners, so that whoever reports it returns with them told: the
	// sender and the refresher can meet the same 404 at once.
	locks *keyedMutex
}

// report records that a channel Mend posts to is gone. The first time for a
// couple's channel, both partners are told by direct message where they
// allow it; either way Mend tells them the next time they use it.
func (h lostChannels) report(ctx context.Context, channelID string) {
	defer h.locks.lock("channel:" + channelID)()
	couple, first, err := h.couples.ChannelLost(ctx, channelID)
	if err != nil {
		h.log.Error("could not record a lost channel", "channel", channelID, "err", err)
		return
	}
	if !first {
		return
	}
	h.log.Warn("a couple's channel is gone; their check-ins are paused until it is made again", "couple", couple.ID, "channel", channelID)
	for _, p := range couple.Partners {
		m := channelLostDM(couple, p.UserID)
		dm, err := h.session.UserChannelCreate(p.UserID, discordgo.WithContext(ctx))
		if err == nil {
			_, err = h.session.ChannelMessageSendComplex(dm.ID, m.send(), discordgo.WithContext(ctx))
		}
		if err != nil {
			h.log.Info("could not tell a partner by direct message that their channel is gone", "couple", couple.ID, "user", p.UserID, "err", err)
		}
	}
}

func channelLostDM(c conversations.Couple, userID string) message {
	return message{Content: fmt.Sprintf("Your private Mend channel with %s was deleted, so Mend has paused your check-ins. Nothing either of you wrote is lost. "+
		"Use any Mend command in the server (`/couple info`, say) and Mend will offer to make the channel again and post your latest answers there.",
		c.Other(userID).Name)}
}

// channelMissingMessage answers a partner whose couple's channel is gone,
// whatever they asked for, with the way to make it again.
func channelMissingMessage(e *conversations.ChannelMissingError) message {
	return message{
		Ephemeral: true,
		Content:   conversations.ErrorMessage(e),
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Make our channel again", Style: discordgo.PrimaryButton, CustomID: customID{Action: actRemake, ID: e.Couple.ID}.String()},
		}}},
	}
}

// asChannelMissing finds a ChannelMissingError in err.
func asChannelMissing(err error) (*conversations.ChannelMissingError, bool) {
	var e *conversations.ChannelMissingError
	ok := errors.As(err, &e)
	return e, ok
}
