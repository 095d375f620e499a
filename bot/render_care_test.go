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
	golden(t, "share_ask", shareAskMessage(renderCouple, "300000000000000003", 11).responseData())
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
	p := conversations.Progress{Couple: renderCouple, Revealed: 5, Closed: 1, SharedWeeks: 5, Weeks: 12}
	for i := range p.Partners {
		p.Partners[i].Partner = renderCouple.Partners[i]
	}
	alex, sam := &p.Partners[0], &p.Partners[1]
	alex.Trust = []conversations.TrustPoint{{Value: 2}, {Value: 4}}
	// Alex's five promises, as (Alex's answer, Sam's answer): (kept, kept),
	// (kept, not this week), (partly, not this week), (not this week,
	// partly), (not this week, not this week). Alex: 2 kept and 1 partly of
	// 5; Sam: 1 kept and 1 partly of 5. They differed on three, which
	// progress never counts.
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
		"Check-ins you shared: 5 of the last 12 weeks. Weeks off are part of it.",
		"Alex's promises: Alex felt 2 of 5 were kept, and 1 partly; Sam felt 1 of 5, and 1 partly.",
		"Sam's promises: Sam felt 1 of 1 was kept; Alex has not reviewed them yet.",
		"**Agreements:** Alex felt 3 of 4 were kept, and 1 partly; Sam felt 2 of 4.")
	for _, never := range []string{"%", "treak", "in a row", "differently"} {
		if strings.Contains(got, never) {
			t.Errorf("progress says %q:\n%s", never, got)
		}
	}
}

func TestSharedWeeksAreCountedNeverAsAStreak(t *testing.T) {
	tests := []struct {
		shared, weeks int
		want          string
	}{
		{7, 12, "Check-ins you shared: 7 of the last 12 weeks. Weeks off are part of it."},
		{0, 4, "Check-ins you shared: 0 of the last 4 weeks. Weeks off are part of it."},
		{1, 1, "Check-ins you shared: 1 of the last week. Weeks off are part of it."},
	}
	for _, tt := range tests {
		p := conversations.Progress{SharedWeeks: tt.shared, Weeks: tt.weeks}
		if got := sharedWeeksLine(p); got != tt.want {
			t.Errorf("sharedWeeksLine(%d of %d) = %q, want %q", tt.shared, tt.weeks, got, tt.want)
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
		"Talk it through (disabled false)",
	}
	if fmt.Sprint(labels) != fmt.Sprint(want) {
		t.Errorf("buttons:\n%q\nwant\n%q", labels, want)
	}
}

func TestRenderTakingABreakSaysHowLongItMayBeAndWhatThePartnerSees(t *testing.T) {
	ci := renderCheckIn()
	m := pausedMessage(ci)
	golden(t, "paused", m.responseData())
	mustContain(t, "the break", m.Embeds[0].Description, "Take the time you need: a few minutes, or until tomorrow. The check-in stays open until <t:"+fmt.Sprint(ci.ClosesAt.Unix())+":f>. Your partner sees at most that you are taking a break, never why.")
}

// /help once suggested agreements that watch a partner ("we answer questions
// about our phones truthfully"), named a subcommand that does not exist
// (/agreement retire) and a streak /progress does not keep.
func TestHelpSuggestsAgreementsThatProtectBothAndWatchNeither(t *testing.T) {
	help := helpMessage(conversations.SafetyNote{}.WithDefault()).Embeds[0].Description
	mustContain(t, "/help", help,
		"`/agreement add|list|end`", "protect you both and watch neither", "\"Sunday evenings are for us\"", "`/boundary set|list|end`",
		"`/talk` asks your partner to talk through your latest check-in together", "There is no streak")
	for _, gone := range []string{"phones truthfully", "meeting an ex", "retire", "your streak"} {
		if strings.Contains(help, gone) {
			t.Errorf("/help still says %q", gone)
		}
	}
}
