package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// agreementHandlers answer /agreement and an agreement's buttons.
type agreementHandlers struct {
	*shared
	couples    *conversations.Couples
	agreements *conversations.Agreements
}

// /agreement: rules set together; each counts once the partner agrees, and
// either partner can end one.
var agreementCommand = command{
	name: "agreement", description: "Agreements you make together, reviewed at every check-in",
	subcommands: []command{
		{
			name: "add", description: "Propose an agreement; it counts once your partner agrees. Like: Sunday evenings are for us", handle: func(g *groups) handler { return g.agreements.propose },
			options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionString, Name: "text", Description: "Something that protects you both, like: we tell each other before plans that affect both of us", Required: true, MaxLength: 300}},
		},
		{name: "list", description: "Your agreements", handle: func(g *groups) handler { return g.agreements.list }},
		{
			name: "end", description: "End an agreement; your partner is told, and you can talk about it at the next check-in", handle: func(g *groups) handler { return g.agreements.end },
			options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionInteger, Name: "agreement", Description: "Which one", Required: true, Autocomplete: true}},
			suggest: map[string]bindSuggester{"agreement": func(g *groups) suggester { return g.commitments.suggestSubjects }},
		},
	},
}

// An agreement binds both partners, so the one who did not propose it answers
// in the channel: [We agree], [Let's talk first] or [Not for me], and the
// proposer may [Withdraw]. A proposal to retire one, from before either
// partner could end one alone, is still answered with the same buttons.

func (h *agreementHandlers) propose(ctx context.Context, it *interaction) error {
	couple, err := h.couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	a, err := h.agreements.Propose(ctx, it.actor(), stringOption(it.ApplicationCommandData(), "text"))
	if err != nil {
		return err
	}
	return it.reply(proposalMessage(a, couple))
}

func (h *agreementHandlers) end(ctx context.Context, it *interaction) error {
	couple, err := h.couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	a, err := h.agreements.End(ctx, it.actor(), intOption(it.ApplicationCommandData(), "agreement", 0))
	if err != nil {
		return err
	}
	return it.reply(endedMessage(a, couple))
}

func (h *agreementHandlers) notForMe(ctx context.Context, it *interaction, id customID) error {
	couple, err := h.couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	a, err := h.agreements.NotForMe(ctx, it.actor(), id.ID)
	if err != nil {
		return err
	}
	return it.update(notForMeMessage(a, couple))
}

func (h *agreementHandlers) list(ctx context.Context, it *interaction) error {
	couple, err := h.couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	all, err := h.agreements.List(ctx, it.actor())
	if err != nil {
		return err
	}
	return it.reply(agreementListMessage(all, couple))
}

// askedOf is what a button asked about: an agreement's proposal or its retirement.
func askedOf(id customID) conversations.AgreementStatus {
	if id.Number == 1 {
		return conversations.AgreementRetiring
	}
	return conversations.AgreementProposed
}

func (h *agreementHandlers) agree(ctx context.Context, it *interaction, id customID) error {
	couple, err := h.couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	a, err := h.agreements.AgreeTo(ctx, it.actor(), id.ID, askedOf(id))
	if err != nil {
		return err
	}
	return it.update(agreementAnswered(a, couple))
}

func (h *agreementHandlers) talkFirst(ctx context.Context, it *interaction, id customID) error {
	couple, err := h.couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	a, err := h.agreements.TalkFirst(ctx, it.actor(), id.ID, askedOf(id))
	if err != nil {
		return err
	}
	// A new message, so the proposal keeps its buttons for when they are ready.
	return it.reply(talkFirstMessage(a, couple, it.userID()))
}

func (h *agreementHandlers) withdraw(ctx context.Context, it *interaction, id customID) error {
	couple, err := h.couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	a, err := h.agreements.Withdraw(ctx, it.actor(), id.ID, askedOf(id))
	if err != nil {
		return err
	}
	return it.update(withdrawnMessage(a, couple, it.userID()))
}

// quoted shows an agreement's words as a block quote, line by line.
func quoted(text string) string {
	return "> " + strings.ReplaceAll(text, "\n", "\n> ")
}

// proposalMessage asks the partner who did not propose an agreement for
// their answer; "Not for me" is one of them, and needs no reason.
func proposalMessage(a conversations.Agreement, c conversations.Couple) message {
	proposer := c.NameOf(a.CreatedBy)
	other := c.Other(a.CreatedBy)
	text := fmt.Sprintf("%s, %s proposes an agreement for the two of you:\n%s\nOnce you agree, it is one of your agreements, and you both say at every check-in how it held. If you would like to talk about it first, that is a good answer too: nothing changes until you both say yes. If it is not for you, you can say so; nothing is added. %s can withdraw it until then.",
		mention(other.UserID), proposer, quoted(a.Text), proposer)
	return message{
		Content:  text,
		Mentions: []string{other.UserID},
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "We agree", Style: discordgo.SuccessButton, CustomID: customID{Action: actAgree, ID: a.ID}.String()},
			discordgo.Button{Label: "Let's talk first", Style: discordgo.SecondaryButton, CustomID: customID{Action: actTalkFirst, ID: a.ID}.String()},
			discordgo.Button{Label: "Not for me", Style: discordgo.SecondaryButton, CustomID: customID{Action: actNotForMe, ID: a.ID}.String()},
			discordgo.Button{Label: "Withdraw", Style: discordgo.SecondaryButton, CustomID: customID{Action: actWithdrawAgree, ID: a.ID}.String()},
		}}},
	}
}

// notForMeMessage replaces a proposal its partner would rather not make.
// The proposer reads it; nobody is asked why.
func notForMeMessage(a conversations.Agreement, c conversations.Couple) message {
	return message{Content: fmt.Sprintf("%s would rather not make this agreement. Nothing was added. You can talk about what would work for you both.\n%s",
		c.Other(a.CreatedBy).Name, quoted(a.Text))}
}

// endedMessage tells the other partner, gently, that an agreement ended.
func endedMessage(a conversations.Agreement, c conversations.Couple) message {
	other := c.Other(a.RetireBy)
	return message{
		Content: fmt.Sprintf("%s, %s has ended this agreement:\n%s\nIt is no longer reviewed at check-ins. Nobody did anything wrong by ending it; if you would like to talk about it, your next check-in is a good place.",
			mention(other.UserID), c.NameOf(a.RetireBy), quoted(a.Text)),
		Mentions: []string{other.UserID},
	}
}

// agreementAnswered replaces a proposal once the other partner said yes.
func agreementAnswered(a conversations.Agreement, c conversations.Couple) message {
	if a.Status == conversations.AgreementRetired {
		return message{Content: fmt.Sprintf("%s proposed ending this agreement, and %s agreed:\n%s\nIt has ended, and is no longer reviewed at check-ins.",
			c.NameOf(a.RetireBy), c.Other(a.RetireBy).Name, quoted(a.Text))}
	}
	return message{Content: fmt.Sprintf("%s proposed, and %s agreed:\n%s\nIt is one of your agreements now; you will both say at every check-in how it held.",
		c.NameOf(a.CreatedBy), c.Other(a.CreatedBy).Name, quoted(a.Text))}
}

// talkFirstMessage says, without blame, that the answer is a conversation.
func talkFirstMessage(a conversations.Agreement, c conversations.Couple, userID string) message {
	who := c.NameOf(userID)
	if a.Status == conversations.AgreementRetiring {
		return message{Content: fmt.Sprintf("%s would like to talk before retiring this agreement:\n%s\nIt stays one of your agreements, and is still reviewed at check-ins, until you both agree. The buttons on the proposal are there whenever you are ready.",
			who, quoted(a.Text))}
	}
	return message{Content: fmt.Sprintf("%s would like to talk about this first:\n%s\nIt stays a proposal, and nothing changes until you both agree. Talking it through is how a good agreement is made; the buttons on the proposal are there whenever you are ready.",
		who, quoted(a.Text))}
}

func withdrawnMessage(a conversations.Agreement, c conversations.Couple, userID string) message {
	who := c.NameOf(userID)
	if a.Status == conversations.AgreementActive {
		return message{Content: fmt.Sprintf("%s withdrew the proposal to retire this agreement:\n%s\nIt stays one of your agreements.", who, quoted(a.Text))}
	}
	return message{Content: fmt.Sprintf("%s withdrew this proposal:\n%s\nNothing was added.", who, quoted(a.Text))}
}

func agreementListMessage(all []conversations.Agreement, c conversations.Couple) message {
	if len(all) == 0 {
		return errorMessage("No agreements yet. `/agreement add` proposes one; it counts once you both agree.")
	}
	var lines []string
	for _, a := range all {
		var state string
		switch a.Status {
		case conversations.AgreementProposed:
			state = fmt.Sprintf("proposed by %s, waiting for %s's answer", c.NameOf(a.CreatedBy), c.Other(a.CreatedBy).Name)
		case conversations.AgreementActive:
			state = "agreed, reviewed at every check-in"
		case conversations.AgreementRetiring:
			state = fmt.Sprintf("%s proposed ending it; either of you can end it with `/agreement end`", c.NameOf(a.RetireBy))
		case conversations.AgreementRetired:
			state = "ended"
		default:
			state = string(a.Status)
		}
		lines = append(lines, fmt.Sprintf("`#%d` “%s”: %s", a.ID, a.Text, state))
	}
	return listMessage("Agreements", lines)
}
