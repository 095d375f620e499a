package bot

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// Tests of Mend under faults and hostile input: interactions that do not
// match their custom IDs, panics, status messages that must converge, posts
// Discord refuses for a while, and a couple channel that disappears.

func TestACustomIDOnTheWrongKindOfInteractionIsRefusedAndMendStaysUp(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	c := mustCouple(t, h, ch)
	ci, _ := openPosted(t, h, c)
	modalID := customID{Action: actTextModal, ID: ci.ID, Prompt: "hurt"}.String()
	selectID := customID{Action: actChoice, ID: ci.ID, Prompt: "energy"}.String()

	// A button press that carries a modal's ID, and a modal that carries a
	// select's: discordgo panics when a handler reads the wrong kind of data.
	pressed := h.press(alice, ch, "", modalID)
	submitted := h.submit(bob, ch, "", selectID, map[string]string{"text": "forged"})
	for what, r := range map[string]string{"the button": text(pressed.Data), "the modal": text(submitted.Data)} {
		if !strings.Contains(r, "does not recognise that button") {
			t.Errorf("%s with a mismatched id was answered %q", what, r)
		}
	}
	if !isEphemeral(pressed) || !isEphemeral(submitted) {
		t.Error("a refusal is not private")
	}
	if answers, _ := h.db.Answers.Answers(h.ctx, ci.ID); len(answers) != 0 {
		t.Errorf("a mismatched interaction recorded %d answers", len(answers))
	}
	if r := h.slash(alice, ch, "help"); !strings.Contains(text(r.Data), "/couple invite") {
		t.Errorf("Mend did not answer /help afterwards: %s", text(r.Data))
	}
}

func TestAPanicInAHandlerIsLoggedAnsweredKindlyAndMendGoesOn(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	h.bot.router.routes[routeKey{onCommand, "history"}].handle = func(ctx context.Context, it *interaction) error {
		var m map[string]int
		//lint:ignore SA5000 a runtime panic is what this test needs
		m["boom"]++
		return nil
	}
	r := h.slash(alice, ch, "history")
	if !isEphemeral(r) || !strings.Contains(text(r.Data), "Something went wrong on Mend's side") {
		t.Errorf("the person whose command panicked was told %q", text(r.Data))
	}
	logs := h.logs.String()
	mustContain(t, "the log", logs, "interaction panicked", "route=history", "assignment to entry in nil map", "stack=")
	if r := h.slash(bob, ch, "help"); !strings.Contains(text(r.Data), "/couple invite") {
		t.Errorf("Mend did not go on serving: %s", text(r.Data))
	}
}

func TestOnlyThePartnerWhoWasAskedCanPressStayOrKeep(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	c := mustCouple(t, h, ch)
	stay := customID{Action: actStay, ID: c.ID}.String()
	keep := customID{Action: actKeep, ID: c.ID}.String()
	for _, id := range []string{stay, keep} {
		r := h.press(carol, ch, "", id)
		if r.Type == discordgo.InteractionResponseUpdateMessage || !isEphemeral(r) {
			t.Errorf("carol pressing %s got %v: %s", id, r.Type, text(r.Data))
		}
		if !strings.Contains(text(r.Data), "belongs to") && !strings.Contains(text(r.Data), "not in a couple") {
			t.Errorf("carol pressing %s was told %q", id, text(r.Data))
		}
	}
	if r := h.press(alice, ch, "", keep); r.Type != discordgo.InteractionResponseUpdateMessage {
		t.Errorf("alice pressing Keep got %v: %s", r.Type, text(r.Data))
	}
}

func TestForgetAcceptsOnlyTheChoicesMendOffers(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	c := mustCouple(t, h, ch)
	r := h.press(alice, ch, "", "couple.forget:"+itoa(c.ID)+":2")
	if !strings.Contains(text(r.Data), "does not recognise that button") {
		t.Errorf("a forged forget choice was answered %q", text(r.Data))
	}
	if got, err := h.db.Couples.Couple(h.ctx, c.ID); err != nil || got.Status != conversations.CoupleActive {
		t.Errorf("after a forged forget the couple is %+v (%v)", got.Status, err)
	}
}

// openPosted opens a check-in for the couple and sends its message to the
// channel, and returns both.
func openPosted(t *testing.T, h *harness, c conversations.Couple) (conversations.CheckIn, string) {
	t.Helper()
	ci, err := h.app.CheckIns.Open(h.ctx, h.byFirst(c.ID), "")
	if err != nil {
		t.Fatal(err)
	}
	mustFlush(t, h, 1)
	return ci, h.storedCheckIn(ci.ID).PostID
}

// statusOf is the "where you are" line of a check-in's channel message.
func statusOf(h *harness, messageID string) string {
	m, ok := h.srv.Message(messageID)
	if !ok || len(m.Embeds) == 0 {
		return ""
	}
	for _, f := range m.Embeds[0].Fields {
		if f.Name == "Where you are" {
			return f.Value
		}
	}
	return ""
}

func TestTheStatusMessageShowsBothPartnersStartingAtOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	c := mustCouple(t, h, ch)
	ci, post := openPosted(t, h, c)
	start := customID{Action: actStart, ID: ci.ID}.String()
	var wg sync.WaitGroup
	for _, u := range []*discordgo.User{alice, bob} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := h.srv.Interact(h.ctx, h.srv.Component(testGuild, ch, u, post, start)); err != nil {
				t.Errorf("%s starts: %v", u.Username, err)
			}
		}()
	}
	wg.Wait()
	want := "**Alice:** in progress · **Bob:** in progress"
	h.waitFor("both partners shown answering", func() bool { return statusOf(h, post) == want })
}

func TestAStatusChangeWhileThePostIsOnItsWayIsShown(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	c := mustCouple(t, h, ch)
	ci, err := h.app.CheckIns.Open(h.ctx, h.byFirst(c.ID), "")
	if err != nil {
		t.Fatal(err)
	}
	// Alice starts after the post was rendered and before Discord has it:
	// the post shows her as not started.
	var once sync.Once
	h.srv.Hook(func(r *http.Request, body []byte) (int, any, bool) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/channels/"+ch+"/messages") && strings.Contains(string(body), "Check-in: ") {
			once.Do(func() {
				if _, err := h.app.Turns.Begin(context.Background(), h.as(ci.ID, alice.ID), ci.ID); err != nil {
					t.Errorf("alice begins: %v", err)
				}
			})
		}
		return 0, nil, false
	})
	mustFlush(t, h, 1)
	post := h.storedCheckIn(ci.ID).PostID
	h.waitFor("alice shown answering", func() bool { return strings.HasPrefix(statusOf(h, post), "**Alice:** in progress") })
}

func TestAFailedStatusEditIsRetried(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	c := mustCouple(t, h, ch)
	ci, post := openPosted(t, h, c)
	var edits atomic.Int32
	h.srv.Hook(func(r *http.Request, body []byte) (int, any, bool) {
		if r.Method == http.MethodPatch && strings.HasSuffix(r.URL.Path, "/messages/"+post) && edits.Add(1) == 1 {
			return http.StatusInternalServerError, map[string]any{"message": "500: Internal Server Error", "code": 0}, true
		}
		return 0, nil, false
	})
	h.press(bob, ch, post, customID{Action: actStart, ID: ci.ID}.String())
	h.press(bob, ch, "", customID{Action: actSafe, ID: ci.ID, Number: int(conversations.SafetyYes)}.String())
	r := h.press(bob, ch, "", customID{Action: actSafe, ID: ci.ID, Number: safeGoOn}.String())
	r = h.press(bob, ch, "", h.idWith(r.Data.Components, actScale)) // a break is shown once something is answered
	pause := h.idWith(r.Data.Components, actPause)
	h.press(bob, ch, "", pause)
	h.waitFor("bob shown taking a break", func() bool { return strings.HasSuffix(statusOf(h, post), "**Bob:** taking a break") })
	if n := edits.Load(); n < 2 {
		t.Errorf("%d edits; the failed one was not retried", n)
	}
}

// revealQueued has alice and bob finish a check-in without sending its
// reveal yet.
func revealQueued(t *testing.T, h *harness, c conversations.Couple) conversations.CheckIn {
	t.Helper()
	ci, _ := openPosted(t, h, c)
	answerSteps(t, h, ci.ID, alice, "words of alice", 0)
	if step := answerSteps(t, h, ci.ID, bob, "words of bob", 0); !step.JustRevealed {
		t.Fatal("the check-in was not revealed")
	}
	return ci
}

// refuseReveal has the fake answer every post of the reveal (alice's words)
// with an error, until the flag it returns is cleared.
func refuseReveal(h *harness, status, code int, message string) *atomic.Bool {
	var refuse atomic.Bool
	refuse.Store(true)
	h.srv.Hook(func(r *http.Request, body []byte) (int, any, bool) {
		if refuse.Load() && r.Method == http.MethodPost && strings.Contains(string(body), "words of alice") {
			return status, map[string]any{"message": message, "code": code}, true
		}
		return 0, nil, false
	})
	return &refuse
}

func revealsIn(h *harness, ch string) int {
	n := 0
	for _, m := range h.srv.Messages(ch) {
		if strings.Contains(messageText(m), "words of alice") {
			n++
		}
	}
	return n
}

func TestARevealRefusedForADayIsStillDelivered(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	c := mustCouple(t, h, ch)
	// An admin took away Mend's Send Messages permission.
	refuse := refuseReveal(h, http.StatusForbidden, 50013, "Missing Permissions")
	ci := revealQueued(t, h, c)
	for range 3 {
		if n, err := h.bot.FlushOutbox(h.ctx); err != nil || n != 0 {
			t.Fatalf("a refused flush sent %d (%v)", n, err)
		}
		h.clock.Advance(25 * time.Hour)
	}
	pending, err := h.app.Outbox.Pending(h.ctx, 10)
	if err != nil || len(pending) != 1 || pending[0].Kind != conversations.PostReveal {
		t.Fatalf("after 75 hours of refusals the pending posts are %+v (%v); want the reveal", pending, err)
	}
	refuse.Store(false)
	mustFlush(t, h, 1)
	if n := revealsIn(h, ch); n != 1 {
		t.Errorf("%d reveals in the channel, want 1", n)
	}
	if h.storedCheckIn(ci.ID).RevealPostID == "" {
		t.Error("the delivered reveal is not recorded")
	}
}

func TestARevealDiscordRefusesCanBePostedAgainFromStatusAndHistory(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	c := mustCouple(t, h, ch)
	refuse := refuseReveal(h, http.StatusBadRequest, 50035, "Invalid Form Body")
	ci := revealQueued(t, h, c)
	mustFlush(t, h, 0)
	if pending, _ := h.app.Outbox.Pending(h.ctx, 10); len(pending) != 0 {
		t.Fatalf("a refused reveal is still pending: %+v", pending)
	}
	mustContain(t, "the log", h.logs.String(), "gave up on a post")
	repost := customID{Action: actRepost, ID: ci.ID}.String()

	status := h.slash(alice, ch, "checkin", sub("status"))
	mustContain(t, "/checkin status", text(status.Data), "never reached this channel", "["+repost+"]")
	if label := buttonLabel(status.Data.Components, repost); label != "Post our answers again" {
		t.Errorf("the button to post the answers again reads %q", label)
	}
	history := h.slash(bob, ch, "history")
	mustContain(t, "/history", text(history.Data), "never reached the channel", "["+repost+"]")
	start := h.press(alice, ch, "", customID{Action: actStart, ID: ci.ID}.String())
	if strings.Contains(text(start.Data), "shown in the channel") {
		t.Errorf("Start says the answers are in the channel: %s", text(start.Data))
	}

	refuse.Store(false)
	if r := h.press(carol, ch, "", repost); !strings.Contains(text(r.Data), "belongs to") {
		t.Errorf("carol could post the reveal again: %s", text(r.Data))
	}
	r := h.press(alice, ch, "", repost)
	mustContain(t, "the answer to the button", text(r.Data), "on their way")
	h.waitFor("the reveal in the channel, recorded", func() bool { return revealsIn(h, ch) == 1 && h.storedCheckIn(ci.ID).RevealPostID != "" })
	if strings.Contains(text(h.slash(alice, ch, "checkin", sub("status")).Data), repost) {
		t.Error("/checkin status still offers to post a reveal that arrived")
	}
}

// remakeAfterLoss checks what a partner is told once the channel is gone,
// has it made again, and returns the new channel.
func remakeAfterLoss(t *testing.T, h *harness, c conversations.Couple) string {
	t.Helper()
	info := h.slash(alice, generalChan, "couple", sub("info"))
	mustContain(t, "/couple info after the channel went", text(info.Data), "was deleted", "Nothing you wrote is lost")
	remake := h.idWith(info.Data.Components, actRemake)
	notice, _ := h.srv.Original(h.lastToken())
	if r := h.press(carol, generalChan, notice.ID, remake); r.Type == discordgo.InteractionResponseDeferredMessageUpdate {
		t.Fatal("carol could make the couple's channel")
	}
	r := h.press(alice, generalChan, notice.ID, remake)
	if r.Type != discordgo.InteractionResponseDeferredMessageUpdate {
		t.Fatalf("remake answered %v: %s", r.Type, text(r.Data))
	}
	var channelID string
	h.waitFor("the new channel", func() bool {
		got, err := h.db.Couples.Couple(h.ctx, c.ID)
		channelID = got.ChannelID
		return err == nil && !got.ChannelMissing() && channelID != c.ChannelID
	})
	nc, ok := h.srv.Channel(channelID)
	if !ok || len(nc.PermissionOverwrites) != 4 {
		t.Fatalf("the new channel is %+v", nc)
	}
	return channelID
}

func TestAChannelDeletedWhileMendWasAwayPausesTheCoupleAndCanBeMadeAgain(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	c := mustCouple(t, h, ch)
	setScheduleThroughService(t, h, c.ID, alice.ID)
	ci := revealQueued(t, h, c)
	h.srv.DeleteChannel(ch, false)
	mustFlush(t, h, 0)

	got, err := h.db.Couples.Couple(h.ctx, c.ID)
	if err != nil || !got.ChannelMissing() {
		t.Fatalf("after a 404 the couple is %+v (%v)", got, err)
	}
	if pending, _ := h.app.Outbox.Pending(h.ctx, 10); len(pending) != 0 {
		t.Errorf("posts are retried at once into a missing channel: %+v", pending)
	}
	for _, u := range []*discordgo.User{alice, bob} {
		dms := strings.Join(h.srv.DMs(u.ID), "\n")
		mustContain(t, u.Username+"'s direct messages", dms, "was deleted", "paused")
	}
	// The schedule is paused: nothing opens, however late it gets.
	h.clock.Advance(8 * 24 * time.Hour)
	if report, err := h.app.Schedules.RunDue(h.ctx); err != nil || report.Opened != 0 {
		t.Errorf("with the channel gone RunDue opened %d (%v)", report.Opened, err)
	}

	nc := remakeAfterLoss(t, h, c)
	h.waitFor("the reveal in the new channel, recorded", func() bool {
		return revealsIn(h, nc) == 1 && h.storedCheckIn(ci.ID).RevealPostID != ""
	})
	msgs := h.srv.Messages(nc)
	if len(msgs) < 2 || !strings.HasPrefix(msgs[0].Content, "Welcome") {
		t.Errorf("the new channel does not open with the welcome:\n%s", allText(h, nc))
	}
}

func TestAChannelDeleteEventPausesTheCoupleAtOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	c := mustCouple(t, h, ch)
	h.srv.DeleteChannel(ch, true)
	h.waitFor("the couple marked as without a channel", func() bool {
		got, err := h.db.Couples.Couple(h.ctx, c.ID)
		return err == nil && got.ChannelMissing()
	})
	// Each partner reads the channel named after the other, the invitee too.
	r := h.slash(bob, generalChan, "checkin", sub("now"))
	mustContain(t, "/checkin now elsewhere", text(r.Data), "Your private channel with Alice was deleted", "["+customID{Action: actRemake, ID: c.ID}.String()+"]")
	r = h.slash(alice, generalChan, "checkin", sub("now"))
	mustContain(t, "alice's /checkin now elsewhere", text(r.Data), "Your private channel with Bob was deleted")
	remakeAfterLoss(t, h, c)
}

func TestADueReminderQuotesALongCommitmentShortened(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	c := mustCouple(t, h, ch)
	long := strings.Repeat("I will call before I am late. ", 140) // 4,200 characters
	today := h.clock.Now().In(c.Location()).Format(conversations.DateLayout)
	cm := conversations.Commitment{CoupleID: c.ID, OwnerID: alice.ID, Text: long, DueOn: today, Status: conversations.CommitmentOpen, CreatedAt: h.clock.Now()}
	if err := h.db.Commitments.AddCommitment(h.ctx, &cm); err != nil {
		t.Fatal(err)
	}
	if report, err := h.app.Schedules.RunDue(h.ctx); err != nil || report.DueReminders != 1 {
		t.Fatalf("RunDue reminded of %d commitments (%v)", report.DueReminders, err)
	}
	mustFlush(t, h, 1)
	msgs := h.srv.Messages(ch)
	got := msgs[len(msgs)-1].Content
	if n := len([]rune(got)); n > 2000 {
		t.Errorf("the reminder is %d characters long", n)
	}
	mustContain(t, "the reminder", got, "I will call before I am late.", "…”", "a note for today: you planned")
}

func allText(h *harness, ch string) string {
	var b strings.Builder
	for _, m := range h.srv.Messages(ch) {
		b.WriteString(messageText(m) + "\n")
	}
	return b.String()
}

func itoa(n int64) string { return customID{Action: actStart, ID: n}.String()[len(actStart)+1:] }

func TestStatusOffersNoRepostOnceTheRevealReachedTheChannel(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	c := mustCouple(t, h, ch)
	ci := revealQueued(t, h, c)

	// On its way: nothing to post again yet.
	queued := h.slash(alice, ch, "checkin", sub("status"))
	if got := text(queued.Data); strings.Contains(got, "never reached") || strings.Contains(got, "[ci.repost:") {
		t.Errorf("/checkin status offers a repost while the reveal is queued: %s", got)
	}
	mustFlush(t, h, 1)
	h.waitFor("the delivered reveal, recorded", func() bool { return h.storedCheckIn(ci.ID).RevealPostID != "" })

	for _, u := range []*discordgo.User{alice, bob} {
		status := h.slash(u, ch, "checkin", sub("status"))
		got := text(status.Data)
		if strings.Contains(got, "never reached") || strings.Contains(got, "[ci.repost:") {
			t.Errorf("/checkin status for %s offers a repost after the reveal arrived: %s", u.Username, got)
		}
		if _, ok := button(status.Data.Components, "ci.repost:0"); ok {
			t.Errorf("/checkin status for %s has a repost button for check-in 0", u.Username)
		}
	}
}

func TestWhileMendShutsDownItRefusesCommandsButStillTakesForms(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	h.bot.closing.Store(true)
	r := h.slash(alice, ch, "help")
	if !isEphemeral(r) || !strings.Contains(text(r.Data), "Mend is restarting") {
		t.Errorf("a command while shutting down was answered %q", text(r.Data))
	}
	h.waitLogged(`route=closing user=` + alice.ID)
	// A form goes on to its route, which here refuses an ID Mend never made.
	f := h.submit(alice, ch, "", "ci.forged:1", map[string]string{"text": "words"})
	if !strings.Contains(text(f.Data), "does not recognise that button") {
		t.Errorf("a form while shutting down was answered %q", text(f.Data))
	}
}

func TestACommandInADirectMessageIsPointedToAServer(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	i := h.srv.SlashCommand(testGuild, generalChan, alice, "help")
	i.GuildID, i.Member, i.User, i.Context = "", nil, alice, discordgo.InteractionContextBotDM
	r := h.interact(i)
	if !isEphemeral(r) || !strings.Contains(text(r.Data), "Mend works inside a server") {
		t.Errorf("a command in a direct message was answered %q", text(r.Data))
	}
	h.waitLogged(`route=dm user=` + alice.ID)
}

func TestAHandlerTooSlowForDiscordIsDeferredForAndItsAnswerStillArrives(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	h.bot.router.deferAfter = time.Millisecond
	// /checkin now asks to be deferred privately; this handler answers only
	// once Mend has.
	h.bot.router.routes[routeKey{onCommand, "checkin now"}].handle = func(ctx context.Context, it *interaction) error {
		for !func() bool { it.mu.Lock(); defer it.mu.Unlock(); return it.acked }() {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			time.Sleep(time.Millisecond)
		}
		return it.reply(message{Ephemeral: true, Content: "words after a long think"})
	}
	r := h.slash(alice, ch, "checkin", sub("now"))
	if r.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || !isEphemeral(r) {
		t.Errorf("the slow command was answered %v %q, want a private deferral", r.Type, text(r.Data))
	}
	token := h.lastToken()
	h.waitFor("the handler's answer to replace the deferral", func() bool {
		m, ok := h.srv.Original(token)
		return ok && m.Content == "words after a long think"
	})
	if r := h.slash(alice, ch, "help"); r.Type != discordgo.InteractionResponseChannelMessageWithSource {
		t.Errorf("/help, which answers at once and asks for no deferral, was answered %v", r.Type)
	}
}
