package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
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
	fs, configPath := newFlagSet("console", "console [--config FILE] [--db FILE] [--template ID] [--names NAME,NAME] [--agreement TEXT]... | console [--done N]... [--drop N]...", stderr)
	dbPath := fs.String("db", "", "SQLite database `FILE` (default: database.path from the config, else mend.db)")
	templateID := fs.String("template", "", "template `ID` for a new check-in (default: checkins.default_template)")
	names := fs.String("names", "", "the two partners' `NAMES`, comma separated (default: Alex,Sam)")
	var agreements stringList
	fs.Var(&agreements, "agreement", "propose an agreement `TEXT` before the check-in; the second partner is asked to agree (repeatable)")
	var doneIDs, dropIDs idList
	fs.Var(&doneIDs, "done", "mark the open commitment number `N` done, and start no check-in (repeatable)")
	fs.Var(&dropIDs, "drop", "drop the open commitment number `N`, and start no check-in (repeatable)")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	if len(doneIDs)+len(dropIDs) > 0 && len(agreements) > 0 {
		fmt.Fprintln(stderr, "mend console: --done and --drop run on their own, without a check-in; propose an agreement (--agreement) in another run")
		return exitUsage
	}
	cfg, ok := loadConfigFor(*configPath, stderr)
	if !ok {
		return exitUsage
	}
	opts := console.Options{TemplateID: *templateID, Names: console.DefaultNames, Agreements: agreements, TimeZone: cfg.CheckIns.TimeZone, Done: doneIDs, Drop: dropIDs}
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

	// Quiet unless there is something to say: sealing text stored before a
	// key was given, which can take a while.
	db, err := openStore(ctx, path, slog.New(slog.NewTextHandler(stderr, nil)))
	if err != nil {
		fmt.Fprintf(stderr, "mend console: %v\n", err)
		return 1
	}
	defer db.Close()
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
	switch {
	case err == nil:
		return 0
	case errors.As(err, &incomplete):
		fmt.Fprint(stderr, incomplete.Error())
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
