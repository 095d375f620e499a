package console

import (
	"context"
	"fmt"
	"strings"

	"mend/conversations"
)

// boundary states a personal boundary. Both partners are at the keyboard,
// so the console asks whose it is; nobody is asked to agree to it.
func (c *console) boundary(ctx context.Context, couple conversations.Couple, text string) error {
	if strings.TrimSpace(text) == "" {
		return conversations.Errorf(conversations.EINVALID, "This one needs a few words; the boundary is empty.")
	}
	a, b := couple.Partners[0], couple.Partners[1]
	writeWrapped(c.out, fmt.Sprintf("\nA boundary: “%s”", strings.TrimSpace(text)), "", c.width)
	writeWrapped(c.out, fmt.Sprintf("Whose boundary is this? Type 1 for %s or 2 for %s; anything else adds nothing.", a.Name, b.Name), "", c.width)
	fmt.Fprint(c.out, "> ")
	line, ok := c.readLine(ctx)
	if !ok {
		fmt.Fprintln(c.out)
	}
	var owner conversations.Partner
	switch {
	case ok && !line.tooLong && strings.TrimSpace(line.text) == "1":
		owner = a
	case ok && !line.tooLong && strings.TrimSpace(line.text) == "2":
		owner = b
	default:
		writeWrapped(c.out, "Nothing was added.", "", c.width)
		return nil
	}
	bd, err := c.app.Boundaries.Set(ctx, consoleActor(owner.UserID), 0, text)
	if err != nil {
		return err
	}
	writeWrapped(c.out, fmt.Sprintf("%s's boundary, for %s to know: “%s”. It needs nobody's agreement, and only %s can change or end it.",
		owner.Name, couple.Other(owner.UserID).Name, bd.Text, owner.Name), "", c.width)
	return nil
}

// showBoundaries lists the boundaries that stand before a check-in, as
// information: nobody reviews another's boundary (its owner may look at it
// in their own turn).
func (c *console) showBoundaries(ctx context.Context, couple conversations.Couple) error {
	all, err := c.app.Boundaries.List(ctx, consoleActor(couple.Partners[0].UserID))
	if err != nil {
		return err
	}
	var lines []string
	for _, b := range all {
		if b.Status == conversations.BoundaryActive {
			lines = append(lines, fmt.Sprintf("%s: “%s”", couple.NameOf(b.OwnerID), b.Text))
		}
	}
	if len(lines) == 0 {
		return nil
	}
	writeWrapped(c.out, "\nYour boundaries, each one's own:", "", c.width)
	for _, l := range lines {
		writeWrapped(c.out, l, "  ", c.width)
	}
	return nil
}
