package bot

import (
	"context"

	"github.com/bwmarrin/discordgo"
)

// bind finds a declared handler in the handler groups: declarations are
// package values, made before any group exists, so each names its handler by
// the group it belongs to.
type bind func(g *groups) handler

// suggester offers values for the option a person is typing into.
type suggester func(ctx context.Context, it *interaction, typing *discordgo.ApplicationCommandInteractionDataOption) []*discordgo.ApplicationCommandOptionChoice

// bindSuggester finds a declared suggester in the handler groups.
type bindSuggester func(g *groups) suggester

// command is one slash command, or one of its subcommands, declared once:
// what Discord registers for it, what handles it and what suggests values
// for its options. A command has either subcommands or a handler.
type command struct {
	name, description string
	options           []*discordgo.ApplicationCommandOption
	subcommands       []command
	handle            bind
	// suggest holds the suggester of each option declared with
	// Autocomplete, by the option's name.
	suggest map[string]bindSuggester
	// deferral is how the route acknowledges when the handler has not
	// answered in time.
	deferral deferral
}

var guildOnly = []discordgo.InteractionContextType{discordgo.InteractionContextGuild}

// one is the least a counting option takes; Discord wants it by pointer.
var one = 1.0

// data is the command as Discord registers it.
func (c command) data() *discordgo.ApplicationCommand {
	return &discordgo.ApplicationCommand{Name: c.name, Description: c.description, Contexts: &guildOnly, Options: c.optionData()}
}

func (c command) optionData() []*discordgo.ApplicationCommandOption {
	if len(c.subcommands) == 0 {
		return c.options
	}
	var out []*discordgo.ApplicationCommandOption
	for _, sub := range c.subcommands {
		out = append(out, &discordgo.ApplicationCommandOption{
			Type: discordgo.ApplicationCommandOptionSubCommand, Name: sub.name, Description: sub.description, Options: sub.optionData(),
		})
	}
	return out
}
