package bot

import (
	"context"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// checkInHandlers answer /checkin and what the channel shows of a
// check-in: its reveal's buttons, a repost and a share.
type checkInHandlers struct {
	*shared
	couples  *conversations.Couples
	checkIns *conversations.CheckIns
}

// /checkin: open one now, or see where you both are.
var checkInCommand = command{
	name: "checkin", description: "Check-ins in your couple channel",
	subcommands: []command{
		{name: "now", description: "Start a check-in now", handle: func(g *groups) handler { return g.checkIns.openNow }, deferral: deferPrivately},
		{name: "status", description: "See where you both are in the check-in", handle: func(g *groups) handler { return g.checkIns.status }},
	},
}

func (h *checkInHandlers) openNow(ctx context.Context, it *interaction) error {
	couple, err := h.couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	if err := it.deferReply(true); err != nil {
		return err
	}
	ci, err := h.checkIns.Open(ctx, it.actor(), "")
	if err != nil {
		return err
	}
	h.log.Info("check-in opened", "couple", couple.ID, "checkin", ci.ID, "by", it.userID())
	h.metrics.CheckIns(CheckInsOpened, 1)
	// The post was queued with the check-in and is on its way; the Start
	// button is here too, so nobody waits for it.
	h.sender.sendQueued(ctx)
	m := message{Ephemeral: true, Content: "Your check-in has started. Each of you can press **Start my check-in**, here or on its message in the channel.", Components: startRow(ci.ID)}
	return it.editOriginal(m)
}

func startRow(checkInID int64) []discordgo.MessageComponent {
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Start my check-in", Style: discordgo.PrimaryButton, CustomID: customID{Action: actStart, ID: checkInID}.String()},
	}}}
}

func (h *checkInHandlers) status(ctx context.Context, it *interaction) error {
	st, err := h.checkIns.Status(ctx, it.actor())
	if err != nil {
		return err
	}
	m := statusMessage(st.Open, st.Couple, st.Now)
	if st.Open != nil {
		m.Components = startRow(st.Open.ID)
		m.Content += comingUpText(st.ComingUp, st.Couple)
	}
	if st.Undelivered != nil {
		m.Content += fmt.Sprintf("\n\nThe answers of your check-in of %s never reached this channel.", st.Undelivered.OpenedAt.In(st.Couple.Location()).Format("Mon 2 Jan"))
		m.Components = append(m.Components, repostRow(st.Undelivered.ID))
	}
	return it.reply(m)
}

// share asks the other partner, in the channel, whether to see the answers
// of a partner who finished a closed check-in: nothing is shown unless they
// say yes.
func (h *checkInHandlers) share(ctx context.Context, it *interaction, id customID) error {
	couple, err := h.checkIns.ShareAnyway(ctx, it.actor(), id.ID)
	if err != nil {
		return err
	}
	return it.reply(shareAskMessage(couple, it.userID(), id.ID))
}

// shareAllowed is the other partner's "Yes, show them": the answers are
// queued for the channel.
func (h *checkInHandlers) shareAllowed(ctx context.Context, it *interaction, id customID) error {
	r, err := h.checkIns.AllowShare(ctx, it.actor(), id.ID)
	if err != nil {
		return err
	}
	if err := it.update(message{Content: fmt.Sprintf("%s said yes; %s's answers are shown below.", r.Couple.NameOf(it.userID()), r.Couple.Other(it.userID()).Name)}); err != nil {
		return err
	}
	h.sender.sendQueued(ctx)
	return nil
}

// shareDeclined is the other partner's "Not now": nothing is shown.
func (h *checkInHandlers) shareDeclined(ctx context.Context, it *interaction, id customID) error {
	if _, err := h.checkIns.DeclineShare(ctx, it.actor(), id.ID); err != nil {
		return err
	}
	return it.update(message{Content: "Not now. Nothing was shown; the answers stay with the one who wrote them."})
}

// repostReveal queues a reveal that never reached the channel again.
func (h *checkInHandlers) repostReveal(ctx context.Context, it *interaction, id customID) error {
	if _, err := h.checkIns.RepostReveal(ctx, it.actor(), id.ID); err != nil {
		return err
	}
	if err := it.reply(message{Ephemeral: true, Content: "Your answers are on their way to the channel."}); err != nil {
		return err
	}
	h.sender.sendQueued(ctx)
	return nil
}

func repostRow(checkInID int64) discordgo.ActionsRow {
	return discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Post our answers again", Style: discordgo.PrimaryButton, CustomID: customID{Action: actRepost, ID: checkInID}.String()},
	}}
}
