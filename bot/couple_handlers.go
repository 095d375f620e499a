package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// coupleHandlers answer /couple and the invitation's buttons: invite,
// consent, leave, and a channel made again.
type coupleHandlers struct {
	*shared
	couples *conversations.Couples
	// timeZone is the zone a new couple starts in; categoryID, where their
	// channel is made.
	timeZone, categoryID string
}

// /couple: invite a partner, see the couple, or leave.
var coupleCommand = command{
	name: "couple", description: "Start or manage Mend with your partner",
	subcommands: []command{
		{
			name: "invite", description: "Invite your partner to check in together; they must accept", handle: func(g *groups) handler { return g.couples.invite },
			options: []*discordgo.ApplicationCommandOption{{
				Type: discordgo.ApplicationCommandOptionUser, Name: "partner", Description: "Your partner", Required: true,
			}},
		},
		{name: "info", description: "Show your couple", handle: func(g *groups) handler { return g.couples.info }},
		{name: "leave", description: "Stop using Mend together (asks you to confirm)", handle: func(g *groups) handler { return g.couples.leave }},
	},
}

func (h *coupleHandlers) invite(ctx context.Context, it *interaction) error {
	data := it.ApplicationCommandData()
	opt := option(data, "partner")
	if opt == nil || data.Resolved == nil || data.Resolved.Users[fmt.Sprint(opt.Value)] == nil {
		return conversations.Errorf(conversations.EINVALID, "Please choose your partner from the list of server members.")
	}
	partnerID := fmt.Sprint(opt.Value)
	partner := data.Resolved.Users[partnerID]
	name := partner.DisplayName()
	if m := data.Resolved.Members[partnerID]; m != nil && m.Nick != "" {
		name = m.Nick
	}
	if err := conversations.MayInvite(it.userID(), partnerID); err != nil {
		return err
	}
	switch {
	case partner.Bot:
		return conversations.Errorf(conversations.EINVALID, "%s is a bot. Invite the person you are rebuilding trust with.", name)
	case it.AppPermissions&discordgo.PermissionManageChannels == 0:
		return conversations.Errorf(conversations.EINVALID, "Mend needs the **Manage Channels** permission in this server to make your private channel. A server admin can grant it (or re-invite the bot with `mend invite-url`), then try again.")
	}
	couple, err := h.couples.Invite(ctx, it.actor(), it.displayName(), conversations.Partner{UserID: partnerID, Name: name}, h.timeZone)
	if err != nil {
		return err
	}
	if err := it.reply(invitationMessage(couple)); err != nil {
		return err
	}
	return h.tellInviter(ctx, it, couple)
}

// confirm is the invitee's second Accept, after reading what accepting
// means: only this one makes the channel.
func (h *coupleHandlers) confirm(ctx context.Context, it *interaction, id customID) error {
	// One press at a time per couple: a double click must not make two channels.
	defer h.locks.lock(fmt.Sprint("couple:", id.ID))()
	couple, err := h.couples.Invitation(ctx, it.actor(), id.ID)
	if err != nil {
		h.closeIfExpired(ctx, it, couple, id.Message)
		return err
	}
	couple, channel, err := h.inNewChannel(ctx, it, couple, "accept", func(channelID string) (conversations.Couple, error) {
		return h.couples.Accept(ctx, it.actor(), id.ID, channelID)
	})
	if err != nil {
		return err
	}
	h.log.Info("couple accepted", "couple", couple.ID, "guild", couple.GuildID, "channel", channel.ID)
	// The welcome was queued with the acceptance; send it now.
	h.sender.sendQueued(ctx)
	h.editInvitation(ctx, it.ChannelID, id.Message, couple.ID, invitationAnswered(couple))
	return it.editOriginal(acceptedMessage(couple))
}

var channelNameUnsafe = regexp.MustCompile(`[^a-z0-9]+`)

func channelSlug(name string) string {
	s := strings.Trim(channelNameUnsafe.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if len(s) > 30 {
		s = strings.Trim(s[:30], "-")
	}
	if s == "" {
		s = "partner"
	}
	return s
}

// createCoupleChannel makes the private channel: nobody but the two partners
// and the bot can see it.
func (h *coupleHandlers) createCoupleChannel(ctx context.Context, c conversations.Couple) (*discordgo.Channel, error) {
	partnerPerms := int64(discordgo.PermissionViewChannel | discordgo.PermissionSendMessages |
		discordgo.PermissionReadMessageHistory | discordgo.PermissionAttachFiles | discordgo.PermissionEmbedLinks)
	botPerms := partnerPerms
	overwrites := []*discordgo.PermissionOverwrite{
		// The @everyone role has the guild's ID.
		{ID: c.GuildID, Type: discordgo.PermissionOverwriteTypeRole, Deny: discordgo.PermissionViewChannel},
		{ID: c.Partners[0].UserID, Type: discordgo.PermissionOverwriteTypeMember, Allow: partnerPerms},
		{ID: c.Partners[1].UserID, Type: discordgo.PermissionOverwriteTypeMember, Allow: partnerPerms},
		{ID: h.session.State.User.ID, Type: discordgo.PermissionOverwriteTypeMember, Allow: botPerms},
	}
	channel, err := h.session.GuildChannelCreateComplex(c.GuildID, discordgo.GuildChannelCreateData{
		Name:                 "mend-" + channelSlug(c.Partners[0].Name) + "-" + channelSlug(c.Partners[1].Name),
		Type:                 discordgo.ChannelTypeGuildText,
		Topic:                fmt.Sprintf("Private check-ins for %s and %s, with Mend.", c.Partners[0].Name, c.Partners[1].Name),
		ParentID:             h.categoryID,
		PermissionOverwrites: overwrites,
	}, discordgo.WithContext(ctx))
	if err != nil {
		var rest *discordgo.RESTError
		if errors.As(err, &rest) && rest.Response != nil && rest.Response.StatusCode == http.StatusForbidden {
			return nil, conversations.Errorf(conversations.EINVALID, "Mend could not create your private channel: it lacks a permission here. It needs Manage Channels, View Channel, Send Messages, Embed Links, Attach Files and Read Message History (`mend invite-url` asks for exactly these). Nothing was changed; a server admin can grant them, then press Accept again.")
		}
		if full := channelLimit(err); full != "" {
			h.log.Warn("cannot create a couple's channel: "+full+"; the invitation stays open until there is room",
				"couple", c.ID, "guild", c.GuildID, "category", h.categoryID)
			return nil, conversations.Errorf(conversations.EINVALID, "Mend could not create your private channel: %s. Nothing was changed and the invitation is still open: once a server admin has made room, press Accept again.", full)
		}
		return nil, fmt.Errorf("create channel for couple %d: %w", c.ID, err)
	}
	return channel, nil
}

// Discord's answers when a server has no room for another channel.
const (
	// codeMaxGuildChannels: the server has its 500 channels.
	codeMaxGuildChannels = 30013
	// categoryFull is the form error on parent_id when the category holds
	// its 50 channels.
	categoryFull = "CHANNEL_PARENT_MAX_CHANNELS"
)

// channelLimit says which of Discord's limits refused a new channel, or ""
// when err is not one of them.
func channelLimit(err error) string {
	var rest *discordgo.RESTError
	if !errors.As(err, &rest) {
		return ""
	}
	switch {
	case rest.Message != nil && rest.Message.Code == codeMaxGuildChannels:
		return "this server has reached Discord's limit of 500 channels"
	case bytes.Contains(rest.ResponseBody, []byte(categoryFull)):
		return "the category Mend puts couples' channels in has reached Discord's limit of 50 channels"
	}
	return ""
}

// decline closes the public invitation without saying who answered or how,
// tells the inviter privately, and offers the invitee, privately, not to be
// asked again.
func (h *coupleHandlers) decline(ctx context.Context, it *interaction, id customID) error {
	defer h.locks.lock(fmt.Sprint("couple:", id.ID))()
	couple, err := h.couples.Decline(ctx, it.actor(), id.ID)
	if err != nil {
		h.closeIfExpired(ctx, it, couple, invitationMessageID(it))
		return err
	}
	if err := it.update(invitationClosedMessage()); err != nil {
		return err
	}
	h.tellInviterNotNow(ctx, couple)
	return it.followup(declinedMessage(couple, invitationMessageID(it)))
}

// dontAsk is the invitee's "Don't ask me again", after a decline or instead
// of one; an invitation still waiting is closed with it.
func (h *coupleHandlers) dontAsk(ctx context.Context, it *interaction, id customID) error {
	defer h.locks.lock(fmt.Sprint("couple:", id.ID))()
	_, waiting := h.couples.Invitation(ctx, it.actor(), id.ID)
	couple, err := h.couples.DontAskAgain(ctx, it.actor(), id.ID)
	if err != nil {
		return err
	}
	// Who asked not to be invited by whom is theirs: the log says only that
	// it happened.
	h.log.Info("invitations blocked")
	if waiting == nil {
		h.editInvitation(ctx, it.ChannelID, id.Message, couple.ID, invitationClosedMessage())
		h.tellInviterNotNow(ctx, couple)
	}
	return it.update(dontAskMessage(couple))
}

// closeIfExpired shows a public invitation that expired as closed, once its
// invitee presses one of its buttons.
func (h *coupleHandlers) closeIfExpired(ctx context.Context, it *interaction, couple conversations.Couple, messageID int64) {
	if couple.ID != 0 && couple.Expired(h.now()) {
		h.editInvitation(ctx, it.ChannelID, messageID, couple.ID, invitationClosedMessage())
	}
}

// tellInviterNotNow tells the inviter by direct message that their
// invitation closed, in words that say neither how nor when to try again.
// Closed direct messages are logged: the decline itself is recorded.
func (h *coupleHandlers) tellInviterNotNow(ctx context.Context, c conversations.Couple) {
	dm, err := h.session.UserChannelCreate(c.Partners[0].UserID, discordgo.WithContext(ctx))
	if err == nil {
		_, err = h.session.ChannelMessageSendComplex(dm.ID, notStartingMessage(c).send(), discordgo.WithContext(ctx))
	}
	if err != nil {
		h.log.Info("could not tell the inviter their invitation closed", "couple", c.ID, "err", h.redact(err))
	}
}

func (h *coupleHandlers) info(ctx context.Context, it *interaction) error {
	couple, current, err := h.couples.Info(ctx, it.actor())
	if err != nil {
		return err
	}
	if couple.Status == conversations.CouplePending {
		return it.reply(pendingMessage(couple, it.userID()))
	}
	return it.reply(coupleInfoMessage(couple, current))
}

func (h *coupleHandlers) leave(ctx context.Context, it *interaction) error {
	couple, err := h.couples.Of(ctx, it.actor())
	if err != nil {
		return err
	}
	if couple.Status == conversations.CouplePending {
		return it.reply(pendingMessage(couple, it.userID()))
	}
	return it.reply(leaveConfirmMessage(couple, it.userID()))
}

func (h *coupleHandlers) leaveConfirmed(ctx context.Context, it *interaction, id customID) error {
	left, err := h.couples.Leave(ctx, it.actor(), id.ID, id.Number == 1)
	if err != nil {
		return err
	}
	text := "You have left Mend. Take care of yourself."
	if id.Number == 1 {
		n := left.AnswersDeleted
		text = fmt.Sprintf("You have left Mend, and your %d answer%s were deleted from Mend. Answers already shown in the channel stay there as messages until the channel is deleted. Take care of yourself.", n, plural(n))
	}
	if err := it.update(message{Content: text}); err != nil {
		return err
	}
	// The notice to the channel was queued with the leave; send it now.
	h.sender.sendQueued(ctx)
	return nil
}

func (h *coupleHandlers) stay(ctx context.Context, it *interaction, id customID) error {
	// Only the partner who was asked may answer, like every other button.
	if err := h.couples.Stay(ctx, it.actor(), id.ID); err != nil {
		return err
	}
	return it.update(message{Content: "Nothing changed. You are still using Mend together."})
}

// remakeChannel makes a couple's deleted channel again and fills it.
func (h *coupleHandlers) remakeChannel(ctx context.Context, it *interaction, id customID) error {
	// One press at a time per couple: a double click must not make two channels.
	defer h.locks.lock(fmt.Sprint("couple:", id.ID))()
	couple, err := h.couples.ChannelToRemake(ctx, it.actor(), id.ID)
	if err != nil {
		return err
	}
	couple, channel, err := h.inNewChannel(ctx, it, couple, "remake", func(channelID string) (conversations.Couple, error) {
		return h.couples.ChannelRemade(ctx, it.actor(), id.ID, channelID)
	})
	if err != nil {
		return err
	}
	h.log.Info("couple channel made again", "couple", couple.ID, "channel", channel.ID)
	h.sender.sendQueued(ctx)
	return it.editOriginal(message{Content: fmt.Sprintf("Your channel is back: <#%s>. Your check-ins go on as scheduled, and your latest answers are being posted there.", channel.ID)})
}

// inNewChannel acknowledges the press, makes the couple's channel and has
// record store it; a channel record refuses is removed again. step names what
// failed in the log.
func (h *coupleHandlers) inNewChannel(ctx context.Context, it *interaction, couple conversations.Couple, step string, record func(channelID string) (conversations.Couple, error)) (conversations.Couple, *discordgo.Channel, error) {
	if err := it.deferUpdate(); err != nil {
		return couple, nil, err
	}
	channel, err := h.createCoupleChannel(ctx, couple)
	if err != nil {
		return couple, nil, err
	}
	couple, err = record(channel.ID)
	if err != nil {
		if _, delErr := h.session.ChannelDelete(channel.ID, discordgo.WithContext(ctx)); delErr != nil {
			h.log.Error("could not remove a channel after a failed "+step, "channel", channel.ID, "err", delErr)
		}
		return couple, nil, err
	}
	return couple, channel, nil
}
