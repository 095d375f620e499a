package bot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/bot/discordtest"
	"mend/conversations"
)

func TestACommitmentWithAnUnreadableDueDateIsRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	r := h.slash(alice, ch, "commitment", sub("add", str("text", "Home by 7 pm on weekdays"), str("due", "next friday")))
	if !isEphemeral(r) || !strings.Contains(text(r.Data), "not a date Mend can read") {
		t.Errorf("a bad due date: ephemeral %v: %s", isEphemeral(r), text(r.Data))
	}
	if all := commitmentsOf(t, h, ch); len(all) != 0 {
		t.Errorf("a refused commitment was stored: %+v", all)
	}
}

func TestACommitmentIsPostedInTheChannel(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.clock.Set(e2eMonday)
	ch := h.couple()
	due := e2eMonday.In(mustLoad(t, "Europe/Berlin")).AddDate(0, 0, 7).Format(conversations.DateLayout)
	r := h.slash(alice, ch, "commitment", sub("add", str("text", "Home by 7 pm on weekdays"), str("due", due)))
	if isEphemeral(r) {
		t.Errorf("a new commitment should be visible to both: %s", text(r.Data))
	}
	mustContain(t, "the commitment", text(r.Data), "Alice made a commitment: “Home by 7 pm on weekdays” (due "+due+")")
	all := commitmentsOf(t, h, ch)
	if len(all) != 1 || all[0].OwnerID != alice.ID || all[0].DueOn != due || all[0].Status != conversations.CommitmentOpen {
		t.Errorf("stored commitments %+v", all)
	}
}

func TestTheCommitmentListIsPrivateAndShowsBothPartners(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	a := addCommitment(t, h, ch, alice, "Home by 7 pm on weekdays")
	b := addCommitment(t, h, ch, bob, "Call before I am late")
	r := h.slash(bob, ch, "commitment", sub("list"))
	if !isEphemeral(r) {
		t.Errorf("the list should be private: %s", text(r.Data))
	}
	mustContain(t, "the list", text(r.Data),
		fmt.Sprintf("`#%d` **Alice**: “Home by 7 pm on weekdays”, open", a),
		fmt.Sprintf("`#%d` **Bob**: “Call before I am late”, open", b))
}

func TestTheOwnerMarksDoneOrDropsACommitmentInTheChannel(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	done := addCommitment(t, h, ch, alice, "Home by 7 pm on weekdays")
	dropped := addCommitment(t, h, ch, alice, "Run every morning")
	for _, c := range []struct {
		sub  string
		id   int64
		want string
	}{
		{"done", done, "Alice marked a commitment done: “Home by 7 pm on weekdays”"},
		{"drop", dropped, "Alice dropped a commitment: “Run every morning”"},
	} {
		r := h.slash(alice, ch, "commitment", sub(c.sub, num("commitment", int(c.id))))
		if isEphemeral(r) || !strings.Contains(text(r.Data), c.want) {
			t.Errorf("/commitment %s: ephemeral %v: %s", c.sub, isEphemeral(r), text(r.Data))
		}
	}
	status := map[int64]conversations.CommitmentStatus{}
	for _, c := range commitmentsOf(t, h, ch) {
		status[c.ID] = c.Status
	}
	if status[done] != conversations.CommitmentDone || status[dropped] != conversations.CommitmentDropped {
		t.Errorf("statuses after done and drop: %v", status)
	}
}

func TestThePartnerCannotCloseACommitmentTheyDidNotMake(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	id := addCommitment(t, h, ch, alice, "Home by 7 pm on weekdays")
	before := len(h.srv.Messages(ch))
	for _, name := range []string{"done", "drop"} {
		r := h.slash(bob, ch, "commitment", sub(name, num("commitment", int(id))))
		if !isEphemeral(r) || !strings.Contains(text(r.Data), "Only Alice can mark their own commitment done") {
			t.Errorf("bob: /commitment %s of alice's: ephemeral %v: %s", name, isEphemeral(r), text(r.Data))
		}
	}
	if all := commitmentsOf(t, h, ch); len(all) != 1 || all[0].Status != conversations.CommitmentOpen {
		t.Errorf("after refused presses: %+v", all)
	}
	if n := len(h.srv.Messages(ch)); n != before {
		t.Errorf("refused commands posted %d messages", n-before)
	}
}

func TestCommitmentAutocompleteOffersOnlyTheAskersOpenCommitments(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	open := addCommitment(t, h, ch, alice, "Home by 7 pm on weekdays")
	kept := addCommitment(t, h, ch, alice, "Run every morning")
	h.slash(alice, ch, "commitment", sub("done", num("commitment", int(kept))))
	bobs := addCommitment(t, h, ch, bob, "Call before I am late")
	for _, c := range []struct {
		user *discordgo.User
		want []string
	}{
		{alice, []string{fmt.Sprintf("#%d Home by 7 pm on weekdays=%d", open, open)}},
		{bob, []string{fmt.Sprintf("#%d Call before I am late=%d", bobs, bobs)}},
	} {
		got := choices(t, h, c.user, ch, "commitment", sub("done", focused("commitment", discordgo.ApplicationCommandOptionInteger, "")))
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s is offered %v, want %v", c.user.Username, got, c.want)
		}
	}
}

func TestAgreementAutocompleteOffersOnlyAgreementsInForce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	money := h.agreement(ch, alice, bob, "We are open about money")
	dinner := h.agreement(ch, bob, alice, "No phones at dinner")
	hall := h.agreement(ch, bob, alice, "Phones stay in the hall at night")
	h.slash(alice, ch, "agreement", sub("add", str("text", "Only proposed")))
	h.end(ch, alice, money)

	all := choices(t, h, alice, ch, "agreement", sub("end", focused("agreement", discordgo.ApplicationCommandOptionInteger, "")))
	want := []string{fmt.Sprintf("#%d No phones at dinner=%d", dinner, dinner), fmt.Sprintf("#%d Phones stay in the hall at night=%d", hall, hall)}
	if strings.Join(all, "|") != strings.Join(want, "|") {
		t.Errorf("offered %v, want %v", all, want)
	}
	typed := choices(t, h, bob, ch, "agreement", sub("end", focused("agreement", discordgo.ApplicationCommandOptionInteger, "hall")))
	if len(typed) != 1 || typed[0] != want[1] {
		t.Errorf("typing \"hall\" offers %v, want %v", typed, want[1:])
	}
}

func TestHistoryListsCheckInsNewestFirst(t *testing.T) {
	t.Parallel()
	f := historyOfThree(t)
	at := func(date string) int {
		i := strings.Index(f.history, "**"+date+"**")
		if i < 0 {
			t.Fatalf("the history does not show %s:\n%s", date, f.history)
		}
		return i
	}
	if !(at(f.dates[2]) < at(f.dates[1]) && at(f.dates[1]) < at(f.dates[0])) {
		t.Errorf("not newest first (%v):\n%s", f.dates, f.history)
	}
}

func TestHistoryLinksToTheRevealOfRevealedCheckIns(t *testing.T) {
	t.Parallel()
	f := historyOfThree(t)
	for _, id := range f.revealPosts {
		mustContain(t, "the history", f.history, fmt.Sprintf("(%s/channels/%s/%s/%s)", WebURL, testGuild, f.ch, id))
	}
	if n := strings.Count(f.history, WebURL+"/channels/"); n != len(f.revealPosts) {
		t.Errorf("%d links, want %d (none for the closed check-in):\n%s", n, len(f.revealPosts), f.history)
	}
	mustContain(t, "the history", f.history, "**"+f.dates[2]+"** · Every kind · closed before you had both finished")
}

func TestHistoryShowsNoAnswerText(t *testing.T) {
	t.Parallel()
	f := historyOfThree(t)
	for _, w := range f.words {
		if strings.Contains(f.history, w) {
			t.Errorf("the history shows the answer %q:\n%s", w, f.history)
		}
	}
}

// /progress shows its chart to the partner who asked, and a button posts it
// to the channel if they choose.
func TestProgressIsPrivateWithAChartAndCanBePostedByChoice(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	couple := mustCouple(t, h, ch)
	for i := 0; i < 2; i++ {
		if i > 0 {
			h.clock.Advance(7 * 24 * time.Hour)
		}
		ci, err := h.app.CheckIns.Open(h.ctx, h.byFirst(couple.ID), "")
		if err != nil {
			t.Fatal(err)
		}
		answerSteps(t, h, ci.ID, alice, "", 0)
		answerSteps(t, h, ci.ID, bob, "", 0)
	}
	r := h.slash(alice, ch, "progress")
	if !isEphemeral(r) {
		t.Errorf("/progress is shown to the whole channel; it is for the partner who asked")
	}
	m := deferredReply(t, h, h.lastToken())
	if m.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("the progress message is not private")
	}
	wantProgressCard(t, h, m)
	mustContain(t, "the private progress", messageText(m), "Check-ins you shared: 2 of the last 12 weeks. Weeks off are part of it.")
	if strings.Contains(messageText(m), "treak") {
		t.Errorf("progress still counts a streak: %s", messageText(m))
	}
	before := len(h.srv.Messages(ch))

	// Posting it to the channel is the asker's choice, and says who chose.
	post := h.press(alice, ch, m.ID, h.idWith(m.Components, actPostProgress))
	if isEphemeral(post) {
		t.Errorf("posting progress answered privately")
	}
	shared := deferredReply(t, h, h.lastToken())
	if shared.Flags&discordgo.MessageFlagsEphemeral != 0 {
		t.Errorf("the posted progress is private")
	}
	wantProgressCard(t, h, shared)
	mustContain(t, "the posted progress", messageText(shared), "Alice chose to share this with you both.", "Check-ins you shared: 2 of the last 12 weeks.")
	if len(customIDs(shared.Components)) != 0 {
		t.Errorf("the posted progress offers buttons: %v", customIDs(shared.Components))
	}
	if n := len(h.srv.Messages(ch)); n != before+1 {
		t.Errorf("%d messages posted in the channel, want 1", n-before)
	}
}

func wantProgressCard(t *testing.T, h *harness, m *discordgo.Message) {
	t.Helper()
	file, ok := attachmentNamed(h, m, func(name string) bool { return name == "progress.png" })
	if !ok {
		t.Fatalf("no progress.png attached; the message says:\n%s", messageText(m))
	}
	if len(m.Embeds) == 0 || m.Embeds[0].Image == nil || m.Embeds[0].Image.URL != "attachment://progress.png" {
		t.Errorf("the progress embed does not show attachment://progress.png: %s", messageText(m))
	}
	if _, err := png.Decode(bytes.NewReader(file.Data)); err != nil {
		t.Errorf("progress.png is not a PNG: %v", err)
	}
}

var exportName = regexp.MustCompile(`^mend-export-\d{4}-\d{2}-\d{2}\.json$`)

func TestExportIsAPrivateJSONFileOfTheCoupleOnly(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	couple := mustCouple(t, h, ch)
	addCommitment(t, h, ch, alice, "Home by 7 pm on weekdays")
	ci, err := h.app.CheckIns.Open(h.ctx, h.byFirst(couple.ID), "")
	if err != nil {
		t.Fatal(err)
	}
	answerSteps(t, h, ci.ID, alice, "I felt heard on Sunday", 0)
	answerSteps(t, h, ci.ID, bob, "I was tired all week", 0)
	carolWords := carolsCouple(t, h)

	m, raw := exportOf(t, h, alice, ch)
	if m.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("the export is not ephemeral")
	}
	var export struct {
		Schema string                      `json:"schema"`
		Tables map[string][]map[string]any `json:"tables"`
	}
	if err := json.Unmarshal(raw, &export); err != nil {
		t.Fatalf("the export is not JSON: %v", err)
	}
	if export.Schema != "mend-export/1" {
		t.Errorf("schema %q", export.Schema)
	}
	stored := countRows(t, h, `SELECT COUNT(*) FROM answers WHERE checkin_id IN (SELECT id FROM checkins WHERE couple_id = ?)`, couple.ID)
	if got := len(export.Tables["answers"]); got != stored || stored == 0 {
		t.Errorf("%d answers exported, %d stored", got, stored)
	}
	if got := export.Tables["couples"]; len(got) != 1 || fmt.Sprint(got[0]["id"]) != fmt.Sprint(couple.ID) {
		t.Errorf("exported couples: %v", got)
	}
	if len(export.Tables["commitments"]) != 1 {
		t.Errorf("exported commitments: %v", export.Tables["commitments"])
	}
	for _, other := range []string{carol.ID, carolWords} {
		if bytes.Contains(raw, []byte(other)) {
			t.Errorf("the export contains %q of carol's couple", other)
		}
	}
}

func TestExportLeavesOutThePartnersUnrevealedAnswers(t *testing.T) {
	t.Parallel()
	h, ch, ci := coupleWithCheckIn(t)
	own, partners := "alice-own-c41d: I am scared", "bob-unrevealed-9e07: I lied about Friday"
	answerSteps(t, h, ci.ID, alice, own, 3)
	answerSteps(t, h, ci.ID, bob, partners, 3)
	_, raw := exportOf(t, h, alice, ch)
	if !bytes.Contains(raw, []byte(own)) {
		t.Errorf("alice's export lacks her own unrevealed answer")
	}
	if bytes.Contains(raw, []byte(partners)) {
		t.Errorf("alice's export contains bob's unrevealed answer")
	}
}

func TestForgetAsksPrivatelyAndKeepItDeletesNothing(t *testing.T) {
	t.Parallel()
	f := forgetFixture(t)
	if !isEphemeral(f.confirm) {
		t.Errorf("the confirmation should be private: %s", text(f.confirm.Data))
	}
	mustContain(t, "the confirmation", text(f.confirm.Data), "Bob will be told that everything was deleted (a note in your channel, or the channel gone), never why.")
	r := f.press(alice, f.ch, f.confirmID, f.idWith(f.confirm.Data.Components, actKeep))
	if r.Type != discordgo.InteractionResponseUpdateMessage || !strings.Contains(text(r.Data), "Nothing was deleted") {
		t.Errorf("Keep it: %v %s", r.Type, text(r.Data))
	}
	if _, err := f.app.Couples.ByChannel(f.ctx, f.ch); err != nil {
		t.Errorf("the couple is gone after Keep it: %v", err)
	}
	if n := countRows(t, f.harness, `SELECT COUNT(*) FROM answers WHERE checkin_id = ?`, f.checkIn); n != f.answers {
		t.Errorf("%d answers after Keep it, want %d", n, f.answers)
	}
}

func TestForgetDeletesTheCoupleAndSaysSoInTheChannel(t *testing.T) {
	t.Parallel()
	f := forgetFixture(t)
	id := customID{Action: actForget, ID: f.couple.ID}.String()
	f.mustOffer(id)
	r := f.press(alice, f.ch, f.confirmID, id)
	if r.Type != discordgo.InteractionResponseUpdateMessage || !strings.Contains(text(r.Data), "Deleted from Mend:") {
		t.Errorf("Delete everything: %v %s", r.Type, text(r.Data))
	}
	if _, err := f.app.Couples.ByChannel(f.ctx, f.ch); conversations.ErrorCode(err) != conversations.ENOTFOUND {
		t.Errorf("the couple is still found: %v", err)
	}
	if n := countRows(t, f.harness, `SELECT COUNT(*) FROM couples WHERE id = ?`, f.couple.ID); n != 0 {
		t.Errorf("%d couple rows left", n)
	}
	if n := countRows(t, f.harness, `SELECT COUNT(*) FROM answers WHERE checkin_id = ?`, f.checkIn); n != 0 {
		t.Errorf("%d answers left", n)
	}
	f.waitFor("the notice in the channel", func() bool {
		return strings.Contains(channelText(f.harness, f.ch), "Alice deleted everything Mend stored of you two")
	})
	if _, ok := f.srv.Channel(f.ch); !ok {
		t.Errorf("the channel was deleted, but only the data was asked for")
	}
}

// With automatic backups or a replica configured, the partner is told how
// long those copies still hold what was deleted, not that nothing is kept.
func TestForgetSaysHowLongBackupsKeepACopy(t *testing.T) {
	t.Parallel()
	f := forgetFixture(t, func(_ *discordtest.Options, c *Config) { c.CopiesKept = 7 * 24 * time.Hour })
	id := customID{Action: actForget, ID: f.couple.ID}.String()
	f.mustOffer(id)

	r := f.press(alice, f.ch, f.confirmID, id)

	got := text(r.Data)
	if !strings.Contains(got, "Copies of the database taken before now, which whoever runs Mend keeps in case of a failure, still hold it for up to 7 days") {
		t.Errorf("the reply does not say how long copies remain: %s", got)
	}
	if strings.Contains(got, "Mend keeps nothing of you two") {
		t.Errorf("the reply says nothing is kept while backups are: %s", got)
	}
}

func TestForgetWithTheChannelDeletesTheChannel(t *testing.T) {
	t.Parallel()
	f := forgetFixture(t)
	id := customID{Action: actForget, ID: f.couple.ID, Number: 1}.String()
	f.mustOffer(id)
	f.press(bob, f.ch, f.confirmID, id)
	f.waitFor("the channel to be deleted", func() bool {
		_, ok := f.srv.Channel(f.ch)
		return !ok
	})
	if n := countRows(t, f.harness, `SELECT COUNT(*) FROM couples WHERE id = ?`, f.couple.ID); n != 0 {
		t.Errorf("%d couple rows left", n)
	}
}

// ---- helpers ----

func commitmentsOf(t *testing.T, h *harness, ch string) []conversations.Commitment {
	t.Helper()
	all, err := h.app.Commitments.List(h.ctx, h.actor(mustCouple(t, h, ch).ID, alice.ID))
	if err != nil {
		t.Fatal(err)
	}
	return all
}

// addCommitment makes a commitment through /commitment add and returns its ID.
func addCommitment(t *testing.T, h *harness, ch string, u *discordgo.User, text string) int64 {
	t.Helper()
	h.slash(u, ch, "commitment", sub("add", str("text", text)))
	for _, c := range commitmentsOf(t, h, ch) {
		if c.Text == text && c.OwnerID == u.ID {
			return c.ID
		}
	}
	t.Fatalf("/commitment add %q by %s stored nothing", text, u.Username)
	return 0
}

func focused(name string, typ discordgo.ApplicationCommandOptionType, typed string) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: typ, Value: typed, Focused: true}
}

// choices returns the autocomplete suggestions as "name=value".
func choices(t *testing.T, h *harness, u *discordgo.User, ch, command string, opts ...*discordgo.ApplicationCommandInteractionDataOption) []string {
	t.Helper()
	r := h.interact(h.srv.Autocomplete(testGuild, ch, u, command, opts...))
	if r.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
		t.Fatalf("autocomplete answered %v: %s", r.Type, text(r.Data))
	}
	var out []string
	for _, c := range r.Data.Choices {
		out = append(out, fmt.Sprintf("%s=%v", c.Name, c.Value))
	}
	return out
}

// deferredReply waits until the bot has filled in the reply it deferred.
func deferredReply(t *testing.T, h *harness, token string) *discordgo.Message {
	t.Helper()
	var m *discordgo.Message
	h.waitFor("the deferred reply", func() bool {
		var ok bool
		m, ok = h.srv.Original(token)
		return ok && m.Flags&discordgo.MessageFlagsLoading == 0
	})
	return m
}

func attachmentNamed(h *harness, m *discordgo.Message, match func(string) bool) (discordtest.File, bool) {
	for _, a := range m.Attachments {
		if match(a.Filename) {
			return h.srv.Attachment(a.ID)
		}
	}
	return discordtest.File{}, false
}

// exportOf runs /export for u and returns the reply and the attached file.
func exportOf(t *testing.T, h *harness, u *discordgo.User, ch string) (*discordgo.Message, []byte) {
	t.Helper()
	r := h.slash(u, ch, "export")
	if !isEphemeral(r) {
		t.Errorf("/export is answered in public")
	}
	m := deferredReply(t, h, h.lastToken())
	file, ok := attachmentNamed(h, m, exportName.MatchString)
	if !ok {
		t.Fatalf("no mend-export-*.json attached; the reply says:\n%s", messageText(m))
	}
	return m, file.Data
}

// carolsCouple makes carol and dave a couple with a revealed check-in, and
// returns the words carol wrote in it.
func carolsCouple(t *testing.T, h *harness) string {
	t.Helper()
	dave := &discordgo.User{ID: "100000000000000005", Username: "dave"}
	c, err := h.app.Couples.Invite(h.ctx, conversations.Actor{UserID: conversations.Partner{UserID: carol.ID, Name: "Carol"}.UserID, GuildID: testGuild}, conversations.Partner{UserID: carol.ID, Name: "Carol"}.Name, conversations.Partner{UserID: dave.ID, Name: "Dave"}, "Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.app.Couples.Accept(h.ctx, h.inGuild(c.ID, dave.ID), c.ID, "900000000000000077"); err != nil {
		t.Fatal(err)
	}
	ci, err := h.app.CheckIns.Open(h.ctx, h.byFirst(c.ID), "")
	if err != nil {
		t.Fatal(err)
	}
	words := "carol-secret-91b2: the phone"
	answerSteps(t, h, ci.ID, carol, words, 0)
	answerSteps(t, h, ci.ID, dave, "dave-secret-5c11", 0)
	return words
}

// historyFixture is /history after three weekly check-ins: two both partners
// finished (their reveals posted) and a last one that closed with bob halfway.
type historyFixture struct {
	*harness
	ch          string
	history     string
	dates       []string // oldest first, as the history shows them
	revealPosts []string
	words       []string // every text answer given
}

func historyOfThree(t *testing.T) *historyFixture {
	t.Helper()
	h := newHarness(t)
	h.clock.Set(e2eMonday)
	f := &historyFixture{harness: h, ch: h.couple()}
	couple := mustCouple(t, h, f.ch)
	berlin := mustLoad(t, "Europe/Berlin")
	for i := 0; i < 3; i++ {
		if i > 0 {
			h.clock.Advance(7 * 24 * time.Hour)
		}
		ci, err := h.app.CheckIns.Open(h.ctx, h.byFirst(couple.ID), "")
		if err != nil {
			t.Fatal(err)
		}
		f.dates = append(f.dates, h.clock.Now().In(berlin).Format("Mon 2 Jan 2006"))
		aliceWords, bobWords := fmt.Sprintf("alice-%d-b8e1: I felt far away", i), fmt.Sprintf("bob-%d-0c5d: work took everything", i)
		f.words = append(f.words, aliceWords, bobWords)
		answerSteps(t, h, ci.ID, alice, aliceWords, 0)
		if i == 2 {
			answerSteps(t, h, ci.ID, bob, bobWords, 3)
			h.clock.Advance(conversations.DefaultWindow + time.Minute)
			if r, err := h.app.Schedules.RunDue(h.ctx); err != nil || r.Closed != 1 {
				t.Fatalf("RunDue closed %d (%v), want 1", r.Closed, err)
			}
			break
		}
		answerSteps(t, h, ci.ID, bob, bobWords, 0)
		// The reveal was queued with bob's last answer; send it.
		if _, err := h.bot.FlushOutbox(h.ctx); err != nil {
			t.Fatal(err)
		}
		var reveal string
		h.waitFor("the reveal post", func() bool {
			got, err := h.db.CheckIns.CheckIn(h.ctx, ci.ID)
			reveal = got.RevealPostID
			return err == nil && reveal != ""
		})
		f.revealPosts = append(f.revealPosts, reveal)
	}
	r := h.slash(bob, f.ch, "history")
	f.history = text(r.Data)
	return f
}

// forgetFixture is alice and bob with a revealed check-in and a commitment,
// and alice's /forget confirmation.
type forgetFixtureT struct {
	*harness
	ch        string
	couple    conversations.Couple
	checkIn   int64
	answers   int
	confirm   *discordtest.Response
	confirmID string // the confirmation message
}

func forgetFixture(t *testing.T, opts ...harnessOption) *forgetFixtureT {
	t.Helper()
	h := newHarness(t, opts...)
	f := &forgetFixtureT{harness: h, ch: h.couple()}
	f.couple = mustCouple(t, h, f.ch)
	addCommitment(t, h, f.ch, alice, "Home by 7 pm on weekdays")
	ci, err := h.app.CheckIns.Open(h.ctx, h.byFirst(f.couple.ID), "")
	if err != nil {
		t.Fatal(err)
	}
	f.checkIn = ci.ID
	answerSteps(t, h, ci.ID, alice, "I felt heard", 0)
	answerSteps(t, h, ci.ID, bob, "I felt tired", 0)
	f.answers = countRows(t, h, `SELECT COUNT(*) FROM answers WHERE checkin_id = ?`, ci.ID)
	if f.answers == 0 {
		t.Fatal("no answers stored")
	}
	f.confirm = h.slash(alice, f.ch, "forget")
	m, ok := h.srv.Original(h.lastToken())
	if !ok {
		t.Fatal("the confirmation message is missing")
	}
	f.confirmID = m.ID
	return f
}

func (f *forgetFixtureT) mustOffer(id string) {
	f.t.Helper()
	if !contains(customIDs(f.confirm.Data.Components), id) {
		f.t.Fatalf("the confirmation offers %v, not %s", customIDs(f.confirm.Data.Components), id)
	}
}

// A shared check-in shows the sharer's answers without their reviews of the
// other partner's promises; the other partner's export leaves them out too.
func TestExportLeavesOutTheReviewsASharedCheckInLeftOut(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.clock.Set(e2eMonday)
	ch := h.couple()
	bobsPromise := addCommitment(t, h, ch, bob, "bob-promise-5c1e: call my sister on Sundays")
	sched := setScheduleThroughService(t, h, mustCouple(t, h, ch).ID, alice.ID)
	h.clock.Set(sched.NextRunAt)
	if report, err := h.app.Schedules.RunDue(h.ctx); err != nil || report.Opened != 1 {
		t.Fatalf("RunDue opened %d (%v), want 1", report.Opened, err)
	}
	posts, err := h.app.Outbox.Pending(h.ctx, 10)
	if err != nil || len(posts) != 1 {
		t.Fatalf("pending posts %v (%v), want one", posts, err)
	}
	checkIn := posts[0].CheckInID
	mustFlush(t, h, 1)
	aliceWords := "alice-shared-3b9d: I missed our walks"
	answerSteps(t, h, checkIn, alice, aliceWords, 0)
	if n := countRows(t, h, `SELECT COUNT(*) FROM answers WHERE checkin_id = ? AND user_id = ? AND subject_id = ?`, checkIn, alice.ID, bobsPromise); n != 1 {
		t.Fatalf("alice reviewed bob's promise %d times, want once", n)
	}
	answerSteps(t, h, checkIn, bob, "bob-unfinished", 2)
	h.clock.Advance(conversations.DefaultWindow + time.Minute)
	if report, err := h.app.Schedules.RunDue(h.ctx); err != nil || report.Closed != 1 {
		t.Fatalf("RunDue closed %d (%v), want 1", report.Closed, err)
	}
	mustFlush(t, h, 1)
	msgs := h.srv.Messages(ch)
	closed := msgs[len(msgs)-1]
	ask := h.press(alice, ch, closed.ID, h.idWith(closed.Components, actShare))
	asked, _ := h.srv.Original(h.lastToken())
	h.press(bob, ch, asked.ID, h.idWith(ask.Data.Components, actShareYes))
	h.waitFor("the shared answers", func() bool { return strings.Contains(channelText(h, ch), aliceWords) })

	_, raw := exportOf(t, h, bob, ch)
	var export struct {
		Tables map[string][]map[string]any `json:"tables"`
	}
	if err := json.Unmarshal(raw, &export); err != nil {
		t.Fatalf("the export is not JSON: %v", err)
	}
	var shared int
	for _, a := range export.Tables["answers"] {
		if a["user_id"] != alice.ID {
			continue
		}
		shared++
		if fmt.Sprint(a["subject_id"]) == fmt.Sprint(bobsPromise) {
			t.Errorf("bob's export holds alice's review of his promise, which the share left out: %v", a)
		}
	}
	if shared == 0 || !bytes.Contains(raw, []byte(aliceWords)) {
		t.Errorf("bob's export lacks the answers alice shared (%d of hers)", shared)
	}
}

// /history and /progress call the weekly scale what it asks about: closeness.
// Posting progress is refused privately to someone who may not, before
// anything is shown in the channel.
func TestHistoryAndProgressSayClosenessAndAPostRefusalIsPrivate(t *testing.T) {
	t.Parallel()
	h, ch, ci := coupleWithCheckIn(t)
	answerSteps(t, h, ci.ID, alice, "", 0)
	answerSteps(t, h, ci.ID, bob, "", 0)

	history := text(h.slash(alice, ch, "history").Data)
	mustContain(t, "/history", history, "closeness Alice 4, Bob 4")
	h.slash(alice, ch, "progress")
	progress := messageText(deferredReply(t, h, h.lastToken()))
	mustContain(t, "/progress", progress, "Closeness: 4 of 5 now (from 4).")
	for what, got := range map[string]string{"/history": history, "/progress": progress} {
		if strings.Contains(strings.ToLower(got), "trust") {
			t.Errorf("%s calls the closeness scale trust:\n%s", what, got)
		}
	}

	before := len(h.srv.Messages(ch))
	r := h.press(carol, ch, "", customID{Action: actPostProgress, ID: 12}.String())
	if !isEphemeral(r) || r.Type != discordgo.InteractionResponseChannelMessageWithSource {
		t.Errorf("carol's refused post was answered %v (ephemeral %v): %s", r.Type, isEphemeral(r), text(r.Data))
	}
	if n := len(h.srv.Messages(ch)); n != before {
		t.Errorf("a refused post left %d messages in the channel", n-before)
	}
}

// coupleWithCheckIn is a couple in a new harness with a check-in open.
func coupleWithCheckIn(t *testing.T) (*harness, string, conversations.CheckIn) {
	t.Helper()
	h := newHarness(t)
	ch := h.couple()
	ci, err := h.app.CheckIns.Open(h.ctx, h.byFirst(mustCouple(t, h, ch).ID), "")
	if err != nil {
		t.Fatal(err)
	}
	return h, ch, ci
}
