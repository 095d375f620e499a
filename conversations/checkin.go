package conversations

import (
	"fmt"
	"time"
)

// CheckInStatus is the state of a check-in as a whole.
type CheckInStatus string

const (
	// CheckInOpen: partners can answer until ClosesAt.
	CheckInOpen CheckInStatus = "open"
	// CheckInRevealed: both partners finished and both sets of answers are shown.
	CheckInRevealed CheckInStatus = "revealed"
	// CheckInClosed: the window ended before both finished; nothing was revealed.
	CheckInClosed CheckInStatus = "closed"
)

// ParticipantStatus is where one partner is in a check-in.
type ParticipantStatus string

const (
	NotStarted ParticipantStatus = "not_started"
	InProgress ParticipantStatus = "in_progress"
	Paused     ParticipantStatus = "paused"
	Done       ParticipantStatus = "done"
)

// Label is the status in words, for status lines.
func (s ParticipantStatus) Label() string {
	switch s {
	case NotStarted:
		return "not started"
	case InProgress:
		return "in progress"
	case Paused:
		return "taking a break"
	case Done:
		return "done"
	}
	return string(s)
}

// Participant is one partner's progress through a check-in.
type Participant struct {
	UserID     string
	Status     ParticipantStatus
	StartedAt  time.Time
	PausedAt   time.Time
	FinishedAt time.Time
}

// SubjectKind says what a review step is about.
type SubjectKind string

const (
	SubjectCommitment SubjectKind = "commitment"
	SubjectAgreement  SubjectKind = "agreement"
	// SubjectBoundary is a partner's own boundary, which only they look at.
	SubjectBoundary SubjectKind = "boundary"
)

// Subject is a commitment or agreement under review, as it read when the check-in
// opened, so later edits do not change what was answered.
type Subject struct {
	PromptID string
	Kind     SubjectKind
	ID       int64
	Text     string
	// OwnerID is the partner who made a commitment or set a boundary; empty
	// for agreements.
	OwnerID string
}

// Describe names the subject for viewerID, the same in every medium:
// "Your promise: …", "Sam's promise: …" or "Agreement: …". An empty viewerID
// (a message both partners read) always names the promise's maker.
func (s Subject) Describe(c Couple, viewerID string) string {
	if s.Kind == SubjectAgreement {
		return "Agreement: “" + s.Text + "”"
	}
	what := "promise"
	if s.Kind == SubjectBoundary {
		what = "boundary"
	}
	whose := "Your " + what
	if s.OwnerID != viewerID {
		if i := c.PartnerIndex(s.OwnerID); i >= 0 {
			whose = c.Partners[i].Name + "'s " + what
		}
	}
	return whose + ": “" + s.Text + "”"
}

// StepKey names one step of a check-in: a prompt, and for reviews the subject.
type StepKey struct {
	PromptID  string
	SubjectID int64
}

func (k StepKey) String() string {
	if k.SubjectID == 0 {
		return k.PromptID
	}
	return fmt.Sprintf("%s/%d", k.PromptID, k.SubjectID)
}

// Item is one step a partner answers: a prompt, or a review prompt applied to one
// subject.
type Item struct {
	Prompt  Prompt
	Subject *Subject
}

// Key identifies the item.
func (it Item) Key() StepKey {
	if it.Subject == nil {
		return StepKey{PromptID: it.Prompt.ID}
	}
	return StepKey{PromptID: it.Prompt.ID, SubjectID: it.Subject.ID}
}

// CheckIn is one occurrence of a couple answering a template.
type CheckIn struct {
	ID       int64
	CoupleID int64
	// Template is a snapshot taken when the check-in opened, so a config change
	// cannot reshape a check-in that partners are halfway through.
	Template     Template
	Subjects     []Subject
	Participants [2]Participant
	Status       CheckInStatus
	OpenedAt     time.Time
	ClosesAt     time.Time
	RevealedAt   time.Time
	ClosedAt     time.Time
	// PostID and RevealPostID are the adapter's references to the check-in's
	// status message and the first message of its reveal, empty until posted.
	PostID       string
	RevealPostID string
	// PathAfter is the couple's guided path once this check-in opens, when
	// it drew a question of the week; it is stored with the check-in.
	PathAfter *Path
}

// StatusAt returns the status as of now: an open check-in whose window has ended
// counts as closed even before anything recorded that.
func (c CheckIn) StatusAt(now time.Time) CheckInStatus {
	if c.Status == CheckInOpen && !now.Before(c.ClosesAt) {
		return CheckInClosed
	}
	return c.Status
}

// Participant returns the progress of the given partner.
func (c CheckIn) Participant(userID string) (Participant, bool) {
	for _, p := range c.Participants {
		if p.UserID == userID {
			return p, true
		}
	}
	return Participant{}, false
}

// Items expands the template into the steps of the check-in, in order: every
// step of both partners. A review prompt with nothing to review contributes
// no step.
func (c CheckIn) Items() []Item {
	var items []Item
	for _, p := range c.Template.Prompts {
		if p.Kind != KindCommitmentReview && p.Kind != KindAgreementReview && p.ID != BoundaryReviewID {
			items = append(items, Item{Prompt: p})
			continue
		}
		for i := range c.Subjects {
			if c.Subjects[i].PromptID == p.ID {
				items = append(items, Item{Prompt: p, Subject: &c.Subjects[i]})
			}
		}
	}
	return items
}

// ItemsFor returns the steps userID answers: every step but the looks at the
// other partner's boundaries, which are theirs alone.
func (c CheckIn) ItemsFor(userID string) []Item {
	var out []Item
	for _, it := range c.Items() {
		if it.Subject == nil || it.Subject.Kind != SubjectBoundary || it.Subject.OwnerID == userID {
			out = append(out, it)
		}
	}
	return out
}

// Remaining describes the unanswered steps of a partner, for a message that says
// what is still open.
func (c CheckIn) Remaining(answers []Answer, userID string) []Item {
	answered := map[StepKey]bool{}
	for _, a := range answers {
		if a.UserID == userID {
			answered[a.Key()] = true
		}
	}
	var out []Item
	for _, it := range c.ItemsFor(userID) {
		if !answered[it.Key()] {
			out = append(out, it)
		}
	}
	return out
}

func (c *CheckIn) setParticipant(p Participant) {
	for i := range c.Participants {
		if c.Participants[i].UserID == p.UserID {
			c.Participants[i] = p
		}
	}
}

// OpenedOn is the check-in's opening date in the couple's zone, the date its
// reviews are judged by.
func (c CheckIn) OpenedOn(couple Couple) string {
	return c.OpenedAt.In(couple.Location()).Format(DateLayout)
}

// QuestionsOfTheWeek returns the questions a check-in drew from the library.
func (c CheckIn) QuestionsOfTheWeek() []Prompt {
	var out []Prompt
	for _, p := range c.Template.Prompts {
		if p.Drawn != nil {
			out = append(out, p)
		}
	}
	return out
}

// PathWeek returns the check-in's question of the guided path, if it has one.
func (c CheckIn) PathWeek() (Prompt, bool) {
	for _, p := range c.QuestionsOfTheWeek() {
		if p.Drawn.Week > 0 {
			return p, true
		}
	}
	return Prompt{}, false
}
