package main

import (
	"context"
	"fmt"
	"strings"

	"mend/conversations"
)

// agreement asks the second partner, at the same keyboard, whether they agree
// to what the first proposes. Only a yes adds it; anything else adds nothing,
// so no row is kept of a proposal that was not taken up.
func (c *console) agreement(ctx context.Context, couple conversations.Couple, text string) error {
	text, err := conversations.CleanAgreementText(text)
	if err != nil {
		return err
	}
	proposer, other := couple.Partners[0], couple.Partners[1]
	writeWrapped(c.out, fmt.Sprintf("\n%s proposes an agreement: “%s”", proposer.Name, text), "", c.width)
	writeWrapped(c.out, fmt.Sprintf("An agreement is for both of you, so it counts only when %s agrees too.", other.Name), "", c.width)
	writeWrapped(c.out, fmt.Sprintf("%s, do you agree? Type y for yes; anything else means not now.", other.Name), "", c.width)
	fmt.Fprint(c.out, "> ")
	line, ok := c.readLine(ctx)
	if !ok {
		fmt.Fprintln(c.out)
	}
	if !ok || line.tooLong || !isYes(line.text) {
		writeWrapped(c.out, "Not agreed, so nothing was added. That is all right: talk it over, and propose it again when you both want it.", "", c.width)
		return nil
	}
	a, err := c.svc.ProposeAgreement(ctx, couple.ID, proposer.UserID, text)
	if err != nil {
		return err
	}
	if a, err = c.svc.AgreeTo(ctx, couple.ID, other.UserID, a.ID, conversations.AgreementProposed); err != nil {
		return err
	}
	writeWrapped(c.out, fmt.Sprintf("Agreed by both of you, and reviewed at each check-in: “%s”", a.Text), "", c.width)
	return nil
}

func isYes(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "y", "yes":
		return true
	}
	return false
}
