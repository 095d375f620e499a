package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mend/config"
	"mend/console"
	"mend/conversations"
	"mend/internal/testkit"
	"mend/storage"
)

// revealedCheckIn runs a check-in at the console up to its reveal, and
// returns the database: Alex appreciates a dinner, writes a hurt and a
// need; Sam writes a need only.
func revealedCheckIn(t *testing.T) string {
	t.Helper()
	t.Setenv(config.FileEnv, "")
	// Wide enough that no line of a talk is wrapped, so lines compare whole.
	t.Setenv("COLUMNS", "200")
	db := filepath.Join(t.TempDir(), "mend.db")
	input := testkit.Lines("y", "y",
		// Alex: safety check, trust, appreciation, hurt, responsibility,
		// the question of the week, need, commitment, send.
		"1", "4", "You cooked on Tuesday", "I felt alone on Sunday", "", "", "An evening to talk", "", "",
		// Sam
		"1", "3", "", "", "", "", "More sleep", "", "")
	if code, stdout, stderr := runMend(t, input, "console", "--db", db); code != 0 || !strings.HasSuffix(stdout, "\nWhen you are both ready to talk it through together, one step at a time, run the same command again with --talk.\n") {
		t.Fatalf("check-in: exit %d\n%s\n%s", code, stdout, stderr)
	}
	return db
}

// talk runs "mend console --talk" on db with the lines typed, and stops the
// test unless it exits 0 with nothing on stderr.
func talk(t *testing.T, what, db string, lines ...string) string {
	t.Helper()
	code, stdout, stderr := runMend(t, testkit.Lines(lines...), "console", "--db", db, "--talk")
	if code != 0 || stderr != "" {
		t.Fatalf("%s: exit %d\n%s\nstderr:\n%s", what, code, stdout, stderr)
	}
	return stdout
}

// talkStore opens the database of a finished run, and the console couple's ID.
func talkStore(t *testing.T, path string) (*storage.DB, int64) {
	t.Helper()
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	couple, err := db.Couples.CoupleOf(context.Background(), console.Guild, console.FirstPartner)
	if err != nil {
		t.Fatal(err)
	}
	return db, couple.ID
}

// talksHeld lists the talks kept of the couple: those talked through in
// the last hour.
func talksHeld(t *testing.T, store *storage.DB, coupleID int64) []conversations.GuidedTalk {
	t.Helper()
	held, err := store.Talks.TalksHeld(context.Background(), coupleID, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return held
}

func TestConsoleTalkWalksEveryStepAndKeepsOnlyTheTopicAndOutcome(t *testing.T) {
	db := revealedCheckIn(t)
	// Ready; Alex and Sam have read the appreciations; Sam's need; Sam
	// feels heard; Alex feels heard; nothing to try.
	stdout := talk(t, "the talk", db, "y", "", "", "3", "", "", "")
	testkit.MustHaveLines(t, "the talk", stdout,
		"Are you both ready? [y/n]",
		"── Appreciations ──",
		"  Alex: “You cooked on Tuesday”",
		"  Sam wrote none this time, and that's okay: say one aloud if you can.",
		"Alex, press Enter once you have said an appreciation aloud, or when you are ready to go on.",
		"Sam, press Enter once you have said your appreciation aloud, or read Alex's.",
		"── One topic ──",
		"  1. Alex's hurt or worry: “I felt alone on Sunday”",
		"  2. What Alex needs: “An evening to talk”",
		"  3. What Sam needs: “More sleep”",
		"Type the number of the one you will talk about.",
		"One topic is enough for one talk. The others stay for another day: they are still in the reveal.",
		"Sam raised it, so Sam speaks first.",
		"── Sam speaks, Alex listens ──",
		"What Sam needs: “More sleep”",
		"Sam, speaking:",
		`  • "What I need is …"`,
		"Alex, listening:",
		`  "What I heard is … Did I get that right?"`,
		"  If it wasn't quite right, ask and listen again. Your turn to speak comes after the swap.",
		"Sam, press Enter when you feel heard.",
		"Sam feels heard. Now you swap.",
		"── Alex speaks, Sam listens ──",
		"Alex, speaking:",
		"Sam, listening:",
		"  If it wasn't quite right, ask and listen again.",
		"Alex, press Enter when you feel heard.",
		"You have both spoken and felt heard.",
		"── One small thing to try ──",
		"Is there one small thing you'll try? It can be a promise one of you makes, or an agreement you propose to each other. Nothing at all is fine too: the talk itself counts.",
		"  3  Nothing this time (or press Enter)",
		"You talked it through. That's recorded as talked about, and your progress counts it.",
	)
	testkit.MustContain(t, "the talk", stdout, "══ A talk about your check-in of ", "A guided talk goes one step at a time: an appreciation each, one topic,", "At any prompt: b and Enter for a break, q and Enter to stop here, ? and Enter for a note on safety and support.")

	store, coupleID := talkStore(t, db)
	ctx := context.Background()
	held := talksHeld(t, store, coupleID)
	if len(held) != 1 {
		t.Fatalf("%d talks held, want 1", len(held))
	}
	got := held[0]
	if got.Topic == nil || got.Topic.Kind != conversations.TopicNeed || got.Topic.PromptID != "need" || got.Topic.RaisedBy != "console-partner-2" || got.Outcome != conversations.OutcomeNothing {
		t.Errorf("kept %+v (topic %+v), want Sam's need, outcome nothing", got, got.Topic)
	}
	if got.AskedBy != "" || !got.StartedAt.IsZero() || got.Read != [2]bool{} || got.Heard != [2]bool{} {
		t.Errorf("an ended talk keeps more than its topic and outcome: %+v", got)
	}
	if _, err := store.Talks.OpenTalk(ctx, coupleID); conversations.ErrorCode(err) != conversations.ENOTFOUND {
		t.Errorf("a talk is still open after it ended: %v", err)
	}
	backlog, err := store.OutboxBacklog(ctx, time.Now().Add(48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if backlog.Due != 0 || backlog.Waiting != 0 {
		t.Errorf("the outbox holds %d due and %d waiting posts after a console talk, want none", backlog.Due, backlog.Waiting)
	}
}

func TestConsoleTalkNotNowEndsItKindlyAndTheNextRunAsksAgain(t *testing.T) {
	db := revealedCheckIn(t)
	stdout := talk(t, "the talk", db, "n")
	testkit.MustHaveLines(t, "not now", stdout,
		"Are you both ready? [y/n]",
		"Not now, and that's okay. Either of you can start a talk again whenever you are both ready.")
	if strings.Contains(stdout, "Appreciations") {
		t.Errorf("the talk went on after not now:\n%s", stdout)
	}
	store, coupleID := talkStore(t, db)
	if _, err := store.Talks.OpenTalk(context.Background(), coupleID); conversations.ErrorCode(err) != conversations.ENOTFOUND {
		t.Errorf("a talk is open after not now: %v", err)
	}
	store.Close()

	// A typo is asked again; the input then ends with the talk still asked.
	code, stdout, stderr := runMend(t, testkit.Lines("maybe"), "console", "--db", db, "--talk")
	if code != 1 {
		t.Errorf("the input ended mid-talk with exit %d, want 1", code)
	}
	if n := strings.Count(stdout, "Are you both ready? [y/n]"); n != 2 {
		t.Errorf("asked %d times whether they are ready, want 2:\n%s", n, stdout)
	}
	testkit.MustContain(t, "stderr", stderr, "Please type y if you are both ready, or n for not now.\n")
}

func TestConsoleTalkStopsAtQAndTheNextRunStartsAfresh(t *testing.T) {
	db := revealedCheckIn(t)
	stdout := talk(t, "the talk", db, "y", "", "", "q")
	testkit.MustHaveLines(t, "q", stdout,
		"── One topic ──",
		"You stopped here, and that's okay. You can come back to this another time.")
	if strings.Contains(stdout, "speaks first") {
		t.Errorf("the talk went on after q:\n%s", stdout)
	}
	stdout = talk(t, "the run after q", db, "n")
	if !strings.Contains(stdout, "══ A talk about your check-in of ") || strings.Contains(stdout, "where you left it") {
		t.Errorf("the run after q did not start a new talk:\n%s", stdout)
	}
}

func TestConsoleTalkBreakTellsWhenToComeBackAndAnEarlyRunChangesNothing(t *testing.T) {
	db := revealedCheckIn(t)
	before := time.Now()
	stdout := talk(t, "the talk", db, "y", "", "", "b")
	store, coupleID := talkStore(t, db)
	ctx := context.Background()
	paused, err := store.Talks.OpenTalk(ctx, coupleID)
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	if paused.Stage != conversations.TalkChoosing || paused.BreakUntil.Before(before.Add(20*time.Minute-time.Second)) || paused.BreakUntil.After(time.Now().Add(20*time.Minute)) {
		t.Fatalf("after b the talk is %s until %s, want the topic step on a 20-minute break", paused.Stage, paused.BreakUntil)
	}
	ends := paused.BreakUntil.UTC().Format("15:04")
	testkit.MustHaveLines(t, "b", stdout,
		"── One topic ──",
		"When feelings run high, a real break helps more than pushing on. Do something calming, apart, rather than going over what to say next.",
		"Your break ends at "+ends+" UTC. Run the same command again then: the talk will be where you left it.")

	// Back too early: said kindly, nothing read, nothing changed.
	stdout = talk(t, "early run", db, "3", "", "")
	if want := "The break runs until " + ends + " UTC. A real break helps more than pushing on; the talk will be here.\n"; stdout != want {
		t.Errorf("early run said %q, want %q", stdout, want)
	}
	store, _ = talkStore(t, db)
	after, err := store.Talks.OpenTalk(ctx, coupleID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Version != paused.Version || after.Stage != paused.Stage || !after.BreakUntil.Equal(paused.BreakUntil) {
		t.Errorf("an early run changed the talk: %+v, was %+v", after, paused)
	}
}

func TestConsoleTalkClosesWithAPromiseAskedAgainUntilItCanBeMade(t *testing.T) {
	db := revealedCheckIn(t)
	due := dueIn(7)
	input := testkit.Lines("y", "", "", "1", "", "",
		"1",     // a promise
		"three", // not a partner: asked again
		"1",     // Alex's
		"Walk together on Sundays | not a date",
		"Walk together on Sundays | "+due,
	)
	code, stdout, stderr := runMend(t, input, "console", "--db", db, "--talk")
	if code != 0 {
		t.Fatalf("exit %d\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	testkit.MustHaveLines(t, "the close", stdout,
		"Alex raised it, so Alex speaks first.",
		"── One small thing to try ──",
		"Whose promise is it? Type 1 for Alex or 2 for Sam.",
		"Whose promise is it? Type 1 for Alex or 2 for Sam.",
		"Alex, type your promise on one line. To give it a due date, end with | and the date, like: call my sister | "+due+". Or press Enter to go back to the choices.",
		"Alex's promise: “Walk together on Sundays” (by "+due+"). It is reviewed at each check-in.",
		"You talked it through. That's recorded as talked about, and your progress counts it.")
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) != 2 || lines[0] != "Please type 1 or 2." || !strings.Contains(lines[1], "not a date") {
		t.Errorf("stderr should hold the two refusals, got:\n%s", stderr)
	}

	store, coupleID := talkStore(t, db)
	ctx := context.Background()
	open, err := store.Commitments.OpenCommitments(ctx, coupleID)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 1 || open[0].Text != "Walk together on Sundays" || open[0].DueOn != due || open[0].OwnerID != console.FirstPartner {
		t.Errorf("open commitments %+v, want Alex's walk due %s", open, due)
	}
	held := talksHeld(t, store, coupleID)
	if len(held) != 1 || held[0].Outcome != conversations.OutcomeCommitment || held[0].Topic == nil || held[0].Topic.Kind != conversations.TopicHurt {
		t.Errorf("talks held %+v, want Alex's hurt ended with a commitment", held)
	}
}

func TestConsoleTalkEndOfInputKeepsItOpenAndTheNextRunGoesOn(t *testing.T) {
	db := revealedCheckIn(t)
	// Ready, both read, Alex's need; Alex feels heard; then the input ends
	// during Sam's turn.
	code, stdout, stderr := runMend(t, testkit.Lines("y", "", "", "2", ""), "console", "--db", db, "--talk")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	testkit.MustContain(t, "stdout", stdout, "── Sam speaks, Alex listens ──")
	testkit.MustContain(t, "stderr", stderr,
		"The input ran out before the talk was finished. Nothing is lost: the talk stays open where you left it until ",
		"Run the same command again to go on.\n")

	// Sam feels heard; Sam proposes an agreement, and Alex agrees.
	stdout = talk(t, "resumed run", db, "", "2", "2", "We put our phones away at dinner", "y")
	testkit.MustHaveLines(t, "the resumed run", stdout,
		"══ Your talk, where you left it ══",
		"── Sam speaks, Alex listens ──",
		"What Alex needs: “An evening to talk”",
		"Sam, press Enter when you feel heard.",
		"You have both spoken and felt heard.",
		"── One small thing to try ──",
		"Who proposes it? Type 1 for Alex or 2 for Sam.",
		"Sam, type the agreement on one line. Or press Enter to go back to the choices.",
		"An agreement is for both of you, so it counts only when Alex agrees too. Alex, do you agree to “We put our phones away at dinner”? Type y for yes; anything else means not now.",
		"Agreed by both of you, and reviewed at each check-in: “We put our phones away at dinner”",
		"You talked it through. That's recorded as talked about, and your progress counts it.",
	)
	for _, never := range []string{"Are you both ready?", "── Appreciations ──", "── One topic ──", "── Alex speaks"} {
		if strings.Contains(stdout, never) {
			t.Errorf("the resumed run went back to %q:\n%s", never, stdout)
		}
	}
	store, coupleID := talkStore(t, db)
	active, err := store.Agreements.ActiveAgreements(context.Background(), coupleID)
	if err != nil {
		t.Fatal(err)
	}
	if len(active) != 1 || active[0].Text != "We put our phones away at dinner" || active[0].CreatedBy != "console-partner-2" {
		t.Errorf("active agreements %+v, want Sam's about phones at dinner", active)
	}
}

func TestConsoleTalkWithoutARevealSaysSoAndExitsZero(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	t.Setenv("COLUMNS", "200")
	db := filepath.Join(t.TempDir(), "mend.db")
	code, stdout, stderr := runMend(t, "", "console", "--db", db, "--talk")
	if code != 0 || stderr != "" {
		t.Errorf("a fresh database: exit %d, stderr %q", code, stderr)
	}
	if want := console.NoTalkYet(db) + "\n"; stdout != want {
		t.Errorf("a fresh database: %q, want %q", stdout, want)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("--talk on no database created one (stat: %v)", err)
	}

	// The couple said yes, and the check-in is not finished: no reveal yet.
	runMend(t, testkit.Lines("y", "y"), "console", "--db", db)
	code, stdout, stderr = runMend(t, "", "console", "--db", db, "--talk")
	if code != 0 || stderr != "" {
		t.Errorf("no reveal yet: exit %d, stderr %q", code, stderr)
	}
	testkit.MustContain(t, "no reveal yet", stdout, "There is no reveal to talk through yet. A talk follows a check-in you have both finished, once both sets of answers are shown.")
}

func TestConsoleTalkRefusesFlagsOfOtherRuns(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	db := filepath.Join(t.TempDir(), "mend.db")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--talk", "--done", "1"}, "mend console: --talk runs on its own, with --db and --config only (not with --done): it talks through your latest reveal and starts no check-in\n"},
		{[]string{"--talk", "--drop", "2"}, "mend console: --talk runs on its own, with --db and --config only (not with --drop): it talks through your latest reveal and starts no check-in\n"},
		{[]string{"--talk", "--template", "pulse"}, "mend console: --talk runs on its own, with --db and --config only (not with --template): it talks through your latest reveal and starts no check-in\n"},
		{[]string{"--talk", "--names", "Ana,Ben"}, "mend console: --talk runs on its own, with --db and --config only (not with --names): it talks through your latest reveal and starts no check-in\n"},
		{[]string{"--talk", "--list"}, "mend console: --list runs on its own, with --db and --config only: it shows what is open and changes nothing\n"},
	}
	for _, tt := range tests {
		code, _, stderr := runMend(t, "", append([]string{"console", "--db", db}, tt.args...)...)
		if code != exitUsage || stderr != tt.want {
			t.Errorf("%v: exit %d, %q; want %d, %q", tt.args, code, stderr, exitUsage, tt.want)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("a refused command created the database (stat: %v)", err)
	}
}
