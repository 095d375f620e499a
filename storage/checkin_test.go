package storage_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"mend/conversations"
	"mend/storage"
)

func TestOpenCheckInRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")

	// Subjects come back in the order given, not sorted by kind or ID.
	subjects := []conversations.Subject{
		{PromptID: "commitment-review", Kind: conversations.SubjectCommitment, ID: 9, Text: "home by 7 pm", OwnerID: "bob"},
		{PromptID: "commitment-review", Kind: conversations.SubjectCommitment, ID: 3, Text: "call mum", OwnerID: "alice"},
		{PromptID: "agreement-review", Kind: conversations.SubjectAgreement, ID: 5, Text: "we are open about money"},
	}
	ci := newCheckIn(c.ID, "alice", "bob", t0, subjects)
	ci.Participants[1] = conversations.Participant{UserID: "bob", Status: conversations.Paused, StartedAt: t0.Add(time.Minute), PausedAt: t0.Add(2 * time.Minute)}
	ci.PostID = "m1"
	if err := db.CheckIns.OpenCheckIn(ctx, &ci, nil); err != nil {
		t.Fatal(err)
	}
	if ci.ID == 0 {
		t.Fatal("OpenCheckIn did not set the ID")
	}

	got, err := db.CheckIns.CheckIn(ctx, ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "stored check-in", got, ci)
	latest, err := db.CheckIns.LatestOpenCheckIn(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "latest open check-in", latest, ci)
}

func TestSetCheckInPostsLeavesEmptyOnesAsTheyAre(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db, c, t0)

	steps := []struct {
		post, reveal         string
		wantPost, wantReveal string
	}{
		{"m1", "", "m1", ""},
		{"", "m2", "m1", "m2"},
		{"", "", "m1", "m2"},
		{"m3", "m4", "m3", "m4"},
	}
	for _, s := range steps {
		if err := db.CheckIns.SetCheckInPosts(ctx, ci.ID, s.post, s.reveal); err != nil {
			t.Fatal(err)
		}
		got, err := db.CheckIns.CheckIn(ctx, ci.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.PostID != s.wantPost || got.RevealPostID != s.wantReveal {
			t.Fatalf("after SetCheckInPosts(%q, %q): posts %q, %q; want %q, %q", s.post, s.reveal, got.PostID, got.RevealPostID, s.wantPost, s.wantReveal)
		}
	}
	wantCode(t, db.CheckIns.SetCheckInPosts(ctx, 42, "m5", ""), conversations.ENOTFOUND)
}

func TestUnknownCheckInIsNotFound(t *testing.T) {
	t.Parallel()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	_, err := db.CheckIns.CheckIn(context.Background(), 42)
	wantCode(t, err, conversations.ENOTFOUND)
}

func TestLatestOpenCheckInIsNotFoundWithoutOpenCheckIn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")

	_, err := db.CheckIns.LatestOpenCheckIn(ctx, c.ID)
	wantCode(t, err, conversations.ENOTFOUND)

	ci := mustOpenCheckIn(t, db, c, t0)
	mustFinish(t, db, ci.ID, "alice", t0)
	mustFinish(t, db, ci.ID, "bob", t0)
	if ok, err := db.CheckIns.RevealCheckIn(ctx, ci.ID, t0.Add(time.Hour), nil, revealPost(ci)); err != nil || !ok {
		t.Fatalf("RevealCheckIn = %v, %v", ok, err)
	}
	_, err = db.CheckIns.LatestOpenCheckIn(ctx, c.ID)
	wantCode(t, err, conversations.ENOTFOUND)
}

func TestOpenCheckInRefusesSecondOpenCheckIn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	first := mustOpenCheckIn(t, db, c, t0)

	second := newCheckIn(c.ID, "alice", "bob", first.ClosesAt.Add(-time.Millisecond), nil)
	err := db.CheckIns.OpenCheckIn(ctx, &second, nil)
	wantCode(t, err, conversations.ECONFLICT)
	if msg := conversations.ErrorMessage(err); msg != "A check-in is already open for you two. Press Start my check-in on it (or use /checkin status) to continue; a new one can start once it is finished or closed." {
		t.Errorf("message = %q", msg)
	}
	if second.ID != 0 {
		t.Errorf("refused check-in got ID %d", second.ID)
	}
	got, err := db.CheckIns.CheckIn(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "first check-in after the refusal", got, first)
}

func TestOpenCheckInAllowsOneOpenCheckInPerCouple(t *testing.T) {
	t.Parallel()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	a := mustCreateCouple(t, db, "g1", "alice", "bob")
	b := mustCreateCouple(t, db, "g1", "carol", "dave")
	mustOpenCheckIn(t, db, a, t0)
	mustOpenCheckIn(t, db, b, t0)
}

func TestOpenCheckInClosesExpiredCheckIn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	first := mustOpenCheckIn(t, db, c, t0)

	// The window ends at ClosesAt itself.
	second := mustOpenCheckIn(t, db, c, first.ClosesAt)

	got, err := db.CheckIns.CheckIn(ctx, first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != conversations.CheckInClosed || !got.ClosedAt.Equal(first.ClosesAt) {
		t.Errorf("expired check-in: status %s closed at %v, want closed at %v", got.Status, got.ClosedAt, first.ClosesAt)
	}
	latest, err := db.CheckIns.LatestOpenCheckIn(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if latest.ID != second.ID {
		t.Errorf("latest open check-in = %d, want %d", latest.ID, second.ID)
	}
}

func TestSaveAnswerRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db, c, t0)

	answers := []conversations.Answer{
		{UserID: "alice", PromptID: "trust", Scale: 4, AnsweredAt: t0.Add(time.Minute)},
		{UserID: "bob", PromptID: "trust", Scale: 2, AnsweredAt: t0.Add(2 * time.Minute)},
		// Same millisecond as the next one: the order they were saved in holds.
		{UserID: "bob", PromptID: "commitment-review", SubjectID: 7, Verdict: conversations.VerdictPartly, Note: "twice late", AnsweredAt: t0.Add(3 * time.Minute)},
		{UserID: "alice", PromptID: "commitment-review", SubjectID: 7, Verdict: conversations.VerdictKept, AnsweredAt: t0.Add(3 * time.Minute)},
		{UserID: "alice", PromptID: "hurt", Skipped: true, AnsweredAt: t0.Add(4 * time.Minute)},
		{UserID: "alice", PromptID: "mood", Choice: "hopeful", AnsweredAt: t0.Add(5 * time.Minute)},
		{UserID: "alice", PromptID: "new-commitment", Text: "plan a walk", DueOn: "2025-03-16", AnsweredAt: t0.Add(6 * time.Minute)},
	}
	for i := range answers {
		answers[i].CheckInID = ci.ID
		a := answers[i]
		if err := db.Answers.SaveAnswer(ctx, a, inProgress(a.UserID, t0)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.Answers.Answers(ctx, ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "answers", got, answers)

	stored, err := db.CheckIns.CheckIn(ctx, ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "participants after answering", stored.Participants, [2]conversations.Participant{inProgress("alice", t0), inProgress("bob", t0)})
}

func TestSaveAnswerReplacesEarlierAnswer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db, c, t0)

	first := conversations.Answer{CheckInID: ci.ID, UserID: "alice", PromptID: "commitment-review", SubjectID: 7, Verdict: conversations.VerdictNotThisWeek, Note: "not once", AnsweredAt: t0.Add(time.Minute)}
	if err := db.Answers.SaveAnswer(ctx, first, inProgress("alice", t0)); err != nil {
		t.Fatal(err)
	}
	second := first
	second.Verdict, second.Note, second.AnsweredAt = conversations.VerdictPartly, "", t0.Add(2*time.Minute)
	done := conversations.Participant{UserID: "alice", Status: conversations.Done, StartedAt: t0, FinishedAt: second.AnsweredAt}
	if err := db.Answers.SaveAnswer(ctx, second, done); err != nil {
		t.Fatal(err)
	}

	got, err := db.Answers.Answers(ctx, ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "answers", got, []conversations.Answer{second})
	stored, err := db.CheckIns.CheckIn(ctx, ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "alice's progress", stored.Participants[0], done)
}

func TestSaveAnswerRefusedAfterReveal(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db, c, t0)
	before := mustSaveAnswer(t, db, ci.ID, "alice", "need", 0, t0.Add(time.Minute))
	mustFinish(t, db, ci.ID, "alice", t0)
	mustFinish(t, db, ci.ID, "bob", t0)
	if ok, err := db.CheckIns.RevealCheckIn(ctx, ci.ID, t0.Add(time.Hour), nil, revealPost(ci)); err != nil || !ok {
		t.Fatalf("RevealCheckIn = %v, %v", ok, err)
	}
	revealed, err := db.CheckIns.CheckIn(ctx, ci.ID)
	if err != nil {
		t.Fatal(err)
	}

	late := conversations.Answer{CheckInID: ci.ID, UserID: "alice", PromptID: "need", Text: "changed my mind", AnsweredAt: t0.Add(2 * time.Hour)}
	err = db.Answers.SaveAnswer(ctx, late, inProgress("alice", t0))
	wantCode(t, err, conversations.ECONFLICT)

	got, err := db.Answers.Answers(ctx, ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "answers after the refused save", got, []conversations.Answer{before})
	after, err := db.CheckIns.CheckIn(ctx, ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "check-in after the refused save", after, revealed)
}

func TestSaveAnswerRefusedAfterClose(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	first := mustOpenCheckIn(t, db, c, t0)
	mustOpenCheckIn(t, db, c, first.ClosesAt.Add(time.Hour))

	late := conversations.Answer{CheckInID: first.ID, UserID: "alice", PromptID: "need", Text: "too late", AnsweredAt: first.ClosesAt.Add(2 * time.Hour)}
	wantCode(t, db.Answers.SaveAnswer(ctx, late, inProgress("alice", t0)), conversations.ECONFLICT)
}

func TestSaveAnswerRefusedOnceWindowEnded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db, c, t0)

	inTime := conversations.Answer{CheckInID: ci.ID, UserID: "alice", PromptID: "trust", Scale: 3, AnsweredAt: ci.ClosesAt.Add(-time.Millisecond)}
	if err := db.Answers.SaveAnswer(ctx, inTime, inProgress("alice", t0)); err != nil {
		t.Fatalf("answer a millisecond before the end: %v", err)
	}
	late := conversations.Answer{CheckInID: ci.ID, UserID: "alice", PromptID: "need", Text: "late", AnsweredAt: ci.ClosesAt}
	wantCode(t, db.Answers.SaveAnswer(ctx, late, inProgress("alice", t0)), conversations.ECONFLICT)
	got, err := db.Answers.Answers(ctx, ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "answers", got, []conversations.Answer{inTime})
}

func TestSaveAnswerOfStrangerIsNotFound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db, c, t0)

	a := conversations.Answer{CheckInID: ci.ID, UserID: "mallory", PromptID: "need", Text: "hi", AnsweredAt: t0}
	wantCode(t, db.Answers.SaveAnswer(ctx, a, inProgress("mallory", t0)), conversations.ENOTFOUND)
	got, err := db.Answers.Answers(ctx, ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("answers = %+v, want none", got)
	}
}

func TestSaveAnswerToUnknownCheckInIsNotFound(t *testing.T) {
	t.Parallel()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	a := conversations.Answer{CheckInID: 42, UserID: "alice", PromptID: "need", Text: "hi", AnsweredAt: t0}
	wantCode(t, db.Answers.SaveAnswer(context.Background(), a, inProgress("alice", t0)), conversations.ENOTFOUND)
}

func TestSaveAnswerErrorDoesNotContainAnswerText(t *testing.T) {
	t.Parallel()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	const secret = "something only my partner may read"
	a := conversations.Answer{CheckInID: 42, UserID: "alice", PromptID: "need", Text: secret, Note: secret, AnsweredAt: t0}
	err := db.Answers.SaveAnswer(context.Background(), a, inProgress("alice", t0))
	if err == nil {
		t.Fatal("SaveAnswer to an unknown check-in succeeded")
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("error %q contains the answer text", err)
	}
}

func TestSaveParticipantRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db, c, t0)

	paused := conversations.Participant{UserID: "bob", Status: conversations.Paused, StartedAt: t0.Add(time.Minute), PausedAt: t0.Add(3 * time.Minute)}
	if err := db.Answers.SaveParticipant(ctx, ci.ID, paused); err != nil {
		t.Fatal(err)
	}
	got, err := db.CheckIns.CheckIn(ctx, ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "participants", got.Participants, [2]conversations.Participant{ci.Participants[0], paused})

	stranger := conversations.Participant{UserID: "mallory", Status: conversations.Done}
	wantCode(t, db.Answers.SaveParticipant(ctx, ci.ID, stranger), conversations.ENOTFOUND)
}

func TestRevealWaitsForBothPartners(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db, c, t0)
	made := []conversations.Commitment{newCommitment(c.ID, "alice", "plan a walk", ci.ID)}

	mustFinish(t, db, ci.ID, "alice", t0)
	revealed, err := db.CheckIns.RevealCheckIn(ctx, ci.ID, t0.Add(time.Hour), made, revealPost(ci))
	if err != nil {
		t.Fatal(err)
	}
	if revealed {
		t.Fatal("revealed with one partner unfinished")
	}
	got, err := db.CheckIns.CheckIn(ctx, ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != conversations.CheckInOpen || !got.RevealedAt.IsZero() {
		t.Errorf("check-in is %s, revealed at %v; want open", got.Status, got.RevealedAt)
	}
	if open := mustOpenCommitments(t, db, c.ID); len(open) != 0 {
		t.Errorf("commitments recorded before the reveal: %+v", open)
	}

	mustFinish(t, db, ci.ID, "bob", t0)
	revealed, err = db.CheckIns.RevealCheckIn(ctx, ci.ID, t0.Add(2*time.Hour), made, revealPost(ci))
	if err != nil {
		t.Fatal(err)
	}
	if !revealed {
		t.Fatal("not revealed with both partners done")
	}
	got, err = db.CheckIns.CheckIn(ctx, ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != conversations.CheckInRevealed || !got.RevealedAt.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("check-in is %s, revealed at %v; want revealed at %v", got.Status, got.RevealedAt, t0.Add(2*time.Hour))
	}
	open := mustOpenCommitments(t, db, c.ID)
	if len(open) != 1 {
		t.Fatalf("commitments = %+v, want the one made", open)
	}
	want := made[0]
	want.ID = open[0].ID
	mustEqual(t, "commitment made in the check-in", open[0], want)
}

func TestRevealHappensOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db, c, t0)
	mustFinish(t, db, ci.ID, "alice", t0)
	mustFinish(t, db, ci.ID, "bob", t0)
	made := []conversations.Commitment{
		newCommitment(c.ID, "alice", "plan a walk", ci.ID),
		newCommitment(c.ID, "bob", "cook on Fridays", ci.ID),
	}

	if ok, err := db.CheckIns.RevealCheckIn(ctx, ci.ID, t0.Add(time.Hour), made, revealPost(ci)); err != nil || !ok {
		t.Fatalf("first RevealCheckIn = %v, %v; want true", ok, err)
	}
	if ok, err := db.CheckIns.RevealCheckIn(ctx, ci.ID, t0.Add(2*time.Hour), made, revealPost(ci)); err != nil || ok {
		t.Fatalf("second RevealCheckIn = %v, %v; want false", ok, err)
	}
	if open := mustOpenCommitments(t, db, c.ID); len(open) != len(made) {
		t.Errorf("%d commitments after two reveals, want %d", len(open), len(made))
	}
	got, err := db.CheckIns.CheckIn(ctx, ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.RevealedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("revealed at %v, want the first reveal's %v", got.RevealedAt, t0.Add(time.Hour))
	}
}

func TestRevealOfClosedCheckInDoesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	first := mustOpenCheckIn(t, db, c, t0)
	mustFinish(t, db, first.ID, "alice", t0)
	mustFinish(t, db, first.ID, "bob", t0)
	mustOpenCheckIn(t, db, c, first.ClosesAt) // closes the first

	ok, err := db.CheckIns.RevealCheckIn(ctx, first.ID, first.ClosesAt, []conversations.Commitment{newCommitment(c.ID, "bob", "x", first.ID)}, revealPost(first))
	if err != nil || ok {
		t.Fatalf("RevealCheckIn of a closed check-in = %v, %v; want false", ok, err)
	}
	if open := mustOpenCommitments(t, db, c.ID); len(open) != 0 {
		t.Errorf("commitments recorded: %+v", open)
	}
}

func TestRevealOfUnknownCheckInIsNotFound(t *testing.T) {
	t.Parallel()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	_, err := db.CheckIns.RevealCheckIn(context.Background(), 42, t0, nil, conversations.Post{})
	wantCode(t, err, conversations.ENOTFOUND)
}

// Two bot processes (here two handles on one file) finishing the same check-in
// at once must announce the reveal once and record its commitments once.
func TestRevealRaceAcrossHandlesRevealsOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "mend.db")
	db1 := MustOpenDBAt(t, path)
	defer MustCloseDB(t, db1)
	db2 := MustOpenDBAt(t, path)
	defer MustCloseDB(t, db2)

	c := mustCreateCouple(t, db1, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db1, c, t0)
	mustFinish(t, db1, ci.ID, "alice", t0)
	mustFinish(t, db2, ci.ID, "bob", t0)
	made := []conversations.Commitment{
		newCommitment(c.ID, "alice", "plan a walk", ci.ID),
		newCommitment(c.ID, "bob", "cook on Fridays", ci.ID),
	}

	const callers = 16
	var (
		start    = make(chan struct{})
		wg       sync.WaitGroup
		mu       sync.Mutex
		revealed int
		errs     []error
	)
	for i := range callers {
		db := []*storage.DB{db1, db2}[i%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			ok, err := db.CheckIns.RevealCheckIn(ctx, ci.ID, t0.Add(time.Hour), made, revealPost(ci))
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			}
			if ok {
				revealed++
			}
		}()
	}
	close(start)
	wg.Wait()

	for _, err := range errs {
		t.Error(err)
	}
	if revealed != 1 {
		t.Errorf("%d callers revealed the check-in, want exactly 1", revealed)
	}
	if open := mustOpenCommitments(t, db2, c.ID); len(open) != len(made) {
		t.Errorf("%d commitments recorded, want %d", len(open), len(made))
	}
}

func mustOpenCommitments(tb testing.TB, db *storage.DB, coupleID int64) []conversations.Commitment {
	tb.Helper()
	open, err := db.Commitments.OpenCommitments(context.Background(), coupleID)
	if err != nil {
		tb.Fatal(err)
	}
	return open
}

// A save racing a reveal from another process either lands before the reveal
// or is refused as a conflict; it never fails half-way with a busy database.
func TestSaveAnswerRacingRevealLandsOrConflicts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "mend.db")
	db1 := MustOpenDBAt(t, path)
	defer MustCloseDB(t, db1)
	db2 := MustOpenDBAt(t, path)
	defer MustCloseDB(t, db2)

	c := mustCreateCouple(t, db1, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db1, c, t0)
	mustFinish(t, db1, ci.ID, "alice", t0)
	mustFinish(t, db1, ci.ID, "bob", t0)
	done := conversations.Participant{UserID: "alice", Status: conversations.Done, StartedAt: t0, FinishedAt: t0.Add(10 * time.Minute)}

	const savers = 16
	var (
		start   = make(chan struct{})
		wg      sync.WaitGroup
		mu      sync.Mutex
		saved   int
		unknown []error
	)
	for i := range savers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			a := conversations.Answer{CheckInID: ci.ID, UserID: "alice", PromptID: "p" + itoa(i), Text: "x", AnsweredAt: t0}
			err := []*storage.DB{db1, db2}[i%2].Answers.SaveAnswer(ctx, a, done)
			mu.Lock()
			defer mu.Unlock()
			switch conversations.ErrorCode(err) {
			case "":
				saved++
			case conversations.ECONFLICT:
			default:
				unknown = append(unknown, err)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-start
		if _, err := db2.CheckIns.RevealCheckIn(ctx, ci.ID, t0.Add(time.Hour), nil, revealPost(ci)); err != nil {
			mu.Lock()
			unknown = append(unknown, err)
			mu.Unlock()
		}
	}()
	close(start)
	wg.Wait()

	for _, err := range unknown {
		t.Error(err)
	}
	got, err := db1.Answers.Answers(ctx, ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != saved {
		t.Errorf("%d answers stored, but %d saves reported success", len(got), saved)
	}
}

// TestSaveAnswerRefusedOnceThePartnerSent: a change that reaches the store
// after its author's Send (the two raced in the service) is refused, and the
// sealed answer stays as it was sent.
func TestSaveAnswerRefusedOnceThePartnerSent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db, c, t0)

	sent := conversations.Answer{CheckInID: ci.ID, UserID: "alice", PromptID: "hurt", Text: "what I sent", AnsweredAt: t0}
	if err := db.Answers.SaveAnswer(ctx, sent, inProgress("alice", t0)); err != nil {
		t.Fatal(err)
	}
	done := conversations.Participant{UserID: "alice", Status: conversations.Done, StartedAt: t0, FinishedAt: t0.Add(time.Minute)}
	if err := db.Answers.SaveParticipant(ctx, ci.ID, done); err != nil {
		t.Fatal(err)
	}
	late := sent
	late.Text, late.AnsweredAt = "changed after sending", t0.Add(2*time.Minute)
	wantCode(t, db.Answers.SaveAnswer(ctx, late, inProgress("alice", t0)), conversations.ECONFLICT)
	got, err := db.Answers.Answers(ctx, ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "answers", got, []conversations.Answer{sent})
}
