package conversations_test

import (
	"testing"
	"time"

	"mend/conversations"
)

// revealedWithResponsibility is a revealed check-in in which alice took
// responsibility for something and bob did not.
func (f *fixture) revealedWithResponsibility() conversations.CheckIn {
	f.t.Helper()
	c := f.couple()
	ci := f.open(c.ID, "")
	f.finish(ci.ID, alice, byPrompt(map[string]conversations.AnswerInput{
		"trust": {Scale: 3}, "appreciation": {Text: "a"}, "need": {Text: "b"},
		"responsibility": {Text: "I did not call when I was late."},
	}))
	f.finish(ci.ID, bob, plainly)
	return ci
}

func TestThePartnerCanThankForOwningSomething(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ci := f.revealedWithResponsibility()
	f.clock.Advance(time.Hour)

	r, err := f.app.CheckIns.Acknowledge(f.ctx, f.as(ci.ID, bob), ci.ID, "responsibility", 0)
	if err != nil {
		t.Fatal(err)
	}

	if !r.Acknowledged("responsibility", alice) {
		t.Error("the returned reveal does not show the thank-you")
	}
	stored, err := f.app.CheckIns.Reveal(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := conversations.Acknowledgement{CheckInID: ci.ID, PromptID: "responsibility", Kind: conversations.AckThanked, AuthorID: alice, ByUserID: bob, At: start.Add(time.Hour)}
	if len(stored.Acks) != 1 || stored.Acks[0] != want {
		t.Errorf("stored acknowledgements = %+v, want %+v", stored.Acks, want)
	}
}

func TestAnIHearYouIsRecordedAsHeard(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ci := f.revealedWithHurt()
	r, err := f.app.CheckIns.Acknowledge(f.ctx, f.as(ci.ID, bob), ci.ID, "hurt", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Acks) != 1 || r.Acks[0].Kind != conversations.AckHeard {
		t.Errorf("acknowledgements = %+v, want one of kind %q", r.Acks, conversations.AckHeard)
	}
}

func TestThankingTwiceRecordsOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ci := f.revealedWithResponsibility()
	for range 2 {
		if _, err := f.app.CheckIns.Acknowledge(f.ctx, f.as(ci.ID, bob), ci.ID, "responsibility", 0); err != nil {
			t.Fatal(err)
		}
	}
	r, err := f.app.CheckIns.Reveal(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil || len(r.Acks) != 1 {
		t.Errorf("acknowledgements = %+v (%v), want 1", r.Acks, err)
	}
}

func TestOnlyTheOtherPartnerCanThank(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ci := f.revealedWithResponsibility()

	_, err := f.app.CheckIns.Acknowledge(f.ctx, f.as(ci.ID, alice), ci.ID, "responsibility", 0)

	wantCode(t, "thanking oneself", err, conversations.EUNAUTHORIZED)
	if msg := conversations.ErrorMessage(err); msg != "Only Bob can thank you for owning this." {
		t.Errorf("message = %q", msg)
	}
	_, err = f.app.CheckIns.Acknowledge(f.ctx, f.as(ci.ID, alice), ci.ID, "responsibility", 1)
	wantCode(t, "thanking for a skipped answer", err, conversations.EINVALID)
}

// revealedWithTwoViews is a revealed check-in in which alice felt her promise
// was kept and bob that it was missed, and both felt the agreement respected.
func (f *fixture) revealedWithTwoViews() (ci conversations.CheckIn, promise, agreement conversations.StepKey) {
	f.t.Helper()
	c := f.couple()
	cm, err := f.app.Commitments.Add(f.ctx, f.actor(c.ID, alice), "Home by 7 pm on weekdays", "")
	if err != nil {
		f.t.Fatal(err)
	}
	g, err := f.app.Agreements.Propose(f.ctx, f.actor(c.ID, bob), "We are open about money")
	if err != nil {
		f.t.Fatal(err)
	}
	if g, err = f.app.Agreements.AgreeTo(f.ctx, f.actor(c.ID, alice), g.ID, conversations.AgreementProposed); err != nil {
		f.t.Fatal(err)
	}
	promise, agreement = commitmentKey(cm.ID), agreementKey(g.ID)
	ci = f.open(c.ID, "")
	f.finish(ci.ID, alice, f.script(map[conversations.StepKey]conversations.AnswerInput{
		promise: verdict(conversations.VerdictKept), agreement: verdict(conversations.VerdictKept),
	}))
	f.finish(ci.ID, bob, f.script(map[conversations.StepKey]conversations.AnswerInput{
		promise: verdict(conversations.VerdictNotThisWeek), agreement: verdict(conversations.VerdictKept),
	}))
	return ci, promise, agreement
}

func TestEitherPartnerCanMarkAReviewSeenDifferentlyAsTalkedAboutOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ci, promise, _ := f.revealedWithTwoViews()
	f.clock.Advance(time.Hour)

	r, err := f.app.CheckIns.MarkTalked(f.ctx, f.as(ci.ID, alice), ci.ID, promise)
	if err != nil {
		t.Fatal(err)
	}
	if !r.TalkedAbout(promise) {
		t.Error("the returned reveal does not show the talk")
	}
	if _, err := f.app.CheckIns.MarkTalked(f.ctx, f.as(ci.ID, bob), ci.ID, promise); err != nil {
		t.Fatalf("bob marking it too: %v", err)
	}
	stored, err := f.app.CheckIns.Reveal(f.ctx, f.as(ci.ID, bob), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := conversations.Talk{CheckInID: ci.ID, PromptID: promise.PromptID, SubjectID: promise.SubjectID, ByUserID: alice, At: start.Add(time.Hour)}
	if len(stored.Talks) != 1 || stored.Talks[0] != want {
		t.Errorf("stored talks = %+v, want only %+v", stored.Talks, want)
	}
}

func TestMarkTalkedRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		viewer string
		key    func(promise, agreement conversations.StepKey) conversations.StepKey
		code   string
	}{
		{"a stranger", mallory, func(p, _ conversations.StepKey) conversations.StepKey { return p }, conversations.EUNAUTHORIZED},
		{"a review seen alike", alice, func(_, a conversations.StepKey) conversations.StepKey { return a }, conversations.EINVALID},
		{"a prompt that is no review", alice, func(_, _ conversations.StepKey) conversations.StepKey { return trustKey() }, conversations.EINVALID},
		{"a review that is not in the check-in", bob, func(p, _ conversations.StepKey) conversations.StepKey { return commitmentKey(p.SubjectID + 100) }, conversations.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			ci, promise, agreement := f.revealedWithTwoViews()

			_, err := f.app.CheckIns.MarkTalked(f.ctx, f.as(ci.ID, tt.viewer), ci.ID, tt.key(promise, agreement))

			wantCode(t, "mark talked", err, tt.code)
			r, err := f.app.CheckIns.Reveal(f.ctx, f.as(ci.ID, bob), ci.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Talks) != 0 {
				t.Errorf("talks = %+v, want none", r.Talks)
			}
		})
	}
}

func TestMarkTalkedWaitsForTheReveal(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	cm, err := f.app.Commitments.Add(f.ctx, f.actor(c.ID, alice), "Home by 7 pm on weekdays", "")
	if err != nil {
		t.Fatal(err)
	}
	ci := f.open(c.ID, "")

	_, err = f.app.CheckIns.MarkTalked(f.ctx, f.as(ci.ID, alice), ci.ID, commitmentKey(cm.ID))

	wantCode(t, "mark talked before the reveal", err, conversations.ECONFLICT)
}

func TestProgressCountsThePromisesTalkedThrough(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	h := f.knownHistory()
	// Alice's A1 was seen differently in week 2 (kept and missed); bob's B1
	// in week 3 (missed and partly). Marking A1 of week 2 talked about, and
	// pressing it twice, talks through 1 of alice's 1 and none of bob's 1.
	for _, by := range []string{bob, alice} {
		if _, err := f.app.CheckIns.MarkTalked(f.ctx, f.as(h.checkIns[2].ID, by), h.checkIns[2].ID, commitmentKey(h.a1)); err != nil {
			t.Fatal(err)
		}
	}

	p, err := f.app.Records.Progress(f.ctx, f.actor(h.couple.ID, alice), 5)
	if err != nil {
		t.Fatal(err)
	}

	a, b := p.Partners[0], p.Partners[1]
	if a.Divergent != 1 || a.TalkedThrough != 1 {
		t.Errorf("alice's promises: %d seen differently, %d talked through; want 1 and 1", a.Divergent, a.TalkedThrough)
	}
	if b.Divergent != 1 || b.TalkedThrough != 0 {
		t.Errorf("bob's promises: %d seen differently, %d talked through; want 1 and 0", b.Divergent, b.TalkedThrough)
	}
}
