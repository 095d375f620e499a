package conversations

import (
	"context"
	"time"
)

// The domain declares what it needs of storage as one narrow interface per
// aggregate, so that each part of Mend names exactly the data it touches.
// Implementations return *Error with ENOTFOUND for a missing row and
// ECONFLICT for a broken uniqueness rule, so the domain can explain both.

// CoupleStore keeps couples: invitations, consent, leaving, and the channel each couple talks in.
type CoupleStore interface {
	CreateCouple(ctx context.Context, c *Couple) error
	// UpdateCouple saves a couple and, when post is not nil, queues it in the
	// same transaction.
	UpdateCouple(ctx context.Context, c Couple, post *Post) error
	Couple(ctx context.Context, id int64) (Couple, error)
	// CoupleOf returns the pending or active couple that userID belongs to in
	// a guild, a pending one even when its invitation has expired.
	CoupleOf(ctx context.Context, guildID, userID string) (Couple, error)
	// LastCoupleOf returns the newest couple userID was part of in a guild,
	// whatever became of it.
	LastCoupleOf(ctx context.Context, guildID, userID string) (Couple, error)
	// CoupleByChannel returns the couple whose private channel it is, ended
	// couples included.
	CoupleByChannel(ctx context.Context, channelID string) (Couple, error)
	// InvitationHistory returns what came of inviterID's invitations to
	// inviteeID in a guild: the last decline, how many were sent after
	// since, and whether inviteeID blocked inviterID.
	InvitationHistory(ctx context.Context, guildID, inviterID, inviteeID string, since time.Time) (InvitationHistory, error)
	// SetInvitationPost records where a pending invitation was posted.
	SetInvitationPost(ctx context.Context, coupleID int64, channelID, messageID string) error
	// CloseExpiredInvitations queues a PostInvitationClosed for every
	// pending invitation expired by now whose post is known and not yet
	// closed, and marks it closed, in one transaction; it returns how many.
	CloseExpiredInvitations(ctx context.Context, now time.Time) (int, error)
	// SetInvitationBlock records or lifts blockerID's "Don't ask me again"
	// to blockedID in a guild; setting it twice changes nothing.
	SetInvitationBlock(ctx context.Context, guildID, blockerID, blockedID string, blocked bool, at time.Time) error
	// MarkChannelMissing records that the couple's channel, if it is still
	// channelID, is gone; false when it was recorded already or has changed.
	MarkChannelMissing(ctx context.Context, coupleID int64, channelID string, at time.Time) (bool, error)
	// ReplaceChannel sets the couple's new channel, clears the missing mark,
	// makes every pending post of the couple due at once and queues posts,
	// in one transaction.
	ReplaceChannel(ctx context.Context, coupleID int64, channelID string, at time.Time, posts []Post) error
}

// CheckInStore keeps check-ins: opening, closing, the reveal and sharing after the window.
type CheckInStore interface {
	// OpenCheckIn records ci with its participants and subjects in one
	// transaction and sets ci.ID. An open check-in of the couple whose window
	// ended by ci.OpenedAt is closed first; one still running is ECONFLICT.
	// A post, when given, is queued in the same transaction for the new
	// check-in.
	OpenCheckIn(ctx context.Context, ci *CheckIn, post *Post) error
	CheckIn(ctx context.Context, id int64) (CheckIn, error)
	// CheckInNumber is the check-in's place among its couple's check-ins,
	// counting from 1 in the order they opened.
	CheckInNumber(ctx context.Context, checkInID int64) (int, error)
	// LatestOpenCheckIn returns the couple's check-in with status open, whether
	// or not its window has ended.
	LatestOpenCheckIn(ctx context.Context, coupleID int64) (CheckIn, error)
	// CheckIns returns a couple's check-ins, newest first.
	CheckIns(ctx context.Context, coupleID int64, limit int) ([]CheckIn, error)
	// RevealCheckIn marks the check-in revealed and records the commitments made
	// in it, only if it is open and every participant is done. It reports whether
	// this call revealed it, so exactly one caller announces the reveal.
	// The post announcing the reveal is queued in the same transaction.
	RevealCheckIn(ctx context.Context, checkInID int64, at time.Time, made []Commitment, post Post) (bool, error)
	// SetCheckInPosts records message references; an empty one is left as is.
	SetCheckInPosts(ctx context.Context, checkInID int64, postID, revealPostID string) error
	// OpenCheckIns returns the check-ins with status open that opened before
	// openedBefore or close by closingBy.
	OpenCheckIns(ctx context.Context, openedBefore, closingBy time.Time) ([]CheckIn, error)
	// CloseCheckIn closes an open check-in and queues its post; false when it
	// was not open any more.
	CloseCheckIn(ctx context.Context, checkInID int64, at time.Time, post Post) (bool, error)
	// RecordShare records that a partner shared their answers of a closed
	// check-in; false when they had already.
	// The post carrying the shared answers is queued with it.
	RecordShare(ctx context.Context, checkInID int64, userID string, at time.Time, post Post) (bool, error)
	// AskShare records that a partner asked to share the answers of a
	// closed check-in; false when they had asked already. ShareAsked says
	// whether they did.
	AskShare(ctx context.Context, checkInID int64, userID string, at time.Time) (bool, error)
	ShareAsked(ctx context.Context, checkInID int64, userID string) (bool, error)
}

// AnswerStore keeps what each partner answered in a check-in and how far they got.
type AnswerStore interface {
	Answers(ctx context.Context, checkInID int64) ([]Answer, error)
	// SaveAnswer stores an answer, replacing an earlier one for the same step,
	// together with the partner's progress. It is ECONFLICT once the check-in
	// is no longer open, or once the partner has sent their answers.
	SaveAnswer(ctx context.Context, a Answer, p Participant) error
	SaveParticipant(ctx context.Context, checkInID int64, p Participant) error
}

// AcknowledgementStore keeps what partners said to each other after a reveal: "I hear you", thanks, and reviews they talked about.
type AcknowledgementStore interface {
	// SaveAcknowledgement records an "I hear you" or a thank-you; a repeat is
	// not an error.
	SaveAcknowledgement(ctx context.Context, a Acknowledgement) error
	Acknowledgements(ctx context.Context, checkInID int64) ([]Acknowledgement, error)
	// SaveTalk records that a review was talked about; a repeat is not an
	// error.
	SaveTalk(ctx context.Context, t Talk) error
	Talks(ctx context.Context, checkInID int64) ([]Talk, error)
}

// ScheduleStore keeps schedules and the reminders the scheduler sends.
type ScheduleStore interface {
	// SaveSchedule creates or replaces the couple's schedule.
	SaveSchedule(ctx context.Context, s Schedule) error
	Schedule(ctx context.Context, coupleID int64) (Schedule, error)
	// DueSchedules returns schedules of active couples whose next run is at
	// or before now, earliest first, each with its couple, open commitments
	// and active agreements.
	DueSchedules(ctx context.Context, now time.Time, limit int) ([]DueSchedule, error)
	// ApplySchedulePlans applies plans (see SchedulePlan), each all or
	// nothing, setting plan.Open.ID and the runs' statuses; a plan's flag is
	// false when its schedule had already moved on (another process applied it).
	ApplySchedulePlans(ctx context.Context, plans []*SchedulePlan) ([]bool, error)
	// EarliestDue is the earliest next run of a schedule, closing of an open
	// check-in, retry of a post or expiry of an invitation whose post is still
	// to be closed; zero when there is none.
	EarliestDue(ctx context.Context) (time.Time, error)
	// RecordReminder records reminder slot of a partner and queues its post;
	// false when that reminder was already recorded.
	RecordReminder(ctx context.Context, checkInID int64, userID string, slot int, post Post) (bool, error)
	// UnremindedCommitmentsDueBy returns open commitments due on or before the
	// date that have not been reminded of.
	UnremindedCommitmentsDueBy(ctx context.Context, date string) ([]Commitment, error)
	// RemindCommitment marks the reminder and queues its post; false when it
	// had been reminded already.
	RemindCommitment(ctx context.Context, commitmentID int64, at time.Time, post Post) (bool, error)
}

// OutboxStore keeps the posts waiting to reach a couple's channel.
type OutboxStore interface {
	PendingPosts(ctx context.Context, now time.Time, limit int) ([]Post, error)
	// QueuePost queues a post on its own.
	QueuePost(ctx context.Context, p Post) error
	// PostPending reports whether a post of the kind (about the check-in, 0
	// for none) is queued for the couple and not yet sent or given up.
	PostPending(ctx context.Context, coupleID int64, kind PostKind, checkInID int64) (bool, error)
	MarkPostSent(ctx context.Context, postID int64, messageID string, at time.Time) error
	MarkPostFailed(ctx context.Context, postID int64, attempts int, next time.Time, giveUp bool, reason string) error
}

// CommitmentStore keeps the commitments partners make.
type CommitmentStore interface {
	AddCommitment(ctx context.Context, c *Commitment) error
	Commitment(ctx context.Context, id int64) (Commitment, error)
	// Commitments returns all of a couple's commitments, oldest first.
	Commitments(ctx context.Context, coupleID int64) ([]Commitment, error)
	// CloseCommitment moves an open commitment to done or dropped; ENOTFOUND
	// when it is not open.
	CloseCommitment(ctx context.Context, id int64, status CommitmentStatus, at time.Time) error
	OpenCommitments(ctx context.Context, coupleID int64) ([]Commitment, error)
}

// AgreementStore keeps the agreements a couple proposes, agrees to and retires.
type AgreementStore interface {
	AddAgreement(ctx context.Context, a *Agreement) error
	// Agreements returns all of a couple's agreements, oldest first.
	Agreements(ctx context.Context, coupleID int64) ([]Agreement, error)
	// UpdateAgreement saves a's status and the times and partners that go
	// with it, only if its stored status is still from; ECONFLICT otherwise.
	UpdateAgreement(ctx context.Context, a Agreement, from AgreementStatus) error
	// ActiveAgreements returns the agreements in force (active, or retiring
	// and not yet agreed to retire), oldest first.
	ActiveAgreements(ctx context.Context, coupleID int64) ([]Agreement, error)
}

// BoundaryStore keeps the personal boundaries partners state.
type BoundaryStore interface {
	AddBoundary(ctx context.Context, b *Boundary) error
	// Boundaries returns all of a couple's boundaries, oldest first.
	Boundaries(ctx context.Context, coupleID int64) ([]Boundary, error)
	// UpdateBoundary saves b's text, status and times.
	UpdateBoundary(ctx context.Context, b Boundary) error
}

// RecordStore takes out and deletes a couple's data.
type RecordStore interface {
	// ExportCouple returns every row of a couple by table, leaving out the
	// other partner's answers that were never revealed to viewerID.
	ExportCouple(ctx context.Context, coupleID int64, viewerID string) (map[string][]map[string]any, error)
	// ForgetCouple deletes every row of a couple, counts them by table and
	// says whether they are wiped from disk too; if not, FinishWipes does it.
	ForgetCouple(ctx context.Context, coupleID int64) (Forgotten, error)
	// DeleteAnswersOf deletes one partner's answers in a couple's check-ins;
	// FinishWipes wipes them from disk if that could not be done at once.
	DeleteAnswersOf(ctx context.Context, coupleID int64, userID string) (int, error)
	// FinishWipes wipes from disk what deletes left there, if it can now,
	// without waiting; pending is true while some of it is still there.
	FinishWipes(ctx context.Context) (pending bool, err error)
}

// Stores are the narrow stores the domain works with, one per aggregate.
type Stores struct {
	Couples          CoupleStore
	CheckIns         CheckInStore
	Answers          AnswerStore
	Acknowledgements AcknowledgementStore
	Schedules        ScheduleStore
	Outbox           OutboxStore
	Commitments      CommitmentStore
	Agreements       AgreementStore
	Boundaries       BoundaryStore
	Records          RecordStore
	Paths            PathStore
	Talks            TalkStore
}

// Store is every narrow store in one, for an implementation that keeps them
// all (a test double, say); StoresOf wires it in.
type Store interface {
	CoupleStore
	CheckInStore
	AnswerStore
	AcknowledgementStore
	ScheduleStore
	OutboxStore
	CommitmentStore
	AgreementStore
	BoundaryStore
	RecordStore
	PathStore
	TalkStore
}

// StoresOf uses one Store for every aggregate.
func StoresOf(s Store) Stores {
	return Stores{Couples: s, CheckIns: s, Answers: s, Acknowledgements: s, Schedules: s, Outbox: s, Commitments: s, Agreements: s, Boundaries: s, Records: s, Paths: s, Talks: s}
}

// PathStore keeps couples' places on the guided path. A check-in that
// moves the path carries it in CheckIn.PathAfter, stored with the check-in.
type PathStore interface {
	// Path returns the couple's path; a couple without one yet is at the
	// start (Version 0).
	GuidedPath(ctx context.Context, coupleID int64) (Path, error)
	// SavePath stores p if the stored version is still p.Version and sets
	// p.Version to the new one; ECONFLICT when it has moved meanwhile.
	SavePath(ctx context.Context, p *Path) error
}

// TalkStore keeps guided talks: where an open talk is, and of an ended one
// only its topic, when it was talked through and how it ended.
type TalkStore interface {
	// CreateTalk records a new open talk, sets t.ID and t.Version and
	// queues post (for the talk, whose TalkID it sets) in one transaction;
	// ECONFLICT when the couple has an open talk already.
	CreateTalk(ctx context.Context, t *GuidedTalk, post *Post) error
	// GuidedTalk returns a talk, open or kept; ENOTFOUND when there is none
	// (an ended talk keeps nothing unless its topic was talked through).
	GuidedTalk(ctx context.Context, id int64) (GuidedTalk, error)
	// OpenTalk returns the couple's open talk; ENOTFOUND when there is none.
	OpenTalk(ctx context.Context, coupleID int64) (GuidedTalk, error)
	// SaveGuidedTalk stores t if its stored version is still t.Version, sets the
	// new one and queues posts, in one transaction; ECONFLICT when it moved
	// meanwhile. An ended talk keeps only its topic, when it was talked
	// through and its outcome, and is deleted when it has none of them.
	SaveGuidedTalk(ctx context.Context, t *GuidedTalk, posts []Post) error
	// DueTalks returns open talks whose time ran out by now or whose break
	// ended with its "Ready to come back?" still to post.
	DueTalks(ctx context.Context, now time.Time, limit int) ([]GuidedTalk, error)
	// SetTalkMessage records where the talk's message was posted.
	SetTalkMessage(ctx context.Context, talkID int64, messageID string) error
	// TalksHeld returns the couple's kept talks, talked through in
	// [since, until), oldest first.
	TalksHeld(ctx context.Context, coupleID int64, since, until time.Time) ([]GuidedTalk, error)
}
