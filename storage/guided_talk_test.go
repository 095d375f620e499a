package storage_test

import (
	"context"
	"testing"
	"time"

	"mend/conversations"
)

// openTalk stores a talk asked at t0 that expires a day later.
func openTalk(t *testing.T, db interface {
	CreateTalk(context.Context, *conversations.GuidedTalk, *conversations.Post) error
}, coupleID, checkInID int64) conversations.GuidedTalk {
	t.Helper()
	post := conversations.Post{CoupleID: coupleID, Kind: conversations.PostTalk, CheckInID: checkInID, CreatedAt: t0, NextAttemptAt: t0}
	return openTalkWith(t, db, coupleID, checkInID, &post)
}

// openTalkWith is openTalk queueing post, if any, with it.
func openTalkWith(t *testing.T, db interface {
	CreateTalk(context.Context, *conversations.GuidedTalk, *conversations.Post) error
}, coupleID, checkInID int64, post *conversations.Post) conversations.GuidedTalk {
	t.Helper()
	talk := conversations.GuidedTalk{CoupleID: coupleID, CheckInID: checkInID, Stage: conversations.TalkAsked, AskedBy: "alice", StartedAt: t0, ExpiresAt: t0.Add(24 * time.Hour)}
	if err := db.CreateTalk(context.Background(), &talk, post); err != nil {
		t.Fatal(err)
	}
	return talk
}

func TestACoupleHasOneOpenTalkAndItsPostNamesIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db, c, t0)
	talk := openTalk(t, db.Talks, c.ID, ci.ID)
	if talk.ID == 0 || talk.Version != 1 {
		t.Fatalf("the new talk has id %d, version %d", talk.ID, talk.Version)
	}
	second := conversations.GuidedTalk{CoupleID: c.ID, CheckInID: ci.ID, Stage: conversations.TalkAsked, AskedBy: "bob", StartedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	wantCode(t, db.Talks.CreateTalk(ctx, &second, nil), conversations.ECONFLICT)

	posts, err := db.Outbox.PendingPosts(ctx, t0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 1 || posts[0].Kind != conversations.PostTalk || posts[0].TalkID != talk.ID {
		t.Fatalf("pending posts %+v, want the talk's own", posts)
	}
	open, err := db.Talks.OpenTalk(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "the open talk", open, talk)
}

func TestAChangeFromAnOlderVersionOfATalkIsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db, c, t0)
	talk := openTalk(t, db.Talks, c.ID, ci.ID)
	first, stale := talk, talk
	first.Stage = conversations.TalkAppreciation
	if err := db.Talks.SaveGuidedTalk(ctx, &first, nil); err != nil {
		t.Fatal(err)
	}
	if first.Version != 2 {
		t.Errorf("after a save the version is %d, want 2", first.Version)
	}
	stale.Stage = conversations.TalkEnded
	wantCode(t, db.Talks.SaveGuidedTalk(ctx, &stale, nil), conversations.ECONFLICT)
	got, err := db.Talks.GuidedTalk(ctx, talk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Stage != conversations.TalkAppreciation || got.Version != 2 {
		t.Errorf("stored: stage %s version %d; want appreciation, 2", got.Stage, got.Version)
	}
}

func TestAnEndedTalkKeepsOnlyItsTopicWhenAndOutcome(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db, c, t0)
	talk := openTalk(t, db.Talks, c.ID, ci.ID)
	talk.Stage, talk.Read, talk.Speaker, talk.Heard, talk.MessageID = conversations.TalkClosing, [2]bool{true, true}, 1, [2]bool{true, true}, "777"
	talk.Topic = &conversations.TopicRef{Kind: conversations.TopicNeed, PromptID: "need", RaisedBy: "bob"}
	talk.TalkedAt = t0.Add(time.Hour)
	if err := db.Talks.SaveGuidedTalk(ctx, &talk, nil); err != nil {
		t.Fatal(err)
	}
	talk.Stage, talk.Outcome = conversations.TalkEnded, conversations.OutcomeAgreement
	if err := db.Talks.SaveGuidedTalk(ctx, &talk, nil); err != nil {
		t.Fatal(err)
	}
	got, err := db.Talks.GuidedTalk(ctx, talk.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := conversations.GuidedTalk{ID: talk.ID, CoupleID: c.ID, CheckInID: ci.ID, Version: 3, Stage: conversations.TalkEnded,
		Topic:    &conversations.TopicRef{Kind: conversations.TopicNeed, PromptID: "need", RaisedBy: "bob"},
		TalkedAt: t0.Add(time.Hour), Outcome: conversations.OutcomeAgreement}
	mustEqual(t, "the ended talk", got, want)
	if _, err := db.Talks.OpenTalk(ctx, c.ID); conversations.ErrorCode(err) != conversations.ENOTFOUND {
		t.Errorf("an ended talk is still the open one: %v", err)
	}
	held, err := db.Talks.TalksHeld(ctx, c.ID, t0, t0.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(held) != 1 || held[0].ID != talk.ID {
		t.Errorf("talks held: %+v", held)
	}
	if held, _ := db.Talks.TalksHeld(ctx, c.ID, t0.Add(2*time.Hour), t0.Add(3*time.Hour)); len(held) != 0 {
		t.Errorf("%d talks held in a later span, want 0", len(held))
	}
}

func TestATalkEndedBeforeItsTopicIsDeleted(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db, c, t0)
	talk := openTalk(t, db.Talks, c.ID, ci.ID)
	talk.Stage = conversations.TalkEnded
	ended := conversations.Post{CoupleID: c.ID, Kind: conversations.PostTalkEnded, TalkID: talk.ID, MessageID: "777", CreatedAt: t0, NextAttemptAt: t0}
	if err := db.Talks.SaveGuidedTalk(ctx, &talk, []conversations.Post{ended}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Talks.GuidedTalk(ctx, talk.ID); conversations.ErrorCode(err) != conversations.ENOTFOUND {
		t.Errorf("a talk ended before its topic is still stored: %v", err)
	}
	posts, err := db.Outbox.PendingPosts(ctx, t0, 10)
	if err != nil {
		t.Fatal(err)
	}
	// The edit outlives the talk it reports ended, with the message it edits.
	if len(posts) != 2 || posts[1].Kind != conversations.PostTalkEnded || posts[1].MessageID != "777" || posts[1].TalkID != talk.ID {
		t.Fatalf("pending posts %+v, want the talk's and its ended edit of message 777", posts)
	}
}

func TestDueTalksAreThoseExpiredOrOwedAComeBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	var talks []conversations.GuidedTalk
	for _, who := range [][2]string{{"a1", "b1"}, {"a2", "b2"}, {"a3", "b3"}} {
		c := mustCreateCouple(t, db, "g1", who[0], who[1])
		// No posts: the earliest due time below is the talks' own.
		talks = append(talks, openTalkWith(t, db.Talks, c.ID, mustOpenCheckIn(t, db, c, t0).ID, nil))
	}
	// The second is on a break until t0+20m, its come-back owed; the third's
	// break ended and was asked about already.
	talks[1].Stage, talks[1].BreakUntil, talks[1].ComeBackDue = conversations.TalkTurns, t0.Add(20*time.Minute), true
	talks[2].Stage, talks[2].BreakUntil = conversations.TalkTurns, t0.Add(10*time.Minute)
	for i := 1; i < 3; i++ {
		if err := db.Talks.SaveGuidedTalk(ctx, &talks[i], nil); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(at time.Time) []int64 {
		due, err := db.Talks.DueTalks(ctx, at, 10)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, d := range due {
			out = append(out, d.ID)
		}
		return out
	}
	mustEqual(t, "due at t0+19m", ids(t0.Add(19*time.Minute)), []int64(nil))
	mustEqual(t, "due at t0+20m", ids(t0.Add(20*time.Minute)), []int64{talks[1].ID})
	mustEqual(t, "due a day later", ids(t0.Add(24*time.Hour)), []int64{talks[0].ID, talks[1].ID, talks[2].ID})

	next, err := db.Schedules.EarliestDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !next.Equal(t0.Add(20 * time.Minute)) {
		t.Errorf("the earliest due time is %v, want the end of the break at %v", next, t0.Add(20*time.Minute))
	}
}
