package bot

import (
	"context"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// pathHandlers answer /path and its packs menu.
type pathHandlers struct {
	*shared
	path *conversations.GuidedPath
}

// /path: the guided path's theme of the week and question packs.
var pathCommand = command{
	name: "path", description: "Your guided path: a theme and a fresh question each week",
	subcommands: []command{
		{name: "show", description: "This week's theme, what comes next, and where you are", handle: func(g *groups) handler { return g.path.show }},
		{name: "packs", description: "Turn question packs on or off", handle: func(g *groups) handler { return g.path.packs }},
		{name: "skip", description: "Move past the theme your next check-in would bring", handle: func(g *groups) handler { return g.path.skip }},
		{name: "off", description: "Pause the question of the week (your place is kept)", handle: func(g *groups) handler { return g.path.off }},
		{name: "on", description: "Bring the question of the week back", handle: func(g *groups) handler { return g.path.on }},
	},
}

// The guided path: /path show, packs, skip, off and on. Every change is
// said in the channel, so both partners know.

func (h *pathHandlers) show(ctx context.Context, it *interaction) error {
	v, err := h.path.Of(ctx, it.actor())
	if err != nil {
		return err
	}
	return it.reply(pathMessage(v))
}

func (h *pathHandlers) skip(ctx context.Context, it *interaction) error {
	skipped, v, err := h.path.SkipTheme(ctx, it.actor())
	if err != nil {
		return err
	}
	// The partner who skipped is answered privately, and the channel gets a
	// plain message: a public reply would show "{name} used /path skip"
	// above a notice that names nobody.
	if err := it.reply(pathSkipDoneMessage(skipped)); err != nil {
		return err
	}
	if _, err := h.session.ChannelMessageSendComplex(it.ChannelID, pathSkippedMessage(skipped, v).send(), discordgo.WithContext(ctx)); err != nil {
		h.log.Warn("could not post that a theme was passed over", "channel", it.ChannelID, "err", err)
	}
	return nil
}

func (h *pathHandlers) off(ctx context.Context, it *interaction) error {
	return h.setQuestionOfTheWeek(ctx, it, false)
}

func (h *pathHandlers) on(ctx context.Context, it *interaction) error {
	return h.setQuestionOfTheWeek(ctx, it, true)
}

func (h *pathHandlers) setQuestionOfTheWeek(ctx context.Context, it *interaction, on bool) error {
	v, err := h.path.SetQuestionOfTheWeek(ctx, it.actor(), on)
	if err != nil {
		return err
	}
	return it.reply(pathSwitchedMessage(it.displayName(), v))
}

func (h *pathHandlers) packs(ctx context.Context, it *interaction) error {
	v, err := h.path.Of(ctx, it.actor())
	if err != nil {
		return err
	}
	if len(v.Packs) == 0 {
		return conversations.Errorf(conversations.ECONFLICT, "This Mend has no question packs, so there is nothing to choose.")
	}
	return it.reply(pathPacksMessage(v))
}

// packsChosen applies the packs a partner left selected in the menu of
// /path packs.
func (h *pathHandlers) packsChosen(ctx context.Context, it *interaction, id customID) error {
	v, turnedOn, turnedOff, err := h.path.SetPacks(ctx, it.actor(), id.ID, it.MessageComponentData().Values)
	if err != nil {
		return err
	}
	return it.reply(pathPacksChangedMessage(it.displayName(), turnedOn, turnedOff, v))
}

// packsOffAnswered is the other partner's answer to packs proposed off:
// the flag is 1 to turn them off, 0 to keep them; the custom ID carries the
// proposal's key, so that a button of a proposal replaced since is refused.
func (h *pathHandlers) packsOffAnswered(ctx context.Context, it *interaction, id customID) error {
	v, proposed, err := h.path.AnswerPacksOff(ctx, it.actor(), id.ID, id.Key, id.Number == 1)
	if err != nil {
		return err
	}
	return it.update(packsOffAnsweredMessage(it.displayName(), id.Number == 1, proposed, v))
}
