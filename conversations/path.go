package conversations

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Path is a couple's place on the guided path and what they have been asked.
// It moves on when a check-in that draws a question of the week opens, in
// the same transaction, never by the calendar.
type Path struct {
	CoupleID int64
	// Version counts the stored changes, 0 before the first; a change is
	// stored only over the version it was made from, so a partner's change
	// and a check-in opening at the same moment cannot undo each other.
	Version int64
	// Slot counts the plan's weeks passed, skipped ones included: the next
	// theme is the first pack that is on at or after Slot, round the plan.
	Slot int
	// Off: the couple turned the question of the week off.
	Off bool
	// PacksOff lists the packs the couple turned off.
	PacksOff []string
	// Asked lists by pack the questions asked in the pack's current round:
	// none comes again until every question of the pack has been asked.
	Asked map[string][]string
	// Rotations counts by "template/prompt" the questions drawn by a
	// rotating prompt with packs of its own, to take its packs in turn.
	Rotations map[string]int
	// ChangedBy and ChangedAt record the partner's last choice (a skip, a
	// pack, on or off); a check-in opening does not change them.
	ChangedBy string
	ChangedAt time.Time
}

// PackOn reports whether the couple has the pack on.
func (p Path) PackOn(id string) bool { return !slices.Contains(p.PacksOff, id) }

func (p Path) clone() Path {
	c := p
	c.PacksOff = slices.Clone(p.PacksOff)
	c.Asked = make(map[string][]string, len(p.Asked))
	for k, v := range p.Asked {
		c.Asked[k] = slices.Clone(v)
	}
	c.Rotations = make(map[string]int, len(p.Rotations))
	for k, v := range p.Rotations {
		c.Rotations[k] = v
	}
	return c
}

// Drawn records where a question of the week came from, as it was when the
// check-in opened: the check-in keeps it when the library changes.
type Drawn struct {
	Pack     string    `json:"pack"`
	Theme    string    `json:"theme"`
	Question string    `json:"question"`
	Step     TrustStep `json:"step"`
	// Week and Weeks place a question of the guided path ("week 5 of 13"),
	// and Round counts the times round the plan from 1; all are 0 for a
	// rotating prompt with packs of its own.
	Week  int `json:"week,omitempty"`
	Weeks int `json:"weeks,omitempty"`
	Round int `json:"round,omitempty"`
}

// Place is where the question stands on the path, "week 5 of 13", or "" off
// the path.
func (d Drawn) Place() string {
	if d.Week == 0 {
		return ""
	}
	s := fmt.Sprintf("week %d of %d", d.Week, d.Weeks)
	if d.Round > 1 {
		s += fmt.Sprintf(", round %d", d.Round)
	}
	return s
}

// Week is a theme of the guided path as a couple meets it.
type Week struct {
	// Slot is the plan's week counted from the couple's start, skipped ones
	// included.
	Slot int
	// Week and Weeks: "week 5 of 13", counting only the packs that are on.
	Week, Weeks int
	// Round counts the times round the plan, from 1.
	Round int
	Pack  Pack
}

// Place is "week 5 of 13", with the round after the first.
func (w Week) Place() string {
	return Drawn{Week: w.Week, Weeks: w.Weeks, Round: w.Round}.Place()
}

// PathStore keeps couples' places on the guided path. A check-in that
// moves the path carries it in CheckIn.PathAfter, stored with the check-in.
type PathStore interface {
	// Path returns the couple's path; a couple without one yet is at the
	// start (Version 0).
	GuidedPath(ctx context.Context, coupleID int64) (Path, error)
	// SavePath stores p if the stored version is still p.Version and sets
	// p.Version to the new one; ECONFLICT when it has moved meanwhile.
	SavePath(ctx context.Context, p *Path) error
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
// pack's order, not asked yet in the pack's current round. When every one
// has been, a new round begins. Questions removed from the pack since are
// forgotten from the round.
func (l *Library) pick(p *Path, packID string) Question {
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
	if len(round) >= len(pack.Questions) {
		round, asked = nil, map[string]bool{}
	}
	for _, q := range pack.Questions {
		if !asked[q.ID] {
			p.Asked[packID] = append(round, q.ID)
			return q
		}
	}
	return Question{} // a pack without questions is never picked
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
		if q, d, ok := l.drawOne(&next, t.ID, pr); ok {
			out.Prompts = append(out.Prompts, q.prompt(pr.ID, d))
			drew = true
		}
	}
	if !drew {
		return out, nil
	}
	return out, &next
}

func (l *Library) drawOne(p *Path, templateID string, pr Prompt) (Question, Drawn, bool) {
	if p.Off || l == nil {
		return Question{}, Drawn{}, false
	}
	if len(pr.Packs) == 0 {
		w, ok := l.NextWeek(*p)
		if !ok {
			return Question{}, Drawn{}, false
		}
		p.Slot = w.Slot + 1
		q := l.pick(p, w.Pack.ID)
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
	key := templateID + "/" + pr.ID
	pack := on[p.Rotations[key]%len(on)]
	p.Rotations[key]++
	q := l.pick(p, pack.ID)
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

// rotatingProblems checks a rotating prompt: it takes everything but its id
// and its packs from the library.
func (p Prompt) rotatingProblems() []string {
	var out []string
	if p.Text != "" || p.Hint != "" || p.Optional || p.LowLabel != "" || p.HighLabel != "" || len(p.Options) > 0 ||
		p.MaxLength != 0 || p.Long || p.Acknowledge || p.Tracked || p.Label != "" {
		out = append(out, "a rotating prompt takes its question, hint and kind from the library (and can always be skipped); give it only id, kind and, if it draws from packs of its own, packs")
	}
	seen := map[string]bool{}
	for _, id := range p.Packs {
		switch {
		case !idPattern.MatchString(id):
			out = append(out, fmt.Sprintf("%q is not a pack id; `mend library` lists the packs", id))
		case seen[id]:
			out = append(out, fmt.Sprintf("pack %q is listed twice", id))
		}
		seen[id] = true
	}
	return out
}

// rotatingTemplateProblems allows one prompt to follow the guided path per
// template: the path moves on once per check-in.
func rotatingTemplateProblems(t Template) []string {
	n := 0
	for _, p := range t.Prompts {
		if p.Kind == KindRotating && len(p.Packs) == 0 {
			n++
		}
	}
	if n > 1 {
		return []string{fmt.Sprintf("%d rotating prompts follow the guided path; at most one can, because the path moves on once per check-in (give the others packs of their own)", n)}
	}
	return nil
}

// QuestionsOfTheWeek returns the questions a check-in drew from the library.
func (c CheckIn) QuestionsOfTheWeek() []Prompt {
	var out []Prompt
	for _, p := range c.Template.Prompts {
		if p.Drawn != nil {
			out = append(out, p)
		}
	}
	return out
}

// PathWeek returns the check-in's question of the guided path, if it has one.
func (c CheckIn) PathWeek() (Prompt, bool) {
	for _, p := range c.QuestionsOfTheWeek() {
		if p.Drawn.Week > 0 {
			return p, true
		}
	}
	return Prompt{}, false
}

// PackState is a pack of the plan and whether the couple has it on.
type PackState struct {
	Pack Pack
	On   bool
}

// PathView is where a couple stands on the guided path.
type PathView struct {
	Couple Couple
	Path   Path
	// Current is the question of the guided path in the couple's open
	// check-in, if there is one.
	Current *Prompt
	// Next is the theme the next check-in brings, and After the one after
	// it; HasNext is false when no pack of the plan is on.
	Next, After Week
	HasNext     bool
	// Packs are the plan's packs, each once, and whether each is on.
	Packs []PackState
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// ThemeDone is a theme of the guided path the couple finished together.
type ThemeDone struct {
	Theme string
	Times int
}

// themesDone lists the path's themes of revealed check-ins, in the order
// first finished.
func themesDone(checkIns []CheckIn) []ThemeDone {
	sorted := slices.Clone(checkIns)
	slices.SortFunc(sorted, func(a, b CheckIn) int { return a.OpenedAt.Compare(b.OpenedAt) })
	var out []ThemeDone
	index := map[string]int{}
	for _, ci := range sorted {
		q, ok := ci.PathWeek()
		if ci.Status != CheckInRevealed || !ok {
			continue
		}
		key := strings.ToLower(q.Drawn.Theme)
		if i, ok := index[key]; ok {
			out[i].Times++
			continue
		}
		index[key] = len(out)
		out = append(out, ThemeDone{Theme: q.Drawn.Theme, Times: 1})
	}
	return out
}
