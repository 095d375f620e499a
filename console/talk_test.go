package console

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mend/config"
	"mend/conversations"
	"mend/conversations/clocktest"
	"mend/internal/testkit"
	"mend/storage"
)

// talkDesk is a console database with a reveal to talk through, on a clock
// the test moves: each run is one run of the command.
type talkDesk struct {
	t     *testing.T
	app   *conversations.Mend
	clock *clocktest.Clock
	path  string
	opts  Options
	// atTerminal runs as if a person typed at a terminal.
	atTerminal bool
}

// newTalkDesk runs a check-in to its reveal at 20:00 UTC: Alex writes an
// appreciation, a hurt and a need; Sam a need.
func newTalkDesk(t *testing.T) *talkDesk {
	t.Helper()
	return newTalkDeskAfter(t, "", testkit.Lines("y", "y",
		"1", "4", "You cooked on Tuesday", "I felt alone on Sunday", "", "", "An evening to talk", "", "",
		"1", "3", "", "", "", "", "More sleep", "", ""))
}

// newTalkDeskAfter runs a check-in of template with input to its reveal.
func newTalkDeskAfter(t *testing.T, template, input string) *talkDesk {
	t.Helper()
	t.Setenv(config.FileEnv, "")
	path := filepath.Join(t.TempDir(), "mend.db")
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg, err := config.LoadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	clock := clocktest.New(time.Date(2026, 12, 7, 20, 0, 0, 0, time.UTC))
	d := &talkDesk{t: t, app: conversations.New(db.Stores(), clock, cfg.CheckInTemplates(), cfg.Settings()), clock: clock, path: path,
		opts: Options{Names: DefaultNames, TimeZone: "UTC", DBPath: path, Safety: cfg.SafetyNote()}}
	stdout, stderr, err := d.run(Options{TemplateID: template}, input)
	if err != nil || !strings.Contains(stdout, "You have both finished") {
		t.Fatalf("check-in: %v\n%s\n%s", err, stdout, stderr)
	}
	return d
}

// run runs the console once with extra (Talk, for a talk) and input.
func (d *talkDesk) run(extra Options, input string) (stdout, stderr string, err error) {
	d.t.Helper()
	opts := d.opts
	opts.Talk, opts.TemplateID = extra.Talk, extra.TemplateID
	var out, errOut strings.Builder
	ctx := context.Background()
	c := newConsole(ctx, d.app, strings.NewReader(input), &out, &errOut)
	// Wide enough that no line of a talk is wrapped, so lines compare whole.
	c.dbPath, c.safety, c.width, c.interactive = d.path, opts.Safety, 200, d.atTerminal
	err = c.run(ctx, opts)
	return out.String(), errOut.String(), err
}

func (d *talkDesk) talk(input string) (stdout, stderr string, err error) {
	d.t.Helper()
	return d.run(Options{Talk: true}, input)
}

func TestATalkOnABreakWaitsForItsEndAndThenGoesOnAtTheSameStep(t *testing.T) {
	d := newTalkDesk(t)
	stdout, stderr, err := d.talk(testkit.Lines("y", "", "", "b"))
	if err != nil || stderr != "" {
		t.Fatalf("run: %v\n%s\nstderr:\n%s", err, stdout, stderr)
	}
	testkit.MustHaveLines(t, "the break", stdout,
		"── One topic ──",
		"When feelings run high, a real break helps more than pushing on. Do something calming, apart, rather than going over what to say next.",
		"Your break ends at 20:20 UTC. Run the same command again then: the talk will be where you left it.")

	d.clock.Advance(19 * time.Minute)
	stdout, stderr, err = d.talk(testkit.Lines("1", "", "", ""))
	if err != nil || stderr != "" {
		t.Fatalf("early run: %v\n%s\nstderr:\n%s", err, stdout, stderr)
	}
	if want := "The break runs until 20:20 UTC. A real break helps more than pushing on; the talk will be here.\n"; stdout != want {
		t.Errorf("early run said %q, want %q", stdout, want)
	}
	v, err := d.app.Talks.Open(context.Background(), consoleActor(consoleUser1))
	if err != nil {
		t.Fatal(err)
	}
	if v.Talk.Stage != conversations.TalkChoosing || v.Talk.Topic != nil || !v.Talk.OnBreak(d.clock.Now()) {
		t.Fatalf("an early run changed the talk: %s, topic %v, on a break %v", v.Talk.Stage, v.Talk.Topic, v.Talk.OnBreak(d.clock.Now()))
	}

	d.clock.Advance(time.Minute)
	stdout, stderr, err = d.talk(testkit.Lines("1", "", "", ""))
	if err != nil || stderr != "" {
		t.Fatalf("run after the break: %v\n%s\nstderr:\n%s", err, stdout, stderr)
	}
	testkit.MustHaveLines(t, "after the break", stdout,
		"══ Welcome back ══",
		"── One topic ──",
		"  1. Alex's hurt or worry: “I felt alone on Sunday”",
		"Alex raised it, so Alex speaks first.",
		"── Alex speaks, Sam listens ──",
		"── Sam speaks, Alex listens ──",
		"── One small thing to try ──",
		"You talked it through. That's recorded as talked about, and your progress counts it.")
	for _, never := range []string{"Are you both ready?", "── Appreciations ──"} {
		if strings.Contains(stdout, never) {
			t.Errorf("the run after the break went back to %q:\n%s", never, stdout)
		}
	}
	if _, err := d.app.Talks.Open(context.Background(), consoleActor(consoleUser1)); conversations.ErrorCode(err) != conversations.ENOTFOUND {
		t.Errorf("the talk is still open after its close: %v", err)
	}
}

func TestATalkAtTheConsoleRefusesABreakBeforeItStartsAndShowsTheNoteOnASharedScreen(t *testing.T) {
	d := newTalkDesk(t)
	input := testkit.Lines(
		"b", // nothing to pause yet: said, and asked again
		"y",
		"?", // the note, then the same prompt again
		"", "", "2", "", "",
		"2", "1", "We put our phones away at dinner",
		"n", // Sam does not agree: nothing added, the choices again
		"3",
	)
	stdout, stderr, err := d.talk(input)
	if err != nil {
		t.Fatalf("run: %v\n%s\nstderr:\n%s", err, stdout, stderr)
	}
	if want := "The talk hasn't started yet. \"Not now\" is always a fine answer.\n"; stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
	testkit.MustHaveLines(t, "the talk", stdout,
		"Are you both ready? [y/n]",
		"Are you both ready? [y/n]",
		"── Appreciations ──",
		"Alex, press Enter once you have said an appreciation aloud, or when you are ready to go on.",
		"A note for you",
		"Alex, press Enter once you have said an appreciation aloud, or when you are ready to go on.",
		"Sam, press Enter once you have said your appreciation aloud, or read Alex's.",
		"An agreement is for both of you, so it counts only when Sam agrees too. Sam, do you agree to “We put our phones away at dinner”? Type y for yes; anything else means not now.",
		"Not agreed, so nothing was added. That's all right: you can choose something else, or nothing at all.",
		"── One small thing to try ──",
		"You talked it through. That's recorded as talked about, and your progress counts it.")
	testkit.MustContain(t, "the note", stdout, "How you feel matters.")
	if strings.Contains(stdout, "Only you can see this") {
		t.Errorf("the note at a screen both share says only one can see it:\n%s", stdout)
	}
	agreements, err := d.app.Agreements.List(context.Background(), consoleActor(consoleUser1))
	if err != nil {
		t.Fatal(err)
	}
	if len(agreements) != 0 {
		t.Errorf("an agreement Sam did not agree to was kept: %+v", agreements)
	}
}

func TestATalkLeftOpenPastItsTimeEndsAndTheNextRunStartsAnother(t *testing.T) {
	d := newTalkDesk(t)
	if _, _, err := d.talk(testkit.Lines("y", "")); err == nil {
		t.Fatal("the input ended mid-talk, and the run said nothing")
	}
	d.clock.Advance(25 * time.Hour)
	stdout, stderr, err := d.talk(testkit.Lines("n"))
	if err != nil || stderr != "" {
		t.Fatalf("run: %v\n%s\nstderr:\n%s", err, stdout, stderr)
	}
	testkit.MustHaveLines(t, "a day later", stdout,
		"Your last talk ended by itself: a talk stays open for 24 hours at most. Here is a new one.",
		"Are you both ready? [y/n]",
		"Not now, and that's okay. Either of you can start a talk again whenever you are both ready.")
}

func TestATopicNobodyWroteIsRaisedByWhoeverIsNamedAndTheySpeakFirst(t *testing.T) {
	// A pulse check-in: a feeling and a note each, nothing to talk about.
	d := newTalkDeskAfter(t, "pulse", testkit.Lines("y", "y", "1", "4", "", "", "1", "3", "", ""))
	stdout, stderr, err := d.talk(testkit.Lines("y", "", "", "1", "2", "", "", ""))
	if err != nil || stderr != "" {
		t.Fatalf("run: %v\n%s\nstderr:\n%s", err, stdout, stderr)
	}
	testkit.MustHaveLines(t, "the talk", stdout,
		"── Appreciations ──",
		"Neither of you wrote an appreciation this time, and that's okay. If you can, start by saying one out loud: something small your partner did lately that you were glad of.",
		"Alex, press Enter once you have said an appreciation aloud, or when you are ready to go on.",
		"Sam, press Enter once you have said an appreciation aloud, or when you are ready to go on.",
		"── One topic ──",
		"  1. Something on your minds that the check-in didn't ask about, named aloud",
		"Who would like to speak first? Type 1 for Alex or 2 for Sam.",
		"Sam speaks first.",
		"── Sam speaks, Alex listens ──",
		"── Alex speaks, Sam listens ──",
		"You talked it through. That's recorded as talked about, and your progress counts it.")
}

func TestCtrlDDuringATalkAtATerminalLeavesItOpenInPlainWords(t *testing.T) {
	d := newTalkDesk(t)
	d.atTerminal = true
	_, _, err := d.talk(testkit.Lines("y", ""))
	var open *TalkLeftOpenError
	if !errors.As(err, &open) {
		t.Fatalf("run returned %v, want the talk left open", err)
	}
	if want := "You stopped (Ctrl-D) before the talk was finished. Nothing is lost: the talk stays open where you left it until Tue 8 Dec 20:00 UTC.\nRun the same command again to go on.\n"; open.Error() != want {
		t.Errorf("said %q, want %q", open.Error(), want)
	}
	v, err := d.app.Talks.Open(context.Background(), consoleActor(consoleUser1))
	if err != nil || v.Talk.Stage != conversations.TalkAppreciation || v.Talk.Read != [2]bool{true, false} {
		t.Errorf("after Ctrl-D the talk is %+v (%v), want it open at the appreciations, read by Alex only", v.Talk, err)
	}
}
