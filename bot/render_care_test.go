package bot

import (
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
