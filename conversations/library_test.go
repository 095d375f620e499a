package conversations

import (
	"strings"
	"testing"
)

func validPack() Pack {
	return Pack{ID: "mine", Name: "my theme", Step: StepBoundaries, Questions: []Question{
		{ID: "mine-a", Pack: "mine", Step: StepBoundaries, Label: "A", Kind: KindText, Text: "Something I would like is…", Hint: "A hint."},
		{ID: "mine-b", Pack: "mine", Step: StepBoundaries, Label: "B", Kind: KindScale, Text: "Right now I feel…", Hint: "A hint.", LowLabel: "Low", HighLabel: "High"},
	}}
}

func TestNewLibraryReportsEveryProblemOfAPack(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(p *Pack)
		want   string
	}{
		{"an unknown kind", func(p *Pack) { p.Questions[0].Kind = "essay" }, `kind "essay" is not one a library question can have`},
		{"a review kind", func(p *Pack) { p.Questions[0].Kind = KindCommitmentReview }, "use text, scale or choice"},
		{"no label", func(p *Pack) { p.Questions[0].Label = "" }, "the label is empty"},
		{"a label over 45 characters", func(p *Pack) { p.Questions[0].Label = strings.Repeat("l", 46) }, "the label is 46 characters long; at most 45"},
		{"no hint", func(p *Pack) { p.Questions[0].Hint = "" }, "the hint is empty"},
		{"a scale without labels", func(p *Pack) { p.Questions[1].LowLabel = "" }, "a scale needs both low_label"},
		{"a choice with one option", func(p *Pack) { p.Questions[0].Kind, p.Questions[0].Options = KindChoice, []string{"Only"} }, "a choice needs between 2 and 25 options"},
		{"a text too long", func(p *Pack) { p.Questions[0].Text = strings.Repeat("x", MaxPromptTextLength+1) }, "the text is 1001 characters long"},
		{"a question id used twice", func(p *Pack) { p.Questions[1].ID = "mine-a" }, `question "mine-a": the id is used by an earlier question of this pack`},
		{"a bad question id", func(p *Pack) { p.Questions[0].ID = "Mine A" }, "the id must be 1 to 32 lowercase letters"},
		{"an unknown step", func(p *Pack) { p.Step = "forgive" }, `unknown step "forgive"`},
		{"no name", func(p *Pack) { p.Name = "" }, "the name is empty"},
		{"no questions", func(p *Pack) { p.Questions = nil }, "it has no questions"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validPack()
			tt.change(&p)
			_, err := NewLibrary(nil, []Pack{p}, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewLibrary = %v, want a problem with %q", err, tt.want)
			}
		})
	}
}

func TestNewLibraryLocatesAProblemAtItsPackAndQuestion(t *testing.T) {
	t.Parallel()
	p := validPack()
	p.Questions[1].Label = ""
	_, err := NewLibrary(nil, []Pack{validPack(), p}, []string{"mine"})
	lerr, ok := err.(LibraryError)
	if !ok {
		t.Fatalf("NewLibrary = %v, want a LibraryError", err)
	}
	var found bool
	for _, pr := range lerr {
		if strings.Contains(pr.Problem, "two packs have this id") && pr.PackIndex == 1 && pr.QuestionIndex == -1 {
			found = true
		}
	}
	if !found {
		t.Errorf("problems %+v, want the repeated pack id at pack 2", lerr)
	}
}

func TestAQuestionIDIsUniqueInTheWholeLibrary(t *testing.T) {
	t.Parallel()
	other := validPack()
	other.ID = "other"
	_, err := NewLibrary(nil, []Pack{validPack(), other}, nil)
	if err == nil || !strings.Contains(err.Error(), `pack "other", question "mine-a": the id is used by an earlier question (in pack "mine")`) {
		t.Errorf("NewLibrary = %v, want the repeated question id reported at its second use", err)
	}
}

func TestNewLibraryRefusesAPlanThatDoesNotWalkTheStepsInOrder(t *testing.T) {
	t.Parallel()
	early := validPack()
	early.ID, early.Step = "early", StepAcknowledge
	for i := range early.Questions {
		early.Questions[i].ID = "early-" + early.Questions[i].ID
	}
	tests := []struct {
		name string
		plan []string
		want string
	}{
		{"a step before an earlier week's", []string{"mine", "early"}, `week 2 (early) serves the step "acknowledge", which comes before the step of an earlier week`},
		{"an unknown pack", []string{"early", "nope"}, `week 2 names pack "nope", which the library does not have`},
		{"no weeks", []string{}, "it has no weeks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewLibrary(nil, []Pack{validPack(), early}, tt.plan)
			if err == nil || !strings.Contains(err.Error(), "the plan: "+tt.want) {
				t.Errorf("NewLibrary = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestWithoutBuiltinsThePlanIsEveryPackInTheOrderOfTheSteps(t *testing.T) {
	t.Parallel()
	early := validPack()
	early.ID, early.Step = "early", StepAcknowledge
	for i := range early.Questions {
		early.Questions[i].ID = "early-" + early.Questions[i].ID
	}
	l, err := NewLibrary(nil, []Pack{validPack(), early}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range l.Plan() {
		ids = append(ids, p.ID)
	}
	if got := strings.Join(ids, ","); got != "early,mine" {
		t.Errorf("plan = %s, want early,mine", got)
	}
}

func TestARotatingPromptTakesOnlyAnIDAndPacks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		prompt Prompt
		want   string
	}{
		{"with text", Prompt{ID: "week", Kind: KindRotating, Text: "Anything?"}, "give it only id, kind and"},
		{"with a bad pack id", Prompt{ID: "week", Kind: KindRotating, Packs: []string{"Money!"}}, `"Money!" is not a pack id`},
		{"with a pack twice", Prompt{ID: "week", Kind: KindRotating, Packs: []string{"a", "a"}}, `pack "a" is listed twice`},
		{"packs on a text prompt", Prompt{ID: "q", Kind: KindText, Text: "Q?", Packs: []string{"a"}}, "packs only apply to rotating prompts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Template{ID: "t", Prompts: []Prompt{tt.prompt}}.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestOnlyOneRotatingPromptPerTemplateFollowsThePath(t *testing.T) {
	t.Parallel()
	tmpl := Template{ID: "t", Prompts: []Prompt{{ID: "a", Kind: KindRotating}, {ID: "b", Kind: KindRotating}}}
	if err := tmpl.Validate(); err == nil || !strings.Contains(err.Error(), "2 rotating prompts follow the guided path") {
		t.Errorf("Validate = %v, want one path prompt at most", err)
	}
	tmpl.Prompts[1].Packs = []string{"boundaries-money"}
	if err := tmpl.Validate(); err != nil {
		t.Errorf("a second rotating prompt with packs of its own: %v", err)
	}
}

// timePack is a pack of three questions for the tests of pick.
func timePack(t *testing.T) (*Library, Pack) {
	t.Helper()
	pack := Pack{ID: "boundaries-time", Name: "boundaries — time", Step: StepBoundaries}
	for _, id := range []string{"time-a", "time-b", "time-c"} {
		pack.Questions = append(pack.Questions, Question{ID: id, Pack: pack.ID, Step: StepBoundaries, Label: id, Kind: KindText, Text: "Something I would like is…", Hint: "A hint."})
	}
	l, err := NewLibrary(nil, []Pack{pack}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return l, pack
}

// askAll passes over no question.
func askAll(Question) bool { return false }

func TestPickStartsANewRoundOnlyWhenThePackIsExhausted(t *testing.T) {
	t.Parallel()
	l, pack := timePack(t)
	p := Path{}.clone()
	var got []string
	for range 2 * len(pack.Questions) {
		q, _ := l.pick(&p, pack.ID, askAll)
		got = append(got, q.ID)
	}
	for i, q := range pack.Questions {
		if got[i] != q.ID || got[i+len(pack.Questions)] != q.ID {
			t.Fatalf("picks %v, want the pack's questions in order, twice", got)
		}
	}
}

func TestPickPassesOverAQuestionThatEchoesTheCheckIn(t *testing.T) {
	t.Parallel()
	l, pack := timePack(t)
	p := Path{}.clone()
	notB := func(q Question) bool { return q.ID == "time-b" }
	var got []string
	for range 4 {
		q, ok := l.pick(&p, pack.ID, notB)
		if !ok {
			t.Fatal("nothing picked")
		}
		got = append(got, q.ID)
	}
	// time-b stays unasked: once only it is left, a new round begins.
	if strings.Join(got, ",") != "time-a,time-c,time-a,time-c" {
		t.Errorf("picks %v, want time-a,time-c twice", got)
	}
	if q, ok := l.pick(&p, pack.ID, func(Question) bool { return true }); ok {
		t.Errorf("picked %s from a pack whose every question is passed over", q.ID)
	}
}

func TestPickForgetsQuestionsRemovedFromThePack(t *testing.T) {
	t.Parallel()
	l, pack := timePack(t)
	p := Path{}.clone()
	// Asked: a removed question and the pack's first; the round is not over.
	p.Asked[pack.ID] = []string{"time-removed", pack.Questions[0].ID}
	if q, _ := l.pick(&p, pack.ID, askAll); q.ID != pack.Questions[1].ID {
		t.Errorf("pick = %s, want %s", q.ID, pack.Questions[1].ID)
	}
	if got := strings.Join(p.Asked[pack.ID], ","); got != pack.Questions[0].ID+","+pack.Questions[1].ID {
		t.Errorf("asked = %s, want the removed question dropped", got)
	}
}
