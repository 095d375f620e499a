package bot

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	_ "github.com/mattn/go-sqlite3"

	"mend/bot/discordtest"
	"mend/conversations"
)

// e2eMonday is the service's clock at the start of the schedule and records
// tests: a Monday in the week US clocks spring forward (Sunday 9 March), so
// the next three Wednesdays in New York straddle the change.
var e2eMonday = time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)

func TestScheduleSetRefusesBadInputAndChangesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.clock.Set(e2eMonday)
	ch := h.couple()
	couple := mustCouple(t, h, ch)
	cases := []struct {
		name    string
		options []*discordgo.ApplicationCommandInteractionDataOption
		want    string
	}{
		{"an unknown time zone", []*discordgo.ApplicationCommandInteractionDataOption{
			str("day", "Wednesday"), str("time", "20:00"), str("timezone", "Mars/Olympus")}, "not a time zone Mend knows"},
		{"an hour that does not exist", []*discordgo.ApplicationCommandInteractionDataOption{
			str("day", "Wednesday"), str("time", "25:00"), str("timezone", "Europe/Berlin")}, "not a time of day"},
		{"a day and a cron expression", []*discordgo.ApplicationCommandInteractionDataOption{
			str("day", "Wednesday"), str("time", "20:00"), str("cron", "0 20 * * WED")}, "not both"},
		{"neither a day nor a cron expression", []*discordgo.ApplicationCommandInteractionDataOption{
			str("timezone", "Europe/Berlin")}, "Please give both a day and a time"},
		{"a cron expression that never fires", []*discordgo.ApplicationCommandInteractionDataOption{
			str("cron", "0 20 30 2 *"), str("timezone", "Europe/Berlin")}, "never fires"},
		{"a cron expression more often than twice a day", []*discordgo.ApplicationCommandInteractionDataOption{
			str("cron", "0 */6 * * *"), str("timezone", "Europe/Berlin")}, "at most two a day"},
	}
	before := len(h.srv.Messages(ch))
	for _, c := range cases {
		r := h.slash(alice, ch, "schedule", sub("set", c.options...))
		if !isEphemeral(r) || !strings.Contains(text(r.Data), c.want) {
			t.Errorf("%s: ephemeral %v: %s", c.name, isEphemeral(r), text(r.Data))
		}
	}
	if _, err := h.app.Schedules.Get(h.ctx, h.actor(couple.ID, alice.ID)); conversations.ErrorCode(err) != conversations.ENOTFOUND {
		t.Errorf("a refused /schedule set stored a schedule (err %v)", err)
	}
	if got := mustCouple(t, h, ch).TimeZone; got != couple.TimeZone {
		t.Errorf("a refused /schedule set moved the couple to %s", got)
	}
	if n := len(h.srv.Messages(ch)); n != before {
		t.Errorf("%d messages in the channel after refused commands, want %d", n, before)
	}
}

func TestSchedulePauseUntilAPastDateIsRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.clock.Set(e2eMonday)
	ch := h.couple()
	setWednesdays(t, h, ch)
	couple := mustCouple(t, h, ch)
	want, err := h.app.Schedules.Get(h.ctx, h.actor(couple.ID, alice.ID))
	if err != nil {
		t.Fatal(err)
	}
	for _, until := range []string{"2025-03-01", "2025-03-03"} {
		r := h.slash(bob, ch, "schedule", sub("pause", str("until", until)))
		if !isEphemeral(r) || !strings.Contains(text(r.Data), "not in the future") {
			t.Errorf("pause until %s: ephemeral %v: %s", until, isEphemeral(r), text(r.Data))
		}
	}
	got, err := h.app.Schedules.Get(h.ctx, h.actor(couple.ID, alice.ID))
	if err != nil {
		t.Fatal(err)
	}
	if got.PausedUntil != "" || !got.NextRunAt.Equal(want.NextRunAt) {
		t.Errorf("a refused pause changed the schedule: paused until %q, next run %v (was %v)", got.PausedUntil, got.NextRunAt, want.NextRunAt)
	}
}

func TestScheduleSetIsPostedInTheChannelWithTheNextThreeRuns(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.clock.Set(e2eMonday)
	ch := h.couple()
	r := setWednesdays(t, h, ch)
	if isEphemeral(r) {
		t.Fatalf("/schedule set should be visible to both partners: %s", text(r.Data))
	}
	got := text(r.Data)
	mustContain(t, "the schedule message", got, "Alice set your check-ins", "Wednesdays at 20:00 (America/New_York)")
	runs := weeklyRuns(t, e2eMonday, "America/New_York", time.Wednesday, 20, 0, 3)
	mustContain(t, "the schedule message", got, runLines(runs)...)
	if n := strings.Count(got, "• "); n != 3 {
		t.Errorf("%d runs listed, want 3:\n%s", n, got)
	}
	msgs := h.srv.Messages(ch)
	if last := messageText(msgs[len(msgs)-1]); last != got {
		t.Errorf("the channel's last message is not the schedule:\n%s", last)
	}
}

func TestScheduleShowListsTheSameRuns(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.clock.Set(e2eMonday)
	ch := h.couple()
	setWednesdays(t, h, ch)
	r := h.slash(bob, ch, "schedule", sub("show"))
	runs := weeklyRuns(t, e2eMonday, "America/New_York", time.Wednesday, 20, 0, 3)
	mustContain(t, "/schedule show", text(r.Data), append([]string{"Wednesdays at 20:00 (America/New_York)"}, runLines(runs)...)...)
}

func TestSchedulePauseAndResumeArePostedInTheChannel(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.clock.Set(e2eMonday)
	ch := h.couple()
	setWednesdays(t, h, ch)
	couple := mustCouple(t, h, ch)

	pause := h.slash(alice, ch, "schedule", sub("pause", str("until", "2025-03-20")))
	if isEphemeral(pause) {
		t.Errorf("the pause should be posted for both: %s", text(pause.Data))
	}
	mustContain(t, "the pause", text(pause.Data), "Alice paused your check-ins until 2025-03-20")
	sched, err := h.app.Schedules.Get(h.ctx, h.actor(couple.ID, bob.ID))
	if err != nil {
		t.Fatal(err)
	}
	afterPause := weeklyRuns(t, time.Date(2025, 3, 20, 0, 0, 0, 0, mustLoad(t, "America/New_York")), "America/New_York", time.Wednesday, 20, 0, 1)[0]
	if sched.PausedUntil != "2025-03-20" || !sched.NextRunAt.Equal(afterPause) {
		t.Errorf("paused schedule: until %q, next run %v; want 2025-03-20 and %v", sched.PausedUntil, sched.NextRunAt, afterPause)
	}

	resume := h.slash(bob, ch, "schedule", sub("resume"))
	if isEphemeral(resume) {
		t.Errorf("the resume should be posted for both: %s", text(resume.Data))
	}
	mustContain(t, "the resume", text(resume.Data), "Bob ended the pause of your check-ins")
	sched, err = h.app.Schedules.Get(h.ctx, h.actor(couple.ID, bob.ID))
	if err != nil {
		t.Fatal(err)
	}
	first := weeklyRuns(t, e2eMonday, "America/New_York", time.Wednesday, 20, 0, 1)[0]
	if sched.PausedUntil != "" || !sched.NextRunAt.Equal(first) {
		t.Errorf("resumed schedule: until %q, next run %v; want none and %v", sched.PausedUntil, sched.NextRunAt, first)
	}
	msgs := h.srv.Messages(ch)
	if len(msgs) < 2 || !strings.Contains(msgs[len(msgs)-2].Content, "paused") || !strings.Contains(msgs[len(msgs)-1].Content, "ended the pause") {
		t.Errorf("the channel does not end with the pause and the resume")
	}
}

// The message says the next three check-ins; during a pause those are the
// three after it, not the ones the pause skips.
func TestSchedulePauseListsTheRunsAfterThePause(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.clock.Set(e2eMonday)
	ch := h.couple()
	setWednesdays(t, h, ch)
	pause := h.slash(alice, ch, "schedule", sub("pause", str("until", "2025-03-20")))
	from := time.Date(2025, 3, 20, 0, 0, 0, 0, mustLoad(t, "America/New_York"))
	runs := weeklyRuns(t, from, "America/New_York", time.Wednesday, 20, 0, 3)
	mustContain(t, "the pause", text(pause.Data), runLines(runs)...)
}

func TestScheduleIsRefusedToAStrangerAndOutsideTheCoupleChannel(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.clock.Set(e2eMonday)
	ch := h.couple()
	set := sub("set", str("day", "Wednesday"), str("time", "20:00"), str("timezone", "America/New_York"))
	for _, c := range []struct {
		user    *discordgo.User
		channel string
		want    string
	}{
		{carol, ch, "belongs to two other people"},
		{alice, generalChan, "works in your couple's private channel"},
	} {
		r := h.slash(c.user, c.channel, "schedule", set)
		if !isEphemeral(r) || !strings.Contains(text(r.Data), c.want) {
			t.Errorf("/schedule set by %s in %s: %s", c.user.Username, c.channel, text(r.Data))
		}
	}
	if _, err := h.app.Schedules.Get(h.ctx, h.actor(mustCouple(t, h, ch).ID, alice.ID)); conversations.ErrorCode(err) != conversations.ENOTFOUND {
		t.Errorf("a refused /schedule set stored a schedule (err %v)", err)
	}
}

func TestTimezoneAutocompleteSuggestsZonesByCity(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	for _, c := range []struct{ typed, want string }{
		{"berl", "Europe/Berlin"},
		{"new_y", "America/New_York"},
	} {
		r := h.interact(h.srv.Autocomplete(testGuild, ch, alice, "schedule",
			sub("set", str("day", "Wednesday"), &discordgo.ApplicationCommandInteractionDataOption{
				Name: "timezone", Type: discordgo.ApplicationCommandOptionString, Value: c.typed, Focused: true})))
		if r.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
			t.Fatalf("autocomplete answered %v", r.Type)
		}
		var names []string
		for _, choice := range r.Data.Choices {
			names = append(names, choice.Name)
		}
		if len(names) == 0 || len(names) > maxChoices || !contains(names, c.want) {
			t.Errorf("typing %q suggests %v, want %s among at most %d", c.typed, names, c.want, maxChoices)
		}
	}
}

func TestAScheduledCheckInIsPostedOnceThroughTheOutbox(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch, _ := queueScheduledCheckIn(t, h)
	if n, err := h.bot.FlushOutbox(h.ctx); err != nil || n != 1 {
		t.Fatalf("FlushOutbox sent %d (%v), want 1", n, err)
	}
	posts := checkInPostsIn(h, ch)
	if len(posts) != 1 {
		t.Fatalf("%d check-in posts in the channel, want 1", len(posts))
	}
	h.idWith(posts[0].Components, actStart)
	sends := len(postRequests(h, ch))
	if n, err := h.bot.FlushOutbox(h.ctx); err != nil || n != 0 {
		t.Errorf("a second flush sent %d (%v), want 0", n, err)
	}
	if got := len(postRequests(h, ch)); got != sends {
		t.Errorf("a second flush made %d more posts", got-sends)
	}
}

// A crash after Discord took the message and before Mend recorded it: the
// next attempt carries the same nonce, and Discord returns the first message.
func TestACrashBetweenSendAndMarkSentPostsOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch, post := queueScheduledCheckIn(t, h)
	sendBeforeCrash(t, h, post)
	if n, err := h.bot.FlushOutbox(h.ctx); err != nil {
		t.Fatalf("FlushOutbox: %v (sent %d)", err, n)
	}
	assertPostedOnce(t, h, ch, post)
}

func TestARestartBetweenSendAndMarkSentPostsOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch, post := queueScheduledCheckIn(t, h)
	sendBeforeCrash(t, h, post)
	h.restart()
	if n, err := h.bot.FlushOutbox(h.ctx); err != nil {
		t.Fatalf("FlushOutbox after the restart: %v (sent %d)", err, n)
	}
	assertPostedOnce(t, h, ch, post)
}

func TestAFailedPostIsRetriedAfterTheBackoff(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch, post := queueScheduledCheckIn(t, h)
	var attempts atomic.Int32
	h.srv.Hook(func(r *http.Request, body []byte) (int, any, bool) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/channels/"+ch+"/messages") {
			return 0, nil, false
		}
		if attempts.Add(1) == 1 {
			return http.StatusInternalServerError, map[string]any{"code": 0, "message": "500: Internal Server Error"}, true
		}
		return 0, nil, false
	})
	if n, err := h.bot.FlushOutbox(h.ctx); err != nil || n != 0 {
		t.Fatalf("the failing flush sent %d (%v), want 0", n, err)
	}
	// Not before the backoff.
	if n, _ := h.bot.FlushOutbox(h.ctx); n != 0 || attempts.Load() != 1 {
		t.Fatalf("retried before the backoff: sent %d, %d attempts", n, attempts.Load())
	}
	h.clock.Advance(2 * time.Second) // the first wait is at most 2 seconds
	pending, err := h.app.Outbox.Pending(h.ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || pending[0].ID != post.ID || pending[0].Attempts != 1 || !strings.Contains(pending[0].LastError, "500") {
		t.Fatalf("after the backoff the pending posts are %+v; want post %d with 1 failed attempt recorded", pending, post.ID)
	}
	if n, err := h.bot.FlushOutbox(h.ctx); err != nil || n != 1 {
		t.Fatalf("the retry sent %d (%v), want 1", n, err)
	}
	if got := len(checkInPostsIn(h, ch)); got != 1 || attempts.Load() != 2 {
		t.Errorf("%d check-in posts after %d attempts, want 1 after 2", got, attempts.Load())
	}
}

// TestAFailingPostIsRetriedOnTheDocumentedSchedule steps the clock by the
// README's numbers: the wait before retry n is d = 2s doubled n-1 times up to
// 15 minutes, spread over [d/2, d). Just before d/2 the post is not sent
// again; at d it is.
func TestAFailingPostIsRetriedOnTheDocumentedSchedule(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch, _ := queueScheduledCheckIn(t, h)
	waits := []time.Duration{
		2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second,
		32 * time.Second, 64 * time.Second, 128 * time.Second, 256 * time.Second,
		512 * time.Second, 15 * time.Minute, 15 * time.Minute,
	}
	var attempts atomic.Int32
	h.srv.Hook(func(r *http.Request, body []byte) (int, any, bool) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/channels/"+ch+"/messages") {
			return 0, nil, false
		}
		if int(attempts.Add(1)) <= len(waits) {
			return http.StatusInternalServerError, map[string]any{"code": 0, "message": "500: Internal Server Error"}, true
		}
		return 0, nil, false
	})
	mustFlush(t, h, 0)
	for i, d := range waits {
		h.clock.Advance(d/2 - time.Millisecond)
		if n, err := h.bot.FlushOutbox(h.ctx); err != nil || n != 0 || int(attempts.Load()) != i+1 {
			t.Fatalf("retry %d: %v after the failure, %d attempts (sent %d, %v); want it to wait at least %v", i+1, d/2-time.Millisecond, attempts.Load(), n, err, d/2)
		}
		h.clock.Advance(d/2 + time.Millisecond)
		want := 0
		if i == len(waits)-1 {
			want = 1
		}
		if n, err := h.bot.FlushOutbox(h.ctx); err != nil || n != want || int(attempts.Load()) != i+2 {
			t.Fatalf("retry %d: %v after the failure, %d attempts (sent %d, %v); want it tried again by then", i+1, d, attempts.Load(), n, err)
		}
	}
	if got := len(checkInPostsIn(h, ch)); got != 1 {
		t.Errorf("%d check-in posts after %d attempts, want 1", got, attempts.Load())
	}
}

// TestAPostToAChannelThatIsGoneWaitsForIt: the first 404 marks the couple's
// channel missing; the post is neither given up nor tried again into the
// void, but waits for the channel to be made again.
func TestAPostToAChannelThatIsGoneWaitsForIt(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch, post := queueScheduledCheckIn(t, h)
	before := len(postRequests(h, ch))
	if _, err := h.bot.Session().ChannelDelete(ch); err != nil {
		t.Fatal(err)
	}
	if n, err := h.bot.FlushOutbox(h.ctx); err != nil || n != 0 {
		t.Fatalf("flush to a deleted channel sent %d (%v)", n, err)
	}
	for range 3 {
		h.clock.Advance(2 * time.Hour)
		if n, err := h.bot.FlushOutbox(h.ctx); err != nil || n != 0 {
			t.Errorf("a later flush sent %d (%v)", n, err)
		}
	}
	if got := len(postRequests(h, ch)) - before; got > 1 {
		t.Errorf("%d attempts to post in the deleted channel, want at most 1", got)
	}
	h.clock.Advance(2 * time.Hour)
	if pending, err := h.app.Outbox.Pending(h.ctx, 10); err != nil || len(pending) != 1 || pending[0].ID != post.ID {
		t.Errorf("pending posts %+v (%v), want post %d still waiting", pending, err, post.ID)
	}
}

func TestAReminderMentionsOnlyThePartnerWhoHasNotFinished(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch, post := queueScheduledCheckIn(t, h)
	mustFlush(t, h, 1)
	answerSteps(t, h, post.CheckInID, alice, "", 0)
	h.clock.Advance(conversations.DefaultReminder)
	report, err := h.app.Schedules.RunDue(h.ctx)
	if err != nil || report.Reminded != 1 {
		t.Fatalf("RunDue reminded %d (%v), want 1", report.Reminded, err)
	}
	mustFlush(t, h, 1)
	msgs := h.srv.Messages(ch)
	reminder := msgs[len(msgs)-1]
	mustContain(t, "the reminder", messageText(reminder), "<@"+bob.ID+">", "gentle reminder", "If this isn't the week, that's okay: it closes on its own and nothing is shown.",
		customID{Action: actStart, ID: post.CheckInID}.String())
	if strings.Contains(reminder.Content, alice.ID) {
		t.Errorf("the reminder mentions alice, who finished: %s", reminder.Content)
	}
	if am := lastPostMentions(t, h, ch); len(am.Parse) != 0 || len(am.Users) != 1 || am.Users[0] != bob.ID {
		t.Errorf("the reminder may ping %+v, want only bob", am)
	}
}

// postedMentions is whom a message sent to a channel may ping.
type postedMentions struct {
	Parse []string `json:"parse"`
	Users []string `json:"users"`
}

// lastPostMentions is whom the last message sent to ch may ping.
func lastPostMentions(t *testing.T, h *harness, ch string) postedMentions {
	t.Helper()
	bodies := postRequests(h, ch)
	var sent struct {
		AllowedMentions postedMentions `json:"allowed_mentions"`
	}
	if err := json.Unmarshal(bodies[len(bodies)-1].Body, &sent); err != nil {
		t.Fatal(err)
	}
	return sent.AllowedMentions
}

func TestAClosedCheckInIsAnnouncedWithAShareButtonAndNoScore(t *testing.T) {
	t.Parallel()
	f := closeWithAliceDone(t)
	got := messageText(f.closed)
	mustContain(t, "the closed message", got, "closed before your answers were shown side by side", "Weeks like this happen", "What each of you wrote is kept, and stays private",
		"If you finished and would like to, you can share your own answers anyway")
	// Who finished and who did not is nobody's score to keep in the channel.
	for _, score := range []string{f.bobWords, "Alice", "Bob", "done", "in progress"} {
		if strings.Contains(got, score) {
			t.Errorf("the closed message shows %q:\n%s", score, got)
		}
	}
	if label := buttonLabel(f.closed.Components, f.share); label != "Share my answers anyway" {
		t.Errorf("the share button is labelled %q", label)
	}
}

func TestAClosedCheckInsOwnMessageShowsNoPartnersStatus(t *testing.T) {
	t.Parallel()
	f := closeWithAliceDone(t)
	// The message is found by what Mend recorded, not by its Start button:
	// the edit that takes the button away may already have happened.
	post, ok := f.srv.Message(f.storedCheckIn(f.checkIn).PostID)
	if !ok {
		t.Fatal("the check-in's message is not in the channel")
	}
	f.waitFor("the check-in's message to show that it closed", func() bool {
		m, _ := f.srv.Message(post.ID)
		return strings.Contains(messageText(m), "closed before your answers were shown side by side")
	})
	m, _ := f.srv.Message(post.ID)
	got := messageText(m)
	mustContain(t, "the closed check-in's message", got, "Weeks like this happen", "stays private")
	if status := statusOf(f.harness, post.ID); status != "" || strings.Contains(got, "Alice") || strings.Contains(got, "Bob") {
		t.Errorf("the closed check-in's message shows where each partner was:\n%s", got)
	}
}

func TestSharingAnywayIsRefusedToThePartnerWhoHadNotFinished(t *testing.T) {
	t.Parallel()
	f := closeWithAliceDone(t)
	before := len(f.srv.Messages(f.ch))
	r := f.press(bob, f.ch, f.closed.ID, f.share)
	if !isEphemeral(r) || !strings.Contains(text(r.Data), "had not finished") {
		t.Errorf("bob pressing Share: %s", text(r.Data))
	}
	if n := len(f.srv.Messages(f.ch)); n != before {
		t.Errorf("bob's refused press posted %d messages", n-before)
	}
}

// shareAsk presses alice's Share my answers anyway and returns the question
// it asks bob in the channel.
func (f *closedFixture) shareAsk(t *testing.T) *discordtest.Response {
	t.Helper()
	r := f.press(alice, f.ch, f.closed.ID, f.share)
	if isEphemeral(r) || !strings.Contains(text(r.Data), "Alice would like to share their answers from your last check-in.") {
		t.Fatalf("alice pressing Share: %s", text(r.Data))
	}
	return r
}

func TestSharingAnywayAsksTheOtherPartnerFirst(t *testing.T) {
	t.Parallel()
	f := closeWithAliceDone(t)
	ask := f.shareAsk(t)
	if got := ask.Data.AllowedMentions.Users; len(got) != 1 || got[0] != bob.ID {
		t.Errorf("the question may ping %v, want bob", got)
	}
	yes, no := f.idWith(ask.Data.Components, actShareYes), f.idWith(ask.Data.Components, actShareNo)
	if buttonLabel(ask.Data.Components, yes) != "Yes, show them" || buttonLabel(ask.Data.Components, no) != "Not now" {
		t.Errorf("the buttons are %q and %q", buttonLabel(ask.Data.Components, yes), buttonLabel(ask.Data.Components, no))
	}
	if strings.Contains(channelText(f.harness, f.ch), f.aliceWords) {
		t.Fatal("alice's answers were shown before bob said yes")
	}
	asked, _ := f.srv.Original(f.lastToken())
	if r := f.press(alice, f.ch, asked.ID, yes); !isEphemeral(r) || text(r.Data) != "This question is not yours to answer: only the partner who was asked whether to see the answers can." {
		t.Errorf("alice answering for bob: %s", text(r.Data))
	}
	r := f.press(bob, f.ch, asked.ID, yes)
	mustContain(t, "bob's yes", text(r.Data), "Bob said yes; Alice's answers are shown below.")
	f.waitFor("the shared answers", func() bool {
		return strings.Contains(channelText(f.harness, f.ch), "chose to share their answers")
	})
	all := channelText(f.harness, f.ch)
	mustContain(t, "the channel", all, f.aliceWords, "Alice chose to share their answers from the last check-in, and Bob said yes. Bob's stay with Bob.")
	if strings.Contains(all, f.bobWords) {
		t.Errorf("bob's unfinished answer appears in the channel:\n%s", all)
	}
}

func TestNotNowKeepsTheAnswersPrivate(t *testing.T) {
	t.Parallel()
	f := closeWithAliceDone(t)
	ask := f.shareAsk(t)
	asked, _ := f.srv.Original(f.lastToken())
	r := f.press(bob, f.ch, asked.ID, f.idWith(ask.Data.Components, actShareNo))
	if r.Type != discordgo.InteractionResponseUpdateMessage || text(r.Data) != "Not now. Nothing was shown; the answers stay with the one who wrote them." {
		t.Errorf("bob's not now: %v %s", r.Type, text(r.Data))
	}
	before := len(f.srv.Messages(f.ch))
	if r := f.press(alice, f.ch, f.closed.ID, f.share); !isEphemeral(r) || !strings.Contains(text(r.Data), "You have already asked Bob") {
		t.Errorf("alice asking again: %s", text(r.Data))
	}
	if n := len(f.srv.Messages(f.ch)); n != before || strings.Contains(channelText(f.harness, f.ch), f.aliceWords) {
		t.Errorf("after not now, %d more messages; alice's answers shown: %v", n-before, strings.Contains(channelText(f.harness, f.ch), f.aliceWords))
	}
}

func TestSharingAnywayTwiceIsRefused(t *testing.T) {
	t.Parallel()
	f := closeWithAliceDone(t)
	ask := f.shareAsk(t)
	asked, _ := f.srv.Original(f.lastToken())
	yes := f.idWith(ask.Data.Components, actShareYes)
	f.press(bob, f.ch, asked.ID, yes)
	f.waitFor("the shared answers", func() bool {
		return strings.Contains(channelText(f.harness, f.ch), "chose to share their answers")
	})
	before := len(f.srv.Messages(f.ch))
	if r := f.press(bob, f.ch, asked.ID, yes); !isEphemeral(r) || !strings.Contains(text(r.Data), "already shared") {
		t.Errorf("sharing twice: %s", text(r.Data))
	}
	if n := len(f.srv.Messages(f.ch)); n != before {
		t.Errorf("sharing twice posted %d more messages", n-before)
	}
}

// The load tests are not parallel: they measure rates, which other tests
// competing for the CPU would skew.

// TestScheduledCheckInsOfManyCouplesArePostedOnceWithinTheRateLimit: many
// check-ins due at once go out once each, paced below Discord's limit: no
// request is turned away (Discord counts 429s toward a ban), and the pace is
// never exceeded.
//
// The pace leaves the limit a margin of 4 requests a second, as Mend's
// default leaves Discord's (45 of 50). Requests are spaced when they leave,
// not when they arrive: paced at 19 against 20 a second, one request arriving
// more than a spacing (53 ms) late opens a window of the limit that holds 21,
// and under a CPU hog one run in about ten drew a 429.
func TestScheduledCheckInsOfManyCouplesArePostedOnceWithinTheRateLimit(t *testing.T) {
	const couples, perSecond, pace = 40, 20, 16
	channels := loadChannels("91", couples)
	h := newHarness(t, withChannels(channels), func(o *discordtest.Options, c *Config) {
		o.RateLimitPerSecond = perSecond
		c.RequestsPerSecond = pace
	})
	openScheduledCheckIns(t, h, channels, "2")
	limiter := h.bot.Session().Client.Transport.(*limitedTransport)
	statsBefore, turnsBefore := h.srv.Stats(), limiter.accounting()
	start := time.Now()
	sent, err := h.bot.FlushOutbox(h.ctx)
	elapsed := time.Since(start)
	if err != nil || sent != couples {
		t.Fatalf("FlushOutbox sent %d (%v), want %d", sent, err, couples)
	}
	for _, ch := range channels {
		if n := len(checkInPostsIn(h, ch)); n != 1 {
			t.Errorf("channel %s has %d check-in posts, want 1", ch, n)
		}
	}
	stats := h.srv.Stats()
	turnedAway := stats.RateLimited - statsBefore.RateLimited
	if turnedAway != 0 {
		t.Errorf("%d requests were turned away with 429", turnedAway)
	}
	// The limiter's own account: every post took a turn, and no two turns
	// were given closer than the pace allows. Arrival times at Discord are
	// no measure of this: a first post that arrives late on a busy machine
	// bunches the ones after it although Mend paced them. How close to the
	// pace Mend gets is a speed, measured by
	// BenchmarkOutboxAtDiscordsGlobalLimit (at least 45 a second against 50).
	turns := limiter.accounting()
	if n := turns.Limited - turnsBefore.Limited; n != couples {
		t.Errorf("%d requests took a turn on the limiter, want the %d posts", n, couples)
	}
	if n := turns.Exempt - turnsBefore.Exempt; n != 0 {
		t.Errorf("%d posts went around the limiter", n)
	}
	if gap := time.Second / pace; turns.MinGap < gap-time.Microsecond {
		t.Errorf("two turns were given %v apart, closer than the pace's %v", turns.MinGap, gap)
	}
	rate := requestRate(postRequests(h, channels...))
	t.Logf("posted %d check-ins in %v: %.1f posts/s paced at %d/s against a limit of %d/s (%d requests turned away with 429)",
		sent, elapsed.Round(time.Millisecond), rate, pace, perSecond, turnedAway)
}

// TestPostsTurnedAwayWith429AreRetriedAndPostedOnce: an outbox sending faster
// than Discord allows (here unpaced) is turned away with 429s; discordgo's
// retries carry the same nonces, and each check-in is posted once.
//
// The limit is below the number of the outbox's workers (8), whose first
// posts leave together. How fast it goes after them depends on the machine
// (each post is recorded with an fsync): with 40 posts against a limit of 20
// a second, a loaded machine may draw no 429 at all, and the test once failed
// under a CPU hog, most likely so.
func TestPostsTurnedAwayWith429AreRetriedAndPostedOnce(t *testing.T) {
	const couples, perSecond = 15, 5
	channels := loadChannels("93", couples)
	h := newHarness(t, withChannels(channels), func(o *discordtest.Options, c *Config) {
		o.RateLimitPerSecond = perSecond
		c.RequestsPerSecond = -1 // unlimited: discordgo's 429 retries alone
	})
	openScheduledCheckIns(t, h, channels, "4")
	statsBefore := h.srv.Stats()
	sent, err := h.bot.FlushOutbox(h.ctx)
	if err != nil || sent != couples {
		t.Fatalf("FlushOutbox sent %d (%v), want %d", sent, err, couples)
	}
	if h.srv.Stats().RateLimited == statsBefore.RateLimited {
		t.Fatal("no request was turned away with 429: the test did not reach its case")
	}
	for _, ch := range channels {
		if n := len(checkInPostsIn(h, ch)); n != 1 {
			t.Errorf("channel %s has %d check-in posts, want 1", ch, n)
		}
	}
}

// requestRate is how many requests a second arrived, from the first to the
// last.
func requestRate(reqs []discordtest.Request) float64 {
	if len(reqs) < 2 {
		return 0
	}
	first, last := reqs[0].Time, reqs[0].Time
	for _, r := range reqs {
		if r.Time.Before(first) {
			first = r.Time
		}
		if r.Time.After(last) {
			last = r.Time
		}
	}
	return float64(len(reqs)-1) / last.Sub(first).Seconds()
}

// loadChannels names n channels for load tests.
func loadChannels(prefix string, n int) []string {
	channels := make([]string, n)
	for i := range channels {
		channels[i] = fmt.Sprintf("%s000000000000%04d", prefix, i)
	}
	return channels
}

// withChannels adds text channels to the fake's guild.
func withChannels(channels []string) harnessOption {
	return func(o *discordtest.Options, c *Config) {
		for i, id := range channels {
			o.Guilds[0].Channels = append(o.Guilds[0].Channels, &discordgo.Channel{ID: id, Name: fmt.Sprintf("mend-load-%d", i), Type: discordgo.ChannelTypeGuildText})
		}
	}
}

// openScheduledCheckIns makes a couple in each channel, all with the same
// schedule, and lets the scheduler open their check-ins at once.
func openScheduledCheckIns(t testing.TB, h *harness, channels []string, userPrefix string) {
	t.Helper()
	h.clock.Set(e2eMonday)
	// These couples are made for the load: no welcome posts for them.
	quiet := conversations.New(h.db.Stores(), h.clock, h.app.Templates(), conversations.Settings{DefaultTemplate: h.app.Settings().DefaultTemplate, Library: h.app.Settings().Library})
	var next time.Time
	for i, ch := range channels {
		a := conversations.Partner{UserID: fmt.Sprintf("%s000000000000%05d", userPrefix, 2*i), Name: fmt.Sprintf("A%d", i)}
		b := conversations.Partner{UserID: fmt.Sprintf("%s000000000000%05d", userPrefix, 2*i+1), Name: fmt.Sprintf("B%d", i)}
		c, err := quiet.Couples.Invite(h.ctx, conversations.Actor{UserID: a.UserID, GuildID: testGuild}, a.Name, b, "Europe/Berlin")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := quiet.Couples.Accept(h.ctx, conversations.Actor{UserID: b.UserID, GuildID: testGuild}, c.ID, ch); err != nil {
			t.Fatal(err)
		}
		next = setScheduleThroughService(t, h, c.ID, a.UserID).NextRunAt
	}
	h.clock.Set(next)
	if r, err := h.app.Schedules.RunDue(h.ctx); err != nil || r.Opened != len(channels) {
		t.Fatalf("RunDue opened %d (%v), want %d", r.Opened, err, len(channels))
	}
}

// ---- helpers shared by the schedule and records tests ----

// setWednesdays sets alice and bob's check-ins to Wednesdays at 20:00 in New
// York through /schedule set, and fails unless it is accepted.
func setWednesdays(t *testing.T, h *harness, ch string) *discordtest.Response {
	t.Helper()
	r := h.slash(alice, ch, "schedule", sub("set", str("day", "Wednesday"), str("time", "20:00"), str("timezone", "America/New_York")))
	if !strings.Contains(text(r.Data), "set your check-ins") {
		t.Fatalf("/schedule set: %s", text(r.Data))
	}
	return r
}

func setScheduleThroughService(t testing.TB, h *harness, coupleID int64, userID string) conversations.Schedule {
	t.Helper()
	sched, err := conversations.NewWeeklySchedule(coupleID, conversations.WeeklyInput{Weekday: "Wednesday", Time: "20:00", TimeZone: "America/New_York"}, h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if sched, err = h.app.Schedules.Set(h.ctx, h.actor(coupleID, userID), sched); err != nil {
		t.Fatal(err)
	}
	return sched
}

// weeklyRuns lists the first n times after from that a clock in zone shows
// hour:minute on the weekday, worked out with the time package alone.
func weeklyRuns(t *testing.T, from time.Time, zone string, day time.Weekday, hour, minute, n int) []time.Time {
	t.Helper()
	loc := mustLoad(t, zone)
	local := from.In(loc)
	var out []time.Time
	for d := 0; len(out) < n; d++ {
		run := time.Date(local.Year(), local.Month(), local.Day()+d, hour, minute, 0, 0, loc)
		if run.Weekday() == day && run.After(from) {
			out = append(out, run)
		}
	}
	return out
}

// runLines is how a schedule message shows runs: the local time, and
// Discord's relative timestamp of the same instant.
func runLines(runs []time.Time) []string {
	var out []string
	for _, r := range runs {
		out = append(out, fmt.Sprintf("• %s (<t:%d:R>)", r.Format("Monday 2 January 2006, 15:04 MST"), r.Unix()))
	}
	return out
}

// queueScheduledCheckIn makes alice and bob a couple with a weekly schedule,
// moves the clock to its first run and lets the scheduler open it: the
// check-in's post is queued and not yet sent.
func queueScheduledCheckIn(t *testing.T, h *harness) (string, conversations.Post) {
	t.Helper()
	h.clock.Set(e2eMonday)
	ch := h.couple()
	sched := setScheduleThroughService(t, h, mustCouple(t, h, ch).ID, alice.ID)
	h.clock.Set(sched.NextRunAt)
	report, err := h.app.Schedules.RunDue(h.ctx)
	if err != nil || report.Opened != 1 {
		t.Fatalf("RunDue opened %d (%v), want 1", report.Opened, err)
	}
	posts, err := h.app.Outbox.Pending(h.ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 1 || posts[0].Kind != conversations.PostCheckIn {
		t.Fatalf("pending posts %+v, want one check-in post", posts)
	}
	return ch, posts[0]
}

func mustFlush(t *testing.T, h *harness, want int) {
	t.Helper()
	if n, err := h.bot.FlushOutbox(h.ctx); err != nil || n != want {
		t.Fatalf("FlushOutbox sent %d (%v), want %d", n, err, want)
	}
}

// sendBeforeCrash sends a queued post the way the outbox does and stops
// there, as a process killed before it recorded the post as sent.
func sendBeforeCrash(t *testing.T, h *harness, p conversations.Post) {
	t.Helper()
	d, err := h.app.Outbox.Deliver(h.ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range renderDelivery(d) {
		if _, err := h.bot.sender.sendOnce(h.ctx, d.Couple.ChannelID, m, p.PageNonce(i)); err != nil {
			t.Fatal(err)
		}
	}
}

func assertPostedOnce(t *testing.T, h *harness, ch string, p conversations.Post) {
	t.Helper()
	if n := len(postRequests(h, ch)); n < 3 { // the welcome, the send before the crash, the retry
		t.Fatalf("%d posts to the channel: the retry was never sent", n)
	}
	posts := checkInPostsIn(h, ch)
	if len(posts) != 1 {
		t.Fatalf("%d check-in posts in the channel, want 1", len(posts))
	}
	if pending, _ := h.app.Outbox.Pending(h.ctx, 10); len(pending) != 0 {
		t.Errorf("the post is still pending: %+v", pending)
	}
	ci, err := h.db.CheckIns.CheckIn(h.ctx, p.CheckInID)
	if err != nil {
		t.Fatal(err)
	}
	if ci.PostID != posts[0].ID {
		t.Errorf("the check-in records post %q, the channel holds %q", ci.PostID, posts[0].ID)
	}
}

// checkInPostsIn returns the check-in announcements in a channel.
func checkInPostsIn(h *harness, ch string) []*discordgo.Message {
	var out []*discordgo.Message
	for _, m := range h.srv.Messages(ch) {
		if len(m.Embeds) > 0 && strings.HasPrefix(m.Embeds[0].Title, "Check-in: ") {
			out = append(out, m)
		}
	}
	return out
}

// postRequests returns the bot's requests to post in the channels, in order.
func postRequests(h *harness, channels ...string) []discordtest.Request {
	var out []discordtest.Request
	for _, r := range h.srv.Requests() {
		if r.Method != http.MethodPost {
			continue
		}
		for _, ch := range channels {
			if r.Path == "/channels/"+ch+"/messages" {
				out = append(out, r)
			}
		}
	}
	return out
}

// channelText is everything the channel's messages show, one after the other.
func channelText(h *harness, ch string) string {
	var b strings.Builder
	for _, m := range h.srv.Messages(ch) {
		b.WriteString(messageText(m) + "\n---\n")
	}
	return b.String()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func buttonLabel(rows []discordgo.MessageComponent, id string) string {
	b, _ := button(rows, id)
	return b.Label
}

// answerSteps answers up to n steps (all when n <= 0) of a partner's check-in
// through the service, as the check-in UI would: 4 on scales, the first
// option of choices, words for text (a skip when there are none), kept or
// respected for reviews, and no new commitment.
func answerSteps(t testing.TB, h *harness, checkInID int64, u *discordgo.User, words string, n int) conversations.Step {
	t.Helper()
	step, err := h.app.Turns.Begin(h.ctx, h.as(checkInID, u.ID), checkInID)
	if err != nil {
		t.Fatalf("%s begins check-in %d: %v", u.Username, checkInID, err)
	}
	for i := 0; !step.Done && (n <= 0 || i < n); i++ {
		key, p := step.Item.Key(), step.Item.Prompt
		var in *conversations.AnswerInput
		switch {
		case p.Kind == conversations.KindScale:
			in = &conversations.AnswerInput{Scale: 4}
		case p.Kind == conversations.KindChoice:
			in = &conversations.AnswerInput{Choice: p.Options[0]}
		case p.Kind == conversations.KindText && words != "":
			in = &conversations.AnswerInput{Text: words}
		case p.Kind == conversations.KindCommitmentReview:
			in = &conversations.AnswerInput{Verdict: conversations.VerdictKept}
		case p.Kind == conversations.KindAgreementReview:
			in = &conversations.AnswerInput{Verdict: conversations.VerdictKept}
		}
		if in != nil {
			step, err = h.app.Turns.Answer(h.ctx, h.as(checkInID, u.ID), checkInID, key, *in)
		} else {
			step, err = h.app.Turns.Skip(h.ctx, h.as(checkInID, u.ID), checkInID, key)
		}
		if err != nil {
			t.Fatalf("%s answers %s: %v", u.Username, key, err)
		}
	}
	if step.Done && n <= 0 {
		// Everything answered: the partner sends, as after rereading.
		if step, err = h.app.Turns.Send(h.ctx, h.as(checkInID, u.ID), checkInID); err != nil {
			t.Fatalf("%s sends check-in %d: %v", u.Username, checkInID, err)
		}
	}
	return step
}

// closedFixture is a scheduled check-in that closed with alice finished and
// bob halfway, and its closed message posted.
type closedFixture struct {
	*harness
	ch                   string
	checkIn              int64
	closed               *discordgo.Message
	share                string
	aliceWords, bobWords string
}

func closeWithAliceDone(t *testing.T) *closedFixture {
	t.Helper()
	h := newHarness(t)
	f := &closedFixture{harness: h, aliceWords: "I missed our walks this week", bobWords: "bob-unfinished-7f3a: I was at the bar"}
	var post conversations.Post
	f.ch, post = queueScheduledCheckIn(t, h)
	f.checkIn = post.CheckInID
	mustFlush(t, h, 1)
	answerSteps(t, h, f.checkIn, alice, f.aliceWords, 0)
	if step := answerSteps(t, h, f.checkIn, bob, f.bobWords, 3); step.Done {
		t.Fatal("bob finished; he should be halfway")
	}
	h.clock.Advance(conversations.DefaultWindow + time.Minute)
	report, err := h.app.Schedules.RunDue(h.ctx)
	if err != nil || report.Closed != 1 {
		t.Fatalf("RunDue closed %d (%v), want 1", report.Closed, err)
	}
	mustFlush(t, h, 1)
	msgs := h.srv.Messages(f.ch)
	f.closed = msgs[len(msgs)-1]
	f.share = h.idWith(f.closed.Components, actShare)
	return f
}

// countRows counts rows through a connection of its own to the database
// file, not the service's.
func countRows(t *testing.T, h *harness, query string, args ...any) int {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+h.dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(h.ctx, query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
