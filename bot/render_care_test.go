package bot

import (
	"strings"
	"testing"

	"mend/conversations"
)

func TestRenderAClosedCheckInWithoutScore(t *testing.T) {
	ci := renderCheckIn()
	ci.Status = conversations.CheckInClosed
	golden(t, "closed_message", closedMessage(ci).send())
	for i := range ci.Participants {
		ci.Participants[i].Status = conversations.InProgress
	}
	if m := closedMessage(ci); len(m.Components) != 0 {
		t.Error("the share button is offered although nobody finished")
	}
}

func TestRenderSharedAnswers(t *testing.T) {
	r := revealFor(t, func(userID, promptID string) string { return "Words of " + userID[:1] + " for " + promptID })
	pages := sharedMessages(r, "300000000000000003")
	golden(t, "shared_page_1", pages[0].send())
}

func TestRenderADueCommitmentAsANoteToSelf(t *testing.T) {
	c := conversations.Commitment{ID: 5, CoupleID: 7, OwnerID: "300000000000000003", Text: "Home by 7 pm on weekdays", DueOn: "2026-11-23"}
	golden(t, "due_note_channel", dueNote(c, true).send())
	golden(t, "due_note_dm", dueNote(c, false).send())
}

func TestRenderTheExportReplyInWords(t *testing.T) {
	rows := func(n int) []map[string]any { return make([]map[string]any, n) }
	data := conversations.Export{Schema: "mend-export/1", Tables: map[string][]map[string]any{
		"couples": rows(1), "partners": rows(2), "checkins": rows(3), "answers": rows(41),
		"commitments": rows(1), "agreements": rows(2), "acknowledgements": rows(0), "posts": rows(9),
	}}
	golden(t, "export_reply", exportReply(data).responseData())
	got := exportReply(data).Content
	for _, table := range []string{"Rows:", "couples 1", "posts"} {
		if strings.Contains(got, table) {
			t.Errorf("the export reply speaks of %q: %s", table, got)
		}
	}
}
