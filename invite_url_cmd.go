package main

import (
	"context"
	"fmt"
	"io"

	"mend/bot"
	"mend/config"
)

func runInviteURL(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs, configPath := newFlagSet("invite-url", "invite-url [--config FILE] [--app-id ID]", stderr)
	appID := fs.String("app-id", "", "the Discord application `ID` (default: discord.application_id, else read from the token)")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	cfg, ok := loadConfigFor(*configPath, stderr)
	if !ok {
		return exitUsage
	}
	id := *appID
	if id == "" {
		id = cfg.Discord.ApplicationID
	}
	if id == "" {
		id = bot.ApplicationIDFromToken(cfg.Token)
	}
	if id == "" && cfg.Token != "" {
		fmt.Fprintf(stderr, "mend invite-url: %s is set, but it holds no application ID that Mend can read (a bot token starts with it). Pass --app-id (Discord Developer Portal, your application, General Information, Application ID), or set discord.application_id.\n", config.TokenEnv)
		return exitUsage
	}
	if id == "" {
		fmt.Fprintf(stderr, "mend invite-url: no application ID. Pass --app-id (Discord Developer Portal, your application, General Information, Application ID), set discord.application_id, or set %s.\n", config.TokenEnv)
		return exitUsage
	}
	fmt.Fprintln(stdout, bot.InviteURL(id))
	return 0
}
