package bot

// commands is every slash command Mend offers, each declared in its group's
// file with its handlers and suggestions, in the order Discord lists them.
var commands = []command{
	coupleCommand,
	checkInCommand,
	scheduleCommand,
	commitmentCommand,
	agreementCommand,
	pathCommand,
	historyCommand,
	progressCommand,
	exportCommand,
	forgetCommand,
	helpCommand,
}
