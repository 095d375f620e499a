package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mend/config"
	"mend/console"
	"mend/conversations"
	"mend/internal/testkit"
	"mend/storage"
)

// consoleCouple opens a database and reads its console couple; the caller
// closes the database.
func consoleCouple(t *testing.T, path string) (*storage.DB, conversations.Couple) {
	t.Helper()
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	couple, err := db.Couples.CoupleOf(context.Background(), console.Guild, console.FirstPartner)
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	return db, couple
}

// consoleRecords reads what the console couple of a database holds.
func consoleRecords(t *testing.T, path string) ([]conversations.Agreement, []conversations.Commitment, int) {
	t.Helper()
	ctx := context.Background()
	db, couple := consoleCouple(t, path)
	defer db.Close()
	agreements, err := db.Agreements.Agreements(ctx, couple.ID)
	if err != nil {
		t.Fatal(err)
	}
	commitments, err := db.Commitments.Commitments(ctx, couple.ID)
	if err != nil {
		t.Fatal(err)
	}
	checkIns, err := db.CheckIns.CheckIns(ctx, couple.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	return agreements, commitments, len(checkIns)
}

func TestConsoleAgreementNeedsTheSecondPartnersYes(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	for _, c := range []struct {
		answer string
		agreed bool
	}{
		{"y", true}, {"YES", true}, {"no", false}, {"yes please", false}, {"", false},
	} {
		t.Run(fmt.Sprintf("%q", c.answer), func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "mend.db")
			code, stdout, stderr := runMend(t, testkit.Lines("y", "y", c.answer, "1", "4", "", "", "1", "3", "", ""),
				"console", "--db", db, "--template", "pulse", "--agreement", "We are open about money")
			if code != 0 {
				t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
			}
			testkit.MustContain(t, "stdout", stdout, "Alex proposes an agreement: “We are open about money”", "Sam, do you agree? Type y for yes")
			agreements, _, _ := consoleRecords(t, db)
			if c.agreed {
				testkit.MustContain(t, "stdout", stdout, "Agreed by both of you, and reviewed at each check-in")
				if len(agreements) != 1 || agreements[0].Status != conversations.AgreementActive || agreements[0].AgreedAt.IsZero() {
					t.Errorf("agreements = %+v, want one active, agreed", agreements)
				}
				return
			}
			testkit.MustContain(t, "stdout", stdout, "Not agreed, so nothing was added")
			if len(agreements) != 0 {
				t.Errorf("agreements = %+v, want none", agreements)
			}
		})
	}
}

func TestConsoleAgreementNotAgreedIsNotReviewed(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	input := testkit.Lines("y", "y", "n",
		"1", "4", "Thanks", "", "", "", "Time", "", "",
		"1", "4", "Thanks too", "", "", "", "Rest", "", "")
	code, stdout, stderr := runMend(t, input, "console", "--db", db, "--agreement", "We are open about money")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if strings.Contains(stdout, "Agreement: “We are open about money”") {
		t.Errorf("an agreement Sam did not agree to is reviewed:\n%s", stdout)
	}
}

// twoCommitments runs a check-in in which Ana and Ben each make one.
func twoCommitments(t *testing.T, db string) {
	t.Helper()
	input := testkit.Lines("y", "y",
		"1", "4", "Thanks", "", "", "", "Time", "Home by 7 pm on weekdays", "",
		"1", "4", "Thanks too", "", "", "", "Rest", "Cook on Fridays", "",
	)
	if code, stdout, stderr := runMend(t, input, "console", "--db", db, "--names", "Ana,Ben"); code != 0 {
		t.Fatalf("first run: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

func TestConsoleMarksACommitmentDoneAndDropsOneWithoutACheckIn(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	twoCommitments(t, db)
	_, made, checkIns := consoleRecords(t, db)
	if len(made) != 2 {
		t.Fatalf("commitments made: %+v", made)
	}

	code, stdout, stderr := runMend(t, "", "console", "--db", db,
		"--done", fmt.Sprint(made[0].ID), "--drop", fmt.Sprint(made[1].ID))
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	testkit.MustContain(t, "stdout", stdout,
		"Marked done: Ana's “Home by 7 pm on weekdays”.",
		"Dropped: Ben's “Cook on Fridays”.",
		"It is no longer asked about at",
		"No check-in was started")
	_, after, checkInsAfter := consoleRecords(t, db)
	if after[0].Status != conversations.CommitmentDone || after[1].Status != conversations.CommitmentDropped {
		t.Errorf("statuses %s and %s, want done and dropped", after[0].Status, after[1].Status)
	}
	if checkInsAfter != checkIns {
		t.Errorf("%d check-ins after --done, want %d: marking one done starts none", checkInsAfter, checkIns)
	}
}

func TestConsoleListsOpenCommitmentsWithTheirNumbersBeforeACheckIn(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	twoCommitments(t, db)
	_, made, _ := consoleRecords(t, db)
	code, stdout, _ := runMend(t, testkit.Lines("4"), "console", "--db", db)
	if code == 0 {
		t.Fatal("a check-in cut short exited 0")
	}
	testkit.MustContain(t, "stdout", stdout, "--done N", "--drop N",
		fmt.Sprintf("#%d Ana: “Home by 7 pm on weekdays”", made[0].ID),
		fmt.Sprintf("#%d Ben: “Cook on Fridays”", made[1].ID))
}

func TestConsoleRefusesABadCommitmentNumberAndChangesNothing(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	twoCommitments(t, db)
	_, made, _ := consoleRecords(t, db)

	for _, args := range [][]string{
		{"--done", fmt.Sprint(made[0].ID), "--drop", "99"},
		{"--done", fmt.Sprint(made[0].ID), "--drop", fmt.Sprint(made[0].ID)},
	} {
		code, stdout, stderr := runMend(t, "", append([]string{"console", "--db", db}, args...)...)
		if code != 1 || !strings.Contains(stderr, "Nothing was changed") {
			t.Errorf("%v: exit %d\n%s\n%s", args, code, stdout, stderr)
		}
	}
	testkit.MustContain(t, "an unknown number", func() string {
		_, _, stderr := runMend(t, "", "console", "--db", db, "--done", "99")
		return stderr
	}(), "#99 is not an open commitment", fmt.Sprintf("they are #%d, #%d", made[0].ID, made[1].ID))
	if code, _, stderr := runMend(t, "", "console", "--db", db, "--done", "first"); code != exitUsage || !strings.Contains(stderr, "is not a commitment's number") {
		t.Errorf("--done first: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runMend(t, "", "console", "--db", db, "--done", "1", "--agreement", "x"); code != exitUsage || !strings.Contains(stderr, "run on their own") {
		t.Errorf("--done with --agreement: exit %d, %s", code, stderr)
	}
	_, after, _ := consoleRecords(t, db)
	for _, c := range after {
		if c.Status != conversations.CommitmentOpen {
			t.Errorf("commitment #%d is %s after refused commands", c.ID, c.Status)
		}
	}
}

func TestConsoleSkipsANewCommitmentWhenThereIsNoRoom(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	dir := t.TempDir()
	configFile := filepath.Join(dir, "mend.toml")
	src := `[checkins]
max_open_commitments = 1

[[template]]
id = "promise"
[[template.prompt]]
id = "new"
kind = "new-commitment"
text = "One concrete thing for next week?"
`
	if err := os.WriteFile(configFile, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "mend.db")
	args := []string{"console", "--config", configFile, "--db", db, "--template", "promise"}
	if code, stdout, stderr := runMend(t, testkit.Lines("y", "y", "1", "Home by 7 pm", "", "1", "Cook on Fridays", ""), args...); code != 0 {
		t.Fatalf("first run: exit %d\n%s\n%s", code, stdout, stderr)
	}

	// Alex has no room: the words are refused and given back, and an empty line goes on.
	code, stdout, stderr := runMend(t, testkit.Lines("Walk every evening", "", "", "Call my sister", "", ""), args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	testkit.MustContain(t, "stdout", stdout, "You have 1 open commitments", "For now, you can skip this question", "Or press Enter to skip this one.")
	testkit.MustContain(t, "stderr", stderr, "Nothing was added; here are your words, so they are not lost: “Walk every evening”")
}

// consoleBoundaries reads the boundaries of the console couple of a database.
func consoleBoundaries(t *testing.T, path string) (conversations.Couple, []conversations.Boundary) {
	t.Helper()
	db, couple := consoleCouple(t, path)
	defer db.Close()
	all, err := db.Boundaries.Boundaries(context.Background(), couple.ID)
	if err != nil {
		t.Fatal(err)
	}
	return couple, all
}

// A personal boundary needs nobody's yes: the console asks only whose it is,
// says so, and lists it, as information, before the next check-in.
func TestConsoleBoundaryIsOnePartnersOwnAndNeedsNoAgreement(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	const words = "I need a day's notice before plans with your family"
	code, stdout, stderr := runMend(t, testkit.Lines("y", "y", "2", "1", "4", "", "", "1", "3", "", ""),
		"console", "--db", db, "--template", "pulse", "--boundary", words)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	testkit.MustContain(t, "stdout", stdout, "Whose boundary is this? Type 1 for Alex or 2 for Sam",
		"Sam's boundary, for Alex to know: “I need a day's notice before plans with your\nfamily”. It needs nobody's agreement, and only Sam can change or end it.")
	couple, all := consoleBoundaries(t, db)
	if len(all) != 1 || all[0].OwnerID != couple.Partners[1].UserID || all[0].Text != words || all[0].Status != conversations.BoundaryActive {
		t.Fatalf("boundaries = %+v, want one of Sam's", all)
	}

	// The next run lists it before the check-in; nobody reviews it.
	code, stdout, stderr = runMend(t, testkit.Lines("4", "", "", "3", "", ""), "console", "--db", db, "--template", "pulse")
	if code != 0 {
		t.Fatalf("second run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	testkit.MustContain(t, "second run", stdout, "Your boundaries, each one's own:", "Sam: “"+words+"”")

	// Anything but 1 or 2 adds nothing.
	other := filepath.Join(t.TempDir(), "mend.db")
	if code, stdout, stderr := runMend(t, testkit.Lines("y", "y", "both", "1", "4", "", "", "1", "3", "", ""),
		"console", "--db", other, "--template", "pulse", "--boundary", words); code != 0 || !strings.Contains(stdout, "Nothing was added.") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if _, all := consoleBoundaries(t, other); len(all) != 0 {
		t.Errorf("boundaries after no owner was named = %+v, want none", all)
	}
}

// A boundary's owner may look at it in their own turn, and only they are
// asked: the reveal shows their words about it as theirs alone, and nothing
// when they pass over it.
func TestConsoleBoundaryIsLookedAtByItsOwnerAloneAndShownAsTheirWords(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	const words = "Sunday evenings are mine to rest"
	in := []string{"y", "y", "2", "1", "", "", "", "", "", "", "", "", "1", "", "", "It still feels right", "", "", "", "", "", ""}
	code, stdout, stderr := runMend(t, testkit.Lines(in...), "console", "--db", filepath.Join(t.TempDir(), "mend.db"), "--boundary", words)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	alex, sam, ok := strings.Cut(stdout, "══ Sam's turn ══")
	if !ok {
		t.Fatalf("no turn for Sam:\n%s", stdout)
	}
	_, alex, _ = strings.Cut(alex, "══ Alex's turn ══")
	if strings.Contains(alex, "boundary of mine") || !strings.Contains(alex, "Question 7 of 7") {
		t.Errorf("Alex's turn asks about Sam's boundary, or is not 7 questions long:\n%s", alex)
	}
	sam, reveal, _ := strings.Cut(sam, "Here are your answers, side by side.")
	testkit.MustContain(t, "Sam's turn", sam, "Question 3 of 8\nHow this boundary of mine is sitting with me right now:\n  Your boundary: “"+words+"”",
		"Only you are asked about your own boundaries, and you can skip this.")
	testkit.MustContain(t, "the reveal", reveal, "How this boundary of mine is sitting with me right now:\n  Sam's boundary: “"+words+"”\n  Sam: It still feels right\n")

	skipped := []string{"y", "y", "2", "1", "", "", "", "", "", "", "", "", "1", "", "", "", "", "", "", "", "", ""}
	code, stdout, stderr = runMend(t, testkit.Lines(skipped...), "console", "--db", filepath.Join(t.TempDir(), "mend.db"), "--boundary", words)
	if code != 0 {
		t.Fatalf("skipping: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if _, reveal, _ := strings.Cut(stdout, "Here are your answers, side by side."); strings.Contains(reveal, "boundary") || strings.Contains(reveal, words) {
		t.Errorf("the reveal mentions a boundary Sam passed over:\n%s", reveal)
	}
}
