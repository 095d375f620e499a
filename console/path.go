package console

import (
	"fmt"

	"mend/conversations"
)

// sayTheme tells both partners, at the start of a check-in, the theme of its
// question of the week, so the question does not come out of nowhere.
func (c *console) sayTheme(ci conversations.CheckIn) {
	for _, q := range ci.QuestionsOfTheWeek() {
		d := q.Drawn
		if place := d.Place(); place != "" {
			writeWrapped(c.out, fmt.Sprintf("This week's theme on your path: %s, %s.", d.Theme, place), "", c.width)
			continue
		}
		writeWrapped(c.out, fmt.Sprintf("This check-in's question of the week is on %s.", d.Theme), "", c.width)
	}
}

// weekHeading introduces a question of the week where it is asked.
func weekHeading(p conversations.Prompt) string {
	if p.Drawn == nil {
		return ""
	}
	return "This week's question, on " + p.Drawn.Theme + ":"
}
