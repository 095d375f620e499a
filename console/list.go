package console

import (
	"context"
	"fmt"

	"mend/conversations"
)

// NothingYet says that a database holds no console couple, so --list has
// nothing to show.
func NothingYet(dbPath string) string {
	return fmt.Sprintf("No check-in has been run with %s yet, so there is nothing to list.", dbPath)
}

// list shows the couple's open commitments and agreements with their
// numbers, and changes nothing: no check-in is opened, so the guided path
// stays where it is.
func (c *console) list(ctx context.Context) error {
	couple, err := c.app.Couples.Of(ctx, consoleActor(consoleUser1))
	if conversations.ErrorCode(err) == conversations.ENOTFOUND {
		writeWrapped(c.out, NothingYet(c.dbPath), "", c.width)
		return nil
	}
	if err != nil {
		return err
	}
	commitments, err := c.app.Commitments.List(ctx, consoleActor(consoleUser1))
	if err != nil {
		return err
	}
	agreements, err := c.app.Agreements.List(ctx, consoleActor(consoleUser1))
	if err != nil {
		return err
	}
	fmt.Fprintln(c.out, "Open commitments:")
	lines := commitmentLines(commitments, couple, nil)
	if len(lines) == 0 {
		lines = []string{"none"}
	}
	for _, l := range lines {
		writeWrapped(c.out, l, "  ", c.width)
	}
	fmt.Fprintln(c.out, "Agreements:")
	lines = nil
	for _, a := range agreements {
		switch a.Status {
		case conversations.AgreementActive:
			lines = append(lines, fmt.Sprintf("#%d “%s”", a.ID, a.Text))
		case conversations.AgreementRetiring:
			lines = append(lines, fmt.Sprintf("#%d “%s” (%s proposed retiring it)", a.ID, a.Text, couple.NameOf(a.RetireBy)))
		case conversations.AgreementProposed:
			lines = append(lines, fmt.Sprintf("#%d “%s” (proposed by %s, not agreed yet)", a.ID, a.Text, couple.NameOf(a.CreatedBy)))
		}
	}
	if len(lines) == 0 {
		lines = []string{"none"}
	}
	for _, l := range lines {
		writeWrapped(c.out, l, "  ", c.width)
	}
	writeWrapped(c.out, "A commitment that is done can be marked with --done N, or dropped with --drop N. No check-in was started.", "", c.width)
	return nil
}
