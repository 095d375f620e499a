package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"mend/internal/testkit"

	_ "github.com/mattn/go-sqlite3"
)

// TestMain lets a test run this very binary as the mend command, so that a
// real process can be killed in the middle of a check-in.
func TestMain(m *testing.M) {
	if os.Getenv("MEND_TEST_RUN_MAIN") == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func mendProcess(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "MEND_TEST_RUN_MAIN=1", "MEND_CONFIG=")
	return cmd
}

func countAnswers(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM answers`).Scan(&n); err != nil {
		return -1 // the schema may not be there yet
	}
	return n
}

// TestKillingTheProcessMidCheckInLosesNoAnswer kills mend with SIGKILL (no
// chance to clean up) after three answers and checks that a new process
// finds all three and continues after them.
func TestKillingTheProcessMidCheckInLosesNoAnswer(t *testing.T) {
	db := filepath.Join(t.TempDir(), "mend.db")
	cmd := mendProcess(t, "console", "--db", db, "--template", "pulse")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Both say yes; Alex: the safety check, 4 and a note, then sends; Sam:
	// the safety check, 2. Sam's note never comes.
	fmt.Fprint(stdin, "y\ny\n1\n4\nI miss our walks\n\n1\n2\n")
	testkit.WaitUntil(t, "three answers in the database", func() bool { return countAnswers(t, db) >= 3 })
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	again := mendProcess(t, "console", "--db", db)
	again.Stdin = strings.NewReader("\n\n")
	out, err := again.CombinedOutput()
	if err != nil {
		t.Fatalf("the second run failed: %v\n%s", err, out)
	}
	for _, want := range []string{"Alex has already sent their answers", "Welcome back, Sam. Picking up at question 2 of 2", "I miss our walks", "4 of 5", "2 of 5"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the second run does not say %q:\n%s", want, out)
		}
	}
	if n := countAnswers(t, db); n != 4 {
		t.Errorf("%d answers stored, want 4", n)
	}
}
