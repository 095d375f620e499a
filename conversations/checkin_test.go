package conversations

import (
	"strings"
	"testing"
	"time"
)

// reviewCheckIn is a check-in with every kind of prompt and subjects for both
// review prompts, listed out of prompt order.
func reviewCheckIn() CheckIn {
	return CheckIn{
		ID: 1,
		Template: Template{ID: "weekly", Prompts: []Prompt{
			{ID: "mood", Kind: KindScale},
			{ID: "promises", Kind: KindCommitmentReview},
			{ID: "words", Kind: KindText},
			{ID: "rules", Kind: KindAgreementReview},
			{ID: "next", Kind: KindNewCommitment},
		}},
		Subjects: []Subject{
			{PromptID: "rules", Kind: SubjectAgreement, ID: 21, Text: "Open about money"},
			{PromptID: "promises", Kind: SubjectCommitment, ID: 11, Text: "Home by 7", OwnerID: "alice"},
			{PromptID: "promises", Kind: SubjectCommitment, ID: 12, Text: "Phone away at dinner", OwnerID: "bob"},
		},
		Participants: [2]Participant{{UserID: "alice", Status: NotStarted}, {UserID: "bob", Status: NotStarted}},
		Status:       CheckInOpen,
	}
}

func itemKeys(items []Item) string {
	keys := make([]string, len(items))
	for i, it := range items {
		keys[i] = it.Key().String()
	}
	return strings.Join(keys, " ")
}

func TestItemsExpandReviewsPerSubjectInOrder(t *testing.T) {
	t.Parallel()
	ci := reviewCheckIn()

	items := ci.Items()

	if got, want := itemKeys(items), "mood promises/11 promises/12 words rules/21 next"; got != want {
		t.Fatalf("Items() = %s, want %s", got, want)
	}
	if s := items[2].Subject; s == nil || s.Text != "Phone away at dinner" || s.OwnerID != "bob" {
		t.Errorf("item promises/12 has subject %+v, want bob's commitment", s)
	}
	if items[0].Subject != nil {
		t.Errorf("a plain prompt has subject %+v, want none", items[0].Subject)
	}
}

func TestItemsDropReviewsWithNothingToReview(t *testing.T) {
	t.Parallel()
	ci := reviewCheckIn()
	ci.Subjects = nil

	if got, want := itemKeys(ci.Items()), "mood words next"; got != want {
		t.Errorf("Items() = %s, want %s", got, want)
	}
}

func TestItemsIgnoreSubjectsOfOtherPrompts(t *testing.T) {
	t.Parallel()
	ci := reviewCheckIn()
	ci.Subjects = append(ci.Subjects, Subject{PromptID: "gone", Kind: SubjectCommitment, ID: 99})

	if got, want := itemKeys(ci.Items()), "mood promises/11 promises/12 words rules/21 next"; got != want {
		t.Errorf("Items() = %s, want %s", got, want)
	}
}

func TestItemsOfTemplateWithOnlyReviewsAndNoSubjectsAreEmpty(t *testing.T) {
	t.Parallel()
	ci := CheckIn{Template: Template{ID: "reviews", Prompts: []Prompt{
		{ID: "promises", Kind: KindCommitmentReview},
		{ID: "rules", Kind: KindAgreementReview},
	}}}

	if items := ci.Items(); len(items) != 0 {
		t.Errorf("Items() = %s, want no steps", itemKeys(items))
	}
}

func TestStatusAtClosesExactlyWhenTheWindowEnds(t *testing.T) {
	t.Parallel()
	closes := time.Date(2025, time.March, 12, 18, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		status CheckInStatus
		now    time.Time
		want   CheckInStatus
	}{
		{"open before the end", CheckInOpen, closes.Add(-time.Nanosecond), CheckInOpen},
		{"open at the end", CheckInOpen, closes, CheckInClosed},
		{"open after the end", CheckInOpen, closes.Add(time.Hour), CheckInClosed},
		{"revealed after the end stays revealed", CheckInRevealed, closes.Add(time.Hour), CheckInRevealed},
		{"revealed before the end", CheckInRevealed, closes.Add(-time.Hour), CheckInRevealed},
		{"closed stays closed", CheckInClosed, closes.Add(-time.Hour), CheckInClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ci := CheckIn{Status: tt.status, ClosesAt: closes}
			if got := ci.StatusAt(tt.now); got != tt.want {
				t.Errorf("StatusAt() = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestStatusAtComparesInstantsNotZones(t *testing.T) {
	t.Parallel()
	closes := time.Date(2025, time.March, 12, 18, 0, 0, 0, time.UTC)
	ci := CheckIn{Status: CheckInOpen, ClosesAt: closes}
	// The same instant, written in a zone three hours ahead.
	now := closes.In(time.FixedZone("+03", 3*3600))
	if got := ci.StatusAt(now); got != CheckInClosed {
		t.Errorf("StatusAt() = %s, want %s", got, CheckInClosed)
	}
}

func TestCheckInParticipant(t *testing.T) {
	t.Parallel()
	ci := reviewCheckIn()
	ci.Participants[1].Status = Paused

	if p, ok := ci.Participant("bob"); !ok || p.Status != Paused {
		t.Errorf("Participant(bob) = %+v, %v", p, ok)
	}
	if _, ok := ci.Participant("mallory"); ok {
		t.Error("Participant(mallory) found a participant")
	}
}

func TestRemainingCountsOnlyThePartnersOwnAnswers(t *testing.T) {
	t.Parallel()
	ci := reviewCheckIn()
	answers := []Answer{
		{UserID: "alice", PromptID: "mood", Scale: 4},
		{UserID: "alice", PromptID: "promises", SubjectID: 11, Verdict: VerdictKept},
		{UserID: "bob", PromptID: "promises", SubjectID: 12, Verdict: VerdictKept},
		{UserID: "bob", PromptID: "words", Text: "hi"},
	}

	if got, want := itemKeys(ci.Remaining(answers, "alice")), "promises/12 words rules/21 next"; got != want {
		t.Errorf("Remaining(alice) = %s, want %s", got, want)
	}
	if got, want := itemKeys(ci.Remaining(answers, "bob")), "mood promises/11 rules/21 next"; got != want {
		t.Errorf("Remaining(bob) = %s, want %s", got, want)
	}
}

func TestStepForFindsFirstUnansweredStep(t *testing.T) {
	t.Parallel()
	ci := reviewCheckIn()
	answers := []Answer{
		{UserID: "alice", PromptID: "mood", Scale: 4},
		// Answered out of order (a replayed answer): the earlier gap comes first.
		{UserID: "alice", PromptID: "promises", SubjectID: 12, Verdict: VerdictKept},
		{UserID: "bob", PromptID: "promises", SubjectID: 11, Verdict: VerdictKept},
	}

	step := stepFor(ci, aliceAndBob(), answers, "alice")

	if step.Done || step.Item.Key() != (StepKey{PromptID: "promises", SubjectID: 11}) || step.Index != 1 || step.Total != 6 {
		t.Errorf("stepFor(alice) = key %s, index %d, total %d, done %v; want promises/11, 1 of 6", step.Item.Key(), step.Index, step.Total, step.Done)
	}
}

func TestStepForIsDoneWhenEverythingIsAnswered(t *testing.T) {
	t.Parallel()
	ci := reviewCheckIn()
	var answers []Answer
	for _, it := range ci.Items() {
		answers = append(answers, Answer{UserID: "bob", PromptID: it.Key().PromptID, SubjectID: it.Key().SubjectID, Skipped: true})
	}

	step := stepFor(ci, aliceAndBob(), answers, "bob")

	if !step.Done || step.Index != step.Total || step.Total != 6 {
		t.Errorf("stepFor(bob) = done %v, index %d, total %d; want done at 6 of 6", step.Done, step.Index, step.Total)
	}
}

func TestStepKeyString(t *testing.T) {
	t.Parallel()
	if got := (StepKey{PromptID: "mood"}).String(); got != "mood" {
		t.Errorf("String() = %q, want mood", got)
	}
	if got := (StepKey{PromptID: "promises", SubjectID: 12}).String(); got != "promises/12" {
		t.Errorf("String() = %q, want promises/12", got)
	}
}

func TestParticipantStatusLabel(t *testing.T) {
	t.Parallel()
	tests := map[ParticipantStatus]string{
		NotStarted: "not started",
		InProgress: "in progress",
		Paused:     "taking a break",
		Done:       "done",
		"odd":      "odd",
	}
	for status, want := range tests {
		if got := status.Label(); got != want {
			t.Errorf("%s.Label() = %q, want %q", status, got, want)
		}
	}
}

func TestSetParticipantReplacesOnlyThatPartner(t *testing.T) {
	t.Parallel()
	ci := reviewCheckIn()
	ci.setParticipant(Participant{UserID: "bob", Status: Done})
	if ci.Participants[0].Status != NotStarted || ci.Participants[1].Status != Done {
		t.Errorf("Participants = %+v, want alice not started and bob done", ci.Participants)
	}
}
