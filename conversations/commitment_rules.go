package conversations

import (
	"fmt"
	"time"
)

// DefaultMaxOpenCommitments is how many open commitments one partner may
// have unless the config says otherwise. Every open commitment is reviewed by
// both at every check-in; past about ten, a check-in stops being a
// conversation and becomes a list to get through.
const DefaultMaxOpenCommitments = 10

// DueAfter says whether the commitment is due later than date (YYYY-MM-DD in
// the couple's zone). Such a commitment is not asked about before its due
// date: it is listed as coming up instead.
func (c Commitment) DueAfter(date string) bool {
	return c.DueOn != "" && c.DueOn > date
}

// OpenedOn is the check-in's opening date in the couple's zone, the date its
// reviews are judged by.
func (ci CheckIn) OpenedOn(c Couple) string {
	return ci.OpenedAt.In(c.Location()).Format(DateLayout)
}

// Today is the date now in the couple's zone.
func (c Couple) Today(now time.Time) string {
	return now.In(c.Location()).Format(DateLayout)
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
