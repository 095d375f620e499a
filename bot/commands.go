package bot

import "github.com/bwmarrin/discordgo"

var one = 1.0

func weekdayChoices() []*discordgo.ApplicationCommandOptionChoice {
	var out []*discordgo.ApplicationCommandOptionChoice
	for _, d := range []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"} {
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: d, Value: d})
	}
	return out
}

var guildOnly = []discordgo.InteractionContextType{discordgo.InteractionContextGuild}

// commands is every slash command Mend offers, registered by bulk overwrite so
// that a removed command disappears from Discord too.
var commands = []*discordgo.ApplicationCommand{
	{
		Name:        "couple",
		Description: "Start or manage Mend with your partner",
		Contexts:    &guildOnly,
		Options: []*discordgo.ApplicationCommandOption{
			{
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: "invite",
				Description: "Invite your partner to check in together; they must accept",
				Options: []*discordgo.ApplicationCommandOption{{
					Type: discordgo.ApplicationCommandOptionUser, Name: "partner", Description: "Your partner", Required: true,
				}},
			},
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "info", Description: "Show your couple"},
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "leave", Description: "Stop using Mend together (asks you to confirm)"},
		},
	},
	{
		Name:        "checkin",
		Description: "Check-ins in your couple channel",
		Contexts:    &guildOnly,
		Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "now", Description: "Start a check-in now"},
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "status", Description: "See where you both are in the check-in"},
		},
	},
	{
		Name:        "schedule",
		Description: "When your check-ins open by themselves",
		Contexts:    &guildOnly,
		Options: []*discordgo.ApplicationCommandOption{
			{
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: "set",
				Description: "Set a regular check-in: a day and a time, or a cron expression",
				Options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionString, Name: "day", Description: "Day of the week", Choices: weekdayChoices()},
					{Type: discordgo.ApplicationCommandOptionString, Name: "time", Description: "Time of day, 24-hour HH:MM, like 20:30", MaxLength: 5},
					{Type: discordgo.ApplicationCommandOptionString, Name: "timezone", Description: "Your time zone, like Europe/Berlin (start typing a city)", Autocomplete: true},
					{Type: discordgo.ApplicationCommandOptionInteger, Name: "every_weeks", Description: "Every how many weeks (default 1)", MinValue: &one, MaxValue: 8},
					{Type: discordgo.ApplicationCommandOptionString, Name: "cron", Description: "Advanced: a cron expression instead of day and time, like 0 20 * * SUN", MaxLength: 100},
					{Type: discordgo.ApplicationCommandOptionString, Name: "template", Description: "Which check-in to use (default: the weekly one)", Autocomplete: true},
				},
			},
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "show", Description: "Show your schedule and the next three check-ins"},
			{
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: "pause", Description: "Pause check-ins until a date",
				Options: []*discordgo.ApplicationCommandOption{{
					Type: discordgo.ApplicationCommandOptionString, Name: "until", Description: "The first day check-ins may open again, YYYY-MM-DD", Required: true, MaxLength: 10,
				}},
			},
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "resume", Description: "End a pause now"},
		},
	},
	{
		Name:        "commitment",
		Description: "Concrete promises, reviewed by both of you at every check-in",
		Contexts:    &guildOnly,
		Options: []*discordgo.ApplicationCommandOption{
			{
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: "add", Description: "Make a concrete, checkable promise",
				Options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionString, Name: "text", Description: "What you will do, like: home by 7 pm on weekdays", Required: true, MaxLength: 300},
					{Type: discordgo.ApplicationCommandOptionString, Name: "due", Description: "Optional due date, YYYY-MM-DD", MaxLength: 10},
				},
			},
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "list", Description: "Your commitments, open ones first"},
			{
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: "done", Description: "Mark one of your commitments done",
				Options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionInteger, Name: "commitment", Description: "Which one", Required: true, Autocomplete: true}},
			},
			{
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: "drop", Description: "Drop one of your commitments",
				Options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionInteger, Name: "commitment", Description: "Which one", Required: true, Autocomplete: true}},
			},
		},
	},
	{
		Name:        "agreement",
		Description: "Boundaries you set together, reviewed at every check-in",
		Contexts:    &guildOnly,
		Options: []*discordgo.ApplicationCommandOption{
			{
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: "add", Description: "Propose a boundary; it counts once your partner agrees. Like: we talk before meeting an ex",
				Options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionString, Name: "text", Description: "About money, friends, phones or time, like: we answer questions about our phones truthfully", Required: true, MaxLength: 300}},
			},
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "list", Description: "Your agreements"},
			{
				Type: discordgo.ApplicationCommandOptionSubCommand, Name: "retire", Description: "Propose to stop reviewing an agreement; it stays until your partner agrees",
				Options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionInteger, Name: "agreement", Description: "Which one", Required: true, Autocomplete: true}},
			},
		},
	},
	{
		Name:        "path",
		Description: "Your guided path: a theme and a fresh question each week",
		Contexts:    &guildOnly,
		Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "show", Description: "This week's theme, what comes next, and where you are"},
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "packs", Description: "Turn question packs on or off"},
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "skip", Description: "Move past the theme your next check-in would bring"},
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "off", Description: "Pause the question of the week (your place is kept)"},
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "on", Description: "Bring the question of the week back"},
		},
	},
	{
		Name: "history", Description: "Your past check-ins, newest first", Contexts: &guildOnly,
		Options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionInteger, Name: "count", Description: "How many (default 5)", MinValue: &one, MaxValue: 25}},
	},
	{
		Name: "progress", Description: "Trust, follow-through and streak over the weeks, with a chart", Contexts: &guildOnly,
		Options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionInteger, Name: "weeks", Description: "How many weeks back (default 12)", MinValue: &one, MaxValue: 104}},
	},
	{Name: "export", Description: "Download everything Mend stores of you two, as a JSON file", Contexts: &guildOnly},
	{Name: "forget", Description: "Delete everything Mend stores of you two (asks you to confirm)", Contexts: &guildOnly},
	{Name: "help", Description: "How Mend works", Contexts: &guildOnly},
}

// Permissions is what the bot needs in a server: create the couple channels,
// and read, write, embed and attach files in them.
const Permissions = discordgo.PermissionManageChannels | discordgo.PermissionViewChannel |
	discordgo.PermissionSendMessages | discordgo.PermissionEmbedLinks |
	discordgo.PermissionAttachFiles | discordgo.PermissionReadMessageHistory
