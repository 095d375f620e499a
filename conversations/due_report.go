package conversations

// DueReport counts what one pass of RunDue did.
type DueReport struct {
	Opened, Missed, Skipped, Reminded, Closed, DueReminders int
	// InvitationsClosed counts the expired invitations whose public message
	// is to read "This invitation is closed." now.
	InvitationsClosed int
	// TalksEnded counts guided talks whose time ran out; ComeBacks, the
	// "Ready to come back?" queued after breaks.
	TalksEnded, ComeBacks int
	// WipePending: words deleted by a forget are still on disk, because
	// another connection was using the database (see Forgotten).
	WipePending bool
}
