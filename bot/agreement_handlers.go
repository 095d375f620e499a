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

// /agreement: boundaries set together; each counts once the partner agrees.
var agreementCommand = command{
	name: "agreement", description: "Boundaries you set together, reviewed at every check-in",
	subcommands: []command{
		{
			name: "add", description: "Propose a boundary; it counts once your partner agrees. Like: we talk before meeting an ex", handle: func(g *groups) handler { return g.agreements.propose },
			options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionString, Name: "text", Description: "About money, friends, phones or time, like: we answer questions about our phones truthfully", Required: true, MaxLength: 300}},
		},
		{name: "list", description: "Your agreements", handle: func(g *groups) handler { return g.agreements.list }},
		{
			name: "retire", description: "Propose to stop reviewing an agreement; it stays until your partner agrees", handle: func(g *groups) handler { return g.agreements.retire },
			options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionInteger, Name: "agreement", Description: "Which one", Required: true, Autocomplete: true}},
			suggest: map[string]bindSuggester{"agreement": func(g *groups) suggester { return g.commitments.suggestSubjects }},
		},
	},
}

// An agreement binds both partners, so the one who did not propose it answers
// in the channel: [We agree], [Let's talk first], and the proposer may
// [Withdraw]. The same three buttons answer a proposal to retire one.

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

func (h *agreementHandlers) retire(ctx context.Context, it *interaction) error {
	couple, err := h.couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	a, err := h.agreements.Retire(ctx, it.actor(), intOption(it.ApplicationCommandData(), "agreement", 0))
	if err != nil {
		return err
	}
	if a.Status == conversations.AgreementRetired {
		// The partner it waited on asked to retire it too: that is their yes.
		return it.reply(agreementAnswered(a, couple))
	}
	return it.reply(proposalMessage(a, couple))
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

// proposalMessage asks the partner who did not propose (an agreement, or its
// retirement) for their answer.
func proposalMessage(a conversations.Agreement, c conversations.Couple) message {
	proposer := c.NameOf(a.Proposer())
	other := c.Other(a.Proposer())
	flag := 0
	var text string
	if a.Status == conversations.AgreementRetiring {
		flag = 1
		text = fmt.Sprintf("%s, %s proposes to retire this agreement:\n%s\nUntil you agree, it stays one of your agreements, and you both still say at check-ins how it held. If you would like to talk about it first, that is a good answer too. %s can withdraw the proposal until then.",
			mention(other.UserID), proposer, quoted(a.Text), proposer)
	} else {
		text = fmt.Sprintf("%s, %s proposes an agreement for the two of you:\n%s\nOnce you agree, it is one of your agreements, and you both say at every check-in how it held. If you would like to talk about it first, that is a good answer too: nothing changes until you both say yes. %s can withdraw it until then.",
			mention(other.UserID), proposer, quoted(a.Text), proposer)
	}
	return message{
		Content:  text,
		Mentions: []string{other.UserID},
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "We agree", Style: discordgo.SuccessButton, CustomID: customID{Action: actAgree, ID: a.ID, Number: flag}.String()},
			discordgo.Button{Label: "Let's talk first", Style: discordgo.SecondaryButton, CustomID: customID{Action: actTalkFirst, ID: a.ID, Number: flag}.String()},
			discordgo.Button{Label: "Withdraw", Style: discordgo.SecondaryButton, CustomID: customID{Action: actWithdrawAgree, ID: a.ID, Number: flag}.String()},
		}}},
	}
}

// agreementAnswered replaces a proposal once the other partner said yes.
func agreementAnswered(a conversations.Agreement, c conversations.Couple) message {
	if a.Status == conversations.AgreementRetired {
		return message{Content: fmt.Sprintf("%s proposed retiring this agreement, and %s agreed:\n%s\nIt is retired, and no longer reviewed at check-ins.",
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
			state = fmt.Sprintf("proposed by %s, waiting for %s to agree", c.NameOf(a.CreatedBy), c.Other(a.CreatedBy).Name)
		case conversations.AgreementActive:
			state = "agreed, reviewed at every check-in"
		case conversations.AgreementRetiring:
			state = fmt.Sprintf("%s proposed retiring it; it is reviewed until %s agrees", c.NameOf(a.RetireBy), c.Other(a.RetireBy).Name)
		default:
			state = string(a.Status)
		}
		lines = append(lines, fmt.Sprintf("`#%d` “%s”: %s", a.ID, a.Text, state))
	}
	return listMessage("Agreements", lines)
}
