package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"log/slog"
	"os"
	"strconv"
	"strings"

	"mend/config"
	"mend/console"
	"mend/conversations"
	"mend/storage"
)

// stringList is a repeatable flag of texts (--agreement A --agreement B).
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, "; ") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runConsoleCommand(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, configPath := newFlagSet("console", "console [--config FILE] [--db FILE] [--template ID] [--names NAME,NAME] [--agreement TEXT]... [--proposed-by NAME] [--boundary TEXT]... | console [--done N]... [--drop N]... | console --list | console --talk", stderr)
	dbPath := fs.String("db", "", "SQLite database `FILE` (default: database.path from the config, else mend.db)")
	templateID := fs.String("template", "", "template `ID` for a new check-in (default: checkins.default_template)")
	names := fs.String("names", "", "the two partners' `NAMES`, comma separated (default: Alex,Sam)")
	var agreements stringList
	fs.Var(&agreements, "agreement", "propose an agreement `TEXT` before the check-in; the other partner is asked to agree (repeatable)")
	proposedBy := fs.String("proposed-by", "", "the partner who proposes the agreements, by `NAME` (default: the first)")
	list := fs.Bool("list", false, "show the open commitments and agreements with their numbers, and start no check-in")
	talk := fs.Bool("talk", false, "talk through your latest reveal together, one step at a time (b for a break, q to stop), and start no check-in")
	var boundaries stringList
	fs.Var(&boundaries, "boundary", "state a personal boundary `TEXT` before the check-in; you are asked whose it is, and nobody has to agree (repeatable)")
	var doneIDs, dropIDs idList
	fs.Var(&doneIDs, "done", "mark the open commitment number `N` done, and start no check-in (repeatable)")
	fs.Var(&dropIDs, "drop", "drop the open commitment number `N`, and start no check-in (repeatable)")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if problem := consoleFlagProblem(fs, len(doneIDs)+len(dropIDs) > 0, *list, *talk); problem != "" {
		fmt.Fprintf(stderr, "mend console: %s\n", problem)
		return exitUsage
	}
	cfg, ok := loadConfigFor(*configPath, stderr)
	if !ok {
		return exitUsage
	}
	opts := console.Options{TemplateID: *templateID, Names: console.DefaultNames, Agreements: agreements, ProposedBy: *proposedBy, Boundaries: boundaries,
		TimeZone: cfg.CheckIns.TimeZone, Done: doneIDs, Drop: dropIDs, List: *list, Talk: *talk}
	if *names != "" {
		parts := strings.Split(*names, ",")
		if len(parts) != 2 || strings.TrimSpace(parts[0]) == "" || strings.TrimSpace(parts[1]) == "" || strings.TrimSpace(parts[0]) == strings.TrimSpace(parts[1]) {
			fmt.Fprintf(stderr, "mend console: --names takes two different names separated by a comma, like --names Alex,Sam (got %q)\n", *names)
			return exitUsage
		}
		opts.Names = [2]string{strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1])}
		opts.Rename = true
	}
	path := cfg.Database.Path
	if *dbPath != "" {
		path = *dbPath
	}
	// --done and --drop act on commitments already stored: no database there
	// is a wrong path, not a new start.
	if len(doneIDs)+len(dropIDs) > 0 {
		if err := storage.Existing(path); err != nil {
			fmt.Fprintf(stderr, "mend console: %v\n", err)
			return 1
		}
	}
	if _, ok := cfg.CheckInTemplates().Get(opts.TemplateID); opts.TemplateID != "" && !ok {
		fmt.Fprintf(stderr, "mend console: there is no template %q; the templates are %s\n", opts.TemplateID, config.TemplateIDs(cfg.CheckInTemplates()))
		return exitUsage
	}

	_, statErr := os.Stat(path)
	fresh := errors.Is(statErr, iofs.ErrNotExist)
	if fresh && *list {
		fmt.Fprintln(stdout, console.NothingYet(path))
		return 0
	}
	if fresh && *talk {
		fmt.Fprintln(stdout, console.NoTalkYet(path))
		return 0
	}
	// Quiet unless there is something to say: sealing text stored before a
	// key was given, which can take a while. It is said in sentences, not
	// log lines, since it is said to the partners.
	db, err := openStore(ctx, path, slog.New(plainHandler{w: stderr}))
	if err != nil {
		fmt.Fprintf(stderr, "mend console: %v\n", err)
		return 1
	}
	defer db.Close()
	if fresh {
		// A database made for a couple that was never created (nobody said
		// yes, or the input ended first) is removed: nothing is left behind.
		defer removeIfNoCouple(db, path)
	}
	if w := db.PermissionWarning(); w != "" {
		fmt.Fprintf(stderr, "mend console: %s\n", w)
	}
	app := cfg.Service(db.Stores())

	// Stops reading input once the console is done with it.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	opts.DBPath = path
	opts.Safety = cfg.SafetyNote()
	err = console.Run(ctx, app, stdin, stdout, stderr, opts)
	var incomplete *console.IncompleteError
	var leftOpen *console.TalkLeftOpenError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &incomplete):
		fmt.Fprint(stderr, incomplete.Error())
	case errors.As(err, &leftOpen):
		fmt.Fprint(stderr, leftOpen.Error())
	case conversations.ErrorCode(err) == conversations.EINTERNAL:
		fmt.Fprintf(stderr, "mend console: %v\n", err)
	default:
		fmt.Fprintf(stderr, "mend console: %s\n", conversations.ErrorMessage(err))
	}
	return 1
}

// idList is a repeatable flag of commitment numbers (--done 3 --done 5).
type idList []int64

func (l *idList) String() string {
	var out []string
	for _, id := range *l {
		out = append(out, strconv.FormatInt(id, 10))
	}
	return strings.Join(out, ",")
}

func (l *idList) Set(v string) error {
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(v), "#"), 10, 64)
	if err != nil || id < 1 {
		return fmt.Errorf("%q is not a commitment's number (the number after # in the list the console shows)", v)
	}
	*l = append(*l, id)
	return nil
}

// consoleFlagProblem says which flags cannot go together, or "".
func consoleFlagProblem(fs *flag.FlagSet, closing, list, talk bool) string {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	if list {
		for name := range given {
			if name != "list" && name != "db" && name != "config" {
				return "--list runs on its own, with --db and --config only: it shows what is open and changes nothing"
			}
		}
	}
	if talk {
		for name := range given {
			if name != "talk" && name != "db" && name != "config" {
				return "--talk runs on its own, with --db and --config only (not with --" + name + "): it talks through your latest reveal and starts no check-in"
			}
		}
	}
	switch {
	case closing && given["agreement"]:
		return "--done and --drop run on their own, without a check-in; propose an agreement (--agreement) in another run"
	case closing && given["boundary"]:
		return "--done and --drop run on their own, without a check-in; state a boundary (--boundary) in another run"
	case closing && given["names"]:
		return "--done and --drop run on their own, without a check-in; change the names (--names) in another run"
	case closing && given["template"]:
		return "--done and --drop run on their own, without a check-in; choose a template (--template) in another run"
	case given["proposed-by"] && !given["agreement"]:
		return "--proposed-by names who proposes an agreement, so it goes with --agreement TEXT"
	}
	return ""
}

// removeIfNoCouple closes a database that this run created and removes it
// when no couple was created in it.
func removeIfNoCouple(db *storage.DB, path string) {
	_, err := db.Couples.CoupleOf(context.Background(), console.Guild, console.FirstPartner)
	if conversations.ErrorCode(err) != conversations.ENOTFOUND {
		return
	}
	_ = db.CloseAndRemove() // the run has already said what went wrong
}

// plainHandler writes log records as sentences ("mend console: message
// (key=value)"), without the time and level of a log line, for a console
// that partners read.
type plainHandler struct {
	w     io.Writer
	attrs []slog.Attr
}

func (h plainHandler) Enabled(_ context.Context, level slog.Level) bool {
	return level >= slog.LevelInfo
}

func (h plainHandler) Handle(_ context.Context, r slog.Record) error {
	var parts []string
	add := func(a slog.Attr) bool { parts = append(parts, a.Key+"="+a.Value.String()); return true }
	for _, a := range h.attrs {
		add(a)
	}
	r.Attrs(add)
	line := "mend console: " + r.Message
	if len(parts) > 0 {
		line += " (" + strings.Join(parts, ", ") + ")"
	}
	_, err := fmt.Fprintln(h.w, line)
	return err
}

func (h plainHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return plainHandler{w: h.w, attrs: append(append([]slog.Attr(nil), h.attrs...), attrs...)}
}

func (h plainHandler) WithGroup(string) slog.Handler { return h }
