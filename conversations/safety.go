package conversations

import "strings"

// Couples work is not advised where one partner is afraid of the other, and
// a partner must never have to tell the other that they feel unsafe to be
// helped. So no revealed answer leads to the safety note: a private safety
// check (SafetyAnswer) does, and /help shows the note to anyone. The note is
// never stored, revealed or logged: it is said, not recorded.

// DefaultSafetyNote is the note when the operator has not written their own.
// It names no phone number, because those differ by country; an operator
// adds theirs as resources.
const DefaultSafetyNote = "How you feel matters. Feeling far apart is common while trust is being rebuilt. If you are ever afraid of your partner, check-ins are not the right tool, and it is not your job to fix that here. You deserve support from someone outside your relationship: a friend you trust, a doctor, or a support service near you. Your partner sees your answers only once you have both sent them, and you choose what is sent: you can change or skip any answer, or not send at all."

// MaxSafetyNoteLength and the limits on resources keep the note short enough
// to read at a glance and to fit beside a question in one message.
const (
	MaxSafetyNoteLength     = 1000
	MaxSafetyResources      = 8
	MaxSafetyResourceLength = 200
)

// SafetyNote is the note and the operator's resources (local helplines,
// say), one line each.
type SafetyNote struct {
	Text      string
	Resources []string
}

// WithDefault returns the note with DefaultSafetyNote as its text when it
// has none, so that it can never be empty.
func (n SafetyNote) WithDefault() SafetyNote {
	if strings.TrimSpace(n.Text) == "" {
		n.Text = DefaultSafetyNote
	}
	return n
}
