package bot

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

func boundariesOf(t *testing.T, h *harness, ch string) []conversations.Boundary {
	t.Helper()
	couple := mustCouple(t, h, ch)
	all, err := h.db.Boundaries.Boundaries(h.ctx, couple.ID)
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// A personal boundary is its owner's own: stated in the channel for the
// other to know, with nothing to answer, and changed or ended by its owner
// alone.
func TestABoundaryIsShownAsInformationAndOnlyItsOwnerChangesOrEndsIt(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	const words = "I need a day's notice before plans with your family"

	r := h.slash(bob, ch, "boundary", sub("set", str("text", words)))
	if isEphemeral(r) {
		t.Fatalf("/boundary set answered privately: %s", text(r.Data))
	}
	mustContain(t, "the boundary", text(r.Data), "<@"+alice.ID+">, Bob has set a boundary of their own:", words,
		"This is for you to know; there is nothing to answer.", "only Bob changes or ends it")
	if len(r.Data.Components) != 0 {
		t.Errorf("a boundary asks for an answer: %v", r.Data.Components)
	}
	all := boundariesOf(t, h, ch)
	if len(all) != 1 || all[0].OwnerID != bob.ID || all[0].Text != words || all[0].Status != conversations.BoundaryActive {
		t.Fatalf("boundaries = %+v, want bob's, standing", all)
	}
	id := int(all[0].ID)

	// Alice can neither change nor end it; nothing changes.
	for _, c := range []struct{ name, sub string }{{"change", "set"}, {"end", "end"}} {
		opts := []*discordgo.ApplicationCommandInteractionDataOption{num("boundary", id)}
		if c.sub == "set" {
			opts = append(opts, str("text", "Something else"))
		}
		r := h.slash(alice, ch, "boundary", sub(c.sub, opts...))
		if !isEphemeral(r) || !strings.Contains(text(r.Data), fmt.Sprintf("This boundary is Bob's own, so only they can %s it.", c.name)) {
			t.Errorf("alice trying to %s bob's boundary: %s", c.name, text(r.Data))
		}
	}
	if got := boundariesOf(t, h, ch); got[0].Text != words || got[0].Status != conversations.BoundaryActive {
		t.Errorf("after alice's tries the boundary is %+v", got[0])
	}

	changed := h.slash(bob, ch, "boundary", sub("set", num("boundary", id), str("text", "I need two days' notice before plans with your family")))
	mustContain(t, "the change", text(changed.Data), "Bob has changed a boundary of theirs:", "two days' notice")
	list := h.slash(alice, ch, "boundary", sub("list"))
	if !isEphemeral(list) {
		t.Errorf("the list is not private")
	}
	mustContain(t, "the list", text(list.Data), fmt.Sprintf("`#%d` **Bob**: “I need two days' notice before plans with your family”", id))

	ended := h.slash(bob, ch, "boundary", sub("end", num("boundary", id)))
	mustContain(t, "the ending", text(ended.Data), "Bob has ended this boundary of theirs:")
	if got := boundariesOf(t, h, ch); got[0].Status != conversations.BoundaryEnded {
		t.Errorf("after bob ended it the boundary is %s", got[0].Status)
	}
	mustContain(t, "the list", text(h.slash(alice, ch, "boundary", sub("list")).Data), "(ended)")
	again := h.slash(bob, ch, "boundary", sub("end", num("boundary", id)))
	if !isEphemeral(again) || !strings.Contains(text(again.Data), "You ended this boundary already.") {
		t.Errorf("ending it again: %s", text(again.Data))
	}
	empty := h.slash(bob, ch, "boundary", sub("set", str("text", "   ")))
	if !isEphemeral(empty) || !strings.Contains(text(empty.Data), "the boundary is empty") {
		t.Errorf("an empty boundary: %s", text(empty.Data))
	}
	if n := len(boundariesOf(t, h, ch)); n != 1 {
		t.Errorf("%d boundaries after an empty one, want 1", n)
	}
}

// boundaryCheckIn is a couple where bob has stated a boundary, with one
// commitment and one agreement, and a check-in of the every-kind template
// open.
func boundaryCheckIn(t *testing.T, words string) *checkInFixture {
	t.Helper()
	h := newHarness(t)
	f := &checkInFixture{harness: h, channel: h.couple()}
	h.slash(alice, f.channel, "commitment", sub("add", str("text", "Home by 7 pm on weekdays")))
	h.agreement(f.channel, bob, alice, "We are open about money")
	h.slash(bob, f.channel, "boundary", sub("set", str("text", words)))
	f.open()
	return f
}

// A boundary is looked at by its owner alone, in their own check-in turn, if
// they want to: the other partner never gets a step about it, and the reveal
// shows only the owner's own words.
func TestOnlyABoundarysOwnerLooksAtItInACheckInAndTheRevealShowsTheirWordsAlone(t *testing.T) {
	t.Parallel()
	const words = "I need a day's notice before plans with your family"
	f := boundaryCheckIn(t, words)

	a := f.begin(alice)
	a.shows("1 of 6")
	a.pressID(customID{Action: actScale, ID: idOf(t, f.start), Prompt: "trust", Number: 4}.String())
	a.press(actChoice, "1")
	a.press(actSkip)
	a.press(actVerdict)
	a.press(actVerdict)
	a.shows("6 of 6", "One concrete thing for next week?")
	a.press(actSkip)
	a.shows("Read it over")
	if strings.Contains(text(a.data), "boundary") {
		t.Errorf("alice is asked about bob's boundary: %s", text(a.data))
	}
	a.press(actSend)

	b := f.begin(bob)
	b.shows("1 of 7")
	b.pressID(customID{Action: actScale, ID: idOf(t, f.start), Prompt: "trust", Number: 3}.String())
	b.press(actChoice, "2")
	b.press(actSkip)
	b.press(actSkip) // alice's promise
	b.press(actVerdict)
	b.shows("6 of 7", "How this boundary of mine is sitting with me right now:", "Your boundary: “"+words+"”",
		"Only you are asked about your own boundaries, and you can skip this.", "Only you can see this")
	if !offersAction(b.data.Components, actSkip) {
		t.Errorf("bob cannot skip looking at his boundary")
	}
	modal, _ := b.write(actBoundaryWrite, map[string]string{"text": "It still feels right; it helps us plan"})
	if modal.Title != "6 of 7" {
		t.Errorf("modal title %q", modal.Title)
	}
	b.shows("7 of 7")
	b.press(actSkip)
	b.shows("Read it over", "It still feels right; it helps us plan")
	b.press(actSend)

	reveal := f.revealOf()
	var embed *discordgo.MessageEmbed
	for _, e := range reveal.Embeds {
		if strings.Contains(e.Description, "Bob's boundary: “"+words+"”") {
			embed = e
		}
	}
	if embed == nil {
		t.Fatalf("the reveal does not show bob's words about his boundary:\n%s", messageText(reveal))
	}
	if len(embed.Fields) != 1 || embed.Fields[0].Name != "Bob" || embed.Fields[0].Value != "It still feels right; it helps us plan" {
		t.Errorf("the boundary in the reveal has fields %+v, want only bob's words", embed.Fields)
	}
	stored := answersOf(t, f.harness, idOf(t, f.start))
	for _, ans := range stored {
		if ans.PromptID == conversations.BoundaryReviewID && ans.UserID != bob.ID {
			t.Errorf("%s has an answer about bob's boundary", ans.UserID)
		}
	}
}

// Passing over one's boundary shows nothing about it in the reveal.
func TestASkippedLookAtABoundaryShowsNothingInTheReveal(t *testing.T) {
	t.Parallel()
	f := boundaryCheckIn(t, "Sunday evenings are mine to rest")
	for _, u := range []*discordgo.User{alice, bob} {
		v := f.begin(u)
		v.pressID(customID{Action: actScale, ID: idOf(t, f.start), Prompt: "trust", Number: 4}.String())
		v.press(actChoice, "1")
		for !strings.Contains(text(v.data), "Read it over") {
			if offersAction(v.data.Components, actSkip) {
				v.press(actSkip)
			} else {
				v.press(actVerdict)
			}
		}
		v.press(actSend)
	}
	if all := messageText(f.revealOf()); strings.Contains(all, "boundary") || strings.Contains(all, "Sunday evenings") {
		t.Errorf("the reveal mentions the skipped boundary:\n%s", all)
	}
	// Nor does alice's export: bob passing over it is his alone.
	couple := mustCouple(t, f.harness, f.channel)
	for viewer, want := range map[string]int{alice.ID: 0, bob.ID: 1} {
		export, err := f.db.Records.ExportCouple(f.ctx, couple.ID, viewer)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, row := range export["answers"] {
			if row["prompt_id"] == conversations.BoundaryReviewID {
				n++
			}
		}
		if n != want {
			t.Errorf("the export for %s holds %d answers about bob's boundary, want %d", viewer, n, want)
		}
	}
}

func answersOf(t *testing.T, h *harness, checkInID int64) []conversations.Answer {
	t.Helper()
	all, err := h.db.Answers.Answers(h.ctx, checkInID)
	if err != nil {
		t.Fatal(err)
	}
	return all
}
