package console

import (
	"context"
	"errors"
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
	t.Setenv(config.FileEnv, "")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "mend.db")
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
	err = c.run(ctx, Options{TemplateID: "pulse", Names: DefaultNames, TimeZone: "UTC"})
	return out.String(), err
}

func TestTheSecondTurnAtATerminalSaysTheAnswersStayPrivateInsteadOfAskingTheFirstToWait(t *testing.T) {
	// Alex: feeling, note, Enter to send; Enter to hand over; Sam: feeling,
	// note, Enter to send.
	stdout, err := runAtTerminal(t, testkit.Lines("y", "y", "4", "", "", "", "3", "", ""))
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
	stdout, err := runAtTerminal(t, testkit.Lines("y", "y", "4"))
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
