package console

import (
	"fmt"
	"strings"
)

// showSafetyNote prints the safety note during the turn of the partner who
// asked for it by their answer. On a terminal the screen is cleared before
// the other partner's turn; the note is never stored, so it is in no reveal.
func (c *console) showSafetyNote() {
	n := c.safety.WithDefault()
	rule := strings.Repeat("─", c.width)
	fmt.Fprintf(c.out, "\n%s\n", rule)
	writeWrapped(c.out, "A note for you", "", c.width)
	writeWrapped(c.out, n.Text, "  ", c.width)
	writeWrapped(c.out, fmt.Sprintf("On Discord, `/couple leave` stops check-ins and `/forget` deletes everything Mend stores of you two; your partner sees that you left, or that it was deleted, never why. Here, you can stop at any time with Ctrl-C, and everything written is in the file %s.", c.dbPath), "  ", c.width)
	for _, r := range n.Resources {
		writeWrapped(c.out, "• "+r, "  ", c.width)
	}
	fmt.Fprintln(c.out, rule)
}
