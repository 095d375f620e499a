package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"mend/config"
	"mend/console"
	"mend/internal/testkit"
	"mend/storage"
)

func dueIn(days int) string { return time.Now().UTC().AddDate(0, 0, days).Format("2006-01-02") }

func TestConsoleRunsAWholeCheckInFromPipedInput(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	due := dueIn(7)
	input := testkit.Lines(
		"y", "y", // both say yes to using Mend together
		// Sam agrees to the agreement Alex proposes
		"y",
		"1", // Alex's private safety check: Yes
		// Alex: trust, appreciation, agreement, hurt, responsibility, the
		// question of the week, need, commitment
		"4", "You cooked on Tuesday", "1", "I felt alone on Sunday", "", "1", "An evening to talk", "Home by 7 pm on weekdays | "+due,
		"", // Alex rereads and sends
		// Sam, after the private safety check
		"1", "3", "You listened to me", "3 we argued about the bill", "", "I was distant", "", "Patience", "",
		"",
	)
	code, stdout, stderr := runMend(t, input, "console", "--db", db, "--agreement", "We are open about money")
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	testkit.MustContain(t, "stdout", stdout,
		"Question 1 of 8", "Question 8 of 8",
		"This week's theme on your path: acknowledging the hurt, week 1 of 14.",
		"When the hurt comes up, what helps me most is…", "Being listened to, without fixing",
		"You have both finished",
		"4 of 5", "3 of 5",
		"Kept", "Not this week: we argued about the", "⇄ You see this one differently",
		"I felt alone on Sunday", "not answered this time",
		"New commitments",
		"• Alex: Home by 7 pm on weekdays (by "+due+")",
		"For the talk that follows: start with what you appreciated.",
		"This week, I felt close to you", "Far apart is common in these weeks. Any number is okay.",
	)
	if stderr != "" {
		t.Errorf("stderr should be empty for valid input, got:\n%s", stderr)
	}
}

func TestConsoleReviewsLastTimesCommitmentsOnTheNextRun(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	first := testkit.Lines(
		"y", "y",
		"1", "4", "Thanks", "", "", "", "Time", "Home by 7 pm on weekdays", "",
		"1", "4", "Thanks too", "", "", "", "Rest", "", "",
	)
	if code, stdout, stderr := runMend(t, first, "console", "--db", db, "--names", "Ana,Ben"); code != 0 {
		t.Fatalf("first run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	second := testkit.Lines(
		// Ana: trust, appreciation, review of her own promise, hurt,
		// responsibility, the question of the week, need, commitment
		"5", "Dinner", "kept: every day but Friday", "", "", "", "More walks", "", "",
		// Ben sees Ana's promise
		"4", "Flowers", "not this week", "", "", "", "Calm", "", "",
	)
	code, stdout, stderr := runMend(t, second, "console", "--db", db)
	if code != 0 {
		t.Fatalf("second run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	testkit.MustContain(t, "second run", stdout,
		"Your promise: “Home by 7 pm on weekdays”",
		"Ana's promise: “Home by 7 pm on weekdays”",
		"Kept: every day but Friday", "Not this week",
		"⇄ You see this one differently",
		"Ana", "Ben", // the names given in the first run are kept
	)
}

func TestConsoleReportsABadLineAndTakesTheNextOne(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	input := testkit.Lines("y", "y", "1", "seven", "9", "5", "", "", "1", "3", "", "")
	code, stdout, stderr := runMend(t, input, "console", "--db", db, "--template", "pulse")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	testkit.MustContain(t, "stderr", stderr, "Please type a number from 1 (Struggling) to 5 (Really good)", "Please choose a number from 1")
	if n := strings.Count(stderr, "\n"); n != 2 {
		t.Errorf("want exactly two complaints on stderr, got %d:\n%s", n, stderr)
	}
	testkit.MustContain(t, "stdout", stdout, "5 of 5 (Really good)", "3 of 5")
}

func TestConsoleLongAnswerIsRefusedByTheAnswersOwnLimit(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	input := testkit.Lines("y", "y", "1", "4", strings.Repeat("a", 100_000), "Short note", "", "1", "3", "", "")
	code, stdout, stderr := runMend(t, input, "console", "--db", db, "--template", "pulse")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if want := "The answer is 100000 characters long; the limit here is 500. Nothing was saved, so you can shorten it and send it again.\n"; stderr != want {
		t.Errorf("stderr = %q, want %q", stderr, want)
	}
	testkit.MustContain(t, "stdout", stdout, "Short note", "4 of 5", "3 of 5")
}

func TestConsoleRefusesALineOverAMebibyteAndReadsOn(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	input := testkit.Lines("y", "y", "1", "4", strings.Repeat("a", console.MaxLineBytes+1), "Short note", "", "1", "3", "", "")
	code, stdout, stderr := runMend(t, input, "console", "--db", db, "--template", "pulse")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	testkit.MustContain(t, "stderr", stderr, "That line is too long")
	if n := strings.Count(stderr, "\n"); n != 1 {
		t.Errorf("want one complaint on stderr, got %d:\n%s", n, stderr)
	}
	testkit.MustContain(t, "stdout", stdout, "Short note", "4 of 5", "3 of 5")
}

func TestConsoleEndOfInputKeepsAnswersAndSaysWhatIsLeft(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	code, _, stderr := runMend(t, testkit.Lines("y", "y", "1", "2", "A kind word"), "console", "--db", db)
	if code == 0 {
		t.Fatal("unfinished input exited 0")
	}
	testkit.MustContain(t, "stderr", stderr,
		"The input ran out before the check-in was finished. Everything answered so far is saved in",
		"Alex: 5 of 7 questions, next “A moment this week that hurt or worried me, if there was one, was…”",
		"Sam: 7 of 7 questions, next “This week, I felt close to you”",
		"Run the same command again",
	)
	rest := testkit.Lines("", "", "", "Quiet time", "", "",
		"1", "3", "Thanks", "", "", "", "Sleep", "", "")
	code, stdout, stderr := runMend(t, rest, "console", "--db", db)
	if code != 0 {
		t.Fatalf("resumed run: exit %d\n%s\n%s", code, stdout, stderr)
	}
	testkit.MustContain(t, "resumed run", stdout, "Continuing the", "Welcome back, Alex. Picking up at question 3 of 7.", "2 of 5", "A kind word", "Quiet time")
}

func TestConsolePreviewsATemplateFromTheConfig(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	dir := t.TempDir()
	code, stdout, stderr := runMend(t, testkit.Lines("y", "y", "1", "4", "2", "", "", "", "1", "5", "1", "Busy day", "Your hug", ""),
		"console", "--config", "config.example.toml", "--db", filepath.Join(dir, "preview.db"), "--template", "evening")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	testkit.MustContain(t, "stdout", stdout, "1) Plenty", "A little", "Plenty", "Busy day", "Your hug", "not answered this time")
}

func TestConsoleRefusesUnknownTemplateAndBadNames(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	code, _, stderr := runMend(t, "", "console", "--db", db, "--template", "nope")
	if code != exitUsage || !strings.Contains(stderr, `there is no template "nope"`) {
		t.Errorf("unknown template: exit %d, %q", code, stderr)
	}
	code, _, stderr = runMend(t, "", "console", "--db", db, "--names", "Solo")
	if code != exitUsage || !strings.Contains(stderr, "two different names") {
		t.Errorf("one name: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("a refused command created the database (stat: %v)", err)
	}
}

// watchedOutput is a console's output that a test can wait on while the
// console is still writing it.
type watchedOutput struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func newWatchedOutput() *watchedOutput { return &watchedOutput{changed: make(chan struct{})} }

func (w *watchedOutput) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	close(w.changed)
	w.changed = make(chan struct{})
	return w.buf.Write(p)
}

func (w *watchedOutput) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// backgroundConsole is "mend console" running in this process, fed line by
// line through a pipe.
type backgroundConsole struct {
	stdin       *io.PipeWriter
	out, errOut *watchedOutput
	exited      chan int
}

func startConsole(t *testing.T, args ...string) *backgroundConsole {
	t.Helper()
	r, w := io.Pipe()
	c := &backgroundConsole{stdin: w, out: newWatchedOutput(), errOut: newWatchedOutput(), exited: make(chan int, 1)}
	go func() {
		c.exited <- run(context.Background(), append([]string{"console"}, args...), r, c.out, c.errOut)
		r.Close()
	}()
	t.Cleanup(func() { w.Close() })
	return c
}

func (c *backgroundConsole) send(t *testing.T, ls ...string) {
	t.Helper()
	if _, err := io.WriteString(c.stdin, testkit.Lines(ls...)); err != nil {
		t.Fatalf("the console no longer reads its input: %v\n%s%s", err, c.out, c.errOut)
	}
}

// waitFor waits until the console has written want n times in all to out.
func (c *backgroundConsole) waitFor(t *testing.T, out *watchedOutput, want string, n int) {
	t.Helper()
	// Only a guard against a hang; the wait itself ends on the condition.
	guard := time.After(time.Minute)
	for {
		out.mu.Lock()
		got, changed := strings.Count(out.buf.String(), want), out.changed
		out.mu.Unlock()
		if got >= n {
			return
		}
		select {
		case <-changed:
		case code := <-c.exited:
			c.exited <- code
			if strings.Count(out.String(), want) >= n {
				return
			}
			t.Fatalf("the console exited (%d) before writing %q %d times:\n%s\n%s", code, want, n, c.out, c.errOut)
		case <-guard:
			t.Fatalf("the console has not written %q %d times:\n%s\n%s", want, n, c.out, c.errOut)
		}
	}
}

func (c *backgroundConsole) exitCode() int {
	code := <-c.exited
	c.exited <- code
	return code
}

// One Mend process per database: a second window on a database that a
// console is using is refused, naming the first; once the first has stopped,
// the next goes on from the question it was on. (Two windows used to share a
// database at once; the lock that keeps a rekey from running beside Mend
// ends that, and these tests pin it.)
func TestASecondConsoleIsRefusedWhileTheFirstRunsAndTheNextGoesOn(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	first := startConsole(t, "--db", db)
	first.send(t, "y", "y", "1")
	first.waitFor(t, first.out, "Question 1 of 7", 1)
	first.send(t, "4")
	first.waitFor(t, first.out, "Question 2 of 7", 1)

	second := startConsole(t, "--db", db)
	if code := second.exitCode(); code != 1 {
		t.Errorf("a second window beside the first exited %d, want 1", code)
	}
	testkit.MustContain(t, "the second window", second.errOut.String(), "is in use by another Mend process (pid "+strconv.Itoa(os.Getpid())+")")

	first.send(t, "A kind word")
	first.waitFor(t, first.out, "Question 3 of 7", 1)
	first.stdin.Close()
	if code := first.exitCode(); code != 1 {
		t.Errorf("the first window stopped unfinished with exit %d, want 1", code)
	}
	next := startConsole(t, "--db", db)
	next.waitFor(t, next.out, "Question 3 of 7", 1)
	next.send(t, "", "", "", "Quiet time", "", "",
		"1", "3", "Thanks", "", "", "", "Sleep", "", "")
	next.stdin.Close()
	if code := next.exitCode(); code != 0 {
		t.Fatalf("the next window exited %d\n%s\n%s", code, next.out, next.errOut)
	}
	testkit.MustContain(t, "the reveal", next.out.String(), "4 of 5", "A kind word", "Quiet time", "3 of 5")
}

func TestTheNextConsoleGoesOnWhenAPartnerFinishedInTheOther(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	first := startConsole(t, "--db", db, "--template", "pulse")
	first.send(t, "y", "y", "1")
	first.waitFor(t, first.out, "Question 1 of 2", 1)
	second := startConsole(t, "--db", db)
	if code := second.exitCode(); code != 1 {
		t.Errorf("a second window beside the first exited %d, want 1", code)
	}
	testkit.MustContain(t, "the second window", second.errOut.String(), "is in use by another Mend process")

	first.send(t, "4", "", "")
	first.waitFor(t, first.out, "══ Sam's turn ══", 1)
	first.stdin.Close()
	if code := first.exitCode(); code != 1 {
		t.Errorf("the first window stopped unfinished with exit %d, want 1", code)
	}
	next := startConsole(t, "--db", db)
	next.waitFor(t, next.out, "══ Sam's turn ══", 1)
	next.send(t, "3", "", "")
	next.stdin.Close()
	if code := next.exitCode(); code != 0 {
		t.Fatalf("the next window exited %d\n%s\n%s", code, next.out, next.errOut)
	}
	testkit.MustContain(t, "the reveal", next.out.String(), "4 of 5", "3 of 5")
}

func TestTheConsoleWarnsWhenOthersCanReadTheDatabase(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	path := filepath.Join(t.TempDir(), "mend.db")
	// Both say yes, so the database is kept; then the input ends.
	if _, _, stderr := runMend(t, testkit.Lines("y", "y"), "console", "--db", path); strings.Contains(stderr, "chmod") {
		t.Fatalf("a database Mend created is said to be readable by others:\n%s", stderr)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, stderr := runMend(t, "", "console", "--db", path)
	testkit.MustContain(t, "stderr", stderr, "chmod 600")
}

func TestConsoleRereadChangesAnAnswerByItsNumberAndRefusesAnythingElse(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	input := testkit.Lines("y", "y", "1",
		// Alex: 2 and a note written in a hurry, then rereads.
		"2", "You never listen",
		"maybe", // neither Enter nor a number: refused, the next line is read
		"3",     // question 3 does not exist in pulse
		"2",     // change the note
		"I felt unheard on Tuesday",
		"", // send
		"1", "4", "", "",
	)
	code, stdout, stderr := runMend(t, input, "console", "--db", db, "--template", "pulse")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	testkit.MustContain(t, "stdout", stdout,
		"Your answers, Alex. Read them over", "Press Enter to send, or type a question's number to change it",
		"Changing your answer to question 2 of 2", "Your answer so far: You never listen",
		"Thank you, Alex. Your answers are sent;", "Before you send, read your words as Sam will",
		"I felt unheard on Tuesday")
	if n := strings.Count(stderr, "type a question's number (1 to 2)"); n != 2 {
		t.Errorf("want the two bad lines refused, got:\n%s", stderr)
	}
	reveal := stdout[strings.LastIndex(stdout, "You have both finished"):]
	if strings.Contains(reveal, "You never listen") {
		t.Errorf("the reveal shows the words Alex replaced:\n%s", reveal)
	}
}

// A console check-in leaves nothing in the outbox: a bot started on the same
// database must find nothing of the console couple to deliver to Discord.
func TestAConsoleCheckInQueuesNothingForDiscord(t *testing.T) {
	noKeys(t)
	db := filepath.Join(t.TempDir(), "mend.db")
	if code, _, stderr := runMend(t, pulseCheckIn, "console", "--db", db, "--template", "pulse"); code != 0 {
		t.Fatalf("console: exit %d\n%s", code, stderr)
	}
	store, err := storage.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	backlog, err := store.OutboxBacklog(context.Background(), time.Now().Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if backlog.Due != 0 || backlog.Waiting != 0 {
		t.Errorf("the outbox holds %d due and %d waiting posts after a console check-in, want none", backlog.Due, backlog.Waiting)
	}
}
