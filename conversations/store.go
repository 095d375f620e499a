package conversations

import (
	"context"
	"time"
)

// Store keeps couples, check-ins and what partners wrote. Implementations return
// *Error with ENOTFOUND for a missing row and ECONFLICT for a broken uniqueness
// rule, so the service can explain both.
type Store interface {
	CreateCouple(ctx context.Context, c *Couple) error
	UpdateCouple(ctx context.Context, c Couple) error
	Couple(ctx context.Context, id int64) (Couple, error)
	// CoupleOf returns the pending or active couple that userID belongs to in a guild.
	CoupleOf(ctx context.Context, guildID, userID string) (Couple, error)
	// CoupleByChannel returns the couple whose private channel it is, ended
	// couples included.
	CoupleByChannel(ctx context.Context, channelID string) (Couple, error)

	// OpenCheckIn records ci with its participants and subjects in one
	// transaction and sets ci.ID. An open check-in of the couple whose window
	// ended by ci.OpenedAt is closed first; one still running is ECONFLICT.
	OpenCheckIn(ctx context.Context, ci *CheckIn) error
	CheckIn(ctx context.Context, id int64) (CheckIn, error)
	// LatestOpenCheckIn returns the couple's check-in with status open, whether
	// or not its window has ended.
	LatestOpenCheckIn(ctx context.Context, coupleID int64) (CheckIn, error)
	Answers(ctx context.Context, checkInID int64) ([]Answer, error)
	// SaveAnswer stores an answer, replacing an earlier one for the same step,
	// together with the partner's progress. It is ECONFLICT once the check-in
	// is no longer open.
	SaveAnswer(ctx context.Context, a Answer, p Participant) error
	SaveParticipant(ctx context.Context, checkInID int64, p Participant) error
	// RevealCheckIn marks the check-in revealed and records the commitments made
	// in it, only if it is open and every participant is done. It reports whether
	// this call revealed it, so exactly one caller announces the reveal.
	RevealCheckIn(ctx context.Context, checkInID int64, at time.Time, made []Commitment) (bool, error)
	// SetCheckInPosts records message references; an empty one is left as is.
	SetCheckInPosts(ctx context.Context, checkInID int64, postID, revealPostID string) error
	// SaveAcknowledgement records an "I hear you"; a repeat is not an error.
	SaveAcknowledgement(ctx context.Context, a Acknowledgement) error
	Acknowledgements(ctx context.Context, checkInID int64) ([]Acknowledgement, error)

	AddCommitment(ctx context.Context, c *Commitment) error
	OpenCommitments(ctx context.Context, coupleID int64) ([]Commitment, error)
	AddAgreement(ctx context.Context, a *Agreement) error
	ActiveAgreements(ctx context.Context, coupleID int64) ([]Agreement, error)
}
