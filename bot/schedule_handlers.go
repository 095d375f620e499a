package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// scheduleHandlers answer /schedule.
type scheduleHandlers struct {
	*shared
	couples   *conversations.Couples
	schedules *conversations.Schedules
	templates *conversations.Templates
	// wakeScheduler tells the scheduler a schedule changed.
	wakeScheduler func()
}

// /schedule: when check-ins open by themselves.
var scheduleCommand = command{
	name: "schedule", description: "When your check-ins open by themselves",
	subcommands: []command{
		{
			name: "set", description: "Set a regular check-in: a day and a time, or a cron expression", handle: func(g *groups) handler { return g.schedules.set },
			options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "day", Description: "Day of the week", Choices: weekdayChoices()},
				{Type: discordgo.ApplicationCommandOptionString, Name: "time", Description: "Time of day, 24-hour HH:MM, like 20:30", MaxLength: 5},
				{Type: discordgo.ApplicationCommandOptionString, Name: "timezone", Description: "Your time zone, like Europe/Berlin (start typing a city)", Autocomplete: true},
				{Type: discordgo.ApplicationCommandOptionInteger, Name: "every_weeks", Description: "Every how many weeks (default 1)", MinValue: &one, MaxValue: 8},
				{Type: discordgo.ApplicationCommandOptionString, Name: "cron", Description: "Advanced: a cron expression instead of day and time, like 0 20 * * SUN", MaxLength: 100},
				{Type: discordgo.ApplicationCommandOptionString, Name: "template", Description: "Which check-in to use (default: the weekly one)", Autocomplete: true},
			},
			suggest: map[string]bindSuggester{
				"timezone": func(*groups) suggester { return suggestZones },
				"template": func(g *groups) suggester { return g.schedules.suggestTemplates },
			},
		},
		{name: "show", description: "Show your schedule and the next three check-ins", handle: func(g *groups) handler { return g.schedules.show }},
		{
			name: "pause", description: "Pause check-ins until a date", handle: func(g *groups) handler { return g.schedules.pause },
			options: []*discordgo.ApplicationCommandOption{{
				Type: discordgo.ApplicationCommandOptionString, Name: "until", Description: "The first day check-ins may open again, YYYY-MM-DD", Required: true, MaxLength: 10,
			}},
		},
		{name: "resume", description: "End a pause now", handle: func(g *groups) handler { return g.schedules.resume }},
	},
}

func weekdayChoices() []*discordgo.ApplicationCommandOptionChoice {
	var out []*discordgo.ApplicationCommandOptionChoice
	for _, d := range []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"} {
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: d, Value: d})
	}
	return out
}

// suggestZones offers time zones for what is typed.
func suggestZones(_ context.Context, _ *interaction, typing *discordgo.ApplicationCommandInteractionDataOption) []*discordgo.ApplicationCommandOptionChoice {
	typed, _ := typing.Value.(string)
	return zoneChoices(typed)
}

// suggestTemplates offers the check-in templates whose ID or name holds what
// is typed.
func (h *scheduleHandlers) suggestTemplates(_ context.Context, _ *interaction, typing *discordgo.ApplicationCommandInteractionDataOption) []*discordgo.ApplicationCommandOptionChoice {
	typed, _ := typing.Value.(string)
	return templateChoices(h.templates.List(), typed)
}

func templateChoices(templates []conversations.Template, typed string) []*discordgo.ApplicationCommandOptionChoice {
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	for _, t := range templates {
		if strings.Contains(strings.ToLower(t.ID+" "+t.Name), strings.ToLower(typed)) && len(choices) < maxChoices {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: truncate(t.Name+" ("+t.ID+")", 100), Value: t.ID})
		}
	}
	return choices
}

func (h *scheduleHandlers) set(ctx context.Context, it *interaction) error {
	couple, err := h.couples.Here(ctx, it.actor())
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
	now := h.now()
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
	if sched, err = h.schedules.Set(ctx, it.actor(), sched); err != nil {
		return err
	}
	h.wakeScheduler()
	return it.reply(scheduleChangedMessage(fmt.Sprintf("%s set your check-ins: %s.", it.displayName(), sched.Describe()), sched, now))
}

func (h *scheduleHandlers) show(ctx context.Context, it *interaction) error {
	sched, err := h.schedules.Get(ctx, it.actor())
	if err != nil {
		return err
	}
	m := scheduleChangedMessage("Your check-ins: "+sched.Describe()+".", sched, h.now())
	m.Ephemeral = true
	return it.reply(m)
}

func (h *scheduleHandlers) pause(ctx context.Context, it *interaction) error {
	sched, err := h.schedules.Pause(ctx, it.actor(), stringOption(it.ApplicationCommandData(), "until"))
	if err != nil {
		return err
	}
	h.wakeScheduler()
	return it.reply(scheduleChangedMessage(fmt.Sprintf("%s paused your check-ins until %s.", it.displayName(), sched.PausedUntil), sched, h.now()))
}

func (h *scheduleHandlers) resume(ctx context.Context, it *interaction) error {
	sched, err := h.schedules.Resume(ctx, it.actor())
	if err != nil {
		return err
	}
	h.wakeScheduler()
	return it.reply(scheduleChangedMessage(fmt.Sprintf("%s ended the pause of your check-ins.", it.displayName()), sched, h.now()))
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
	runs, err := s.Upcoming(from, 3)
	for _, t := range runs {
		lines = append(lines, fmt.Sprintf("• %s (%s)", t.In(loc).Format("Monday 2 January 2006, 15:04 MST"), timestamp(t, "R")))
	}
	if err != nil {
		lines = append(lines, "Mend could not work out the ones after these; the schedule is saved as it is.")
	}
	body := "The next check-ins:\n" + strings.Join(lines, "\n")
	if s.Paused(now) {
		body = fmt.Sprintf("Paused: nothing opens before %s. %s", s.PausedUntil, body)
	}
	return message{Content: headline, Embeds: []*discordgo.MessageEmbed{{Title: "Schedule", Color: colorCalm, Description: body}}}
}
