package conversations

import "strings"

// Couples work is not advised where one partner is afraid of the other. A
// partner who answers the lowest point of a tracked scale ("Distant or
// unsafe") is shown, alone, a short note about where else to turn. The note
// is never stored, revealed or logged: it is said, not recorded.

// DefaultSafetyNote is the note when the operator has not written their own.
// It names no phone number, because those differ by country; an operator
// adds theirs as resources.
const DefaultSafetyNote = "What you answer stays private until you have both sent your answers: only then do you both see both sets, and if you do not send yours, nothing of it is shown. If you ever feel unsafe with your partner, check-ins are not the right tool, and you deserve support from someone outside your relationship: a friend you trust, a doctor, or a support service near you."

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

// asksForSafetyNote reports whether an answer to p is the lowest point of a
// scale tracked over time: the answer that may mean a partner feels unsafe.
func (p Prompt) asksForSafetyNote(a Answer) bool {
	return p.Kind == KindScale && p.Tracked && !a.Skipped && a.Scale == ScaleMin
}
