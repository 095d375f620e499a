package conversations_test

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"mend/conversations"
)

func TestAProposedAgreementIsReviewedOnlyOnceThePartnerAgrees(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	g := f.propose(c.ID, alice, "We are open about money")
	if g.Status != conversations.AgreementProposed {
		t.Fatalf("a new agreement is %s, want proposed", g.Status)
	}

	first := f.open(c.ID, "")
	if got := reviewedIn(first, conversations.SubjectAgreement); len(got) != 0 {
		t.Errorf("a proposal is reviewed: %v", got)
	}

	f.clock.Advance(time.Hour)
	agreed, err := f.app.Agreements.AgreeTo(f.ctx, f.actor(c.ID, bob), g.ID, conversations.AgreementProposed)
	if err != nil {
		t.Fatal(err)
	}
	if agreed.Status != conversations.AgreementActive || !agreed.AgreedAt.Equal(start.Add(time.Hour)) {
		t.Errorf("agreed = %s at %v, want active at %v", agreed.Status, agreed.AgreedAt, start.Add(time.Hour))
	}
	f.clock.Advance(week)
	next := f.open(c.ID, "")
	if got := reviewedIn(next, conversations.SubjectAgreement); !slices.Equal(got, []int64{g.ID}) {
		t.Errorf("agreements reviewed after the yes = %v, want %d", got, g.ID)
	}
}

func TestOnlyThePartnerWhoDidNotProposeCanAgree(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	other := f.otherCouple()
	g := f.propose(c.ID, alice, "We are open about money")

	for _, answer := range []struct {
		name string
		call func(string) error
	}{
		{"agree", func(by string) error {
			_, err := f.app.Agreements.AgreeTo(f.ctx, f.actor(c.ID, by), g.ID, conversations.AgreementProposed)
			return err
		}},
		{"talk first", func(by string) error {
			_, err := f.app.Agreements.TalkFirst(f.ctx, f.actor(c.ID, by), g.ID, conversations.AgreementProposed)
			return err
		}},
	} {
		err := answer.call(alice)
		wantCode(t, answer.name+" by the proposer", err, conversations.EUNAUTHORIZED)
		if msg := conversations.ErrorMessage(err); !strings.Contains(msg, "waits for Bob") {
			t.Errorf("%s by the proposer: %q", answer.name, msg)
		}
		wantCode(t, answer.name+" by a stranger", answer.call(mallory), conversations.EUNAUTHORIZED)
	}
	_, err := f.app.Agreements.AgreeTo(f.ctx, f.actor(other.ID, carol), g.ID, conversations.AgreementProposed)
	wantCode(t, "agree from another couple", err, conversations.ENOTFOUND)
	_, err = f.app.Agreements.AgreeTo(f.ctx, f.actor(c.ID, bob), g.ID, conversations.AgreementRetiring)
	wantCode(t, "agree to a retirement nobody proposed", err, conversations.ECONFLICT)

	if got := f.agreementStatus(c.ID, g.ID); got != conversations.AgreementProposed {
		t.Errorf("after refused answers the agreement is %s, want proposed", got)
	}
}

func TestTalkingFirstChangesNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	g := f.propose(c.ID, bob, "No phones at dinner")

	got, err := f.app.Agreements.TalkFirst(f.ctx, f.actor(c.ID, alice), g.ID, conversations.AgreementProposed)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != conversations.AgreementProposed || f.agreementStatus(c.ID, g.ID) != conversations.AgreementProposed {
		t.Errorf("after talk first: returned %s, stored %s; want proposed", got.Status, f.agreementStatus(c.ID, g.ID))
	}
	if _, err := f.app.Agreements.AgreeTo(f.ctx, f.actor(c.ID, alice), g.ID, conversations.AgreementProposed); err != nil {
		t.Errorf("agreeing after talking: %v", err)
	}
}

func TestOnlyTheProposerWithdrawsAProposal(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	g := f.propose(c.ID, alice, "We are open about money")

	_, err := f.app.Agreements.Withdraw(f.ctx, f.actor(c.ID, bob), g.ID, conversations.AgreementProposed)
	wantCode(t, "withdraw by the partner", err, conversations.EUNAUTHORIZED)
	withdrawn, err := f.app.Agreements.Withdraw(f.ctx, f.actor(c.ID, alice), g.ID, conversations.AgreementProposed)
	if err != nil {
		t.Fatal(err)
	}
	if withdrawn.Status != conversations.AgreementWithdrawn || withdrawn.WithdrawnAt.IsZero() {
		t.Errorf("withdrawn = %+v", withdrawn)
	}

	_, err = f.app.Agreements.AgreeTo(f.ctx, f.actor(c.ID, bob), g.ID, conversations.AgreementProposed)
	wantCode(t, "agree to a withdrawn proposal", err, conversations.ECONFLICT)
	if msg := conversations.ErrorMessage(err); !strings.Contains(msg, "Alice withdrew this proposal") {
		t.Errorf("agree to a withdrawn proposal: %q", msg)
	}
	list, err := f.app.Agreements.List(f.ctx, f.actor(c.ID, bob))
	if err != nil || len(list) != 0 {
		t.Errorf("agreements after a withdrawal = %+v, %v; want none", list, err)
	}
	if got := reviewedIn(f.open(c.ID, ""), conversations.SubjectAgreement); len(got) != 0 {
		t.Errorf("a withdrawn proposal is reviewed: %v", got)
	}
}

// Ending an agreement needs nobody's yes: either partner ends it at once, and
// it is no longer reviewed. (Until this changed, ending one was a proposal the
// other agreed to; TestRetiringIsAgreedTooAndTheAgreementIsReviewedUntilThen
// pinned that.)
func TestEitherPartnerEndsAnAgreementAtOnce(t *testing.T) {
	t.Parallel()
	for _, by := range []string{alice, bob} {
		t.Run(by, func(t *testing.T) {
			f := newFixture(t)
			c := f.couple()
			g := f.addAgreement(c.ID, alice, "Sunday evenings are for us")
			f.clock.Advance(week)

			ended, err := f.app.Agreements.End(f.ctx, f.actor(c.ID, by), g.ID)
			if err != nil {
				t.Fatal(err)
			}
			if ended.Status != conversations.AgreementRetired || ended.RetireBy != by || !ended.RetiredAt.Equal(start.Add(week)) {
				t.Errorf("ended = %s by %q at %v; want retired by %s at %v", ended.Status, ended.RetireBy, ended.RetiredAt, by, start.Add(week))
			}
			if got := f.agreementStatus(c.ID, g.ID); got != conversations.AgreementRetired {
				t.Errorf("stored status = %s, want retired", got)
			}
			if got := reviewedIn(f.open(c.ID, ""), conversations.SubjectAgreement); len(got) != 0 {
				t.Errorf("an ended agreement is reviewed: %v", got)
			}
			_, err = f.app.Agreements.End(f.ctx, f.actor(c.ID, by), g.ID)
			if got, want := conversations.ErrorMessage(err), "This agreement has ended already."; got != want {
				t.Errorf("ending twice: %q, want %q", got, want)
			}
		})
	}
}

// legacyRetiring puts an agreement where a proposal to retire it left it
// before either partner could end one alone: such rows are still answered.
func (f *fixture) legacyRetiring(g conversations.Agreement, by string) {
	f.t.Helper()
	g.Status, g.RetireBy, g.RetireProposedAt = conversations.AgreementRetiring, by, f.clock.Now()
	if err := f.db.Agreements.UpdateAgreement(f.ctx, g, conversations.AgreementActive); err != nil {
		f.t.Fatal(err)
	}
}

func TestEndingAnAgreementSomeoneProposedToRetireEndsIt(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	g := f.addAgreement(c.ID, alice, "We are open about money")
	f.legacyRetiring(g, alice)

	got, err := f.app.Agreements.End(f.ctx, f.actor(c.ID, bob), g.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != conversations.AgreementRetired || f.agreementStatus(c.ID, g.ID) != conversations.AgreementRetired {
		t.Errorf("returned %s, stored %s; want retired", got.Status, f.agreementStatus(c.ID, g.ID))
	}
}

func TestNotForMeAddsNothingAndOnlyThePartnerAskedCanSayIt(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	g := f.propose(c.ID, alice, "Sunday evenings are for us")

	_, err := f.app.Agreements.NotForMe(f.ctx, f.actor(c.ID, alice), g.ID)
	wantCode(t, "not for me on one's own proposal", err, conversations.EUNAUTHORIZED)
	got, err := f.app.Agreements.NotForMe(f.ctx, f.actor(c.ID, bob), g.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != conversations.AgreementDeclined || f.agreementStatus(c.ID, g.ID) != conversations.AgreementDeclined {
		t.Errorf("returned %s, stored %s; want declined", got.Status, f.agreementStatus(c.ID, g.ID))
	}
	if list, err := f.app.Agreements.List(f.ctx, f.actor(c.ID, alice)); err != nil || len(list) != 0 {
		t.Errorf("agreements after not for me = %+v, %v; want none", list, err)
	}
	if got := reviewedIn(f.open(c.ID, ""), conversations.SubjectAgreement); len(got) != 0 {
		t.Errorf("a declined proposal is reviewed: %v", got)
	}
	_, err = f.app.Agreements.AgreeTo(f.ctx, f.actor(c.ID, bob), g.ID, conversations.AgreementProposed)
	if got, want := conversations.ErrorMessage(err), "Bob would rather not make this agreement, so nothing was added and there is nothing to answer."; got != want {
		t.Errorf("agreeing after not for me: %q, want %q", got, want)
	}
}

func TestWithdrawingAProposalToRetireKeepsTheAgreement(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	g := f.addAgreement(c.ID, alice, "We are open about money")
	f.legacyRetiring(g, bob)

	_, err := f.app.Agreements.Withdraw(f.ctx, f.actor(c.ID, alice), g.ID, conversations.AgreementRetiring)
	wantCode(t, "withdraw the partner's proposal to retire", err, conversations.EUNAUTHORIZED)
	// The proposal's old [Withdraw] must not undo the later question.
	_, err = f.app.Agreements.Withdraw(f.ctx, f.actor(c.ID, alice), g.ID, conversations.AgreementProposed)
	wantCode(t, "withdraw with the old proposal's button", err, conversations.ECONFLICT)
	kept, err := f.app.Agreements.Withdraw(f.ctx, f.actor(c.ID, bob), g.ID, conversations.AgreementRetiring)
	if err != nil {
		t.Fatal(err)
	}
	if kept.Status != conversations.AgreementActive || kept.RetireBy != "" || !kept.RetireProposedAt.IsZero() {
		t.Errorf("after withdrawing the retirement: %+v", kept)
	}
}

func TestAnOldQuestionCannotAnswerALaterOne(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	g := f.addAgreement(c.ID, alice, "We are open about money")
	f.legacyRetiring(g, alice)

	// Bob presses [We agree] on the first proposal, long answered.
	_, err := f.app.Agreements.AgreeTo(f.ctx, f.actor(c.ID, bob), g.ID, conversations.AgreementProposed)
	wantCode(t, "the proposal's button after it was agreed", err, conversations.ECONFLICT)
	if got := f.agreementStatus(c.ID, g.ID); got != conversations.AgreementRetiring {
		t.Errorf("the agreement is %s, want still retiring", got)
	}
}

func TestOfTwoAnswersAtOnceOneCounts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	g := f.propose(c.ID, alice, "We are open about money")

	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = f.app.Agreements.AgreeTo(f.ctx, f.actor(c.ID, bob), g.ID, conversations.AgreementProposed)
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch conversations.ErrorCode(err) {
		case "":
			ok++
		case conversations.ECONFLICT:
		default:
			t.Errorf("a concurrent yes failed: %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d of %d concurrent yeses counted, want 1", ok, len(errs))
	}
}

func TestTheAgreementListShowsInForceThenProposedThenRetired(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	retired := f.addAgreement(c.ID, alice, "Old rule")
	f.retire(c.ID, bob, retired)
	proposed := f.propose(c.ID, bob, "No phones at dinner")
	withdrawn := f.propose(c.ID, bob, "Something else")
	if _, err := f.app.Agreements.Withdraw(f.ctx, f.actor(c.ID, bob), withdrawn.ID, conversations.AgreementProposed); err != nil {
		t.Fatal(err)
	}
	active := f.addAgreement(c.ID, alice, "We are open about money")
	retiring := f.addAgreement(c.ID, bob, "Home by ten")
	f.legacyRetiring(retiring, alice)

	list, err := f.app.Agreements.List(f.ctx, f.actor(c.ID, alice))
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, a := range list {
		got = append(got, a.ID)
	}
	if want := []int64{active.ID, retiring.ID, proposed.ID, retired.ID}; !slices.Equal(got, want) {
		t.Errorf("agreements = %v, want %v", got, want)
	}
}

func TestAProposalNeedsUsableText(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"", "   ", strings.Repeat("a", conversations.MaxAgreementLength+1)} {
		if _, err := conversations.CleanAgreementText(text); conversations.ErrorCode(err) != conversations.EINVALID {
			t.Errorf("CleanAgreementText(%d characters) = %v, want invalid", len(text), err)
		}
	}
	if got, err := conversations.CleanAgreementText("  We are open about money "); err != nil || got != "We are open about money" {
		t.Errorf("CleanAgreementText = %q, %v", got, err)
	}
}
