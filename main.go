// Command mend runs Mend, a Discord bot that gives a couple rebuilding trust a
// steady rhythm of private check-ins, and its terminal console.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	// Time zone data is compiled in, so couples' zones resolve on a minimal
	// image or a machine without /usr/share/zoneinfo.
	_ "time/tzdata"

	"mend/bot"
	"mend/bot/ops"
	"mend/conversations"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3"; without
// it the VCS revision recorded by the Go toolchain is shown.
var version = ""

// A command is one word of the command line, with its line in the help.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands are listed by "mend help" in this order; the first is the default.
var commands = []command{
	{"run", "run the Discord bot (needs MEND_DISCORD_TOKEN); the default", runBot},
	{"console", "run a check-in for two partners in this terminal", runConsoleCommand},
	{"check-config", "check a config file and exit", runCheckConfig},
	{"library", "list the question packs; --plan N previews the guided path", runLibrary},
	{"invite-url", "print the link that adds the bot to a server", runInviteURL},
	{"backup", "copy the database to FILE, safely while Mend runs", runBackup},
	{"keygen", "print a new key for encrypting what partners write", runKeygen},
	{"rekey", "move everything encrypted to a new key (stop Mend first)", runRekey},
	{"healthcheck", "ask a running Mend's /healthz; exit 0 when healthy, else 1", runHealthcheck},
	{"version", "print the version", runVersion},
}

func usage() string {
	var b strings.Builder
	b.WriteString("Mend: regular, private check-ins for a couple rebuilding trust.\n\nUsage: mend [COMMAND] [OPTIONS]\n\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "  %-14s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(&b, "  %-14s %s\n", "help", "print this list; \"mend help COMMAND\" prints a command's options")
	b.WriteString(`
Every command accepts --config FILE (or MEND_CONFIG=FILE); without one the
defaults are used. Run "mend COMMAND --help" for a command's options.
`)
	return b.String()
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// exitUsage is the exit status for a command line or configuration that Mend
// cannot start with, as opposed to a failure while running.
const exitUsage = 2

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	name := "run"
	switch {
	case len(args) > 0 && isHelpFlag(args[0]):
		// "mend --help" asks about Mend, not about the default command.
		name, args = "help", args[1:]
	case len(args) > 0 && !strings.HasPrefix(args[0], "-"):
		name, args = args[0], args[1:]
	}
	if name == "help" {
		if len(args) == 0 || args[0] == "help" {
			fmt.Fprint(stdout, usage())
			return 0
		}
		name, args = args[0], []string{"--help"}
	}
	for _, c := range commands {
		if c.name == name {
			return c.run(ctx, args, stdin, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "mend: unknown command %q\n\n%s", name, usage())
	return exitUsage
}

// isHelpFlag reports the spellings of help that the flag package accepts.
func isHelpFlag(arg string) bool {
	switch arg {
	case "-h", "--h", "-help", "--help":
		return true
	}
	return false
}

func newFlagSet(name, synopsis string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: mend %s\n\nOptions:\n", synopsis)
		fs.PrintDefaults()
	}
	configPath := fs.String("config", os.Getenv(configEnv), "TOML config `FILE` (default: $MEND_CONFIG, else built-in defaults)")
	return fs, configPath
}

// parseFlags parses args and reports the exit status to use when parsing
// ended the command (help was asked for, or a flag was wrong). Help that was
// asked for goes to stdout, so it can be paged; after a mistake it goes to
// stderr with the mistake.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) (int, bool) {
	// Parse prints the usage in both cases to the same place; it is printed
	// below instead, once it is known which case this is.
	printUsage := fs.Usage
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.Usage = printUsage
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
		return 0, true
	case err != nil:
		fs.Usage()
		return exitUsage, true
	case fs.NArg() > 0:
		fmt.Fprintf(fs.Output(), "mend %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return exitUsage, true
	}
	return 0, false
}

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

    go run . console
`, tokenEnv, tokenEnv)
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
	stopBackups := startBackups(ctx, cfg.Database.Path, cfg, logger)
	defer stopBackups()
	settings := cfg.Settings()
	settings.Announce = true // the bot has a channel to welcome a couple in
	app := conversations.New(conversations.StoresOf(db), conversations.SystemClock{}, cfg.CheckInTemplates(), settings)
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
	}, app, logger)
	if err != nil {
		logger.Error("cannot set up the discord bot", "err", err)
		return 1
	}
	logger.Info("starting mend", "version", buildVersion(), "database", cfg.Database.Path)
	stopOps, err := serveOps(ctx, cfg, metrics, b, db, app, logger)
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

func newLogger(cfg logConfig, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.Level))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

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
	if id == "" {
		fmt.Fprintf(stderr, "mend invite-url: no application ID. Pass --app-id (Discord Developer Portal, your application, General Information, Application ID), set discord.application_id, or set %s.\n", tokenEnv)
		return exitUsage
	}
	fmt.Fprintln(stdout, bot.InviteURL(id))
	return 0
}

func runCheckConfig(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs, configPath := newFlagSet("check-config", "check-config [--config FILE]", stderr)
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	cfg, err := LoadConfig(*configPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	source := cfg.Path
	if source == "" {
		source = "No config file given; the defaults"
	}
	fmt.Fprintf(stdout, "%s: valid. Database %s, time zone %s, check-ins open for %s, templates: %s (default %s), question packs: %d (%d questions).\n",
		source, cfg.Database.Path, cfg.CheckIns.TimeZone, cfg.Window(), templateIDs(cfg.CheckInTemplates()), cfg.CheckIns.DefaultTemplate,
		len(cfg.LibraryOf().Packs()), cfg.LibraryOf().QuestionCount())
	return 0
}

func runVersion(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), "Usage: mend version") }
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	fmt.Fprintln(stdout, "mend", buildVersion())
	return 0
}

func buildVersion() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	revision, modified := "", ""
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if revision == "" {
		return "devel"
	}
	if len(revision) > 12 {
		revision = revision[:12]
	}
	return revision + modified
}

// loadConfigFor loads the config a command was given, or says on stderr what
// is wrong with it (FILE:LINE: problem); every command reads it this way.
func loadConfigFor(path string, stderr io.Writer) (*Config, bool) {
	cfg, err := LoadConfig(path)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return nil, false
	}
	return cfg, true
}
