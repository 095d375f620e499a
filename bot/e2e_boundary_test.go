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
