package console

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"mend/conversations"
)

// privateFooter is the console's word for the footer of every private step:
// it has no /help, so the note is a question mark away.
const privateFooter = "Only you can see this. If you ever feel unsafe, type ? for a note."

// safetyCheck asks the private safety check during partner p's own turn, and
// reports whether they chose to take a break. What they answer decides only
// what is printed next, and is kept nowhere; on a terminal the screen is
// cleared before the other partner's turn.
func (c *console) safetyCheck(ctx context.Context, ci conversations.CheckIn, couple conversations.Couple, p conversations.Partner) (bool, error) {
	rule := strings.Repeat("─", c.width)
	fmt.Fprintf(c.out, "\n%s\n", rule)
	writeWrapped(c.out, conversations.SafetyQuestion(couple.Other(p.UserID).Name), "", c.width)
	for _, a := range conversations.SafetyAnswers() {
		fmt.Fprintf(c.out, "  %d  %s\n", a, a.Label())
	}
	writeWrapped(c.out, privateFooter, "", c.width)
	fmt.Fprintln(c.out, rule)
	var answer conversations.SafetyAnswer
	for !answer.Valid() {
		fmt.Fprint(c.out, "> ")
		line, ok := c.readLine(ctx)
		if !ok {
			fmt.Fprintln(c.out)
			return true, c.incomplete(ctx, ci, couple)
		}
		n, err := strconv.Atoi(strings.TrimSpace(line.text))
		if answer = conversations.SafetyAnswer(n); err != nil || !answer.Valid() {
			fmt.Fprintln(c.errOut, "Please type 1, 2, 3 or 4.")
		}
	}
	if answer == conversations.SafetyRatherNotSay {
		// The domain's line points to /help, which the console has not.
		writeWrapped(c.out, "That's okay. Type ? at any question whenever you want the note.", "", c.width)
	}
	if !answer.ShowsNote() {
		return false, nil
	}
	c.showSafetyNote(privateFooter)
	writeWrapped(c.out, "Press Enter to go on, or type b and Enter to take a break.", "", c.width)
	fmt.Fprint(c.out, "> ")
	line, ok := c.readLine(ctx)
	if ok && !strings.EqualFold(strings.TrimSpace(line.text), "b") {
		return false, nil
	}
	if !ok {
		fmt.Fprintln(c.out)
		return true, c.incomplete(ctx, ci, couple)
	}
	if _, err := c.app.Turns.Pause(ctx, consoleActor(p.UserID), ci.ID); err != nil {
		return true, err
	}
	// The console stops here: what this partner answered and read is not
	// left on a screen the other may sit down at.
	if c.interactive {
		fmt.Fprint(c.out, clearScreenAndScrollback)
	}
	err := c.incomplete(ctx, ci, couple)
	var e *IncompleteError
	if errors.As(err, &e) {
		e.reason = "Take the time you need: a few minutes, or until tomorrow."
	}
	return true, err
}

// showSafetyNote prints the safety note as a step of its own, during the
// turn of the partner who asked for it; it is never stored, so it is in no
// reveal. footer closes it: the private footer during a turn, nothing at a
// talk, whose screen both partners share.
func (c *console) showSafetyNote(footer string) {
	n := c.safety.WithDefault()
	rule := strings.Repeat("─", c.width)
	fmt.Fprintf(c.out, "\n%s\n", rule)
	writeWrapped(c.out, "A note for you", "", c.width)
	writeWrapped(c.out, n.Text, "  ", c.width)
	writeWrapped(c.out, fmt.Sprintf("On Discord, `/couple leave` stops check-ins and `/forget` deletes everything Mend stores of you two; your partner sees that you left, or that it was deleted, never why. Here, you can stop at any time with Ctrl-C, and everything written is in the file %s.", c.dbPath), "  ", c.width)
	for _, r := range n.Resources {
		writeWrapped(c.out, "• "+r, "  ", c.width)
	}
	if footer != "" {
		writeWrapped(c.out, footer, "", c.width)
	}
	fmt.Fprintln(c.out, rule)
}
