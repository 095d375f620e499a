package bot

import (
	"context"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// boundaryHandlers answer /boundary: personal boundaries, each one
// partner's own.
type boundaryHandlers struct {
	*shared
	couples    *conversations.Couples
	boundaries *conversations.Boundaries
}

// /boundary: what one partner needs, stated for the other to know. Unlike
// /agreement, nobody is asked to agree.
var boundaryCommand = command{
	name: "boundary", description: "Your own boundaries: what you need, shown to your partner, no agreement needed",
	subcommands: []command{
		{
			name: "set", description: "State a boundary of your own, or change one of yours", handle: func(g *groups) handler { return g.boundaries.set },
			options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "text", Description: "What you need, like: I need a day's notice before plans with your family", Required: true, MaxLength: conversations.MaxBoundaryLength},
				{Type: discordgo.ApplicationCommandOptionInteger, Name: "boundary", Description: "To change one of yours: its number from /boundary list", MinValue: &one},
			},
		},
		{name: "list", description: "Both of your boundaries", handle: func(g *groups) handler { return g.boundaries.list }},
		{
			name: "end", description: "End a boundary of your own", handle: func(g *groups) handler { return g.boundaries.end },
			options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionInteger, Name: "boundary", Description: "Its number from /boundary list", Required: true, MinValue: &one}},
		},
	},
}

func (h *boundaryHandlers) set(ctx context.Context, it *interaction) error {
	couple, err := h.couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	data := it.ApplicationCommandData()
	b, err := h.boundaries.Set(ctx, it.actor(), intOption(data, "boundary", 0), stringOption(data, "text"))
	if err != nil {
		return err
	}
	return it.reply(boundarySetMessage(b, couple))
}

func (h *boundaryHandlers) end(ctx context.Context, it *interaction) error {
	couple, err := h.couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	b, err := h.boundaries.End(ctx, it.actor(), intOption(it.ApplicationCommandData(), "boundary", 0))
	if err != nil {
		return err
	}
	return it.reply(message{Content: fmt.Sprintf("%s has ended this boundary of theirs:\n%s", couple.NameOf(b.OwnerID), quoted(b.Text))})
}

func (h *boundaryHandlers) list(ctx context.Context, it *interaction) error {
	couple, err := h.couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	all, err := h.boundaries.List(ctx, it.actor())
	if err != nil {
		return err
	}
	return it.reply(boundaryListMessage(all, couple))
}

// boundarySetMessage tells the other partner, in the channel, as
// information: there is nothing for them to answer.
func boundarySetMessage(b conversations.Boundary, c conversations.Couple) message {
	owner, other := c.NameOf(b.OwnerID), c.Other(b.OwnerID)
	what := "set a boundary of their own"
	if !b.ChangedAt.IsZero() {
		what = "changed a boundary of theirs"
	}
	return message{
		Content: fmt.Sprintf("%s, %s has %s:\n%s\nThis is for you to know; there is nothing to answer. It is theirs, so only %s changes or ends it. If it is hard for you, that is worth talking about together.",
			mention(other.UserID), owner, what, quoted(b.Text), owner),
		Mentions: []string{other.UserID},
	}
}

func boundaryListMessage(all []conversations.Boundary, c conversations.Couple) message {
	if len(all) == 0 {
		return errorMessage("No boundaries yet. `/boundary set` states one of your own; it needs nobody's agreement.")
	}
	var lines []string
	for _, b := range all {
		state := ""
		if b.Status == conversations.BoundaryEnded {
			state = " (ended)"
		}
		lines = append(lines, fmt.Sprintf("`#%d` **%s**: “%s”%s", b.ID, c.NameOf(b.OwnerID), b.Text, state))
	}
	return listMessage("Boundaries", lines)
}
