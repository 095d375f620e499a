package bot

import "github.com/bwmarrin/discordgo"

// commands is every slash command Mend offers, each declared in its group's
// file with its handlers and suggestions, in the order Discord lists them.
var commands = []command{
	coupleCommand,
	checkInCommand,
	scheduleCommand,
	commitmentCommand,
	agreementCommand,
	boundaryCommand,
	talkCommand,
	pathCommand,
	historyCommand,
	progressCommand,
	exportCommand,
	forgetCommand,
	helpCommand,
}

// registeredCommands is the list Discord is given, by bulk overwrite so that
// a removed command disappears from Discord too.
func registeredCommands() []*discordgo.ApplicationCommand {
	out := make([]*discordgo.ApplicationCommand, 0, len(commands))
	for _, c := range commands {
		out = append(out, c.data())
	}
	return out
}
