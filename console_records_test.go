package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mend/conversations"
	"mend/storage"
)

// consoleRecords reads what the console couple of a database holds.
func consoleRecords(t *testing.T, path string) ([]conversations.Agreement, []conversations.Commitment, int) {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	couple, err := db.CoupleOf(ctx, consoleGuild, consoleUser1)
	if err != nil {
		t.Fatal(err)
	}
	agreements, err := db.Agreements(ctx, couple.ID)
	if err != nil {
		t.Fatal(err)
	}
	commitments, err := db.Commitments(ctx, couple.ID)
	if err != nil {
		t.Fatal(err)
	}
	checkIns, err := db.CheckIns(ctx, couple.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	return agreements, commitments, len(checkIns)
}

func TestConsoleAgreementNeedsTheSecondPartnersYes(t *testing.T) {
	t.Setenv(configEnv, "")
	for _, c := range []struct {
		answer string
		agreed bool
	}{
		{"y", true}, {"YES", true}, {"no", false}, {"yes please", false}, {"", false},
	} {
		t.Run(fmt.Sprintf("%q", c.answer), func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "mend.db")
			code, stdout, stderr := runMend(t, lines(c.answer, "4", "", "3", ""),
				"console", "--db", db, "--template", "pulse", "--agreement", "We are open about money")
			if code != 0 {
				t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
			}
			mustContain(t, "stdout", stdout, "Alex proposes an agreement: “We are open about money”", "Sam, do you agree? Type y for yes")
			agreements, _, _ := consoleRecords(t, db)
			if c.agreed {
				mustContain(t, "stdout", stdout, "Agreed by both of you, and reviewed at each check-in")
				if len(agreements) != 1 || agreements[0].Status != conversations.AgreementActive || agreements[0].AgreedAt.IsZero() {
					t.Errorf("agreements = %+v, want one active, agreed", agreements)
				}
				return
			}
			mustContain(t, "stdout", stdout, "Not agreed, so nothing was added")
			if len(agreements) != 0 {
				t.Errorf("agreements = %+v, want none", agreements)
			}
		})
	}
}

func TestConsoleAgreementNotAgreedIsNotReviewed(t *testing.T) {
	t.Setenv(configEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	input := lines("n",
		"4", "Thanks", "", "", "Time", "",
		"4", "Thanks too", "", "", "Rest", "")
	code, stdout, stderr := runMend(t, input, "console", "--db", db, "--agreement", "We are open about money")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if strings.Contains(stdout, "Agreement: “We are open about money”") {
		t.Errorf("an agreement Sam did not agree to is reviewed:\n%s", stdout)
	}
}

func TestConsoleSkipsANewCommitmentWhenThereIsNoRoom(t *testing.T) {
	t.Setenv(configEnv, "")
	dir := t.TempDir()
	config := filepath.Join(dir, "mend.toml")
	src := `[checkins]
max_open_commitments = 1

[[template]]
id = "promise"
[[template.prompt]]
id = "new"
kind = "new-commitment"
text = "One concrete thing for next week?"
`
	if err := os.WriteFile(config, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "mend.db")
	args := []string{"console", "--config", config, "--db", db, "--template", "promise"}
	if code, stdout, stderr := runMend(t, lines("Home by 7 pm", "Cook on Fridays"), args...); code != 0 {
		t.Fatalf("first run: exit %d\n%s\n%s", code, stdout, stderr)
	}

	// Alex has no room: the words are refused and given back, and an empty line goes on.
	code, stdout, stderr := runMend(t, lines("Walk every evening", "", "", "Call my sister"), args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	mustContain(t, "stdout", stdout, "You have 1 open commitments", "For now, you can skip this question", "Or press Enter to skip this one.")
	mustContain(t, "stderr", stderr, "Nothing was added; here are your words, so they are not lost: “Walk every evening”")
}
