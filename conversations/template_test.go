package conversations

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// validTemplate returns a template with one prompt of every kind that passes
// Validate, for the validation cases to break one thing at a time.
func validTemplate() Template {
	return Template{
		ID:   "weekly",
		Name: "Weekly",
		Prompts: []Prompt{
			{ID: "mood", Kind: KindScale, Text: "How was it?", LowLabel: "Bad", HighLabel: "Good", Tracked: true},
			{ID: "where", Kind: KindChoice, Text: "Where?", Options: []string{"Home", "Out"}},
			{ID: "words", Kind: KindText, Text: "Say something", MaxLength: 200, Long: true, Acknowledge: true},
			{ID: "promises", Kind: KindCommitmentReview, Text: "How did it go?"},
			{ID: "rules", Kind: KindAgreementReview, Text: "Did it hold?"},
			{ID: "next", Kind: KindNewCommitment, Text: "What will you do?", MaxLength: 300},
		},
	}
}

// promptAt returns a pointer to the prompt with the given ID, so a case can
// change it in place.
func promptAt(t *Template, id string) *Prompt {
	for i := range t.Prompts {
		if t.Prompts[i].ID == id {
			return &t.Prompts[i]
		}
	}
	panic("no prompt " + id)
}

func TestValidTemplatePassesValidation(t *testing.T) {
	t.Parallel()
	if err := validTemplate().Validate(); err != nil {
		t.Fatalf("Validate() = %v, want nil", err)
	}
}

func TestValidateNamesTemplatePromptAndProblem(t *testing.T) {
	t.Parallel()
	options := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("option %d", i+1)
		}
		return out
	}
	tests := []struct {
		name       string
		change     func(t *Template)
		templateID string // defaults to "weekly"
		promptID   string
		problem    string
	}{
		{
			name:     "unknown kind",
			change:   func(t *Template) { promptAt(t, "words").Kind = "essay" },
			promptID: "words",
			problem:  `unknown kind "essay"`,
		},
		{
			name:     "duplicate prompt id",
			change:   func(t *Template) { promptAt(t, "where").ID = "mood" },
			promptID: "mood",
			problem:  "ids must be unique",
		},
		{
			name:     "the boundary step's id",
			change:   func(t *Template) { promptAt(t, "where").ID = BoundaryReviewID },
			promptID: BoundaryReviewID,
			problem:  "the id is Mend's own, for the step where a partner looks at their boundary; choose another",
		},
		{
			name:     "missing prompt id",
			change:   func(t *Template) { promptAt(t, "where").ID = "" },
			promptID: "#2",
			problem:  "the prompt has no id",
		},
		{
			name:     "bad prompt id",
			change:   func(t *Template) { promptAt(t, "where").ID = "Where?" },
			promptID: "Where?",
			problem:  "the id must be 1 to 32",
		},
		{
			name:     "empty text",
			change:   func(t *Template) { promptAt(t, "words").Text = "" },
			promptID: "words",
			problem:  "the text is empty",
		},
		{
			name:     "blank text",
			change:   func(t *Template) { promptAt(t, "words").Text = " \t\n" },
			promptID: "words",
			problem:  "the text is empty",
		},
		{
			name:     "text too long",
			change:   func(t *Template) { promptAt(t, "words").Text = strings.Repeat("é", MaxPromptTextLength+1) },
			promptID: "words",
			problem:  "the text is 1001 characters long",
		},
		{
			name:     "scale without low label",
			change:   func(t *Template) { promptAt(t, "mood").LowLabel = "" },
			promptID: "mood",
			problem:  "a scale needs both low_label",
		},
		{
			name:     "scale without high label",
			change:   func(t *Template) { promptAt(t, "mood").HighLabel = "  " },
			promptID: "mood",
			problem:  "a scale needs both low_label",
		},
		{
			name:     "scale label too long",
			change:   func(t *Template) { promptAt(t, "mood").HighLabel = strings.Repeat("x", MaxLabelLength+1) },
			promptID: "mood",
			problem:  "scale labels can be at most 80 characters",
		},
		{
			name:     "labels on a non-scale prompt",
			change:   func(t *Template) { promptAt(t, "words").LowLabel = "Low" },
			promptID: "words",
			problem:  "low_label and high_label only apply to scale prompts",
		},
		{
			name:     "choice with one option",
			change:   func(t *Template) { promptAt(t, "where").Options = options(1) },
			promptID: "where",
			problem:  "a choice needs between 2 and 25 options; it has 1",
		},
		{
			name:     "choice with no options",
			change:   func(t *Template) { promptAt(t, "where").Options = nil },
			promptID: "where",
			problem:  "a choice needs between 2 and 25 options; it has 0",
		},
		{
			name:     "choice with 26 options",
			change:   func(t *Template) { promptAt(t, "where").Options = options(26) },
			promptID: "where",
			problem:  "a choice needs between 2 and 25 options; it has 26",
		},
		{
			name:     "choice with duplicate options differing in case and space",
			change:   func(t *Template) { promptAt(t, "where").Options = []string{"Home", "Out", " home "} },
			promptID: "where",
			problem:  `option " home " appears twice`,
		},
		{
			name:     "choice with an empty option",
			change:   func(t *Template) { promptAt(t, "where").Options = []string{"Home", "Out", " "} },
			promptID: "where",
			problem:  "an option is empty",
		},
		{
			name: "choice option too long",
			change: func(t *Template) {
				promptAt(t, "where").Options = []string{"Home", strings.Repeat("o", MaxOptionLength+1)}
			},
			promptID: "where",
			problem:  "is longer than 100 characters",
		},
		{
			name:     "options on a text prompt",
			change:   func(t *Template) { promptAt(t, "words").Options = []string{"a", "b"} },
			promptID: "words",
			problem:  "options only apply to choice prompts",
		},
		{
			name:     "options on a scale prompt",
			change:   func(t *Template) { promptAt(t, "mood").Options = []string{"a", "b"} },
			promptID: "mood",
			problem:  "options only apply to choice prompts",
		},
		{
			name:     "negative max_length",
			change:   func(t *Template) { promptAt(t, "words").MaxLength = -1 },
			promptID: "words",
			problem:  "max_length must be between 1 and 4000",
		},
		{
			name:     "max_length above the Discord limit",
			change:   func(t *Template) { promptAt(t, "next").MaxLength = MaxTextLength + 1 },
			promptID: "next",
			problem:  "max_length must be between 1 and 4000",
		},
		{
			name:     "max_length on a scale",
			change:   func(t *Template) { promptAt(t, "mood").MaxLength = 10 },
			promptID: "mood",
			problem:  "max_length and long only apply to text and new-commitment prompts",
		},
		{
			name:     "long on a choice",
			change:   func(t *Template) { promptAt(t, "where").Long = true },
			promptID: "where",
			problem:  "max_length and long only apply to text and new-commitment prompts",
		},
		{
			name:     "acknowledge on a scale",
			change:   func(t *Template) { promptAt(t, "mood").Acknowledge = true },
			promptID: "mood",
			problem:  "acknowledge only applies to text prompts",
		},
		{
			name:     "acknowledge on a new commitment",
			change:   func(t *Template) { promptAt(t, "next").Acknowledge = true },
			promptID: "next",
			problem:  "acknowledge only applies to text prompts",
		},
		{
			name:     "owned on a scale",
			change:   func(t *Template) { promptAt(t, "mood").Owned = true },
			promptID: "mood",
			problem:  "owned only applies to text prompts",
		},
		{
			name:     "owned and acknowledge together",
			change:   func(t *Template) { promptAt(t, "words").Owned = true },
			promptID: "words",
			problem:  "either acknowledge",
		},
		{
			name:     "a label too long for a form's box",
			change:   func(t *Template) { promptAt(t, "words").Label = strings.Repeat("w", MaxPromptLabelLength+1) },
			promptID: "words",
			problem:  "the label is 46 characters long; at most 45",
		},
		{
			name:     "a blank label",
			change:   func(t *Template) { promptAt(t, "words").Label = "   " },
			promptID: "words",
			problem:  "the label is blank",
		},
		{
			name:     "tracked on a text prompt",
			change:   func(t *Template) { promptAt(t, "mood").Tracked = false; promptAt(t, "words").Tracked = true },
			promptID: "words",
			problem:  "tracked only applies to scale prompts",
		},
		{
			name: "two tracked prompts",
			change: func(t *Template) {
				t.Prompts = append(t.Prompts, Prompt{ID: "mood2", Kind: KindScale, Text: "Again?", LowLabel: "Bad", HighLabel: "Good", Tracked: true})
			},
			promptID: "",
			problem:  "2 prompts are marked tracked; at most one scale can be tracked",
		},
		{
			name:       "template id with capitals",
			change:     func(t *Template) { t.ID = "Weekly" },
			templateID: "Weekly",
			problem:    "the id must be 1 to 32 lowercase letters",
		},
		{
			name:       "empty template id",
			change:     func(t *Template) { t.ID = "" },
			templateID: "",
			problem:    "the id must be 1 to 32 lowercase letters",
		},
		{
			name:       "template id longer than 32",
			change:     func(t *Template) { t.ID = strings.Repeat("a", 33) },
			templateID: strings.Repeat("a", 33),
			problem:    "the id must be 1 to 32 lowercase letters",
		},
		{
			name:       "template id starting with a dash",
			change:     func(t *Template) { t.ID = "-weekly" },
			templateID: "-weekly",
			problem:    "the id must be 1 to 32 lowercase letters",
		},
		{
			name:    "no prompts",
			change:  func(t *Template) { t.Prompts = nil },
			problem: "it has no prompts",
		},
		{
			name: "too many prompts",
			change: func(t *Template) {
				t.Prompts = nil
				for i := range MaxPrompts + 1 {
					t.Prompts = append(t.Prompts, Prompt{ID: fmt.Sprintf("p%d", i), Kind: KindText, Text: "Anything?"})
				}
			},
			problem: "it has 26 prompts; at most 25",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tmpl := validTemplate()
			tt.change(&tmpl)
			wantTemplate := tt.templateID
			if wantTemplate == "" && tmpl.ID != "" {
				wantTemplate = "weekly"
			}

			err := tmpl.Validate()

			var te TemplateError
			if !errors.As(err, &te) {
				t.Fatalf("Validate() = %v (%T), want a TemplateError", err, err)
			}
			if len(te) != 1 {
				t.Fatalf("Validate() found %d problems, want exactly 1: %v", len(te), te)
			}
			got := te[0]
			if got.TemplateID != wantTemplate || got.PromptID != tt.promptID || !strings.Contains(got.Problem, tt.problem) {
				t.Errorf("problem = %+v, want template %q, prompt %q, problem containing %q", got, wantTemplate, tt.promptID, tt.problem)
			}
			msg := err.Error()
			if wantTemplate != "" && !strings.Contains(msg, fmt.Sprintf("template %q", wantTemplate)) {
				t.Errorf("Error() = %q, does not name template %q", msg, wantTemplate)
			}
			if tt.promptID != "" && !strings.Contains(msg, fmt.Sprintf("prompt %q", tt.promptID)) {
				t.Errorf("Error() = %q, does not name prompt %q", msg, tt.promptID)
			}
			if !strings.Contains(msg, tt.problem) {
				t.Errorf("Error() = %q, does not say %q", msg, tt.problem)
			}
		})
	}
}

func TestValidateReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	tmpl := validTemplate()
	promptAt(&tmpl, "mood").LowLabel = ""
	promptAt(&tmpl, "where").Options = []string{"only"}
	promptAt(&tmpl, "words").Text = ""

	var te TemplateError
	if err := tmpl.Validate(); !errors.As(err, &te) {
		t.Fatalf("Validate() = %v, want a TemplateError", err)
	}

	var prompts []string
	for _, p := range te {
		prompts = append(prompts, p.PromptID)
	}
	if got, want := strings.Join(prompts, ","), "mood,where,words"; got != want {
		t.Errorf("problems are about prompts %s, want %s (all of them, in template order): %v", got, want, te)
	}
}

func TestTemplateProblemStringWithoutTemplate(t *testing.T) {
	t.Parallel()
	p := TemplateProblem{Problem: "no templates"}
	if got := p.String(); got != "no templates" {
		t.Errorf("String() = %q, want %q", got, "no templates")
	}
}

func TestBuiltinsValidate(t *testing.T) {
	t.Parallel()
	for _, tmpl := range Builtins() {
		t.Run(tmpl.ID, func(t *testing.T) {
			if err := tmpl.Validate(); err != nil {
				t.Errorf("Validate() = %v", err)
			}
			if err := tmpl.Normalize().Validate(); err != nil {
				t.Errorf("Normalize().Validate() = %v", err)
			}
		})
	}
}

// A built-in question is named on a Discord form by a label written for it,
// never by its text cut short.
func TestEveryBuiltinPromptHasAHandWrittenLabelThatFitsAForm(t *testing.T) {
	t.Parallel()
	for _, tmpl := range Builtins() {
		for _, p := range tmpl.Prompts {
			if p.Kind == KindRotating {
				continue // the question drawn brings its own label
			}
			if n := len([]rune(p.Label)); n == 0 || n > MaxPromptLabelLength {
				t.Errorf("%s/%s: label %q is %d characters; want 1 to %d", tmpl.ID, p.ID, p.Label, n, MaxPromptLabelLength)
			}
		}
	}
}

func TestALabelOfExactlyTheLimitIsValid(t *testing.T) {
	t.Parallel()
	tmpl := validTemplate()
	promptAt(&tmpl, "words").Label = strings.Repeat("w", MaxPromptLabelLength)
	if err := tmpl.Validate(); err != nil {
		t.Errorf("Validate() = %v", err)
	}
}

func TestRebuildingTrustServesEveryStep(t *testing.T) {
	t.Parallel()
	var tmpl Template
	for _, b := range Builtins() {
		if b.ID == RebuildingTrustID {
			tmpl = b
		}
	}
	// Every kind except choice: the weekly check-in asks nothing multiple-choice.
	for _, kind := range []PromptKind{KindScale, KindText, KindCommitmentReview, KindAgreementReview, KindNewCommitment} {
		found := false
		for _, p := range tmpl.Prompts {
			found = found || p.Kind == kind
		}
		if !found {
			t.Errorf("template %s has no %s prompt", RebuildingTrustID, kind)
		}
	}
	acknowledged := false
	for _, p := range tmpl.Prompts {
		acknowledged = acknowledged || p.Acknowledge
	}
	if !acknowledged {
		t.Errorf("template %s has no prompt that can be acknowledged", RebuildingTrustID)
	}
}

func TestBuiltinsReturnsFreshCopies(t *testing.T) {
	t.Parallel()
	first := Builtins()
	first[0].Prompts[0].Text = "changed"
	if Builtins()[0].Prompts[0].Text == "changed" {
		t.Error("changing a template from Builtins() changed the next call's result")
	}
}

func TestNormalizeFillsDefaults(t *testing.T) {
	t.Parallel()
	tmpl := Template{ID: "mine", Prompts: []Prompt{
		{ID: "a", Kind: KindText, Text: "A"},
		{ID: "b", Kind: KindNewCommitment, Text: "B"},
		{ID: "c", Kind: KindText, Text: "C", MaxLength: 42},
		{ID: "d", Kind: KindScale, Text: "D", LowLabel: "l", HighLabel: "h"},
	}}

	got := tmpl.Normalize()

	if got.Name != "mine" {
		t.Errorf("Name = %q, want the id %q", got.Name, "mine")
	}
	want := map[string]int{"a": DefaultTextLength, "b": DefaultCommitmentLength, "c": 42, "d": 0}
	for _, p := range got.Prompts {
		if p.MaxLength != want[p.ID] {
			t.Errorf("prompt %s: MaxLength = %d, want %d", p.ID, p.MaxLength, want[p.ID])
		}
	}
	if tmpl.Prompts[0].MaxLength != 0 {
		t.Error("Normalize changed the prompts of the template it was called on")
	}
}

func TestNormalizeCopiesOptions(t *testing.T) {
	t.Parallel()
	tmpl := validTemplate()
	norm := tmpl.Normalize()
	promptAt(&norm, "where").Options[0] = "changed"
	if promptAt(&tmpl, "where").Options[0] != "Home" {
		t.Error("changing an option of the normalized template changed the original")
	}
}

func TestNewTemplatesWithBuiltinsOnly(t *testing.T) {
	t.Parallel()
	ts, err := NewTemplates(true)
	if err != nil {
		t.Fatal(err)
	}
	if got := templateIDs(ts.List()); got != "rebuilding-trust,pulse" {
		t.Errorf("List() = %s, want rebuilding-trust,pulse", got)
	}
}

func TestNewTemplatesNormalizesBuiltins(t *testing.T) {
	t.Parallel()
	ts, err := NewTemplates(true)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, _ := ts.Get(RebuildingTrustID)
	// "need" and "new-commitment" leave max_length out; without the default an
	// answer of any length would be accepted.
	for id, want := range map[string]int{"need": DefaultTextLength, "new-commitment": DefaultCommitmentLength} {
		p, _ := tmpl.Prompt(id)
		if p.MaxLength != want {
			t.Errorf("built-in prompt %s: MaxLength = %d, want the default %d", id, p.MaxLength, want)
		}
	}
}

func TestNewTemplatesCustomReplacesBuiltinWithSameID(t *testing.T) {
	t.Parallel()
	custom := Template{ID: PulseID, Name: "Our pulse", Prompts: []Prompt{{ID: "word", Kind: KindText, Text: "One word?"}}}

	ts, err := NewTemplates(true, custom)
	if err != nil {
		t.Fatal(err)
	}

	got, ok := ts.Get(PulseID)
	if !ok || got.Name != "Our pulse" || len(got.Prompts) != 1 {
		t.Errorf("Get(%q) = %+v, %v; want the custom template", PulseID, got, ok)
	}
	if ids := templateIDs(ts.List()); ids != "rebuilding-trust,pulse" {
		t.Errorf("List() = %s, want rebuilding-trust,pulse (the replacement keeps its place)", ids)
	}
}

func TestNewTemplatesWithoutBuiltinsKeepsOnlyCustom(t *testing.T) {
	t.Parallel()
	custom := Template{ID: "ours", Prompts: []Prompt{{ID: "word", Kind: KindText, Text: "One word?"}}}

	ts, err := NewTemplates(false, custom)
	if err != nil {
		t.Fatal(err)
	}

	if ids := templateIDs(ts.List()); ids != "ours" {
		t.Errorf("List() = %s, want ours", ids)
	}
	if _, ok := ts.Get(RebuildingTrustID); ok {
		t.Errorf("Get(%q) found a built-in although built-ins were left out", RebuildingTrustID)
	}
	got, _ := ts.Get("ours")
	if got.Name != "ours" || got.Prompts[0].MaxLength != DefaultTextLength {
		t.Errorf("custom template was not normalized: %+v", got)
	}
}

func TestNewTemplatesRefusesTwoCustomTemplatesWithSameID(t *testing.T) {
	t.Parallel()
	a := Template{ID: "ours", Prompts: []Prompt{{ID: "word", Kind: KindText, Text: "One word?"}}}
	b := Template{ID: "ours", Prompts: []Prompt{{ID: "other", Kind: KindText, Text: "Another?"}}}

	ts, err := NewTemplates(true, a, b)

	var te TemplateError
	if !errors.As(err, &te) {
		t.Fatalf("NewTemplates() = %v, %v; want a TemplateError", ts, err)
	}
	if len(te) != 1 || te[0].TemplateID != "ours" || !strings.Contains(te[0].Problem, "two templates have this id") {
		t.Errorf("problems = %v, want one about two templates with id ours", te)
	}
}

func TestNewTemplatesReportsProblemsOfEveryCustomTemplate(t *testing.T) {
	t.Parallel()
	a := Template{ID: "first", Prompts: []Prompt{{ID: "x", Kind: "essay", Text: "?"}}}
	b := Template{ID: "second"}

	_, err := NewTemplates(true, a, b)

	var te TemplateError
	if !errors.As(err, &te) {
		t.Fatalf("NewTemplates() error = %v, want a TemplateError", err)
	}
	var ids []string
	for _, p := range te {
		ids = append(ids, p.TemplateID)
	}
	if got := strings.Join(ids, ","); got != "first,second" {
		t.Errorf("problems are about templates %s, want first,second: %v", got, te)
	}
}

func TestNewTemplatesRefusesAnEmptySet(t *testing.T) {
	t.Parallel()
	_, err := NewTemplates(false)
	var te TemplateError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), "no templates") {
		t.Errorf("NewTemplates(false) error = %v, want a TemplateError saying there are no templates", err)
	}
}

func TestTemplatePromptLooksUpByID(t *testing.T) {
	t.Parallel()
	tmpl := validTemplate()
	if p, ok := tmpl.Prompt("words"); !ok || p.Kind != KindText {
		t.Errorf("Prompt(words) = %+v, %v", p, ok)
	}
	if _, ok := tmpl.Prompt("nope"); ok {
		t.Error("Prompt(nope) found a prompt")
	}
}

func templateIDs(ts []Template) string {
	ids := make([]string, len(ts))
	for i, t := range ts {
		ids[i] = t.ID
	}
	return strings.Join(ids, ",")
}

func TestANewCommitmentPromptMustFitEveryMessageThatQuotesIt(t *testing.T) {
	t.Parallel()
	tpl := Template{ID: "long-promises", Name: "Long promises", Prompts: []Prompt{
		{ID: "new", Kind: KindNewCommitment, Text: "One concrete thing?", MaxLength: 4000},
	}}
	err := tpl.Normalize().Validate()
	if err == nil || !strings.Contains(err.Error(), "at most 500") {
		t.Fatalf("a new-commitment prompt of 4,000 characters: %v", err)
	}
	tpl.Prompts[0].MaxLength = MaxCommitmentLength
	if err := tpl.Normalize().Validate(); err != nil {
		t.Errorf("a new-commitment prompt of %d characters is refused: %v", MaxCommitmentLength, err)
	}
}
