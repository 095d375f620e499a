package conversations

import "fmt"

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
