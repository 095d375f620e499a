package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// onChannelDelete hears that a channel was deleted; for a couple's channel,
// Mend pauses the couple and tells them.
func (b *Bot) onChannelDelete(s *discordgo.Session, e *discordgo.ChannelDelete) {
	if e.Channel == nil {
		return
	}
	b.inflight.Add(1)
	defer b.inflight.Done()
	ctx, cancel := context.WithTimeout(b.life, 30*time.Second)
	defer cancel()
	b.safely("channel delete", func() { b.channelLost(ctx, e.ID) }, "channel", e.ID)
}

// channelLost records that a channel Mend posts to is gone. The first time
// for a couple's channel, both partners are told by direct message where they
// allow it; either way Mend tells them the next time they use it.
func (b *Bot) channelLost(ctx context.Context, channelID string) {
	couple, first, err := b.app.Couples.ChannelLost(ctx, channelID)
	if err != nil {
		b.log.Error("could not record a lost channel", "channel", channelID, "err", err)
		return
	}
	if !first {
		return
	}
	b.log.Warn("a couple's channel is gone; their check-ins are paused until it is made again", "couple", couple.ID, "channel", channelID)
	for _, p := range couple.Partners {
		m := channelLostDM(couple, p.UserID)
		dm, err := b.session.UserChannelCreate(p.UserID, discordgo.WithContext(ctx))
		if err == nil {
			_, err = b.session.ChannelMessageSendComplex(dm.ID, m.send(), discordgo.WithContext(ctx))
		}
		if err != nil {
			b.log.Info("could not tell a partner by direct message that their channel is gone", "couple", couple.ID, "user", p.UserID, "err", err)
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

// coupleRemake makes a couple's deleted channel again and fills it.
func (b *Bot) coupleRemake(ctx context.Context, it *interaction, id customID) error {
	// One press at a time per couple: a double click must not make two channels.
	defer b.locks.lock(fmt.Sprint("couple:", id.ID))()
	couple, err := b.app.Couples.ChannelToRemake(ctx, it.actor(), id.ID)
	if err != nil {
		return err
	}
	if err := it.deferUpdate(); err != nil {
		return err
	}
	channel, err := b.createCoupleChannel(ctx, couple)
	if err != nil {
		return err
	}
	couple, err = b.app.Couples.ChannelRemade(ctx, it.actor(), id.ID, channel.ID)
	if err != nil {
		if _, delErr := b.session.ChannelDelete(channel.ID, discordgo.WithContext(ctx)); delErr != nil {
			b.log.Error("could not remove a channel after a failed remake", "channel", channel.ID, "err", delErr)
		}
		return err
	}
	b.log.Info("couple channel made again", "couple", couple.ID, "channel", channel.ID)
	b.sendQueued(ctx)
	return it.editOriginal(message{Content: fmt.Sprintf("Your channel is back: <#%s>. Your check-ins go on as scheduled, and your latest answers are being posted there.", channel.ID)})
}

// repostReveal queues a reveal that never reached the channel again.
func (b *Bot) repostReveal(ctx context.Context, it *interaction, id customID) error {
	if _, err := b.app.CheckIns.RepostReveal(ctx, it.actor(), id.ID); err != nil {
		return err
	}
	if err := it.reply(message{Ephemeral: true, Content: "Your answers are on their way to the channel."}); err != nil {
		return err
	}
	b.sendQueued(ctx)
	return nil
}

func repostRow(checkInID int64) discordgo.ActionsRow {
	return discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Post the reveal again", Style: discordgo.PrimaryButton, CustomID: customID{Action: actRepost, ID: checkInID}.String()},
	}}
}

// asChannelMissing finds a ChannelMissingError in err.
func asChannelMissing(err error) (*conversations.ChannelMissingError, bool) {
	var e *conversations.ChannelMissingError
	ok := errors.As(err, &e)
	return e, ok
}
