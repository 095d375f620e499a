package conversations

import "time"

// InvitationHistory is what became of one person's invitations to another
// in a server, as far as the rules for inviting again need it.
type InvitationHistory struct {
	// LastDecline is when the invitee last declined; zero if never.
	LastDecline time.Time
	// Sent counts the invitations sent after the moment asked about,
	// whatever became of them.
	Sent int
	// Blocked is the invitee's "Don't ask me again" to this inviter.
	Blocked bool
}
