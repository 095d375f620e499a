package conversations

import (
	"strconv"
	"time"
)

// PostKind is what a queued channel message is about. The adapter renders it
// when it sends it, from the current state of what it refers to.
type PostKind string

const (
	// PostCheckIn announces a check-in.
	PostCheckIn PostKind = "checkin"
	// PostReminder reminds a partner who has not finished a check-in.
	PostReminder PostKind = "reminder"
	// PostClosed says a check-in closed before both finished.
	PostClosed PostKind = "closed"
	// PostDue reminds a partner that their commitment falls due.
	PostDue PostKind = "due"
	// PostReveal shows both partners' answers, over as many messages as
	// they need.
	PostReveal PostKind = "reveal"
	// PostShare shows the answers one partner shared of a closed check-in.
	PostShare PostKind = "share"
	// PostWelcome greets a new couple in their channel.
	PostWelcome PostKind = "welcome"
	// PostLeft tells the channel that a partner (UserID) left the couple.
	PostLeft PostKind = "left"
	// PostInvitationClosed makes an expired public invitation read "This
	// invitation is closed.": an edit of the invitation, not a new message.
	PostInvitationClosed PostKind = "invitation-closed"
	// PostTalk is a guided talk's message (TalkID), updated in place as
	// the talk goes on.
	PostTalk PostKind = "talk"
	// PostTalkComeBack is the one "Ready to come back?" after a break.
	PostTalkComeBack PostKind = "talk-come-back"
	// PostTalkEnded makes the message of a talk whose time ran out read
	// that it ended: an edit, never a new message, so nobody is called.
	PostTalkEnded PostKind = "talk-ended"
)

// Owed reports whether the couple is owed this kind of post: it carries their
// answers or what they need to take part, so it is retried for at least
// OwedRetryWindow and never given up for a passing failure.
func (k PostKind) Owed() bool {
	switch k {
	case PostReveal, PostShare, PostCheckIn, PostWelcome, PostClosed:
		return true
	}
	return false
}

// Post is a message Mend owes a couple's channel. It is recorded in the same
// transaction as the change it announces, then sent, then marked sent, so a
// crash loses no message; its nonce makes a resend after a crash harmless.
type Post struct {
	ID           int64
	CoupleID     int64
	Kind         PostKind
	CheckInID    int64
	UserID       string
	CommitmentID int64
	TalkID       int64

	Attempts      int
	NextAttemptAt time.Time
	CreatedAt     time.Time
	SentAt        time.Time
	MessageID     string
	// GaveUp is set when sending failed in a way retrying cannot fix.
	GaveUp    bool
	LastError string
}

// Nonce identifies the post to Discord, which drops a second message with the
// same nonce (at most 25 characters).
func (p Post) Nonce() string { return "mend-post-" + strconv.FormatInt(p.ID, 10) }

// PageNonce identifies one message of a post that takes several.
func (p Post) PageNonce(page int) string {
	if page == 0 {
		return p.Nonce()
	}
	return p.Nonce() + "-" + strconv.Itoa(page)
}
