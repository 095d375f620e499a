package conversations

import "fmt"

// DefaultSafetyCheckEvery is how often the private safety check comes back:
// in a couple's first check-in and then in every fourth.
const DefaultSafetyCheckEvery = 4

// PrivateFooter closes every step only its partner sees, so that the way to
// the safety note is always in sight without anyone having to ask for it.
const PrivateFooter = "Only you can see this. If you ever feel unsafe, /help has a note for you."

// SafetyAnswer is a partner's answer to the private safety check. It exists
// only while the adapter decides what to show next: no store, reveal, count,
// export or log ever holds it, and nothing the other partner sees depends
// on it.
type SafetyAnswer int

const (
	SafetyYes SafetyAnswer = iota + 1
	SafetyMostly
	SafetyNotAlways
	SafetyRatherNotSay
)

// SafetyAnswers are the answers in the order they are offered.
func SafetyAnswers() []SafetyAnswer {
	return []SafetyAnswer{SafetyYes, SafetyMostly, SafetyNotAlways, SafetyRatherNotSay}
}

// Label is the answer as offered.
func (a SafetyAnswer) Label() string {
	switch a {
	case SafetyYes:
		return "Yes"
	case SafetyMostly:
		return "Mostly"
	case SafetyNotAlways:
		return "Not always"
	case SafetyRatherNotSay:
		return "I'd rather not say"
	}
	return ""
}

// Valid reports whether a is one of the offered answers.
func (a SafetyAnswer) Valid() bool {
	return a >= SafetyYes && a <= SafetyRatherNotSay
}

// ShowsNote reports whether the safety note comes next, as a step of its own.
func (a SafetyAnswer) ShowsNote() bool {
	return a == SafetyNotAlways
}

// Line is what is said before the check-in goes on; empty for none.
func (a SafetyAnswer) Line() string {
	if a == SafetyRatherNotSay {
		return "That's okay. /help has a note whenever you want it."
	}
	return ""
}

// SafetyQuestion is the private safety check, naming the partner it is about.
func SafetyQuestion(partner string) string {
	return fmt.Sprintf("Just for you, never shown to %s: right now, do you feel safe with %s?", partner, partner)
}
