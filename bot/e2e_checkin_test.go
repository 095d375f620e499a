package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/bot/discordtest"
	"mend/conversations"
)

// checkInFixture is a couple with one commitment and one agreement, and an
// open check-in of the every-kind template posted in their channel.
type checkInFixture struct {
	*harness
	channel string
	post    *discordgo.Message
	start   string
}

func newCheckIn(t *testing.T, opts ...harnessOption) *checkInFixture {
	t.Helper()
	h := newHarness(t, opts...)
	f := &checkInFixture{harness: h, channel: h.couple()}
	h.slash(alice, f.channel, "commitment", sub("add", str("text", "Home by 7 pm on weekdays")))
	h.agreement(f.channel, bob, alice, "We are open about money")
	f.open()
	return f
}

// open opens a check-in of the every-kind template and finds its post.
func (f *checkInFixture) open() {
	t, h := f.t, f.harness
	t.Helper()
	r := h.slash(alice, f.channel, "checkin", sub("now"))
	if r.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || !isEphemeral(r) {
		t.Fatalf("/checkin now answered %v", r.Type)
	}
	h.waitFor("the check-in post", func() bool {
		for _, m := range h.srv.Messages(f.channel) {
			for _, id := range customIDs(m.Components) {
				if strings.HasPrefix(id, actStart+":") {
					f.post, f.start = m, id
				}
			}
		}
		return f.post != nil
	})
}

// revealOf waits for the reveal and returns its message.
func (f *checkInFixture) revealOf() *discordgo.Message {
	f.t.Helper()
	var reveal *discordgo.Message
	f.waitFor("the reveal", func() bool {
		for _, m := range f.srv.Messages(f.channel) {
			if strings.Contains(m.Content, "you have both finished") {
				reveal = m
			}
		}
		return reveal != nil
	})
	return reveal
}

// partnerView is one partner's private check-in message.
type partnerView struct {
	f       *checkInFixture
	user    *discordgo.User
	message string // the ephemeral message the steps replace in place
	data    *discordgo.InteractionResponseData
}

func (f *checkInFixture) begin(u *discordgo.User) *partnerView {
	f.t.Helper()
	v := f.beginAsked(u)
	if strings.Contains(strings.Join(customIDs(v.data.Components), " "), actSafe+":") {
		v.press(actSafe) // the first answer: Yes
		v.press(actSafe) // Go on
	}
	return v
}

// beginAsked presses Start and shows what it answered, the private safety
// check included; begin answers that check with Yes.
func (f *checkInFixture) beginAsked(u *discordgo.User) *partnerView {
	f.t.Helper()
	r := f.press(u, f.channel, f.post.ID, f.start)
	if r.Type != discordgo.InteractionResponseChannelMessageWithSource || !isEphemeral(r) {
		f.t.Fatalf("Start answered type %v (ephemeral %v): %s", r.Type, isEphemeral(r), text(r.Data))
	}
	m, ok := f.srv.Original(f.lastToken())
	if !ok {
		f.t.Fatal("the private check-in message is missing")
	}
	return &partnerView{f: f, user: u, message: m.ID, data: r.Data}
}

// press presses a component of the current step and expects the message to
// be replaced by the next.
func (v *partnerView) press(action string, values ...string) *discordtest.Response {
	v.f.t.Helper()
	r := v.f.press(v.user, v.f.channel, v.message, v.f.idWith(v.data.Components, action), values...)
	if r.Type == discordgo.InteractionResponseUpdateMessage {
		v.data = r.Data
	}
	return r
}

// pressID presses the component with exactly this custom ID.
func (v *partnerView) pressID(id string) *discordtest.Response {
	v.f.t.Helper()
	r := v.f.press(v.user, v.f.channel, v.message, id)
	if r.Type == discordgo.InteractionResponseUpdateMessage {
		v.data = r.Data
	}
	return r
}

// write opens the modal of the current step with action and submits fields.
func (v *partnerView) write(action string, fields map[string]string) (modal *discordgo.InteractionResponseData, r *discordtest.Response) {
	v.f.t.Helper()
	opened := v.press(action)
	if opened.Type != discordgo.InteractionResponseModal {
		v.f.t.Fatalf("%s answered %v, want a modal: %s", action, opened.Type, text(opened.Data))
	}
	r = v.f.submit(v.user, v.f.channel, v.message, opened.Data.CustomID, fields)
	if r.Type == discordgo.InteractionResponseUpdateMessage {
		v.data = r.Data
	}
	return opened.Data, r
}

func (v *partnerView) shows(wants ...string) {
	v.f.t.Helper()
	mustContain(v.f.t, v.user.Username+"'s check-in", text(v.data), wants...)
}

func TestBothPartnersCheckInThroughEveryKindAndSeeTheReveal(t *testing.T) {
	t.Parallel()
	f := newCheckIn(t)
	due := f.clock.Now().AddDate(0, 0, 7).In(mustLoad(t, "Europe/Berlin")).Format("2006-01-02")

	a := f.begin(alice)
	a.shows("1 of 6", "How connected did you feel?", "Only you can see this")
	a.pressID(customID{Action: actScale, ID: idOf(t, f.start), Prompt: "trust", Number: 4}.String())
	a.shows("2 of 6", "How much energy is left?")
	a.press(actChoice, "1")
	a.shows("3 of 6", "What hurt or worried you?")
	modal, _ := a.write(actWrite, map[string]string{"text": "I felt alone on Sunday"})
	if modal.Title != "3 of 6" {
		t.Errorf("modal title %q", modal.Title)
	}
	a.shows("4 of 6", "Your promise: “Home by 7 pm on weekdays”", ":cant_say]")
	// The one who made a promise reviews it: no Skip for alice here.
	if offersAction(a.data.Components, actSkip) {
		t.Errorf("alice may skip the review of her own promise")
	}
	a.press(actVerdict) // Kept
	a.shows("5 of 6", "Agreement: “We are open about money”")
	a.write(actNote, map[string]string{"note": "we talked about the card"}) // Kept, with a note, for the agreement
	a.shows("6 of 6", "One concrete thing for next week?")

	// A due date Mend cannot read is refused, and what was typed is kept.
	_, r := a.write(actWrite, map[string]string{"text": "Call my sister", "due": "next friday"})
	if r.Type != discordgo.InteractionResponseUpdateMessage || !strings.Contains(r.Data.Content, "not a date Mend can read") {
		t.Fatalf("bad due date: %v %s", r.Type, text(r.Data))
	}
	a.shows("6 of 6")
	reopened := a.press(actWrite)
	if got := modalValue(reopened.Data, "text"); got != "Call my sister" {
		t.Errorf("the reopened form shows %q, want what was typed", got)
	}
	a.write(actWrite, map[string]string{"text": "Call my sister", "due": due})
	// Before anything is shown, alice reads her answers over and sends them.
	a.shows("Read it over", "I felt alone on Sunday", "Call my sister (by "+due+")", "Send my answers", "Before you send, read your words as Bob will: do they say how it was for you (\"I felt…\")?")
	a.press(actSend)
	a.shows("Done", "when Bob has finished too")

	// Nothing is revealed yet; the status line says where they are.
	f.waitFor("alice's status to show done", func() bool {
		m, _ := f.srv.Message(f.post.ID)
		return strings.Contains(messageText(m), "**Alice:** done")
	})
	if n := len(f.srv.Messages(f.channel)); n != 4 {
		t.Errorf("%d messages in the channel before bob finished; want the welcome, two notices, the post", n)
	}

	b := f.begin(bob)
	b.pressID(customID{Action: actScale, ID: idOf(t, f.start), Prompt: "trust", Number: 2}.String())
	b.press(actChoice, "2")
	b.press(actSkip) // nothing hurt this week
	// Alice's promise is hers to review; bob's view is welcome, and optional.
	b.shows("Alice's promise", "This is Alice's promise, and Alice reviews it.", "you can also skip it")
	if !offersAction(b.data.Components, actSkip) {
		t.Errorf("bob is not offered Skip on the review of alice's promise")
	}
	b.pressID(strings.Replace(b.f.idWith(b.data.Components, actVerdict), ":kept", ":not_this_week", 1))
	b.press(actVerdict) // Kept, for the agreement
	b.press(actSkip)
	b.shows("Read it over")
	b.press(actSend)
	b.shows("Done", "both finished", "posted in the channel")

	reveal := f.revealOf()
	all := messageText(reveal)
	mustContain(t, "the reveal", all,
		"Alice: 4 of 5", "Bob: 2 of 5", "Alice: A little", "Bob: None",
		"Alice: I felt alone on Sunday", "Bob: not answered this time",
		"Alice: Kept", "Bob: Not this week", "⇄ You see this one differently",
		"Alice: Kept: we talked about the card", "Alice: Call my sister (by "+due+")",
		"For the talk that follows: start with what you appreciated. Choose one thing to talk about, not all of them. Take turns: one of you speaks, and the other says back what they heard. If it gets heated, pause for twenty minutes and come back.")
	// The commitment made in the check-in is open now, for both to review.
	commitments, _ := f.app.Commitments.List(f.ctx, f.actor(mustCouple(t, f.harness, f.channel).ID, bob.ID))
	if len(commitments) != 2 || commitments[1].Text != "Call my sister" || commitments[1].DueOn != due {
		t.Errorf("commitments after the reveal: %+v", commitments)
	}

	// "I hear you": only the other partner can give it, and it is recorded.
	hear := customID{Action: actHear, ID: idOf(t, f.start), Prompt: "hurt", Number: 0}.String()
	if r := f.press(alice, f.channel, reveal.ID, hear); !isEphemeral(r) || !strings.Contains(text(r.Data), "Only Bob can answer your words") {
		t.Errorf("alice hearing herself: %s", text(r.Data))
	}
	r = f.press(bob, f.channel, reveal.ID, hear)
	if r.Type != discordgo.InteractionResponseUpdateMessage || !strings.Contains(text(r.Data), "ci.hear") {
		t.Fatalf("bob pressing I hear you: %v %s", r.Type, text(r.Data))
	}
	if !buttonDisabled(r.Data.Components, hear) {
		t.Error("the I hear you button is still active after bob pressed it")
	}
	rv, err := f.app.CheckIns.Reveal(f.ctx, f.as(idOf(t, f.start), alice.ID), idOf(t, f.start))
	if err != nil || !rv.Acknowledged("hurt", alice.ID) {
		t.Errorf("the acknowledgement was not recorded: %v", err)
	}

	// The logs carry what happened, never what was written, nor the token.
	// The reveal is logged once it is sent, recorded and the post refreshed.
	f.waitFor("the reveal to be logged", func() bool { return strings.Contains(f.logs.String(), "check-in revealed") })
	logs := f.logs.String()
	for _, secret := range []string{"I felt alone on Sunday", "we talked about the card", "Call my sister", "next friday", "test-token"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the logs contain %q", secret)
		}
	}
}

func TestARestartHalfwayLosesNothing(t *testing.T) {
	t.Parallel()
	f := newCheckIn(t)
	a := f.begin(alice)
	a.pressID(customID{Action: actScale, ID: idOf(t, f.start), Prompt: "trust", Number: 3}.String())
	a.press(actChoice, "0")
	f.restart()
	// Discord's 15-minute interaction tokens have run out too.
	f.srv.ExpireAllTokens()
	again := f.begin(alice)
	again.shows("3 of 6", "What hurt or worried you?")
	// The old private message's buttons still work: each press is a new interaction.
	a.press(actSkip)
	a.shows("4 of 6")
}

func TestStrangersAndForgedButtonsChangeNothing(t *testing.T) {
	t.Parallel()
	f := newCheckIn(t)
	ci := idOf(t, f.start)
	before := answersStored(t, f.harness, ci)
	cases := []struct {
		name string
		user *discordgo.User
		id   string
		want string
	}{
		{"a third user presses Start", carol, f.start, "belongs to two other people"},
		{"a third user forges an answer", carol, customID{Action: actScale, ID: ci, Prompt: "trust", Number: 5}.String(), "belongs to two other people"},
		{"a partner names a check-in that does not exist", alice, customID{Action: actScale, ID: ci + 1000, Prompt: "trust", Number: 5}.String(), "no longer exists"},
		{"a scale value out of range", alice, customID{Action: actScale, ID: ci, Prompt: "trust", Number: 9}.String(), "choose a number"},
		{"a step that is not the current one", alice, customID{Action: actVerdict, ID: ci, Prompt: "promises", Subject: 1, Verdict: "kept"}.String(), "here is where you are now"},
		{"an unknown action", alice, "ci.launch:" + f.start[len(actStart)+1:], "does not recognise that button"},
		{"an overlong id", alice, f.start + strings.Repeat("0", 120), "does not recognise that button"},
		{"a verdict sent for a scale", alice, customID{Action: actVerdict, ID: ci, Prompt: "trust", Subject: 0, Verdict: "kept"}.String(), "choose a number"},
	}
	for _, c := range cases {
		r := f.press(c.user, f.channel, f.post.ID, c.id)
		if !strings.Contains(text(r.Data), c.want) {
			t.Errorf("%s: %s", c.name, text(r.Data))
		}
	}
	// A forged button sent from another channel is refused too.
	if r := f.press(alice, generalChan, f.post.ID, f.start); !strings.Contains(text(r.Data), "another channel") {
		t.Errorf("start from another channel: %s", text(r.Data))
	}
	if got := answersStored(t, f.harness, ci); got != before {
		t.Errorf("%d answers stored after the refused presses, want %d", got, before)
	}
}

func TestCommandsOutsideTheCoupleChannelAreExplained(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	for _, c := range []struct {
		user    *discordgo.User
		channel string
		want    string
	}{
		{alice, generalChan, "works in your couple's private channel"},
		{carol, ch, "belongs to two other people"},
	} {
		r := h.slash(c.user, c.channel, "checkin", sub("now"))
		if !isEphemeral(r) || !strings.Contains(text(r.Data), c.want) {
			t.Errorf("/checkin now by %s in %s: %s", c.user.Username, c.channel, text(r.Data))
		}
	}
	if _, err := h.app.CheckIns.Current(h.ctx, h.byFirst(mustCouple(t, h, ch).ID)); conversations.ErrorCode(err) != conversations.ENOTFOUND {
		t.Errorf("a refused command opened a check-in: %v", err)
	}
}

func TestPauseIsShownToBothAndStartResumes(t *testing.T) {
	t.Parallel()
	f := newCheckIn(t)
	a := f.begin(alice)
	a.press(actScale) // a break is shown once something is answered
	a.press(actPause)
	a.shows("Taking a break", "Start my check-in")
	f.waitFor("the status to show the break", func() bool {
		m, _ := f.srv.Message(f.post.ID)
		return strings.Contains(messageText(m), "**Alice:** taking a break")
	})
	status := f.slash(bob, f.channel, "checkin", sub("status"))
	mustContain(t, "bob's status", text(status.Data), "**Alice:** taking a break", "**Bob:** not started")
	f.begin(alice).shows("2 of 6")
}

func TestAClosedCheckInTakesNoMoreAnswers(t *testing.T) {
	t.Parallel()
	f := newCheckIn(t)
	a := f.begin(alice)
	f.clock.Advance(49 * time.Hour)
	r := a.pressID(customID{Action: actScale, ID: idOf(t, f.start), Prompt: "trust", Number: 3}.String())
	if !isEphemeral(r) || !strings.Contains(text(r.Data), "This check-in closed on") {
		t.Errorf("answering a closed check-in: %s", text(r.Data))
	}
	if r := f.press(bob, f.channel, f.post.ID, f.start); !strings.Contains(text(r.Data), "closed on") {
		t.Errorf("starting a closed check-in: %s", text(r.Data))
	}
}

func mustLoad(t *testing.T, zone string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func idOf(t *testing.T, customIDString string) int64 {
	t.Helper()
	id, err := parseCustomID(customIDString)
	if err != nil {
		t.Fatal(err)
	}
	return id.ID
}

func mustCouple(t *testing.T, h *harness, channel string) conversations.Couple {
	t.Helper()
	c, err := h.app.Couples.ByChannel(h.ctx, channel)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func answersStored(t *testing.T, h *harness, checkInID int64) int {
	t.Helper()
	n := 0
	for _, u := range []*discordgo.User{alice, bob} {
		items, err := h.app.Turns.Remaining(h.ctx, h.as(checkInID, u.ID), checkInID)
		if err != nil {
			t.Fatal(err)
		}
		ci := h.storedCheckIn(checkInID)
		n += len(ci.Items()) - len(items)
	}
	return n
}

func modalValue(data *discordgo.InteractionResponseData, id string) string {
	for _, c := range flat(data.Components) {
		if in, ok := c.(discordgo.TextInput); ok && in.CustomID == id {
			return in.Value
		}
	}
	return ""
}

func buttonDisabled(rows []discordgo.MessageComponent, id string) bool {
	b, _ := button(rows, id)
	return b.Disabled
}

// offersAction reports whether a button of the action is among components.
func offersAction(components []discordgo.MessageComponent, action string) bool {
	for _, id := range customIDs(components) {
		if strings.HasPrefix(id, action+":") {
			return true
		}
	}
	return false
}
