package bot

import (
	"context"
	"log/slog"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// handler answers one interaction.
type handler func(ctx context.Context, it *interaction) error

// routeKey is what an interaction is routed by: its kind, and the command
// path ("schedule set"), the command path and the option typed into
// ("schedule set timezone"), or the custom ID's action.
type routeKey struct {
	kind discordgo.InteractionType
	name string
}

const (
	onCommand      = discordgo.InteractionApplicationCommand
	onAutocomplete = discordgo.InteractionApplicationCommandAutocomplete
	onComponent    = discordgo.InteractionMessageComponent
	onModal        = discordgo.InteractionModalSubmit
)

// route is where one kind of interaction goes.
type route struct {
	// name is what the interaction is logged and counted as.
	name     string
	handle   handler
	deferral deferral
}

// router is the one table every interaction is routed by: slash commands
// and their subcommands, autocomplete, components and modals.
type router struct {
	routes map[routeKey]*route
	log    *slog.Logger
	// deferAfter is how long a handler of a route with a deferral may take
	// before Mend acknowledges for it.
	deferAfter time.Duration
}

// newRouter binds the declared commands and actions to the handler groups.
func newRouter(g *groups, log *slog.Logger, cmds []command, acts map[string]action) *router {
	r := &router{routes: map[routeKey]*route{}, log: log, deferAfter: deferAfter}
	for _, c := range cmds {
		r.addCommand(g, c.name, c)
	}
	for name, act := range acts {
		handle := act.handle(g)
		r.routes[routeKey{act.accepts, name}] = &route{name: name, deferral: act.deferral, handle: func(ctx context.Context, it *interaction) error {
			return handle(ctx, it, it.customID)
		}}
	}
	return r
}

func (r *router) addCommand(g *groups, path string, c command) {
	for _, sub := range c.subcommands {
		r.addCommand(g, path+" "+sub.name, sub)
	}
	if c.handle != nil {
		r.routes[routeKey{onCommand, path}] = &route{name: path, deferral: c.deferral, handle: c.handle(g)}
	}
	for option, s := range c.suggest {
		r.routes[routeKey{onAutocomplete, path + " " + option}] = &route{name: "autocomplete", handle: suggestions(s(g))}
	}
}

// suggestions answers an autocomplete with what s offers.
func suggestions(s suggester) handler {
	return func(ctx context.Context, it *interaction) error {
		return offer(it, s(ctx, it, typingInto(it.ApplicationCommandData())))
	}
}

func offer(it *interaction, choices []*discordgo.ApplicationCommandOptionChoice) error {
	return it.respond(discordgo.InteractionApplicationCommandAutocompleteResult, &discordgo.InteractionResponseData{Choices: choices})
}

// noSuggestions answers an autocomplete for an option Mend suggests nothing
// for: an empty list, which Discord shows as "no options".
var noSuggestions = &route{name: "autocomplete", handle: func(ctx context.Context, it *interaction) error {
	return offer(it, nil)
}}

// typingInto is the option a person is typing into, or nil.
func typingInto(data discordgo.ApplicationCommandInteractionData) *discordgo.ApplicationCommandInteractionDataOption {
	var focused *discordgo.ApplicationCommandInteractionDataOption
	opts := data.Options
	if len(opts) == 1 && opts[0].Type == discordgo.ApplicationCommandOptionSubCommand {
		opts = opts[0].Options
	}
	for _, o := range opts {
		if o.Focused {
			focused = o
		}
	}
	return focused
}

// errUnknownComponent is the one answer to a custom ID Mend did not make, or
// one that came back on the wrong kind of interaction: both are forged or
// stale, and neither tells the sender more.
var errUnknownComponent = conversations.Errorf(conversations.EINVALID, "Mend does not recognise that button. It may belong to an older message; `/checkin status` shows where you are.")

// serve finds the route for an interaction and runs it. It names the
// interaction (it.route) before the handler runs, so that a panic inside it
// is logged with the name.
func (r *router) serve(ctx context.Context, it *interaction) error {
	rt, err := r.find(it)
	if err != nil {
		return err
	}
	it.route = rt.name
	return deferring(rt.deferral, r.deferAfter)(rt.handle)(ctx, it)
}

func (r *router) find(it *interaction) (*route, error) {
	switch it.Type {
	case onCommand:
		it.route = "command"
		rt, ok := r.routes[routeKey{onCommand, commandName(it.ApplicationCommandData())}]
		if !ok {
			return nil, conversations.Errorf(conversations.EINVALID, "Mend does not know that command; it may have been removed. `/help` lists what there is.")
		}
		return rt, nil
	case onComponent, onModal:
		it.route = "component"
		raw := ""
		if it.Type == onComponent {
			raw = it.MessageComponentData().CustomID
		} else {
			raw = it.ModalSubmitData().CustomID
		}
		id, err := parseCustomID(raw)
		if err != nil {
			r.log.Warn("refused an unknown custom id", "user", it.userID(), "length", len(raw))
			return nil, errUnknownComponent
		}
		rt, ok := r.routes[routeKey{it.Type, id.Action}]
		if !ok {
			r.log.Warn("refused a custom id on the wrong kind of interaction", "user", it.userID(), "action", id.Action, "type", int(it.Type))
			return nil, errUnknownComponent
		}
		it.customID = id
		return rt, nil
	case onAutocomplete:
		it.route = "autocomplete"
		data := it.ApplicationCommandData()
		typing := typingInto(data)
		if typing == nil {
			return noSuggestions, nil
		}
		if rt, ok := r.routes[routeKey{onAutocomplete, commandName(data) + " " + typing.Name}]; ok {
			return rt, nil
		}
		return noSuggestions, nil
	}
	return nil, conversations.Errorf(conversations.EINVALID, "Mend cannot handle that kind of interaction.")
}

func commandName(data discordgo.ApplicationCommandInteractionData) string {
	name := data.Name
	for _, o := range data.Options {
		if o.Type == discordgo.ApplicationCommandOptionSubCommand {
			name += " " + o.Name
		}
	}
	return name
}
