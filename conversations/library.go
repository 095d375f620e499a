package conversations

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// TrustStep is one of the six steps of rebuilding trust. Every pack serves
// one, and the guided path walks them in this order.
type TrustStep string

const (
	StepAcknowledge    TrustStep = "acknowledge"
	StepResponsibility TrustStep = "responsibility"
	StepTransparency   TrustStep = "transparency"
	StepShow           TrustStep = "show"
	StepBoundaries     TrustStep = "boundaries"
	StepPatience       TrustStep = "patience"
)

// TrustSteps lists the six steps in the order the path walks them.
var TrustSteps = []TrustStep{StepAcknowledge, StepResponsibility, StepTransparency, StepShow, StepBoundaries, StepPatience}

// Label names the step as partners read it.
func (s TrustStep) Label() string {
	switch s {
	case StepAcknowledge:
		return "acknowledge the hurt"
	case StepResponsibility:
		return "take responsibility"
	case StepTransparency:
		return "communicate openly"
	case StepShow:
		return "show, don't just say"
	case StepBoundaries:
		return "set boundaries"
	case StepPatience:
		return "be patient"
	}
	return string(s)
}

func (s TrustStep) order() int {
	for i, t := range TrustSteps {
		if t == s {
			return i
		}
	}
	return -1
}

func stepNames() string {
	names := make([]string, len(TrustSteps))
	for i, s := range TrustSteps {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// Limits of the library. A label names a question where its text does not
// fit: Discord shows at most 45 characters above a form's field. A pack's
// name is the week's theme in headlines ("week 5 of 13: boundaries —
// money"), and a plan's packs are offered in one menu of at most 25.
const (
	MaxHintLength   = 200
	MaxPackName     = 60
	MaxPackQuestion = 100
	MaxPlanPacks    = 25
)

// Question is one question of a pack. As a question of the week it is asked
// of both partners and revealed side by side like every other prompt.
type Question struct {
	ID        string
	Pack      string
	Step      TrustStep
	Kind      PromptKind // text, scale or choice
	Text      string
	Hint      string
	Label     string
	LowLabel  string
	HighLabel string
	Options   []string
	MaxLength int
	Long      bool
	// Acknowledge is how the other partner can answer this question after
	// the reveal: AckHeard ("I hear you"), AckThanked ("Thank you for
	// owning this") or "" for neither. Text questions only.
	Acknowledge AckKind
	// Echoes names the prompts of a template that ask the same thing as
	// this question (the built-in check-in's "responsibility" or
	// "appreciation"): a check-in that has one of them does not draw it.
	Echoes []string
}

// echoesAny reports whether q asks the same thing as one of the prompts of
// t that are not drawn.
func (q Question) echoesAny(t Template) bool {
	for _, pr := range t.Prompts {
		if pr.Kind != KindRotating && slices.Contains(q.Echoes, pr.ID) {
			return true
		}
	}
	return false
}

// Pack is a set of questions on one theme, asked in the order written.
type Pack struct {
	ID          string
	Name        string
	Step        TrustStep
	Description string
	Questions   []Question
}

// prompt is the question as a check-in asks it, under the id of the
// rotating prompt it stands for. A question of the week can always be
// skipped: it is an invitation, not a test.
func (q Question) prompt(id string, drawn Drawn) Prompt {
	p := Prompt{
		ID: id, Kind: q.Kind, Text: q.Text, Hint: q.Hint, Label: q.Label, Optional: true,
		LowLabel: q.LowLabel, HighLabel: q.HighLabel, Options: append([]string(nil), q.Options...),
		MaxLength: q.MaxLength, Long: q.Long, Drawn: &drawn,
		Acknowledge: q.Acknowledge == AckHeard, Owned: q.Acknowledge == AckThanked,
	}
	if p.Kind == KindText && p.MaxLength == 0 {
		p.MaxLength = DefaultTextLength
	}
	return p
}

// LibraryProblem is one thing wrong with a pack or the plan, located so that
// a config checker can point at the line.
type LibraryProblem struct {
	// File and Line locate a problem in a built-in pack file.
	File string
	Line int
	// PackIndex is the position of a pack among those passed to NewLibrary,
	// -1 for a built-in one or the plan; QuestionIndex the question's
	// position in its pack, -1 for the pack itself.
	PackIndex     int
	QuestionIndex int
	Pack          string
	Question      string
	// Plan is set for a problem with the plan.
	Plan    bool
	Problem string
}

func (p LibraryProblem) String() string {
	var where string
	switch {
	case p.Plan:
		where = "the plan"
	case p.Question != "":
		where = fmt.Sprintf("pack %q, question %q", p.Pack, p.Question)
	case p.Pack != "":
		where = fmt.Sprintf("pack %q", p.Pack)
	}
	if where != "" {
		where += ": "
	}
	switch {
	case p.File != "" && p.Line > 0:
		return fmt.Sprintf("%s:%d: %s%s", p.File, p.Line, where, p.Problem)
	case p.File != "":
		return fmt.Sprintf("%s: %s%s", p.File, where, p.Problem)
	}
	return where + p.Problem
}

// LibraryError lists every problem found in the library, so that an author
// fixes them in one pass.
type LibraryError []LibraryProblem

func (e LibraryError) Error() string {
	lines := make([]string, len(e))
	for i, p := range e {
		lines[i] = p.String()
	}
	return strings.Join(lines, "; ")
}

// Library is the set of packs questions of the week are drawn from, and the
// plan of weekly themes the guided path walks.
type Library struct {
	packs     map[string]Pack
	order     []string
	plan      []string
	questions map[string]Question
}

// builtinPlan is the guided path: a theme a week, walking the six steps in
// order (acknowledge, take responsibility, communicate, show, set
// boundaries, be patient), then round again. Acknowledging the hurt has two
// weeks in each round: it is where rebuilding starts, and it is not hurried.
var builtinPlan = []string{
	"acknowledging-the-hurt",
	"acknowledging-the-hurt",
	"taking-responsibility",
	"transparency",
	"repair",
	"show-dont-just-say",
	"appreciation",
	"boundaries-money",
	"boundaries-social",
	"boundaries-phones",
	"boundaries-time",
	"patience-and-progress",
	"closeness-and-fun",
	"looking-ahead",
}

func planIndex(packID string) int {
	for i, id := range builtinPlan {
		if id == packID {
			return i
		}
	}
	return len(builtinPlan)
}

// NewLibrary builds the library from the built-in packs (none, to leave them
// out) and the given ones; a pack with a built-in's id replaces it. plan
// lists pack ids week by week; nil means the built-in plan, or, without the
// built-ins, every pack in the order of the six steps. Every pack and the
// plan are validated. A problem of a built-in pack has PackIndex -1 and
// names the pack: whoever read its file locates it there.
func NewLibrary(builtins []Pack, custom []Pack, plan []string) (*Library, error) {
	withBuiltins := len(builtins) > 0
	l := &Library{packs: map[string]Pack{}, questions: map[string]Question{}}
	var problems LibraryError
	replaced := map[string]bool{}
	for _, p := range custom {
		replaced[p.ID] = true
	}
	// Listed in the order the path walks them.
	builtins = append([]Pack(nil), builtins...)
	sort.SliceStable(builtins, func(i, j int) bool { return planIndex(builtins[i].ID) < planIndex(builtins[j].ID) })
	for _, b := range builtins {
		if replaced[b.ID] {
			continue
		}
		problems = append(problems, packProblems(b, -1)...)
		l.put(b)
	}
	customIDs := map[string]bool{}
	for i, p := range custom {
		problems = append(problems, packProblems(p, i)...)
		if customIDs[p.ID] {
			problems = append(problems, LibraryProblem{PackIndex: i, QuestionIndex: -1, Pack: p.ID, Problem: "two packs have this id"})
			continue
		}
		customIDs[p.ID] = true
		l.put(p)
	}
	problems = append(problems, l.repeatedQuestions(custom)...)
	if plan == nil {
		plan = l.defaultPlan(withBuiltins)
	}
	l.plan = append([]string(nil), plan...)
	problems = append(problems, l.planProblems()...)
	if len(problems) > 0 {
		return nil, problems
	}
	return l, nil
}

func (l *Library) put(p Pack) {
	if _, ok := l.packs[p.ID]; !ok {
		l.order = append(l.order, p.ID)
	}
	l.packs[p.ID] = p
}

// defaultPlan is the built-in plan with the packs there are, or every pack
// in the order of the steps when the built-ins are left out.
func (l *Library) defaultPlan(withBuiltins bool) []string {
	var plan []string
	if withBuiltins {
		for _, id := range builtinPlan {
			if _, ok := l.packs[id]; ok {
				plan = append(plan, id)
			}
		}
		return plan
	}
	plan = append(plan, l.order...)
	sort.SliceStable(plan, func(i, j int) bool { return l.packs[plan[i]].Step.order() < l.packs[plan[j]].Step.order() })
	return plan
}

// repeatedQuestions reports a question id used twice in the library, at its
// second use: an id names one question, in the couple's record too.
func (l *Library) repeatedQuestions(custom []Pack) []LibraryProblem {
	var out []LibraryProblem
	customIndex := map[string]int{}
	for i, p := range custom {
		customIndex[p.ID] = i
	}
	for _, id := range l.order {
		p := l.packs[id]
		for qi, q := range p.Questions {
			if q.ID == "" {
				continue
			}
			if first, ok := l.questions[q.ID]; ok {
				pi, isCustom := customIndex[p.ID]
				if !isCustom {
					pi = -1
				}
				out = append(out, LibraryProblem{PackIndex: pi, QuestionIndex: qi, Pack: p.ID, Question: q.ID,
					Problem: fmt.Sprintf("the id is used by an earlier question (in pack %q); question ids are unique in the whole library", first.Pack)})
				continue
			}
			l.questions[q.ID] = q
		}
	}
	return out
}

func packProblems(p Pack, index int) []LibraryProblem {
	var out []LibraryProblem
	add := func(qi int, qid, format string, args ...any) {
		out = append(out, LibraryProblem{PackIndex: index, QuestionIndex: qi, Pack: p.ID, Question: qid, Problem: fmt.Sprintf(format, args...)})
	}
	if !idPattern.MatchString(p.ID) {
		add(-1, "", "the id must be 1 to 32 lowercase letters, digits, '-' or '_', starting with a letter or digit")
	}
	switch n := len([]rune(p.Name)); {
	case n == 0:
		add(-1, "", "the name is empty; it is the week's theme partners read, like \"boundaries — money\"")
	case n > MaxPackName:
		add(-1, "", "the name is %d characters long; at most %d", n, MaxPackName)
	}
	if p.Step.order() < 0 {
		add(-1, "", "unknown step %q; the steps are %s", p.Step, stepNames())
	}
	switch n := len(p.Questions); {
	case n == 0:
		add(-1, "", "it has no questions")
	case n > MaxPackQuestion:
		add(-1, "", "it has %d questions; at most %d", n, MaxPackQuestion)
	}
	seen := map[string]bool{}
	for i, q := range p.Questions {
		id := q.ID
		switch {
		case id == "":
			id = fmt.Sprintf("#%d", i+1)
			add(i, id, "the question has no id")
		case !idPattern.MatchString(id):
			add(i, id, "the id must be 1 to 32 lowercase letters, digits, '-' or '_', starting with a letter or digit")
		case seen[id]:
			add(i, id, "the id is used by an earlier question of this pack; ids must be unique")
		}
		seen[q.ID] = true
		for _, problem := range q.problems() {
			add(i, id, "%s", problem)
		}
	}
	return out
}

func (q Question) problems() []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	switch q.Kind {
	case KindText, KindScale, KindChoice:
	default:
		add("kind %q is not one a library question can have; use text, scale or choice", q.Kind)
		return out
	}
	switch n := len([]rune(q.Label)); {
	case n == 0:
		add("the label is empty; give a short name of at most %d characters, shown where the whole question does not fit", MaxPromptLabelLength)
	case n > MaxPromptLabelLength:
		add("the label is %d characters long; at most %d", n, MaxPromptLabelLength)
	}
	switch n := len([]rune(q.Hint)); {
	case n == 0:
		add("the hint is empty; every question has a gentle line of guidance under it")
	case n > MaxHintLength:
		add("the hint is %d characters long; at most %d", n, MaxHintLength)
	}
	if q.Step.order() < 0 {
		add("unknown step %q; the steps are %s", q.Step, stepNames())
	}
	switch q.Acknowledge {
	case "", AckHeard, AckThanked:
	default:
		add("acknowledge %q is not one Mend knows; use \"hear\" (\"I hear you\") or \"own\" (\"Thank you for owning this\")", q.Acknowledge)
	}
	return append(out, q.prompt("q", Drawn{}).problems()...)
}

// planProblems checks that the plan names packs there are, walks the six
// steps in order, and offers no more packs than one menu can list.
func (l *Library) planProblems() []LibraryProblem {
	var out []LibraryProblem
	add := func(format string, args ...any) {
		out = append(out, LibraryProblem{PackIndex: -1, QuestionIndex: -1, Plan: true, Problem: fmt.Sprintf(format, args...)})
	}
	switch {
	case len(l.plan) == 0 && len(l.packs) == 0:
		return nil // no library at all: check-ins go without a question of the week
	case len(l.plan) == 0:
		add("it has no weeks; name at least one pack")
		return out
	}
	distinct := map[string]bool{}
	last := -1
	for i, id := range l.plan {
		p, ok := l.packs[id]
		if !ok {
			add("week %d names pack %q, which the library does not have", i+1, id)
			continue
		}
		distinct[id] = true
		if o := p.Step.order(); o < last {
			add("week %d (%s) serves the step %q, which comes before the step of an earlier week; the plan walks the six steps in order: %s", i+1, id, p.Step, stepNames())
		} else {
			last = o
		}
	}
	if len(distinct) > MaxPlanPacks {
		add("it names %d different packs; at most %d fit in the menu partners turn packs on and off with", len(distinct), MaxPlanPacks)
	}
	return out
}

// Packs returns every pack, built-ins first, in a stable order.
func (l *Library) Packs() []Pack {
	out := make([]Pack, len(l.order))
	for i, id := range l.order {
		out[i] = l.packs[id]
	}
	return out
}

// Pack returns the pack with the given id.
func (l *Library) Pack(id string) (Pack, bool) {
	p, ok := l.packs[id]
	return p, ok
}

// Question returns the question with the given id.
func (l *Library) Question(id string) (Question, bool) {
	q, ok := l.questions[id]
	return q, ok
}

// Plan returns the packs of the plan, week by week.
func (l *Library) Plan() []Pack {
	out := make([]Pack, len(l.plan))
	for i, id := range l.plan {
		out[i] = l.packs[id]
	}
	return out
}

// PlanPacks returns each pack of the plan once, in the order the plan first
// names it: the packs a couple can turn on and off.
func (l *Library) PlanPacks() []Pack {
	var out []Pack
	seen := map[string]bool{}
	for _, id := range l.plan {
		if !seen[id] {
			seen[id] = true
			out = append(out, l.packs[id])
		}
	}
	return out
}

// QuestionCount counts the questions of every pack.
func (l *Library) QuestionCount() int {
	n := 0
	for _, p := range l.packs {
		n += len(p.Questions)
	}
	return n
}

// TemplateProblems reports rotating prompts of templates that name packs the
// library does not have, for a config checker to point at.
func (l *Library) TemplateProblems(ts *Templates) TemplateError {
	var out TemplateError
	for _, t := range ts.List() {
		for _, p := range t.Prompts {
			for _, id := range p.Packs {
				if _, ok := l.packs[id]; !ok {
					out = append(out, TemplateProblem{TemplateID: t.ID, PromptID: p.ID, Problem: fmt.Sprintf("pack %q is not in the library; `mend library` lists the packs", id)})
				}
			}
		}
	}
	return out
}

// weekAt is the first theme at or after slot whose pack is on and has
// questions, whether or not the question of the week is off.
func (l *Library) weekAt(p Path, slot int) (Week, bool) {
	n := len(l.plan)
	for s := slot; s < slot+n; s++ {
		pack := l.packs[l.plan[s%n]]
		if !p.PackOn(pack.ID) || len(pack.Questions) == 0 {
			continue
		}
		w := Week{Slot: s, Round: s/n + 1, Pack: pack}
		for i, id := range l.plan {
			if p.PackOn(id) && len(l.packs[id].Questions) > 0 {
				w.Weeks++
				if i <= s%n {
					w.Week = w.Weeks
				}
			}
		}
		return w, true
	}
	return Week{}, false
}

// NextWeek is the theme the couple's next check-in brings.
func (l *Library) NextWeek(p Path) (Week, bool) { return l.weekAt(p, p.Slot) }

// pick draws the next question of a pack for the couple: the first, in the
// pack's order, not asked yet in the pack's current round and not passed
// over (it echoes a prompt of the check-in). When every one has been asked,
// or only passed-over ones are left, a new round begins. Questions removed
// from the pack since are forgotten from the round. A pack whose every
// question is passed over gives none.
func (l *Library) pick(p *Path, packID string, passOver func(Question) bool) (Question, bool) {
	pack := l.packs[packID]
	inPack := map[string]bool{}
	for _, q := range pack.Questions {
		inPack[q.ID] = true
	}
	asked := map[string]bool{}
	var round []string
	for _, id := range p.Asked[packID] {
		if inPack[id] && !asked[id] {
			asked[id] = true
			round = append(round, id)
		}
	}
	for range 2 {
		for _, q := range pack.Questions {
			if !asked[q.ID] && !passOver(q) {
				p.Asked[packID] = append(round, q.ID)
				return q, true
			}
		}
		round, asked = nil, map[string]bool{}
	}
	return Question{}, false
}

// draw turns the rotating prompts of t into questions of the library for a
// couple on path p: it returns the template as the check-in holds it, and
// the path once the check-in opens, or nil when nothing was drawn. A
// rotating prompt with nothing to draw (the question of the week is off,
// or every pack it could use is) is left out of the check-in.
func (l *Library) draw(t Template, p Path) (Template, *Path) {
	next := p.clone()
	drew := false
	out := t
	out.Prompts = make([]Prompt, 0, len(t.Prompts))
	for _, pr := range t.Prompts {
		if pr.Kind != KindRotating {
			out.Prompts = append(out.Prompts, pr)
			continue
		}
		if q, d, ok := l.drawOne(&next, t, pr); ok {
			out.Prompts = append(out.Prompts, q.prompt(pr.ID, d))
			drew = true
		}
	}
	if !drew {
		return out, nil
	}
	return out, &next
}

// drawOne draws the question for one rotating prompt of t. No check-in asks
// the same thing twice: a question that echoes another prompt of t is
// passed over, and stays for a check-in without that prompt.
func (l *Library) drawOne(p *Path, t Template, pr Prompt) (Question, Drawn, bool) {
	if p.Off || l == nil {
		return Question{}, Drawn{}, false
	}
	passOver := func(q Question) bool { return q.echoesAny(t) }
	if len(pr.Packs) == 0 {
		w, ok := l.NextWeek(*p)
		if !ok {
			return Question{}, Drawn{}, false
		}
		p.Slot = w.Slot + 1
		q, ok := l.pick(p, w.Pack.ID, passOver)
		if !ok {
			return Question{}, Drawn{}, false
		}
		return q, Drawn{Pack: w.Pack.ID, Theme: w.Pack.Name, Question: q.ID, Step: q.Step, Week: w.Week, Weeks: w.Weeks, Round: w.Round}, true
	}
	var on []Pack
	for _, id := range pr.Packs {
		if pack, ok := l.packs[id]; ok && p.PackOn(id) && len(pack.Questions) > 0 {
			on = append(on, pack)
		}
	}
	if len(on) == 0 {
		return Question{}, Drawn{}, false
	}
	key := t.ID + "/" + pr.ID
	pack := on[p.Rotations[key]%len(on)]
	p.Rotations[key]++
	q, ok := l.pick(p, pack.ID, passOver)
	if !ok {
		return Question{}, Drawn{}, false
	}
	return q, Drawn{Pack: pack.ID, Theme: pack.Name, Question: q.ID, Step: q.Step}, true
}

// Preview is the first weeks of the guided path for a new couple, as
// `mend library --plan` prints them.
func (l *Library) Preview(weeks int) []Drawn {
	p := Path{}.clone()
	t := Template{ID: "preview", Prompts: []Prompt{{ID: "week", Kind: KindRotating}}}
	var out []Drawn
	for range weeks {
		drawn, next := l.draw(t, p)
		if next == nil {
			break
		}
		out = append(out, *drawn.Prompts[0].Drawn)
		p = *next
	}
	return out
}
