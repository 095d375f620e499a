package conversations

import "time"

// CheckInOverview is where a couple stands, as a partner asks for it.
type CheckInOverview struct {
	Couple Couple
	// Now is when it was read, for writing times relative to it.
	Now time.Time
	// Open is the check-in open for answers now, if there is one.
	Open *CheckIn
	// ComingUp lists the commitments the open check-in does not ask about
	// because they fall due later.
	ComingUp []Commitment
	// Undelivered is the latest revealed check-in when its reveal never
	// reached the channel (given up, not merely waiting), for posting again.
	Undelivered *CheckIn
}
