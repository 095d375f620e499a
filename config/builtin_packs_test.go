package config_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"mend/config"
	"mend/conversations"
)

// The built-in packs are files of this package; these tests hold their
// content to the rules of the guided path and to the tone Mend asks of every
// question.

// stepOrder is where a step comes on the path.
func stepOrder(s conversations.TrustStep) int { return slices.Index(conversations.TrustSteps, s) }

func builtinLibrary(t *testing.T) *conversations.Library {
	t.Helper()
	l, err := config.BuiltinLibrary()
	if err != nil {
		t.Fatalf("the built-in library: %v", err)
	}
	return l
}

func TestTheBuiltinLibraryHasTheIssuesPacksAndEnoughQuestions(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
	plan := builtinLibrary(t).Plan()
	if len(plan) < 12 {
		t.Fatalf("the plan has %d weeks, want at least 12", len(plan))
	}
	seen := map[conversations.TrustStep]bool{}
	for i, p := range plan {
		seen[p.Step] = true
		if i > 0 && stepOrder(p.Step) < stepOrder(plan[i-1].Step) {
			t.Errorf("week %d (%s, %s) comes after week %d (%s, %s)", i+1, p.ID, p.Step, i, plan[i-1].ID, plan[i-1].Step)
		}
	}
	for _, s := range conversations.TrustSteps {
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
	t.Parallel()
	for _, p := range builtinLibrary(t).Packs() {
		for _, q := range p.Questions {
			if !firstPerson.MatchString(q.Text) {
				t.Errorf("%s: %q does not speak in the first person", q.ID, q.Text)
			}
		}
	}
}

func TestNoLibraryQuestionBlamesOrAsksForAVerdictOnThePartner(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
	for _, p := range builtinLibrary(t).Packs() {
		for _, q := range p.Questions {
			if n := len([]rune(q.Label)); n == 0 || n > conversations.MaxPromptLabelLength {
				t.Errorf("%s: label %q has %d characters, want 1 to %d", q.ID, q.Label, n, conversations.MaxPromptLabelLength)
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
	t.Parallel()
	for _, p := range builtinLibrary(t).Packs() {
		kinds := map[conversations.PromptKind]int{}
		for _, q := range p.Questions {
			kinds[q.Kind]++
		}
		if len(kinds) < 2 {
			t.Errorf("pack %s asks only %v", p.ID, kinds)
		}
	}
}

func TestAPackWithABuiltinsIDReplacesIt(t *testing.T) {
	t.Parallel()
	p := conversations.Pack{ID: "boundaries-money", Name: "my theme", Step: conversations.StepBoundaries, Questions: []conversations.Question{
		{ID: "mine-a", Pack: "boundaries-money", Step: conversations.StepBoundaries, Label: "A", Kind: conversations.KindText, Text: "Something I would like is…", Hint: "A hint."},
		{ID: "mine-b", Pack: "boundaries-money", Step: conversations.StepBoundaries, Label: "B", Kind: conversations.KindScale, Text: "Right now I feel…", Hint: "A hint.", LowLabel: "Low", HighLabel: "High"},
	}}
	l, err := config.NewLibrary(true, []conversations.Pack{p}, nil)
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
	if want := len(builtinLibrary(t).Plan()); len(l.Plan()) != want {
		t.Errorf("the plan has %d weeks, want the replacement in its place (%d)", len(l.Plan()), want)
	}
}

func TestTemplateProblemsNamesRotatingPromptsWithUnknownPacks(t *testing.T) {
	t.Parallel()
	ts, err := conversations.NewTemplates(false, conversations.Template{ID: "t", Prompts: []conversations.Prompt{{ID: "week", Kind: conversations.KindRotating, Packs: []string{"boundaries-money", "nope"}}}})
	if err != nil {
		t.Fatal(err)
	}
	problems := builtinLibrary(t).TemplateProblems(ts)
	if len(problems) != 1 || problems[0].PromptID != "week" || !strings.Contains(problems[0].Problem, `pack "nope" is not in the library`) {
		t.Errorf("TemplateProblems = %v", problems)
	}
}

func TestPreviewOfFiftyTwoWeeksAsksFiftyTwoDifferentQuestions(t *testing.T) {
	t.Parallel()
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
