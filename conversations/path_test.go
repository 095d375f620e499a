package conversations_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"mend/config"
	"mend/conversations"
)

// weekOf is the question of the guided path a check-in drew, or fails.
func weekOf(t testing.TB, ci conversations.CheckIn) conversations.Drawn {
	t.Helper()
	q, ok := ci.PathWeek()
	if !ok {
		t.Fatalf("check-in %d has no question of the week; prompts %v", ci.ID, promptIDs(ci))
	}
	return *q.Drawn
}

func promptIDs(ci conversations.CheckIn) []string {
	var ids []string
	for _, p := range ci.Template.Prompts {
		ids = append(ids, p.ID)
	}
	return ids
}

// openWeekly opens a check-in by hand, as the couple would a week after the
// last one, whose window has ended by then.
func (f *fixture) openWeekly(coupleID int64) conversations.CheckIn {
	f.t.Helper()
	ci := f.open(coupleID, "")
	f.clock.Advance(week)
	return ci
}

func (f *fixture) pathOf(coupleID int64) conversations.PathView {
	f.t.Helper()
	v, err := f.app.GuidedPath.Of(f.ctx, f.actor(coupleID, alice))
	if err != nil {
		f.t.Fatalf("path: %v", err)
	}
	return v
}

func TestThePathWalksThePlanInOrderThenGoesRoundAgain(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	plan := f.app.Settings().Library.Plan()
	n := len(plan)
	for i := range n + 2 {
		d := weekOf(t, f.openWeekly(c.ID))
		want := plan[i%n]
		if d.Pack != want.ID || d.Theme != want.Name || d.Week != i%n+1 || d.Weeks != n || d.Round != i/n+1 {
			t.Errorf("check-in %d drew %+v; want %s, week %d of %d, round %d", i+1, d, want.ID, i%n+1, n, i/n+1)
		}
		if i > 0 && i < n {
			if prev := plan[i-1].Step; stepIndex(d.Step) < stepIndex(prev) {
				t.Errorf("week %d serves %s after %s", i+1, d.Step, prev)
			}
		}
	}
}

func stepIndex(s conversations.TrustStep) int {
	for i, t := range conversations.TrustSteps {
		if t == s {
			return i
		}
	}
	return -1
}

func TestNoQuestionComesBackBeforeItsPackIsDoneOverThreeYearsOfScheduledCheckIns(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	f.weekly(c.ID, 1)
	lib := f.app.Settings().Library
	// The questions asked in each pack's current round.
	round := map[string]map[string]bool{}
	rounds := map[string]int{}
	for i := range 14 * 12 { // a little over three years: twelve rounds of the plan
		sched, err := f.app.Schedules.Get(f.ctx, f.actor(c.ID, alice))
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Set(sched.NextRunAt)
		if r := f.runDue(); r.Opened != 1 {
			t.Fatalf("week %d: %+v, want one check-in opened", i+1, r)
		}
		ci, err := f.app.CheckIns.Current(f.ctx, f.byFirst(c.ID))
		if err != nil {
			t.Fatalf("week %d: %v", i+1, err)
		}
		d := weekOf(t, ci)
		pack, _ := lib.Pack(d.Pack)
		if round[d.Pack] == nil {
			round[d.Pack] = map[string]bool{}
		}
		if round[d.Pack][d.Question] {
			if len(round[d.Pack]) != len(pack.Questions) {
				t.Fatalf("week %d asks %s again after %d of the %d questions of %s", i+1, d.Question, len(round[d.Pack]), len(pack.Questions), d.Pack)
			}
			round[d.Pack] = map[string]bool{}
			rounds[d.Pack]++
		}
		round[d.Pack][d.Question] = true
		// Some weeks are answered, most are not: the path moves on either way.
		if i%13 == 0 {
			f.finish(ci.ID, alice, plainly)
			f.finish(ci.ID, bob, plainly)
		}
	}
	for _, p := range lib.Plan() {
		if len(round[p.ID]) != len(p.Questions) && rounds[p.ID] == 0 {
			t.Errorf("pack %s: %d of %d questions asked in three years", p.ID, len(round[p.ID]), len(p.Questions))
		}
	}
}

func TestSkippingAndSwitchingPacksMidPath(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	for range 4 {
		f.openWeekly(c.ID)
	}
	open := f.open(c.ID, "") // week 5: repair
	if d := weekOf(t, open); d.Pack != "repair" {
		t.Fatalf("week 5 is %s, want repair", d.Pack)
	}

	skipped, v, err := f.app.GuidedPath.SkipTheme(f.ctx, f.actor(c.ID, bob))
	if err != nil {
		t.Fatal(err)
	}
	if skipped.Pack.ID != "show-dont-just-say" || v.Next.Pack.ID != "appreciation" || v.Next.Week != 7 {
		t.Errorf("skipped %s, next %s week %d; want show-dont-just-say skipped and appreciation, week 7, next", skipped.Pack.ID, v.Next.Pack.ID, v.Next.Week)
	}
	if v.Current == nil || v.Current.Drawn.Pack != "repair" {
		t.Errorf("the open check-in's theme is %+v, want repair", v.Current)
	}
	if got := weekOf(t, f.storedCheckIn(open.ID)); got.Pack != "repair" {
		t.Errorf("the open check-in's question moved to %s; it keeps its question", got.Pack)
	}

	var on []string
	for _, ps := range v.Packs {
		if ps.Pack.ID != "appreciation" && ps.Pack.ID != "boundaries-money" {
			on = append(on, ps.Pack.ID)
		}
	}
	v, turnedOn, turnedOff, err := f.app.GuidedPath.SetPacks(f.ctx, f.actor(c.ID, alice), c.ID, on)
	if err != nil {
		t.Fatal(err)
	}
	// Turning packs off is a proposal: nothing changes before bob's yes.
	if len(turnedOn) != 0 || len(turnedOff) != 2 || v.Next.Pack.ID != "appreciation" || v.Next.Weeks != 14 {
		t.Errorf("turned on %d, proposed off %d; next %s of %d weeks; want 2 proposed, appreciation still next, 14 weeks", len(turnedOn), len(turnedOff), v.Next.Pack.ID, v.Next.Weeks)
	}
	if _, _, err := f.app.GuidedPath.AnswerPacksOff(f.ctx, f.actor(c.ID, alice), c.ID, v.Path.ProposalKey(), true); conversations.ErrorCode(err) != conversations.EUNAUTHORIZED {
		t.Errorf("alice accepting her own proposal: %v", err)
	}
	v, proposed, err := f.app.GuidedPath.AnswerPacksOff(f.ctx, f.actor(c.ID, bob), c.ID, v.Path.ProposalKey(), true)
	if err != nil {
		t.Fatal(err)
	}
	if len(proposed) != 2 || v.Next.Pack.ID != "boundaries-social" || v.Next.Weeks != 12 {
		t.Errorf("bob accepted %d packs; next %s of %d weeks; want 2 off, boundaries-social next, 12 weeks", len(proposed), v.Next.Pack.ID, v.Next.Weeks)
	}
	f.clock.Advance(week)
	d := weekOf(t, f.openWeekly(c.ID))
	if d.Pack != "boundaries-social" || d.Week != 7 || d.Weeks != 12 {
		t.Errorf("after switching packs off: %s, week %d of %d; want boundaries-social, week 7 of 12", d.Pack, d.Week, d.Weeks)
	}

	// Round again: the packs turned off are passed over, and the packs
	// asked before go on with their next question.
	// Acknowledging the hurt has two weeks a round: its third and fourth
	// questions come now.
	var packs, hurt []string
	for range 11 {
		d := weekOf(t, f.openWeekly(c.ID))
		packs = append(packs, d.Pack)
		if d.Pack == "acknowledging-the-hurt" {
			hurt = append(hurt, d.Question)
		}
	}
	if s := strings.Join(hurt, " "); s != "hurt-how-to-talk hurt-safe-to-share" {
		t.Errorf("the hurt pack asks %s in the second round, want hurt-how-to-talk hurt-safe-to-share", s)
	}
	for _, p := range packs {
		if p == "appreciation" || p == "boundaries-money" {
			t.Errorf("pack %s was asked while off: %v", p, packs)
		}
	}
}

func TestAPackProposedOffThatIsKeptStaysOn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	var on []string
	for _, p := range f.app.Settings().Library.PlanPacks() {
		if p.ID != "acknowledging-the-hurt" {
			on = append(on, p.ID)
		}
	}
	asked, _, _, err := f.app.GuidedPath.SetPacks(f.ctx, f.actor(c.ID, alice), c.ID, on)
	if err != nil {
		t.Fatal(err)
	}
	v, proposed, err := f.app.GuidedPath.AnswerPacksOff(f.ctx, f.actor(c.ID, bob), c.ID, asked.Path.ProposalKey(), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(proposed) != 1 || proposed[0].ID != "acknowledging-the-hurt" || v.Next.Pack.ID != "acknowledging-the-hurt" || len(v.Path.ProposedOff) != 0 {
		t.Errorf("kept %v; next %s; proposal %v; want the hurt pack kept on and no proposal left", proposed, v.Next.Pack.ID, v.Path.ProposedOff)
	}
	if _, _, err := f.app.GuidedPath.AnswerPacksOff(f.ctx, f.actor(c.ID, bob), c.ID, v.Path.ProposalKey(), true); conversations.ErrorCode(err) != conversations.ECONFLICT {
		t.Errorf("answering a proposal twice: %v", err)
	}
}

func TestTheQuestionOfTheWeekOffLeavesItOutAndKeepsThePlace(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	f.openWeekly(c.ID)
	if _, err := f.app.GuidedPath.SetQuestionOfTheWeek(f.ctx, f.actor(c.ID, bob), false); err != nil {
		t.Fatal(err)
	}
	_, err := f.app.GuidedPath.SetQuestionOfTheWeek(f.ctx, f.actor(c.ID, alice), false)
	wantCode(t, "off twice", err, conversations.ECONFLICT)
	_, _, err = f.app.GuidedPath.SkipTheme(f.ctx, f.actor(c.ID, alice))
	wantCode(t, "skip while off", err, conversations.ECONFLICT)

	ci := f.openWeekly(c.ID)
	if qs := ci.QuestionsOfTheWeek(); len(qs) != 0 || len(ci.Template.Prompts) != 8 {
		t.Errorf("a check-in with the question of the week off has %v", promptIDs(ci))
	}
	if _, err := f.app.GuidedPath.SetQuestionOfTheWeek(f.ctx, f.actor(c.ID, alice), true); err != nil {
		t.Fatal(err)
	}
	if d := weekOf(t, f.openWeekly(c.ID)); d.Pack != "acknowledging-the-hurt" || d.Week != 2 || d.Question != "hurt-want-understood" {
		t.Errorf("back on, the path goes on with %s (%s), week %d; want acknowledging-the-hurt's second week, hurt-want-understood", d.Pack, d.Question, d.Week)
	}
}

func TestPathChangesRefuseBadInputAndStrangersAndChangeNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	before, err := f.db.Paths.GuidedPath(f.ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, _, _, err = f.app.GuidedPath.SetPacks(f.ctx, f.actor(c.ID, alice), c.ID, []string{"boundaries-money", "no-such-pack"})
	wantCode(t, "an unknown pack", err, conversations.EINVALID)
	_, _, _, err = f.app.GuidedPath.SetPacks(f.ctx, f.actor(c.ID, alice), c.ID, nil)
	wantCode(t, "no pack at all", err, conversations.EINVALID)
	var all []string
	for _, p := range f.app.Settings().Library.PlanPacks() {
		all = append(all, p.ID)
	}
	_, _, _, err = f.app.GuidedPath.SetPacks(f.ctx, f.actor(c.ID, alice), c.ID, all)
	wantCode(t, "the packs that are on already", err, conversations.ECONFLICT)
	_, _, err = f.app.GuidedPath.SkipTheme(f.ctx, f.actor(c.ID, mallory))
	wantCode(t, "a stranger skips", err, conversations.EUNAUTHORIZED)
	_, err = f.app.GuidedPath.Of(f.ctx, f.actor(c.ID, mallory))
	wantCode(t, "a stranger looks", err, conversations.EUNAUTHORIZED)
	after, err := f.db.Paths.GuidedPath(f.ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Version != before.Version || after.Slot != before.Slot || len(after.PacksOff) != 0 {
		t.Errorf("refused changes changed the path: %+v", after)
	}
}

// withoutQuestion is the built-in library with one question removed from
// its pack, as an operator's edit would leave it.
func withoutQuestion(t *testing.T, questionID string) *conversations.Library {
	t.Helper()
	builtin, err := config.BuiltinLibrary()
	if err != nil {
		t.Fatal(err)
	}
	q, ok := builtin.Question(questionID)
	if !ok {
		t.Fatalf("no question %s", questionID)
	}
	pack, _ := builtin.Pack(q.Pack)
	var kept []conversations.Question
	for _, other := range pack.Questions {
		if other.ID != questionID {
			kept = append(kept, other)
		}
	}
	pack.Questions = kept
	l, err := config.NewLibrary(true, []conversations.Pack{pack}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestAQuestionRemovedFromItsPackWhileACheckInHoldsIt(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	held := weekOf(t, ci)
	text := ci.Template.Prompts[slicesIndex(ci, conversations.WeekPromptID)].Text

	f.restart()
	f.configure(conversations.Settings{Library: withoutQuestion(t, held.Question)})
	answers := byPrompt(map[string]conversations.AnswerInput{"trust": {Scale: 3}, "appreciation": {Text: "a"}, "need": {Text: "b"}, "week": {Choice: "Some space first, then talking"}})
	f.finish(ci.ID, alice, answers)
	f.finish(ci.ID, bob, answers)

	r, err := f.app.CheckIns.Reveal(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	var row *conversations.RevealRow
	for i := range r.Rows {
		if r.Rows[i].Item.Prompt.ID == conversations.WeekPromptID {
			row = &r.Rows[i]
		}
	}
	if row == nil || row.Item.Prompt.Text != text || row.Item.Prompt.Drawn.Question != held.Question ||
		row.Answers[0].Choice != "Some space first, then talking" || row.Answers[1].Choice != "Some space first, then talking" {
		t.Fatalf("the reveal's question of the week is %+v, want %q with both answers", row, text)
	}

	// The pack goes on without it, from its next question, a round later.
	f.clock.Advance(week)
	var next conversations.Drawn
	for range len(f.app.Settings().Library.Plan()) {
		next = weekOf(t, f.openWeekly(c.ID))
	}
	if next.Pack != held.Pack || next.Question == held.Question {
		t.Errorf("a round later the pack %s asks %s", next.Pack, next.Question)
	}
}

func slicesIndex(ci conversations.CheckIn, promptID string) int {
	for i, p := range ci.Template.Prompts {
		if p.ID == promptID {
			return i
		}
	}
	return -1
}

func TestTheRevealHistoryExportAndProgressShowTheQuestionOfTheWeek(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	d := weekOf(t, ci)
	f.finish(ci.ID, alice, byPrompt(map[string]conversations.AnswerInput{"trust": {Scale: 4}, "appreciation": {Text: "a"}, "need": {Text: "b"}, "week": {Choice: "Being listened to, without fixing"}}))
	f.finish(ci.ID, bob, byPrompt(map[string]conversations.AnswerInput{"trust": {Scale: 2}, "appreciation": {Text: "c"}, "need": {Text: "d"}, "week": {Choice: "Doing something calm together"}}))

	r, err := f.app.CheckIns.Reveal(f.ctx, f.as(ci.ID, bob), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, row := range r.Rows {
		if row.Item.Prompt.Drawn != nil {
			found = row.Answers[0].Choice == "Being listened to, without fixing" && row.Answers[1].Choice == "Doing something calm together"
		}
	}
	if !found {
		t.Error("the reveal does not show both answers to the question of the week side by side")
	}

	history, err := f.app.Records.History(f.ctx, f.actor(c.ID, alice), 5)
	if err != nil {
		t.Fatal(err)
	}
	if q, ok := history[0].CheckIn.PathWeek(); !ok || q.Drawn.Question != d.Question || q.Drawn.Theme != "acknowledging the hurt" {
		t.Errorf("history's question of the week: %+v, %v", q.Drawn, ok)
	}

	export, err := f.app.Records.Export(f.ctx, f.actor(c.ID, alice))
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(export)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`\"question\":\"` + d.Question + `\"`, `\"theme\":\"acknowledging the hurt\"`, "Doing something calm together"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("the export does not hold %s", want)
		}
	}
	if paths := export.Tables["paths"]; len(paths) != 1 {
		t.Errorf("the export holds %d rows of paths, want the couple's", len(paths))
	}

	f.openWeekly(c.ID) // a second theme, opened but not finished
	p, err := f.app.Records.Progress(f.ctx, f.actor(c.ID, alice), 4)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(p.Themes) != "[{acknowledging the hurt 1}]" {
		t.Errorf("progress themes done = %v, want only the one finished together", p.Themes)
	}
}

func TestARotatingPromptWithPacksOfItsOwnTakesThemInTurn(t *testing.T) {
	t.Parallel()
	evening := conversations.Template{ID: "evening", Prompts: []conversations.Prompt{
		{ID: "close", Kind: conversations.KindScale, Text: "How close did you feel?", LowLabel: "Far", HighLabel: "Close"},
		{ID: "extra", Kind: conversations.KindRotating, Packs: []string{"closeness-and-fun", "appreciation"}},
	}}
	f := newFixture(t, evening)
	c := f.couple()
	var got []string
	for range 4 {
		ci := f.open(c.ID, "evening")
		f.clock.Advance(week)
		qs := ci.QuestionsOfTheWeek()
		if len(qs) != 1 || qs[0].ID != "extra" || qs[0].Drawn.Week != 0 {
			t.Fatalf("questions of the week %+v", qs)
		}
		got = append(got, qs[0].Drawn.Question)
	}
	if s := strings.Join(got, " "); s != "close-way-of-being-close fond-feel-appreciated close-do-together fond-memory" {
		t.Errorf("drawn %s, want the two packs in turn, each from its start", s)
	}
	if v := f.pathOf(c.ID); v.Next.Week != 1 {
		t.Errorf("the guided path moved to week %d; only its own prompt moves it", v.Next.Week)
	}
	var on []string
	for _, p := range f.app.Settings().Library.PlanPacks() {
		if p.ID != "closeness-and-fun" {
			on = append(on, p.ID)
		}
	}
	asked, _, _, err := f.app.GuidedPath.SetPacks(f.ctx, f.actor(c.ID, alice), c.ID, on)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.app.GuidedPath.AnswerPacksOff(f.ctx, f.actor(c.ID, bob), c.ID, asked.Path.ProposalKey(), true); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		ci := f.open(c.ID, "evening")
		f.clock.Advance(week)
		if p := ci.QuestionsOfTheWeek()[0].Drawn.Pack; p != "appreciation" {
			t.Errorf("with closeness and fun off, drew from %s", p)
		}
	}
}

// racingStore lets a partner change the path between the scheduler reading
// a due schedule and applying its plan.
type racingStore struct {
	conversations.ScheduleStore
	race func()
}

func (s *racingStore) DueSchedules(ctx context.Context, now time.Time, limit int) ([]conversations.DueSchedule, error) {
	due, err := s.ScheduleStore.DueSchedules(ctx, now, limit)
	if s.race != nil && len(due) > 0 {
		s.race()
		s.race = nil
	}
	return due, err
}

func TestAPathChangedWhileTheSchedulerPlannedIsPlannedAgain(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	s := f.weekly(c.ID, 1)
	store := &racingStore{ScheduleStore: f.db.Schedules}
	stores := f.db.Stores()
	stores.Schedules = store
	app := conversations.New(stores, f.clock, f.templates, f.settings)
	store.race = func() {
		if _, _, err := f.app.GuidedPath.SkipTheme(f.ctx, f.actor(c.ID, bob)); err != nil {
			t.Error(err)
		}
	}
	f.clock.Set(s.NextRunAt)
	r, err := app.Schedules.RunDue(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Opened != 0 {
		t.Fatalf("%+v: a plan made before the skip was applied over it", r)
	}
	if r, err = app.Schedules.RunDue(f.ctx); err != nil || r.Opened != 1 {
		t.Fatalf("the next round: %+v, %v; want the check-in opened", r, err)
	}
	ci, err := app.CheckIns.Current(f.ctx, f.byFirst(c.ID))
	if err != nil {
		t.Fatal(err)
	}
	if d := weekOf(t, ci); d.Pack != "acknowledging-the-hurt" || d.Week != 2 {
		t.Errorf("the check-in brings %s, week %d; want acknowledging-the-hurt's second week after the skip", d.Pack, d.Week)
	}
}
