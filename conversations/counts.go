package conversations

// Counts are how many of each thing a couple's records hold, for telling the
// partners what an export holds or a forget deleted.
type Counts struct {
	CheckIns         int
	Answers          int
	Commitments      int
	Agreements       int
	Acknowledgements int
	// TalksHeld are the guided talks kept: those whose topic was talked
	// through.
	TalksHeld int
	Schedules int
	// Posts are the channel messages Mend queued for the couple.
	Posts int
}

// countsOf reads counts by the names the store gives its tables, so that
// those names stop here.
func countsOf(n func(table string) int) Counts {
	return Counts{CheckIns: n("checkins"), Answers: n("answers"), Commitments: n("commitments"), Agreements: n("agreements"),
		Acknowledgements: n("acknowledgements"), TalksHeld: n("guided_talks"), Schedules: n("schedules"), Posts: n("posts")}
}

// Counts is how many of each thing the forget deleted.
func (f Forgotten) Counts() Counts {
	return countsOf(func(table string) int { return f.Rows[table] })
}

// Counts is how many of each thing the export holds.
func (e Export) Counts() Counts {
	return countsOf(func(table string) int { return len(e.Tables[table]) })
}
