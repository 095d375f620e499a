package bot

import (
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/bot/discordtest"
	"mend/conversations"
	"mend/internal/testkit"
)

// seedCouples adds n active couples straight into the database file, in one
// transaction: the service would take minutes for 100,000 of them, and the
// benchmark is about answering interactions among them, not creating them.
func seedCouples(tb testing.TB, path string, n int) {
	tb.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on&_journal_mode=WAL&_busy_timeout=5000")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		tb.Fatal(err)
	}
	couple, _ := tx.Prepare(`INSERT INTO couples (guild_id, channel_id, status, time_zone, created_at) VALUES (?, ?, 'active', 'Europe/Berlin', '2026-01-01T00:00:00.000Z')`)
	// Every couple has a weekly schedule, next due in a week, so the scheduler
	// has 100,000 schedules to keep track of while interactions are served.
	schedule, _ := tx.Prepare(`INSERT INTO schedules (couple_id, kind, weekday, hour, minute, every_weeks, anchor, time_zone, next_run_at, updated_by, updated_at)
		VALUES (?, 'weekly', 0, 20, 0, 1, '', 'Europe/Berlin', ?, 'seed', '2026-01-01T00:00:00.000Z')`)
	nextWeek := time.Now().UTC().AddDate(0, 0, 7).Format("2006-01-02T15:04:05.000Z")
	partner, _ := tx.Prepare(`INSERT INTO partners (couple_id, position, user_id, display_name, consented_at) VALUES (?, ?, ?, ?, '2026-01-01T00:00:00.000Z')`)
	for i := 0; i < n; i++ {
		res, err := couple.Exec(testGuild, fmt.Sprintf("8%017d", i))
		if err != nil {
			tb.Fatal(err)
		}
		id, _ := res.LastInsertId()
		if _, err := schedule.Exec(id, nextWeek); err != nil {
			tb.Fatal(err)
		}
		for p := 0; p < 2; p++ {
			if _, err := partner.Exec(id, p, fmt.Sprintf("7%d%016d", p, i), "Partner"); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkInteractionLatency measures an interaction from the gateway event
// to the bot's response (the target, in the README: p99 under 20 ms at 200
// per second with 100,000 couples stored, and the whole process under
// 150 MB). MEND_BENCH_COUPLES changes how many couples are stored. Each
// iteration is one /checkin status in a couple channel (the couple is looked
// up by channel, its open check-in read), with the scheduler and the outbox
// running over a weekly schedule for every couple.
func BenchmarkInteractionLatency(b *testing.B) {
	h, ch, couples := latencyHarness(b)
	status := func(int) (time.Duration, error) {
		resp, err := h.srv.Interact(h.ctx, h.srv.SlashCommand(testGuild, ch, bob, "checkin", sub("status")))
		if err != nil {
			return 0, err
		}
		return resp.Latency, nil
	}
	b.ResetTimer()
	latencies, achieved := openLoop(b, b.N, latencyRate, status)
	b.StopTimer()
	reportLatency(b, latencies, achieved, couples)
}

// BenchmarkInteractionLatencyWriteMix is BenchmarkInteractionLatency with
// half the interactions answers: bob, rereading his answers before sending
// them, changes his answer to the first scale question, each change a
// synced write. The other half are /checkin status, as there.
func BenchmarkInteractionLatencyWriteMix(b *testing.B) {
	h, ch, couples := latencyHarness(b)
	var ci conversations.CheckIn
	testkit.WaitUntil(b, "the check-in opened", func() bool {
		var err error
		ci, err = h.app.CheckIns.Current(h.ctx, conversations.Actor{UserID: bob.ID, GuildID: testGuild, ChannelID: ch})
		return err == nil
	})
	step := answerSteps(b, h, ci.ID, bob, "words of bob", 1000)
	var scale conversations.StepKey
	for _, it := range step.Items {
		if it.Prompt.Kind == conversations.KindScale {
			scale = it.Key()
			break
		}
	}
	if !step.Done || scale.PromptID == "" {
		b.Fatalf("bob is not rereading a check-in with a scale question: done %v, scale %q", step.Done, scale.PromptID)
	}
	mix := func(i int) (time.Duration, error) {
		i9n := h.srv.SlashCommand(testGuild, ch, bob, "checkin", sub("status"))
		if i%2 == 0 {
			id := customID{Action: actScale, ID: ci.ID, Prompt: scale.PromptID, Subject: scale.SubjectID, Number: 1 + i/2%5}
			i9n = h.srv.Component(testGuild, ch, bob, "", id.String())
		}
		resp, err := h.srv.Interact(h.ctx, i9n)
		if err != nil {
			return 0, err
		}
		if resp.Type != discordgo.InteractionResponseUpdateMessage && i%2 == 0 {
			return 0, fmt.Errorf("an answer was not taken: response %v: %s", resp.Type, text(resp.Data))
		}
		return resp.Latency, nil
	}
	b.ResetTimer()
	latencies, achieved := openLoop(b, b.N, latencyRate, mix)
	b.StopTimer()
	reportLatency(b, latencies, achieved, couples)
}

// latencyRate is the README's 200 interactions a second.
const latencyRate = 200

// latencyHarness starts Mend with its loops running over MEND_BENCH_COUPLES
// seeded couples (100,000 unless set) and one more couple with an open
// check-in, whose channel it returns.
func latencyHarness(b *testing.B) (*harness, string, int) {
	couples := 100000
	if v, err := strconv.Atoi(os.Getenv("MEND_BENCH_COUPLES")); err == nil {
		couples = v
	}
	h := newHarness(b, func(o *discordtest.Options, c *Config) { c.ManualLoops = false })
	seedCouples(b, h.dbPath, couples)
	ch := h.couple()
	h.slash(alice, ch, "checkin", sub("now"))
	return h, ch, couples
}

// openLoop sends n requests at perSecond, each at its scheduled time in a
// goroutine of its own whether or not earlier ones have finished, so a slow
// Mend is offered as much as a fast one. A request's latency counts from its
// scheduled time: the time it waited to be sent is the system's too. It
// returns the latencies and the rate the requests were actually sent at.
func openLoop(b *testing.B, n int, perSecond float64, send func(i int) (time.Duration, error)) ([]time.Duration, float64) {
	latencies := make([]time.Duration, n)
	var wg sync.WaitGroup
	start := time.Now()
	var last time.Time
	for i := range n {
		at := start.Add(time.Duration(float64(i) * float64(time.Second) / perSecond))
		time.Sleep(time.Until(at))
		last = time.Now()
		wg.Add(1)
		go func() {
			defer wg.Done()
			late := time.Since(at)
			d, err := send(i)
			if err != nil {
				b.Error(err)
			}
			latencies[i] = late + d
		}()
	}
	wg.Wait()
	achieved := perSecond
	if span := last.Sub(start).Seconds(); n > 1 && span > 0 {
		achieved = float64(n-1) / span
	}
	return latencies, achieved
}

// reportLatency reports p50 and p99, the rates asked for and achieved and the
// process's memory, and fails the benchmark where they miss the README's
// targets: p99 under 20 ms, under 150 MB, and the rate asked for sent.
func reportLatency(b *testing.B, latencies []time.Duration, achieved float64, couples int) {
	slices.Sort(latencies)
	p50, p99 := latencies[len(latencies)/2], latencies[len(latencies)*99/100]
	b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(latencyRate, "asked/s")
	b.ReportMetric(achieved, "sent/s")
	b.ReportMetric(float64(couples), "couples")
	if p99 >= 20*time.Millisecond {
		b.Errorf("p99 %v over %d interactions; the target is under 20 ms", p99, len(latencies))
	}
	if achieved < 0.95*latencyRate {
		b.Errorf("sent %.1f a second of the %d asked for: the load generator fell behind", achieved, latencyRate)
	}
	if rss := residentMB(); rss > 0 {
		// The whole test process: Mend, the fake Discord and the benchmark.
		b.ReportMetric(rss, "rss-MB")
		if rss >= 150 {
			b.Errorf("%.0f MB resident; the target is under 150 MB", rss)
		}
	}
}

// residentMB reads the process's resident memory from /proc (Linux only).
func residentMB() float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkOutboxAtDiscordsGlobalLimit queues MEND_BENCH_POSTS check-in
// posts (2,000 by default) against a fake Discord that allows 50 requests a
// second and turns away the rest with 429, and sends them with the default
// limiter. The target, in the README: at least 45 posts a second sustained
// and no 429. Run it with -benchtime 1x: one round is 40 seconds.
func BenchmarkOutboxAtDiscordsGlobalLimit(b *testing.B) {
	posts := 2000
	if s := os.Getenv("MEND_BENCH_POSTS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatalf("MEND_BENCH_POSTS=%q: %v", s, err)
		}
		posts = n
	}
	channels := loadChannels("93", posts)
	h := newHarness(b, withChannels(channels), func(o *discordtest.Options, c *Config) {
		o.RateLimitPerSecond = 50
	})
	for range b.N {
		openScheduledCheckIns(b, h, channels, "4")
		before := h.srv.Stats()
		b.ResetTimer()
		start := time.Now()
		sent, err := h.bot.FlushOutbox(h.ctx)
		elapsed := time.Since(start)
		b.StopTimer()
		if err != nil || sent != posts {
			b.Fatalf("FlushOutbox sent %d (%v), want %d", sent, err, posts)
		}
		rate := float64(sent) / elapsed.Seconds()
		limited := h.srv.Stats().RateLimited - before.RateLimited
		b.ReportMetric(rate, "posts/s")
		b.ReportMetric(float64(limited), "429s")
		if rate < 45 || limited != 0 {
			b.Errorf("%d posts at %.1f a second with %d turned away; the target is at least 45 a second and none turned away", sent, rate, limited)
		}
	}
}
