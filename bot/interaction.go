package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// interaction is one incoming interaction and how far it has been answered.
// Discord allows exactly one initial response, then edits and follow-ups.
type interaction struct {
	*discordgo.Interaction
	// shared answers it: the session, the log and the token to keep out of it.
	shared *shared
	// ctx bounds every request made to answer it.
	ctx context.Context
	// route is the name it is logged and counted as, set as soon as it is
	// known; customID, the parsed custom ID of a component or modal.
	route    string
	customID customID

	// mu orders the initial response: a deferral made for a slow handler
	// races the handler's own answer.
	mu sync.Mutex
	// acked: the initial response was sent. deferredReply: it was a "thinking…"
	// reply, so later words go into an edit of it. deferredFor: Mend sent it
	// for a slow handler, whose own answer then becomes an edit.
	acked         bool
	deferredReply bool
	deferredFor   deferral
}

func (it *interaction) user() *discordgo.User {
	if it.Member != nil && it.Member.User != nil {
		return it.Member.User
	}
	if it.User != nil {
		return it.User
	}
	return &discordgo.User{}
}

func (it *interaction) userID() string { return it.user().ID }

// actor is who acts and from where, for the domain to check against the
// couple.
func (it *interaction) actor() conversations.Actor {
	return conversations.Actor{UserID: it.userID(), GuildID: it.GuildID, ChannelID: it.ChannelID}
}

// displayName is the name the person goes by in this server.
func (it *interaction) displayName() string {
	if it.Member != nil && it.Member.User != nil {
		return it.Member.DisplayName()
	}
	return it.user().DisplayName()
}

func (it *interaction) respond(typ discordgo.InteractionResponseType, data *discordgo.InteractionResponseData) error {
	return it.answer(typ, data, nil)
}

// answer sends the initial response, or, when Mend already deferred for a
// slow handler, what fits after that deferral: m as an edit, or nothing for
// a deferral of the handler's own.
func (it *interaction) answer(typ discordgo.InteractionResponseType, data *discordgo.InteractionResponseData, m *message) error {
	it.mu.Lock()
	defer it.mu.Unlock()
	if it.deferredFor != answerInTime {
		switch {
		case typ == discordgo.InteractionResponseDeferredChannelMessageWithSource || typ == discordgo.InteractionResponseDeferredMessageUpdate:
			return nil
		case m != nil:
			return it.editOriginal(*m)
		}
		return fmt.Errorf("respond to interaction with type %d after deferring for the handler", typ)
	}
	err := it.shared.session.InteractionRespond(it.Interaction, &discordgo.InteractionResponse{Type: typ, Data: data}, discordgo.WithContext(it.ctx))
	if err != nil {
		return fmt.Errorf("respond to interaction: %w", it.shared.redact(err))
	}
	it.acked = true
	it.deferredReply = typ == discordgo.InteractionResponseDeferredChannelMessageWithSource
	return nil
}

// deferFor acknowledges as kind for a handler that has not answered yet.
func (it *interaction) deferFor(kind deferral) {
	it.mu.Lock()
	defer it.mu.Unlock()
	if it.acked {
		return
	}
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
	if kind != deferUpdate {
		resp.Type = discordgo.InteractionResponseDeferredChannelMessageWithSource
		resp.Data = &discordgo.InteractionResponseData{Flags: message{Ephemeral: kind == deferPrivately}.flags()}
	}
	if err := it.shared.session.InteractionRespond(it.Interaction, resp, discordgo.WithContext(it.ctx)); err != nil {
		it.shared.log.Warn("could not defer for a slow handler", "route", it.route, "user", it.userID(), "err", it.shared.redact(err))
		return
	}
	it.acked, it.deferredReply, it.deferredFor = true, kind != deferUpdate, kind
}

// reply answers with a new message (ephemeral when m says so).
func (it *interaction) reply(m message) error {
	return it.answer(discordgo.InteractionResponseChannelMessageWithSource, m.responseData(), &m)
}

// update replaces the message the pressed component belongs to.
func (it *interaction) update(m message) error {
	data := m.responseData()
	data.Flags = 0 // an update cannot change whether a message is ephemeral
	return it.answer(discordgo.InteractionResponseUpdateMessage, data, &m)
}

func (it *interaction) modal(data *discordgo.InteractionResponseData) error {
	return it.respond(discordgo.InteractionResponseModal, data)
}

// deferReply acknowledges now and answers later with editOriginal, for work
// that may not fit in Discord's three seconds.
func (it *interaction) deferReply(ephemeral bool) error {
	m := message{Ephemeral: ephemeral}
	return it.respond(discordgo.InteractionResponseDeferredChannelMessageWithSource, &discordgo.InteractionResponseData{Flags: m.flags()})
}

// deferUpdate acknowledges a component press; the message is edited later.
func (it *interaction) deferUpdate() error {
	return it.respond(discordgo.InteractionResponseDeferredMessageUpdate, nil)
}

func (it *interaction) editOriginal(m message) error {
	if _, err := it.shared.session.InteractionResponseEdit(it.Interaction, m.webhookEdit(), discordgo.WithContext(it.ctx)); err != nil {
		return fmt.Errorf("edit interaction response: %w", it.shared.redact(err))
	}
	return nil
}

func (it *interaction) followup(m message) error {
	params := &discordgo.WebhookParams{Content: m.Content, Embeds: m.Embeds, Components: m.Components, AllowedMentions: m.allowedMentions()}
	if m.Ephemeral {
		params.Flags = discordgo.MessageFlagsEphemeral
	}
	if _, err := it.shared.session.FollowupMessageCreate(it.Interaction, true, params, discordgo.WithContext(it.ctx)); err != nil {
		return fmt.Errorf("send follow-up: %w", it.shared.redact(err))
	}
	return nil
}

// fail tells the person what went wrong, in words meant for them, and logs
// what they are not shown.
func (it *interaction) fail(ctx context.Context, route string, err error) {
	if conversations.ErrorCode(err) == conversations.EINTERNAL {
		// Handlers also call the session themselves, so err may still
		// carry this interaction's token.
		it.shared.log.Error("interaction failed", "route", route, "user", it.userID(), "err", it.shared.redact(err))
	}
	m := errorMessage(conversations.ErrorMessage(err))
	if missing, ok := asChannelMissing(err); ok {
		m = channelMissingMessage(missing)
	}
	it.mu.Lock()
	acked, deferredReply := it.acked, it.deferredReply
	it.mu.Unlock()
	var sendErr error
	switch {
	case !acked:
		sendErr = it.reply(m)
	case deferredReply:
		sendErr = it.editOriginal(m)
	default:
		sendErr = it.followup(m)
	}
	if sendErr != nil {
		it.shared.log.Warn("could not tell the user about a failure", "route", route, "user", it.userID(), "err", sendErr)
	}
}

// option returns a command option by name, looking inside a subcommand.
func option(data discordgo.ApplicationCommandInteractionData, name string) *discordgo.ApplicationCommandInteractionDataOption {
	opts := data.Options
	if len(opts) == 1 && opts[0].Type == discordgo.ApplicationCommandOptionSubCommand {
		opts = opts[0].Options
	}
	for _, o := range opts {
		if o.Name == name {
			return o
		}
	}
	return nil
}

func intOption(data discordgo.ApplicationCommandInteractionData, name string, def int64) int64 {
	if o := option(data, name); o != nil {
		if v, ok := o.Value.(float64); ok {
			return int64(v)
		}
	}
	return def
}

func stringOption(data discordgo.ApplicationCommandInteractionData, name string) string {
	if o := option(data, name); o != nil {
		if s, ok := o.Value.(string); ok {
			return strings.TrimSpace(s)
		}
	}
	return ""
}
