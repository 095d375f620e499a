package conversations

import (
	"context"
	"fmt"
	"strings"
)

// CheckIns are the check-ins of a couple as a whole: opening one, the one
// open now, its reveal, acknowledging and talking about what was revealed,
// and sharing the answers of one that closed.
type CheckIns struct{ *core }

// Open starts a check-in for an active couple. Open commitments and active
// agreements become review steps, fixed for the life of the check-in.
func (s *CheckIns) Open(ctx context.Context, by Actor, templateID string) (CheckIn, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return CheckIn{}, err
	}
	coupleID := couple.ID
	if templateID == "" {
		templateID = s.settings.DefaultTemplate
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
	boundaries, err := s.stores.Boundaries.Boundaries(ctx, coupleID)
	if err != nil {
		return CheckIn{}, fmt.Errorf("list boundaries of couple %d: %w", coupleID, err)
	}
	t, subjects = withBoundaryReviews(t, subjects, boundaries)
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
		ClosesAt: now.Add(s.settings.Window),
	}
	if err := s.drawWeekFor(ctx, &ci); err != nil {
		return CheckIn{}, err
	}
	var post *Post
	if s.settings.Announce {
		post = &Post{CoupleID: coupleID, Kind: PostCheckIn, CreatedAt: now, NextAttemptAt: now}
	}
	// The store's error already says it was opening a check-in for the couple.
	if err := s.stores.CheckIns.OpenCheckIn(ctx, &ci, post); err != nil {
		return CheckIn{}, err
	}
	return ci, nil
}

func (s *CheckIns) subjects(ctx context.Context, coupleID int64, t Template, date string) ([]Subject, error) {
	commitments, err := s.stores.Commitments.OpenCommitments(ctx, coupleID)
	if err != nil {
		return nil, fmt.Errorf("list open commitments of couple %d: %w", coupleID, err)
	}
	agreements, err := s.stores.Agreements.ActiveAgreements(ctx, coupleID)
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

// withBoundaryReviews adds to a template that reviews promises or agreements
// one optional step for each boundary standing, asked of its owner alone,
// after the last review. The template is a copy: the configured one is left
// as it is.
func withBoundaryReviews(t Template, subjects []Subject, boundaries []Boundary) (Template, []Subject) {
	at := -1
	for i, p := range t.Prompts {
		if p.Kind == KindCommitmentReview || p.Kind == KindAgreementReview {
			at = i
		}
		if p.ID == BoundaryReviewID {
			return t, subjects
		}
	}
	var more []Subject
	for _, b := range boundaries {
		if b.Status == BoundaryActive {
			more = append(more, Subject{PromptID: BoundaryReviewID, Kind: SubjectBoundary, ID: b.ID, Text: b.Text, OwnerID: b.OwnerID})
		}
	}
	if at < 0 || len(more) == 0 {
		return t, subjects
	}
	prompts := make([]Prompt, 0, len(t.Prompts)+1)
	prompts = append(prompts, t.Prompts[:at+1]...)
	prompts = append(prompts, boundaryReview)
	t.Prompts = append(prompts, t.Prompts[at+1:]...)
	return t, append(subjects, more...)
}

// Current returns the check-in open for answers now in the actor's couple.
func (s *CheckIns) Current(ctx context.Context, by Actor) (CheckIn, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return CheckIn{}, err
	}
	return s.currentCheckIn(ctx, couple.ID)
}

// Get returns a check-in and its couple for one of its partners, in the
// couple's channel.
func (s *CheckIns) Get(ctx context.Context, by Actor, checkInID int64) (CheckIn, Couple, error) {
	return s.checkInFor(ctx, by, checkInID)
}

// Status is where the actor's couple stands: the check-in open now, with the
// commitments it leaves for later, and a reveal that never reached the
// channel, to offer posting it again.
func (s *CheckIns) Status(ctx context.Context, by Actor) (CheckInOverview, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return CheckInOverview{}, err
	}
	st := CheckInOverview{Couple: couple, Now: s.clock.Now()}
	ci, err := s.currentCheckIn(ctx, couple.ID)
	switch {
	case err == nil:
		st.Open = &ci
		if st.ComingUp, err = s.comingUp(ctx, ci, couple); err != nil {
			return CheckInOverview{}, err
		}
	case ErrorCode(err) != ENOTFOUND:
		return CheckInOverview{}, err
	}
	undelivered, err := s.undeliveredReveal(ctx, couple.ID)
	switch {
	case err == nil:
		st.Undelivered = &undelivered
	case ErrorCode(err) != ENOTFOUND:
		return CheckInOverview{}, err
	}
	return st, nil
}

// Reveal returns both partners' answers of a revealed check-in to one of them.
func (s *CheckIns) Reveal(ctx context.Context, by Actor, checkInID int64) (Reveal, error) {
	if _, _, err := s.checkInFor(ctx, by, checkInID); err != nil {
		return Reveal{}, err
	}
	return s.reveal(ctx, checkInID, by.UserID)
}

// Acknowledge records that viewerID heard the words the partner at position
// authorPosition wrote for an acknowledgeable prompt of a revealed check-in,
// or thanked them for owning what they wrote, as the prompt allows. Only the
// other partner can acknowledge; doing it twice changes nothing.
func (s *CheckIns) Acknowledge(ctx context.Context, by Actor, checkInID int64, promptID string, authorPosition int) (Reveal, error) {
	if _, _, err := s.checkInFor(ctx, by, checkInID); err != nil {
		return Reveal{}, err
	}
	viewerID := by.UserID
	r, err := s.reveal(ctx, checkInID, viewerID)
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
	if err := s.stores.Acknowledgements.SaveAcknowledgement(ctx, ack); err != nil {
		return Reveal{}, fmt.Errorf("acknowledge %s in check-in %d: %w", promptID, checkInID, err)
	}
	r.Acks = append(r.Acks, ack)
	return r, nil
}

// MarkTalked records that the partners talked about a review they saw
// differently. Either partner can mark it; marking it again changes nothing.
func (s *CheckIns) MarkTalked(ctx context.Context, by Actor, checkInID int64, key StepKey) (Reveal, error) {
	if _, _, err := s.checkInFor(ctx, by, checkInID); err != nil {
		return Reveal{}, err
	}
	r, err := s.reveal(ctx, checkInID, by.UserID)
	if err != nil {
		return Reveal{}, err
	}
	if r.Couple.Status != CoupleActive {
		return Reveal{}, Errorf(ECONFLICT, "This couple is no longer using Mend together, so nothing more is recorded or shown.")
	}
	divergent := false
	for _, row := range r.Rows {
		if row.Item.Key() == key {
			divergent = row.Divergent
		}
	}
	if !divergent {
		return Reveal{}, Errorf(EINVALID, "Only a review you saw differently can be marked as talked about.")
	}
	if r.TalkedAbout(key) {
		return r, nil
	}
	talk := Talk{CheckInID: checkInID, PromptID: key.PromptID, SubjectID: key.SubjectID, ByUserID: by.UserID, At: s.clock.Now()}
	if err := s.stores.Acknowledgements.SaveTalk(ctx, talk); err != nil {
		return Reveal{}, fmt.Errorf("mark %s of check-in %d talked about: %w", key, checkInID, err)
	}
	r.Talks = append(r.Talks, talk)
	return r, nil
}

// ShareAnyway asks, for a partner who finished a check-in that closed
// before the other did, to show their answers: nothing is revealed then,
// and nothing is shown until the other partner says yes with AllowShare.
// It returns the couple, for the question to the other partner.
func (s *CheckIns) ShareAnyway(ctx context.Context, by Actor, checkInID int64) (Couple, error) {
	couple, err := s.shareable(ctx, by, checkInID, by.UserID)
	if err != nil {
		return Couple{}, err
	}
	asked, err := s.stores.CheckIns.AskShare(ctx, checkInID, by.UserID, s.clock.Now())
	if err != nil {
		return Couple{}, fmt.Errorf("ask to share answers of check-in %d: %w", checkInID, err)
	}
	if !asked {
		return Couple{}, Errorf(ECONFLICT, "You have already asked %s about these answers. Whether to see them is %s's choice, and Mend does not ask again.", couple.Other(by.UserID).Name, couple.Other(by.UserID).Name)
	}
	return couple, nil
}

// AllowShare is the other partner's "Yes, show them": the answers of the
// partner who asked to share are shown in the channel.
func (s *CheckIns) AllowShare(ctx context.Context, by Actor, checkInID int64) (Reveal, error) {
	sharer, couple, err := s.askedToShare(ctx, by, checkInID)
	if err != nil {
		return Reveal{}, err
	}
	now := s.clock.Now()
	post := Post{CoupleID: couple.ID, Kind: PostShare, CheckInID: checkInID, UserID: sharer, CreatedAt: now, NextAttemptAt: now}
	shared, err := s.stores.CheckIns.RecordShare(ctx, checkInID, sharer, now, post)
	if err != nil {
		return Reveal{}, fmt.Errorf("share answers of check-in %d: %w", checkInID, err)
	}
	if !shared {
		return Reveal{}, Errorf(ECONFLICT, "These answers are already shared.")
	}
	return s.sharedAnswers(ctx, checkInID, sharer)
}

// DeclineShare is the other partner's "Not now": nothing is shown, and the
// answers stay with the one who wrote them.
func (s *CheckIns) DeclineShare(ctx context.Context, by Actor, checkInID int64) (Couple, error) {
	_, couple, err := s.askedToShare(ctx, by, checkInID)
	return couple, err
}

// askedToShare returns the partner who asked the actor to see their answers
// of a closed check-in, once it is checked that they may still be shown.
func (s *CheckIns) askedToShare(ctx context.Context, by Actor, checkInID int64) (string, Couple, error) {
	_, couple, err := s.checkInFor(ctx, by, checkInID)
	if err != nil {
		return "", Couple{}, err
	}
	sharer := couple.Other(by.UserID)
	asked, err := s.stores.CheckIns.ShareAsked(ctx, checkInID, sharer.UserID)
	if err != nil {
		return "", Couple{}, err
	}
	if !asked {
		return "", Couple{}, Errorf(EUNAUTHORIZED, "This question is not yours to answer: only the partner who was asked whether to see the answers can.")
	}
	if _, err := s.shareable(ctx, Actor{UserID: sharer.UserID, GuildID: by.GuildID, ChannelID: by.ChannelID}, checkInID, sharer.UserID); err != nil {
		return "", Couple{}, err
	}
	return sharer.UserID, couple, nil
}

// shareable checks that userID's answers of a check-in may be shared: the
// couple still uses Mend, the check-in closed unrevealed, and they finished.
func (s *CheckIns) shareable(ctx context.Context, by Actor, checkInID int64, userID string) (Couple, error) {
	ci, couple, err := s.checkInFor(ctx, by, checkInID)
	if err != nil {
		return Couple{}, err
	}
	if couple.Status != CoupleActive {
		return Couple{}, Errorf(ECONFLICT, "This couple is no longer using Mend together, so nothing more is recorded or shown.")
	}
	if ci.StatusAt(s.clock.Now()) != CheckInClosed {
		return Couple{}, Errorf(ECONFLICT, "Sharing answers alone is for a check-in that closed before you had both finished.")
	}
	if p, _ := ci.Participant(userID); p.Status != Done {
		return Couple{}, Errorf(ECONFLICT, "You had not finished this check-in, so there are no finished answers to share.")
	}
	return couple, nil
}

// RepostReveal queues the reveal of a check-in again, for a reveal that never
// reached the channel.
func (s *CheckIns) RepostReveal(ctx context.Context, by Actor, checkInID int64) (CheckIn, error) {
	ci, couple, err := s.checkInFor(ctx, by, checkInID)
	if err != nil {
		return CheckIn{}, err
	}
	if couple.Status != CoupleActive {
		return CheckIn{}, Errorf(ECONFLICT, "This couple is no longer using Mend together, so nothing more is shown.")
	}
	if ci.Status != CheckInRevealed {
		return CheckIn{}, Errorf(ECONFLICT, "This check-in has not been revealed, so there is nothing to post again.")
	}
	if ci.RevealPostID != "" {
		return CheckIn{}, Errorf(ECONFLICT, "The answers of this check-in are already in your channel.")
	}
	pending, err := s.stores.Outbox.PostPending(ctx, couple.ID, PostReveal, ci.ID)
	if err != nil {
		return CheckIn{}, fmt.Errorf("look for the reveal post of check-in %d: %w", ci.ID, err)
	}
	if pending {
		return ci, nil
	}
	now := s.clock.Now()
	post := Post{CoupleID: couple.ID, Kind: PostReveal, CheckInID: ci.ID, CreatedAt: now, NextAttemptAt: now}
	if err := s.stores.Outbox.QueuePost(ctx, post); err != nil {
		return CheckIn{}, fmt.Errorf("queue the reveal of check-in %d again: %w", ci.ID, err)
	}
	return ci, nil
}

// undeliveredReveal returns the couple's latest revealed check-in when its
// reveal never reached the channel (it was given up, not merely waiting).
// When that reveal arrived or is on its way, or nothing was revealed yet, it
// returns ENOTFOUND: a nil error always comes with a check-in to post again.
func (s *CheckIns) undeliveredReveal(ctx context.Context, coupleID int64) (CheckIn, error) {
	recent, err := s.stores.CheckIns.CheckIns(ctx, coupleID, 20)
	if err != nil {
		return CheckIn{}, fmt.Errorf("list check-ins of couple %d: %w", coupleID, err)
	}
	for _, ci := range recent {
		if ci.Status != CheckInRevealed {
			continue
		}
		missing, err := s.revealMissing(ctx, ci)
		if err != nil {
			return CheckIn{}, err
		}
		if !missing {
			break
		}
		return ci, nil
	}
	return CheckIn{}, Errorf(ENOTFOUND, "Every reveal reached your channel.")
}
