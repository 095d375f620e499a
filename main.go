// Command mend runs Mend, a Discord bot that gives a couple rebuilding trust a
// steady rhythm of private check-ins, and its terminal console.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	// Time zone data is compiled in, so couples' zones resolve on a minimal
	// image or a machine without /usr/share/zoneinfo.
	_ "time/tzdata"

	"mend/config"
)

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
Every command but keygen and version reads a config: --config FILE (or
MEND_CONFIG=FILE); without one the defaults are used. "mend --version"
prints the version. Run "mend COMMAND --help" for a command's options.
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
	case len(args) > 0 && isVersionFlag(args[0]):
		name, args = "version", args[1:]
	case len(args) > 0 && !strings.HasPrefix(args[0], "-"):
		name, args = args[0], args[1:]
	}
	if name == "help" {
		if len(args) == 0 || args[0] == "help" || isHelpFlag(args[0]) {
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

// isVersionFlag reports the usual spellings of asking a program's version.
func isVersionFlag(arg string) bool {
	switch arg {
	case "-version", "--version", "-v", "-V":
		return true
	}
	return false
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
	configPath := fs.String("config", os.Getenv(config.FileEnv), "TOML config `FILE` (default: $MEND_CONFIG, else built-in defaults)")
	return fs, configPath
}

// parseFlags parses args and reports the exit status to use when parsing
// ended the command (help was asked for, or a flag was wrong). Help that was
// asked for goes to stdout, so it can be paged; after a mistake it goes to
// stderr with the mistake.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) (int, bool) {
	if code, done := parseOptions(fs, args, stdout); done {
		return code, true
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "mend %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return exitUsage, true
	}
	return 0, false
}

// parseOptions parses the options in args, leaving the arguments after them
// to the command, and reports the exit status when parsing ended it.
func parseOptions(fs *flag.FlagSet, args []string, stdout io.Writer) (int, bool) {
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
	}
	return 0, false
}

// loadConfigFor loads the config a command was given, or says on stderr what
// is wrong with it (FILE:LINE: problem); every command that takes --config
// reads it this way.
func loadConfigFor(path string, stderr io.Writer) (*config.Config, bool) {
	cfg, err := config.LoadConfig(path)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return nil, false
	}
	return cfg, true
}
