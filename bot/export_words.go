package bot

import (
	"fmt"
	"strings"

	"mend/conversations"
)

// exportReply says what the attached export holds, in words rather than table
// names and row counts: what the two of them did, each named; the rest
// (partners, schedule runs, reminders, queued messages) is what Mend keeps to
// run things, said in one phrase.
func exportReply(data conversations.Export) message {
	c := data.Counts()
	var parts []string
	for _, w := range []struct {
		n         int
		one, many string
	}{
		{c.CheckIns, "check-in", "check-ins"},
		{c.Answers, "answer", "answers"},
		{c.Commitments, "commitment", "commitments"},
		{c.Agreements, "agreement", "agreements"},
		{c.Acknowledgements, "acknowledgement", "acknowledgements"},
		{c.TalksHeld, "guided talk", "guided talks"},
	} {
		switch n := w.n; n {
		case 0:
		case 1:
			parts = append(parts, "1 "+w.one)
		default:
			parts = append(parts, fmt.Sprintf("%d %s", n, w.many))
		}
	}
	holds := "It holds your couple and what Mend keeps to run it."
	if len(parts) > 0 {
		holds = "It holds " + joinWords(parts) + ", with what Mend keeps to run them (your couple, the schedule, reminders, the messages it posted)."
	}
	return message{Ephemeral: true, Content: "Here is everything Mend stores of you two, except your partner's answers that were never shown to you. " +
		holds + " It is a plain text file: any text editor can open it, and other programs can read it. It is for you alone: keep it somewhere only you can reach. (For the technically minded: JSON, format `" + data.Schema + "`, described in Mend's README.)"}
}

// joinWords joins "a", "b" and "c" as "a, b and c".
func joinWords(parts []string) string {
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}
