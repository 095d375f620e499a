package conversations_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"mend/conversations"
)

// promise asks only for a new commitment, and does not let it be skipped.
var promise = conversations.Template{ID: "promise", Name: "Promise", Prompts: []conversations.Prompt{
	{ID: "new", Kind: conversations.KindNewCommitment, Text: "One concrete thing for next week?"},
}}

func (f *fixture) openCommitmentsOf(coupleID int64, owner string) int {
	f.t.Helper()
	open, err := f.db.Commitments.OpenCommitments(f.ctx, coupleID)
	if err != nil {
		f.t.Fatal(err)
	}
	n := 0
	for _, c := range open {
		if c.OwnerID == owner {
			n++
		}
	}
	return n
}

func TestEachPartnerKeepsTenOpenCommitmentsUnlessConfigured(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if f.app.Settings().MaxOpenCommitments != 10 {
		t.Errorf("open commitments per partner = %d, want 10", f.app.Settings().MaxOpenCommitments)
	}
}

func TestAPartnerAtTheLimitIsToldWhyAndGivenTheirWordsBack(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.configure(conversations.Settings{MaxOpenCommitments: 3})
	c := f.couple()
	var first conversations.Commitment
	for i := range 3 {
		cm := f.addCommitment(c.ID, alice, "Promise "+string(rune('A'+i)))
		if i == 0 {
			first = cm
		}
	}

	_, err := f.app.Commitments.Add(f.ctx, f.actor(c.ID, alice), "Call mum on Sundays", "")
	wantCode(t, "a fourth commitment", err, conversations.EINVALID)
	msg := conversations.ErrorMessage(err)
	for _, want := range []string{"You have 3 open commitments", "a check-in stays short", "Marking one done, or dropping one, makes room", "“Call mum on Sundays”"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the refusal %q does not say %q", msg, want)
		}
	}
	if n := f.openCommitmentsOf(c.ID, alice); n != 3 {
		t.Errorf("alice has %d open commitments after the refusal, want 3", n)
	}
	// The limit is each partner's own.
	f.addCommitment(c.ID, bob, "Cook on Fridays")

	if _, err := f.app.Commitments.Close(f.ctx, f.actor(c.ID, alice), first.ID, conversations.CommitmentDone); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.Commitments.Add(f.ctx, f.actor(c.ID, alice), "Call mum on Sundays", ""); err != nil {
		t.Errorf("after one was done there is room: %v", err)
	}
}

func TestCommitmentsWrittenInAnOpenCheckInCountTowardTheLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t, promise)
	f.configure(conversations.Settings{MaxOpenCommitments: 2})
	c := f.couple()
	f.addCommitment(c.ID, alice, "Home by 7 pm")
	ci := f.open(c.ID, promise.ID)
	f.finish(ci.ID, alice, byPrompt(map[string]conversations.AnswerInput{"new": {Text: "Walk every evening"}}))

	_, err := f.app.Commitments.Add(f.ctx, f.actor(c.ID, alice), "Call mum on Sundays", "")
	wantCode(t, "a commitment past one made in the open check-in", err, conversations.EINVALID)
}

func TestANewCommitmentStepAtTheLimitSaysSoAndMaySkip(t *testing.T) {
	t.Parallel()
	f := newFixture(t, promise)
	f.configure(conversations.Settings{MaxOpenCommitments: 1})
	c := f.couple()
	f.addCommitment(c.ID, alice, "Home by 7 pm")
	ci := f.open(c.ID, promise.ID)

	step, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if step.CommitmentLimit != 1 || !strings.Contains(step.FullNote(), "you can skip this question") {
		t.Errorf("alice's step: limit %d, note %q", step.CommitmentLimit, step.FullNote())
	}
	_, err = f.app.Turns.Answer(f.ctx, f.as(ci.ID, alice), ci.ID, step.Item.Key(), conversations.AnswerInput{Text: "Walk every evening"})
	wantCode(t, "a commitment past the limit in a check-in", err, conversations.EINVALID)
	if msg := conversations.ErrorMessage(err); !strings.Contains(msg, "“Walk every evening”") {
		t.Errorf("the refusal does not give the words back: %q", msg)
	}
	// The question is required, but it cannot be answered now.
	if step, err = f.app.Turns.Skip(f.ctx, f.as(ci.ID, alice), ci.ID, step.Item.Key()); err != nil || !step.Done {
		t.Errorf("alice skips at the limit: done %v, %v", step.Done, err)
	}

	bobs, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, bob), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if bobs.CommitmentLimit != 0 || bobs.FullNote() != "" {
		t.Errorf("bob, with room, is told he has none: %+v", bobs.FullNote())
	}
	_, err = f.app.Turns.Skip(f.ctx, f.as(ci.ID, bob), ci.ID, bobs.Item.Key())
	wantCode(t, "bob skips a required question", err, conversations.EINVALID)
}

func TestACommitmentDueAfterTheCheckInIsComingUpNotReviewed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	// start is Monday 10 March; Thursday 13 March is after the check-in opens.
	later, err := f.app.Commitments.Add(f.ctx, f.actor(c.ID, alice), "Call the bank", "2025-03-13")
	if err != nil {
		t.Fatal(err)
	}
	today, err := f.app.Commitments.Add(f.ctx, f.actor(c.ID, bob), "Book the dinner", "2025-03-10")
	if err != nil {
		t.Fatal(err)
	}
	undated := f.addCommitment(c.ID, bob, "Cook on Fridays")

	ci := f.open(c.ID, "")
	if got := reviewedIn(ci, conversations.SubjectCommitment); !slices.Equal(got, []int64{today.ID, undated.ID}) {
		t.Errorf("commitments reviewed = %v, want the ones due by today %v", got, []int64{today.ID, undated.ID})
	}
	upcoming, err := f.app.Turns.ComingUp(f.ctx, f.as(ci.ID, bob), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(upcoming) != 1 || upcoming[0].ID != later.ID {
		t.Errorf("coming up = %+v, want %d", upcoming, later.ID)
	}
	_, err = f.app.Turns.ComingUp(f.ctx, f.as(ci.ID, mallory), ci.ID)
	wantCode(t, "coming up for a stranger", err, conversations.EUNAUTHORIZED)

	// On its due date it is asked about.
	f.clock.Set(time.Date(2025, time.March, 13, 8, 0, 0, 0, time.UTC))
	next := f.open(c.ID, "")
	if got := reviewedIn(next, conversations.SubjectCommitment); !slices.Contains(got, later.ID) {
		t.Errorf("on its due date, commitments reviewed = %v, want %d among them", got, later.ID)
	}
	if upcoming, err := f.app.Turns.ComingUp(f.ctx, f.as(next.ID, alice), next.ID); err != nil || len(upcoming) != 0 {
		t.Errorf("coming up on the due date = %+v, %v; want none", upcoming, err)
	}
}

func TestAScheduledCheckInWaitsForADueDateToo(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	f.weekly(c.ID, 1)
	friday, err := f.app.Commitments.Add(f.ctx, f.actor(c.ID, alice), "Call the bank", "2025-03-14")
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Set(wednesdayEvening.Add(time.Minute))
	if r := f.runDue(); r.Opened != 1 {
		t.Fatalf("RunDue opened %d", r.Opened)
	}
	ci, err := f.app.CheckIns.Current(f.ctx, f.byFirst(c.ID))
	if err != nil {
		t.Fatal(err)
	}
	if got := reviewedIn(ci, conversations.SubjectCommitment); slices.Contains(got, friday.ID) {
		t.Errorf("a commitment due on Friday is reviewed on Wednesday: %v", got)
	}
}

// TestRewritingTheNewCommitmentWhileRereadingIsNotRefusedAtTheLimit: the
// answer being replaced is not counted as one more commitment.
func TestRewritingTheNewCommitmentWhileRereadingIsNotRefusedAtTheLimit(t *testing.T) {
	t.Parallel()
	f := newFixture(t, promise)
	f.configure(conversations.Settings{MaxOpenCommitments: 1})
	c := f.couple()
	ci := f.open(c.ID, promise.ID)
	step, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if step, err = f.app.Turns.Answer(f.ctx, f.as(ci.ID, alice), ci.ID, step.Item.Key(), conversations.AnswerInput{Text: "Walk every evening"}); err != nil || !step.Done {
		t.Fatalf("alice's first commitment: done %v, %v", step.Done, err)
	}
	again, err := f.app.Turns.Revisit(f.ctx, f.as(ci.ID, alice), ci.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if again.CommitmentLimit != 0 || again.FullNote() != "" {
		t.Errorf("rereading her only commitment, alice is told she has no room: limit %d, %q", again.CommitmentLimit, again.FullNote())
	}
	back, err := f.app.Turns.Answer(f.ctx, f.as(ci.ID, alice), ci.ID, again.Item.Key(), conversations.AnswerInput{Text: "Walk every morning"})
	if err != nil {
		t.Fatalf("rewriting the commitment at the limit of 1 was refused: %v", err)
	}
	if !back.Done {
		t.Errorf("after rewriting: done %v, want back to rereading", back.Done)
	}
	for _, a := range f.storedAnswers(ci.ID) {
		if a.UserID == alice && a.Text != "Walk every morning" {
			t.Errorf("alice's stored commitment is %q, want the rewritten one", a.Text)
		}
	}
}
