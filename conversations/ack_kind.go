package conversations

// After the reveal, the partners can answer each other in small ways that
// mend: "I hear you" to words about a hurt or worry, "Thank you for owning
// this" to a responsibility taken, and "We talked about it" on a promise or
// agreement they saw differently. Each is recorded once and asks nothing
// more: a thank-you is not forgiveness, and a talk is not a verdict.

import "fmt"

// AckKind is what an acknowledgement of a partner's answer says.
type AckKind string

const (
	// AckHeard is "I hear you", to words about a hurt or worry.
	AckHeard AckKind = "heard"
	// AckThanked is "Thank you for owning this", to a responsibility taken.
	AckThanked AckKind = "thanked"
)

// AckKind is how the other partner can acknowledge an answer to the prompt
// after the reveal, or "" when they cannot.
func (p Prompt) AckKind() AckKind {
	switch {
	case p.Acknowledge:
		return AckHeard
	case p.Owned:
		return AckThanked
	}
	return ""
}

// onlyTheOther explains to the author of an answer that the acknowledgement
// is their partner's to give.
func (k AckKind) onlyTheOther(other string) string {
	if k == AckThanked {
		return fmt.Sprintf("Only %s can thank you for owning this.", other)
	}
	return fmt.Sprintf("Only %s can answer your words with \"I hear you\".", other)
}
