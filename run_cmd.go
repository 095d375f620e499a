package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"mend/bot"
	"mend/config"
	"mend/conversations"
	"mend/ops"
)

func runBot(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs, configPath := newFlagSet("run", "run [--config FILE]", stderr)
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	cfg, ok := loadConfigFor(*configPath, stderr)
	if !ok {
		return exitUsage
	}
	if cfg.Token == "" {
		fmt.Fprintf(stderr, `Mend needs a Discord bot token to run on Discord, and %s is not set.

Set it in the environment of the process (never in a file you share):

    export %s='your-bot-token'

README.md ("Running on Discord") explains how to create the bot and get its token.
To try Mend without Discord, run a check-in in this terminal instead:

    %s console
`, config.TokenEnv, config.TokenEnv, selfCommand(os.Args[0]))
		return exitUsage
	}
	// In case an error the bot did not redact itself reaches the log.
	logger := slog.New(bot.NewRedactingHandler(newLogger(cfg.Log, stderr).Handler(), append(keySecrets(), cfg.Token)...))
	db, err := openStore(ctx, cfg.Database.Path, logger)
	if err != nil {
		logger.Error("cannot open the database", "err", err)
		return 1
	}
	defer db.Close()
	logStore(logger, db)
	if w := db.PermissionWarning(); w != "" {
		logger.Warn(w)
	}
	stopBackups := ops.StartBackups(ctx, cfg.Database.Path, cfg, logger)
	defer stopBackups()
	settings := cfg.Settings()
	settings.Announce = true // the bot has a channel to welcome a couple in
	settings.EncryptedAtRest = db.Encryption().On
	app := conversations.New(db.Stores(), conversations.SystemClock{}, cfg.CheckInTemplates(), settings)
	metrics := ops.NewMetrics(buildVersion())
	b, err := bot.New(bot.Config{
		Metrics:           metrics,
		RemindByDM:        cfg.CheckIns.RemindBy == "dm",
		RequestsPerSecond: cfg.Discord.RequestsPerSecond,
		Token:             cfg.Token,
		APIURL:            cfg.Discord.APIURL,
		GatewayURL:        cfg.Discord.GatewayURL,
		GuildIDs:          cfg.Discord.GuildIDs,
		CategoryID:        cfg.Discord.CategoryID,
		TimeZone:          cfg.CheckIns.TimeZone,
		Safety:            cfg.SafetyNote(),
		CopiesKept:        cfg.CopiesKept(),
	}, app, logger)
	if err != nil {
		logger.Error("cannot set up the discord bot", "err", err)
		return 1
	}
	logger.Info("starting mend", "version", buildVersion(), "database", cfg.Database.Path)
	stopOps, err := ops.Start(ctx, cfg, metrics, ops.Checks{
		Gateway: b.GatewayReady, Database: db, Outbox: db, Scheduler: app.Schedules, Now: app.Now,
	}, logger)
	if err != nil {
		logger.Error("cannot serve health and metrics", "err", err)
		return 1
	}
	defer stopOps()
	if err := b.Run(ctx); err != nil {
		logger.Error("mend stopped", "err", err)
		return 1
	}
	logger.Info("mend stopped cleanly")
	return 0
}

func newLogger(cfg config.LogConfig, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Level))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// selfCommand is how the person who started Mend starts it again: "go run ."
// when it was built by go run, which leaves it in a temporary
// go-build.../exe directory, else the program as it was typed ("./mend",
// or "mend" from the PATH).
func selfCommand(arg0 string) string {
	dir := filepath.Dir(arg0)
	if filepath.Base(dir) == "exe" && strings.Contains(filepath.ToSlash(dir), "/go-build") {
		return "go run ."
	}
	return arg0
}
