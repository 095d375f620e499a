package storage_test

import (
	"context"
	"testing"
	"time"

	"mend/conversations"
	"mend/conversations/clocktest"
	"mend/internal/testkit"
	"mend/storage"
)

// The domain service, run on the real store, takes a couple from invitation to
// a revealed check-in: the store behaves the way the service expects.
func TestServiceRunsCheckInToRevealOnSQLite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	templates, err := conversations.NewTemplates(true)
	if err != nil {
		t.Fatal(err)
	}
	clock := clocktest.New(t0)
	app := conversations.New(db.Stores(), clock, templates, conversations.Settings{Library: builtinPacks(t)})

	alice := conversations.Partner{UserID: "alice", Name: "Alice"}
	bob := conversations.Partner{UserID: "bob", Name: "Bob"}
	couple, err := app.Couples.Invite(ctx, conversations.Actor{UserID: alice.UserID, GuildID: "g1"}, alice.Name, bob, "Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.Couples.Invite(ctx, conversations.Actor{UserID: alice.UserID, GuildID: "g1"}, alice.Name, conversations.Partner{UserID: "carol", Name: "Carol"}, "Europe/Berlin"); conversations.ErrorCode(err) != conversations.ECONFLICT {
		t.Fatalf("second invitation of alice: %v, want a conflict", err)
	}
	if _, err := app.Couples.Accept(ctx, conversations.Actor{UserID: "bob", GuildID: "g1"}, couple.ID, "chan-1"); err != nil {
		t.Fatal(err)
	}
	if byChannel, err := app.Couples.ByChannel(ctx, "chan-1"); err != nil || byChannel.ID != couple.ID {
		t.Fatalf("couple of its channel = %d, %v; want %d", byChannel.ID, err, couple.ID)
	}
	if _, err := app.Commitments.Add(ctx, actorOf(t, db, couple.ID, "bob"), "home by 7 pm on weekdays", ""); err != nil {
		t.Fatal(err)
	}
	a, err := app.Agreements.Propose(ctx, actorOf(t, db, couple.ID, "alice"), "we are open about money")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.Agreements.AgreeTo(ctx, actorOf(t, db, couple.ID, "bob"), a.ID, conversations.AgreementProposed); err != nil {
		t.Fatal(err)
	}
	ci, err := app.CheckIns.Open(ctx, actorOf(t, db, couple.ID, "alice"), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(ci.Subjects) != 2 {
		t.Fatalf("check-in reviews %d subjects, want the commitment and the agreement", len(ci.Subjects))
	}

	reveals := 0
	for _, user := range []string{"alice", "bob"} {
		clock.Advance(time.Minute)
		step, err := app.Turns.Begin(ctx, partnerActor(t, db, ci.ID, user), ci.ID)
		if err != nil {
			t.Fatal(err)
		}
		for !step.Done {
			clock.Advance(time.Minute)
			it := step.Item
			step, err = answer(t, app, db, ci.ID, user, it)
			if err != nil {
				t.Fatalf("%s, %s: %v", user, it.Key(), err)
			}
			if step.JustRevealed {
				reveals++
			}
		}
		// Answers are revealed once sent, after the partner rereads them.
		if step, err = app.Turns.Send(ctx, partnerActor(t, db, ci.ID, user), ci.ID); err != nil {
			t.Fatalf("%s sends: %v", user, err)
		}
		if step.JustRevealed {
			reveals++
		}
	}
	if reveals != 1 {
		t.Fatalf("%d answers announced the reveal, want 1", reveals)
	}

	r, err := app.CheckIns.Reveal(ctx, partnerActor(t, db, ci.ID, "alice"), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range r.Rows {
		if row.Answers[0] == nil || row.Answers[1] == nil {
			t.Errorf("step %s misses an answer in the reveal", row.Item.Key())
		}
	}
	open, err := db.Commitments.OpenCommitments(ctx, couple.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 3 {
		t.Errorf("%d open commitments after the reveal, want the first and one new per partner", len(open))
	}
	if _, err := app.Turns.Answer(ctx, partnerActor(t, db, ci.ID, "alice"), ci.ID, r.Rows[0].Item.Key(), conversations.AnswerInput{Scale: 1}); conversations.ErrorCode(err) != conversations.ECONFLICT {
		t.Errorf("answer after the reveal: %v, want a conflict", err)
	}

	for range 2 {
		if r, err = app.CheckIns.Acknowledge(ctx, partnerActor(t, db, ci.ID, "bob"), ci.ID, "hurt", 0); err != nil {
			t.Fatal(err)
		}
	}
	if !r.Acknowledged("hurt", "alice") || len(r.Acks) != 1 {
		t.Errorf("acknowledgements after bob heard alice twice: %+v, want one", r.Acks)
	}
}

// answer gives a plain valid answer to any kind of step.
// partnerActor is a partner of the check-in's couple acting from its channel.
func partnerActor(tb testing.TB, db *storage.DB, checkInID int64, user string) conversations.Actor {
	tb.Helper()
	ci, err := db.CheckIns.CheckIn(tb.Context(), checkInID)
	if err != nil {
		tb.Fatalf("check-in %d: %v", checkInID, err)
	}
	couple, err := db.Couples.Couple(tb.Context(), ci.CoupleID)
	if err != nil {
		tb.Fatalf("check-in %d of %s: %v", checkInID, user, err)
	}
	return conversations.Actor{UserID: user, GuildID: couple.GuildID, ChannelID: couple.ChannelID}
}

func answer(t testing.TB, app *conversations.Mend, db *storage.DB, checkInID int64, user string, it conversations.Item) (conversations.Step, error) {
	var in conversations.AnswerInput
	switch it.Prompt.Kind {
	case conversations.KindScale:
		in.Scale = 3
	case conversations.KindChoice:
		in.Choice = it.Prompt.Options[0]
	case conversations.KindCommitmentReview, conversations.KindAgreementReview:
		in.Verdict = conversations.Verdicts(it.Prompt.Kind)[0].Verdict
	default:
		in.Text = "a few words from " + user
	}
	return app.Turns.Answer(t.Context(), partnerActor(t, db, checkInID, user), checkInID, it.Key(), in)
}

// actorOf is userID acting from the own channel of the couple with coupleID.
func actorOf(tb testing.TB, db *storage.DB, coupleID int64, userID string) conversations.Actor {
	tb.Helper()
	return testkit.Actor(tb, db.Couples, coupleID, userID)
}
