package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

func stringOption(data discordgo.ApplicationCommandInteractionData, name string) string {
	if o := option(data, name); o != nil {
		if s, ok := o.Value.(string); ok {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

func (b *Bot) scheduleSet(ctx context.Context, it *interaction) error {
	couple, err := b.app.Couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	data := it.ApplicationCommandData()
	day, clock, expr := stringOption(data, "day"), stringOption(data, "time"), stringOption(data, "cron")
	zone := stringOption(data, "timezone")
	if zone == "" {
		zone = couple.TimeZone
	}
	every := 1
	if o := option(data, "every_weeks"); o != nil {
		every = int(o.IntValue())
	}
	now := b.app.Now()
	var sched conversations.Schedule
	switch {
	case expr != "" && (day != "" || clock != ""):
		return conversations.Errorf(conversations.EINVALID, "Give either a day and a time, or a cron expression, not both. Nothing was changed.")
	case expr != "":
		sched, err = conversations.NewCronSchedule(couple.ID, expr, zone, now)
	case day == "" || clock == "":
		return conversations.Errorf(conversations.EINVALID, "Please give both a day and a time (like day: Sunday, time: 20:00), or a cron expression. Nothing was changed.")
	default:
		sched, err = conversations.NewWeeklySchedule(couple.ID, conversations.WeeklyInput{Weekday: day, Time: clock, TimeZone: zone, EveryWeeks: every}, now)
	}
	if err != nil {
		return err
	}
	sched.TemplateID = stringOption(data, "template")
	if sched, err = b.app.Schedules.Set(ctx, it.actor(), sched); err != nil {
		return err
	}
	b.wakeScheduler()
	return it.reply(scheduleChangedMessage(fmt.Sprintf("%s set your check-ins: %s.", it.displayName(), sched.Describe()), sched, now))
}

func (b *Bot) scheduleShow(ctx context.Context, it *interaction) error {
	sched, err := b.app.Schedules.Get(ctx, it.actor())
	if err != nil {
		return err
	}
	m := scheduleChangedMessage("Your check-ins: "+sched.Describe()+".", sched, b.app.Now())
	m.Ephemeral = true
	return it.reply(m)
}

func (b *Bot) schedulePause(ctx context.Context, it *interaction) error {
	sched, err := b.app.Schedules.Pause(ctx, it.actor(), stringOption(it.ApplicationCommandData(), "until"))
	if err != nil {
		return err
	}
	b.wakeScheduler()
	return it.reply(scheduleChangedMessage(fmt.Sprintf("%s paused your check-ins until %s.", it.displayName(), sched.PausedUntil), sched, b.app.Now()))
}

func (b *Bot) scheduleResume(ctx context.Context, it *interaction) error {
	sched, err := b.app.Schedules.Resume(ctx, it.actor())
	if err != nil {
		return err
	}
	b.wakeScheduler()
	return it.reply(scheduleChangedMessage(fmt.Sprintf("%s ended the pause of your check-ins.", it.displayName()), sched, b.app.Now()))
}

// scheduleChangedMessage is posted in the channel on every change, so both
// partners know, with the next three check-ins in the couple's zone.
func scheduleChangedMessage(headline string, s conversations.Schedule, now time.Time) message {
	loc := s.Location()
	from := now
	if s.Paused(now) {
		// NextRunAt is the first run after the pause; list from there.
		from = s.NextRunAt.Add(-time.Second)
	}
	var lines []string
	for _, t := range s.Upcoming(from, 3) {
		lines = append(lines, fmt.Sprintf("• %s (%s)", t.In(loc).Format("Monday 2 January 2006, 15:04 MST"), timestamp(t, "R")))
	}
	body := "The next check-ins:\n" + strings.Join(lines, "\n")
	if s.Paused(now) {
		body = fmt.Sprintf("Paused: nothing opens before %s. %s", s.PausedUntil, body)
	}
	return message{Content: headline, Embeds: []*discordgo.MessageEmbed{{Title: "Schedule", Color: colorCalm, Description: body}}}
}

func (b *Bot) autocomplete(ctx context.Context, it *interaction) error {
	data := it.ApplicationCommandData()
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
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	if focused != nil {
		typed, _ := focused.Value.(string)
		switch focused.Name {
		case "timezone":
			choices = zoneChoices(typed)
		case "commitment", "agreement":
			choices = b.subjectChoices(ctx, it, focused.Name, fmt.Sprint(focused.Value))
		case "template":
			for _, t := range b.app.Templates().List() {
				if strings.Contains(strings.ToLower(t.ID+" "+t.Name), strings.ToLower(typed)) && len(choices) < maxChoices {
					choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: truncate(t.Name+" ("+t.ID+")", 100), Value: t.ID})
				}
			}
		}
	}
	return it.respond(discordgo.InteractionApplicationCommandAutocompleteResult, &discordgo.InteractionResponseData{Choices: choices})
}

func (b *Bot) wakeScheduler() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}
