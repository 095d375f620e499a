package bot

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"mend/bot/discordtest"
	"mend/conversations"
	"mend/internal/testkit"
	"mend/ops"
	"mend/ops/opstest"
	"mend/storage"
)

// observed is a harness whose bot counts into metrics served, with
// /healthz, the way `mend run` serves them.
type observed struct {
	*harness
	url string
}

// opsMaxPostDelay is the outbox limit of /healthz in these tests.
const opsMaxPostDelay = 10 * time.Minute

func newObserved(t *testing.T, opts ...harnessOption) *observed {
	t.Helper()
	m := ops.NewMetrics("test")
	h := newHarness(t, append([]harnessOption{func(_ *discordtest.Options, c *Config) { c.Metrics = m }}, opts...)...)
	handler, err := ops.NewHandler(m, ops.Checks{
		Gateway: h.bot.GatewayReady, Database: h.db, Outbox: h.db, Scheduler: h.app.Schedules,
		Now: h.clock.Now, MaxPostDelay: opsMaxPostDelay,
	}, h.bot.log)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return &observed{harness: h, url: srv.URL}
}

func (o *observed) scrape() opstest.Scrape {
	o.t.Helper()
	return opstest.Metrics(o.t, o.url+"/metrics")
}

// value is a metric's value in a fresh scrape, 0 when it has no such series.
func (o *observed) value(name string, labels ...string) float64 {
	o.t.Helper()
	v, _ := o.scrape().Value(name, labels...)
	return v
}

// waitOutboxEmpty waits until every queued post is recorded as sent: the
// welcome appears in the channel a moment before it is.
func (o *observed) waitOutboxEmpty() {
	o.t.Helper()
	o.waitFor("the outbox to be empty", func() bool {
		s := o.scrape()
		due, _ := s.Value("mend_outbox_posts", "state", "due")
		waiting, _ := s.Value("mend_outbox_posts", "state", "waiting")
		return due == 0 && waiting == 0
	})
}

// waitHealth waits until /healthz answers with status, and returns its report.
func (o *observed) waitHealth(status int) ops.Report {
	o.t.Helper()
	var r ops.Report
	o.waitFor("/healthz to answer "+http.StatusText(status), func() bool {
		var code int
		code, r = opstest.Health(o.t, o.url+"/healthz")
		return code == status
	})
	return r
}

func mustFailOnly(t *testing.T, r ops.Report, name string) {
	t.Helper()
	for _, c := range r.Checks {
		if c.OK == (c.Name == name) {
			t.Errorf("check %+v; want only %s to fail", c, name)
		}
	}
}

// routeNames are the names an interaction's route can have: the router's
// routes, and the few fixed names given before a route is found.
func (b *Bot) routeNames() map[string]bool {
	names := map[string]bool{"unknown": true, "closing": true, "dm": true, "command": true, "component": true, "autocomplete": true}
	for _, r := range b.router.routes {
		names[r.name] = true
	}
	return names
}

func TestMetricsCountInteractionsAndCheckInsAndHoldNoUserData(t *testing.T) {
	t.Parallel()
	o := newObserved(t)
	ch := o.couple()
	couple := mustCouple(t, o.harness, ch)
	revealQueued(t, o.harness, couple) // answers "words of alice" and "words of bob"
	mustFlush(t, o.harness, 1)
	if r := o.slash(alice, ch, "checkin", sub("now")); r.Type == 0 {
		t.Fatal("/checkin now was not answered")
	}
	// A stranger in the couple's channel is refused.
	o.slash(carol, ch, "checkin", sub("status"))

	// A handler is counted when it returns, which can be after Discord has
	// its answer.
	// Five: the invitation, Accept and its confirmation, /checkin now, and
	// the stranger's refused /checkin status.
	o.waitFor("the five interactions to be counted", func() bool { return o.scrape().Sum("mend_interactions_total") == 5 })

	s := o.scrape()
	for _, want := range []struct {
		name   string
		labels []string
		value  float64
	}{
		{"mend_interactions_total", []string{"route", "couple invite", "result", "ok"}, 1},
		{"mend_interactions_total", []string{"route", "couple.accept", "result", "ok"}, 1},
		{"mend_interactions_total", []string{"route", "couple.confirm", "result", "ok"}, 1},
		{"mend_interactions_total", []string{"route", "checkin now", "result", "ok"}, 1},
		{"mend_interaction_duration_seconds", []string{"route", "couple invite"}, 1},
		{"mend_checkins_total", []string{"event", "revealed"}, 1},
		{"mend_checkins_total", []string{"event", "opened"}, 1}, // by /checkin now; revealQueued opened through the service
		{"mend_gateway_up", nil, 1},
	} {
		if got, ok := s.Value(want.name, want.labels...); !ok || got != want.value {
			t.Errorf("%s%v = %v (present %v), want %v", want.name, want.labels, got, ok, want.value)
		}
	}
	if sent, _ := s.Value("mend_outbox_sends_total", "outcome", OutcomeSent); sent < 3 {
		t.Errorf("%v posts counted as sent, want the welcome, the check-in and the reveal at least", sent)
	}
	refused := false
	for _, result := range s.LabelValues("mend_interactions_total", "result") {
		refused = refused || result == conversations.EUNAUTHORIZED || result == conversations.ENOTFOUND
	}
	if !refused {
		t.Errorf("the stranger's refused command was not counted by its error code: %v", s.LabelValues("mend_interactions_total", "result"))
	}
	known := o.bot.routeNames()
	for _, route := range s.LabelValues("mend_interactions_total", "route") {
		if !known[route] {
			t.Errorf("route label %q is not a name from the bot's tables", route)
		}
	}
	for _, private := range []string{alice.ID, bob.ID, carol.ID, alice.Username, bob.Username, alice.GlobalName, bob.GlobalName,
		"words of alice", "words of bob", testGuild, ch} {
		if strings.Contains(s.Text, private) {
			t.Errorf("the scrape holds %q", private)
		}
	}
}

func TestTheSchedulerCountsWhatItOpensAndCloses(t *testing.T) {
	t.Parallel()
	o := newObserved(t, func(_ *discordtest.Options, c *Config) { c.ManualLoops = false })
	ch := o.couple()
	couple := mustCouple(t, o.harness, ch)
	s := o.setSchedule(ch, couple.ID)
	o.clock.Set(s.NextRunAt.Add(time.Minute))
	o.bot.wakeScheduler()
	o.waitFor("the scheduled check-in counted as opened", func() bool { return o.value("mend_checkins_total", "event", "opened") == 1 })

	ci, err := o.app.CheckIns.Current(o.ctx, o.byFirst(couple.ID))
	if err != nil {
		t.Fatal(err)
	}
	o.clock.Set(ci.ClosesAt.Add(time.Minute))
	o.bot.wakeScheduler()
	o.waitFor("the check-in counted as closed", func() bool { return o.value("mend_checkins_total", "event", "closed") == 1 })
}

func TestSchedulerLagIsHowLateTheSchedulerIs(t *testing.T) {
	t.Parallel()
	o := newObserved(t) // the test runs the scheduler, so nothing else does
	ch := o.couple()
	s := o.setSchedule(ch, mustCouple(t, o.harness, ch).ID)
	o.waitOutboxEmpty()
	if lag := o.value("mend_scheduler_lag_seconds"); lag != 0 {
		t.Errorf("scheduler lag before anything is due = %vs", lag)
	}
	o.clock.Set(s.NextRunAt.Add(time.Minute))
	if lag := o.value("mend_scheduler_lag_seconds"); lag != 60 {
		t.Errorf("scheduler lag a minute after the scheduled time = %vs, want 60", lag)
	}
	if _, err := o.app.Schedules.RunDue(o.ctx); err != nil {
		t.Fatal(err)
	}
	mustFlush(t, o.harness, 1)
	if lag := o.value("mend_scheduler_lag_seconds"); lag != 0 {
		t.Errorf("scheduler lag once the check-in opened and was posted = %vs, want 0", lag)
	}
}

// setSchedule sets a weekly schedule for the couple and returns it.
func (o *observed) setSchedule(ch string, coupleID int64) conversations.Schedule {
	o.t.Helper()
	o.slash(alice, ch, "schedule", sub("set", str("day", "Friday"), str("time", "19:30"), str("timezone", "Europe/Berlin")))
	s, err := o.app.Schedules.Get(o.ctx, o.actor(coupleID, alice.ID))
	if err != nil {
		o.t.Fatal(err)
	}
	return s
}

func TestRateLimitedRequestsAreCountedByScope(t *testing.T) {
	t.Parallel()
	o := newObserved(t, func(opts *discordtest.Options, c *Config) {
		opts.RateLimitPerSecond = 5
		c.RequestsPerSecond = -1 // unpaced, so the fake turns requests away
	})
	ch := o.couple()
	couple := mustCouple(t, o.harness, ch)
	// More than the limit, back to back: some fall in the same second.
	for range 8 {
		now := o.clock.Now()
		if err := o.db.Outbox.QueuePost(o.ctx, conversations.Post{CoupleID: couple.ID, Kind: conversations.PostWelcome, CreatedAt: now, NextAttemptAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	mustFlush(t, o.harness, 8)
	turnedAway := o.srv.Stats().RateLimited
	if turnedAway == 0 {
		t.Fatal("the fake turned no request away; the test no longer says anything")
	}
	if got := o.value("mend_discord_rate_limited_total", "scope", "global"); got != float64(turnedAway) {
		t.Errorf("%v global 429s counted, the fake sent %d", got, turnedAway)
	}
}

func TestHealthzIsOKWhileConnectedWritableAndCaughtUp(t *testing.T) {
	t.Parallel()
	o := newObserved(t)
	o.couple()
	r := o.waitHealth(http.StatusOK)
	if r.Status != "ok" || len(r.Checks) != 3 {
		t.Errorf("report %+v, want ok with three checks", r)
	}
}

func TestHealthzFailsWhenAPostWaitsTooLongAndRecoversOnceItIsSent(t *testing.T) {
	t.Parallel()
	o := newObserved(t)
	couple := mustCouple(t, o.harness, o.couple())
	o.waitOutboxEmpty()
	o.waitHealth(http.StatusOK)
	now := o.clock.Now()
	if err := o.db.Outbox.QueuePost(o.ctx, conversations.Post{CoupleID: couple.ID, Kind: conversations.PostWelcome, CreatedAt: now, NextAttemptAt: now}); err != nil {
		t.Fatal(err)
	}
	o.clock.Advance(opsMaxPostDelay + time.Minute)
	mustFailOnly(t, o.waitHealth(http.StatusServiceUnavailable), "outbox")
	if age := o.value("mend_outbox_oldest_due_seconds"); age != (opsMaxPostDelay + time.Minute).Seconds() {
		t.Errorf("oldest due post's age = %vs, want %v", age, (opsMaxPostDelay + time.Minute).Seconds())
	}
	mustFlush(t, o.harness, 1)
	o.waitHealth(http.StatusOK)
}

func TestHealthzFailsWhileTheGatewayIsDown(t *testing.T) {
	t.Parallel()
	o := newObserved(t)
	o.waitHealth(http.StatusOK)
	// What discordgo does when a connection dies: close it, then open again.
	if err := o.bot.Session().Close(); err != nil {
		t.Fatal(err)
	}
	mustFailOnly(t, o.waitHealth(http.StatusServiceUnavailable), "gateway")
	if up := o.value("mend_gateway_up"); up != 0 {
		t.Errorf("mend_gateway_up = %v while disconnected", up)
	}
	if err := o.bot.Session().Open(); err != nil {
		t.Fatal(err)
	}
	o.waitHealth(http.StatusOK)
	if n := o.value("mend_gateway_reconnects_total"); n != 1 {
		t.Errorf("%v reconnects counted, want 1", n)
	}
}

func TestAGatewayReconnectIsCounted(t *testing.T) {
	t.Parallel()
	o := newObserved(t)
	if n := o.value("mend_gateway_reconnects_total"); n != 0 {
		t.Fatalf("%v reconnects counted before any", n)
	}
	if err := o.srv.Reconnect(o.ctx); err != nil {
		t.Fatal(err)
	}
	o.waitFor("the reconnect to be counted", func() bool { return o.value("mend_gateway_reconnects_total") == 1 })
	o.waitHealth(http.StatusOK)
}

func TestStartLogsTheGuildsAndHowCommandRegistrationWent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// Logged once Discord has answered, which can be after the fake has
	// stored the commands and the harness has gone on.
	h.waitLogged(`msg="registered the commands" guild=` + testGuild + " commands=" + strconv.Itoa(len(commands)))
	mustContain(t, "the start logs", h.logs.String(), `msg="connected to the discord gateway" user=`, "guilds=["+testGuild+"]")
}

func TestAConfiguredGuildTheBotIsNotInIsNamedAtStart(t *testing.T) {
	t.Parallel()
	const elsewhere = "900000000000000099"
	srv := discordtest.New(t, discordtest.Options{Guilds: []discordtest.Guild{{ID: testGuild, Name: "Home"}}})
	// Registration fails right after the gateway opens; closing a session
	// before its first heartbeat can make discordgo reconnect it.
	srv.Hook(func(r *http.Request, _ []byte) (int, any, bool) {
		if strings.Contains(r.URL.Path, "/guilds/"+elsewhere+"/commands") {
			srv.WaitReady(r.Context())
		}
		return 0, nil, false
	})
	db, err := storage.Open(t.Context(), filepath.Join(t.TempDir(), "mend.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	templates, err := conversations.NewTemplates(true)
	if err != nil {
		t.Fatal(err)
	}
	logs := &testkit.LogBuffer{}
	b, err := New(Config{Token: "test-token", APIURL: srv.APIURL(), GuildIDs: []string{testGuild, elsewhere}, ManualLoops: true},
		conversations.New(db.Stores(), conversations.SystemClock{}, templates, conversations.Settings{Library: builtinPacks(t)}), slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	err = b.Run(t.Context())
	if err == nil || !strings.Contains(err.Error(), "register commands in guild "+elsewhere) {
		t.Errorf("Run returned %v, want the registration in %s to fail", err, elsewhere)
	}
	mustContain(t, "the start logs", logs.String(), "names a server the bot is not in", "guild="+elsewhere,
		`msg="registered the commands" guild=`+testGuild)
}
