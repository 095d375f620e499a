package bot

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/bot/discordtest"
	"mend/conversations"
	"mend/storage"
)

func TestCommandsAreRegisteredInTheConfiguredGuildsElseGlobally(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if n := len(h.srv.Commands(testGuild)); n != len(commands) {
		t.Errorf("%d commands in the guild, want %d", n, len(commands))
	}
	if n := len(h.srv.Commands("")); n != 0 {
		t.Errorf("%d global commands with a guild configured", n)
	}
	g := newHarness(t, func(o *discordtest.Options, c *Config) { c.GuildIDs = nil })
	if n := len(g.srv.Commands("")); n != len(commands) {
		t.Errorf("%d global commands without guilds, want %d", n, len(commands))
	}
}

func TestShutdownFinishesTheInteractionsInFlight(t *testing.T) {
	t.Parallel()
	// The test is about Run waiting for the accept, not about how long it
	// may wait: the limit is out of the way.
	h := newHarness(t, func(o *discordtest.Options, c *Config) { c.ShutdownTimeout = patience })
	inv := h.slash(alice, generalChan, "couple", sub("invite", userOpt("partner", bob)))
	invMsg, _ := h.srv.Original(h.lastToken())
	explained, confirm := h.explain(bob, invMsg.ID, h.idWith(inv.Data.Components, actAccept))

	// Creating the channel takes until Run is shutting down: the accept is
	// still running when the process is told to stop.
	const shuttingDown = "shutting down"
	entered := make(chan struct{})
	var once sync.Once
	h.srv.Hook(func(r *http.Request, body []byte) (int, any, bool) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/guilds/"+testGuild+"/channels") {
			once.Do(func() { close(entered) })
			for deadline := time.Now().Add(patience); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
				if strings.Contains(h.logs.String(), shuttingDown) {
					break
				}
			}
		}
		return 0, nil, false
	})
	done := make(chan error, 1)
	go func() {
		_, err := h.srv.Interact(h.ctx, h.srv.Component(testGuild, generalChan, bob, explained, confirm))
		done <- err
	}()
	<-entered
	h.shutdown() // returns once Run has closed its gateway session and the database is closed
	if err := <-done; err != nil {
		t.Fatalf("the accept in flight was not answered: %v", err)
	}
	logs := h.logs.String()
	if i, j := strings.Index(logs, shuttingDown), strings.Index(logs, "couple accepted"); i < 0 || j < i {
		t.Fatalf("the accept was not in flight when Run shut down (shutting down at %d, accepted at %d in the log)", i, j)
	}
	db, err := storage.Open(h.ctx, h.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	app := conversations.New(db.Stores(), h.clock, h.app.Templates(), conversations.Settings{Library: h.app.Settings().Library})
	c, err := app.Couples.Of(h.ctx, conversations.Actor{UserID: bob.ID, GuildID: testGuild})
	if err != nil || c.Status != conversations.CoupleActive || c.ChannelID == "" {
		t.Errorf("after shutdown the couple is %+v (%v), want active with its channel", c, err)
	}
}

func TestCoupleChannelsGoInTheConfiguredCategory(t *testing.T) {
	t.Parallel()
	const category = "900000000000000077"
	h := newHarness(t, func(o *discordtest.Options, c *Config) {
		o.Guilds[0].Channels = append(o.Guilds[0].Channels, &discordgo.Channel{ID: category, Name: "Couples", Type: discordgo.ChannelTypeGuildCategory})
		c.CategoryID = category
	})
	ch := h.couple()
	if c, _ := h.srv.Channel(ch); c.ParentID != category {
		t.Errorf("the couple channel is in %q, want the category %s", c.ParentID, category)
	}
}

func TestRemindersByDirectMessageFallBackToTheChannel(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(o *discordtest.Options, c *Config) { c.RemindByDM = true })
	ch := h.couple()
	c := mustCouple(t, h, ch)
	if _, err := h.app.CheckIns.Open(h.ctx, h.byFirst(c.ID), ""); err != nil {
		t.Fatal(err)
	}
	h.srv.CloseDMs(bob.ID) // bob accepts no direct messages from bots
	h.clock.Advance(25 * time.Hour)
	if r, err := h.app.Schedules.RunDue(h.ctx); err != nil || r.Reminded != 2 {
		t.Fatalf("RunDue: %+v %v", r, err)
	}
	if _, err := h.bot.FlushOutbox(h.ctx); err != nil {
		t.Fatal(err)
	}
	var dmToAlice bool
	for _, dm := range h.srv.Channels("") {
		for _, m := range h.srv.Messages(dm.ID) {
			if strings.Contains(m.Content, "<@"+alice.ID+">, a gentle reminder") {
				dmToAlice = true
			}
		}
	}
	if !dmToAlice {
		t.Error("alice's reminder did not arrive as a direct message")
	}
	var inChannel []string
	for _, m := range h.srv.Messages(ch) {
		if strings.Contains(m.Content, "a gentle reminder") {
			inChannel = append(inChannel, m.Content)
		}
	}
	if len(inChannel) != 1 || !strings.Contains(inChannel[0], "<@"+bob.ID+">") {
		t.Errorf("reminders in the channel: %q, want only bob's, whose direct messages are closed", inChannel)
	}
}

func TestAfterLeavingBothCanStillExportAndForget(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	h.press(alice, ch, "", customID{Action: actLeave, ID: mustCouple(t, h, ch).ID}.String())
	if r := h.slash(bob, ch, "export"); r.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Errorf("export after leaving: %v %s", r.Type, text(r.Data))
	}
	r := h.slash(alice, ch, "forget")
	id := h.idWith(r.Data.Components, actForget)
	done := h.press(alice, ch, "", id)
	mustContain(t, "forget after leaving", text(done.Data), "Deleted from Mend")
	if _, err := h.app.Couples.ByChannel(h.ctx, ch); conversations.ErrorCode(err) != conversations.ENOTFOUND {
		t.Errorf("the couple is still stored: %v", err)
	}
}

func TestAFormThatCannotBeSavedGivesTheWordsBack(t *testing.T) {
	t.Parallel()
	f := newCheckIn(t)
	a := f.begin(alice)
	a.pressID(customID{Action: actScale, ID: idOf(t, f.start), Prompt: "trust", Number: 3}.String())
	a.press(actChoice, "0")
	opened := a.press(actWrite)
	// The window closes while alice writes.
	f.clock.Advance(49 * time.Hour)
	r := f.submit(alice, f.channel, a.message, opened.Data.CustomID, map[string]string{"text": "Twenty minutes of careful words"})
	if !isEphemeral(r) {
		t.Fatalf("the refusal is not private: %s", text(r.Data))
	}
	mustContain(t, "the refusal", text(r.Data), "closed on", "here it is to copy", "Twenty minutes of careful words")
}

// TestARevealThatFailsHalfwayIsRetriedWithoutRepeats: a reveal long enough for
// several messages, whose third message fails once. The retry sends the pages
// again with the same nonces; each page is in the channel exactly once.
func TestARevealThatFailsHalfwayIsRetriedWithoutRepeats(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	c := mustCouple(t, h, ch)
	// Ten each, as many open commitments as a partner may have.
	for i := 0; i < 20; i++ {
		owner := []string{alice.ID, bob.ID}[i%2]
		if _, err := h.app.Commitments.Add(h.ctx, h.actor(c.ID, owner), fmt.Sprintf("promise number %d, kept every single day", i), ""); err != nil {
			t.Fatal(err)
		}
	}
	ci, err := h.app.CheckIns.Open(h.ctx, h.byFirst(c.ID), "")
	if err != nil {
		t.Fatal(err)
	}
	// The check-in's own post goes first: sent side by side with the reveal,
	// it could be the third message and fail instead of a page.
	mustFlush(t, h, 1)
	var posts int
	var mu sync.Mutex
	h.srv.Hook(func(r *http.Request, body []byte) (int, any, bool) {
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/channels/"+ch+"/messages") {
			return 0, nil, false
		}
		mu.Lock()
		defer mu.Unlock()
		posts++
		if posts == 3 {
			return http.StatusInternalServerError, map[string]any{"message": "500: Internal Server Error", "code": 0}, true
		}
		return 0, nil, false
	})
	answerSteps(t, h, ci.ID, alice, "words of alice", 0)
	answerSteps(t, h, ci.ID, bob, "words of bob", 0)
	if _, err := h.bot.FlushOutbox(h.ctx); err != nil {
		t.Fatal(err)
	}
	if got := h.storedCheckIn(ci.ID); got.RevealPostID != "" {
		t.Fatal("the reveal counts as posted although a page failed")
	}
	h.clock.Advance(2 * time.Second) // the first wait is at most 2 seconds
	if _, err := h.bot.FlushOutbox(h.ctx); err != nil {
		t.Fatal(err)
	}
	r, err := h.app.CheckIns.Reveal(h.ctx, h.as(ci.ID, alice.ID), ci.ID)
	if err != nil {
		t.Fatal(err)
	}
	pages := len(revealMessages(r))
	if pages < 3 {
		t.Fatalf("the reveal has %d pages; the test needs at least 3", pages)
	}
	var firsts, total int
	for _, m := range h.srv.Messages(ch) {
		if strings.Contains(m.Content, "you have both finished") {
			firsts++
		}
		for _, e := range m.Embeds {
			if strings.Contains(e.Description, "promise number 19,") {
				total++
			}
		}
	}
	if firsts != 1 || total != 1 {
		t.Errorf("after the retry the channel holds %d first pages and %d copies of the last review; want 1 and 1", firsts, total)
	}
	if got := h.storedCheckIn(ci.ID); got.RevealPostID == "" {
		t.Error("the reveal was not recorded as posted after the retry")
	}
}

// TestTheBackgroundLoopsOpenAndPostAScheduledCheckIn runs Mend as it runs in
// production, with its own scheduler and outbox loops.
func TestTheBackgroundLoopsOpenAndPostAScheduledCheckIn(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(o *discordtest.Options, c *Config) { c.ManualLoops = false })
	ch := h.couple()
	r := h.slash(alice, ch, "schedule", sub("set", str("day", "Friday"), str("time", "19:30"), str("timezone", "Europe/Berlin")))
	mustContain(t, "/schedule set", text(r.Data), "set your check-ins")
	s, err := h.app.Schedules.Get(h.ctx, h.actor(mustCouple(t, h, ch).ID, alice.ID))
	if err != nil {
		t.Fatal(err)
	}
	h.clock.Set(s.NextRunAt.Add(time.Minute))
	h.bot.wakeScheduler() // as a schedule change or the loop's own timer would
	h.waitFor("the scheduled check-in's post", func() bool {
		for _, m := range h.srv.Messages(ch) {
			for _, id := range customIDs(m.Components) {
				if strings.HasPrefix(id, actStart+":") {
					return true
				}
			}
		}
		return false
	})
}

func TestAWelcomeThatFailsIsSentLaterOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	failed := false
	var mu sync.Mutex
	h.srv.Hook(func(r *http.Request, body []byte) (int, any, bool) {
		mu.Lock()
		defer mu.Unlock()
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/messages") && strings.Contains(string(body), "How Mend works") && !failed {
			failed = true
			return http.StatusInternalServerError, map[string]any{"message": "500: Internal Server Error", "code": 0}, true
		}
		return 0, nil, false
	})
	inv := h.slash(alice, generalChan, "couple", sub("invite", userOpt("partner", bob)))
	invMsg, _ := h.srv.Original(h.lastToken())
	h.accept(bob, invMsg.ID, h.idWith(inv.Data.Components, actAccept))
	var ch string
	h.waitFor("the couple channel", func() bool {
		for _, c := range h.srv.Channels(testGuild) {
			if strings.HasPrefix(c.Name, "mend-") {
				ch = c.ID
			}
		}
		return ch != ""
	})
	welcomes := func() int {
		n := 0
		for _, m := range h.srv.Messages(ch) {
			if strings.Contains(messageText(m), "How Mend works") {
				n++
			}
		}
		return n
	}
	// The failure is recorded by the outbox after the fake answered 500:
	// wait for the record, not for the answer.
	h.waitFor("the failed attempt recorded", func() bool {
		posts, err := h.db.Outbox.PendingPosts(h.ctx, h.clock.Now().Add(24*time.Hour), 10)
		return err == nil && len(posts) == 1 && posts[0].Attempts == 1
	})
	if n := welcomes(); n != 0 {
		t.Fatalf("%d welcomes after a failed send", n)
	}
	h.clock.Advance(time.Hour)
	if _, err := h.bot.FlushOutbox(h.ctx); err != nil {
		t.Fatal(err)
	}
	if n := welcomes(); n != 1 {
		t.Errorf("%d welcomes after the retry, want 1", n)
	}
}
