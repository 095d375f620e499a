package conversations_test

import (
	"strings"
	"testing"

	"mend/conversations"
)

// oneQuestion is a template quick to finish, so a test can walk a couple
// through many check-ins.
var oneQuestion = conversations.Template{ID: "one", Name: "One question", Prompts: []conversations.Prompt{
	{ID: "note", Kind: conversations.KindText, Text: "Anything else?", Optional: true},
}}

// sendBoth has both partners answer what is left of a check-in and send it.
func sendBoth(f *fixture, checkInID int64) {
	f.t.Helper()
	for _, user := range []string{alice, bob} {
		f.finish(checkInID, user, plainly)
		if _, err := f.app.Turns.Send(f.ctx, f.as(checkInID, user), checkInID); err != nil {
			f.t.Fatal(err)
		}
	}
}

func TestBothPartnersAreAskedTheSafetyCheckInTheFirstCheckInAndThenEveryFourth(t *testing.T) {
	t.Parallel()
	f := newFixture(t, oneQuestion)
	c := f.couple()
	var asked []bool
	for range 9 {
		ci := f.open(c.ID, "one")
		var both [2]bool
		for i, user := range []string{alice, bob} {
			step, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, user), ci.ID)
			if err != nil {
				t.Fatal(err)
			}
			both[i] = step.SafetyCheck
			f.walk(step, user, plainly, -1)
			if _, err := f.app.Turns.Send(f.ctx, f.as(ci.ID, user), ci.ID); err != nil {
				t.Fatal(err)
			}
		}
		if both[0] != both[1] {
			t.Fatalf("check-in %d asked alice %v and bob %v: both must be asked, or neither", len(asked)+1, both[0], both[1])
		}
		asked = append(asked, both[0])
	}
	want := []bool{true, false, false, false, true, false, false, false, true}
	for i := range want {
		if asked[i] != want[i] {
			t.Errorf("check-in %d asks the safety check: %v, want %v", i+1, asked[i], want[i])
		}
	}
}

func TestTheSafetyCheckComesBackAsOftenAsTheOperatorSays(t *testing.T) {
	t.Parallel()
	f := newFixture(t, oneQuestion)
	f.configure(conversations.Settings{SafetyCheckEvery: 1})
	c := f.couple()
	for n := 1; n <= 2; n++ {
		ci := f.open(c.ID, "one")
		step, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, alice), ci.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !step.SafetyCheck {
			t.Errorf("check-in %d does not ask the safety check, with safety_check_every = 1", n)
		}
		sendBoth(f, ci.ID)
	}
}

func TestTheSafetyCheckIsAskedOnceWhenATurnStartsNotOnEveryReturn(t *testing.T) {
	t.Parallel()
	f := newFixture(t, oneQuestion)
	ci := f.open(f.couple().ID, "one")
	first, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !first.SafetyCheck {
		t.Fatal("the first check-in's first Start does not ask the safety check")
	}
	again, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.Turns.Pause(f.ctx, f.as(ci.ID, alice), ci.ID); err != nil {
		t.Fatal(err)
	}
	back, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.SafetyCheck || back.SafetyCheck {
		t.Errorf("asked again: on Start pressed twice %v, back from a break %v", again.SafetyCheck, back.SafetyCheck)
	}
}

func TestNoRevealedAnswerAsksForTheSafetyNote(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	for _, template := range []string{conversations.RebuildingTrustID, conversations.PulseID} {
		f.configure(conversations.Settings{SafetyCheckEvery: 12})
		ci := f.open(c.ID, template)
		// The lowest point of the scale that opens each built-in template
		// asks for nothing: neither the next step nor the other partner's
		// turn carries the check or the note.
		if _, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, alice), ci.ID); err != nil {
			t.Fatal(err)
		}
		first := ci.Items()[0].Prompt
		next, err := f.app.Turns.Answer(f.ctx, f.as(ci.ID, alice), ci.ID, conversations.StepKey{PromptID: first.ID}, conversations.AnswerInput{Scale: conversations.ScaleMin})
		if err != nil {
			t.Fatal(err)
		}
		if next.SafetyCheck {
			t.Errorf("%s: a %d on %q asks the safety check", template, conversations.ScaleMin, first.Text)
		}
		sendBoth(f, ci.ID)
	}
}

func TestTheWeeklyScaleIsAboutClosenessAndCanBeSkipped(t *testing.T) {
	t.Parallel()
	var trust conversations.Prompt
	for _, tpl := range conversations.Builtins() {
		if tpl.ID == conversations.RebuildingTrustID {
			trust = tpl.Prompts[0]
		}
	}
	if trust.Text != "This week, I felt close to you" || trust.LowLabel != "Far apart" || trust.HighLabel != "Close" {
		t.Errorf("the weekly scale reads %q (%q … %q)", trust.Text, trust.LowLabel, trust.HighLabel)
	}
	if trust.Hint != "Far apart is common in these weeks. Any number is okay." {
		t.Errorf("its hint is %q", trust.Hint)
	}
	if !trust.Optional {
		t.Error("the weekly scale cannot be skipped")
	}
}

func TestTheSafetyCheckOffersItsAnswersInOrderAndOnlyNotAlwaysShowsTheNote(t *testing.T) {
	t.Parallel()
	var labels []string
	for _, a := range conversations.SafetyAnswers() {
		labels = append(labels, a.Label())
		if a.ShowsNote() != (a == conversations.SafetyNotAlways) {
			t.Errorf("%q shows the note: %v", a.Label(), a.ShowsNote())
		}
	}
	if got, want := labels, []string{"Yes", "Mostly", "Not always", "I'd rather not say"}; len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || got[3] != want[3] {
		t.Errorf("answers %q, want %q", got, want)
	}
	if got := conversations.SafetyRatherNotSay.Line(); got != "That's okay. /help has a note whenever you want it." {
		t.Errorf("I'd rather not say is answered with %q", got)
	}
	if got := conversations.SafetyQuestion("Sam"); got != "Just for you, never shown to Sam: right now, do you feel safe with Sam?" {
		t.Errorf("the question reads %q", got)
	}
}

func TestTheSafetyNoteIsNeverEmpty(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"", "   "} {
		if got := (conversations.SafetyNote{Text: text}).WithDefault().Text; got != conversations.DefaultSafetyNote {
			t.Errorf("note %q became %q, want the default", text, got)
		}
	}
	if got := (conversations.SafetyNote{Text: "Our own words."}).WithDefault().Text; got != "Our own words." {
		t.Errorf("the operator's note became %q", got)
	}
}

func TestTheWeeklyPromptsAreFirstPersonAndOnlyReviewsAreRequired(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"appreciation":   "Something you did this week that I appreciated, however small, was…",
		"need":           "Something I'd like from you next week, that you could actually do, is…",
		"hurt":           "A moment this week that hurt or worried me, if there was one, was…",
		"responsibility": "Something I'd like to take responsibility for, if there is something, is…",
		"new-commitment": "One concrete thing I will do next week is…",
	}
	for _, tpl := range conversations.Builtins() {
		if tpl.ID != conversations.RebuildingTrustID {
			continue
		}
		for _, p := range tpl.Prompts {
			review := p.Kind == conversations.KindCommitmentReview || p.Kind == conversations.KindAgreementReview
			if p.Kind != conversations.KindRotating && p.Optional == review {
				t.Errorf("%s: optional %v; only the reviews are required", p.ID, p.Optional)
			}
			if text, ok := want[p.ID]; ok && p.Text != text {
				t.Errorf("%s reads %q, want %q", p.ID, p.Text, text)
			}
		}
	}
}

func TestTheDefaultNoteStartsWithThePersonAndSaysWhatTheyCanDo(t *testing.T) {
	t.Parallel()
	note := conversations.DefaultSafetyNote
	if !strings.HasPrefix(note, "How you feel matters.") {
		t.Errorf("the note does not start with the person: %q", note)
	}
	for _, want := range []string{
		"Feeling far apart is common while trust is being rebuilt.",
		"If you are ever afraid of your partner, check-ins are not the right tool, and it is not your job to fix that here.",
		"You deserve support from someone outside your relationship",
		"Your partner sees your answers only once you have both sent them, and you choose what is sent: you can change or skip any answer, or not send at all.",
	} {
		if !strings.Contains(note, want) {
			t.Errorf("the note does not say %q", want)
		}
	}
	if strings.ContainsAny(note, "0123456789") {
		t.Errorf("the note names a number: %q", note)
	}
}
