package console

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"mend/conversations"
)

// printReveal shows both partners' answers in two columns, one prompt at a time.
func printReveal(w io.Writer, r conversations.Reveal, width int) {
	names := [2]string{r.Couple.Partners[0].Name, r.Couple.Partners[1].Name}
	rule := strings.Repeat("═", width)
	fmt.Fprintf(w, "\n%s\n", rule)
	writeWrapped(w, fmt.Sprintf("You have both finished the %q check-in of %s. Here are your answers, side by side.",
		r.CheckIn.Template.Name, r.CheckIn.OpenedAt.In(r.Couple.Location()).Format("Monday 2 January 2006")), "", width)
	fmt.Fprintf(w, "%s\n", rule)

	colWidth := (width - 2 - 3) / 2
	for _, row := range r.Rows {
		fmt.Fprintln(w)
		if h := weekHeading(row.Item.Prompt); h != "" {
			writeWrapped(w, h, "", width)
		}
		writeWrapped(w, row.Item.Prompt.Text, "", width)
		if s := row.Item.Subject; s != nil {
			writeWrapped(w, s.Describe(r.Couple, ""), "  ", width)
		}
		if own, ok := row.Owner(r.Couple); ok && own >= 0 {
			// A partner's words about their own boundary: theirs alone.
			writeWrapped(w, names[own]+": "+row.Answers[own].Summary(row.Item.Prompt), "  ", width)
			continue
		}
		var cols [2][]string
		for i, a := range row.Answers {
			text := "(no answer)"
			if a != nil {
				text = a.Summary(row.Item.Prompt)
			}
			cols[i] = append([]string{names[i]}, wrap(text, colWidth)...)
		}
		for i := 0; i < len(cols[0]) || i < len(cols[1]); i++ {
			fmt.Fprintf(w, "  %s │ %s\n", pad(at(cols[0], i), colWidth), at(cols[1], i))
		}
		if row.Divergent {
			writeWrapped(w, "⇄ You see this one differently. That is worth a gentle conversation, not a verdict.", "  ", width)
		}
	}
	var made []string
	for _, row := range r.Rows {
		if row.Item.Prompt.Kind != conversations.KindNewCommitment {
			continue
		}
		for i, a := range row.Answers {
			if a != nil && !a.Skipped {
				made = append(made, fmt.Sprintf("• %s: %s", names[i], a.Summary(row.Item.Prompt)))
			}
		}
	}
	fmt.Fprintln(w)
	if len(made) > 0 {
		fmt.Fprintln(w, "New commitments, which you will both look back on at your next check-in:")
		for _, m := range made {
			writeWrapped(w, m, "  ", width)
		}
	}
	writeWrapped(w, conversations.TalkGuide, "", width)
	writeWrapped(w, "Mend is a tool for the two of you, not a therapist. If things feel too heavy to carry alone, a couples counsellor can help.", "", width)
}

func at(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return ""
}

func pad(s string, width int) string {
	if n := utf8.RuneCountInString(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}

func writeWrapped(w io.Writer, text, indent string, width int) {
	for _, line := range wrap(text, width-utf8.RuneCountInString(indent)) {
		fmt.Fprintf(w, "%s%s\n", indent, line)
	}
}

// wrap breaks text into lines of at most width characters at spaces, cutting
// words longer than a line.
func wrap(text string, width int) []string {
	if width < 10 {
		width = 10
	}
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			for utf8.RuneCountInString(word) > width {
				if line != "" {
					lines, line = append(lines, line), ""
				}
				r := []rune(word)
				lines, word = append(lines, string(r[:width])), string(r[width:])
			}
			switch {
			case line == "":
				line = word
			case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) <= width:
				line += " " + word
			default:
				lines, line = append(lines, line), word
			}
		}
		lines = append(lines, line)
	}
	return lines
}
