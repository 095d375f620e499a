package conversations_test

import (
	"errors"
	"testing"
	"time"

	"mend/conversations"
)

// answerAll answers every step of a partner without sending, and returns the
// step that says so.
func (f *fixture) answerAll(checkInID int64, userID string) conversations.Step {
	f.t.Helper()
	step, err := f.app.Turns.Begin(f.ctx, f.as(checkInID, userID), checkInID)
	if err != nil {
		f.t.Fatal(err)
	}
	for !step.Done {
		in, skip := plainly(step.Item)
		if skip {
			step, err = f.app.Turns.Skip(f.ctx, f.as(checkInID, userID), checkInID, step.Item.Key())
		} else {
			step, err = f.app.Turns.Answer(f.ctx, f.as(checkInID, userID), checkInID, step.Item.Key(), in)
		}
		if err != nil {
			f.t.Fatal(err)
		}
	}
	return step
}

func TestAnswersCanBeChangedWhileRereadingAndAreSealedOnceSent(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	step := f.answerAll(ci.ID, alice)
	if step.Sent || len(step.Answers) != step.Total {
		t.Fatalf("after the last question: sent %v, %d answers of %d; want all there to reread, not sent", step.Sent, len(step.Answers), step.Total)
	}
	if got := statuses(f.storedCheckIn(ci.ID)); got != "alice=in_progress bob=not_started" {
		t.Errorf("statuses %s: a partner who has not sent is still answering", got)
	}

	again, err := f.app.Turns.Revisit(f.ctx, f.as(ci.ID, alice), ci.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Revising || again.Index != 0 || again.Previous == nil || again.Previous.Scale != 3 {
		t.Fatalf("revisiting question 1: revising %v, index %d, previous %+v", again.Revising, again.Index, again.Previous)
	}
	back, err := f.app.Turns.Answer(f.ctx, f.as(ci.ID, alice), ci.ID, again.Item.Key(), conversations.AnswerInput{Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !back.Done || back.Sent {
		t.Errorf("after changing an answer: done %v, sent %v; want back to rereading", back.Done, back.Sent)
	}
	for _, a := range f.storedAnswers(ci.ID) {
		if a.UserID == alice && a.PromptID == again.Item.Prompt.ID && a.Scale != 1 {
			t.Errorf("the changed answer is stored as %d, want 1", a.Scale)
		}
	}

	sent, err := f.app.Turns.Send(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil || !sent.Sent || sent.JustRevealed {
		t.Fatalf("send: sent %v, just revealed %v (%v); want sent, not revealed before bob", sent.Sent, sent.JustRevealed, err)
	}
	if _, err := f.app.Turns.Revisit(f.ctx, f.as(ci.ID, alice), ci.ID, 0); conversations.ErrorCode(err) != conversations.ECONFLICT {
		t.Errorf("revisiting after sending: %v, want a conflict", err)
	}
	var stale *conversations.StaleStepError
	if _, err := f.app.Turns.Answer(f.ctx, f.as(ci.ID, alice), ci.ID, again.Item.Key(), conversations.AnswerInput{Scale: 5}); !errors.As(err, &stale) {
		t.Errorf("changing an answer after sending: %v, want it refused", err)
	}
}

func TestSendingBeforeTheLastQuestionIsRefusedAndAStepNotYetReachedCannotBeRevisited(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	f.answerN(ci.ID, alice, 2)
	var stale *conversations.StaleStepError
	if _, err := f.app.Turns.Send(f.ctx, f.as(ci.ID, alice), ci.ID); !errors.As(err, &stale) || stale.Step.Index != 2 {
		t.Errorf("sending halfway: %v, want refused with where she is", err)
	}
	if _, err := f.app.Turns.Revisit(f.ctx, f.as(ci.ID, alice), ci.ID, 0); !errors.As(err, &stale) {
		t.Errorf("revisiting before the end: %v, want refused with where she is", err)
	}
	if got := statuses(f.storedCheckIn(ci.ID)); got != "alice=in_progress bob=not_started" {
		t.Errorf("statuses %s after a refused send", got)
	}
	if _, err := f.app.Turns.Revisit(f.ctx, f.as(ci.ID, mallory), ci.ID, 0); conversations.ErrorCode(err) != conversations.EUNAUTHORIZED {
		t.Errorf("a stranger revisiting: %v", err)
	}
}

func TestAPartnerWhoHasNotSentIsRemindedAndHasNothingToShareAtTheClose(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	f.answerAll(ci.ID, alice)
	f.finish(ci.ID, bob, plainly)
	f.clock.Advance(24 * time.Hour)
	if r := f.runDue(); r.Reminded != 1 {
		t.Fatalf("report %+v, want one reminder", r)
	}
	if posts := f.pending(); len(posts) != 1 || posts[0].UserID != alice {
		t.Errorf("posts %+v, want the reminder for alice, who has not sent", posts)
	}
	f.clock.Advance(24 * time.Hour)
	if r := f.runDue(); r.Closed != 1 {
		t.Fatalf("report %+v, want the check-in closed, not revealed", r)
	}
	if _, err := f.app.CheckIns.ShareAnyway(f.ctx, f.as(ci.ID, alice), ci.ID); conversations.ErrorCode(err) != conversations.ECONFLICT {
		t.Errorf("alice, who never sent, shared: %v", err)
	}
}
