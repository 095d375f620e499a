package conversations

import "time"

// TalkGuide goes with every reveal: a short guide for the talk that
// follows, so that reading both sets of answers opens a conversation
// rather than a trial.
const TalkGuide = "For the talk that follows: start with what you appreciated. Choose one thing to talk about, not all of them. Take turns: one of you speaks, and the other says back what they heard. If it gets heated, pause for twenty minutes and come back."

// Reveal is a finished check-in shown to both partners at once: every step with
// both answers side by side.
type Reveal struct {
	CheckIn CheckIn
	Couple  Couple
	Rows    []RevealRow
	// Acks are the "I hear you" and "Thank you for owning this" given so far.
	Acks []Acknowledgement
	// Talks are the reviews seen differently that were talked about.
	Talks []Talk
}

// RevealRow is one step with the answers of Couple.Partners[0] and [1]. A
// look at a boundary has only its owner's answer.
type RevealRow struct {
	Item    Item
	Answers [2]*Answer
	// Divergent is set on a review where the partners gave different verdicts,
	// so the reveal can point it out gently.
	Divergent bool
}

// NewReveal lays out the answers of a check-in by step and by partner.
func NewReveal(ci CheckIn, couple Couple, answers []Answer) Reveal {
	byKey := map[StepKey][2]*Answer{}
	for i := range answers {
		a := &answers[i]
		idx := couple.PartnerIndex(a.UserID)
		if idx < 0 {
			continue
		}
		pair := byKey[a.Key()]
		pair[idx] = a
		byKey[a.Key()] = pair
	}
	r := Reveal{CheckIn: ci, Couple: couple}
	for _, it := range ci.Items() {
		pair := byKey[it.Key()]
		if sub := it.Subject; sub != nil && sub.Kind == SubjectBoundary {
			// Only the owner's own words about their boundary are shown,
			// and nothing at all when they passed over it.
			own := couple.PartnerIndex(sub.OwnerID)
			if own < 0 || pair[own] == nil || pair[own].Skipped {
				continue
			}
			pair = [2]*Answer{}
			pair[own] = byKey[it.Key()][own]
		}
		row := RevealRow{Item: it, Answers: pair}
		if it.Subject != nil && pair[0] != nil && pair[1] != nil && !pair[0].Skipped && !pair[1].Skipped &&
			pair[0].Verdict != VerdictCantSay && pair[1].Verdict != VerdictCantSay {
			// "I can't say" is not a different view; it is no view yet.
			row.Divergent = pair[0].Verdict != pair[1].Verdict
		}
		r.Rows = append(r.Rows, row)
	}
	return r
}

// Owner returns the index of the partner whose boundary a row is about, and
// false for every other row, which shows both partners' answers.
func (row RevealRow) Owner(c Couple) (int, bool) {
	if sub := row.Item.Subject; sub != nil && sub.Kind == SubjectBoundary {
		return c.PartnerIndex(sub.OwnerID), true
	}
	return 0, false
}

// Divergences counts the reviews the partners saw differently.
func (r Reveal) Divergences() int {
	n := 0
	for _, row := range r.Rows {
		if row.Divergent {
			n++
		}
	}
	return n
}

// Acknowledgement records that a partner answered the other's words: "I hear
// you" to a hurt or worry, "Thank you for owning this" to a responsibility.
type Acknowledgement struct {
	CheckInID int64
	PromptID  string
	Kind      AckKind
	// AuthorID wrote the answer; ByUserID acknowledged it.
	AuthorID string
	ByUserID string
	At       time.Time
}

// Acknowledged reports whether the answer of authorID to promptID was
// acknowledged, in whichever way its prompt allows.
func (r Reveal) Acknowledged(promptID, authorID string) bool {
	for _, a := range r.Acks {
		if a.PromptID == promptID && a.AuthorID == authorID {
			return true
		}
	}
	return false
}

// TalkedAbout reports whether the partners marked the review as talked about.
func (r Reveal) TalkedAbout(key StepKey) bool {
	for _, t := range r.Talks {
		if t.Key() == key {
			return true
		}
	}
	return false
}
