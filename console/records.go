package console

import (
	"context"
	"fmt"
	"strings"

	"mend/conversations"
)

// agreement asks the second partner, at the same keyboard, whether they agree
// to what the first proposes. Only a yes adds it; anything else adds nothing,
// so no row is kept of a proposal that was not taken up.
func (c *console) agreement(ctx context.Context, couple conversations.Couple, proposer conversations.Partner, text string) error {
	text, err := conversations.CleanAgreementText(text)
	if err != nil {
		return err
	}
	other := couple.Other(proposer.UserID)
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
	a, err := c.app.Agreements.Propose(ctx, consoleActor(proposer.UserID), text)
	if err != nil {
		return err
	}
	if a, err = c.app.Agreements.AgreeTo(ctx, consoleActor(other.UserID), a.ID, conversations.AgreementProposed); err != nil {
		return err
	}
	writeWrapped(c.out, fmt.Sprintf("Agreed by both of you, and reviewed at each check-in: “%s”", a.Text), "", c.width)
	return nil
}

// proposerOf finds the partner named to propose agreements (--proposed-by),
// the first partner when none is named.
func proposerOf(couple conversations.Couple, name string) (conversations.Partner, error) {
	if strings.TrimSpace(name) == "" {
		return couple.Partners[0], nil
	}
	for _, p := range couple.Partners {
		if strings.EqualFold(strings.TrimSpace(name), p.Name) {
			return p, nil
		}
	}
	return conversations.Partner{}, conversations.Errorf(conversations.EINVALID,
		"Nothing was changed: --proposed-by %q names neither partner; the partners are %s and %s.", name, couple.Partners[0].Name, couple.Partners[1].Name)
}

func isYes(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "y", "yes":
		return true
	}
	return false
}

// showCommitments lists the open commitments with their numbers before a
// check-in, so that one that is done can be closed (--done, --drop) instead
// of being reviewed again and again, and says which are not asked about yet.
func (c *console) showCommitments(ctx context.Context, ci conversations.CheckIn, couple conversations.Couple) error {
	viewer := couple.Partners[0].UserID
	all, err := c.app.Commitments.List(ctx, consoleActor(viewer))
	if err != nil {
		return err
	}
	upcoming, err := c.app.Turns.ComingUp(ctx, consoleActor(viewer), ci.ID)
	if err != nil {
		return err
	}
	later := map[int64]bool{}
	for _, cm := range upcoming {
		later[cm.ID] = true
	}
	lines := commitmentLines(all, couple, later)
	if len(lines) == 0 {
		return nil
	}
	writeWrapped(c.out, "\nOpen commitments (one that is done can be marked with --done N, or dropped with --drop N, before the next check-in):", "", c.width)
	for _, l := range lines {
		writeWrapped(c.out, l, "  ", c.width)
	}
	return nil
}

// commitmentLines are the open commitments, one line each with its number;
// those in later are said to be coming up.
func commitmentLines(all []conversations.Commitment, couple conversations.Couple, later map[int64]bool) []string {
	var lines []string
	for _, cm := range all {
		if cm.Status != conversations.CommitmentOpen {
			continue
		}
		line := fmt.Sprintf("#%d %s: “%s”", cm.ID, couple.NameOf(cm.OwnerID), cm.Text)
		if cm.DueOn != "" {
			line += " (due " + cm.DueOn + ")"
		}
		if later[cm.ID] {
			line += ", coming up: not asked about before its due date"
		}
		lines = append(lines, line)
	}
	return lines
}

// closeCommitments marks commitments done or drops them, and starts no
// check-in. Every number is checked first, so a mistake changes nothing.
// Both partners are at the keyboard, so each commitment is closed as its maker.
func (c *console) closeCommitments(ctx context.Context, couple conversations.Couple, done, drop []int64) error {
	all, err := c.app.Commitments.List(ctx, consoleActor(couple.Partners[0].UserID))
	if err != nil {
		return err
	}
	open := map[int64]conversations.Commitment{}
	var openIDs []string
	for _, cm := range all {
		if cm.Status == conversations.CommitmentOpen {
			open[cm.ID] = cm
			openIDs = append(openIDs, fmt.Sprintf("#%d", cm.ID))
		}
	}
	var changes []commitmentChange
	seen := map[int64]bool{}
	var problems []string
	for _, ch := range append(changesOf(done, conversations.CommitmentDone), changesOf(drop, conversations.CommitmentDropped)...) {
		switch {
		case seen[ch.id]:
			problems = append(problems, fmt.Sprintf("#%d is named twice", ch.id))
		case open[ch.id].ID == 0:
			problems = append(problems, fmt.Sprintf("#%d is not an open commitment", ch.id))
		default:
			changes = append(changes, ch)
		}
		seen[ch.id] = true
	}
	if len(problems) > 0 {
		list := "there are none"
		if len(openIDs) > 0 {
			list = "they are " + strings.Join(openIDs, ", ")
		}
		return conversations.Errorf(conversations.EINVALID, "Nothing was changed: %s. The open commitments are listed when a check-in starts; %s.", strings.Join(problems, "; "), list)
	}
	for _, ch := range changes {
		cm := open[ch.id]
		if _, err := c.app.Commitments.Close(ctx, consoleActor(cm.OwnerID), ch.id, ch.status); err != nil {
			return err
		}
		verb := "Marked done"
		if ch.status == conversations.CommitmentDropped {
			verb = "Dropped"
		}
		writeWrapped(c.out, fmt.Sprintf("%s: %s's “%s”. It is no longer asked about at check-ins.", verb, couple.NameOf(cm.OwnerID), cm.Text), "", c.width)
	}
	writeWrapped(c.out, "No check-in was started; run the console again without --done or --drop for one.", "", c.width)
	return nil
}

type commitmentChange struct {
	id     int64
	status conversations.CommitmentStatus
}

func changesOf(ids []int64, status conversations.CommitmentStatus) []commitmentChange {
	var out []commitmentChange
	for _, id := range ids {
		out = append(out, commitmentChange{id, status})
	}
	return out
}
