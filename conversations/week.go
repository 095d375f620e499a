package conversations

// Week is a theme of the guided path as a couple meets it.
type Week struct {
	// Slot is the plan's week counted from the couple's start, skipped ones
	// included.
	Slot int
	// Week and Weeks: "week 5 of 13", counting only the packs that are on.
	Week, Weeks int
	// Round counts the times round the plan, from 1.
	Round int
	Pack  Pack
}

// Place is "week 5 of 13", with the round after the first.
func (w Week) Place() string {
	return Drawn{Week: w.Week, Weeks: w.Weeks, Round: w.Round}.Place()
}
