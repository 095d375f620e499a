package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"mend/conversations"
)

// maxPlanPreview bounds `mend library --plan`: twenty years of weeks.
const maxPlanPreview = 1040

func runLibrary(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs, configPath := newFlagSet("library", "library [--config FILE] [--plan N]", stderr)
	weeks := fs.Int("plan", 0, "print instead the first `N` weeks of the guided path for a new couple: week, theme, question id and text, tab-separated")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	planGiven := false
	fs.Visit(func(f *flag.Flag) { planGiven = planGiven || f.Name == "plan" })
	if planGiven && (*weeks < 1 || *weeks > maxPlanPreview) {
		fmt.Fprintf(stderr, "mend library: --plan takes a number of weeks from 1 to %d (got %d)\n", maxPlanPreview, *weeks)
		return exitUsage
	}
	cfg, ok := loadConfigFor(*configPath, stderr)
	if !ok {
		return exitUsage
	}
	library := cfg.LibraryOf()
	if planGiven {
		printPlan(stdout, library, *weeks)
		return 0
	}
	printPacks(stdout, library)
	return 0
}

// printPacks lists the packs, one line each, and what they hold in all.
func printPacks(w io.Writer, l *conversations.Library) {
	onPlan := map[string]bool{}
	for _, p := range l.Plan() {
		onPlan[p.ID] = true
	}
	for _, p := range l.Packs() {
		note := ""
		if !onPlan[p.ID] {
			note = ", not on the plan"
		}
		fmt.Fprintf(w, "%-24s %-36s %3d questions (%s%s)\n", p.ID, p.Name, len(p.Questions), p.Step.Label(), note)
	}
	fmt.Fprintf(w, "total: %d questions in %d packs\n", l.QuestionCount(), len(l.Packs()))
}

// printPlan prints the first weeks of the path a new couple walks, one line
// a week, tab-separated, for reading or for a script.
func printPlan(w io.Writer, l *conversations.Library, weeks int) {
	for i, d := range l.Preview(weeks) {
		q, _ := l.Question(d.Question)
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", i+1, d.Theme, d.Question, q.Text)
	}
}
