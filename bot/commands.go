package bot

import "github.com/bwmarrin/discordgo"

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
	{Name: "help", Description: "How Mend works", Contexts: &guildOnly},
}

// Permissions is what the bot needs in a server: create the couple channels,
// and read, write, embed and attach files in them.
const Permissions = discordgo.PermissionManageChannels | discordgo.PermissionViewChannel |
	discordgo.PermissionSendMessages | discordgo.PermissionEmbedLinks |
	discordgo.PermissionAttachFiles | discordgo.PermissionReadMessageHistory
