package bot

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

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
	mustContain(t, "the export reply", got, "It is a plain text file: any text editor can open it", "It is for you alone")
	for _, table := range []string{"Rows:", "couples 1", "posts"} {
		if strings.Contains(got, table) {
			t.Errorf("the export reply speaks of %q: %s", table, got)
		}
	}
}

func TestRenderProgressInCountsNotPercentages(t *testing.T) {
	p := conversations.Progress{Couple: renderCouple, Revealed: 5, Closed: 1, Streak: 3}
	for i := range p.Partners {
		p.Partners[i].Partner = renderCouple.Partners[i]
	}
	alex, sam := &p.Partners[0], &p.Partners[1]
	alex.Trust = []conversations.TrustPoint{{Value: 2}, {Value: 4}}
	// Alex's five promises, as (Alex's answer, Sam's answer): (kept, kept),
	// (kept, missed), (partly, missed), (missed, partly), (missed, missed).
	// Alex: 2 kept and 1 partly of 5; Sam: 1 kept and 1 partly of 5. They
	// differed on the second, third and fourth: 3, of which they marked 2 as
	// talked about.
	alex.OwnView = conversations.Tally{Kept: 2, Partly: 1, Reviews: 5}
	alex.OtherView = conversations.Tally{Kept: 1, Partly: 1, Reviews: 5}
	alex.Divergent, alex.TalkedThrough = 3, 2
	// Sam made one promise and only Sam has reviewed it so far.
	sam.OwnView = conversations.Tally{Kept: 1, Reviews: 1}
	alex.Agreements = conversations.Tally{Kept: 3, Partly: 1, Reviews: 4}
	sam.Agreements = conversations.Tally{Kept: 2, Reviews: 4}
	m := progressMessage(p, 12)
	golden(t, "progress", m.send())
	got := m.Embeds[0].Description
	mustContain(t, "progress", got,
		"Alex's promises: Alex felt 2 of 5 were kept, and 1 partly; Sam felt 1 of 5, and 1 partly. You saw 3 differently, which is worth a talk; you talked through 2 of the 3.",
		"Sam's promises: Sam felt 1 of 1 was kept; Alex has not reviewed them yet.",
		"**Agreements:** Alex felt 3 of 4 were respected, and 1 partly; Sam felt 2 of 4.")
	if strings.Contains(got, "%") {
		t.Errorf("progress speaks in percentages:\n%s", got)
	}
}

func TestTalkNoteCountsTalksThrough(t *testing.T) {
	tests := []struct {
		divergent, talked int
		want              string
	}{
		{0, 0, ""},
		{3, 0, " You saw 3 differently, which is worth a talk."},
		{3, 2, " You saw 3 differently, which is worth a talk; you talked through 2 of the 3."},
		{1, 1, " You saw 1 differently, and you talked it through."},
		{2, 2, " You saw 2 differently, and you talked both through."},
		{4, 4, " You saw 4 differently, and you talked all 4 through."},
	}
	for _, tt := range tests {
		if got := talkNote(tt.divergent, tt.talked); got != tt.want {
			t.Errorf("talkNote(%d, %d) = %q, want %q", tt.divergent, tt.talked, got, tt.want)
		}
	}
}

func TestRenderRepairMomentsOnceGiven(t *testing.T) {
	r := revealFor(t, func(userID, promptID string) string { return "Words of " + userID[:1] + " for " + promptID })
	alex, sam := renderCouple.Partners[0].UserID, renderCouple.Partners[1].UserID
	r.Acks = []conversations.Acknowledgement{
		{CheckInID: 42, PromptID: "hurt", Kind: conversations.AckHeard, AuthorID: sam, ByUserID: alex},
		{CheckInID: 42, PromptID: "responsibility", Kind: conversations.AckThanked, AuthorID: alex, ByUserID: sam},
	}
	r.Talks = []conversations.Talk{{CheckInID: 42, PromptID: "commitment-review", SubjectID: 5, ByUserID: sam}}
	pages := revealMessages(r)
	for i, p := range pages {
		checkLimits(t, "repaired reveal page", p)
		golden(t, "reveal_repaired_page_"+string(rune('1'+i)), p.send())
	}
	var labels []string
	for _, p := range pages {
		for _, c := range flat(p.Components) {
			if b, ok := c.(discordgo.Button); ok {
				labels = append(labels, fmt.Sprintf("%s (disabled %v)", b.Label, b.Disabled))
			}
		}
	}
	want := []string{
		"You talked about it (disabled true)",
		"I hear you, Alex (disabled false)", "Alex heard you, Sam (disabled true)",
		"Sam thanked you for owning this, Alex (disabled true)", "Thank you for owning this, Sam (disabled false)",
	}
	if fmt.Sprint(labels) != fmt.Sprint(want) {
		t.Errorf("buttons:\n%q\nwant\n%q", labels, want)
	}
}

func TestRenderTakingABreakSaysHowLongItMayBeAndWhatThePartnerSees(t *testing.T) {
	ci := renderCheckIn()
	m := pausedMessage(ci)
	golden(t, "paused", m.responseData())
	mustContain(t, "the break", m.Embeds[0].Description, "Take the time you need: a few minutes, or until tomorrow. The check-in stays open until <t:"+fmt.Sprint(ci.ClosesAt.Unix())+":f>. Your partner sees only that you are taking a break.")
}

func TestHelpSuggestsBoundariesBeyondMoney(t *testing.T) {
	mustContain(t, "/help", helpMessage(conversations.SafetyNote{}.WithDefault()).Embeds[0].Description,
		"we tell each other before meeting an ex", "we answer questions about our phones truthfully", "your time")
}
