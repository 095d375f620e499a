package console

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mend/config"
	"mend/internal/testkit"
	"mend/storage"
)

// runAtTerminal runs a pulse check-in as two partners at one terminal would,
// with input typed line by line.
func runAtTerminal(t *testing.T, input string) (stdout string, err error) {
	t.Helper()
	stdout, _, err = runAtTerminalOn(t, input)
	return stdout, err
}

// runAtTerminalOn is runAtTerminal that also names the database file.
func runAtTerminalOn(t *testing.T, input string) (stdout, path string, err error) {
	t.Helper()
	t.Setenv(config.FileEnv, "")
	ctx := context.Background()
	path = filepath.Join(t.TempDir(), "mend.db")
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg, err := config.LoadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut strings.Builder
	c := newConsole(ctx, cfg.Service(db.Stores()), strings.NewReader(input), &out, &errOut)
	c.interactive, c.dbPath = true, path
	err = c.run(ctx, Options{TemplateID: "pulse", Names: DefaultNames, TimeZone: "UTC", DBPath: path, Safety: cfg.SafetyNote()})
	return out.String(), path, err
}

func TestTheSecondTurnAtATerminalSaysTheAnswersStayPrivateInsteadOfAskingTheFirstToWait(t *testing.T) {
	// Alex: feeling, note, Enter to send; Enter to hand over; Sam: feeling,
	// note, Enter to send.
	stdout, err := runAtTerminal(t, testkit.Lines("y", "y", "1", "4", "", "", "", "1", "3", "", ""))
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stdout)
	}
	alexTurn, samTurn, ok := strings.Cut(stdout, "══ Sam's turn ══")
	if !ok {
		t.Fatalf("no turn for Sam:\n%s", stdout)
	}
	testkit.MustContain(t, "Alex's turn", alexTurn, "Sam, please look away until it is your turn.")
	testkit.MustContain(t, "Sam's turn", samTurn, "Sam's answers stay private until both of you see them together.")
	if strings.Contains(samTurn, "Alex, please look away") {
		t.Errorf("Alex, whose turn is over, is asked to wait for their turn:\n%s", samTurn)
	}
}

func TestCtrlDAtATerminalIsNamedInPlainWords(t *testing.T) {
	stdout, err := runAtTerminal(t, testkit.Lines("y", "y", "1", "4"))
	var incomplete *IncompleteError
	if !errors.As(err, &incomplete) {
		t.Fatalf("run returned %v, want the check-in left unfinished\n%s", err, stdout)
	}
	msg := incomplete.Error()
	testkit.MustContain(t, "the message", msg, "You stopped (Ctrl-D) before the check-in was finished. Everything answered so far is saved in")
	if strings.Contains(msg, "end of input") {
		t.Errorf("the message speaks of %q:\n%s", "end of input", msg)
	}
}

// clearScreen is what the console prints before the second partner's turn.
const clearScreen = "\x1b[H\x1b[2J\x1b[3J"

func TestTheSafetyCheckIsAskedInEachPartnersOwnTurnAndNotAlwaysShowsTheNoteThere(t *testing.T) {
	// Alex: Not always, Enter to go on, feeling, note, Enter to send; Enter
	// to hand over; Sam: Yes, feeling, note, Enter to send.
	stdout, path, err := runAtTerminalOn(t, testkit.Lines("y", "y", "3", "", "4", "", "", "", "1", "3", "", ""))
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stdout)
	}
	alexTurn, rest, ok := strings.Cut(stdout, clearScreen)
	if !ok {
		t.Fatalf("the screen is not cleared before Sam's turn:\n%s", stdout)
	}
	samTurn, reveal, _ := strings.Cut(rest, "You have both finished")
	testkit.MustContain(t, "Alex's turn", alexTurn,
		"Just for you, never shown to Sam: right now, do you feel safe with Sam?",
		"1  Yes", "2  Mostly", "3  Not always", "4  I'd rather not say",
		"Only you can see this. If you ever feel unsafe, type ? for a note.",
		"A note for you", "How you feel matters.", "Press Enter to go on, or type b and Enter to take a break.")
	testkit.MustContain(t, "Sam's turn", samTurn, "Just for you, never shown to Alex: right now, do you feel safe with Alex?")
	for what, text := range map[string]string{"Sam's turn": samTurn, "the reveal": reveal} {
		for _, never := range []string{"A note for you", "How you feel matters."} {
			if strings.Contains(text, never) {
				t.Errorf("%s shows %q:\n%s", what, never, text)
			}
		}
	}
	for _, never := range []string{"Not always", "Mostly", "safe with"} {
		if strings.Contains(reveal, never) {
			t.Errorf("the reveal shows %q:\n%s", never, reveal)
		}
	}
	wantFileLacks(t, path, "Not always", "How you feel matters", "safe with")
}

func TestIdRatherNotSayGetsOneGentleLineAndTheCheckInGoesOn(t *testing.T) {
	stdout, err := runAtTerminal(t, testkit.Lines("y", "y", "4", "4", "", "", "", "1", "3", "", ""))
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stdout)
	}
	alexTurn, _, _ := strings.Cut(stdout, clearScreen)
	testkit.MustContain(t, "Alex's turn", alexTurn, "That's okay. Type ? at any question whenever you want the note.", "Question 1 of 2")
	if strings.Contains(alexTurn, "A note for you") {
		t.Errorf("I'd rather not say shows the note:\n%s", alexTurn)
	}
}

func TestTakingABreakAfterTheSafetyNoteStopsTheTurnAndKeepsEverything(t *testing.T) {
	stdout, err := runAtTerminal(t, testkit.Lines("y", "y", "3", "b"))
	var incomplete *IncompleteError
	if !errors.As(err, &incomplete) {
		t.Fatalf("run returned %v, want the check-in left for later\n%s", err, stdout)
	}
	testkit.MustContain(t, "the message", incomplete.Error(), "Take the time you need: a few minutes, or until tomorrow.", "Run the same command again")
	if strings.Contains(stdout, "Question 1 of 2") {
		t.Errorf("the first question followed the break:\n%s", stdout)
	}
	// The safety check and the note are not left on the screen.
	if _, after, ok := strings.Cut(stdout, "A note for you"); !ok || !strings.Contains(after, clearScreen) {
		t.Errorf("the screen is not cleared after the break:\n%q", stdout)
	}
}

// wantFileLacks fails when the file at path holds any of the texts.
func wantFileLacks(t *testing.T, path string, texts ...string) {
	t.Helper()
	for _, f := range []string{path, path + "-wal"} {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, text := range texts {
			if bytes.Contains(data, []byte(text)) {
				t.Errorf("%s holds %q", filepath.Base(f), text)
			}
		}
	}
}

// The console has no /help: a question mark at any question shows the
// safety note there and then, answers nothing, and asks the question again.
func TestAQuestionMarkAtAnyQuestionShowsTheNoteAndAnswersNothing(t *testing.T) {
	// Alex: Yes, ? at the feeling, then feeling, note, Enter to send; Enter
	// to hand over; Sam: Yes, feeling, note, Enter to send.
	stdout, path, err := runAtTerminalOn(t, testkit.Lines("y", "y", "1", "?", "4", "", "", "", "1", "3", "", ""))
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stdout)
	}
	alexTurn, _, _ := strings.Cut(stdout, clearScreen)
	_, afterQuestion, ok := strings.Cut(alexTurn, "Question 1 of 2")
	if !ok {
		t.Fatalf("Alex was not asked the first question:\n%s", alexTurn)
	}
	testkit.MustContain(t, "after the question mark", afterQuestion, "A note for you", "How you feel matters.", "Question 1 of 2")
	testkit.MustContain(t, "the reveal", stdout, "4 of 5", "3 of 5")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "How you feel matters") {
		t.Error("the note was written to the database")
	}
}
