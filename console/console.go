// Package console runs Mend's check-ins in a terminal, for two partners at
// one keyboard or from piped lines: an adapter of the domain beside the
// Discord bot, on the same database.
package console

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/term"

	"mend/conversations"
)

// The console couple lives in the same database as Discord couples, under a
// guild ID that no Discord guild can have (Discord IDs are numbers).
const (
	consoleGuild = conversations.ConsoleGuild
	consoleUser1 = "console-partner-1"
	consoleUser2 = "console-partner-2"
)

// Guild and FirstPartner find the console couple in the database, for a
// reader of it such as the command's tests.
const (
	Guild        = consoleGuild
	FirstPartner = consoleUser1
)

// DefaultNames are the partners' names when none are given.
var DefaultNames = [2]string{"Alex", "Sam"}

// Options are what one run of the console does, from the command line.
type Options struct {
	TemplateID string
	Names      [2]string
	// Rename is set when names were given on the command line, so a run
	// without --names keeps the names an earlier run stored.
	Rename     bool
	Agreements []string
	// Boundaries are personal boundaries to state before the check-in; the
	// console asks whose each one is.
	Boundaries []string
	TimeZone   string
	// ProposedBy names the partner who proposes the Agreements; empty for
	// the first.
	ProposedBy string
	// Done and Drop close commitments instead of running a check-in.
	Done, Drop []int64
	// List shows the open commitments and agreements instead of running a
	// check-in.
	List bool
	// Talk walks the couple through a guided talk about their latest
	// reveal instead of running a check-in.
	Talk bool
	// DBPath is the database file, named to the partners: what they write
	// stays in it.
	DBPath string
	// Safety is the note shown, during their turn, to a partner who
	// answered the private safety check "Not always".
	Safety conversations.SafetyNote
}

// Run runs the console for opts: a check-in, the commitments closed, or a
// guided talk.
// Input is read until the console is done with it or ctx ends.
func Run(ctx context.Context, app *conversations.Mend, stdin io.Reader, stdout, stderr io.Writer, opts Options) error {
	c := newConsole(ctx, app, stdin, stdout, stderr)
	c.dbPath = opts.DBPath
	c.safety = opts.Safety
	return c.run(ctx, opts)
}

// console runs check-ins for one couple in a terminal, or from piped lines.
type console struct {
	app         *conversations.Mend
	lines       <-chan inputLine
	out, errOut io.Writer
	// interactive is set when a person types at a terminal: they get
	// friendlier framing; a pipe gets the same prompts and one line per answer.
	interactive bool
	width       int
	dbPath      string
	// safety is the note shown, during their turn, to a partner who
	// answered the private safety check "Not always".
	safety conversations.SafetyNote
}

func newConsole(ctx context.Context, app *conversations.Mend, stdin io.Reader, stdout, stderr io.Writer) *console {
	return &console{app: app, lines: readLines(ctx, stdin), out: stdout, errOut: stderr, interactive: isTerminal(stdin), width: terminalWidth(stdout)}
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// terminalWidth is the width of the terminal the console writes to, so that
// the console's own wrapping, at spaces, is the only wrapping: a terminal
// narrower than the lines breaks them mid-word. Output that is not a
// terminal is wrapped at $COLUMNS, else at 80.
func terminalWidth(out io.Writer) int {
	if f, ok := out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if n, _, err := term.GetSize(int(f.Fd())); err == nil && n >= 20 {
			return min(n, 200)
		}
	}
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n >= 20 && n <= 200 {
		return n
	}
	return 80
}

func (c *console) run(ctx context.Context, opts Options) error {
	if opts.List {
		return c.list(ctx)
	}
	if opts.Talk {
		return c.talk(ctx)
	}
	couple, err := c.couple(ctx, opts)
	if err != nil {
		return err
	}
	if len(opts.Done)+len(opts.Drop) > 0 {
		return c.closeCommitments(ctx, couple, opts.Done, opts.Drop)
	}
	proposer, err := proposerOf(couple, opts.ProposedBy)
	if err != nil {
		return err
	}
	for _, text := range opts.Agreements {
		if err := c.agreement(ctx, couple, proposer, text); err != nil {
			return err
		}
	}
	for _, text := range opts.Boundaries {
		if err := c.boundary(ctx, couple, text); err != nil {
			return err
		}
	}
	ci, err := c.checkIn(ctx, couple, opts.TemplateID)
	if err != nil {
		return err
	}
	if err := c.showCommitments(ctx, ci, couple); err != nil {
		return err
	}
	if err := c.showBoundaries(ctx, couple); err != nil {
		return err
	}
	for i, p := range couple.Partners {
		answered, err := c.turn(ctx, ci, couple, p)
		if err != nil {
			return err
		}
		if i == 0 && answered && c.interactive {
			if err := c.handOver(ctx, ci, couple, couple.Partners[1]); err != nil {
				return err
			}
		}
	}
	reveal, err := c.app.CheckIns.Reveal(ctx, consoleActor(couple.Partners[0].UserID), ci.ID)
	if err != nil {
		return err
	}
	printReveal(c.out, reveal, c.width)
	writeWrapped(c.out, "\n"+talkInvitation, "", c.width)
	return nil
}

// couple finds the console couple of this database, creating it, once both
// partners have said yes, through the same invite-and-accept consent flow
// that Discord couples go through.
func (c *console) couple(ctx context.Context, opts Options) (conversations.Couple, error) {
	couple, err := c.app.Couples.Of(ctx, consoleActor(consoleUser1))
	if conversations.ErrorCode(err) == conversations.ENOTFOUND {
		if err := c.consent(ctx, opts.Names); err != nil {
			return conversations.Couple{}, err
		}
		couple, err = c.app.Couples.Invite(ctx, consoleActor(consoleUser1), opts.Names[0],
			conversations.Partner{UserID: consoleUser2, Name: opts.Names[1]}, opts.TimeZone)
		if err != nil {
			return conversations.Couple{}, err
		}
		return c.app.Couples.Accept(ctx, consoleActor(consoleUser2), couple.ID, consoleGuild)
	}
	if err != nil || !opts.Rename {
		return couple, err
	}
	for i, p := range couple.Partners {
		if couple, err = c.app.Couples.RenamePartner(ctx, consoleActor(p.UserID), opts.Names[i]); err != nil {
			return conversations.Couple{}, err
		}
	}
	return couple, nil
}

// checkIn resumes the couple's open check-in, or opens a new one.
func (c *console) checkIn(ctx context.Context, couple conversations.Couple, templateID string) (conversations.CheckIn, error) {
	ci, err := c.app.CheckIns.Current(ctx, consoleActor(consoleUser1))
	if err == nil {
		writeWrapped(c.out, fmt.Sprintf("Continuing the %q check-in opened %s; it stays open until %s.",
			ci.Template.Name, formatTime(ci.OpenedAt, couple), formatTime(ci.ClosesAt, couple)), "", c.width)
		if templateID != "" && templateID != ci.Template.ID {
			writeWrapped(c.out, fmt.Sprintf("(--template %s is not used: a check-in is open, and only one is open at a time. Once this one is finished, run the console with --template %s again for one of that template.)", templateID, templateID), "", c.width)
		}
		c.sayTheme(ci)
		return ci, nil
	}
	if conversations.ErrorCode(err) != conversations.ENOTFOUND {
		return conversations.CheckIn{}, err
	}
	if ci, err = c.app.CheckIns.Open(ctx, consoleActor(consoleUser1), templateID); err != nil {
		return conversations.CheckIn{}, err
	}
	writeWrapped(c.out, fmt.Sprintf("A new %q check-in for %s and %s. Each of you answers on your own; your answers are shown side by side once you have both finished.",
		ci.Template.Name, couple.Partners[0].Name, couple.Partners[1].Name), "", c.width)
	c.sayTheme(ci)
	return ci, nil
}

func formatTime(t time.Time, couple conversations.Couple) string {
	return t.In(couple.Location()).Format("Mon 2 Jan 15:04 MST")
}

// turn walks one partner through every step they have not answered yet, and
// reports whether they answered anything now.
func (c *console) turn(ctx context.Context, ci conversations.CheckIn, couple conversations.Couple, p conversations.Partner) (bool, error) {
	step, err := c.app.Turns.Begin(ctx, consoleActor(p.UserID), ci.ID)
	if err != nil {
		return false, err
	}
	if step.Sent {
		fmt.Fprintf(c.out, "\n%s has already sent their answers.\n", p.Name)
		return false, nil
	}
	fmt.Fprintf(c.out, "\n══ %s's turn ══\n", p.Name)
	writeWrapped(c.out, privateFooter, "", c.width)
	if c.interactive {
		privacy, err := c.privacyLine(ctx, ci, couple, p)
		if err != nil {
			return false, err
		}
		writeWrapped(c.out, privacy+" Press Ctrl-D or Ctrl-C at any time to stop; your answers are kept.", "", c.width)
	}
	if step.SafetyCheck {
		if stop, err := c.safetyCheck(ctx, ci, couple, p); stop || err != nil {
			return true, err
		}
	}
	if step.Index > 0 && !step.Done {
		fmt.Fprintf(c.out, "Welcome back, %s. Picking up at question %d of %d.\n", p.Name, step.Index+1, step.Total)
	}
	shown, sentHere := false, false
	for !step.Sent {
		if !shown {
			c.showStep(step, couple)
			shown = true
		}
		fmt.Fprint(c.out, "> ")
		line, ok := c.readLine(ctx)
		if !ok {
			fmt.Fprintln(c.out)
			return true, c.incomplete(ctx, ci, couple)
		}
		if line.tooLong {
			fmt.Fprintf(c.errOut, "That line is too long: Mend reads lines of up to %d MiB, and nothing of it was saved. Please answer on a shorter line.\n", MaxLineBytes>>20)
			continue
		}
		if strings.TrimSpace(line.text) == "?" {
			// The safety note, whenever a partner asks for it; nothing is
			// answered or kept.
			c.showSafetyNote(privateFooter)
			shown = false
			continue
		}
		var next conversations.Step
		switch {
		case step.Revising && strings.TrimSpace(line.text) == "":
			// Enter while changing an answer keeps the answer as it was.
			fmt.Fprintln(c.out, "Kept your answer as it was.")
			next, err = c.app.Turns.Current(ctx, consoleActor(p.UserID), ci.ID)
		case step.Done:
			next, err = c.rereadLine(ctx, step, line.text)
		default:
			next, err = c.answerLine(ctx, step, line.text)
		}
		var stale *conversations.StaleStepError
		if errors.As(err, &stale) {
			c.answeredElsewhere(p, stale.Step)
			step, shown = stale.Step, false
			continue
		}
		if conversations.ErrorCode(err) == conversations.EINVALID {
			fmt.Fprintf(c.errOut, "%s\n", conversations.ErrorMessage(err))
			continue
		}
		if err != nil {
			return true, err
		}
		sentHere = next.Sent
		step, shown = next, false
	}
	if sentHere {
		writeWrapped(c.out, fmt.Sprintf("Thank you, %s. Your answers are sent; they are shown when both of you have sent yours.", p.Name), "", c.width)
	}
	return true, nil
}

// rereadLine takes a line typed at the reread: an empty line sends the
// answers, a question's number opens it again, anything else is refused.
func (c *console) rereadLine(ctx context.Context, step conversations.Step, line string) (conversations.Step, error) {
	line = strings.TrimSpace(line)
	if line == "" {
		return c.app.Turns.Send(ctx, consoleActor(step.UserID), step.CheckIn.ID)
	}
	n, err := strconv.Atoi(line)
	if err != nil || n < 1 || n > len(step.Items) {
		return conversations.Step{}, conversations.Errorf(conversations.EINVALID,
			"Press Enter to send your answers, or type a question's number (1 to %d) to change that answer.", len(step.Items))
	}
	return c.app.Turns.Revisit(ctx, consoleActor(step.UserID), step.CheckIn.ID, n-1)
}

// showReread lists a partner's own answers before they send them.
func (c *console) showReread(step conversations.Step, couple conversations.Couple) {
	w := c.width
	fmt.Fprintf(c.out, "\nYour answers, %s. Read them over: nothing is shown to %s until you have both sent yours.\n", couple.NameOf(step.UserID), couple.Other(step.UserID).Name)
	byKey := map[conversations.StepKey]conversations.Answer{}
	for _, a := range step.Answers {
		byKey[a.Key()] = a
	}
	for i, it := range step.Items {
		text := it.Prompt.Text
		if it.Subject != nil {
			text += " (" + it.Subject.Describe(couple, step.UserID) + ")"
		}
		writeWrapped(c.out, fmt.Sprintf("%d. %s", i+1, text), "", w)
		answer := "—"
		if a, ok := byKey[it.Key()]; ok {
			answer = a.Summary(it.Prompt)
		}
		writeWrapped(c.out, answer, "   ", w)
	}
	writeWrapped(c.out, conversations.RereadPrompt(couple.Other(step.UserID).Name), "", w)
	writeWrapped(c.out, "Press Enter to send, or type a question's number to change it. Once sent, they can no longer be changed.", "", w)
}

// privacyLine opens a partner's turn at a shared terminal. While the other
// partner's turn is still to come, they are asked to look away; once it is
// over, asking them to wait for "their turn" would be wrong, and what they
// need to hear is that these answers stay private until the reveal.
func (c *console) privacyLine(ctx context.Context, ci conversations.CheckIn, couple conversations.Couple, p conversations.Partner) (string, error) {
	other := couple.Other(p.UserID)
	step, err := c.app.Turns.Current(ctx, consoleActor(other.UserID), ci.ID)
	if err != nil {
		return "", err
	}
	if step.Sent {
		return fmt.Sprintf("%s's answers stay private until both of you see them together.", p.Name), nil
	}
	return fmt.Sprintf("%s, please look away until it is your turn.", other.Name), nil
}

// answeredElsewhere explains why a line was not saved: another console on the
// same database (a second window) answered the question first, so the line
// was meant for a question that is behind the partner now.
func (c *console) answeredElsewhere(p conversations.Partner, now conversations.Step) {
	switch {
	case now.Sent:
		fmt.Fprintf(c.errOut, "%s's questions were all answered in another window meanwhile, and sent from there, so this line was not saved.\n", p.Name)
		return
	case now.Done:
		fmt.Fprintf(c.errOut, "%s's questions were all answered in another window meanwhile, so this line was not saved. Here are the answers to read over.\n", p.Name)
		return
	}
	fmt.Fprintf(c.errOut, "That question was answered in another window meanwhile, so this line was not saved. Here is the question %s is on now.\n", p.Name)
}

// clearScreenAndScrollback clears the screen and, where the terminal
// supports it, the scrollback.
const clearScreenAndScrollback = "\x1b[H\x1b[2J\x1b[3J"

// handOver clears the screen before the second partner's turn, so that what
// the first partner wrote is not on it; a terminal shows both at one desk.
func (c *console) handOver(ctx context.Context, ci conversations.CheckIn, couple conversations.Couple, next conversations.Partner) error {
	if step, err := c.app.Turns.Current(ctx, consoleActor(next.UserID), ci.ID); err != nil || step.Sent {
		return err
	}
	writeWrapped(c.out, fmt.Sprintf("\nPlease hand over to %s. %s, press Enter when you are ready; the screen will be cleared first.", next.Name, next.Name), "", c.width)
	if _, ok := c.readLine(ctx); !ok {
		return c.incomplete(ctx, ci, couple)
	}
	fmt.Fprint(c.out, clearScreenAndScrollback)
	return nil
}

func (c *console) readLine(ctx context.Context) (inputLine, bool) {
	select {
	case line, ok := <-c.lines:
		return line, ok
	case <-ctx.Done():
		return inputLine{}, false
	}
}

func (c *console) answerLine(ctx context.Context, step conversations.Step, line string) (conversations.Step, error) {
	key := step.Item.Key()
	if strings.TrimSpace(line) == "" && step.Skippable() {
		return c.app.Turns.Skip(ctx, consoleActor(step.UserID), step.CheckIn.ID, key)
	}
	in, err := parseConsoleAnswer(step.Item.Prompt, line)
	if err != nil {
		return conversations.Step{}, err
	}
	return c.app.Turns.Answer(ctx, consoleActor(step.UserID), step.CheckIn.ID, key, in)
}

func (c *console) showStep(step conversations.Step, couple conversations.Couple) {
	if step.Done {
		c.showReread(step, couple)
		return
	}
	p := step.Item.Prompt
	w := c.width
	if step.Revising {
		fmt.Fprintf(c.out, "\nChanging your answer to question %d of %d\n", step.Index+1, step.Total)
		if step.Previous != nil {
			writeWrapped(c.out, "Your answer so far: "+step.Previous.Summary(p), "  ", w)
		}
	} else {
		fmt.Fprintf(c.out, "\nQuestion %d of %d\n", step.Index+1, step.Total)
	}
	if h := weekHeading(p); h != "" {
		writeWrapped(c.out, h, "", w)
	}
	writeWrapped(c.out, p.Text, "", w)
	if s := step.Item.Subject; s != nil {
		writeWrapped(c.out, s.Describe(couple, step.UserID), "  ", w)
	}
	if p.Hint != "" {
		writeWrapped(c.out, p.Hint, "  ", w)
	}
	if note := step.FullNote(); note != "" {
		writeWrapped(c.out, note, "  ", w)
	}
	if note := step.PartnersPromiseNote(); note != "" {
		writeWrapped(c.out, note, "  ", w)
	}
	writeWrapped(c.out, consoleInstructions(p, exampleDueDate(c.app.Now(), couple)), "  ", w)
	switch {
	case step.Revising:
		writeWrapped(c.out, "Or press Enter to keep your answer as it is.", "  ", w)
	case step.Skippable():
		writeWrapped(c.out, "Or press Enter to skip this one.", "  ", w)
	}
}

// exampleDueDate is a week from today in the couple's time zone: a date
// that can be given, for the example of a due date.
func exampleDueDate(now time.Time, couple conversations.Couple) string {
	return now.In(couple.Location()).AddDate(0, 0, 7).Format(time.DateOnly)
}

func consoleInstructions(p conversations.Prompt, exampleDue string) string {
	switch p.Kind {
	case conversations.KindScale:
		return fmt.Sprintf("Type a number from %d (%s) to %d (%s).", conversations.ScaleMin, p.LowLabel, conversations.ScaleMax, p.HighLabel)
	case conversations.KindChoice:
		var b strings.Builder
		for i, o := range p.Options {
			fmt.Fprintf(&b, "%d) %s   ", i+1, o)
		}
		return strings.TrimSpace(b.String()) + " (type the number)"
	case conversations.KindCommitmentReview, conversations.KindAgreementReview:
		var opts []string
		for i, o := range conversations.Verdicts(p.Kind) {
			opts = append(opts, fmt.Sprintf("%d %s", i+1, o.Label))
		}
		return fmt.Sprintf("Type %s; you can add a note after it, like \"2 late on Thursday\".", strings.Join(opts, ", "))
	case conversations.KindNewCommitment:
		return "Type your commitment on one line. To give it a due date, end with | and the date, like: call my sister | " + exampleDue
	}
	return fmt.Sprintf("Type your answer on one line (up to %d characters).", p.MaxLength)
}

// parseConsoleAnswer turns a typed line into an answer for the prompt. It only
// reads the line; the domain decides whether the answer is acceptable.
func parseConsoleAnswer(p conversations.Prompt, line string) (conversations.AnswerInput, error) {
	line = strings.TrimSpace(line)
	switch p.Kind {
	case conversations.KindScale:
		n, err := strconv.Atoi(line)
		if err == nil && (n < conversations.ScaleMin || n > conversations.ScaleMax) {
			return conversations.AnswerInput{}, conversations.Errorf(conversations.EINVALID, "Please choose a number from %d (%s) to %d (%s).", conversations.ScaleMin, p.LowLabel, conversations.ScaleMax, p.HighLabel)
		}
		if err != nil {
			return conversations.AnswerInput{}, conversations.Errorf(conversations.EINVALID, "Please type a number from %d (%s) to %d (%s).", conversations.ScaleMin, p.LowLabel, conversations.ScaleMax, p.HighLabel)
		}
		return conversations.AnswerInput{Scale: n}, nil
	case conversations.KindChoice:
		if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(p.Options) {
			return conversations.AnswerInput{Choice: p.Options[n-1]}, nil
		}
		for _, o := range p.Options {
			if strings.EqualFold(line, strings.TrimSpace(o)) {
				return conversations.AnswerInput{Choice: o}, nil
			}
		}
		return conversations.AnswerInput{}, conversations.Errorf(conversations.EINVALID, "Please pick one of: %s.", strings.Join(p.Options, ", "))
	case conversations.KindCommitmentReview, conversations.KindAgreementReview:
		return parseVerdictLine(p.Kind, line)
	case conversations.KindNewCommitment:
		if i := strings.LastIndex(line, "|"); i >= 0 {
			return conversations.AnswerInput{Text: line[:i], DueOn: strings.TrimSpace(line[i+1:])}, nil
		}
		return conversations.AnswerInput{Text: line}, nil
	}
	return conversations.AnswerInput{Text: line}, nil
}

// parseVerdictLine reads "2", "partly", "not respected: note" or "1 note".
func parseVerdictLine(kind conversations.PromptKind, line string) (conversations.AnswerInput, error) {
	lower := strings.ToLower(line)
	options := conversations.Verdicts(kind)
	// Longer words first, so "not respected" is not read as a shorter verdict.
	best, bestLen := -1, 0
	for i, o := range options {
		for _, word := range []string{strconv.Itoa(i + 1), strings.ToLower(o.Label), string(o.Verdict)} {
			if len(word) > bestLen && strings.HasPrefix(lower, word) && endsWord(lower[len(word):]) {
				best, bestLen = i, len(word)
			}
		}
	}
	if best < 0 {
		var opts []string
		for i, o := range options {
			opts = append(opts, fmt.Sprintf("%d (%s)", i+1, o.Label))
		}
		return conversations.AnswerInput{}, conversations.Errorf(conversations.EINVALID, "Please start with %s.", strings.Join(opts, ", "))
	}
	note := strings.TrimSpace(strings.TrimLeft(line[bestLen:], " \t:-–—,."))
	return conversations.AnswerInput{Verdict: options[best].Verdict, Note: note}, nil
}

func endsWord(rest string) bool {
	r, _ := utf8.DecodeRuneInString(rest)
	return rest == "" || !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
}

// IncompleteError reports a check-in left unfinished because input ended.
type IncompleteError struct {
	dbPath string
	// reason is a whole sentence in plain words: how the check-in stopped.
	reason    string
	remaining []string
}

func (e *IncompleteError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s Everything answered so far is saved in %s.\nStill unanswered:\n", e.reason, e.dbPath)
	for _, r := range e.remaining {
		fmt.Fprintf(&b, "  %s\n", r)
	}
	b.WriteString("Run the same command again to continue where you left off.\n")
	return b.String()
}

func (c *console) incomplete(ctx context.Context, ci conversations.CheckIn, couple conversations.Couple) error {
	e := &IncompleteError{dbPath: c.dbPath, reason: "The input ran out before the check-in was finished."}
	if c.interactive {
		e.reason = "You stopped (Ctrl-D) before the check-in was finished."
	}
	if ctx.Err() != nil {
		e.reason = "Stopped before the check-in was finished."
		// Saying what is left still needs the database.
		ctx = context.WithoutCancel(ctx)
	}
	for _, p := range couple.Partners {
		step, err := c.app.Turns.Current(ctx, consoleActor(p.UserID), ci.ID)
		if err != nil {
			return err
		}
		items, err := c.app.Turns.Remaining(ctx, consoleActor(p.UserID), ci.ID)
		if err != nil {
			return err
		}
		switch {
		case step.Sent:
			e.remaining = append(e.remaining, fmt.Sprintf("%s: nothing, sent", p.Name))
			continue
		case len(items) == 0:
			e.remaining = append(e.remaining, fmt.Sprintf("%s: everything answered, not sent yet", p.Name))
			continue
		}
		e.remaining = append(e.remaining, fmt.Sprintf("%s: %d of %d questions, next “%s”", p.Name, len(items), step.Total, items[0].Prompt.Text))
	}
	return e
}

// consoleActor is a partner at the console, which is the couple's guild and
// channel both.
func consoleActor(userID string) conversations.Actor {
	return conversations.Actor{UserID: userID, GuildID: consoleGuild, ChannelID: consoleGuild}
}
