package storage_test

import (
	"context"
	"testing"
	"time"

	"mend/conversations"
)

func TestSaveTalkRecordsEachReviewOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := newCheckIn(c.ID, "alice", "bob", t0, []conversations.Subject{
		{PromptID: "commitment-review", Kind: conversations.SubjectCommitment, ID: 5, Text: "Home by 7", OwnerID: "alice"},
		{PromptID: "agreement-review", Kind: conversations.SubjectAgreement, ID: 9, Text: "Open about money"},
	})
	if err := db.CheckIns.OpenCheckIn(ctx, &ci, nil); err != nil {
		t.Fatal(err)
	}

	promise := conversations.Talk{CheckInID: ci.ID, PromptID: "commitment-review", SubjectID: 5, ByUserID: "bob", At: t0.Add(time.Hour)}
	agreement := conversations.Talk{CheckInID: ci.ID, PromptID: "agreement-review", SubjectID: 9, ByUserID: "alice", At: t0.Add(2 * time.Hour)}
	again := promise
	again.ByUserID, again.At = "alice", t0.Add(3*time.Hour)
	for _, talk := range []conversations.Talk{promise, agreement, again} {
		if err := db.Acknowledgements.SaveTalk(ctx, talk); err != nil {
			t.Fatal(err)
		}
	}

	got, err := db.Acknowledgements.Talks(ctx, ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "talks", got, []conversations.Talk{promise, agreement})
}

func TestATalkAboutNoReviewOfTheCheckInIsNotFound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db, c, t0)

	tests := []struct {
		name string
		talk conversations.Talk
	}{
		{"a review the check-in does not have", conversations.Talk{CheckInID: ci.ID, PromptID: "commitment-review", SubjectID: 5, ByUserID: "bob", At: t0}},
		{"a stranger marking it", conversations.Talk{CheckInID: 42, PromptID: "commitment-review", SubjectID: 5, ByUserID: "mallory", At: t0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, db.Acknowledgements.SaveTalk(ctx, tt.talk), conversations.ENOTFOUND)
		})
	}
}
