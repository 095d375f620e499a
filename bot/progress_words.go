package bot

import (
	"fmt"

	"mend/conversations"
)

// Progress is said in counts of what each partner answered ("Alex felt 2 of
// 5 were kept"), never as a percentage: a percentage of a partner's promises
// reads as a grade. A partly is named as a partly, not counted as half.

// promisesLine says how a partner's promises went, as they saw it and as the
// other partner did. How many were seen differently is never counted: the
// reveal marks each one as a place to start talking.
func promisesLine(pp conversations.PartnerProgress, other string) string {
	owner := pp.Partner.Name
	if pp.OwnView.Reviews == 0 && pp.OtherView.Reviews == 0 {
		return owner + "'s promises: no reviews yet."
	}
	return fmt.Sprintf("%s's promises: %s.", owner, twoViews(owner, pp.OwnView, other, pp.OtherView, "kept"))
}

// agreementsLine says how the couple's agreements held, as each saw it.
func agreementsLine(p conversations.Progress) string {
	a, b := p.Partners[0], p.Partners[1]
	if a.Agreements.Reviews == 0 && b.Agreements.Reviews == 0 {
		return "**Agreements:** no reviews yet."
	}
	return "**Agreements:** " + twoViews(a.Partner.Name, a.Agreements, b.Partner.Name, b.Agreements, "kept") + "."
}

// twoViews joins two partners' tallies: "Alex felt 2 of 5 were kept; Sam felt
// 1 of 5, and 1 partly". The second leaves out "were kept" once the first has
// said it.
func twoViews(first string, a conversations.Tally, second string, b conversations.Tally, verdict string) string {
	out := tallyPhrase(first, a, verdict, true)
	return out + "; " + tallyPhrase(second, b, verdict, a.Reviews == 0)
}

func tallyPhrase(name string, t conversations.Tally, verdict string, full bool) string {
	if t.Reviews == 0 {
		return name + " has not reviewed them yet"
	}
	s := fmt.Sprintf("%s felt %d of %d", name, t.Kept, t.Reviews)
	switch {
	case full && t.Reviews == 1:
		s += " was " + verdict
	case full:
		s += " were " + verdict
	}
	if t.Partly > 0 {
		s += fmt.Sprintf(", and %d partly", t.Partly)
	}
	return s
}

// followThroughCaption says under the chart how a partner's promises went,
// as they saw it and as the other partner did.
func followThroughCaption(pp conversations.PartnerProgress, other string) string {
	if pp.OwnView.Reviews == 0 && pp.OtherView.Reviews == 0 {
		return "Promises: no reviews yet"
	}
	phrase := func(t conversations.Tally) string {
		if t.Reviews == 0 {
			return "no reviews yet"
		}
		s := fmt.Sprintf("%d of %d", t.Kept, t.Reviews)
		if t.Partly > 0 {
			s += fmt.Sprintf(" (%d partly)", t.Partly)
		}
		return s
	}
	return fmt.Sprintf("Kept, as they saw it: %s  ·  as %s saw it: %s", phrase(pp.OwnView), other, phrase(pp.OtherView))
}

// talksLine counts the guided talks the couple held, and says nothing in a
// span without one: progress asks for no talk.
func talksLine(p conversations.Progress) string {
	switch p.TalksHeld {
	case 0:
		return ""
	case 1:
		return "**Talks:** you talked one thing through together, in a guided talk."
	}
	return fmt.Sprintf("**Talks:** you talked %d things through together, in guided talks.", p.TalksHeld)
}
