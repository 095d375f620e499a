package bot

import (
	"context"

	"mend/conversations"
)

// /path: the guided path's theme of the week and question packs.
var pathCommand = command{
	name: "path", description: "Your guided path: a theme and a fresh question each week",
	subcommands: []command{
		{name: "show", description: "This week's theme, what comes next, and where you are", handle: (*Bot).pathShow},
		{name: "packs", description: "Turn question packs on or off", handle: (*Bot).pathPacks},
		{name: "skip", description: "Move past the theme your next check-in would bring", handle: (*Bot).pathSkip},
		{name: "off", description: "Pause the question of the week (your place is kept)", handle: (*Bot).pathOff},
		{name: "on", description: "Bring the question of the week back", handle: (*Bot).pathOn},
	},
}

// The guided path: /path show, packs, skip, off and on. Every change is
// answered in the channel, so both partners know.

func (b *Bot) pathShow(ctx context.Context, it *interaction) error {
	v, err := b.app.GuidedPath.Of(ctx, it.actor())
	if err != nil {
		return err
	}
	return it.reply(pathMessage(v))
}

func (b *Bot) pathSkip(ctx context.Context, it *interaction) error {
	skipped, v, err := b.app.GuidedPath.SkipTheme(ctx, it.actor())
	if err != nil {
		return err
	}
	return it.reply(pathSkippedMessage(it.displayName(), skipped, v))
}

func (b *Bot) pathOff(ctx context.Context, it *interaction) error {
	return b.pathSwitch(ctx, it, false)
}

func (b *Bot) pathOn(ctx context.Context, it *interaction) error {
	return b.pathSwitch(ctx, it, true)
}

func (b *Bot) pathSwitch(ctx context.Context, it *interaction, on bool) error {
	v, err := b.app.GuidedPath.SetQuestionOfTheWeek(ctx, it.actor(), on)
	if err != nil {
		return err
	}
	return it.reply(pathSwitchedMessage(it.displayName(), v))
}

func (b *Bot) pathPacks(ctx context.Context, it *interaction) error {
	v, err := b.app.GuidedPath.Of(ctx, it.actor())
	if err != nil {
		return err
	}
	if len(v.Packs) == 0 {
		return conversations.Errorf(conversations.ECONFLICT, "This Mend has no question packs, so there is nothing to choose.")
	}
	return it.reply(pathPacksMessage(v))
}

// pathPacksChosen applies the packs a partner left selected in the menu of
// /path packs.
func (b *Bot) pathPacksChosen(ctx context.Context, it *interaction, id customID) error {
	v, turnedOn, turnedOff, err := b.app.GuidedPath.SetPacks(ctx, it.actor(), id.ID, it.MessageComponentData().Values)
	if err != nil {
		return err
	}
	return it.reply(pathPacksChangedMessage(it.displayName(), turnedOn, turnedOff, v))
}
