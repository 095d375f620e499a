package conversations

import (
	"fmt"
	"regexp"
	"strings"
)

// PromptKind decides how a prompt is answered and validated.
type PromptKind string

const (
	// KindScale is answered with a whole number from ScaleMin to ScaleMax.
	KindScale PromptKind = "scale"
	// KindChoice is answered with one of the prompt's options.
	KindChoice PromptKind = "choice"
	// KindText is answered in the partner's own words.
	KindText PromptKind = "text"
	// KindCommitmentReview expands to one step per open commitment of the couple.
	KindCommitmentReview PromptKind = "commitment-review"
	// KindAgreementReview expands to one step per active agreement of the couple.
	KindAgreementReview PromptKind = "agreement-review"
	// KindNewCommitment is answered with a concrete promise and an optional due date.
	KindNewCommitment PromptKind = "new-commitment"
	// KindRotating stands in a template for a question of the week from the
	// library; a check-in holds the question drawn, never this kind.
	KindRotating PromptKind = "rotating"
)

// Kinds lists every prompt kind, in the order documentation shows them.
var Kinds = []PromptKind{KindScale, KindChoice, KindText, KindCommitmentReview, KindAgreementReview, KindNewCommitment, KindRotating}

// Limits that keep every template renderable on Discord: a select holds 25
// options, a button label 80 characters, a text input 4000 characters, and a
// custom ID 100 characters (template and prompt IDs travel inside them).
const (
	ScaleMin        = 1
	ScaleMax        = 5
	MaxPrompts      = 25
	MaxOptions      = 25
	MaxOptionLength = 100
	MaxLabelLength  = 80
	// MaxPromptLabelLength is what the box of a Discord form can show.
	MaxPromptLabelLength    = 45
	MaxPromptTextLength     = 1000
	MaxTextLength           = 4000
	DefaultTextLength       = 1500
	DefaultCommitmentLength = 300
	// MaxCommitmentLength keeps a promise short enough to be quoted whole in
	// every message that carries it: a due reminder (2,000 characters in
	// all), the reveal, a list line.
	MaxCommitmentLength = 500
	MaxNoteLength       = 500
	MaxTemplateName     = 100
)

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// Prompt is one question of a template. Its ID is stable: answers are stored under
// it, so renaming an ID in a template starts a new series in the history.
type Prompt struct {
	ID   string     `json:"id"`
	Kind PromptKind `json:"kind"`
	Text string     `json:"text"`
	Hint string     `json:"hint,omitempty"`
	// Label names the prompt where there is little room: the box of a form
	// on Discord holds 45 characters, and a question cut mid-word there
	// reads as careless. Empty means the text is short enough, or is cut at
	// a word.
	Label    string `json:"label,omitempty"`
	Optional bool   `json:"optional,omitempty"`

	// Scale: what 1 and 5 mean.
	LowLabel  string `json:"low_label,omitempty"`
	HighLabel string `json:"high_label,omitempty"`
	// Choice: the options, shown in this order.
	Options []string `json:"options,omitempty"`
	// Text and new-commitment: the longest answer accepted, and whether the
	// answer is expected to run to several lines.
	MaxLength int  `json:"max_length,omitempty"`
	Long      bool `json:"long,omitempty"`

	// Acknowledge marks a text prompt about hurt or worry: after the reveal the
	// other partner can answer it with "I hear you".
	Acknowledge bool `json:"acknowledge,omitempty"`
	// Owned marks a text prompt where a partner takes responsibility: after
	// the reveal the other partner can answer it with "Thank you for owning
	// this".
	Owned bool `json:"owned,omitempty"`
	// Tracked marks the scale whose answers are drawn over time in progress.
	Tracked bool `json:"tracked,omitempty"`
	// Talk marks a text prompt for the guided talk after the reveal:
	// TalkAppreciation answers are quoted at its start, TalkTopic answers
	// are offered as what to talk about. Acknowledge prompts are topics
	// without it.
	Talk TalkUse `json:"talk,omitempty"`

	// Packs are the library packs a rotating prompt draws from; none means
	// it follows the couple's guided path.
	Packs []string `json:"packs,omitempty"`
	// Drawn is set on a question of the week: where in the library it came
	// from, as it was when the check-in opened.
	Drawn *Drawn `json:"drawn,omitempty"`
}

// Template is an ordered set of prompts that a check-in walks through.
type Template struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Prompts     []Prompt `json:"prompts"`
}

// Prompt returns the prompt with the given ID.
func (t Template) Prompt(id string) (Prompt, bool) {
	for _, p := range t.Prompts {
		if p.ID == id {
			return p, true
		}
	}
	return Prompt{}, false
}

// TemplateProblem is one thing wrong with a template, located by template and
// prompt so that a config checker can point at the line.
type TemplateProblem struct {
	TemplateID string
	PromptID   string // empty when the problem is with the template itself
	Problem    string
}

func (p TemplateProblem) String() string {
	if p.TemplateID == "" {
		return p.Problem
	}
	if p.PromptID == "" {
		return fmt.Sprintf("template %q: %s", p.TemplateID, p.Problem)
	}
	return fmt.Sprintf("template %q, prompt %q: %s", p.TemplateID, p.PromptID, p.Problem)
}

// TemplateError lists every problem found in a template, so an author fixes them
// in one pass rather than one per run.
type TemplateError []TemplateProblem

func (e TemplateError) Error() string {
	lines := make([]string, len(e))
	for i, p := range e {
		lines[i] = p.String()
	}
	return strings.Join(lines, "; ")
}

// Normalize fills in defaults that a template author may leave out.
func (t Template) Normalize() Template {
	if t.Name == "" {
		t.Name = t.ID
	}
	prompts := make([]Prompt, len(t.Prompts))
	for i, p := range t.Prompts {
		p.Options = append([]string(nil), p.Options...)
		p.Packs = append([]string(nil), p.Packs...)
		if p.MaxLength == 0 {
			switch p.Kind {
			case KindText:
				p.MaxLength = DefaultTextLength
			case KindNewCommitment:
				p.MaxLength = DefaultCommitmentLength
			}
		}
		prompts[i] = p
	}
	t.Prompts = prompts
	return t
}

// Validate reports every problem in the template as a TemplateError, or nil.
func (t Template) Validate() error {
	var problems TemplateError
	add := func(promptID, format string, args ...any) {
		problems = append(problems, TemplateProblem{TemplateID: t.ID, PromptID: promptID, Problem: fmt.Sprintf(format, args...)})
	}
	if !idPattern.MatchString(t.ID) {
		add("", "the id must be 1 to 32 lowercase letters, digits, '-' or '_', starting with a letter or digit")
	}
	if n := len([]rune(t.Name)); n > MaxTemplateName {
		add("", "the name is %d characters long; at most %d", n, MaxTemplateName)
	}
	switch {
	case len(t.Prompts) == 0:
		add("", "it has no prompts")
	case len(t.Prompts) > MaxPrompts:
		add("", "it has %d prompts; at most %d fit in one check-in", len(t.Prompts), MaxPrompts)
	}
	seen := map[string]bool{}
	tracked := 0
	for i, p := range t.Prompts {
		id := p.ID
		if id == "" {
			id = fmt.Sprintf("#%d", i+1)
			add(id, "the prompt has no id")
		} else if !idPattern.MatchString(p.ID) {
			add(id, "the id must be 1 to 32 lowercase letters, digits, '-' or '_', starting with a letter or digit")
		} else if seen[p.ID] {
			add(id, "the id is used by an earlier prompt of this template; ids must be unique")
		} else if p.ID == BoundaryReviewID {
			add(id, "the id is Mend's own, for the step where a partner looks at their boundary; choose another")
		}
		seen[p.ID] = true
		if p.Tracked {
			tracked++
		}
		for _, problem := range p.problems() {
			add(id, "%s", problem)
		}
	}
	if tracked > 1 {
		add("", "%d prompts are marked tracked; at most one scale can be tracked", tracked)
	}
	for _, problem := range rotatingTemplateProblems(t) {
		add("", "%s", problem)
	}
	if len(problems) > 0 {
		return problems
	}
	return nil
}

func (p Prompt) problems() []string {
	if p.Kind == KindRotating {
		return p.rotatingProblems()
	}
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if len(p.Packs) > 0 {
		add("packs only apply to rotating prompts")
	}
	text := strings.TrimSpace(p.Text)
	switch {
	case text == "":
		add("the text is empty")
	case len([]rune(text)) > MaxPromptTextLength:
		add("the text is %d characters long; at most %d", len([]rune(text)), MaxPromptTextLength)
	}
	if n := len([]rune(p.Label)); n > MaxPromptLabelLength {
		add("the label is %d characters long; at most %d, so that it fits a form's box whole", n, MaxPromptLabelLength)
	} else if p.Label != "" && strings.TrimSpace(p.Label) == "" {
		add("the label is blank; leave it out to use the text")
	}
	known := false
	for _, k := range Kinds {
		known = known || p.Kind == k
	}
	if !known {
		names := make([]string, len(Kinds))
		for i, k := range Kinds {
			names[i] = string(k)
		}
		add("unknown kind %q; the kinds are %s", p.Kind, strings.Join(names, ", "))
		return out
	}
	if p.Kind == KindScale {
		if strings.TrimSpace(p.LowLabel) == "" || strings.TrimSpace(p.HighLabel) == "" {
			add("a scale needs both low_label (what %d means) and high_label (what %d means)", ScaleMin, ScaleMax)
		}
		if len([]rune(p.LowLabel)) > MaxLabelLength || len([]rune(p.HighLabel)) > MaxLabelLength {
			add("scale labels can be at most %d characters", MaxLabelLength)
		}
	} else if p.LowLabel != "" || p.HighLabel != "" {
		add("low_label and high_label only apply to scale prompts")
	}
	if p.Kind == KindChoice {
		p.choiceProblems(add)
	} else if len(p.Options) > 0 {
		add("options only apply to choice prompts")
	}
	if p.Kind == KindText || p.Kind == KindNewCommitment {
		if p.MaxLength < 0 || p.MaxLength > MaxTextLength {
			add("max_length must be between 1 and %d", MaxTextLength)
		} else if p.Kind == KindNewCommitment && p.MaxLength > MaxCommitmentLength {
			add("max_length of a new commitment can be at most %d, so that the promise fits whole in every message that quotes it (a due reminder, the reveal, a list)", MaxCommitmentLength)
		}
	} else if p.MaxLength != 0 || p.Long {
		add("max_length and long only apply to text and new-commitment prompts")
	}
	if p.Acknowledge && p.Kind != KindText {
		add("acknowledge only applies to text prompts")
	}
	if p.Owned && p.Kind != KindText {
		add("owned only applies to text prompts")
	}
	if p.Acknowledge && p.Owned {
		add("a prompt is either acknowledge (\"I hear you\") or owned (\"Thank you for owning this\"), not both")
	}
	if p.Tracked && p.Kind != KindScale {
		add("tracked only applies to scale prompts")
	}
	switch {
	case p.Talk != "" && p.Talk != TalkUseAppreciation && p.Talk != TalkUseTopic:
		add("talk is %q; it is %q (quoted at the start of a guided talk) or %q (offered as what to talk about)", p.Talk, TalkUseAppreciation, TalkUseTopic)
	case p.Talk != "" && p.Kind != KindText:
		add("talk only applies to text prompts")
	case p.Talk == TalkUseAppreciation && (p.Acknowledge || p.Owned):
		add("an appreciation is not answered with \"I hear you\" or a thank-you; leave out acknowledge and owned, or talk")
	}
	return out
}

func (p Prompt) choiceProblems(add func(string, ...any)) {
	if len(p.Options) < 2 || len(p.Options) > MaxOptions {
		add("a choice needs between 2 and %d options; it has %d", MaxOptions, len(p.Options))
	}
	seen := map[string]bool{}
	for _, o := range p.Options {
		key := strings.ToLower(strings.TrimSpace(o))
		switch {
		case key == "":
			add("an option is empty")
		case len([]rune(o)) > MaxOptionLength:
			add("option %q is longer than %d characters", o, MaxOptionLength)
		case seen[key]:
			add("option %q appears twice", o)
		}
		seen[key] = true
	}
}

// Templates is the set of templates a Mend instance offers, by ID.
type Templates struct {
	byID  map[string]Template
	order []string
}

// NewTemplates builds the set from the built-in templates (unless withBuiltins is
// false) and the given custom ones; a custom template with a built-in's ID
// replaces it. Every template is normalized and validated.
func NewTemplates(withBuiltins bool, custom ...Template) (*Templates, error) {
	ts := &Templates{byID: map[string]Template{}}
	if withBuiltins {
		for _, t := range Builtins() {
			ts.put(t.Normalize())
		}
	}
	var problems TemplateError
	customIDs := map[string]bool{}
	for _, t := range custom {
		t = t.Normalize()
		if err := t.Validate(); err != nil {
			problems = append(problems, err.(TemplateError)...)
			continue
		}
		if customIDs[t.ID] {
			problems = append(problems, TemplateProblem{TemplateID: t.ID, Problem: "two templates have this id"})
			continue
		}
		customIDs[t.ID] = true
		ts.put(t)
	}
	if len(problems) > 0 {
		return nil, problems
	}
	if len(ts.order) == 0 {
		return nil, TemplateError{{Problem: "no templates: define one or keep the built-ins"}}
	}
	return ts, nil
}

func (ts *Templates) put(t Template) {
	if _, ok := ts.byID[t.ID]; !ok {
		ts.order = append(ts.order, t.ID)
	}
	ts.byID[t.ID] = t
}

// Get returns the template with the given ID.
func (ts *Templates) Get(id string) (Template, bool) {
	t, ok := ts.byID[id]
	return t, ok
}

// List returns every template, built-ins first, in a stable order.
func (ts *Templates) List() []Template {
	out := make([]Template, len(ts.order))
	for i, id := range ts.order {
		out[i] = ts.byID[id]
	}
	return out
}
