package conversations

import (
	"slices"
	"strings"
)

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
