package bot

import (
	"testing"
	"time"

	"mend/conversations"
)

var (
	alex = renderCouple.Partners[0].UserID
	sam  = renderCouple.Partners[1].UserID
)

func renderAgreement(status conversations.AgreementStatus) conversations.Agreement {
	a := conversations.Agreement{ID: 9, CoupleID: 7, Text: "We are open about money", CreatedBy: alex, Status: status, CreatedAt: renderNow}
	switch status {
	case conversations.AgreementRetiring, conversations.AgreementRetired:
		a.RetireBy = sam
	}
	return a
}

func TestRenderAgreementMessages(t *testing.T) {
	proposed := renderAgreement(conversations.AgreementProposed)
	retiring := renderAgreement(conversations.AgreementRetiring)
	golden(t, "agreement_proposed", proposalMessage(proposed, renderCouple).responseData())
	// A proposal gets four answers, "Not for me" among them; ending one needs
	// nobody's yes, so no proposal to retire one is made any more.
	golden(t, "agreement_not_for_me", notForMeMessage(renderAgreement(conversations.AgreementDeclined), renderCouple).responseData())
	golden(t, "agreement_ended", endedMessage(renderAgreement(conversations.AgreementRetired), renderCouple).responseData())
	golden(t, "agreement_agreed", agreementAnswered(renderAgreement(conversations.AgreementActive), renderCouple).responseData())
	golden(t, "agreement_retired", agreementAnswered(renderAgreement(conversations.AgreementRetired), renderCouple).responseData())
	golden(t, "agreement_talk_first", talkFirstMessage(proposed, renderCouple, sam).responseData())
	golden(t, "agreement_retire_talk_first", talkFirstMessage(retiring, renderCouple, alex).responseData())
	golden(t, "agreement_withdrawn", withdrawnMessage(renderAgreement(conversations.AgreementWithdrawn), renderCouple, alex).responseData())
	active := renderAgreement(conversations.AgreementActive)
	golden(t, "agreement_retire_withdrawn", withdrawnMessage(active, renderCouple, sam).responseData())
}

func TestRenderAgreementListInEveryState(t *testing.T) {
	var all []conversations.Agreement
	for i, status := range []conversations.AgreementStatus{conversations.AgreementActive, conversations.AgreementRetiring, conversations.AgreementProposed, conversations.AgreementRetired} {
		a := renderAgreement(status)
		a.ID = int64(i + 1)
		all = append(all, a)
	}
	golden(t, "agreement_list", agreementListMessage(all, renderCouple).responseData())
	golden(t, "agreement_list_empty", agreementListMessage(nil, renderCouple).responseData())
}

func TestRenderCommitmentsComingUp(t *testing.T) {
	ci := renderCheckIn()
	upcoming := []conversations.Commitment{
		{ID: 11, CoupleID: 7, OwnerID: sam, Text: "Call my sister", DueOn: "2026-11-27", Status: conversations.CommitmentOpen},
	}
	m := withComingUp(checkInPost(ci, renderCouple, renderNow), ci, renderNow, upcoming, renderCouple)
	checkLimits(t, "check-in post with commitments coming up", m)
	golden(t, "checkin_post_coming_up", m.send())
	status := statusMessage(&ci, renderCouple, renderNow)
	status.Content += comingUpText(upcoming, renderCouple)
	golden(t, "checkin_status_coming_up", status.responseData())
	// A check-in that closed has nothing coming up to show.
	closed := withComingUp(checkInPost(ci, renderCouple, ci.ClosesAt.Add(time.Minute)), ci, ci.ClosesAt.Add(time.Minute), upcoming, renderCouple)
	for _, f := range closed.Embeds[0].Fields {
		if f.Name == comingUpTitle {
			t.Errorf("a closed check-in's post lists commitments coming up")
		}
	}
}

func TestRenderNewCommitmentStepWithNoRoom(t *testing.T) {
	ci := renderCheckIn()
	items := ci.Items()
	last := items[len(items)-2] // new-commitment; the evening prompt comes after
	if last.Prompt.Kind != conversations.KindNewCommitment {
		t.Fatalf("step %s is not the new commitment", last.Key())
	}
	step := conversations.Step{CheckIn: ci, Couple: renderCouple, UserID: sam, Item: last, Index: len(items) - 2, Total: len(items), CommitmentLimit: 10}
	golden(t, "step_new-commitment_no_room", stepMessage(step, renderCouple).responseData())
}
