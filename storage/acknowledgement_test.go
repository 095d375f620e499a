package storage_test

import (
	"context"
	"testing"
	"time"

	"mend/conversations"
)

func TestSaveAcknowledgementRecordsEachAnswerOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db, c, t0)

	heardAlice := conversations.Acknowledgement{CheckInID: ci.ID, PromptID: "hurt", Kind: conversations.AckHeard, AuthorID: "alice", ByUserID: "bob", At: t0.Add(time.Hour)}
	heardBob := conversations.Acknowledgement{CheckInID: ci.ID, PromptID: "hurt", Kind: conversations.AckHeard, AuthorID: "bob", ByUserID: "alice", At: t0.Add(2 * time.Hour)}
	thankedAlice := conversations.Acknowledgement{CheckInID: ci.ID, PromptID: "responsibility", Kind: conversations.AckThanked, AuthorID: "alice", ByUserID: "bob", At: t0.Add(3 * time.Hour)}
	again := heardAlice
	again.At = t0.Add(4 * time.Hour)
	for _, a := range []conversations.Acknowledgement{heardAlice, heardBob, thankedAlice, again} {
		if err := db.Acknowledgements.SaveAcknowledgement(ctx, a); err != nil {
			t.Fatal(err)
		}
	}

	got, err := db.Acknowledgements.Acknowledgements(ctx, ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "acknowledgements", got, []conversations.Acknowledgement{heardAlice, heardBob, thankedAlice})
}

func TestAnAcknowledgementWithoutAKindIsAnIHearYou(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db, c, t0)
	if err := db.Acknowledgements.SaveAcknowledgement(ctx, conversations.Acknowledgement{CheckInID: ci.ID, PromptID: "hurt", AuthorID: "alice", ByUserID: "bob", At: t0}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Acknowledgements.Acknowledgements(ctx, ci.ID)
	if err != nil || len(got) != 1 || got[0].Kind != conversations.AckHeard {
		t.Errorf("acknowledgements = %+v (%v), want one of kind %q", got, err, conversations.AckHeard)
	}
}

func TestSaveAcknowledgementOutsideCheckInIsNotFound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db, c, t0)

	tests := []struct {
		name string
		ack  conversations.Acknowledgement
	}{
		{"unknown check-in", conversations.Acknowledgement{CheckInID: 42, PromptID: "hurt", AuthorID: "alice", ByUserID: "bob", At: t0}},
		{"stranger acknowledging", conversations.Acknowledgement{CheckInID: ci.ID, PromptID: "hurt", AuthorID: "alice", ByUserID: "mallory", At: t0}},
		{"stranger's words", conversations.Acknowledgement{CheckInID: ci.ID, PromptID: "hurt", AuthorID: "mallory", ByUserID: "bob", At: t0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, db.Acknowledgements.SaveAcknowledgement(ctx, tt.ack), conversations.ENOTFOUND)
		})
	}
	got, err := db.Acknowledgements.Acknowledgements(ctx, ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("acknowledgements = %+v, want none", got)
	}
}
