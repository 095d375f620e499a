package conversations_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"mend/conversations"
)

const (
	dave         = "dave"
	otherChannel = "channel-2"
	week         = 7 * 24 * time.Hour
)

// script answers the steps it lists, gives plainly's answer to the other steps
// that are not reviews and skips the optional ones. A review must be listed:
// its verdict is what the figures of a test are computed from.
func (f *fixture) script(inputs map[conversations.StepKey]conversations.AnswerInput) answerer {
	return func(it conversations.Item) (conversations.AnswerInput, bool) {
		if in, ok := inputs[it.Key()]; ok {
			return in, false
		}
		if it.Subject != nil {
			f.t.Fatalf("the test gives no verdict for %s", it.Key())
		}
		return plainly(it)
	}
}

func trustKey() conversations.StepKey { return conversations.StepKey{PromptID: "trust"} }

func commitmentKey(id int64) conversations.StepKey {
	return conversations.StepKey{PromptID: "commitment-review", SubjectID: id}
}

func agreementKey(id int64) conversations.StepKey {
	return conversations.StepKey{PromptID: "agreement-review", SubjectID: id}
}

func scale(n int) conversations.AnswerInput { return conversations.AnswerInput{Scale: n} }

func verdict(v conversations.Verdict) conversations.AnswerInput {
	return conversations.AnswerInput{Verdict: v}
}

// otherCouple makes carol and dave an active couple next to alice and bob's.
func (f *fixture) otherCouple() conversations.Couple {
	f.t.Helper()
	c, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(carol).UserID, GuildID: guild}, partner(carol).Name, partner(dave), zone)
	if err != nil {
		f.t.Fatalf("invite: %v", err)
	}
	if c, err = f.app.Couples.Accept(f.ctx, f.inGuild(c.ID, dave), c.ID, otherChannel); err != nil {
		f.t.Fatalf("accept: %v", err)
	}
	return c
}

// knownHistory is five weeks of alice and bob, one check-in a week:
//
//	week 0  revealed  agreement G reviewed; alice makes commitment A1, bob B1
//	week 1  closed    alice finished, bob answered the trust scale only
//	week 2  revealed  A1, B1 and G reviewed
//	week 3  revealed  A1, B1 and G reviewed
//	week 4  open      alice answered the trust scale only
//
// The answers of weeks 1 and 4 were never revealed; they are chosen so that
// any figure counting them comes out different.
type knownHistory struct {
	couple   conversations.Couple
	checkIns [5]conversations.CheckIn
	a1, b1   int64
	g        int64
}

func (f *fixture) knownHistory() knownHistory {
	f.t.Helper()
	var h knownHistory
	h.couple = f.couple()
	const (
		kept, partly, missed           = conversations.VerdictKept, conversations.VerdictPartly, conversations.VerdictNotThisWeek
		respected, notRespected        = conversations.VerdictKept, conversations.VerdictNotThisWeek
		aliceMade, bobMade      string = "Home by 7 pm on weekdays", "Phone away at dinner"
	)
	h.g = f.addAgreement(h.couple.ID, alice, "We are open about money").ID

	// Week 0.
	h.checkIns[0] = f.open(h.couple.ID, "")
	f.finish(h.checkIns[0].ID, alice, f.script(map[conversations.StepKey]conversations.AnswerInput{
		trustKey(): scale(2), agreementKey(h.g): verdict(respected),
		{PromptID: "new-commitment"}: {Text: aliceMade},
	}))
	f.finish(h.checkIns[0].ID, bob, f.script(map[conversations.StepKey]conversations.AnswerInput{
		trustKey(): scale(3), agreementKey(h.g): verdict(partly),
		{PromptID: "new-commitment"}: {Text: bobMade},
	}))
	open, err := f.db.Commitments.OpenCommitments(f.ctx, h.couple.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, c := range open {
		switch c.Text {
		case aliceMade:
			h.a1 = c.ID
		case bobMade:
			h.b1 = c.ID
		}
	}
	if h.a1 == 0 || h.b1 == 0 {
		f.t.Fatalf("commitments made in week 0: %+v", open)
	}

	// Week 1: closes with bob unfinished.
	f.clock.Set(start.Add(week))
	h.checkIns[1] = f.open(h.couple.ID, "")
	f.finish(h.checkIns[1].ID, alice, f.script(map[conversations.StepKey]conversations.AnswerInput{
		trustKey(): scale(1), commitmentKey(h.a1): verdict(missed), commitmentKey(h.b1): verdict(missed),
		agreementKey(h.g): verdict(notRespected),
	}))
	step, err := f.app.Turns.Begin(f.ctx, f.as(h.checkIns[1].ID, bob), h.checkIns[1].ID)
	if err != nil {
		f.t.Fatal(err)
	}
	f.walk(step, bob, f.script(map[conversations.StepKey]conversations.AnswerInput{trustKey(): scale(5)}), 1)
	f.clock.Advance(conversations.DefaultWindow)
	if r := f.runDue(); r.Closed != 1 {
		f.t.Fatalf("RunDue at the end of week 1's window: %+v, want it closed", r)
	}

	// Week 2.
	f.clock.Set(start.Add(2 * week))
	h.checkIns[2] = f.open(h.couple.ID, "")
	f.finish(h.checkIns[2].ID, alice, f.script(map[conversations.StepKey]conversations.AnswerInput{
		trustKey(): scale(3), commitmentKey(h.a1): verdict(kept), commitmentKey(h.b1): verdict(partly),
		agreementKey(h.g): verdict(respected),
	}))
	f.finish(h.checkIns[2].ID, bob, f.script(map[conversations.StepKey]conversations.AnswerInput{
		trustKey(): scale(4), commitmentKey(h.a1): verdict(missed), commitmentKey(h.b1): verdict(partly),
		agreementKey(h.g): verdict(notRespected),
	}))

	// Week 3.
	f.clock.Set(start.Add(3 * week))
	h.checkIns[3] = f.open(h.couple.ID, "")
	f.finish(h.checkIns[3].ID, alice, f.script(map[conversations.StepKey]conversations.AnswerInput{
		trustKey(): scale(4), commitmentKey(h.a1): verdict(kept), commitmentKey(h.b1): verdict(missed),
		agreementKey(h.g): verdict(partly),
	}))
	f.finish(h.checkIns[3].ID, bob, f.script(map[conversations.StepKey]conversations.AnswerInput{
		trustKey(): scale(5), commitmentKey(h.a1): verdict(kept), commitmentKey(h.b1): verdict(partly),
		agreementKey(h.g): verdict(respected),
	}))

	// Week 4: still open.
	f.clock.Set(start.Add(4 * week))
	h.checkIns[4] = f.open(h.couple.ID, "")
	step, err = f.app.Turns.Begin(f.ctx, f.as(h.checkIns[4].ID, alice), h.checkIns[4].ID)
	if err != nil {
		f.t.Fatal(err)
	}
	f.walk(step, alice, f.script(map[conversations.StepKey]conversations.AnswerInput{trustKey(): scale(1)}), 1)

	for i, want := range []conversations.CheckInStatus{"revealed", "closed", "revealed", "revealed", "open"} {
		if got := f.storedCheckIn(h.checkIns[i].ID).Status; got != want {
			f.t.Fatalf("week %d's check-in is %s, want %s", i, got, want)
		}
	}
	f.clock.Set(start.Add(4*week + time.Hour))
	return h
}

func trustPoints(points []conversations.TrustPoint) string {
	var out []string
	for _, p := range points {
		out = append(out, fmt.Sprintf("%d@%s=%d", p.CheckInID, p.At.UTC().Format(time.DateOnly), p.Value))
	}
	return strings.Join(out, " ")
}

func wantTally(t *testing.T, what string, got conversations.Tally, kept, partly, reviews int) {
	t.Helper()
	if want := (conversations.Tally{Kept: kept, Partly: partly, Reviews: reviews}); got != want {
		t.Errorf("%s = %+v, want %+v", what, got, want)
	}
}

func TestProgressFiguresOfAKnownHistory(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	h := f.knownHistory()
	day := func(i int) string { return start.Add(time.Duration(i) * week).Format(time.DateOnly) }
	ci := func(i int) int64 { return h.checkIns[i].ID }

	// Five weeks back from an hour into week 4 reaches back before week 0.
	p, err := f.app.Records.Progress(f.ctx, f.actor(h.couple.ID, alice), 5)
	if err != nil {
		t.Fatal(err)
	}

	// Revealed: weeks 0, 2, 3. Closed: week 1. Week 4 is open and counts as neither.
	if p.Revealed != 3 || p.Closed != 1 {
		t.Errorf("revealed %d, closed %d; want 3 and 1", p.Revealed, p.Closed)
	}
	// No streak (a closed week once ended one): weeks 0, 2 and 3 were
	// shared, of the five asked for.
	if p.SharedWeeks != 3 || p.Weeks != 5 {
		t.Errorf("shared %d of %d weeks; want 3 of 5", p.SharedWeeks, p.Weeks)
	}
	a, b := p.Partners[0], p.Partners[1]
	if a.Partner.UserID != alice || b.Partner.UserID != bob {
		t.Fatalf("partners = %s, %s; want alice, bob", a.Partner.UserID, b.Partner.UserID)
	}

	// Trust, oldest first, revealed weeks only: alice 2, 3, 4 (not week 1's 1
	// nor week 4's 1); bob 3, 4, 5 (not week 1's 5).
	if got, want := trustPoints(a.Trust), fmt.Sprintf("%d@%s=2 %d@%s=3 %d@%s=4", ci(0), day(0), ci(2), day(2), ci(3), day(3)); got != want {
		t.Errorf("alice's trust = %s, want %s", got, want)
	}
	if got, want := trustPoints(b.Trust), fmt.Sprintf("%d@%s=3 %d@%s=4 %d@%s=5", ci(0), day(0), ci(2), day(2), ci(3), day(3)); got != want {
		t.Errorf("bob's trust = %s, want %s", got, want)
	}

	// Alice's commitment A1, as she rated it: week 2 kept, week 3 kept = 2
	// kept of 2. As bob rated it: week 2 missed, week 3 kept = 1 kept of 2.
	// They differed in week 2 only: 1 divergent.
	wantTally(t, "alice's own view", a.OwnView, 2, 0, 2)
	wantTally(t, "bob's view of alice's commitments", a.OtherView, 1, 0, 2)
	if a.Divergent != 1 {
		t.Errorf("alice's divergent reviews = %d, want 1", a.Divergent)
	}
	// Bob's commitment B1, as he rated it: partly, partly = 0 kept and 2
	// partly of 2. As alice rated it: partly, missed = 0 kept and 1 partly of
	// 2. They differed in week 3 only (missed and partly): 1 divergent.
	wantTally(t, "bob's own view", b.OwnView, 0, 2, 2)
	wantTally(t, "alice's view of bob's commitments", b.OtherView, 0, 1, 2)
	if b.Divergent != 1 {
		t.Errorf("bob's divergent reviews = %d, want 1", b.Divergent)
	}
	// Agreement G as alice saw it: respected, respected, partly = 2 respected
	// and 1 partly of 3; as bob saw it: partly, not respected, respected = 1
	// respected and 1 partly of 3. Week 1's not-respected from alice counts
	// nowhere.
	wantTally(t, "agreements as alice saw them", a.Agreements, 2, 1, 3)
	wantTally(t, "agreements as bob saw them", b.Agreements, 1, 1, 3)
}

func TestProgressIsTheSameForBothPartners(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	h := f.knownHistory()

	ofAlice, err := f.app.Records.Progress(f.ctx, f.actor(h.couple.ID, alice), 5)
	if err != nil {
		t.Fatal(err)
	}
	ofBob, err := f.app.Records.Progress(f.ctx, f.actor(h.couple.ID, bob), 5)
	if err != nil {
		t.Fatal(err)
	}

	if fmt.Sprintf("%+v", ofAlice) != fmt.Sprintf("%+v", ofBob) {
		t.Errorf("progress differs by who asks:\nalice %+v\nbob   %+v", ofAlice, ofBob)
	}
}

func TestProgressCountsOnlyTheWeeksAskedFor(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	h := f.knownHistory()

	// Two weeks back from an hour into week 4 is an hour into week 2: only
	// week 3 is revealed in the span, and no closed one is in it.
	p, err := f.app.Records.Progress(f.ctx, f.actor(h.couple.ID, alice), 2)
	if err != nil {
		t.Fatal(err)
	}

	if p.Revealed != 1 || p.Closed != 0 {
		t.Errorf("revealed %d, closed %d; want 1 and 0", p.Revealed, p.Closed)
	}
	if got, want := trustPoints(p.Partners[0].Trust), fmt.Sprintf("%d@%s=4", h.checkIns[3].ID, start.Add(3*week).Format(time.DateOnly)); got != want {
		t.Errorf("alice's trust = %s, want %s", got, want)
	}
	// Week 3 alone: bob rated alice's A1 kept, 1 of 1.
	wantTally(t, "bob's view of alice's commitments", p.Partners[0].OtherView, 1, 0, 1)
	// Shared weeks count only the span: week 3, of two.
	if p.SharedWeeks != 1 || p.Weeks != 2 {
		t.Errorf("shared %d of %d weeks; want 1 of 2", p.SharedWeeks, p.Weeks)
	}
}

func TestProgressRefusesBadSpansAndStrangers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()

	for _, weeks := range []int{0, -1, conversations.MaxProgressWeeks + 1} {
		_, err := f.app.Records.Progress(f.ctx, f.actor(c.ID, alice), weeks)
		wantCode(t, fmt.Sprintf("progress over %d weeks", weeks), err, conversations.EINVALID)
	}
	_, err := f.app.Records.Progress(f.ctx, f.actor(c.ID, mallory), 4)
	wantCode(t, "progress for a stranger", err, conversations.EUNAUTHORIZED)
}

// wantNoProgress checks that p has nothing in it but the partners' names.
func wantNoProgress(t *testing.T, p conversations.Progress, couple conversations.Couple) {
	t.Helper()
	if p.Revealed != 0 || p.Closed != 0 || p.SharedWeeks != 0 {
		t.Errorf("revealed %d, closed %d, shared weeks %d; want all 0", p.Revealed, p.Closed, p.SharedWeeks)
	}
	for i, pp := range p.Partners {
		if pp.Partner != couple.Partners[i] {
			t.Errorf("partner %d = %+v, want %+v", i, pp.Partner, couple.Partners[i])
		}
		if len(pp.Trust) != 0 || pp.Divergent != 0 {
			t.Errorf("partner %d: trust %v, divergent %d; want none", i, pp.Trust, pp.Divergent)
		}
		for name, r := range map[string]conversations.Tally{"own view": pp.OwnView, "other view": pp.OtherView, "agreements": pp.Agreements} {
			if r != (conversations.Tally{}) {
				t.Errorf("partner %d %s = %+v, want empty", i, name, r)
			}
		}
	}
}

func aliceAndBobCouple() conversations.Couple {
	return conversations.Couple{ID: 1, Partners: [2]conversations.Partner{partner(alice), partner(bob)}, Status: conversations.CoupleActive, TimeZone: zone}
}

func TestNewProgressOfNoCheckInsIsEmpty(t *testing.T) {
	t.Parallel()
	couple := aliceAndBobCouple()

	p := conversations.NewProgress(couple, nil, nil, nil, start.Add(-4*week), start)

	wantNoProgress(t, p, couple)
	if !p.Since.Equal(start.Add(-4*week)) || !p.Until.Equal(start) {
		t.Errorf("span = %v to %v, want %v to %v", p.Since, p.Until, start.Add(-4*week), start)
	}
}

func TestNewProgressIgnoresAnOpenCheckIn(t *testing.T) {
	t.Parallel()
	couple := aliceAndBobCouple()
	open := conversations.CheckIn{
		ID: 7, CoupleID: couple.ID, Template: conversations.Builtins()[0], Status: conversations.CheckInOpen,
		Subjects: []conversations.Subject{
			{PromptID: "commitment-review", Kind: conversations.SubjectCommitment, ID: 3, Text: "Call mum", OwnerID: alice},
			{PromptID: "agreement-review", Kind: conversations.SubjectAgreement, ID: 4, Text: "No secrets"},
		},
		OpenedAt: start.Add(-time.Hour), ClosesAt: start.Add(47 * time.Hour),
	}
	// Answers handed in for it anyway must not count either.
	answers := map[int64][]conversations.Answer{7: {
		{CheckInID: 7, UserID: alice, PromptID: "trust", Scale: 5},
		{CheckInID: 7, UserID: bob, PromptID: "commitment-review", SubjectID: 3, Verdict: conversations.VerdictNotThisWeek},
		{CheckInID: 7, UserID: alice, PromptID: "commitment-review", SubjectID: 3, Verdict: conversations.VerdictKept},
		{CheckInID: 7, UserID: bob, PromptID: "agreement-review", SubjectID: 4, Verdict: conversations.VerdictKept},
	}}

	p := conversations.NewProgress(couple, []conversations.CheckIn{open}, answers, nil, start.Add(-4*week), start)

	wantNoProgress(t, p, couple)
}

func TestNewProgressTakesCheckInsInAnyOrder(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	h := f.knownHistory()
	newestFirst, err := f.db.CheckIns.CheckIns(f.ctx, h.couple.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	answers := map[int64][]conversations.Answer{}
	for _, ci := range newestFirst {
		if ci.Status == conversations.CheckInRevealed {
			answers[ci.ID] = f.storedAnswers(ci.ID)
		}
	}
	since, until := start.Add(-week), f.clock.Now()
	want := conversations.NewProgress(h.couple, newestFirst, answers, nil, since, until)
	shuffled := []conversations.CheckIn{newestFirst[2], newestFirst[0], newestFirst[4], newestFirst[1], newestFirst[3]}

	got := conversations.NewProgress(h.couple, shuffled, answers, nil, since, until)

	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("progress from shuffled check-ins:\n got %+v\nwant %+v", got, want)
	}
}

// A check-in whose window has ended is closed, whether or not RunDue has
// recorded that yet (CheckIn.StatusAt): it counts as closed, and not as a
// week shared.
func TestProgressCountsAnExpiredCheckInAsClosedBeforeItIsRecorded(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	first := f.open(c.ID, "")
	f.finish(first.ID, alice, plainly)
	f.finish(first.ID, bob, plainly)
	f.clock.Set(start.Add(week))
	second := f.open(c.ID, "")
	f.finish(second.ID, alice, plainly)
	f.clock.Advance(conversations.DefaultWindow + time.Hour)

	p, err := f.app.Records.Progress(f.ctx, f.actor(c.ID, alice), 4)
	if err != nil {
		t.Fatal(err)
	}

	if p.SharedWeeks != 1 || p.Weeks != 4 || p.Closed != 1 || p.Revealed != 1 {
		t.Errorf("shared %d of %d weeks, closed %d, revealed %d; want 1 of 4, 1, 1", p.SharedWeeks, p.Weeks, p.Closed, p.Revealed)
	}
}

// --- history ---

func TestHistoryIsNewestFirstWithNumbersOnlyForRevealedCheckIns(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	h := f.knownHistory()

	entries, err := f.app.Records.History(f.ctx, f.actor(h.couple.ID, bob), conversations.MaxHistory)
	if err != nil {
		t.Fatal(err)
	}

	var got []string
	for _, e := range entries {
		got = append(got, fmt.Sprintf("%d %s trust=%v reviews=%d divergent=%d made=%d", e.CheckIn.ID, e.CheckIn.Status, e.Trust, e.Reviews, e.Divergent, e.Made))
	}
	ci := func(i int) int64 { return h.checkIns[i].ID }
	want := []string{
		// Open: nothing, though alice answered trust and it reviews three subjects.
		fmt.Sprintf("%d open trust=[0 0] reviews=0 divergent=0 made=0", ci(4)),
		// A1 kept/kept, B1 missed/partly, G partly/respected: 3 reviews, 2 divergent.
		fmt.Sprintf("%d revealed trust=[4 5] reviews=3 divergent=2 made=0", ci(3)),
		// A1 kept/missed, B1 partly/partly, G respected/not respected: 2 divergent.
		fmt.Sprintf("%d revealed trust=[3 4] reviews=3 divergent=2 made=0", ci(2)),
		// Closed: nothing, though both answered trust.
		fmt.Sprintf("%d closed trust=[0 0] reviews=0 divergent=0 made=0", ci(1)),
		// G respected/partly; one new commitment each.
		fmt.Sprintf("%d revealed trust=[2 3] reviews=1 divergent=1 made=2", ci(0)),
	}
	if !slices.Equal(got, want) {
		t.Errorf("history:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// As with progress: /history must not call a check-in whose window has
// ended "open now" because RunDue has not recorded the end yet.
func TestHistoryShowsAnExpiredCheckInAsClosedBeforeItIsRecorded(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	f.finish(ci.ID, alice, plainly)
	f.clock.Advance(conversations.DefaultWindow + time.Hour)

	entries, err := f.app.Records.History(f.ctx, f.actor(c.ID, alice), 5)
	if err != nil {
		t.Fatal(err)
	}

	if len(entries) != 1 {
		t.Fatalf("history = %d entries, want 1", len(entries))
	}
	if got := entries[0].CheckIn.Status; got != conversations.CheckInClosed {
		t.Errorf("the expired check-in shows as %s, want %s", got, conversations.CheckInClosed)
	}
}

func TestHistoryReturnsAtMostTheCountAskedFor(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	h := f.knownHistory()

	entries, err := f.app.Records.History(f.ctx, f.actor(h.couple.ID, alice), 2)
	if err != nil {
		t.Fatal(err)
	}

	if len(entries) != 2 || entries[0].CheckIn.ID != h.checkIns[4].ID || entries[1].CheckIn.ID != h.checkIns[3].ID {
		t.Errorf("history of 2 = %d entries, want weeks 4 and 3", len(entries))
	}
}

func TestHistoryRefusesBadCountsAndStrangers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()

	for _, count := range []int{0, -1, conversations.MaxHistory + 1} {
		_, err := f.app.Records.History(f.ctx, f.actor(c.ID, alice), count)
		wantCode(t, fmt.Sprintf("history of %d", count), err, conversations.EINVALID)
	}
	_, err := f.app.Records.History(f.ctx, f.actor(c.ID, mallory), 5)
	wantCode(t, "history for a stranger", err, conversations.EUNAUTHORIZED)
	if entries, err := f.app.Records.History(f.ctx, f.actor(c.ID, alice), conversations.MaxHistory); err != nil || len(entries) != 0 {
		t.Errorf("history of a couple without check-ins = %+v, %v; want none", entries, err)
	}
}

// --- commitments ---

func (f *fixture) addCommitment(coupleID int64, owner, text string) conversations.Commitment {
	f.t.Helper()
	c, err := f.app.Commitments.Add(f.ctx, f.actor(coupleID, owner), text, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func (f *fixture) storedCommitment(id int64) conversations.Commitment {
	f.t.Helper()
	c, err := f.db.Commitments.Commitment(f.ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

func reviewedIn(ci conversations.CheckIn, kind conversations.SubjectKind) []int64 {
	var ids []int64
	for _, s := range ci.Subjects {
		if s.Kind == kind {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

func TestTheOwnerClosesACommitmentDoneOrDropped(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	call := f.addCommitment(c.ID, alice, "Call mum")
	cook := f.addCommitment(c.ID, bob, "Cook on Fridays")
	f.clock.Advance(time.Hour)

	done, err := f.app.Commitments.Close(f.ctx, f.actor(c.ID, alice), call.ID, conversations.CommitmentDone)
	if err != nil {
		t.Fatal(err)
	}
	dropped, err := f.app.Commitments.Close(f.ctx, f.actor(c.ID, bob), cook.ID, conversations.CommitmentDropped)
	if err != nil {
		t.Fatal(err)
	}

	at := start.Add(time.Hour)
	for _, tt := range []struct {
		returned conversations.Commitment
		id       int64
		want     conversations.CommitmentStatus
	}{{done, call.ID, conversations.CommitmentDone}, {dropped, cook.ID, conversations.CommitmentDropped}} {
		stored := f.storedCommitment(tt.id)
		if tt.returned.Status != tt.want || !tt.returned.ClosedAt.Equal(at) {
			t.Errorf("returned commitment %d: %s at %v, want %s at %v", tt.id, tt.returned.Status, tt.returned.ClosedAt, tt.want, at)
		}
		if stored.Status != tt.want || !stored.ClosedAt.Equal(at) {
			t.Errorf("stored commitment %d: %s at %v, want %s at %v", tt.id, stored.Status, stored.ClosedAt, tt.want, at)
		}
	}
}

func TestOnlyTheOwnerCanCloseACommitment(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	call := f.addCommitment(c.ID, alice, "Call mum")

	_, err := f.app.Commitments.Close(f.ctx, f.actor(c.ID, bob), call.ID, conversations.CommitmentDone)
	wantCode(t, "bob closes alice's commitment", err, conversations.EUNAUTHORIZED)
	if msg := conversations.ErrorMessage(err); !strings.Contains(msg, "Only Alice") {
		t.Errorf("message = %q, want it to name alice", msg)
	}
	_, err = f.app.Commitments.Close(f.ctx, f.actor(c.ID, mallory), call.ID, conversations.CommitmentDone)
	wantCode(t, "a stranger closes alice's commitment", err, conversations.EUNAUTHORIZED)

	if stored := f.storedCommitment(call.ID); stored.Status != conversations.CommitmentOpen || !stored.ClosedAt.IsZero() {
		t.Errorf("stored commitment = %s closed at %v, want still open", stored.Status, stored.ClosedAt)
	}
}

func TestClosingACommitmentTwiceIsConflict(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	call := f.addCommitment(c.ID, alice, "Call mum")
	if _, err := f.app.Commitments.Close(f.ctx, f.actor(c.ID, alice), call.ID, conversations.CommitmentDone); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)

	_, err := f.app.Commitments.Close(f.ctx, f.actor(c.ID, alice), call.ID, conversations.CommitmentDropped)

	wantCode(t, "close a done commitment", err, conversations.ECONFLICT)
	if stored := f.storedCommitment(call.ID); stored.Status != conversations.CommitmentDone || !stored.ClosedAt.Equal(start) {
		t.Errorf("stored commitment = %s at %v, want done at %v", stored.Status, stored.ClosedAt, start)
	}
}

func TestClosingAnotherCouplesCommitmentIsNotFound(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	other := f.otherCouple()
	theirs := f.addCommitment(other.ID, carol, "Call dad")

	_, err := f.app.Commitments.Close(f.ctx, f.actor(c.ID, alice), theirs.ID, conversations.CommitmentDone)
	wantCode(t, "close another couple's commitment", err, conversations.ENOTFOUND)
	_, err = f.app.Commitments.Close(f.ctx, f.actor(c.ID, alice), theirs.ID+100, conversations.CommitmentDone)
	wantCode(t, "close a commitment that does not exist", err, conversations.ENOTFOUND)

	if stored := f.storedCommitment(theirs.ID); stored.Status != conversations.CommitmentOpen {
		t.Errorf("carol's commitment is %s, want still open", stored.Status)
	}
}

func TestClosingACommitmentOpenAgainIsInvalid(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	call := f.addCommitment(c.ID, alice, "Call mum")

	for _, status := range []conversations.CommitmentStatus{conversations.CommitmentOpen, "forged"} {
		_, err := f.app.Commitments.Close(f.ctx, f.actor(c.ID, alice), call.ID, status)
		wantCode(t, "close as "+string(status), err, conversations.EINVALID)
	}
	if stored := f.storedCommitment(call.ID); stored.Status != conversations.CommitmentOpen {
		t.Errorf("stored commitment is %s, want open", stored.Status)
	}
}

func TestClosedCommitmentsAreNotReviewedAgain(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	done := f.addCommitment(c.ID, alice, "Call mum")
	dropped := f.addCommitment(c.ID, bob, "Run a marathon")
	open := f.addCommitment(c.ID, bob, "Cook on Fridays")
	if _, err := f.app.Commitments.Close(f.ctx, f.actor(c.ID, alice), done.ID, conversations.CommitmentDone); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.Commitments.Close(f.ctx, f.actor(c.ID, bob), dropped.ID, conversations.CommitmentDropped); err != nil {
		t.Fatal(err)
	}

	ci := f.open(c.ID, "")

	if got := reviewedIn(ci, conversations.SubjectCommitment); !slices.Equal(got, []int64{open.ID}) {
		t.Errorf("commitments reviewed = %v, want only the open one, %d", got, open.ID)
	}
}

func TestCommitmentsListsOpenOnesFirst(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	first := f.addCommitment(c.ID, alice, "Call mum")
	second := f.addCommitment(c.ID, bob, "Cook on Fridays")
	third := f.addCommitment(c.ID, alice, "Walk daily")
	if _, err := f.app.Commitments.Close(f.ctx, f.actor(c.ID, alice), first.ID, conversations.CommitmentDone); err != nil {
		t.Fatal(err)
	}
	f.addCommitment(f.otherCouple().ID, carol, "Call dad")

	list, err := f.app.Commitments.List(f.ctx, f.actor(c.ID, bob))
	if err != nil {
		t.Fatal(err)
	}

	var got []int64
	for _, cm := range list {
		got = append(got, cm.ID)
	}
	if want := []int64{second.ID, third.ID, first.ID}; !slices.Equal(got, want) {
		t.Errorf("commitments = %v, want %v", got, want)
	}
	_, err = f.app.Commitments.List(f.ctx, f.actor(c.ID, mallory))
	wantCode(t, "commitments for a stranger", err, conversations.EUNAUTHORIZED)
}

// --- agreements ---

// addAgreement is an agreement by proposes, which the other partner agrees to.
func (f *fixture) addAgreement(coupleID int64, by, text string) conversations.Agreement {
	f.t.Helper()
	a := f.propose(coupleID, by, text)
	couple, err := f.db.Couples.Couple(f.ctx, coupleID)
	if err != nil {
		f.t.Fatal(err)
	}
	if a, err = f.app.Agreements.AgreeTo(f.ctx, f.actor(coupleID, couple.Other(by).UserID), a.ID, conversations.AgreementProposed); err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f *fixture) propose(coupleID int64, by, text string) conversations.Agreement {
	f.t.Helper()
	a, err := f.app.Agreements.Propose(f.ctx, f.actor(coupleID, by), text)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// retire is an agreement ended by one partner.
func (f *fixture) retire(coupleID int64, by string, a conversations.Agreement) {
	f.t.Helper()
	if _, err := f.app.Agreements.End(f.ctx, f.actor(coupleID, by), a.ID); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) agreementStatus(coupleID, id int64) conversations.AgreementStatus {
	f.t.Helper()
	all, err := f.db.Agreements.Agreements(f.ctx, coupleID)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, a := range all {
		if a.ID == id {
			return a.Status
		}
	}
	f.t.Fatalf("agreement %d is not stored", id)
	return ""
}

func TestRetiredAgreementIsNotReviewedAgain(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	retired := f.addAgreement(c.ID, alice, "We are open about money")
	active := f.addAgreement(c.ID, bob, "No phones in bed")
	f.retire(c.ID, bob, retired)

	ci := f.open(c.ID, "")

	if got := reviewedIn(ci, conversations.SubjectAgreement); !slices.Equal(got, []int64{active.ID}) {
		t.Errorf("agreements reviewed = %v, want only the active one, %d", got, active.ID)
	}
	list, err := f.app.Agreements.List(f.ctx, f.actor(c.ID, alice))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != active.ID || list[1].ID != retired.ID {
		t.Errorf("agreements = %+v, want the active one first", list)
	}
}

// --- export and forgetting, as the service guards them ---

func TestAStrangerCannotExportOrForget(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	f.finish(ci.ID, alice, plainly)
	answers := f.count(`SELECT COUNT(*) FROM answers`)

	_, err := f.app.Records.Export(f.ctx, f.actor(c.ID, mallory))
	wantCode(t, "export for a stranger", err, conversations.EUNAUTHORIZED)
	_, err = f.app.Records.Forget(f.ctx, f.actor(c.ID, mallory), c.ID)
	wantCode(t, "forget by a stranger", err, conversations.EUNAUTHORIZED)
	_, err = f.app.Records.ForgetMyAnswers(f.ctx, f.inGuild(c.ID, mallory), c.ID)
	wantCode(t, "forget answers by a stranger", err, conversations.EUNAUTHORIZED)

	if n := f.count(`SELECT COUNT(*) FROM couples WHERE id = ?`, c.ID); n != 1 {
		t.Errorf("%d couples left, want 1", n)
	}
	if n := f.count(`SELECT COUNT(*) FROM answers`); n != answers {
		t.Errorf("%d answers left, want %d", n, answers)
	}
}

func TestForgetOfACoupleThatIsGoneIsNotFound(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	by := f.actor(c.ID, alice)
	if _, err := f.app.Records.Forget(f.ctx, by, c.ID); err != nil {
		t.Fatal(err)
	}

	_, err := f.app.Records.Forget(f.ctx, by, c.ID)

	wantCode(t, "forget twice", err, conversations.ENOTFOUND)
}

func TestExportLeavesOutThePartnersUnrevealedAnswers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	f.finish(ci.ID, alice, byPrompt(map[string]conversations.AnswerInput{
		"trust": {Scale: 3}, "appreciation": {Text: "alice-words"}, "need": {Text: "alice-need"},
	}))
	step, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, bob), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.walk(step, bob, byPrompt(map[string]conversations.AnswerInput{
		"trust": {Scale: 2}, "appreciation": {Text: "bob-unrevealed-words"},
	}), 2)

	authors := func(viewer string) string {
		export, err := f.app.Records.Export(f.ctx, f.actor(c.ID, viewer))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, row := range export.Tables["answers"] {
			got = append(got, fmt.Sprintf("%v:%v", row["user_id"], row["prompt_id"]))
		}
		slices.Sort(got)
		return strings.Join(got, " ")
	}

	if got, want := authors(alice), "alice:appreciation alice:hurt alice:need alice:new-commitment alice:responsibility alice:trust alice:week"; got != want {
		t.Errorf("alice's export has the answers %s, want only her own: %s", got, want)
	}
	if got, want := authors(bob), "bob:appreciation bob:trust"; got != want {
		t.Errorf("bob's export has the answers %s, want only his own: %s", got, want)
	}
}

func TestForgetMyAnswersWaitsUntilThePartnerLeft(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ci := f.revealedWithHurt()
	before := f.count(`SELECT COUNT(*) FROM answers WHERE checkin_id = ?`, ci.ID)

	_, err := f.app.Records.ForgetMyAnswers(f.ctx, f.inGuild(ci.CoupleID, alice), ci.CoupleID)

	wantCode(t, "forget my answers in an active couple", err, conversations.ECONFLICT)
	if n := f.count(`SELECT COUNT(*) FROM answers WHERE checkin_id = ?`, ci.ID); n != before {
		t.Errorf("%d answers left, want %d", n, before)
	}
}

func TestForgetMyAnswersAfterLeavingDeletesOnlyThatPartnersAnswers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ci := f.revealedWithHurt()
	if _, err := f.app.CheckIns.Acknowledge(f.ctx, f.as(ci.ID, bob), ci.ID, "hurt", 0); err != nil {
		t.Fatal(err)
	}
	aliceBefore := f.count(`SELECT COUNT(*) FROM answers WHERE user_id = ?`, alice)
	bobBefore := f.count(`SELECT COUNT(*) FROM answers WHERE user_id = ?`, bob)
	if aliceBefore == 0 || bobBefore == 0 {
		t.Fatalf("answers before: alice %d, bob %d; want some of both", aliceBefore, bobBefore)
	}
	if _, err := f.app.Couples.Leave(f.ctx, f.as(ci.ID, alice), ci.CoupleID, false); err != nil {
		t.Fatal(err)
	}

	n, err := f.app.Records.ForgetMyAnswers(f.ctx, f.inGuild(ci.CoupleID, alice), ci.CoupleID)
	if err != nil {
		t.Fatal(err)
	}

	if n != aliceBefore {
		t.Errorf("ForgetMyAnswers reported %d, want %d", n, aliceBefore)
	}
	if left := f.count(`SELECT COUNT(*) FROM answers WHERE user_id = ?`, alice); left != 0 {
		t.Errorf("%d answers of alice left, want 0", left)
	}
	if left := f.count(`SELECT COUNT(*) FROM answers WHERE user_id = ?`, bob); left != bobBefore {
		t.Errorf("%d answers of bob left, want all %d", left, bobBefore)
	}
	if left := f.count(`SELECT COUNT(*) FROM acknowledgements WHERE author_id = ?`, alice); left != 0 {
		t.Errorf("%d acknowledgements of alice's words left, want 0", left)
	}
	if left := f.count(`SELECT COUNT(*) FROM checkins WHERE id = ?`, ci.ID); left != 1 {
		t.Errorf("the check-in itself went too")
	}
}

func TestAMissingCommitmentOrAgreementIsNamedByItsListNumber(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()

	_, err := f.app.Commitments.Close(f.ctx, f.actor(c.ID, alice), 404, conversations.CommitmentDone)
	if got, want := conversations.ErrorMessage(err), "There is no commitment #404 of yours; `/commitment list` shows them."; got != want {
		t.Errorf("missing commitment: %q, want %q", got, want)
	}
	_, err = f.app.Agreements.End(f.ctx, f.actor(c.ID, alice), 405)
	if got, want := conversations.ErrorMessage(err), "There is no agreement #405 between you two; `/agreement list` shows them."; got != want {
		t.Errorf("missing agreement: %q, want %q", got, want)
	}
}

func TestLeavingWithMyAnswersDeletedIsOneStepThatCanBeRepeated(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ci := f.revealedWithHurt()
	aliceBefore := f.count(`SELECT COUNT(*) FROM answers WHERE user_id = ?`, alice)
	by := f.as(ci.ID, alice)

	left, err := f.app.Couples.Leave(f.ctx, by, ci.CoupleID, true)
	if err != nil {
		t.Fatal(err)
	}

	if left.Couple.Status != conversations.CoupleEnded || left.AnswersDeleted != aliceBefore || left.Again {
		t.Errorf("left = %+v, want the couple ended, %d answers deleted, the first time", left, aliceBefore)
	}
	again, err := f.app.Couples.Leave(f.ctx, by, ci.CoupleID, true)
	if err != nil || !again.Again || again.AnswersDeleted != 0 {
		t.Errorf("pressed again: %+v, %v; want the deletion tried again, with nothing left to delete", again, err)
	}
	_, err = f.app.Couples.Leave(f.ctx, by, ci.CoupleID, false)
	wantCode(t, "leave twice without deleting", err, conversations.ECONFLICT)
}
