package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// The invitation is public and neutral; what accepting means is said to each
// partner privately, to the invitee before anything is created and to the
// inviter when they invite.

// accept is the invitee's first Accept: it creates nothing, and shows
// them privately what accepting means, with the Accept that does.
func (h *coupleHandlers) accept(ctx context.Context, it *interaction, id customID) error {
	couple, err := h.couples.Invitation(ctx, it.actor(), id.ID)
	if err != nil {
		h.closeIfExpired(ctx, it, couple, invitationMessageID(it))
		return err
	}
	return it.reply(consentMessage(couple, false, h.couples.EncryptedAtRest(), invitationMessageID(it)))
}

// invitationMessageID is the public invitation a button was pressed on, or 0
// when it was pressed elsewhere (a private message), which is then not edited.
func invitationMessageID(it *interaction) int64 {
	m := it.Message
	if m == nil || m.Flags&discordgo.MessageFlagsEphemeral != 0 {
		return 0
	}
	n, err := strconv.ParseInt(m.ID, 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// notNow leaves the invitation as it is.
func (h *coupleHandlers) notNow(ctx context.Context, it *interaction, id customID) error {
	couple, err := h.couples.Invitation(ctx, it.actor(), id.ID)
	if err != nil {
		return err
	}
	return it.update(notNowMessage(couple))
}

func (h *coupleHandlers) withdraw(ctx context.Context, it *interaction, id customID) error {
	defer h.locks.lock(fmt.Sprint("couple:", id.ID))()
	couple, err := h.couples.Withdraw(ctx, it.actor(), id.ID)
	if err != nil {
		return err
	}
	h.log.Info("invitation withdrawn", "couple", couple.ID, "guild", couple.GuildID)
	h.editInvitation(ctx, it.ChannelID, id.Message, couple.ID, invitationWithdrawn(couple))
	return it.update(message{Content: fmt.Sprintf("You withdrew your invitation to %s. Nothing was started, and you can invite again whenever you like.", couple.Partners[1].Name)})
}

// tellInviter sends the inviter, privately, what their partner will read
// before accepting. The invitation itself is public, so this comes after it.
func (h *coupleHandlers) tellInviter(ctx context.Context, it *interaction, couple conversations.Couple) error {
	var messageID int64
	if m, err := h.session.InteractionResponse(it.Interaction, discordgo.WithContext(ctx)); err != nil {
		// The note still goes out; only its Withdraw cannot tidy the
		// invitation up.
		h.log.Warn("could not read the invitation just posted", "couple", couple.ID, "err", h.redact(err))
	} else if n, err := strconv.ParseInt(m.ID, 10, 64); err == nil {
		messageID = n
		// Recorded so that the invitation reads closed once it expires.
		if err := h.couples.InvitationPosted(ctx, it.actor(), couple.ID, m.ChannelID, m.ID); err != nil {
			h.log.Warn("could not record where the invitation was posted", "couple", couple.ID, "err", h.redact(err))
		}
	}
	return it.followup(consentMessage(couple, true, h.couples.EncryptedAtRest(), messageID))
}

// editInvitation replaces the public invitation with what became of it. The
// message ID came back from a client, so the message is read first and
// edited only if it is this couple's invitation. Failing is logged, not
// shown: the person's own answer has already been recorded.
func (h *coupleHandlers) editInvitation(ctx context.Context, channelID string, messageID, coupleID int64, m message) {
	if messageID == 0 {
		return
	}
	id := strconv.FormatInt(messageID, 10)
	found, err := h.session.ChannelMessage(channelID, id, discordgo.WithContext(ctx))
	if err != nil {
		h.log.Warn("could not read the invitation to update it", "couple", coupleID, "err", h.redact(err))
		return
	}
	if !slices.Contains(componentIDs(found.Components), customID{Action: actAccept, ID: coupleID}.String()) {
		h.log.Warn("refused to edit a message that is not the couple's invitation", "couple", coupleID, "message", id)
		return
	}
	if _, err := h.session.ChannelMessageEditComplex(m.channelEdit(channelID, id), discordgo.WithContext(ctx)); err != nil {
		h.log.Warn("could not update the invitation", "couple", coupleID, "err", h.redact(err))
	}
}

// componentIDs lists the custom IDs of the buttons and selects of a message
// as Discord returns it.
func componentIDs(rows []discordgo.MessageComponent) []string {
	var ids []string
	for _, row := range rows {
		r, ok := row.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range r.Components {
			switch c := c.(type) {
			case *discordgo.Button:
				ids = append(ids, c.CustomID)
			case *discordgo.SelectMenu:
				ids = append(ids, c.CustomID)
			}
		}
	}
	return ids
}

// consentLines say what accepting means, the same to both partners.
// encrypted is whether what partners write is stored encrypted.
func consentLines(c conversations.Couple, encrypted bool) []string {
	stored := "**Who can read what Mend keeps.** What you write is stored as plain text: the person who runs this Mend can read all of it."
	if encrypted {
		stored = "**Who can read what Mend keeps.** What you write is stored encrypted: nobody can read it from the database or its backups without the key, which the person who runs this Mend keeps."
	}
	return []string{
		fmt.Sprintf("**A channel for the two of you.** Accepting makes a private channel for %s, %s and Mend. Check-ins happen there: each of you answers on your own, and your answers are shown to both of you together once you have both finished.", c.Partners[0].Name, c.Partners[1].Name),
		"**Who else can read it.** Anyone with the **Administrator** permission on this server can read every channel, including that one; Discord does not let a bot change that. A server with only the two of you and Mend is best.",
		"**What Mend keeps.** Your names in this server, your check-in answers, the commitments and agreements you make, and your schedule, for as long as you use Mend; its logs hold IDs and events, never what you write. Either of you can take a copy with `/export`, or have all of it forgotten with `/forget`, at any time.",
		stored,
		"**Not therapy.** " + notATherapist,
	}
}

// consentMessage is what accepting means, privately: for the invitee with
// the Accept that creates the channel, for the inviter with a way to
// withdraw. invitation is the public invitation's message ID, or 0.
func consentMessage(c conversations.Couple, forInviter, encrypted bool, invitation int64) message {
	invitee := c.Partners[1]
	lines := []string{
		fmt.Sprintf("%s invited you to use Mend together. Here is what accepting means.", c.Partners[0].Name),
		fmt.Sprintf("If you are afraid of %s, you don't have to accept or explain.", c.Partners[0].Name),
	}
	title := "Before you accept"
	buttons := []discordgo.MessageComponent{
		discordgo.Button{Label: "Accept", Style: discordgo.SuccessButton, CustomID: customID{Action: actConfirm, ID: c.ID, Message: invitation}.String()},
		discordgo.Button{Label: "Not now", Style: discordgo.SecondaryButton, CustomID: customID{Action: actNotNow, ID: c.ID}.String()},
		dontAskButton(c, invitation),
	}
	closing := "Nothing starts until you press **Accept** below. **Not now** leaves the invitation open" + openUntil(c) + ". **Don't ask me again** closes it, and " + c.Partners[0].Name + " can't invite you here again unless you invite them."
	if forInviter {
		title = "What accepting means"
		lines = []string{fmt.Sprintf("Your invitation is posted. When %s presses Accept, Mend first shows them this, privately, and asks again. It is worth knowing for you too.", invitee.Name)}
		buttons = []discordgo.MessageComponent{
			discordgo.Button{Label: "Withdraw the invitation", Style: discordgo.SecondaryButton, CustomID: customID{Action: actWithdraw, ID: c.ID, Message: invitation}.String()},
		}
		closing = fmt.Sprintf("You can withdraw the invitation as long as %s has not answered it%s.", invitee.Name, staysOpen(c))
	}
	lines = append(append(lines, consentLines(c, encrypted)...), closing)
	return message{
		Ephemeral:  true,
		Embeds:     []*discordgo.MessageEmbed{{Title: title, Color: colorCalm, Description: strings.Join(lines, "\n\n")}},
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: buttons}},
	}
}

// openUntil is " until <when>" for an invitation that expires, else "".
func openUntil(c conversations.Couple) string {
	if c.ExpiresAt.IsZero() {
		return ""
	}
	return " until " + timestamp(c.ExpiresAt, "f")
}

// staysOpen is "; it stays open until <when>" for an invitation that
// expires, else "".
func staysOpen(c conversations.Couple) string {
	if c.ExpiresAt.IsZero() {
		return ""
	}
	return "; it stays open" + openUntil(c)
}

func notNowMessage(c conversations.Couple) message {
	return message{Content: fmt.Sprintf("No rush. Nothing has started, and the invitation stays open%s: press **Accept** on it whenever you are ready, or **Decline** if you would rather not.", openUntil(c))}
}

// acceptedMessage answers the invitee's confirming Accept, privately.
func acceptedMessage(c conversations.Couple) message {
	return message{Content: fmt.Sprintf("You accepted. Your private channel with %s is <#%s>; a welcome is waiting there.", c.Partners[0].Name, c.ChannelID)}
}

// dontAskButton is the invitee's "Don't ask me again" for an invitation;
// invitation is its public message ID, or 0.
func dontAskButton(c conversations.Couple, invitation int64) discordgo.Button {
	return discordgo.Button{Label: "Don't ask me again", Style: discordgo.SecondaryButton, CustomID: customID{Action: actDontAsk, ID: c.ID, Message: invitation}.String()}
}

// invitationClosedMessage replaces a declined or expired public invitation:
// it says nothing about who answered, or how.
func invitationClosedMessage() message {
	return message{Content: "This invitation is closed."}
}

// notStartingMessage tells the inviter, privately, that an invitation
// closed; it gives no date to try again.
func notStartingMessage(c conversations.Couple) message {
	return message{Content: fmt.Sprintf("%s isn't starting Mend now.", c.Partners[1].Name)}
}

// declinedMessage answers the invitee's Decline, privately, with the way
// not to be asked again.
func declinedMessage(c conversations.Couple, invitation int64) message {
	inviter := c.Partners[0].Name
	return message{
		Ephemeral: true,
		Content: fmt.Sprintf("You declined, and nothing was started. The invitation now reads only \"This invitation is closed.\", and %s is told only that you aren't starting Mend now. "+
			"If you would rather %s could not invite you here again, press **Don't ask me again**. They are not told that you pressed it, though if they try again much later they may guess that you would rather not be asked. Inviting them yourself one day lifts it.", inviter, inviter),
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{dontAskButton(c, invitation)}}},
	}
}

// dontAskMessage confirms "Don't ask me again" to the invitee.
func dontAskMessage(c conversations.Couple) message {
	inviter := c.Partners[0].Name
	return message{Content: fmt.Sprintf("Done. %s can't invite you in this server any more; if they try, they read only that you aren't starting Mend now. If you ever want to use Mend with them, invite them yourself with `/couple invite`, and that lifts it.", inviter)}
}

// invitationWithdrawn replaces the public invitation once its sender took
// it back.
func invitationWithdrawn(c conversations.Couple) message {
	return message{Content: fmt.Sprintf("%s withdrew this invitation.", c.Partners[0].Name)}
}

// pendingMessage answers /couple info and /couple leave while the couple is
// still an invitation.
func pendingMessage(c conversations.Couple, userID string) message {
	if c.Partners[0].UserID == userID {
		return message{
			Ephemeral: true,
			Content:   fmt.Sprintf("Your invitation to %s is waiting for their answer%s. Nothing has started yet.", c.Partners[1].Name, openUntil(c)),
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.Button{Label: "Withdraw the invitation", Style: discordgo.SecondaryButton, CustomID: customID{Action: actWithdraw, ID: c.ID}.String()},
			}}},
		}
	}
	return message{Ephemeral: true, Content: fmt.Sprintf("%s invited you to use Mend together, and nothing has started yet. The invitation is open%s: press **Accept** on it to read what accepting means, or **Decline**.", c.Partners[0].Name, openUntil(c))}
}
