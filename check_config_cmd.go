package main

import (
	"context"
	"fmt"
	"io"

	"mend/config"
	"mend/conversations"
)

func runCheckConfig(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs, configPath := newFlagSet("check-config", "check-config [--config FILE]", stderr)
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	cfg, err := config.LoadConfig(*configPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	source := cfg.Path
	if source == "" {
		source = "No config file given; the defaults"
	}
	settings := cfg.Settings()
	fmt.Fprintf(stdout, "%s: valid. Database %s, time zone %s, check-ins open for %s, templates: %s (default %s), question packs: %d (%d questions), a talk's break lasts %s and an open talk ends after %s.\n",
		source, cfg.Database.Path, cfg.CheckIns.TimeZone, conversations.PlainDuration(cfg.Window()), config.TemplateIDs(cfg.CheckInTemplates()), cfg.CheckIns.DefaultTemplate,
		len(cfg.LibraryOf().Packs()), cfg.LibraryOf().QuestionCount(), conversations.PlainDuration(settings.TalkBreak), conversations.PlainDuration(settings.TalkExpiry))
	return 0
}
