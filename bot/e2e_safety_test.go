package bot

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"mend/bot/discordtest"
	"mend/conversations"
)

const testResource = "Helpline 0000 000 000, day and night"

// noteMarks are pieces of the safety note that nothing else Mend says holds.
var noteMarks = []string{"check-ins are not the right tool", testResource, "A note for you"}

func withResource(_ *discordtest.Options, c *Config) {
	c.Safety.Resources = []string{testResource}
}

func wantNoNote(t *testing.T, what, got string) {
	t.Helper()
	for _, mark := range noteMarks {
		if strings.Contains(got, mark) {
			t.Errorf("%s holds the safety note (%q):\n%s", what, mark, got)
		}
	}
}

// safetyAnswer is the custom ID of an answer to the private safety check.
func safetyAnswer(ci int64, a conversations.SafetyAnswer) string {
	return customID{Action: actSafe, ID: ci, Number: int(a)}.String()
}

func TestTheSafetyCheckIsPrivateAndNotAlwaysShowsTheNoteAsAStepOfItsOwn(t *testing.T) {
	t.Parallel()
	f := newCheckIn(t, withResource)
	ci := idOf(t, f.start)

	a := f.beginAsked(alice)
	a.shows("Just for you, never shown to Bob: right now, do you feel safe with Bob?", conversations.PrivateFooter)
	if got, want := labelsOf(a.data.Components), []string{"Yes", "Mostly", "Not always", "I'd rather not say"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("the answers are %q, want %q", got, want)
	}
	if m, ok := f.srv.Message(a.message); !ok || m.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Fatal("the safety check went into a message others can see")
	}
	a.pressID(safetyAnswer(ci, conversations.SafetyNotAlways))
	a.shows("A note for you", conversations.DefaultSafetyNote, "`/couple leave`", "`/forget`", testResource, conversations.PrivateFooter)
	if got := labelsOf(a.data.Components); strings.Join(got, "|") != "Go on|Take a break" {
		t.Errorf("the note's step offers %q, want Go on and Take a break", got)
	}
	if strings.Contains(text(a.data), "1 of 6") {
		t.Error("the note shares its message with the first question")
	}
	// Go on: the first question, in a message of its own, with no note.
	r := a.pressID(customID{Action: actSafe, ID: ci, Number: safeGoOnKeep}.String())
	m, ok := f.srv.Original(f.lastToken())
	if r.Type != discordgo.InteractionResponseChannelMessageWithSource || !isEphemeral(r) || !ok {
		t.Fatalf("Go on answered %v (ephemeral %v)", r.Type, isEphemeral(r))
	}
	a = &partnerView{f: f, user: alice, message: m.ID, data: r.Data}
	a.shows("1 of 6", "How connected did you feel?")
	wantNoNote(t, "alice's first question", text(a.data))
	// The lowest point of the weekly scale is an answer like any other.
	a.pressID(customID{Action: actScale, ID: ci, Prompt: "trust", Number: 1}.String())
	a.shows("2 of 6")
	wantNoNote(t, "alice's step after a 1", text(a.data))
	a.press(actChoice, "1")
	a.press(actSkip)    // nothing hurt
	a.press(actVerdict) // the promise: kept
	a.press(actVerdict) // the agreement: kept
	a.press(actSkip)    // no new commitment
	a.press(actSend)
	a.shows("Done")

	// Bob is asked the same, in the same check-in, and sees nothing of
	// alice's answer.
	b := f.beginAsked(bob)
	b.shows("Just for you, never shown to Alice: right now, do you feel safe with Alice?")
	seen := []string{text(b.data)}
	b.pressID(safetyAnswer(ci, conversations.SafetyRatherNotSay))
	b.shows("That's okay. /help has a note whenever you want it.")
	seen = append(seen, text(b.data))
	b.pressID(customID{Action: actSafe, ID: ci, Number: safeGoOn}.String())
	b.shows("1 of 6")
	seen = append(seen, text(b.data))
	b.pressID(customID{Action: actScale, ID: ci, Prompt: "trust", Number: 3}.String())
	seen = append(seen, text(b.data))
	for _, act := range []string{actChoice, actSkip, actVerdict, actVerdict, actSkip} {
		if act == actChoice {
			b.press(act, "0")
		} else {
			b.press(act)
		}
		seen = append(seen, text(b.data))
	}
	b.press(actSend)
	b.shows("Done", "both finished")
	wantNoNote(t, "bob's check-in", strings.Join(seen, "\n"))

	var channel []string
	f.waitFor("the reveal", func() bool {
		channel = nil
		revealed := false
		for _, m := range f.srv.Messages(f.channel) {
			channel = append(channel, messageText(m))
			revealed = revealed || strings.Contains(m.Content, "you have both finished")
		}
		return revealed
	})
	mustContain(t, "the reveal", strings.Join(channel, "\n"), "Alice: 1 of 5 (Distant)")
	never := func(what, got string) {
		t.Helper()
		wantNoNote(t, what, got)
		for _, mark := range []string{"Not always", "rather not say", "safe with", "ci.safe:"} {
			if strings.Contains(got, mark) {
				t.Errorf("%s holds the safety check (%q):\n%s", what, mark, got)
			}
		}
	}
	never("the channel", strings.Join(channel, "\n"))
	never("/history", text(f.slash(alice, f.channel, "history").Data))
	never("/progress", text(f.slash(alice, f.channel, "progress").Data))
	for _, u := range []*discordgo.User{alice, bob} {
		_, export := exportOf(t, f.harness, u, f.channel)
		never(u.Username+"'s export", string(export))
	}
	never("the logs", f.logs.String())
	for _, file := range []string{f.dbPath, f.dbPath + "-wal"} {
		if data, err := os.ReadFile(file); err == nil {
			never(filepath.Base(file), string(data))
		}
	}
}

// A break before the first answer, as from the safety note, which mostly
// follows "Not always", shows the other partner nothing: the status stays
// "in progress".
func TestTakeABreakFromTheSafetyNoteShowsTheOtherPartnerNothing(t *testing.T) {
	t.Parallel()
	f := newCheckIn(t, withResource)
	ci := idOf(t, f.start)
	a := f.beginAsked(alice)
	f.waitFor("alice shown in progress", func() bool { return strings.Contains(statusOf(f.harness, f.post.ID), "**Alice:** in progress") })
	a.pressID(safetyAnswer(ci, conversations.SafetyNotAlways))
	a.pressID(customID{Action: actSafe, ID: ci, Number: safeBreak}.String())
	a.shows("Taking a break", "Your partner sees at most that you are taking a break, never why.")
	status := f.slash(bob, f.channel, "checkin", sub("status"))
	mustContain(t, "bob's status", text(status.Data), "**Alice:** in progress", "**Bob:** not started")
	if got := statusOf(f.harness, f.post.ID); strings.Contains(got, "taking a break") {
		t.Errorf("the channel shows the break: %s", got)
	}
}

// labelsOf lists the labels of the buttons in rows.
func labelsOf(rows []discordgo.MessageComponent) []string {
	var out []string
	for _, row := range rows {
		for _, c := range row.(*discordgo.ActionsRow).Components {
			if b, ok := c.(*discordgo.Button); ok {
				out = append(out, b.Label)
			}
		}
	}
	return out
}

func TestHelpShowsTheSafetyNoteToEveryone(t *testing.T) {
	t.Parallel()
	h := newHarness(t, withResource)
	r := h.slash(carol, generalChan, "help")
	if !isEphemeral(r) {
		t.Fatal("/help is public")
	}
	mustContain(t, "/help", text(r.Data), "If you ever feel unsafe", conversations.DefaultSafetyNote, "`/couple leave`", "`/forget`", testResource)
}

// routesOf lists, in order, the routes the log records for u's interactions
// in a check-in.
func routesOf(logs string, u *discordgo.User) []string {
	var out []string
	for _, line := range strings.Split(logs, "\n") {
		if !strings.Contains(line, "msg=interaction ") || !strings.Contains(line, " user="+u.ID+" ") {
			continue
		}
		_, rest, _ := strings.Cut(line, " route=")
		if route, _, _ := strings.Cut(rest, " user="); strings.HasPrefix(route, "ci.") {
			out = append(out, route)
		}
	}
	return out
}

// The log and the metrics both name an interaction by its route: a partner
// who answered "Not always" and went on leaves the same routes, in the same
// number, as one who answered "Yes".
func TestEverySafetyAnswerLeavesTheSameRoutesInTheLog(t *testing.T) {
	t.Parallel()
	f := newCheckIn(t, withResource)
	ci := idOf(t, f.start)
	first := customID{Action: actScale, ID: ci, Prompt: "trust", Number: 3}.String()

	a := f.beginAsked(alice)
	a.pressID(safetyAnswer(ci, conversations.SafetyYes))
	a.shows("Thank you for answering.")
	a.press(actSafe) // Go on
	a.shows("1 of 6")
	a.pressID(first)
	a.shows("2 of 6")

	b := f.beginAsked(bob)
	b.pressID(safetyAnswer(ci, conversations.SafetyNotAlways))
	b.shows("A note for you")
	b.press(actSafe) // Go on: the first question in a message of its own
	f.press(bob, f.channel, "", first)

	// A line is logged when its interaction is done, after the answer went
	// back, so the log may hold a partner's presses in another order than
	// they were made: what must not differ is which routes, and how many.
	want := []string{actSafe, actSafe, actScale, actStart}
	f.waitFor("four interactions of each logged", func() bool {
		return len(routesOf(f.logs.String(), alice)) == len(want) && len(routesOf(f.logs.String(), bob)) == len(want)
	})
	for _, u := range []*discordgo.User{alice, bob} {
		got := routesOf(f.logs.String(), u)
		slices.Sort(got)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s's routes are %q, want %q", u.Username, got, want)
		}
	}
}
