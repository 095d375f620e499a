package conversations_test

import (
	"testing"

	"mend/conversations"
)

// boundarySteps lists the boundaries userID is asked to look at in ci.
func boundarySteps(ci conversations.CheckIn, userID string) []string {
	var out []string
	for _, it := range ci.ItemsFor(userID) {
		if it.Subject != nil && it.Subject.Kind == conversations.SubjectBoundary {
			out = append(out, it.Subject.Text)
		}
	}
	return out
}

// Only a boundary's owner is asked about it, only while it stands, and only
// in a check-in that reviews promises or agreements; the step is optional.
func TestABoundaryIsLookedAtByItsOwnerAloneWhileItStands(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	kept, err := f.app.Boundaries.Set(f.ctx, f.actor(c.ID, bob), 0, "Sunday evenings are mine to rest")
	if err != nil {
		t.Fatal(err)
	}
	ended, err := f.app.Boundaries.Set(f.ctx, f.actor(c.ID, bob), 0, "No calls after ten")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.Boundaries.End(f.ctx, f.actor(c.ID, bob), ended.ID); err != nil {
		t.Fatal(err)
	}

	pulse := f.open(c.ID, conversations.PulseID)
	if got := boundarySteps(pulse, bob); len(got) != 0 {
		t.Errorf("the pulse asks bob about %v", got)
	}
	f.clock.Advance(week)
	ci := f.open(c.ID, "")
	if got := boundarySteps(ci, bob); len(got) != 1 || got[0] != kept.Text {
		t.Errorf("bob is asked about %v, want only %q", got, kept.Text)
	}
	if got := boundarySteps(ci, alice); len(got) != 0 {
		t.Errorf("alice is asked about bob's boundary: %v", got)
	}
	if n, m := len(ci.ItemsFor(bob)), len(ci.ItemsFor(alice)); n != m+1 {
		t.Errorf("bob has %d steps and alice %d; want one more for bob", n, m)
	}
	step, err := f.app.Turns.Skip(f.ctx, f.actor(c.ID, alice), ci.ID, conversations.StepKey{PromptID: conversations.BoundaryReviewID, SubjectID: kept.ID})
	if err == nil {
		t.Errorf("alice skipped a step about bob's boundary: %+v", step.Item)
	}

	// Bob's words are his alone in the reveal, and looking at a boundary
	// is not counted as a review in /history.
	words := func(it conversations.Item) (conversations.AnswerInput, bool) {
		if it.Prompt.ID == conversations.BoundaryReviewID {
			return conversations.AnswerInput{Text: "It still fits"}, false
		}
		return plainly(it)
	}
	f.finish(ci.ID, alice, words)
	f.finish(ci.ID, bob, words)
	r, err := f.app.CheckIns.Reveal(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	var rows []conversations.RevealRow
	for _, row := range r.Rows {
		if row.Item.Prompt.ID == conversations.BoundaryReviewID {
			rows = append(rows, row)
		}
	}
	if len(rows) != 1 || rows[0].Answers[0] != nil || rows[0].Answers[1] == nil || rows[0].Answers[1].Text != "It still fits" {
		t.Fatalf("the boundary rows of the reveal: %+v", rows)
	}
	if own, ok := rows[0].Owner(c); !ok || own != 1 {
		t.Errorf("the row's owner is %d (%v), want bob (1)", own, ok)
	}
	history, err := f.app.Records.History(f.ctx, f.actor(c.ID, alice), 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(history) == 0 || history[0].CheckIn.ID != ci.ID || history[0].Reviews != 0 {
		t.Errorf("history: %+v, want the check-in first with no reviews", history)
	}
}
