package conversations

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// DefaultWindow is how long a check-in stays open for answers.
const DefaultWindow = 48 * time.Hour

// DefaultReminder is when a partner who has not finished is reminded.
const DefaultReminder = 24 * time.Hour

// Service runs couples and their check-ins. Every method that acts for a person
// takes their user ID and checks it against the couple, because IDs arriving
// from a client are never trusted on their own.
type Service struct {
	store     Store
	clock     Clock
	templates *Templates
	// library holds the packs questions of the week come from.
	library *Library

	// Window is how long a check-in stays open.
	Window time.Duration
	// DefaultTemplate is used when a check-in is opened without naming one.
	DefaultTemplate string
	// Grace is how late a scheduled run may still open after downtime.
	Grace time.Duration
	// Reminders are offsets from a check-in's opening at which a partner who
	// has not finished is reminded.
	Reminders []time.Duration
	// Announce queues the channel posts that welcome a new couple and
	// announce a check-in opened by hand. The Discord adapter sets it; the
	// console, which has no channel, does not.
	Announce bool
	// MaxOpenCommitments is how many open commitments one partner may have;
	// 0 sets no limit.
	MaxOpenCommitments int
	// InvitationExpiry is how long an invitation waits for an answer;
	// 0 means DefaultInvitationExpiry.
	InvitationExpiry time.Duration
}

// NewService returns a service with the default window and template.
func NewService(stores Stores, clock Clock, templates *Templates) *Service {
	store := storesUnion{stores.Couples, stores.CheckIns, stores.Answers, stores.Acknowledgements, stores.Schedules, stores.Outbox, stores.Commitments, stores.Agreements, stores.Records, stores.Paths}
	library, err := defaultLibrary()
	if err != nil {
		library = &Library{} // a test proves the built-in packs valid
	}
	return &Service{store: store, clock: clock, templates: templates, library: library, Window: DefaultWindow, DefaultTemplate: RebuildingTrustID,
		Grace: DefaultGrace, Reminders: []time.Duration{DefaultReminder}, MaxOpenCommitments: DefaultMaxOpenCommitments}
}

// Templates returns the templates this service offers.
func (s *Service) Templates() *Templates { return s.templates }

// Now returns the service's clock reading.
func (s *Service) Now() time.Time { return s.clock.Now() }

// Invite proposes a couple. The inviter consents by inviting; the couple stays
// pending until the invitee accepts, or the invitation expires.
func (s *Service) Invite(ctx context.Context, guildID string, inviter, invitee Partner, timeZone string) (Couple, error) {
	inviter.Name, invitee.Name = strings.TrimSpace(inviter.Name), strings.TrimSpace(invitee.Name)
	switch {
	case inviter.UserID == "" || invitee.UserID == "":
		return Couple{}, Errorf(EINVALID, "Both partners need to be named.")
	case inviter.UserID == invitee.UserID:
		return Couple{}, Errorf(EINVALID, "You can't invite yourself. Mend is for two partners together; invite the person you are rebuilding trust with.")
	case inviter.Name == "" || invitee.Name == "":
		return Couple{}, Errorf(EINVALID, "Both partners need a name to show in check-ins.")
	}
	loc, err := LoadZone(timeZone)
	if err != nil {
		return Couple{}, err
	}
	now := s.clock.Now()
	for _, p := range []Partner{inviter, invitee} {
		existing, err := s.store.CoupleOf(ctx, guildID, p.UserID)
		if err == nil && !existing.Expired(now) {
			return Couple{}, coupleTaken(existing, p, inviter, invitee, loc)
		}
		if err != nil && ErrorCode(err) != ENOTFOUND {
			return Couple{}, fmt.Errorf("look up couple of %s: %w", p.UserID, err)
		}
	}
	if err := s.declineCooldown(ctx, guildID, inviter, invitee, now, loc); err != nil {
		return Couple{}, err
	}
	inviter.ConsentedAt, invitee.ConsentedAt = now, time.Time{}
	c := Couple{GuildID: guildID, Partners: [2]Partner{inviter, invitee}, Status: CouplePending, TimeZone: timeZone, CreatedAt: now,
		ExpiresAt: now.Add(s.invitationExpiry())}
	if err := s.store.CreateCouple(ctx, &c); err != nil {
		return Couple{}, fmt.Errorf("create couple: %w", err)
	}
	return c, nil
}

// Accept records the invitee's consent and makes the couple active in its
// private channel.
func (s *Service) Accept(ctx context.Context, coupleID int64, userID, channelID string) (Couple, error) {
	c, err := s.Invitation(ctx, coupleID, userID)
	if err != nil {
		return Couple{}, err
	}
	if channelID == "" {
		return Couple{}, fmt.Errorf("accept couple %d: no channel", coupleID)
	}
	now := s.clock.Now()
	c.Partners[1].ConsentedAt = now
	c.Status = CoupleActive
	c.ChannelID = channelID
	var welcome *Post
	if s.Announce {
		welcome = &Post{CoupleID: c.ID, Kind: PostWelcome, CreatedAt: now, NextAttemptAt: now}
	}
	if err := s.store.UpdateCouple(ctx, c, welcome); err != nil {
		return Couple{}, fmt.Errorf("accept couple %d: %w", coupleID, err)
	}
	return c, nil
}

// Decline ends a pending invitation at the invitee's wish.
func (s *Service) Decline(ctx context.Context, coupleID int64, userID string) (Couple, error) {
	c, err := s.Invitation(ctx, coupleID, userID)
	if err != nil {
		return Couple{}, err
	}
	c.Status = CoupleEnded
	c.DeclinedAt = s.clock.Now()
	if err := s.store.UpdateCouple(ctx, c, nil); err != nil {
		return Couple{}, fmt.Errorf("decline couple %d: %w", coupleID, err)
	}
	return c, nil
}

// Invitation returns a pending couple for its invitee, who alone may answer it.
func (s *Service) Invitation(ctx context.Context, coupleID int64, userID string) (Couple, error) {
	c, err := s.loadCouple(ctx, coupleID)
	if err != nil {
		return Couple{}, err
	}
	if c.Partners[1].UserID != userID {
		return Couple{}, Errorf(EUNAUTHORIZED, "Only %s can answer this invitation.", c.Partners[1].Name)
	}
	if c.Status != CouplePending {
		return Couple{}, invitationClosed(c)
	}
	if c.Expired(s.clock.Now()) {
		return Couple{}, invitationExpired(c, c.ExpiresAt.Sub(c.CreatedAt))
	}
	return c, nil
}

// Leave ends a couple at the wish of either partner. Nothing is deleted.
func (s *Service) Leave(ctx context.Context, by Actor, coupleID int64) (Couple, error) {
	c, err := s.loadCouple(ctx, coupleID)
	if err != nil {
		return Couple{}, err
	}
	if !c.IsPartner(by.UserID) || c.GuildID != by.GuildID {
		return Couple{}, Errorf(EUNAUTHORIZED, "Only the two partners of this couple can end it, in the server they use Mend in.")
	}
	switch c.Status {
	case CoupleEnded:
		return Couple{}, ErrCoupleEnded
	case CouplePending:
		// Ending an invitation is its own answer: a decline starts the
		// cooldown, a withdrawal says who took it back.
		return Couple{}, Errorf(ECONFLICT, "This invitation has not been accepted yet, so there is no couple to leave: %s can decline it, and %s can withdraw it.", c.Partners[1].Name, c.Partners[0].Name)
	}
	c.Status = CoupleEnded
	if err := s.store.UpdateCouple(ctx, c, nil); err != nil {
		return Couple{}, fmt.Errorf("leave couple %d: %w", coupleID, err)
	}
	return c, nil
}

// ErrCoupleEnded answers a partner who leaves a couple that has ended.
var ErrCoupleEnded = Errorf(ECONFLICT, "This couple has already ended.")

func (s *Service) loadCouple(ctx context.Context, coupleID int64) (Couple, error) {
	c, err := s.store.Couple(ctx, coupleID)
	if ErrorCode(err) == ENOTFOUND {
		return Couple{}, Errorf(ENOTFOUND, "That couple no longer exists on Mend.")
	}
	if err != nil {
		return Couple{}, fmt.Errorf("load couple %d: %w", coupleID, err)
	}
	return c, nil
}

// CoupleOfSystem returns a couple for Mend's own work, without a partner's
// authorization; callers check the person themselves.
func (s *Service) CoupleOfSystem(ctx context.Context, coupleID int64) (Couple, error) {
	return s.loadCouple(ctx, coupleID)
}

// CoupleByChannel returns the couple whose private channel this is.
func (s *Service) CoupleByChannel(ctx context.Context, channelID string) (Couple, error) {
	c, err := s.store.CoupleByChannel(ctx, channelID)
	if err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return Couple{}, Errorf(ENOTFOUND, "This channel does not belong to a couple.")
		}
		return Couple{}, fmt.Errorf("look up couple of channel %s: %w", channelID, err)
	}
	return c, nil
}

// CoupleOfCheckIn returns the couple a check-in belongs to.
func (s *Service) CoupleOfCheckIn(ctx context.Context, ci CheckIn) (Couple, error) {
	return s.loadCouple(ctx, ci.CoupleID)
}

// CoupleOf returns the pending or active couple of a user in a guild. An
// invitation that expired is no couple any more.
func (s *Service) CoupleOf(ctx context.Context, guildID, userID string) (Couple, error) {
	c, err := s.store.CoupleOf(ctx, guildID, userID)
	if err == nil && c.Expired(s.clock.Now()) {
		return Couple{}, expiredCouple(c, userID)
	}
	if err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return Couple{}, Errorf(ENOTFOUND, "You are not in a couple here yet.")
		}
		return Couple{}, fmt.Errorf("look up couple of %s: %w", userID, err)
	}
	return c, nil
}

// RenamePartner changes the name a partner is shown under.
func (s *Service) RenamePartner(ctx context.Context, coupleID int64, userID, name string) (Couple, error) {
	c, err := s.store.Couple(ctx, coupleID)
	if err != nil {
		return Couple{}, fmt.Errorf("load couple %d: %w", coupleID, err)
	}
	i := c.PartnerIndex(userID)
	name = strings.TrimSpace(name)
	switch {
	case i < 0:
		return Couple{}, Errorf(EUNAUTHORIZED, "Only the partners of this couple can change their names.")
	case name == "":
		return Couple{}, Errorf(EINVALID, "A name can't be empty.")
	case c.Partners[i].Name == name:
		return c, nil
	}
	c.Partners[i].Name = name
	if err := s.store.UpdateCouple(ctx, c, nil); err != nil {
		return Couple{}, fmt.Errorf("rename partner of couple %d: %w", coupleID, err)
	}
	return c, nil
}

// LoadZone resolves an IANA time zone name, with an error a partner can act on.
func LoadZone(name string) (*time.Location, error) {
	if strings.TrimSpace(name) == "" || strings.EqualFold(name, "local") {
		return nil, Errorf(EINVALID, "Please name a time zone such as Europe/Berlin or America/New_York.")
	}
	loc, err := loadLocation(name)
	if err != nil {
		return nil, Errorf(EINVALID, "%q is not a time zone Mend knows. Time zones are written like Europe/Berlin, America/New_York or Asia/Tokyo.", name)
	}
	return loc, nil
}

// OpenCheckIn starts a check-in for an active couple. Open commitments and active
// agreements become review steps, fixed for the life of the check-in.
func (s *Service) OpenCheckIn(ctx context.Context, coupleID int64, templateID string) (CheckIn, error) {
	couple, err := s.store.Couple(ctx, coupleID)
	if err != nil {
		return CheckIn{}, fmt.Errorf("load couple %d: %w", coupleID, err)
	}
	if couple.Status != CoupleActive {
		return CheckIn{}, Errorf(ECONFLICT, "Check-ins start once both partners have accepted.")
	}
	if templateID == "" {
		templateID = s.DefaultTemplate
	}
	t, ok := s.templates.Get(templateID)
	if !ok {
		ids := []string{}
		for _, t := range s.templates.List() {
			ids = append(ids, t.ID)
		}
		return CheckIn{}, Errorf(EINVALID, "There is no template called %q. The templates are: %s.", templateID, strings.Join(ids, ", "))
	}
	now := s.clock.Now()
	subjects, err := s.subjects(ctx, coupleID, t, couple.Today(now))
	if err != nil {
		return CheckIn{}, err
	}
	ci := CheckIn{
		CoupleID: coupleID,
		Template: t,
		Subjects: subjects,
		Participants: [2]Participant{
			{UserID: couple.Partners[0].UserID, Status: NotStarted},
			{UserID: couple.Partners[1].UserID, Status: NotStarted},
		},
		Status:   CheckInOpen,
		OpenedAt: now,
		ClosesAt: now.Add(s.Window),
	}
	if err := s.drawWeekFor(ctx, &ci); err != nil {
		return CheckIn{}, err
	}
	var post *Post
	if s.Announce {
		post = &Post{CoupleID: coupleID, Kind: PostCheckIn, CreatedAt: now, NextAttemptAt: now}
	}
	// The store's error already says it was opening a check-in for the couple.
	if err := s.store.OpenCheckIn(ctx, &ci, post); err != nil {
		return CheckIn{}, err
	}
	return ci, nil
}

func (s *Service) subjects(ctx context.Context, coupleID int64, t Template, date string) ([]Subject, error) {
	commitments, err := s.store.OpenCommitments(ctx, coupleID)
	if err != nil {
		return nil, fmt.Errorf("list open commitments of couple %d: %w", coupleID, err)
	}
	agreements, err := s.store.ActiveAgreements(ctx, coupleID)
	if err != nil {
		return nil, fmt.Errorf("list agreements of couple %d: %w", coupleID, err)
	}
	return subjectsOf(t, commitments, agreements, date), nil
}

// subjectsOf lays out the review steps of a template for a check-in opening
// on date: each open commitment that is due by then (one due later is coming
// up, not asked about yet) and each agreement in force (agreed by both, and
// not yet agreed to retire), for each review prompt of its kind.
func subjectsOf(t Template, commitments []Commitment, agreements []Agreement, date string) []Subject {
	var out []Subject
	for _, p := range t.Prompts {
		switch p.Kind {
		case KindCommitmentReview:
			for _, c := range commitments {
				if c.Status != CommitmentOpen || c.DueAfter(date) {
					continue
				}
				out = append(out, Subject{PromptID: p.ID, Kind: SubjectCommitment, ID: c.ID, Text: c.Text, OwnerID: c.OwnerID})
			}
		case KindAgreementReview:
			for _, a := range agreements {
				if !a.InForce() {
					continue
				}
				out = append(out, Subject{PromptID: p.ID, Kind: SubjectAgreement, ID: a.ID, Text: a.Text})
			}
		}
	}
	return out
}

// CurrentCheckIn returns the couple's check-in that is open for answers now.
func (s *Service) CurrentCheckIn(ctx context.Context, coupleID int64) (CheckIn, error) {
	ci, err := s.store.LatestOpenCheckIn(ctx, coupleID)
	if err != nil {
		return CheckIn{}, fmt.Errorf("find open check-in of couple %d: %w", coupleID, err)
	}
	if ci.StatusAt(s.clock.Now()) != CheckInOpen {
		return CheckIn{}, Errorf(ENOTFOUND, "There is no check-in open right now.")
	}
	return ci, nil
}

// checkInOfSystem returns a check-in and its couple without a partner's
// authorization, for Mend's own work (sending a queued post), never for a
// request that comes from a person.
func (s *Service) checkInOfSystem(ctx context.Context, checkInID int64) (CheckIn, Couple, error) {
	ci, err := s.store.CheckIn(ctx, checkInID)
	if err != nil {
		return CheckIn{}, Couple{}, fmt.Errorf("load check-in %d: %w", checkInID, err)
	}
	couple, err := s.loadCouple(ctx, ci.CoupleID)
	return ci, couple, err
}

// commitmentOfSystem returns a commitment and its couple for Mend's own work.
func (s *Service) commitmentOfSystem(ctx context.Context, commitmentID int64) (Commitment, Couple, error) {
	c, err := s.store.Commitment(ctx, commitmentID)
	if err != nil {
		return Commitment{}, Couple{}, fmt.Errorf("load commitment %d: %w", commitmentID, err)
	}
	couple, err := s.loadCouple(ctx, c.CoupleID)
	return c, couple, err
}

// CheckIn returns a check-in for one of its partners.
func (s *Service) CheckIn(ctx context.Context, checkInID int64, userID string) (CheckIn, Couple, error) {
	ci, err := s.store.CheckIn(ctx, checkInID)
	if err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return CheckIn{}, Couple{}, Errorf(ENOTFOUND, "That check-in no longer exists.")
		}
		return CheckIn{}, Couple{}, fmt.Errorf("load check-in %d: %w", checkInID, err)
	}
	couple, err := s.store.Couple(ctx, ci.CoupleID)
	if err != nil {
		return CheckIn{}, Couple{}, fmt.Errorf("load couple of check-in %d: %w", checkInID, err)
	}
	if !couple.IsPartner(userID) {
		return CheckIn{}, Couple{}, Errorf(EUNAUTHORIZED, "This check-in belongs to two other people, so Mend can't show it to you.")
	}
	return ci, couple, nil
}

// Begin starts or resumes a partner's check-in and returns where they are. It
// is what a "Start my check-in" button calls, as often as it is pressed.
func (s *Service) Begin(ctx context.Context, by Actor, checkInID int64) (Step, error) {
	userID := by.UserID
	ci, couple, err := s.checkInFor(ctx, by, checkInID)
	if err != nil {
		return Step{}, err
	}
	answers, err := s.store.Answers(ctx, checkInID)
	if err != nil {
		return Step{}, fmt.Errorf("load answers of check-in %d: %w", checkInID, err)
	}
	step := stepFor(ci, couple, answers, userID)
	p, _ := ci.Participant(userID)
	if ci.Status == CheckInRevealed || (step.Done && p.Status == Done) {
		return s.settle(ctx, step)
	}
	if err := s.Answerable(ci, couple); err != nil {
		return Step{}, err
	}
	// Even with every step answered (or none to answer, when a template
	// holds only reviews and there is nothing to review), the partner is
	// still answering until they send: they reread first.
	if p.Status != InProgress {
		if p.StartedAt.IsZero() {
			p.StartedAt = s.clock.Now()
		}
		p.Status = InProgress
		if err := s.store.SaveParticipant(ctx, checkInID, p); err != nil {
			return Step{}, fmt.Errorf("start check-in %d: %w", checkInID, err)
		}
		step.CheckIn.setParticipant(p)
		step.StatusChanged = true
	}
	return s.markFull(ctx, step)
}

// Current returns where a partner is, without changing anything.
func (s *Service) Current(ctx context.Context, by Actor, checkInID int64) (Step, error) {
	userID := by.UserID
	ci, couple, err := s.checkInFor(ctx, by, checkInID)
	if err != nil {
		return Step{}, err
	}
	answers, err := s.store.Answers(ctx, checkInID)
	if err != nil {
		return Step{}, fmt.Errorf("load answers of check-in %d: %w", checkInID, err)
	}
	return s.markFull(ctx, stepFor(ci, couple, answers, userID))
}

// Answer records a partner's answer to the step named by key, which must be the
// step they are on: a stale button from an earlier step is refused, not applied
// to the wrong question.
func (s *Service) Answer(ctx context.Context, by Actor, checkInID int64, key StepKey, in AnswerInput) (Step, error) {
	return s.record(ctx, by, checkInID, key, false, in)
}

// Skip passes over an optional step.
func (s *Service) Skip(ctx context.Context, by Actor, checkInID int64, key StepKey) (Step, error) {
	return s.record(ctx, by, checkInID, key, true, AnswerInput{})
}

func (s *Service) record(ctx context.Context, by Actor, checkInID int64, key StepKey, skip bool, in AnswerInput) (Step, error) {
	userID := by.UserID
	ci, couple, answers, err := s.answerable(ctx, by, checkInID)
	if err != nil {
		return Step{}, err
	}
	step, err := stepAt(ci, couple, answers, userID, key)
	if err != nil {
		var stale *StaleStepError
		if errors.As(err, &stale) {
			if stale.Step, err = s.markFull(ctx, stale.Step); err != nil {
				return Step{}, err
			}
			return Step{}, stale
		}
		return Step{}, err
	}
	full := false
	if step.Item.Prompt.Kind == KindNewCommitment {
		if full, err = s.commitmentsFull(ctx, couple.ID, userID, key); err != nil {
			return Step{}, err
		}
	}
	now := s.clock.Now()
	a := Answer{CheckInID: checkInID, UserID: userID, PromptID: key.PromptID, SubjectID: key.SubjectID, AnsweredAt: now}
	if skip {
		// A partner with no room for another commitment may pass over even
		// a required new-commitment question: it cannot be answered.
		if !step.Item.Prompt.Optional && !full {
			return Step{}, Errorf(EINVALID, "This question can't be skipped, but a few words are enough.")
		}
		a.Skipped = true
	} else {
		norm, err := step.Item.Prompt.normalize(in, now.In(couple.Location()))
		if err != nil {
			return Step{}, err
		}
		if full {
			return Step{}, s.roomForCommitment(ctx, couple.ID, userID, key, norm.Text)
		}
		a.Scale, a.Choice, a.Text, a.Verdict, a.Note, a.DueOn = norm.Scale, norm.Choice, norm.Text, norm.Verdict, norm.Note, norm.DueOn
	}
	p, _ := ci.Participant(userID)
	before := p.Status
	if p.StartedAt.IsZero() {
		p.StartedAt = now
	}
	p.Status = InProgress
	if err := s.store.SaveAnswer(ctx, a, p); err != nil {
		return Step{}, fmt.Errorf("save answer %s of check-in %d: %w", key, checkInID, err)
	}
	ci.setParticipant(p)
	next := stepFor(ci, couple, replaceAnswer(answers, a), userID)
	next.StatusChanged = p.Status != before
	next.ShowSafetyNote = step.Item.Prompt.asksForSafetyNote(a)
	return s.markFull(ctx, next)
}

// settle reveals a check-in whose partners are both done. It runs on every
// visit of a finished partner, so a crash between the last answer and the
// reveal heals itself the next time anyone looks.
func (s *Service) settle(ctx context.Context, step Step) (Step, error) {
	if step.CheckIn.Status != CheckInOpen || step.Couple.Status != CoupleActive {
		return step, nil
	}
	// step.CheckIn was read before this partner's answer was saved, so the
	// other partner may have finished since. Read it again: of two partners
	// finishing at once, the one whose save came second then sees both done.
	ci, err := s.store.CheckIn(ctx, step.CheckIn.ID)
	if err != nil {
		return Step{}, fmt.Errorf("reload check-in %d: %w", step.CheckIn.ID, err)
	}
	step.CheckIn = ci
	revealed, err := s.revealIfDone(ctx, ci)
	if err != nil {
		return Step{}, err
	}
	if revealed {
		step.CheckIn.Status, step.CheckIn.RevealedAt = CheckInRevealed, s.clock.Now()
		step.JustRevealed = true
	}
	return step, nil
}

// revealIfDone reveals an open check-in whose partners have both finished,
// recording the commitments made in it; it reports whether this call did.
func (s *Service) revealIfDone(ctx context.Context, ci CheckIn) (bool, error) {
	if ci.Status != CheckInOpen || ci.Participants[0].Status != Done || ci.Participants[1].Status != Done {
		return false, nil
	}
	answers, err := s.store.Answers(ctx, ci.ID)
	if err != nil {
		return false, fmt.Errorf("load answers of check-in %d: %w", ci.ID, err)
	}
	var made []Commitment
	for _, a := range answers {
		p, ok := ci.Template.Prompt(a.PromptID)
		if !ok || p.Kind != KindNewCommitment || a.Skipped {
			continue
		}
		made = append(made, Commitment{CoupleID: ci.CoupleID, OwnerID: a.UserID, Text: a.Text, DueOn: a.DueOn, Status: CommitmentOpen, CreatedAt: a.AnsweredAt, SourceCheckInID: ci.ID})
	}
	now := s.clock.Now()
	post := Post{CoupleID: ci.CoupleID, Kind: PostReveal, CheckInID: ci.ID, CreatedAt: now, NextAttemptAt: now}
	revealed, err := s.store.RevealCheckIn(ctx, ci.ID, now, made, post)
	if err != nil {
		return false, fmt.Errorf("reveal check-in %d: %w", ci.ID, err)
	}
	return revealed, nil
}

// Pause records that a partner asked for a break. Both partners see it in the
// status; answering again, or pressing Start, resumes.
func (s *Service) Pause(ctx context.Context, by Actor, checkInID int64) (CheckIn, error) {
	userID := by.UserID
	ci, couple, err := s.checkInFor(ctx, by, checkInID)
	if err != nil {
		return CheckIn{}, err
	}
	if err := s.Answerable(ci, couple); err != nil {
		return CheckIn{}, err
	}
	p, _ := ci.Participant(userID)
	switch p.Status {
	case Done:
		return CheckIn{}, Errorf(ECONFLICT, "You have already finished this check-in, so there is nothing to pause.")
	case Paused:
		return ci, nil
	}
	p.Status, p.PausedAt = Paused, s.clock.Now()
	if err := s.store.SaveParticipant(ctx, checkInID, p); err != nil {
		return CheckIn{}, fmt.Errorf("pause check-in %d: %w", checkInID, err)
	}
	ci.setParticipant(p)
	return ci, nil
}

// Reveal returns both partners' answers of a revealed check-in to one of them.
func (s *Service) Reveal(ctx context.Context, checkInID int64, viewerID string) (Reveal, error) {
	ci, couple, err := s.CheckIn(ctx, checkInID, viewerID)
	if err != nil {
		return Reveal{}, err
	}
	if ci.Status != CheckInRevealed {
		return Reveal{}, Errorf(ECONFLICT, "The answers are shared only when you have both finished, so that nobody answers in reaction to the other.")
	}
	answers, err := s.store.Answers(ctx, checkInID)
	if err != nil {
		return Reveal{}, fmt.Errorf("load answers of check-in %d: %w", checkInID, err)
	}
	acks, err := s.store.Acknowledgements(ctx, checkInID)
	if err != nil {
		return Reveal{}, fmt.Errorf("load acknowledgements of check-in %d: %w", checkInID, err)
	}
	talks, err := s.store.Talks(ctx, checkInID)
	if err != nil {
		return Reveal{}, fmt.Errorf("load talks of check-in %d: %w", checkInID, err)
	}
	r := NewReveal(ci, couple, answers)
	r.Acks, r.Talks = acks, talks
	return r, nil
}

// revealOfSystem returns a revealed check-in for Mend's own work (posting it).
func (s *Service) revealOfSystem(ctx context.Context, checkInID int64) (Reveal, error) {
	_, couple, err := s.checkInOfSystem(ctx, checkInID)
	if err != nil {
		return Reveal{}, err
	}
	return s.Reveal(ctx, checkInID, couple.Partners[0].UserID)
}

// Acknowledge records that viewerID heard the words the partner at position
// authorPosition wrote for an acknowledgeable prompt of a revealed check-in,
// or thanked them for owning what they wrote, as the prompt allows. Only the
// other partner can acknowledge; doing it twice changes nothing.
func (s *Service) Acknowledge(ctx context.Context, by Actor, checkInID int64, promptID string, authorPosition int) (Reveal, error) {
	if _, _, err := s.checkInFor(ctx, by, checkInID); err != nil {
		return Reveal{}, err
	}
	viewerID := by.UserID
	r, err := s.Reveal(ctx, checkInID, viewerID)
	if err != nil {
		return Reveal{}, err
	}
	if authorPosition != 0 && authorPosition != 1 {
		return Reveal{}, Errorf(EINVALID, "That answer is not part of this check-in.")
	}
	if r.Couple.Status != CoupleActive {
		return Reveal{}, Errorf(ECONFLICT, "This couple is no longer using Mend together, so nothing more is recorded or shown.")
	}
	author := r.Couple.Partners[authorPosition]
	var answer *Answer
	var kind AckKind
	for _, row := range r.Rows {
		if row.Item.Prompt.ID == promptID && row.Item.Prompt.AckKind() != "" {
			answer, kind = row.Answers[authorPosition], row.Item.Prompt.AckKind()
		}
	}
	if author.UserID == viewerID && kind != "" {
		return Reveal{}, Errorf(EUNAUTHORIZED, "%s", kind.onlyTheOther(r.Couple.Other(viewerID).Name))
	}
	if answer == nil || answer.Skipped {
		return Reveal{}, Errorf(EINVALID, "There is nothing to acknowledge there.")
	}
	if r.Acknowledged(promptID, author.UserID) {
		return r, nil
	}
	ack := Acknowledgement{CheckInID: checkInID, PromptID: promptID, Kind: kind, AuthorID: author.UserID, ByUserID: viewerID, At: s.clock.Now()}
	if err := s.store.SaveAcknowledgement(ctx, ack); err != nil {
		return Reveal{}, fmt.Errorf("acknowledge %s in check-in %d: %w", promptID, checkInID, err)
	}
	r.Acks = append(r.Acks, ack)
	return r, nil
}

// SetCheckInPosts records the channel messages of a check-in: its status post
// and the first message of its reveal. An empty ID leaves that one unchanged.
func (s *Service) SetCheckInPosts(ctx context.Context, checkInID int64, postID, revealPostID string) error {
	if err := s.store.SetCheckInPosts(ctx, checkInID, postID, revealPostID); err != nil {
		return fmt.Errorf("record posts of check-in %d: %w", checkInID, err)
	}
	return nil
}

// Remaining lists what a partner has not answered yet in a check-in.
func (s *Service) Remaining(ctx context.Context, checkInID int64, userID string) ([]Item, error) {
	ci, _, err := s.CheckIn(ctx, checkInID, userID)
	if err != nil {
		return nil, err
	}
	answers, err := s.store.Answers(ctx, checkInID)
	if err != nil {
		return nil, fmt.Errorf("load answers of check-in %d: %w", checkInID, err)
	}
	return ci.Remaining(answers, userID), nil
}

// Answerable explains why a check-in takes no more answers, or returns nil.
func (s *Service) Answerable(ci CheckIn, couple Couple) error {
	if couple.Status != CoupleActive {
		return Errorf(ECONFLICT, "This couple is no longer using Mend together, so nothing more is recorded or shown.")
	}
	switch ci.StatusAt(s.clock.Now()) {
	case CheckInRevealed:
		return Errorf(ECONFLICT, "This check-in is finished and both sets of answers have been shared.")
	case CheckInClosed:
		closed := ci.ClosesAt.In(couple.Location()).Format("Mon 2 Jan 15:04 MST")
		return Errorf(ECONFLICT, "This check-in closed on %s. Everything you answered is kept; the next check-in will come with your schedule, or start one now.", closed)
	}
	return nil
}

// AddCommitment records a promise a partner makes outside a check-in.
func (s *Service) AddCommitment(ctx context.Context, coupleID int64, userID, text, dueOn string) (Commitment, error) {
	couple, err := s.activeCouple(ctx, coupleID, userID)
	if err != nil {
		return Commitment{}, err
	}
	now := s.clock.Now()
	text, err = cleanText(text, DefaultCommitmentLength, "commitment")
	if err != nil {
		return Commitment{}, err
	}
	if dueOn != "" {
		if dueOn, err = ValidateDueDate(dueOn, now.In(couple.Location())); err != nil {
			return Commitment{}, err
		}
	}
	if err := s.roomForCommitment(ctx, coupleID, userID, StepKey{}, text); err != nil {
		return Commitment{}, err
	}
	c := Commitment{CoupleID: coupleID, OwnerID: userID, Text: text, DueOn: dueOn, Status: CommitmentOpen, CreatedAt: now}
	if err := s.store.AddCommitment(ctx, &c); err != nil {
		return Commitment{}, fmt.Errorf("add commitment to couple %d: %w", coupleID, err)
	}
	return c, nil
}

func (s *Service) activeCouple(ctx context.Context, coupleID int64, userID string) (Couple, error) {
	c, err := s.store.Couple(ctx, coupleID)
	if err != nil {
		return Couple{}, fmt.Errorf("load couple %d: %w", coupleID, err)
	}
	if !c.IsPartner(userID) {
		return Couple{}, Errorf(EUNAUTHORIZED, "Only the two partners of this couple can do that.")
	}
	if c.Status != CoupleActive {
		return Couple{}, Errorf(ECONFLICT, "This couple is not active: both partners need to have accepted.")
	}
	return c, nil
}

func (c *CheckIn) setParticipant(p Participant) {
	for i := range c.Participants {
		if c.Participants[i].UserID == p.UserID {
			c.Participants[i] = p
		}
	}
}

// stepFor finds the first step the partner has not answered.
func stepFor(ci CheckIn, couple Couple, answers []Answer, userID string) Step {
	items := ci.Items()
	answered := map[StepKey]bool{}
	var own []Answer
	for _, a := range answers {
		if a.UserID == userID {
			answered[a.Key()] = true
			own = append(own, a)
		}
	}
	p, _ := ci.Participant(userID)
	step := Step{CheckIn: ci, Couple: couple, UserID: userID, Total: len(items), Index: len(items), Done: true,
		Sent: p.Status == Done, Items: items, Answers: own}
	for i, it := range items {
		if !answered[it.Key()] {
			step.Item, step.Index, step.Done = it, i, false
			break
		}
	}
	return step
}

// stepAt returns the step with key for answering: the one the partner is on,
// or, while they reread before sending, any step they answered. Anything else
// (an old message, a double click, a change after sending) is stale.
func stepAt(ci CheckIn, couple Couple, answers []Answer, userID string, key StepKey) (Step, error) {
	step := stepFor(ci, couple, answers, userID)
	if !step.Done && step.Item.Key() == key {
		return step, nil
	}
	if step.Done && !step.Sent {
		for i, it := range step.Items {
			if it.Key() != key {
				continue
			}
			revising := step
			revising.Item, revising.Index, revising.Done, revising.Revising = it, i, false, true
			for j := range step.Answers {
				if step.Answers[j].Key() == key {
					revising.Previous = &step.Answers[j]
				}
			}
			return revising, nil
		}
	}
	return Step{}, &StaleStepError{Step: step}
}

// replaceAnswer returns answers with a in place of an earlier answer of the
// same partner to the same step.
func replaceAnswer(answers []Answer, a Answer) []Answer {
	out := make([]Answer, 0, len(answers)+1)
	for _, old := range answers {
		if old.UserID != a.UserID || old.Key() != a.Key() {
			out = append(out, old)
		}
	}
	return append(out, a)
}

// storesUnion lets the service reach every store through one value while its
// methods move to the aggregates that own them.
type storesUnion struct {
	CoupleStore
	CheckInStore
	AnswerStore
	AcknowledgementStore
	ScheduleStore
	OutboxStore
	CommitmentStore
	AgreementStore
	RecordStore
	PathStore
}
