package bot

import (
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

func TestTheSafetyNoteIsShownOnlyToThePartnerWhoAnsweredTheLowestPoint(t *testing.T) {
	t.Parallel()
	f := newCheckIn(t, withResource)
	ci := idOf(t, f.start)

	a := f.begin(alice)
	a.pressID(customID{Action: actScale, ID: ci, Prompt: "trust", Number: 1}.String())
	a.shows("A note for you", conversations.DefaultSafetyNote, "`/couple leave`", "`/forget`", testResource, "2 of 6", "How much energy is left?")
	if m, ok := f.srv.Message(a.message); !ok || m.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Fatal("the note went into a message others can see")
	}
	a.press(actChoice, "1")
	wantNoNote(t, "alice's step after the next", text(a.data))
	a.press(actSkip)    // nothing hurt
	a.press(actVerdict) // the promise: kept
	a.press(actVerdict) // the agreement: kept
	a.press(actSkip)    // no new commitment
	a.press(actSend)
	a.shows("Done")

	b := f.begin(bob)
	seen := []string{text(b.data)}
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
	seen = append(seen, text(b.data))
	b.shows("Done", "both finished")
	wantNoNote(t, "bob's check-in", strings.Join(seen, "\n"))

	// It is no answer: the reveal shows alice's 1, and nothing of the note.
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
	wantNoNote(t, "the channel", strings.Join(channel, "\n"))
	wantNoNote(t, "/history", text(f.slash(alice, f.channel, "history").Data))
	for _, u := range []*discordgo.User{alice, bob} {
		_, export := exportOf(t, f.harness, u, f.channel)
		wantNoNote(t, u.Username+"'s export", string(export))
	}
	wantNoNote(t, "the logs", f.logs.String())
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
