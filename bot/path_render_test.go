package bot

import (
	"strings"
	"testing"

	"mend/config"
	"mend/conversations"
)

func renderLibrary(t *testing.T) *conversations.Library {
	t.Helper()
	l, err := config.BuiltinLibrary()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// weekCheckIn is the render check-in with a question of the week drawn from
// the library, as a check-in in the sixth week of the path holds it.
func weekCheckIn(t *testing.T) conversations.CheckIn {
	t.Helper()
	q, ok := renderLibrary(t).Question("show-care-for-us")
	if !ok {
		t.Fatal("no question show-care-for-us")
	}
	ci := renderCheckIn()
	ci.Template.Prompts = append([]conversations.Prompt(nil), ci.Template.Prompts...)
	ci.Template.Prompts = append(ci.Template.Prompts, conversations.Prompt{
		ID: conversations.WeekPromptID, Kind: q.Kind, Text: q.Text, Hint: q.Hint, Label: q.Label, Optional: true, MaxLength: conversations.DefaultTextLength,
		Drawn: &conversations.Drawn{Pack: q.Pack, Theme: "show, don't just say", Question: q.ID, Step: q.Step, Week: 6, Weeks: 14, Round: 1},
	})
	return ci
}

func weekItem(t *testing.T, ci conversations.CheckIn) (conversations.Item, int, int) {
	t.Helper()
	items := ci.Items()
	for i, it := range items {
		if it.Prompt.Drawn != nil {
			return it, i, len(items)
		}
	}
	t.Fatal("no question of the week among the items")
	return conversations.Item{}, 0, 0
}

func TestRenderTheQuestionOfTheWeek(t *testing.T) {
	ci := weekCheckIn(t)
	it, i, total := weekItem(t, ci)
	step := conversations.Step{CheckIn: ci, Couple: renderCouple, UserID: "400000000000000004", Item: it, Index: i, Total: total}
	m := stepMessage(step, renderCouple)
	checkLimits(t, "the question of the week", m)
	golden(t, "step_week", m.responseData())
	modal := textModal(step, "")
	golden(t, "step_week_modal", modal)
	if got := text(m.responseData()); !strings.Contains(got, "This week's question · Week 6 of 14: show, don't just say") {
		t.Errorf("the step does not say it is this week's question:\n%s", got)
	}

	ci.Status = conversations.CheckInRevealed
	golden(t, "checkin_post_week", checkInPost(ci, renderCouple, renderNow).send())
	r := conversations.NewReveal(ci, renderCouple, []conversations.Answer{
		{CheckInID: ci.ID, UserID: "300000000000000003", PromptID: conversations.WeekPromptID, Text: "I cooked on Sunday."},
		{CheckInID: ci.ID, UserID: "400000000000000004", PromptID: conversations.WeekPromptID, Text: "I came home on time."},
	})
	for _, row := range r.Rows {
		if row.Item.Prompt.Drawn != nil {
			golden(t, "reveal_week", rowEmbeds(row, r, [2]string{"Alex", "Sam"}))
		}
	}
}

func TestTheFormOfAQuestionOfTheWeekIsLabelledWithItsShortLabel(t *testing.T) {
	l := renderLibrary(t)
	for _, p := range l.Packs() {
		for _, q := range p.Questions {
			if q.Kind != conversations.KindText {
				continue
			}
			if got := inputLabel(conversations.Prompt{Text: q.Text, Label: q.Label}); got != q.Label {
				t.Errorf("%s: the form's field says %q, want the label %q", q.ID, got, q.Label)
			}
		}
	}
}

func pathView(t *testing.T, off ...string) conversations.PathView {
	t.Helper()
	l := renderLibrary(t)
	v := conversations.PathView{Couple: renderCouple, Path: conversations.Path{CoupleID: renderCouple.ID, Slot: 5, PacksOff: off}, HasNext: true}
	for _, p := range l.PlanPacks() {
		v.Packs = append(v.Packs, conversations.PackState{Pack: p, On: !contains(off, p.ID)})
	}
	plan := l.Plan()
	v.Next = conversations.Week{Slot: 5, Week: 6, Weeks: 14, Round: 1, Pack: plan[5]}
	v.After = conversations.Week{Slot: 6, Week: 7, Weeks: 14, Round: 1, Pack: plan[6]}
	return v
}

func TestRenderThePath(t *testing.T) {
	v := pathView(t)
	golden(t, "path_show", pathMessage(v).responseData())
	mustContain(t, "/path show", text(pathMessage(v).responseData()), "**Week 6 of 14: show, don't just say.** This week's question comes with your next check-in.", "Then:** week 7 of 14: appreciation and fondness.")

	ci := weekCheckIn(t)
	q, _ := ci.PathWeek()
	v.Current = &q
	mustContain(t, "/path show with a check-in open", text(pathMessage(v).responseData()), "This week's question is in the check-in open now", "Next:** week 6 of 14")

	off := pathView(t, "boundaries-money")
	off.Path.Off = true
	golden(t, "path_show_off", pathMessage(off).responseData())

	packs := pathPacksMessage(off)
	checkLimits(t, "/path packs", packs)
	golden(t, "path_packs", packs.responseData())

	after := pathView(t)
	after.Next = after.After
	golden(t, "path_skipped", pathSkippedMessage(v.Next, after).responseData())
	p, _ := renderLibrary(t).Pack("boundaries-money")
	proposed := pathView(t)
	proposed.Path.ProposedOff, proposed.Path.ProposedBy = []string{"boundaries-money"}, proposed.Couple.Partners[1].UserID
	golden(t, "path_packs_changed", pathPacksChangedMessage("Sam", nil, []conversations.Pack{p}, proposed).responseData())
	fewer := pathView(t, "boundaries-money")
	fewer.Next.Weeks = 13
	golden(t, "path_packs_off_accepted", packsOffAnsweredMessage("Alex", true, []conversations.Pack{p}, fewer).responseData())
	golden(t, "path_packs_off_kept", packsOffAnsweredMessage("Alex", false, []conversations.Pack{p}, proposed).responseData())
	golden(t, "path_off", pathSwitchedMessage("Sam", off).responseData())
}

func TestHistoryAndProgressNameTheQuestionsOfTheWeek(t *testing.T) {
	ci := weekCheckIn(t)
	ci.Status = conversations.CheckInRevealed
	m := historyMessage([]conversations.HistoryEntry{{CheckIn: ci}}, renderCouple)
	mustContain(t, "/history", text(m.responseData()), "question of the week (week 6 of 14: show, don't just say): “Something I did to care for us”")
	p := progressMessage(conversations.Progress{Couple: renderCouple, Revealed: 2, Themes: []conversations.ThemeDone{{Theme: "acknowledging the hurt", Times: 2}, {Theme: "transparency", Times: 1}}}, 12)
	mustContain(t, "/progress", text(p.responseData()), "Themes of your path done together:** acknowledging the hurt (2 times), transparency.")
}
