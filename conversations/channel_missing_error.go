package conversations

import "fmt"

// ChannelMissingError answers a partner whose couple's channel was deleted:
// whatever they asked for, what they need first is the channel back. The
// adapter offers to make it again.
type ChannelMissingError struct {
	Couple Couple
	// UserID is the partner it answers, so that the channel is named after
	// the other.
	UserID string
}

func (e *ChannelMissingError) Error() string {
	return fmt.Sprintf("channel of couple %d is missing", e.Couple.ID)
}

// Unwrap gives the message a partner is shown.
func (e *ChannelMissingError) Unwrap() error {
	return Errorf(ECONFLICT, "Your private channel with %s was deleted, so Mend has paused your check-ins. Nothing you wrote is lost. Mend can make the channel again and post your latest answers there.",
		e.Couple.Other(e.UserID).Name)
}
