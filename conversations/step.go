package conversations

import "fmt"

// Step is what a partner sees next: the item to answer and how far along they are.
type Step struct {
	CheckIn CheckIn
	Couple  Couple
	UserID  string
	// Item is the step to answer; meaningless when Done.
	Item Item
	// Index counts from 0; "Index+1 of Total" is shown.
	Index int
	Total int
	// Done: every step is answered. The partner then rereads their answers
	// and may change any of them until they send them; Sent is set from
	// then on, and the answers can no longer be changed.
	Done bool
	Sent bool
	// Revising is set on a step the partner chose to answer again while
	// rereading; Previous is their answer to it so far.
	Revising bool
	Previous *Answer
	// Items and Answers are all the partner's steps and their own answers,
	// for rereading them.
	Items   []Item
	Answers []Answer
	// JustRevealed is set on the one call whose answer completed the check-in
	// for both partners, so exactly one caller announces the reveal.
	JustRevealed bool
	// StatusChanged is set when this call changed the partner's status
	// (started, back from a break, sent), which the other partner sees.
	StatusChanged bool
	// CommitmentLimit is set on a new-commitment step when the partner
	// already holds this many open commitments, as many as Mend keeps: the
	// step is shown with FullNote and may be skipped even when required.
	CommitmentLimit int
	// SafetyCheck is set when Begin started the partner's turn in a check-in
	// that asks the private safety check: the adapter asks it, of this
	// partner alone, before the first step. Whatever they answer is never
	// given back to the domain.
	SafetyCheck bool
}

// RereadPrompt is said as a partner reads their answers over before sending
// them, naming the partner who will read them.
func RereadPrompt(partner string) string {
	return fmt.Sprintf("Before you send, read your words as %s will: do they say how it was for you (\"I felt…\")?", partner)
}

// Skippable reports whether the partner may pass over this step: an optional
// question, a new commitment when they already hold as many as Mend keeps,
// or the review of a promise the other partner made. The one who made a
// promise reviews it; the other may add their view, and is never made its
// auditor.
func (st Step) Skippable() bool {
	return st.Item.Prompt.Optional || st.CommitmentLimit > 0 || st.PartnersPromise()
}

// PartnersPromise reports whether this step reviews a commitment the other
// partner made, which this partner may review or skip.
func (st Step) PartnersPromise() bool {
	s := st.Item.Subject
	return s != nil && s.Kind == SubjectCommitment && s.OwnerID != st.UserID
}

// fullNote says why there is no room for another commitment, and how to make
// some, without counting anything against anyone.
func fullNote(limit int) string {
	return fmt.Sprintf("You have %d open commitments, as many as Mend keeps for one person, so that a check-in stays short enough to really talk. Marking one done, or dropping one, makes room for a new one.", limit)
}

// FullNote is what a partner with no room for another commitment is told at a
// new-commitment step; empty when there is room.
func (st Step) FullNote() string {
	if st.CommitmentLimit == 0 {
		return ""
	}
	return fullNote(st.CommitmentLimit) + " For now, you can skip this question."
}

// StaleStepError refuses an answer to a step other than the one the partner
// is on (an old message, a double click). Step is where they are now, so an
// adapter can show it instead.
type StaleStepError struct {
	Step Step
}

func (e *StaleStepError) Error() string {
	return fmt.Sprintf("stale step: partner is on %d of %d", e.Step.Index+1, e.Step.Total)
}

// Unwrap gives the refusal its code and a message safe to show.
func (e *StaleStepError) Unwrap() error {
	if e.Step.Done {
		return Errorf(ECONFLICT, "You have already answered everything in this check-in. Thank you.")
	}
	return Errorf(ECONFLICT, "That question was already answered or is not the one you are on; here is where you are now (%d of %d).", e.Step.Index+1, e.Step.Total)
}

// PartnersPromiseNote is said with the review of a promise the other partner
// made: it is theirs to review, and this partner's view is welcome but
// never owed. Empty for every other step.
func (st Step) PartnersPromiseNote() string {
	if !st.PartnersPromise() {
		return ""
	}
	owner := st.Couple.NameOf(st.Item.Subject.OwnerID)
	return fmt.Sprintf("This is %s's promise, and %s reviews it. Your view is welcome if you'd like to give it; you can also skip it.", owner, owner)
}
