package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// commitmentHandlers answer /commitment, and suggest the commitments and
// agreements an option can name.
type commitmentHandlers struct {
	*shared
	couples     *conversations.Couples
	commitments *conversations.Commitments
	agreements  *conversations.Agreements
}

// /commitment: concrete promises, reviewed at every check-in.
var commitmentCommand = command{
	name: "commitment", description: "Concrete promises, reviewed by both of you at every check-in",
	subcommands: []command{
		{
			name: "add", description: "Make a concrete, checkable promise", handle: func(g *groups) handler { return g.commitments.add },
			options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "text", Description: "What you will do, like: home by 7 pm on weekdays", Required: true, MaxLength: 300},
				{Type: discordgo.ApplicationCommandOptionString, Name: "due", Description: "Optional due date, YYYY-MM-DD", MaxLength: 10},
			},
		},
		{name: "list", description: "Your commitments, open ones first", handle: func(g *groups) handler { return g.commitments.list }},
		{
			name: "done", description: "Mark one of your commitments done", handle: func(g *groups) handler { return g.commitments.done },
			options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionInteger, Name: "commitment", Description: "Which one", Required: true, Autocomplete: true}},
			suggest: map[string]bindSuggester{"commitment": func(g *groups) suggester { return g.commitments.suggestSubjects }},
		},
		{
			name: "drop", description: "Drop one of your commitments", handle: func(g *groups) handler { return g.commitments.drop },
			options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionInteger, Name: "commitment", Description: "Which one", Required: true, Autocomplete: true}},
			suggest: map[string]bindSuggester{"commitment": func(g *groups) suggester { return g.commitments.suggestSubjects }},
		},
	},
}

// suggestSubjects offers the commitments or agreements an ID option can name.
func (h *commitmentHandlers) suggestSubjects(ctx context.Context, it *interaction, typing *discordgo.ApplicationCommandInteractionDataOption) []*discordgo.ApplicationCommandOptionChoice {
	return h.subjectChoices(ctx, it, typing.Name, fmt.Sprint(typing.Value))
}

func (h *commitmentHandlers) add(ctx context.Context, it *interaction) error {
	couple, err := h.couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	data := it.ApplicationCommandData()
	c, err := h.commitments.Add(ctx, it.actor(), stringOption(data, "text"), stringOption(data, "due"))
	if err != nil {
		return err
	}
	return it.reply(message{Content: fmt.Sprintf("%s made a commitment: %s. You will both review it at every check-in until it is done.", it.displayName(), commitmentLine(c, couple))})
}

func commitmentLine(c conversations.Commitment, couple conversations.Couple) string {
	s := fmt.Sprintf("“%s”", truncate(c.Text, maxQuotedCommitment))
	if c.DueOn != "" {
		s += " (due " + c.DueOn + ")"
	}
	return s
}

func (h *commitmentHandlers) list(ctx context.Context, it *interaction) error {
	couple, err := h.couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	all, err := h.commitments.List(ctx, it.actor())
	if err != nil {
		return err
	}
	if len(all) == 0 {
		return it.reply(errorMessage("No commitments yet. `/commitment add` makes one, or the last question of a check-in."))
	}
	today := couple.Today(h.now())
	var lines []string
	for _, c := range all {
		owner := couple.NameOf(c.OwnerID)
		status := "open"
		switch {
		case c.Status != conversations.CommitmentOpen:
			status = string(c.Status)
		case c.DueAfter(today):
			status = "coming up: asked about from its due date"
		}
		lines = append(lines, fmt.Sprintf("`#%d` **%s**: %s, %s", c.ID, owner, commitmentLine(c, couple), status))
	}
	return it.reply(listMessage("Commitments", lines))
}

// listMessage shows lines in an ephemeral embed, as many as fit.
func listMessage(title string, lines []string) message {
	body := ""
	for i, l := range lines {
		if len([]rune(body))+len([]rune(l))+1 > maxEmbedDescription-40 {
			body += fmt.Sprintf("\n…and %d more", len(lines)-i)
			break
		}
		body += l + "\n"
	}
	return message{Ephemeral: true, Embeds: []*discordgo.MessageEmbed{{Title: title, Color: colorCalm, Description: strings.TrimSpace(body)}}}
}

func (h *commitmentHandlers) done(ctx context.Context, it *interaction) error {
	return h.close(ctx, it, conversations.CommitmentDone, "marked a commitment done")
}

func (h *commitmentHandlers) drop(ctx context.Context, it *interaction) error {
	return h.close(ctx, it, conversations.CommitmentDropped, "dropped a commitment")
}

func (h *commitmentHandlers) close(ctx context.Context, it *interaction, status conversations.CommitmentStatus, verb string) error {
	couple, err := h.couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	id := intOption(it.ApplicationCommandData(), "commitment", 0)
	c, err := h.commitments.Close(ctx, it.actor(), id, status)
	if err != nil {
		return err
	}
	return it.reply(message{Content: fmt.Sprintf("%s %s: %s. It is no longer reviewed at check-ins.", it.displayName(), verb, commitmentLine(c, couple))})
}

// subjectChoices suggests open commitments (the partner's own, for done and
// drop) or active agreements for an ID option.
func (h *commitmentHandlers) subjectChoices(ctx context.Context, it *interaction, name, typed string) []*discordgo.ApplicationCommandOptionChoice {
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	typed = strings.ToLower(typed)
	add := func(id int64, text string) {
		label := truncate(fmt.Sprintf("#%d %s", id, text), 100)
		if len(choices) < maxChoices && strings.Contains(strings.ToLower(label), typed) {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: label, Value: id})
		}
	}
	switch name {
	case "commitment":
		all, _ := h.commitments.List(ctx, it.actor())
		for _, c := range all {
			if c.Status == conversations.CommitmentOpen && c.OwnerID == it.userID() {
				add(c.ID, c.Text)
			}
		}
	case "agreement":
		all, _ := h.agreements.List(ctx, it.actor())
		for _, a := range all {
			// Every agreement in force: either partner can end it.
			if a.InForce() {
				add(a.ID, a.Text)
			}
		}
	}
	return choices
}
