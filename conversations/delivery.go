package conversations

import (
	"time"
)

// Delivery is what a queued post should show now, decided from the state of
// things when it is sent rather than when it was queued.
type Delivery struct {
	Post   Post
	Couple Couple
	// Now is when it was decided, for rendering times relative to it.
	Now time.Time
	// Needed is false when the post has lost its purpose (the partner it
	// reminds has finished, the commitment is done, the couple ended or was
	// forgotten): it is marked done without sending anything.
	Needed bool
	// Hold is set while the couple's channel is missing: the post waits for
	// the channel to be made again instead of failing.
	Hold bool
	// What the post refers to, as the kind needs it.
	CheckIn    CheckIn
	Reveal     Reveal
	Commitment Commitment
	Talk       TalkView
	// ComingUp, for an open check-in's own post, lists the commitments it
	// does not ask about because they fall due later.
	ComingUp []Commitment
}
