package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mend/config"
	"mend/conversations"
	"mend/internal/testkit"
)

// TestConsoleEnterWhileChangingAnAnswerKeepsIt: at the reread, choosing an
// answer to change and then pressing Enter keeps it, even an optional one
// that Enter would skip when first asked.
func TestConsoleEnterWhileChangingAnAnswerKeepsIt(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	input := testkit.Lines("y", "y",
		"1", // Alex's private safety check: Yes
		"2", "You listened on Tuesday",
		"2", // change the optional note...
		"",  // ...then keep it after all
		"",  // send
		"1", "4", "", "")
	code, stdout, stderr := runMend(t, input, "console", "--db", db, "--template", "pulse")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	testkit.MustContain(t, "stdout", stdout,
		"Changing your answer to question 2 of 2", "Your answer so far: You listened on Tuesday",
		"Or press Enter to keep your answer as it is.", "Kept your answer as it was.",
		"Thank you, Alex.")
	changing := stdout[strings.Index(stdout, "Changing your answer"):strings.Index(stdout, "Kept your answer")]
	if strings.Contains(changing, "press Enter to skip") {
		t.Errorf("changing an answer offers to skip it:\n%s", changing)
	}
	reveal := stdout[strings.LastIndex(stdout, "You have both finished"):]
	testkit.MustContain(t, "the reveal", reveal, "You listened on Tuesday")
}

func TestConsoleListShowsWhatIsOpenWithoutACheckIn(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	t.Setenv("COLUMNS", "80")
	db := filepath.Join(t.TempDir(), "mend.db")

	// Before any check-in there is nothing to list, and no file is made.
	code, stdout, stderr := runMend(t, "", "console", "--db", db, "--list")
	if code != 0 || stdout != "No check-in has been run with "+db+" yet, so there is nothing to list.\n" || stderr != "" {
		t.Errorf("--list on no database: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("--list made %s: %v", db, err)
	}

	twoCommitments(t, db)
	agreed := testkit.Lines("y", "4", "", "", "3", "", "")
	if code, stdout, stderr := runMend(t, agreed, "console", "--db", db, "--template", "pulse", "--agreement", "We are open about money"); code != 0 {
		t.Fatalf("agreement run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	agreements, made, checkIns := consoleRecords(t, db)

	code, stdout, stderr = runMend(t, "", "console", "--db", db, "--list")
	if code != 0 || stderr != "" {
		t.Fatalf("--list: exit %d, stderr %q", code, stderr)
	}
	want := fmt.Sprintf(`Open commitments:
  #%d Ana: “Home by 7 pm on weekdays”
  #%d Ben: “Cook on Fridays”
Agreements:
  #%d “We are open about money”
A commitment that is done can be marked with --done N, or dropped with --drop N.
No check-in was started.
`, made[0].ID, made[1].ID, agreements[0].ID)
	if stdout != want {
		t.Errorf("--list printed\n%s\nwant\n%s", stdout, want)
	}
	if _, _, after := consoleRecords(t, db); after != checkIns {
		t.Errorf("%d check-ins after --list, want %d: listing opens none", after, checkIns)
	}
	if code, _, stderr := runMend(t, "", "console", "--db", db, "--list", "--template", "pulse"); code != exitUsage || !strings.Contains(stderr, "--list runs on its own") {
		t.Errorf("--list with --template: exit %d, %q", code, stderr)
	}
}

func TestConsoleEitherPartnerProposesAnAgreement(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	input := testkit.Lines("y", "y", "y", "1", "4", "", "", "1", "3", "", "")
	code, stdout, stderr := runMend(t, input, "console", "--db", db, "--template", "pulse", "--agreement", "We are open about money", "--proposed-by", "sam")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	testkit.MustContain(t, "stdout", stdout, "Sam proposes an agreement: “We are open about money”", "Alex, do you agree? Type y for yes")
	agreements, _, _ := consoleRecords(t, db)
	if len(agreements) != 1 || agreements[0].CreatedBy != "console-partner-2" || agreements[0].Status != conversations.AgreementActive {
		t.Errorf("agreements = %+v, want one by Sam, active", agreements)
	}

	code, _, stderr = runMend(t, testkit.Lines("y"), "console", "--db", db, "--agreement", "We walk on Sundays", "--proposed-by", "Kim")
	if code != 1 || !strings.Contains(stderr, `Nothing was changed: --proposed-by "Kim" names neither partner; the partners are Alex and Sam.`) {
		t.Errorf("--proposed-by Kim: exit %d, %q", code, stderr)
	}
	if after, _, _ := consoleRecords(t, db); len(after) != 1 {
		t.Errorf("agreements after a wrong name: %+v", after)
	}
	if code, _, stderr := runMend(t, "", "console", "--db", db, "--proposed-by", "Sam"); code != exitUsage || !strings.Contains(stderr, "goes with --agreement") {
		t.Errorf("--proposed-by alone: exit %d, %q", code, stderr)
	}
}

func TestConsoleExampleDueDateIsAWeekFromToday(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	_, stdout, _ := runMend(t, testkit.Lines("y", "y", "1", "4", "Thanks", "", "", "", "Time"), "console", "--db", db)
	testkit.MustContain(t, "stdout", stdout, "like: call my sister | "+dueIn(7))
}

func TestConsoleLeavesNoDatabaseWhenNobodySaidYes(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	for _, input := range []string{"", testkit.Lines("y"), testkit.Lines("y", "n")} {
		dir := t.TempDir()
		db := filepath.Join(dir, "mend.db")
		code, _, stderr := runMend(t, input, "console", "--db", db)
		if code == 0 || !strings.Contains(stderr, "Nothing was created") {
			t.Errorf("input %q: exit %d, %q", input, code, stderr)
		}
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Errorf("input %q left %v in %s", input, left, dir)
		}
	}
}

func TestConsoleNamesWithDoneIsRefusedAndRenamesNobody(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	twoCommitments(t, db)
	_, made, _ := consoleRecords(t, db)
	code, stdout, stderr := runMend(t, "", "console", "--db", db, "--names", "Kim,Lee", "--done", fmt.Sprint(made[0].ID))
	if code != exitUsage || stdout != "" || stderr != "mend console: --done and --drop run on their own, without a check-in; change the names (--names) in another run\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	_, after, _ := consoleRecords(t, db)
	if after[0].Status != conversations.CommitmentOpen {
		t.Errorf("the commitment was closed: %+v", after[0])
	}
	_, stdout, _ = runMend(t, "", "console", "--db", db, "--list")
	testkit.MustContain(t, "--list", stdout, "Ana: “Home by 7 pm on weekdays”", "Ben: “Cook on Fridays”")
}

func TestConsoleSaysTrulyWhatATemplateForAnOpenCheckInDoes(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	runMend(t, testkit.Lines("y", "y", "4"), "console", "--db", db)
	_, stdout, _ := runMend(t, "", "console", "--db", db, "--template", "pulse")
	if strings.Contains(stdout, "will be used for the next check-in") {
		t.Errorf("the console promises what it does not do:\n%s", stdout)
	}
	testkit.MustContain(t, "stdout", strings.Join(strings.Fields(stdout), " "),
		"(--template pulse is not used: a check-in is open, and only one is open at a time. Once this one is finished, run the console with --template pulse again for one of that template.)")
}
