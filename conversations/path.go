package conversations

import (
	"fmt"
	"hash/fnv"
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
	// ProposedOff lists the packs ProposedBy would like off for both, until
	// the other partner accepts or keeps them; empty when none is proposed.
	ProposedOff []string
	ProposedBy  string
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

// ProposalKey names the proposal to turn packs off that is waiting (who
// proposed which packs), so that an answer to an older proposal is not taken
// for an answer to this one; empty when none is waiting.
func (p Path) ProposalKey() string {
	if len(p.ProposedOff) == 0 {
		return ""
	}
	h := fnv.New32a()
	h.Write([]byte(p.ProposedBy + "|" + strings.Join(p.ProposedOff, ",")))
	return fmt.Sprintf("%08x", h.Sum32())
}

// PackOn reports whether the couple has the pack on.
func (p Path) PackOn(id string) bool { return !slices.Contains(p.PacksOff, id) }

func (p Path) clone() Path {
	c := p
	c.PacksOff = slices.Clone(p.PacksOff)
	c.ProposedOff = slices.Clone(p.ProposedOff)
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
