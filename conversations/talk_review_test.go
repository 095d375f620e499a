package conversations_test

import (
	"context"
	"testing"

	"mend/conversations"
)

// stoppedWhileSaving is a commitment store at which the other partner
// stops the talk at the very moment a promise is saved.
type stoppedWhileSaving struct {
	conversations.CommitmentStore
	stop func()
}

func (s stoppedWhileSaving) AddCommitment(ctx context.Context, c *conversations.Commitment) error {
	s.stop()
	return s.CommitmentStore.AddCommitment(ctx, c)
}

// A promise saved as the talk ended under it stays saved, and its maker is
// told so in the words they are shown, so as not to make it twice.
func TestAPromiseSavedAsTheTalkEndedSaysItIsSaved(t *testing.T) {
	w := newTalkWorld(t)
	v := w.atClosing()
	stores := w.db.Stores()
	stores.Commitments = stoppedWhileSaving{CommitmentStore: stores.Commitments, stop: func() {
		w.must(w.app.Talks.Stop(w.ctx, w.by(alice), v.Talk.ID))
	}}
	racing := conversations.New(stores, w.clock, w.templates, w.settings)

	_, c, err := racing.Talks.FinishWithCommitment(w.ctx, w.by(bob), v.Talk.ID, "I'll call when plans change", "")
	if err == nil {
		t.Fatal("the promise ended a talk that had ended")
	}
	if c.ID == 0 {
		t.Fatalf("the promise saved is not returned: %+v", c)
	}
	if got, want := conversations.ErrorMessage(err), "This talk has ended. Either of you can start another with /talk, whenever you are both ready. Your promise is saved: /commitment list shows it."; got != want {
		t.Errorf("bob is told %q, want %q", got, want)
	}
	if code := conversations.ErrorCode(err); code != conversations.ENOTFOUND {
		t.Errorf("the error's code is %s, want %s", code, conversations.ENOTFOUND)
	}
}

// A check-in that closed with only alice's answers, shared with bob's yes,
// is no reveal: no talk can be started about it, by its ID or as the
// latest, so nothing of bob's unsent answers can reach a talk.
func TestNoTalkIsAboutACheckInOnlyOnePartnerShared(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.closedHalfway(c)
	if _, err := f.app.CheckIns.ShareAnyway(f.ctx, f.as(ci.ID, alice), ci.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.CheckIns.AllowShare(f.ctx, f.as(ci.ID, bob), ci.ID); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{alice, bob} {
		_, err := f.app.Talks.Start(f.ctx, f.actor(c.ID, u), ci.ID)
		wantCode(t, "a talk about the shared check-in", err, conversations.ECONFLICT)
		_, err = f.app.Talks.Start(f.ctx, f.actor(c.ID, u), 0)
		wantCode(t, "a talk about the latest reveal", err, conversations.ENOTFOUND)
	}
	if n := f.count(`SELECT COUNT(*) FROM guided_talks`); n != 0 {
		t.Errorf("%d talks stored, want 0", n)
	}
}
