package conversations

import (
	"regexp"
	"strings"
	"testing"
)

func builtinLibrary(t *testing.T) *Library {
	t.Helper()
	l, err := BuiltinLibrary()
	if err != nil {
		t.Fatalf("the built-in library: %v", err)
	}
	return l
}

func TestTheBuiltinLibraryHasTheIssuesPacksAndEnoughQuestions(t *testing.T) {
	l := builtinLibrary(t)
	if n := len(l.Packs()); n < 10 {
		t.Errorf("%d packs, want at least 10", n)
	}
	if n := l.QuestionCount(); n < 150 {
		t.Errorf("%d questions, want at least 150", n)
	}
	for _, name := range []string{
		"acknowledging the hurt", "taking responsibility", "transparency", "show, don't just say",
		"boundaries — money", "boundaries — social life and exes", "boundaries — phones and honesty", "boundaries — time",
		"appreciation and fondness", "closeness and fun", "repair after a hard conversation", "patience and progress", "looking ahead",
	} {
		found := false
		for _, p := range l.Packs() {
			found = found || p.Name == name
		}
		if !found {
			t.Errorf("no pack named %q", name)
		}
	}
}

func TestEveryBuiltinPackIsOnThePlan(t *testing.T) {
	l := builtinLibrary(t)
	onPlan := map[string]bool{}
	for _, p := range l.Plan() {
		onPlan[p.ID] = true
	}
	for _, p := range l.Packs() {
		if !onPlan[p.ID] {
			t.Errorf("pack %s is not on the plan, so the guided path never asks it", p.ID)
		}
	}
}

func TestThePlanWalksTheSixStepsInOrder(t *testing.T) {
	plan := builtinLibrary(t).Plan()
	if len(plan) < 12 {
		t.Fatalf("the plan has %d weeks, want at least 12", len(plan))
	}
	seen := map[TrustStep]bool{}
	for i, p := range plan {
		seen[p.Step] = true
		if i > 0 && p.Step.order() < plan[i-1].Step.order() {
			t.Errorf("week %d (%s, %s) comes after week %d (%s, %s)", i+1, p.ID, p.Step, i, plan[i-1].ID, plan[i-1].Step)
		}
	}
	for _, s := range TrustSteps {
		if !seen[s] {
			t.Errorf("no week of the plan serves the step %q", s)
		}
	}
}

// The tone rules, as far as a machine can read them: every question speaks
// in the first person, and none blames or asks for a verdict on the other
// partner. A person reads the packs against the same rules (README.md).
var (
	firstPerson = regexp.MustCompile(`\b(I|I'm|I'd|I've|I'll|[Mm]e|[Mm]y|[Mm]yself|[Mm]ine)\b`)
	blaming     = regexp.MustCompile(`(?i)\b(fault|blame|blamed|guilty|why did you|why do you|should have|you never|you always|your partner|did you really|how honest|how well did you|rate you)\b`)
)

func TestEveryLibraryQuestionSpeaksInTheFirstPerson(t *testing.T) {
	for _, p := range builtinLibrary(t).Packs() {
		for _, q := range p.Questions {
			if !firstPerson.MatchString(q.Text) {
				t.Errorf("%s: %q does not speak in the first person", q.ID, q.Text)
			}
		}
	}
}

func TestNoLibraryQuestionBlamesOrAsksForAVerdictOnThePartner(t *testing.T) {
	for _, p := range builtinLibrary(t).Packs() {
		for _, q := range p.Questions {
			for _, words := range append([]string{q.Text, q.Hint, q.Label, q.LowLabel, q.HighLabel}, q.Options...) {
				if m := blaming.FindString(words); m != "" {
					t.Errorf("%s: %q has %q", q.ID, words, m)
				}
			}
		}
	}
}

func TestEveryLibraryQuestionHasAShortLabelAndAHint(t *testing.T) {
	for _, p := range builtinLibrary(t).Packs() {
		for _, q := range p.Questions {
			if n := len([]rune(q.Label)); n == 0 || n > MaxPromptLabelLength {
				t.Errorf("%s: label %q has %d characters, want 1 to %d", q.ID, q.Label, n, MaxPromptLabelLength)
			}
			if strings.TrimSpace(q.Hint) == "" {
				t.Errorf("%s has no hint", q.ID)
			}
			if q.Pack != p.ID || q.Step == "" {
				t.Errorf("%s: pack %q, step %q; want pack %q and a step", q.ID, q.Pack, q.Step, p.ID)
			}
		}
	}
}

func TestEachPackHasQuestionsOfMoreThanOneKind(t *testing.T) {
	for _, p := range builtinLibrary(t).Packs() {
		kinds := map[PromptKind]int{}
		for _, q := range p.Questions {
			kinds[q.Kind]++
		}
		if len(kinds) < 2 {
			t.Errorf("pack %s asks only %v", p.ID, kinds)
		}
	}
}

func validPack() Pack {
	return Pack{ID: "mine", Name: "my theme", Step: StepBoundaries, Questions: []Question{
		{ID: "mine-a", Pack: "mine", Step: StepBoundaries, Label: "A", Kind: KindText, Text: "Something I would like is…", Hint: "A hint."},
		{ID: "mine-b", Pack: "mine", Step: StepBoundaries, Label: "B", Kind: KindScale, Text: "Right now I feel…", Hint: "A hint.", LowLabel: "Low", HighLabel: "High"},
	}}
}

func TestNewLibraryReportsEveryProblemOfAPack(t *testing.T) {
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
			_, err := NewLibrary(false, []Pack{p}, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewLibrary = %v, want a problem with %q", err, tt.want)
			}
		})
	}
}

func TestNewLibraryLocatesAProblemAtItsPackAndQuestion(t *testing.T) {
	p := validPack()
	p.Questions[1].Label = ""
	_, err := NewLibrary(false, []Pack{validPack(), p}, []string{"mine"})
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
	other := validPack()
	other.ID = "other"
	_, err := NewLibrary(false, []Pack{validPack(), other}, nil)
	if err == nil || !strings.Contains(err.Error(), `pack "other", question "mine-a": the id is used by an earlier question (in pack "mine")`) {
		t.Errorf("NewLibrary = %v, want the repeated question id reported at its second use", err)
	}
}

func TestNewLibraryRefusesAPlanThatDoesNotWalkTheStepsInOrder(t *testing.T) {
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
			_, err := NewLibrary(false, []Pack{validPack(), early}, tt.plan)
			if err == nil || !strings.Contains(err.Error(), "the plan: "+tt.want) {
				t.Errorf("NewLibrary = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestWithoutBuiltinsThePlanIsEveryPackInTheOrderOfTheSteps(t *testing.T) {
	early := validPack()
	early.ID, early.Step = "early", StepAcknowledge
	for i := range early.Questions {
		early.Questions[i].ID = "early-" + early.Questions[i].ID
	}
	l, err := NewLibrary(false, []Pack{validPack(), early}, nil)
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

func TestAPackWithABuiltinsIDReplacesIt(t *testing.T) {
	p := validPack()
	p.ID, p.Step = "boundaries-money", StepBoundaries
	l, err := NewLibrary(true, []Pack{p}, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := l.Pack("boundaries-money")
	if len(got.Questions) != 2 || got.Questions[0].ID != "mine-a" {
		t.Errorf("pack boundaries-money = %+v, want the replacement", got)
	}
	if _, ok := l.Question("money-how-it-feels"); ok {
		t.Error("a question of the replaced pack is still in the library")
	}
	if len(l.Plan()) != len(builtinPlan) {
		t.Errorf("the plan has %d weeks, want the replacement in its place (%d)", len(l.Plan()), len(builtinPlan))
	}
}

func TestARotatingPromptTakesOnlyAnIDAndPacks(t *testing.T) {
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
	tmpl := Template{ID: "t", Prompts: []Prompt{{ID: "a", Kind: KindRotating}, {ID: "b", Kind: KindRotating}}}
	if err := tmpl.Validate(); err == nil || !strings.Contains(err.Error(), "2 rotating prompts follow the guided path") {
		t.Errorf("Validate = %v, want one path prompt at most", err)
	}
	tmpl.Prompts[1].Packs = []string{"boundaries-money"}
	if err := tmpl.Validate(); err != nil {
		t.Errorf("a second rotating prompt with packs of its own: %v", err)
	}
}

func TestTemplateProblemsNamesRotatingPromptsWithUnknownPacks(t *testing.T) {
	ts, err := NewTemplates(false, Template{ID: "t", Prompts: []Prompt{{ID: "week", Kind: KindRotating, Packs: []string{"boundaries-money", "nope"}}}})
	if err != nil {
		t.Fatal(err)
	}
	problems := builtinLibrary(t).TemplateProblems(ts)
	if len(problems) != 1 || problems[0].PromptID != "week" || !strings.Contains(problems[0].Problem, `pack "nope" is not in the library`) {
		t.Errorf("TemplateProblems = %v", problems)
	}
}

func TestPreviewOfFiftyTwoWeeksAsksFiftyTwoDifferentQuestions(t *testing.T) {
	weeks := builtinLibrary(t).Preview(52)
	if len(weeks) != 52 {
		t.Fatalf("%d weeks, want 52", len(weeks))
	}
	seen := map[string]int{}
	for i, d := range weeks {
		if w, ok := seen[d.Question]; ok {
			t.Errorf("week %d asks %s again (first in week %d)", i+1, d.Question, w)
		}
		seen[d.Question] = i + 1
	}
}

func TestPickStartsANewRoundOnlyWhenThePackIsExhausted(t *testing.T) {
	l := builtinLibrary(t)
	pack, _ := l.Pack("boundaries-time")
	p := Path{}.clone()
	var got []string
	for range 2 * len(pack.Questions) {
		got = append(got, l.pick(&p, pack.ID).ID)
	}
	for i, q := range pack.Questions {
		if got[i] != q.ID || got[i+len(pack.Questions)] != q.ID {
			t.Fatalf("picks %v, want the pack's questions in order, twice", got)
		}
	}
}

func TestPickForgetsQuestionsRemovedFromThePack(t *testing.T) {
	l := builtinLibrary(t)
	pack, _ := l.Pack("boundaries-time")
	p := Path{}.clone()
	// Asked: a removed question and the pack's first; the round is not over.
	p.Asked[pack.ID] = []string{"time-removed", pack.Questions[0].ID}
	if q := l.pick(&p, pack.ID); q.ID != pack.Questions[1].ID {
		t.Errorf("pick = %s, want %s", q.ID, pack.Questions[1].ID)
	}
	if got := strings.Join(p.Asked[pack.ID], ","); got != pack.Questions[0].ID+","+pack.Questions[1].ID {
		t.Errorf("asked = %s, want the removed question dropped", got)
	}
}
