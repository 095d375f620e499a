package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"mend/conversations"
)

// shorten cuts s to at most n characters: after the last whole sentence that
// fills at least half of them, or else at the last space, marked with an
// ellipsis. A question or hint cut mid-word ("hurt or wo…") reads as
// careless, and one that stops on a dangling "You…" little better. A single
// word longer than n is cut where it must be.
func shorten(s string, n int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	for i := n; i >= n/2; i-- {
		if unicode.IsSpace(r[i]) && endsSentence(r[:i]) {
			return string(r[:i])
		}
	}
	cut := n - 1 // room for the ellipsis
	for i := cut; i > 0; i-- {
		if unicode.IsSpace(r[i]) {
			return strings.TrimRightFunc(string(r[:i]), func(c rune) bool {
				return unicode.IsSpace(c) || unicode.IsPunct(c)
			}) + "…"
		}
	}
	return string(r[:cut]) + "…"
}

// inputLabel is a prompt's name on the box of a form: its own label, or its
// text shortened at a word.
func inputLabel(p conversations.Prompt) string {
	if p.Label != "" {
		return p.Label
	}
	return shorten(p.Text, maxInputLabel)
}

// endsSentence reports whether r ends with a full stop, a question or an
// exclamation mark, perhaps inside closing quotes or brackets.
func endsSentence(r []rune) bool {
	for len(r) > 0 && strings.ContainsRune(")\"'”’", r[len(r)-1]) {
		r = r[:len(r)-1]
	}
	return len(r) > 0 && strings.ContainsRune(".!?", r[len(r)-1]) && !strings.HasSuffix(string(r), "…")
}
