package conversations_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"mend/config"
	"mend/conversations"
	"mend/conversations/clocktest"
	"mend/internal/testkit"
	"mend/storage"
)

// start is when every test begins: a Monday morning, 10:00 in Berlin.
var start = time.Date(2025, time.March, 10, 9, 0, 0, 0, time.UTC)

const (
	guild   = "guild-1"
	channel = "channel-1"
	zone    = "Europe/Berlin"
	alice   = "alice"
	bob     = "bob"
	carol   = "carol"
	mallory = "mallory"
)

// fixture is a service over a real database in a temp dir, driven by a fake clock.
type fixture struct {
	t         testing.TB
	ctx       context.Context
	path      string
	db        *storage.DB
	clock     *clocktest.Clock
	templates *conversations.Templates
	app       *conversations.Mend
	settings  conversations.Settings
}

// newFixture starts a service with the built-in templates and the given custom ones.
func newFixture(t testing.TB, custom ...conversations.Template) *fixture {
	t.Helper()
	templates, err := conversations.NewTemplates(true, custom...)
	if err != nil {
		t.Fatalf("templates: %v", err)
	}
	f := &fixture{
		t:         t,
		ctx:       t.Context(),
		path:      filepath.Join(t.TempDir(), "mend.db"),
		clock:     clocktest.New(start),
		templates: templates,
		settings:  conversations.Settings{Library: builtinPacks(t)},
	}
	f.db = mustOpenDB(t, f.path)
	f.app = conversations.New(f.db.Stores(), f.clock, f.templates, f.settings)
	t.Cleanup(func() { mustCloseDB(t, f.db) })
	return f
}

// restart drops the service and its database handle, as a crash or a deploy
// would, and starts new ones on the same file.
func (f *fixture) restart() {
	f.t.Helper()
	mustCloseDB(f.t, f.db)
	f.db = mustOpenDB(f.t, f.path)
	f.app = conversations.New(f.db.Stores(), f.clock, f.templates, f.settings)
}

// configure gives the service settings other than the defaults, as an
// operator's config would.
func (f *fixture) configure(settings conversations.Settings) {
	if settings.Library == nil {
		settings.Library = builtinPacks(f.t)
	}
	f.settings = settings
	f.app = conversations.New(f.db.Stores(), f.clock, f.templates, f.settings)
}

func mustOpenDB(tb testing.TB, path string) *storage.DB {
	tb.Helper()
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("open database: %v", err)
	}
	return db
}

func mustCloseDB(tb testing.TB, db *storage.DB) {
	tb.Helper()
	if err := db.Close(); err != nil {
		tb.Errorf("close database: %v", err)
	}
}

// couple makes alice and bob an active couple.
func (f *fixture) couple() conversations.Couple {
	f.t.Helper()
	c, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(bob), zone)
	if err != nil {
		f.t.Fatalf("invite: %v", err)
	}
	if c, err = f.app.Couples.Accept(f.ctx, f.inGuild(c.ID, bob), c.ID, channel); err != nil {
		f.t.Fatalf("accept: %v", err)
	}
	return c
}

// open opens a check-in of the given template ("" for the default).
func (f *fixture) open(coupleID int64, templateID string) conversations.CheckIn {
	f.t.Helper()
	ci, err := f.app.CheckIns.Open(f.ctx, f.byFirst(coupleID), templateID)
	if err != nil {
		f.t.Fatalf("open check-in: %v", err)
	}
	return ci
}

// answerer decides what a partner gives for one step; skip means press Skip.
type answerer func(it conversations.Item) (in conversations.AnswerInput, skip bool)

// byPrompt answers each step with the input listed for its prompt, the same for
// every subject of a review, and skips prompts that are not listed.
func byPrompt(inputs map[string]conversations.AnswerInput) answerer {
	return func(it conversations.Item) (conversations.AnswerInput, bool) {
		in, ok := inputs[it.Prompt.ID]
		return in, !ok
	}
}

// plainly gives a valid answer to every step and skips what can be skipped,
// but for a scale, which it answers so that tracked numbers have a value.
func plainly(it conversations.Item) (conversations.AnswerInput, bool) {
	if it.Prompt.Optional && it.Prompt.Kind != conversations.KindScale {
		return conversations.AnswerInput{}, true
	}
	switch it.Prompt.Kind {
	case conversations.KindScale:
		return conversations.AnswerInput{Scale: 3}, false
	case conversations.KindChoice:
		return conversations.AnswerInput{Choice: it.Prompt.Options[0]}, false
	case conversations.KindCommitmentReview:
		return conversations.AnswerInput{Verdict: conversations.VerdictKept}, false
	case conversations.KindAgreementReview:
		return conversations.AnswerInput{Verdict: conversations.VerdictKept}, false
	}
	return conversations.AnswerInput{Text: "words for " + it.Prompt.ID}, false
}

// finish walks a partner from Begin through every step and returns the last
// step the service handed back.
func (f *fixture) finish(checkInID int64, userID string, answer answerer) conversations.Step {
	f.t.Helper()
	step, err := f.app.Turns.Begin(f.ctx, f.as(checkInID, userID), checkInID)
	if err != nil {
		f.t.Fatalf("%s begins: %v", userID, err)
	}
	return f.walk(step, userID, answer, -1)
}

// walk answers from step on until the partner is done, or until n steps were
// answered when n >= 0; a partner who answered everything sends.
func (f *fixture) walk(step conversations.Step, userID string, answer answerer, n int) conversations.Step {
	f.t.Helper()
	for i := 0; !step.Done && i != n; i++ {
		if i > 50 {
			f.t.Fatalf("%s: still not done after %d steps", userID, i)
		}
		key := step.Item.Key()
		in, skip := answer(step.Item)
		var err error
		if skip {
			step, err = f.app.Turns.Skip(f.ctx, f.as(step.CheckIn.ID, userID), step.CheckIn.ID, key)
		} else {
			step, err = f.app.Turns.Answer(f.ctx, f.as(step.CheckIn.ID, userID), step.CheckIn.ID, key, in)
		}
		if err != nil {
			f.t.Fatalf("%s answers %s: %v", userID, key, err)
		}
	}
	if step.Done && !step.Sent {
		// Every step answered: the partner sends, as they would after
		// rereading.
		var err error
		if step, err = f.app.Turns.Send(f.ctx, f.as(step.CheckIn.ID, userID), step.CheckIn.ID); err != nil {
			f.t.Fatalf("%s sends: %v", userID, err)
		}
	}
	return step
}

// answerN begins and answers the first n steps of a partner.
func (f *fixture) answerN(checkInID int64, userID string, n int) conversations.Step {
	f.t.Helper()
	step, err := f.app.Turns.Begin(f.ctx, f.as(checkInID, userID), checkInID)
	if err != nil {
		f.t.Fatalf("%s begins: %v", userID, err)
	}
	return f.walk(step, userID, plainly, n)
}

// storedAnswers reads what the database holds, bypassing the service.
func (f *fixture) storedAnswers(checkInID int64) []conversations.Answer {
	f.t.Helper()
	answers, err := f.db.Answers.Answers(f.ctx, checkInID)
	if err != nil {
		f.t.Fatalf("load answers: %v", err)
	}
	return answers
}

// storedCheckIn reads a check-in as the database holds it.
func (f *fixture) storedCheckIn(checkInID int64) conversations.CheckIn {
	f.t.Helper()
	ci, err := f.db.CheckIns.CheckIn(f.ctx, checkInID)
	if err != nil {
		f.t.Fatalf("load check-in: %v", err)
	}
	return ci
}

func partner(userID string) conversations.Partner {
	return conversations.Partner{UserID: userID, Name: strings.ToUpper(userID[:1]) + userID[1:]}
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := conversations.ErrorCode(err); got != code {
		t.Fatalf("%s: error = %v (code %q), want code %q", what, err, got, code)
	}
}

func answerKeys(answers []conversations.Answer) string {
	keys := make([]string, len(answers))
	for i, a := range answers {
		keys[i] = a.UserID + ":" + a.Key().String()
	}
	slices.Sort(keys)
	return strings.Join(keys, " ")
}

func statuses(ci conversations.CheckIn) string {
	return fmt.Sprintf("%s=%s %s=%s", ci.Participants[0].UserID, ci.Participants[0].Status, ci.Participants[1].UserID, ci.Participants[1].Status)
}

// --- consent ---

func TestInviteWaitsForTheInviteesConsent(t *testing.T) {
	t.Parallel()
	f := newFixture(t)

	c, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(bob), zone)
	if err != nil {
		t.Fatal(err)
	}

	if c.Status != conversations.CouplePending {
		t.Errorf("status = %s, want %s", c.Status, conversations.CouplePending)
	}
	if !c.Partners[0].ConsentedAt.Equal(start) || c.Partners[1].Consented() {
		t.Errorf("consent = %v / %v, want the inviter's at %v and none from the invitee", c.Partners[0].ConsentedAt, c.Partners[1].ConsentedAt, start)
	}
	// Before the invitee accepts there is no channel to open a check-in from.
	_, err = f.app.CheckIns.Open(f.ctx, f.byFirst(c.ID), "")
	wantCode(t, "open a check-in before the invitee accepted", err, conversations.ENOTFOUND)
	if n := f.count(`SELECT COUNT(*) FROM checkins`); n != 0 {
		t.Errorf("%d check-ins opened, want none", n)
	}
}

func TestOnlyTheInviteeCanAccept(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(bob), zone)
	if err != nil {
		t.Fatal(err)
	}

	for _, user := range []string{alice, mallory, ""} {
		_, err := f.app.Couples.Accept(f.ctx, f.inGuild(c.ID, user), c.ID, channel)
		wantCode(t, "accept by "+user, err, conversations.EUNAUTHORIZED)
	}
	stored, err := f.db.Couples.Couple(f.ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Status != conversations.CouplePending || stored.Partners[1].Consented() {
		t.Fatalf("after refused accepts: status %s, invitee consented %v; want pending without consent", stored.Status, stored.Partners[1].Consented())
	}

	f.clock.Advance(time.Hour)
	accepted, err := f.app.Couples.Accept(f.ctx, f.inGuild(c.ID, bob), c.ID, channel)
	if err != nil {
		t.Fatal(err)
	}
	stored, err = f.db.Couples.Couple(f.ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Status != conversations.CoupleActive || !stored.Partners[1].ConsentedAt.Equal(start.Add(time.Hour)) {
		t.Errorf("stored couple = status %s, invitee consented at %v; want active, consented at %v", stored.Status, stored.Partners[1].ConsentedAt, start.Add(time.Hour))
	}
	if accepted.Status != conversations.CoupleActive {
		t.Errorf("Accept returned status %s, want %s", accepted.Status, conversations.CoupleActive)
	}
}

func TestAcceptTwiceIsConflict(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()

	_, err := f.app.Couples.Accept(f.ctx, f.inGuild(c.ID, bob), c.ID, channel)
	wantCode(t, "accept again", err, conversations.ECONFLICT)
}

func TestDeclineEndsTheInvitation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(bob), zone)
	if err != nil {
		t.Fatal(err)
	}

	_, err = f.app.Couples.Decline(f.ctx, f.inGuild(c.ID, alice), c.ID)
	wantCode(t, "decline by the inviter", err, conversations.EUNAUTHORIZED)
	declined, err := f.app.Couples.Decline(f.ctx, f.inGuild(c.ID, bob), c.ID)
	if err != nil {
		t.Fatal(err)
	}

	if declined.Status != conversations.CoupleEnded {
		t.Errorf("status = %s, want %s", declined.Status, conversations.CoupleEnded)
	}
	_, err = f.app.Couples.Accept(f.ctx, f.inGuild(c.ID, bob), c.ID, channel)
	wantCode(t, "accept after declining", err, conversations.ECONFLICT)
	_, err = f.app.Couples.Of(f.ctx, conversations.Actor{UserID: alice, GuildID: guild})
	wantCode(t, "couple of the inviter after the decline", err, conversations.ENOTFOUND)
}

func TestDeclinedPartnersCanBeInvitedAgain(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(bob), zone)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.Couples.Decline(f.ctx, f.inGuild(c.ID, bob), c.ID); err != nil {
		t.Fatal(err)
	}

	again, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(bob).UserID, GuildID: guild}, partner(bob).Name, partner(alice), zone)
	if err != nil {
		t.Fatalf("invite after a declined invitation: %v", err)
	}
	if again.ID == c.ID {
		t.Errorf("the new invitation reused couple %d", c.ID)
	}
}

func TestInvitingYourselfIsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)

	_, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(alice), zone)

	wantCode(t, "invite yourself", err, conversations.EINVALID)
	if msg := conversations.ErrorMessage(err); !strings.Contains(msg, "can't invite yourself") {
		t.Errorf("message = %q", msg)
	}
	_, err = f.app.Couples.Of(f.ctx, conversations.Actor{UserID: alice, GuildID: guild})
	wantCode(t, "couple after a refused invitation", err, conversations.ENOTFOUND)
}

func TestInviteRefusesSomeoneAlreadyInACouple(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		active           bool
		inviter, invitee string
		want             string
	}{
		// Someone else's invitation or couple is theirs: the same words,
		// naming nobody and giving no date.
		{"invitee has a pending couple", false, carol, bob, "Mend can't send this invitation now. Each person can be in one couple here at a time, and whether someone has an invitation or a couple is theirs to tell, so Mend doesn't say more."},
		{"invitee has an active couple", true, carol, bob, "Mend can't send this invitation now. Each person can be in one couple here at a time, and whether someone has an invitation or a couple is theirs to tell, so Mend doesn't say more."},
		{"inviter has a pending couple", false, alice, carol, "Your invitation to Bob is still waiting for an answer, until Mon 17 Mar 10:00 CET"},
		{"inviter has an active couple", true, bob, carol, "Bob already has a couple"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			c, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(bob), zone)
			if err != nil {
				t.Fatal(err)
			}
			if tt.active {
				if _, err := f.app.Couples.Accept(f.ctx, f.inGuild(c.ID, bob), c.ID, channel); err != nil {
					t.Fatal(err)
				}
			}

			_, err = f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(tt.inviter).UserID, GuildID: guild}, partner(tt.inviter).Name, partner(tt.invitee), zone)

			wantCode(t, "invite", err, conversations.ECONFLICT)
			if msg := conversations.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("message = %q, want %q", msg, tt.want)
			}
			if msg := conversations.ErrorMessage(err); tt.inviter == carol && (strings.Contains(msg, "Alice") || strings.Contains(msg, "Bob") || strings.Contains(msg, "Mar")) {
				t.Errorf("carol's refusal tells her about someone else: %q", msg)
			}
			_, err = f.app.Couples.Of(f.ctx, conversations.Actor{UserID: carol, GuildID: guild})
			wantCode(t, "couple of carol", err, conversations.ENOTFOUND)
		})
	}
}

func TestInviteInAnotherGuildIsAllowed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.couple()

	if _, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(carol).UserID, GuildID: "guild-2"}, partner(carol).Name, partner(bob), zone); err != nil {
		t.Errorf("invite in another server: %v", err)
	}
}

func TestInviteRefusesBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		inviter, invitee conversations.Partner
		zone             string
	}{
		{"unknown time zone", partner(alice), partner(bob), "Mars/Olympus_Mons"},
		{"no time zone", partner(alice), partner(bob), ""},
		{"no invitee", partner(alice), conversations.Partner{Name: "Bob"}, zone},
		{"blank name", partner(alice), conversations.Partner{UserID: bob, Name: "  "}, zone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			_, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: tt.inviter.UserID, GuildID: guild}, tt.inviter.Name, tt.invitee, tt.zone)
			wantCode(t, "invite", err, conversations.EINVALID)
			_, err = f.app.Couples.Of(f.ctx, conversations.Actor{UserID: alice, GuildID: guild})
			wantCode(t, "couple after a refused invitation", err, conversations.ENOTFOUND)
		})
	}
}

func TestRenamePartnerOnlyByThatPartner(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()

	_, err := f.app.Couples.RenamePartner(f.ctx, f.actor(c.ID, mallory), "Mal")
	wantCode(t, "rename by a stranger", err, conversations.EUNAUTHORIZED)
	_, err = f.app.Couples.RenamePartner(f.ctx, f.actor(c.ID, bob), "   ")
	wantCode(t, "rename to blank", err, conversations.EINVALID)
	if _, err := f.app.Couples.RenamePartner(f.ctx, f.actor(c.ID, bob), "  Robert "); err != nil {
		t.Fatal(err)
	}

	stored, err := f.db.Couples.Couple(f.ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Partners[0].Name != "Alice" || stored.Partners[1].Name != "Robert" {
		t.Errorf("names = %q, %q; want Alice, Robert", stored.Partners[0].Name, stored.Partners[1].Name)
	}
}

// --- a whole check-in ---

func TestFullCheckInOverRebuildingTrust(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	agreement := f.addAgreement(c.ID, alice, "We are open about money")
	commitment, err := f.app.Commitments.Add(f.ctx, f.actor(c.ID, bob), "Home by 7 pm on weekdays", "")
	if err != nil {
		t.Fatal(err)
	}
	ci := f.open(c.ID, "")

	aliceAnswers := map[string]conversations.AnswerInput{
		"trust":             {Scale: 4},
		"appreciation":      {Text: "You cooked on Tuesday."},
		"commitment-review": {Verdict: conversations.VerdictKept, Note: " every day "},
		"agreement-review":  {Verdict: conversations.VerdictKept},
		"hurt":              {Text: "The late text on Friday worried me."},
		"week":              {Choice: "Some space first, then talking"},
		"need":              {Text: "A call when plans change."},
		"new-commitment":    {Text: "Plan one evening out", DueOn: "2025-03-16"},
	}
	bobAnswers := map[string]conversations.AnswerInput{
		"trust":             {Scale: 2},
		"appreciation":      {Text: "You listened."},
		"commitment-review": {Verdict: conversations.VerdictNotThisWeek},
		"agreement-review":  {Verdict: conversations.VerdictPartly},
		"responsibility":    {Text: "I was late and did not call."},
		"need":              {Text: "Patience."},
	}

	first, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if first.Index != 0 || first.Total != 9 || first.Item.Key().PromptID != "trust" {
		t.Fatalf("first step = %s, %d of %d; want trust, 1 of 9", first.Item.Key(), first.Index+1, first.Total)
	}
	aliceDone := f.walk(first, alice, byPrompt(aliceAnswers), -1)
	bobDone := f.finish(ci.ID, bob, byPrompt(bobAnswers))

	if !aliceDone.Done || aliceDone.JustRevealed {
		t.Errorf("alice's last step: done %v, just revealed %v; want done, not revealed", aliceDone.Done, aliceDone.JustRevealed)
	}
	if !bobDone.Done || !bobDone.JustRevealed {
		t.Errorf("bob's last step: done %v, just revealed %v; want done and revealed", bobDone.Done, bobDone.JustRevealed)
	}
	r, err := f.app.CheckIns.Reveal(f.ctx, f.as(ci.ID, bob), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, row := range r.Rows {
		line := fmt.Sprintf("%s: %s | %s", row.Item.Key(), row.Answers[0].Summary(row.Item.Prompt), row.Answers[1].Summary(row.Item.Prompt))
		if row.Divergent {
			line += " (divergent)"
		}
		lines = append(lines, line)
	}
	want := []string{
		"trust: 4 of 5 | 2 of 5",
		"appreciation: You cooked on Tuesday. | You listened.",
		fmt.Sprintf("commitment-review/%d: Kept: every day | Not this week (divergent)", commitment.ID),
		fmt.Sprintf("agreement-review/%d: Kept | Partly (divergent)", agreement.ID),
		"hurt: The late text on Friday worried me. | not answered this time",
		"responsibility: not answered this time | I was late and did not call.",
		"week: Some space first, then talking | not answered this time",
		"need: A call when plans change. | Patience.",
		"new-commitment: Plan one evening out (by 2025-03-16) | not answered this time",
	}
	if got := strings.Join(lines, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("reveal:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	if r.Divergences() != 2 || r.CheckIn.Status != conversations.CheckInRevealed || !r.CheckIn.RevealedAt.Equal(start) {
		t.Errorf("reveal: %d divergences, status %s, revealed at %v; want 2, revealed at %v", r.Divergences(), r.CheckIn.Status, r.CheckIn.RevealedAt, start)
	}
}

func TestChoiceAnswerIsStoredAsTheTemplateSpellsIt(t *testing.T) {
	t.Parallel()
	evening := conversations.Template{ID: "evening", Prompts: []conversations.Prompt{
		{ID: "plan", Kind: conversations.KindChoice, Text: "What shall we do tonight?", Options: []string{"Talk", "Walk", "Rest"}},
	}}
	f := newFixture(t, evening)
	c := f.couple()
	ci := f.open(c.ID, "evening")

	step, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.app.Turns.Answer(f.ctx, f.as(ci.ID, alice), ci.ID, step.Item.Key(), conversations.AnswerInput{Choice: "Dance"})
	wantCode(t, "an option the prompt does not offer", err, conversations.EINVALID)
	if _, err := f.app.Turns.Answer(f.ctx, f.as(ci.ID, alice), ci.ID, step.Item.Key(), conversations.AnswerInput{Choice: "  wALK "}); err != nil {
		t.Fatal(err)
	}

	answers := f.storedAnswers(ci.ID)
	if len(answers) != 1 || answers[0].Choice != "Walk" {
		t.Errorf("stored answers = %+v, want one choice Walk", answers)
	}
}

func TestRevealWaitsForBothPartners(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	revealedCalls := 0
	count := func(step conversations.Step) {
		if step.JustRevealed {
			revealedCalls++
		}
	}

	count(f.finish(ci.ID, alice, plainly))

	for _, viewer := range []string{alice, bob} {
		_, err := f.app.CheckIns.Reveal(f.ctx, f.as(ci.ID, viewer), ci.ID)
		wantCode(t, "reveal to "+viewer+" with bob unfinished", err, conversations.ECONFLICT)
	}
	again, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	count(again)
	if revealedCalls != 0 {
		t.Fatalf("revealed before bob finished")
	}

	count(f.finish(ci.ID, bob, plainly))
	for _, user := range []string{alice, bob} {
		step, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, user), ci.ID)
		if err != nil {
			t.Fatalf("%s begins after the reveal: %v", user, err)
		}
		count(step)
	}

	if revealedCalls != 1 {
		t.Errorf("%d calls reported JustRevealed, want exactly 1", revealedCalls)
	}
	for _, viewer := range []string{alice, bob} {
		if _, err := f.app.CheckIns.Reveal(f.ctx, f.as(ci.ID, viewer), ci.ID); err != nil {
			t.Errorf("reveal to %s: %v", viewer, err)
		}
	}
}

func TestAnsweringARevealedCheckInIsConflict(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	f.finish(ci.ID, alice, plainly)
	f.finish(ci.ID, bob, plainly)

	_, err := f.app.Turns.Answer(f.ctx, f.as(ci.ID, alice), ci.ID, conversations.StepKey{PromptID: "trust"}, conversations.AnswerInput{Scale: 1})
	wantCode(t, "answer after the reveal", err, conversations.ECONFLICT)
	_, err = f.app.Turns.Pause(f.ctx, f.as(ci.ID, bob), ci.ID)
	wantCode(t, "pause after the reveal", err, conversations.ECONFLICT)
}

// --- interruptions ---

func TestResumeAfterRestartContinuesAtTheSameStep(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	before := f.answerN(ci.ID, alice, 2)

	f.restart()
	f.clock.Advance(3 * time.Hour)
	after, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil {
		t.Fatal(err)
	}

	if after.Item.Key() != before.Item.Key() || after.Index != 2 || after.Total != before.Total {
		t.Errorf("after a restart alice is at %s (%d of %d), want %s (3 of %d)", after.Item.Key(), after.Index+1, after.Total, before.Item.Key(), before.Total)
	}
	if got, want := answerKeys(f.storedAnswers(ci.ID)), "alice:appreciation alice:trust"; got != want {
		t.Errorf("stored answers = %s, want %s", got, want)
	}
	if p, _ := after.CheckIn.Participant(alice); p.Status != conversations.InProgress || !p.StartedAt.Equal(start) {
		t.Errorf("alice = %s, started %v; want in progress since %v", p.Status, p.StartedAt, start)
	}
}

func TestBeginTwiceStaysOnTheSameStep(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	first := f.answerN(ci.ID, bob, 1)

	again, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, bob), ci.ID)
	if err != nil {
		t.Fatal(err)
	}

	if again.Item.Key() != first.Item.Key() || again.Index != 1 {
		t.Errorf("Begin again = %s (%d), want %s (1)", again.Item.Key(), again.Index, first.Item.Key())
	}
	if n := len(f.storedAnswers(ci.ID)); n != 1 {
		t.Errorf("%d stored answers, want 1", n)
	}
}

func TestStaleStepKeyIsRefusedAndNothingStored(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	step := f.answerN(ci.ID, alice, 2)
	storedBefore := f.storedAnswers(ci.ID)

	tests := []struct {
		name string
		key  conversations.StepKey
		in   conversations.AnswerInput
	}{
		{"an earlier step", conversations.StepKey{PromptID: "trust"}, conversations.AnswerInput{Scale: 1}},
		{"a later step", conversations.StepKey{PromptID: "need"}, conversations.AnswerInput{Text: "later"}},
		{"a prompt that does not exist", conversations.StepKey{PromptID: "forged"}, conversations.AnswerInput{Text: "x"}},
		{"the right prompt with a forged subject", conversations.StepKey{PromptID: step.Item.Key().PromptID, SubjectID: 42}, conversations.AnswerInput{Text: "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.app.Turns.Answer(f.ctx, f.as(ci.ID, alice), ci.ID, tt.key, tt.in)
			wantCode(t, "answer "+tt.key.String(), err, conversations.ECONFLICT)
			if msg := conversations.ErrorMessage(err); !strings.Contains(msg, "(3 of 7)") {
				t.Errorf("message = %q, want it to say where alice is (3 of 7)", msg)
			}
			_, err = f.app.Turns.Skip(f.ctx, f.as(ci.ID, alice), ci.ID, tt.key)
			wantCode(t, "skip "+tt.key.String(), err, conversations.ECONFLICT)
		})
	}

	storedAfter := f.storedAnswers(ci.ID)
	if !slices.EqualFunc(storedBefore, storedAfter, func(a, b conversations.Answer) bool {
		return a.Key() == b.Key() && a.UserID == b.UserID && a.Scale == b.Scale && a.Text == b.Text && a.Skipped == b.Skipped
	}) {
		t.Errorf("stored answers changed:\nbefore %+v\nafter  %+v", storedBefore, storedAfter)
	}
	now, err := f.app.Turns.Current(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if now.Item.Key() != step.Item.Key() {
		t.Errorf("alice is now at %s, want still %s", now.Item.Key(), step.Item.Key())
	}
}

func TestSkipIsRefusedOnARequiredPrompt(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	// The review of one's own promise is required. (The pulse's scale was the
	// example here; like every scale it can now be skipped.)
	f.addCommitment(c.ID, alice, "Call my sister on Sundays")
	ci := f.open(c.ID, "")
	step, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, alice), ci.ID)
	for err == nil && step.Item.Prompt.Kind != conversations.KindCommitmentReview {
		if !step.Item.Prompt.Optional {
			t.Fatalf("%s is required and comes before the promise's review", step.Item.Key())
		}
		step, err = f.app.Turns.Skip(f.ctx, f.as(ci.ID, alice), ci.ID, step.Item.Key())
	}
	if err != nil {
		t.Fatal(err)
	}
	before := len(f.storedAnswers(ci.ID))

	_, err = f.app.Turns.Skip(f.ctx, f.as(ci.ID, alice), ci.ID, step.Item.Key())

	wantCode(t, "skip "+step.Item.Key().String(), err, conversations.EINVALID)
	if n := len(f.storedAnswers(ci.ID)); n != before {
		t.Errorf("%d answers stored, want %d", n, before)
	}
	now, err := f.app.Turns.Current(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if now.Item.Key() != step.Item.Key() {
		t.Errorf("alice moved to %s, want still %s", now.Item.Key(), step.Item.Key())
	}
}

func TestSkipOfAnOptionalPromptIsStoredAsSkipped(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	// trust, appreciation; then "hurt", which is optional.
	step := f.answerN(ci.ID, alice, 2)
	if step.Item.Key().PromptID != "hurt" {
		t.Fatalf("alice is at %s, want hurt", step.Item.Key())
	}

	next, err := f.app.Turns.Skip(f.ctx, f.as(ci.ID, alice), ci.ID, step.Item.Key())
	if err != nil {
		t.Fatal(err)
	}

	if next.Item.Key().PromptID != "responsibility" {
		t.Errorf("after skipping alice is at %s, want responsibility", next.Item.Key())
	}
	var hurt *conversations.Answer
	for _, a := range f.storedAnswers(ci.ID) {
		if a.PromptID == "hurt" {
			hurt = &a
		}
	}
	if hurt == nil || !hurt.Skipped || hurt.Text != "" {
		t.Errorf("stored answer to hurt = %+v, want skipped", hurt)
	}
}

func TestInvalidAnswerIsRefusedAndNothingStored(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	step, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil {
		t.Fatal(err)
	}

	_, err = f.app.Turns.Answer(f.ctx, f.as(ci.ID, alice), ci.ID, step.Item.Key(), conversations.AnswerInput{Scale: 6})

	wantCode(t, "scale 6", err, conversations.EINVALID)
	if n := len(f.storedAnswers(ci.ID)); n != 0 {
		t.Errorf("%d answers stored, want none", n)
	}
}

func TestOverlongAnswerToABuiltinPromptIsRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	// trust, appreciation, hurt, responsibility and the question of the
	// week (the last three skipped); then need.
	step := f.answerN(ci.ID, alice, 5)
	if step.Item.Key().PromptID != "need" {
		t.Fatalf("alice is at %s, want need", step.Item.Key())
	}

	_, err := f.app.Turns.Answer(f.ctx, f.as(ci.ID, alice), ci.ID, step.Item.Key(), conversations.AnswerInput{Text: strings.Repeat("ö", conversations.DefaultTextLength+1)})

	wantCode(t, "an answer over the default length", err, conversations.EINVALID)
	if n := len(f.storedAnswers(ci.ID)); n != 5 {
		t.Errorf("%d answers stored, want the 5 before", n)
	}
}

func TestPauseShowsAsPausedAndAnsweringResumes(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	step := f.answerN(ci.ID, alice, 1)
	f.clock.Advance(10 * time.Minute)

	paused, err := f.app.Turns.Pause(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := paused.Participant(alice); p.Status != conversations.Paused || !p.PausedAt.Equal(start.Add(10*time.Minute)) {
		t.Errorf("Pause returned alice %s paused at %v, want paused at %v", p.Status, p.PausedAt, start.Add(10*time.Minute))
	}
	seenByBob, _, err := f.app.CheckIns.Get(f.ctx, f.as(ci.ID, bob), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := statuses(seenByBob), "alice=paused bob=not_started"; got != want {
		t.Errorf("bob sees %s, want %s", got, want)
	}
	if _, err := f.app.Turns.Pause(f.ctx, f.as(ci.ID, alice), ci.ID); err != nil {
		t.Errorf("pausing twice: %v", err)
	}

	f.clock.Advance(time.Hour)
	next, err := f.app.Turns.Answer(f.ctx, f.as(ci.ID, alice), ci.ID, step.Item.Key(), conversations.AnswerInput{Text: "Thanks for Sunday."})
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := next.CheckIn.Participant(alice); p.Status != conversations.InProgress {
		t.Errorf("after answering alice is %s, want %s", p.Status, conversations.InProgress)
	}
	if got, want := statuses(f.storedCheckIn(ci.ID)), "alice=in_progress bob=not_started"; got != want {
		t.Errorf("stored statuses = %s, want %s", got, want)
	}
}

func TestBeginResumesAPausedCheckIn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	if _, err := f.app.Turns.Pause(f.ctx, f.as(ci.ID, bob), ci.ID); err != nil {
		t.Fatal(err)
	}

	if _, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, bob), ci.ID); err != nil {
		t.Fatal(err)
	}

	if got, want := statuses(f.storedCheckIn(ci.ID)), "alice=not_started bob=in_progress"; got != want {
		t.Errorf("stored statuses = %s, want %s", got, want)
	}
}

func TestPauseAfterFinishingIsConflict(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	f.finish(ci.ID, alice, plainly)

	_, err := f.app.Turns.Pause(f.ctx, f.as(ci.ID, alice), ci.ID)

	wantCode(t, "pause when done", err, conversations.ECONFLICT)
	if got, want := statuses(f.storedCheckIn(ci.ID)), "alice=done bob=not_started"; got != want {
		t.Errorf("stored statuses = %s, want %s", got, want)
	}
}

// --- the window ---

func TestAnsweringAfterTheWindowClosesIsRefusedAndAnswersKept(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	f.clock.Advance(conversations.DefaultWindow - time.Second)
	step := f.answerN(ci.ID, alice, 2)

	f.clock.Advance(time.Second)
	_, err := f.app.Turns.Answer(f.ctx, f.as(ci.ID, alice), ci.ID, step.Item.Key(), conversations.AnswerInput{Text: "too late"})

	wantCode(t, "answer when the window has closed", err, conversations.ECONFLICT)
	// 48 hours after Monday 10:00 in Berlin.
	if msg := conversations.ErrorMessage(err); !strings.Contains(msg, "closed on Wed 12 Mar 10:00 CET") || !strings.Contains(msg, "Everything you answered is kept") {
		t.Errorf("message = %q, want when it closed and that answers are kept", msg)
	}
	if got, want := answerKeys(f.storedAnswers(ci.ID)), "alice:appreciation alice:trust"; got != want {
		t.Errorf("stored answers = %s, want %s", got, want)
	}
	_, err = f.app.Turns.Begin(f.ctx, f.as(ci.ID, bob), ci.ID)
	wantCode(t, "begin when the window has closed", err, conversations.ECONFLICT)
	_, err = f.app.Turns.Pause(f.ctx, f.as(ci.ID, alice), ci.ID)
	wantCode(t, "pause when the window has closed", err, conversations.ECONFLICT)
	_, err = f.app.CheckIns.Current(f.ctx, f.byFirst(c.ID))
	wantCode(t, "current check-in when the window has closed", err, conversations.ENOTFOUND)
	_, err = f.app.CheckIns.Reveal(f.ctx, f.as(ci.ID, alice), ci.ID)
	wantCode(t, "reveal of a closed check-in", err, conversations.ECONFLICT)
}

func TestCurrentCheckInIsTheOpenOne(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")

	got, err := f.app.CheckIns.Current(f.ctx, f.byFirst(c.ID))
	if err != nil {
		t.Fatal(err)
	}

	if got.ID != ci.ID || !got.ClosesAt.Equal(start.Add(conversations.DefaultWindow)) {
		t.Errorf("current = %d closing %v, want %d closing %v", got.ID, got.ClosesAt, ci.ID, start.Add(conversations.DefaultWindow))
	}
}

func TestNoOpenCheckInIsExplainedTheSameWayBeforeAndAfter(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	const want = "There is no check-in open right now."

	_, before := f.app.CheckIns.Current(f.ctx, f.byFirst(c.ID))
	f.open(c.ID, "")
	f.clock.Advance(conversations.DefaultWindow)
	_, after := f.app.CheckIns.Current(f.ctx, f.byFirst(c.ID))

	for name, err := range map[string]error{"before any check-in": before, "after the window": after} {
		if conversations.ErrorCode(err) != conversations.ENOTFOUND || conversations.ErrorMessage(err) != want {
			t.Errorf("%s: error = %v, want %s with message %q", name, err, conversations.ENOTFOUND, want)
		}
	}
}

func TestOpenCheckInWhileOneIsRunningIsConflict(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	f.open(c.ID, "")

	_, err := f.app.CheckIns.Open(f.ctx, f.byFirst(c.ID), conversations.PulseID)
	wantCode(t, "open a second check-in", err, conversations.ECONFLICT)

	f.clock.Advance(conversations.DefaultWindow)
	if _, err := f.app.CheckIns.Open(f.ctx, f.byFirst(c.ID), conversations.PulseID); err != nil {
		t.Errorf("open a check-in after the last one's window: %v", err)
	}
}

func TestOpenCheckInWithUnknownTemplateListsTheTemplates(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()

	_, err := f.app.CheckIns.Open(f.ctx, f.byFirst(c.ID), "nope")

	wantCode(t, "unknown template", err, conversations.EINVALID)
	if msg := conversations.ErrorMessage(err); !strings.Contains(msg, "rebuilding-trust, pulse") {
		t.Errorf("message = %q, want it to list the templates", msg)
	}
}

// --- strangers ---

func TestAStrangerIsUnauthorizedAndChangesNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	step := f.answerN(ci.ID, alice, 1)
	answersBefore := answerKeys(f.storedAnswers(ci.ID))
	statusesBefore := statuses(f.storedCheckIn(ci.ID))
	trust := conversations.StepKey{PromptID: "trust"}

	calls := map[string]func() error{
		"CheckIn": func() error { _, _, err := f.app.CheckIns.Get(f.ctx, f.as(ci.ID, mallory), ci.ID); return err },
		"Begin":   func() error { _, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, mallory), ci.ID); return err },
		"Current": func() error { _, err := f.app.Turns.Current(f.ctx, f.as(ci.ID, mallory), ci.ID); return err },
		"Answer": func() error {
			_, err := f.app.Turns.Answer(f.ctx, f.as(ci.ID, mallory), ci.ID, trust, conversations.AnswerInput{Scale: 1})
			return err
		},
		"Answer on alice's step": func() error {
			_, err := f.app.Turns.Answer(f.ctx, f.as(ci.ID, mallory), ci.ID, step.Item.Key(), conversations.AnswerInput{Text: "x"})
			return err
		},
		"Skip": func() error {
			_, err := f.app.Turns.Skip(f.ctx, f.as(ci.ID, mallory), ci.ID, step.Item.Key())
			return err
		},
		"Pause":     func() error { _, err := f.app.Turns.Pause(f.ctx, f.as(ci.ID, mallory), ci.ID); return err },
		"Reveal":    func() error { _, err := f.app.CheckIns.Reveal(f.ctx, f.as(ci.ID, mallory), ci.ID); return err },
		"Remaining": func() error { _, err := f.app.Turns.Remaining(f.ctx, f.as(ci.ID, mallory), ci.ID); return err },
		"AddCommitment": func() error {
			_, err := f.app.Commitments.Add(f.ctx, f.actor(c.ID, mallory), "Watch them", "")
			return err
		},
		"ProposeAgreement": func() error {
			_, err := f.app.Agreements.Propose(f.ctx, f.actor(c.ID, mallory), "No secrets")
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			err := call()
			wantCode(t, name, err, conversations.EUNAUTHORIZED)
			if msg := conversations.ErrorMessage(err); strings.Contains(msg, "Alice") || strings.Contains(msg, "Bob") {
				t.Errorf("message = %q names a partner", msg)
			}
		})
	}

	if got := answerKeys(f.storedAnswers(ci.ID)); got != answersBefore {
		t.Errorf("stored answers = %s, want %s", got, answersBefore)
	}
	if got := statuses(f.storedCheckIn(ci.ID)); got != statusesBefore {
		t.Errorf("statuses = %s, want %s", got, statusesBefore)
	}
	if open, err := f.db.Commitments.OpenCommitments(f.ctx, c.ID); err != nil || len(open) != 0 {
		t.Errorf("open commitments = %+v, %v; want none", open, err)
	}
	if active, err := f.db.Agreements.ActiveAgreements(f.ctx, c.ID); err != nil || len(active) != 0 {
		t.Errorf("active agreements = %+v, %v; want none", active, err)
	}
}

func TestAStrangerCannotSeeARevealedCheckIn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	f.finish(ci.ID, alice, plainly)
	f.finish(ci.ID, bob, plainly)

	_, err := f.app.CheckIns.Reveal(f.ctx, f.as(ci.ID, mallory), ci.ID)

	wantCode(t, "reveal to a stranger", err, conversations.EUNAUTHORIZED)
}

// --- commitments and agreements ---

func TestCommitmentsMadeInACheckInAreReviewedByBothNextTime(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	first := f.open(c.ID, "")
	f.finish(first.ID, alice, byPrompt(map[string]conversations.AnswerInput{
		"trust": {Scale: 3}, "appreciation": {Text: "a"}, "need": {Text: "b"},
		"new-commitment": {Text: "Home by 7 pm on weekdays", DueOn: "2025-03-14"},
	}))
	f.clock.Advance(time.Hour)
	f.finish(first.ID, bob, byPrompt(map[string]conversations.AnswerInput{
		"trust": {Scale: 3}, "appreciation": {Text: "a"}, "need": {Text: "b"},
		"new-commitment": {Text: "Phone away at dinner"},
	}))

	open, err := f.db.Commitments.OpenCommitments(f.ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var made []string
	for _, cm := range open {
		made = append(made, fmt.Sprintf("%s: %s (%s) from %d", cm.OwnerID, cm.Text, cm.DueOn, cm.SourceCheckInID))
		if cm.Status != conversations.CommitmentOpen {
			t.Errorf("commitment %q is %s, want open", cm.Text, cm.Status)
		}
	}
	slices.Sort(made)
	wantMade := []string{
		fmt.Sprintf("alice: Home by 7 pm on weekdays (2025-03-14) from %d", first.ID),
		fmt.Sprintf("bob: Phone away at dinner () from %d", first.ID),
	}
	if !slices.Equal(made, wantMade) {
		t.Fatalf("open commitments = %q, want %q", made, wantMade)
	}

	f.clock.Advance(7 * 24 * time.Hour)
	second := f.open(c.ID, "")
	for _, user := range []string{alice, bob} {
		remaining, err := f.app.Turns.Remaining(f.ctx, f.as(second.ID, user), second.ID)
		if err != nil {
			t.Fatal(err)
		}
		var reviews []string
		for _, it := range remaining {
			if it.Prompt.Kind == conversations.KindCommitmentReview {
				reviews = append(reviews, it.Subject.OwnerID+": "+it.Subject.Text)
			}
		}
		slices.Sort(reviews)
		want := []string{"alice: Home by 7 pm on weekdays", "bob: Phone away at dinner"}
		if !slices.Equal(reviews, want) {
			t.Errorf("%s reviews %q, want %q", user, reviews, want)
		}
	}
}

func TestCommitmentsOfAnUnrevealedCheckInAreNotRecorded(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	f.finish(ci.ID, alice, byPrompt(map[string]conversations.AnswerInput{
		"trust": {Scale: 3}, "appreciation": {Text: "a"}, "need": {Text: "b"},
		"new-commitment": {Text: "Home by 7 pm on weekdays"},
	}))

	open, err := f.db.Commitments.OpenCommitments(f.ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 0 {
		t.Errorf("open commitments = %+v, want none before the reveal", open)
	}
}

func TestAddCommitmentChecksTheDueDateInTheCouplesZone(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(bob), "Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.Couples.Accept(f.ctx, f.inGuild(c.ID, bob), c.ID, channel); err != nil {
		t.Fatal(err)
	}
	// 23:30 on the 10th in UTC is 08:30 on the 11th in Tokyo.
	f.clock.Set(time.Date(2025, time.March, 10, 23, 30, 0, 0, time.UTC))

	_, err = f.app.Commitments.Add(f.ctx, f.actor(c.ID, alice), "Call mum", "2025-03-10")
	wantCode(t, "due yesterday in Tokyo", err, conversations.EINVALID)
	cm, err := f.app.Commitments.Add(f.ctx, f.actor(c.ID, alice), "  Call mum ", "2025-03-11")
	if err != nil {
		t.Fatal(err)
	}

	if cm.Text != "Call mum" || cm.DueOn != "2025-03-11" || cm.OwnerID != alice || cm.ID == 0 {
		t.Errorf("commitment = %+v", cm)
	}
	open, err := f.db.Commitments.OpenCommitments(f.ctx, c.ID)
	if err != nil || len(open) != 1 {
		t.Errorf("open commitments = %+v, %v; want the one added", open, err)
	}
}

func TestAddCommitmentAndAgreementNeedAnActiveCouple(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(bob), zone)
	if err != nil {
		t.Fatal(err)
	}

	// A pending couple has no channel of its own to act from yet.
	_, err = f.app.Commitments.Add(f.ctx, f.actor(c.ID, alice), "Call mum", "")
	wantCode(t, "commitment of a pending couple", err, conversations.ENOTFOUND)
	_, err = f.app.Agreements.Propose(f.ctx, f.actor(c.ID, alice), "No secrets")
	wantCode(t, "agreement of a pending couple", err, conversations.ENOTFOUND)
	if open, err := f.db.Commitments.OpenCommitments(f.ctx, c.ID); err != nil || len(open) != 0 {
		t.Errorf("open commitments = %+v, %v; want none", open, err)
	}
}

func TestProposeAgreementRefusesBadText(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()

	_, err := f.app.Agreements.Propose(f.ctx, f.actor(c.ID, alice), "   ")
	wantCode(t, "blank agreement", err, conversations.EINVALID)
	_, err = f.app.Agreements.Propose(f.ctx, f.actor(c.ID, alice), strings.Repeat("a", conversations.MaxAgreementLength+1))
	wantCode(t, "agreement over the limit", err, conversations.EINVALID)

	active, err := f.db.Agreements.ActiveAgreements(f.ctx, c.ID)
	if err != nil || len(active) != 0 {
		t.Errorf("active agreements = %+v, %v; want none", active, err)
	}
}

// --- check-ins with nothing to answer ---

// lookBack asks only about promises and agreements.
var lookBack = conversations.Template{ID: "look-back", Name: "Look back", Prompts: []conversations.Prompt{
	{ID: "commitment-review", Kind: conversations.KindCommitmentReview, Text: "How did this promise go?"},
	{ID: "agreement-review", Kind: conversations.KindAgreementReview, Text: "How did this agreement hold?"},
}}

func TestACheckInWithNothingToReviewIsSentRightAfterBegin(t *testing.T) {
	t.Parallel()
	f := newFixture(t, lookBack)
	c := f.couple()
	ci := f.open(c.ID, lookBack.ID)

	first, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Done || first.Sent || first.Total != 0 || first.JustRevealed {
		t.Fatalf("alice's Begin: done %v, sent %v, total %d, just revealed %v; want done with 0 steps, not sent", first.Done, first.Sent, first.Total, first.JustRevealed)
	}
	if _, err := f.app.Turns.Send(f.ctx, f.as(ci.ID, alice), ci.ID); err != nil {
		t.Fatal(err)
	}
	if got, want := statuses(f.storedCheckIn(ci.ID)), "alice=done bob=not_started"; got != want {
		t.Errorf("stored statuses = %s, want %s", got, want)
	}
	if _, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, bob), ci.ID); err != nil {
		t.Fatal(err)
	}
	second, err := f.app.Turns.Send(f.ctx, f.as(ci.ID, bob), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !second.Sent || !second.JustRevealed {
		t.Errorf("bob's Send: sent %v, just revealed %v; want sent and revealed", second.Sent, second.JustRevealed)
	}
	r, err := f.app.CheckIns.Reveal(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 0 || r.CheckIn.Status != conversations.CheckInRevealed {
		t.Errorf("reveal: %d rows, status %s; want 0 rows, revealed", len(r.Rows), r.CheckIn.Status)
	}
	again, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil || again.JustRevealed {
		t.Errorf("alice's Begin after the reveal: just revealed %v, %v; want false", again.JustRevealed, err)
	}
}

// --- concurrency ---

// gate holds the first `want` callers of pass until all of them have arrived;
// later callers go straight through.
type gate struct {
	want     int32
	arrived  atomic.Int32
	all      chan struct{}
	timedOut atomic.Bool
}

func newGate(want int32) *gate { return &gate{want: want, all: make(chan struct{})} }

func (g *gate) pass() {
	n := g.arrived.Add(1)
	switch {
	case n == g.want:
		close(g.all)
	case n < g.want:
		// A guard against a hang if the other request never arrives, not a wait
		// for anything to happen.
		select {
		case <-g.all:
		case <-time.After(10 * time.Second):
			g.timedOut.Store(true)
		}
	}
}

// gatedStore lines up two concurrent requests at two points: after each has
// read the check-in, and after each has saved its progress. Every request then
// works from a check-in read before the other's last answer was saved, and
// looks again only once both are saved: the interleaving that a real race
// produces only sometimes, produced every time.
type gatedStore struct {
	conversations.CheckInStore
	conversations.AnswerStore
	loads, saves *gate
}

func (g *gatedStore) CheckIn(ctx context.Context, id int64) (conversations.CheckIn, error) {
	ci, err := g.CheckInStore.CheckIn(ctx, id)
	g.loads.pass()
	return ci, err
}

func (g *gatedStore) SaveAnswer(ctx context.Context, a conversations.Answer, p conversations.Participant) error {
	err := g.AnswerStore.SaveAnswer(ctx, a, p)
	g.saves.pass()
	return err
}

func (g *gatedStore) SaveParticipant(ctx context.Context, checkInID int64, p conversations.Participant) error {
	err := g.AnswerStore.SaveParticipant(ctx, checkInID, p)
	g.saves.pass()
	return err
}

// finishTogether runs last(user) for both partners at once through a service
// over a gatedStore and returns how many reported JustRevealed.
func (f *fixture) finishTogether(last func(app *conversations.Mend, user string) (conversations.Step, error)) int {
	f.t.Helper()
	gated := &gatedStore{CheckInStore: f.db.CheckIns, AnswerStore: f.db.Answers, loads: newGate(2), saves: newGate(2)}
	stores := f.db.Stores()
	stores.CheckIns, stores.Answers = gated, gated
	app := conversations.New(stores, f.clock, f.templates, f.settings)
	var revealed atomic.Int32
	var wg sync.WaitGroup
	for _, user := range []string{alice, bob} {
		wg.Go(func() {
			step, err := last(app, user)
			if err != nil {
				f.t.Errorf("%s: %v", user, err)
				return
			}
			if !step.Done {
				f.t.Errorf("%s is not done after the last step", user)
			}
			if step.JustRevealed {
				revealed.Add(1)
			}
		})
	}
	wg.Wait()
	if gated.loads.timedOut.Load() || gated.saves.timedOut.Load() {
		f.t.Fatal("the two requests did not run side by side")
	}
	return int(revealed.Load())
}

func TestTwoPartnersSendingAtOnceRevealExactlyOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	for _, user := range []string{alice, bob} {
		step := f.answerN(ci.ID, user, 6)
		if step.Index != 6 || step.Total != 7 {
			t.Fatalf("%s is at %d of %d, want 7 of 7", user, step.Index+1, step.Total)
		}
		if step, err := f.app.Turns.Skip(f.ctx, f.as(ci.ID, user), ci.ID, step.Item.Key()); err != nil || !step.Done || step.Sent {
			t.Fatalf("%s's last answer: done %v, sent %v (%v); want done, rereading", user, step.Done, step.Sent, err)
		}
	}

	revealed := f.finishTogether(func(app *conversations.Mend, user string) (conversations.Step, error) {
		return app.Turns.Send(f.ctx, f.as(ci.ID, user), ci.ID)
	})

	if revealed != 1 {
		t.Errorf("%d calls reported JustRevealed, want exactly 1", revealed)
	}
	if got := f.storedCheckIn(ci.ID).Status; got != conversations.CheckInRevealed {
		t.Errorf("stored status = %s, want %s", got, conversations.CheckInRevealed)
	}
}

func TestTwoPartnersSendingAnEmptyCheckInAtOnceRevealExactlyOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t, lookBack)
	c := f.couple()
	ci := f.open(c.ID, lookBack.ID)

	for _, user := range []string{alice, bob} {
		if _, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, user), ci.ID); err != nil {
			t.Fatal(err)
		}
	}
	revealed := f.finishTogether(func(app *conversations.Mend, user string) (conversations.Step, error) {
		return app.Turns.Send(f.ctx, f.as(ci.ID, user), ci.ID)
	})

	if revealed != 1 {
		t.Errorf("%d calls reported JustRevealed, want exactly 1", revealed)
	}
	if got := f.storedCheckIn(ci.ID).Status; got != conversations.CheckInRevealed {
		t.Errorf("stored status = %s, want %s", got, conversations.CheckInRevealed)
	}
}

func TestAStalledRevealHealsOnTheNextVisit(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	// Both partners done, but the reveal never ran: a crash between the last
	// answer and the reveal.
	for _, user := range []string{alice, bob} {
		p := conversations.Participant{UserID: user, Status: conversations.InProgress, StartedAt: start}
		for _, it := range ci.Items() {
			a := conversations.Answer{CheckInID: ci.ID, UserID: user, PromptID: it.Key().PromptID, SubjectID: it.Key().SubjectID, Skipped: true, AnsweredAt: start}
			if err := f.db.Answers.SaveAnswer(f.ctx, a, p); err != nil {
				t.Fatal(err)
			}
		}
		p.Status, p.FinishedAt = conversations.Done, start
		if err := f.db.Answers.SaveParticipant(f.ctx, ci.ID, p); err != nil {
			t.Fatal(err)
		}
	}

	step, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, bob), ci.ID)
	if err != nil {
		t.Fatal(err)
	}

	if !step.JustRevealed || f.storedCheckIn(ci.ID).Status != conversations.CheckInRevealed {
		t.Errorf("Begin after the stalled reveal: just revealed %v, stored status %s; want revealed", step.JustRevealed, f.storedCheckIn(ci.ID).Status)
	}
}

// --- leaving ---

func TestAcceptRecordsThePrivateChannel(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()

	found, err := f.app.Couples.ByChannel(f.ctx, channel)
	if err != nil {
		t.Fatal(err)
	}

	if found.ID != c.ID || found.ChannelID != channel {
		t.Errorf("couple of %s = %d in %q, want %d", channel, found.ID, found.ChannelID, c.ID)
	}
	_, err = f.app.Couples.ByChannel(f.ctx, "channel-elsewhere")
	wantCode(t, "couple of another channel", err, conversations.ENOTFOUND)
}

func TestInvitationIsOnlyForTheInvitee(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(bob), zone)
	if err != nil {
		t.Fatal(err)
	}

	got, err := f.app.Couples.Invitation(f.ctx, f.inGuild(c.ID, bob), c.ID)
	if err != nil || got.ID != c.ID {
		t.Errorf("Invitation(bob) = %d, %v; want %d", got.ID, err, c.ID)
	}
	_, err = f.app.Couples.Invitation(f.ctx, f.inGuild(c.ID, alice), c.ID)
	wantCode(t, "invitation for the inviter", err, conversations.EUNAUTHORIZED)
	_, err = f.app.Couples.Invitation(f.ctx, conversations.Actor{UserID: bob, GuildID: guild}, c.ID+100)
	wantCode(t, "invitation that does not exist", err, conversations.ENOTFOUND)
}

func TestEitherPartnerCanLeave(t *testing.T) {
	t.Parallel()
	for _, leaver := range []string{alice, bob} {
		t.Run(leaver, func(t *testing.T) {
			f := newFixture(t)
			c := f.couple()

			_, err := f.app.Couples.Leave(f.ctx, f.in(c, mallory), c.ID, false)
			wantCode(t, "leave by a stranger", err, conversations.EUNAUTHORIZED)
			left, err := f.app.Couples.Leave(f.ctx, f.in(c, leaver), c.ID, false)
			if err != nil {
				t.Fatal(err)
			}

			if left.Couple.Status != conversations.CoupleEnded {
				t.Errorf("status = %s, want %s", left.Couple.Status, conversations.CoupleEnded)
			}
			_, err = f.app.Couples.Leave(f.ctx, f.in(c, leaver), c.ID, false)
			wantCode(t, "leave twice", err, conversations.ECONFLICT)
			_, err = f.app.Couples.Of(f.ctx, conversations.Actor{UserID: alice, GuildID: guild})
			wantCode(t, "couple after leaving", err, conversations.ENOTFOUND)
			_, err = f.app.CheckIns.Open(f.ctx, f.byFirst(c.ID), "")
			wantCode(t, "check-in of an ended couple", err, conversations.ECONFLICT)
			if _, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: partner(alice).UserID, GuildID: guild}, partner(alice).Name, partner(carol), zone); err != nil {
				t.Errorf("invite after leaving: %v", err)
			}
		})
	}
}

// --- "I hear you" ---

// revealedWithHurt runs a check-in in which alice wrote about a hurt and bob
// skipped it, and returns it revealed.
func (f *fixture) revealedWithHurt() conversations.CheckIn {
	f.t.Helper()
	c := f.couple()
	ci := f.open(c.ID, "")
	f.finish(ci.ID, alice, byPrompt(map[string]conversations.AnswerInput{
		"trust": {Scale: 3}, "appreciation": {Text: "a"}, "need": {Text: "b"},
		"hurt": {Text: "The late text on Friday worried me."},
	}))
	f.finish(ci.ID, bob, plainly)
	return ci
}

func TestThePartnerCanAcknowledgeAHurt(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ci := f.revealedWithHurt()
	f.clock.Advance(time.Hour)

	r, err := f.app.CheckIns.Acknowledge(f.ctx, f.as(ci.ID, bob), ci.ID, "hurt", 0)
	if err != nil {
		t.Fatal(err)
	}

	if !r.Acknowledged("hurt", alice) {
		t.Error("the returned reveal does not show the acknowledgement")
	}
	stored, err := f.app.CheckIns.Reveal(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored.Acks) != 1 || stored.Acks[0].ByUserID != bob || stored.Acks[0].AuthorID != alice || !stored.Acks[0].At.Equal(start.Add(time.Hour)) {
		t.Errorf("stored acknowledgements = %+v, want one by bob of alice's words at %v", stored.Acks, start.Add(time.Hour))
	}
}

func TestAcknowledgingTwiceRecordsOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ci := f.revealedWithHurt()
	if _, err := f.app.CheckIns.Acknowledge(f.ctx, f.as(ci.ID, bob), ci.ID, "hurt", 0); err != nil {
		t.Fatal(err)
	}

	r, err := f.app.CheckIns.Acknowledge(f.ctx, f.as(ci.ID, bob), ci.ID, "hurt", 0)
	if err != nil {
		t.Fatal(err)
	}

	if len(r.Acks) != 1 {
		t.Errorf("%d acknowledgements, want 1", len(r.Acks))
	}
}

func TestAcknowledgeRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		viewer   string
		prompt   string
		position int
		code     string
	}{
		{"your own words", alice, "hurt", 0, conversations.EUNAUTHORIZED},
		{"a stranger", mallory, "hurt", 0, conversations.EUNAUTHORIZED},
		{"a skipped answer", alice, "hurt", 1, conversations.EINVALID},
		{"a prompt without acknowledgement", bob, "need", 0, conversations.EINVALID},
		{"a prompt that does not exist", bob, "forged", 0, conversations.EINVALID},
		{"a position that does not exist", bob, "hurt", 2, conversations.EINVALID},
		{"a negative position", bob, "hurt", -1, conversations.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			ci := f.revealedWithHurt()

			_, err := f.app.CheckIns.Acknowledge(f.ctx, f.as(ci.ID, tt.viewer), ci.ID, tt.prompt, tt.position)

			wantCode(t, "acknowledge", err, tt.code)
			r, err := f.app.CheckIns.Reveal(f.ctx, f.as(ci.ID, bob), ci.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Acks) != 0 {
				t.Errorf("acknowledgements = %+v, want none", r.Acks)
			}
		})
	}
}

func TestAcknowledgeWaitsForTheReveal(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	f.finish(ci.ID, alice, byPrompt(map[string]conversations.AnswerInput{
		"trust": {Scale: 3}, "appreciation": {Text: "a"}, "need": {Text: "b"},
		"hurt": {Text: "The late text on Friday worried me."},
	}))

	_, err := f.app.CheckIns.Acknowledge(f.ctx, f.as(ci.ID, bob), ci.ID, "hurt", 0)

	wantCode(t, "acknowledge before the reveal", err, conversations.ECONFLICT)
}

func TestLeavingStopsTheOpenCheckInAndRevealsNothing(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, "")
	f.finish(ci.ID, alice, plainly)
	step := f.answerN(ci.ID, bob, 1)
	before := len(f.storedAnswers(ci.ID))

	if _, err := f.app.Couples.Leave(f.ctx, f.in(c, alice), c.ID, false); err != nil {
		t.Fatal(err)
	}
	_, err := f.app.Turns.Answer(f.ctx, f.as(ci.ID, bob), ci.ID, step.Item.Key(), conversations.AnswerInput{Text: "more"})
	wantCode(t, "answering after a partner left", err, conversations.ECONFLICT)
	_, err = f.app.Turns.Begin(f.ctx, f.as(ci.ID, bob), ci.ID)
	wantCode(t, "beginning after a partner left", err, conversations.ECONFLICT)
	_, err = f.app.CheckIns.Reveal(f.ctx, f.as(ci.ID, bob), ci.ID)
	wantCode(t, "reveal after a partner left", err, conversations.ECONFLICT)
	if got := len(f.storedAnswers(ci.ID)); got != before {
		t.Errorf("answers stored: %d, want the %d given before leaving", got, before)
	}
}

// as is userID acting from the channel of the check-in's couple, whether or
// not they are one of its partners (the service decides that).
func (f *fixture) as(checkInID int64, userID string) conversations.Actor {
	f.t.Helper()
	ci, err := f.db.CheckIns.CheckIn(f.ctx, checkInID)
	if err != nil {
		f.t.Fatalf("check-in %d: %v", checkInID, err)
	}
	couple, err := f.db.Couples.Couple(f.ctx, ci.CoupleID)
	if err != nil {
		f.t.Fatalf("couple of check-in %d: %v", checkInID, err)
	}
	return conversations.Actor{UserID: userID, GuildID: couple.GuildID, ChannelID: couple.ChannelID}
}

// in is userID acting from the couple's own guild and channel.
func (f *fixture) in(c conversations.Couple, userID string) conversations.Actor {
	return conversations.Actor{UserID: userID, GuildID: c.GuildID, ChannelID: c.ChannelID}
}

// actor is userID acting from the own channel of the couple with coupleID,
// read from the database as it is now.
func (f *fixture) actor(coupleID int64, userID string) conversations.Actor {
	f.t.Helper()
	return testkit.Actor(f.t, f.db.Couples, coupleID, userID)
}

// inGuild is userID acting in the guild of the couple with coupleID, from
// wherever an invitation is answered.
func (f *fixture) inGuild(coupleID int64, userID string) conversations.Actor {
	f.t.Helper()
	return testkit.InGuild(f.t, f.db.Couples, coupleID, userID)
}

// byFirst is the inviting partner of the couple with coupleID, acting from
// the couple's channel.
func (f *fixture) byFirst(coupleID int64) conversations.Actor {
	f.t.Helper()
	return testkit.FirstPartner(f.t, f.db.Couples, coupleID)
}

// builtinPacks is the library a config that says nothing of packs has: the
// built-in packs and plan.
func builtinPacks(tb testing.TB) *conversations.Library {
	tb.Helper()
	l, err := config.BuiltinLibrary()
	if err != nil {
		tb.Fatalf("the built-in packs: %v", err)
	}
	return l
}

// The safety note promises that any answer can be skipped: the pulse's scale
// too.
func TestThePulsesScaleCanBeSkipped(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c := f.couple()
	ci := f.open(c.ID, conversations.PulseID)
	step, err := f.app.Turns.Begin(f.ctx, f.as(ci.ID, alice), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	if step.Item.Key().PromptID != "feeling" {
		t.Fatalf("the pulse opens with %s, want feeling", step.Item.Key())
	}
	next, err := f.app.Turns.Skip(f.ctx, f.as(ci.ID, alice), ci.ID, step.Item.Key())
	if err != nil {
		t.Fatalf("skipping the pulse's scale: %v", err)
	}
	if next.Item.Key().PromptID != "note" {
		t.Errorf("after the skip alice is at %s, want note", next.Item.Key())
	}
}
