// Package bot is Mend's Discord adapter: it registers the slash commands, turns
// interactions into calls on the domain (conversations), and renders the results as
// Discord messages and components.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// Config is what the bot needs to know beyond the domain.
type Config struct {
	// Token is the bot token, without the "Bot " prefix.
	Token string
	// APIURL is the REST base (Discord's own, or a REST proxy's); GatewayURL,
	// when set, replaces the gateway Discord would name.
	APIURL     string
	GatewayURL string
	// GuildIDs get the commands registered directly, which takes effect at
	// once; with none, commands are registered globally.
	GuildIDs []string
	// CategoryID is the channel category couple channels are created in.
	CategoryID string
	// TimeZone is the zone a new couple starts in.
	TimeZone string
	// RemindByDM sends reminders as direct messages instead of a mention in
	// the couple channel (which is still used when direct messages fail).
	RemindByDM bool
	// ShutdownTimeout bounds how long Run waits for interactions in flight.
	ShutdownTimeout time.Duration
	// RequestsPerSecond is the one limit every Discord REST request but
	// interaction responses shares, below Discord's global limit of 50 a
	// second. 0 means DefaultRequestsPerSecond; negative, no limit (tests
	// that let the fake Discord answer with 429s).
	RequestsPerSecond float64
	// ManualLoops leaves the scheduler and the outbox sender to the caller
	// (RunDue and FlushOutbox), for tests that drive time themselves.
	ManualLoops bool
	// Metrics counts interactions, sends, 429s, check-ins and reconnects;
	// nil counts nothing.
	Metrics Metrics
	// CopiesKept is how long copies of the database beside it (automatic
	// backups, a replica) may hold what /forget deleted; 0 when there are
	// none. /forget's reply says so.
	CopiesKept time.Duration
	// Safety is the note shown to a partner who answered the lowest point of
	// a tracked scale, and in /help; its text defaults to
	// conversations.DefaultSafetyNote.
	Safety conversations.SafetyNote
}

// Bot serves Mend on Discord.
type Bot struct {
	cfg     Config
	app     *conversations.Mend
	log     *slog.Logger
	session *discordgo.Session

	inflight inflight
	closing  atomic.Bool

	// router finds the handler of each interaction; serve runs it inside the
	// steps every interaction takes.
	router *router
	serve  handler

	// wake tells the scheduler a schedule changed.
	wake chan struct{}
	// sender delivers queued posts and keeps check-in messages current;
	// shared is what every handler and interaction uses.
	sender *sender
	shared *shared
	lost   lostChannels

	metrics Metrics
	// connects counts gateway connections, to tell a reconnect from the first.
	connects atomic.Int32
	// life ends after the interactions in flight at shutdown: work they
	// start in the background (status edits) runs under it.
	life    context.Context
	endLife context.CancelFunc
}

// New prepares a bot; Run connects it.
func New(cfg Config, app *conversations.Mend, log *slog.Logger) (*Bot, error) {
	if cfg.Token == "" {
		return nil, errors.New("no discord token")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if cfg.ShutdownTimeout == 0 {
		cfg.ShutdownTimeout = 10 * time.Second
	}
	if cfg.TimeZone == "" {
		cfg.TimeZone = "UTC"
	}
	if cfg.RequestsPerSecond == 0 {
		cfg.RequestsPerSecond = DefaultRequestsPerSecond
	}
	cfg.Safety = cfg.Safety.WithDefault()
	session, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("create discord session: %w", err)
	}
	logDiscordgoTo(log, cfg.Token)
	// Its errors and warnings (a gateway that will not reconnect) belong in
	// the operator's log; they carry no partner's words.
	session.LogLevel = discordgo.LogWarning
	transport, err := NewTransport(cfg.APIURL, cfg.GatewayURL, nil)
	if err != nil {
		return nil, err
	}
	if cfg.Metrics == nil {
		cfg.Metrics = noMetrics{}
	}
	transport = &rateLimitCounter{next: transport, metrics: cfg.Metrics}
	session.Client = &http.Client{Transport: newLimitedTransport(cfg.RequestsPerSecond, transport), Timeout: 20 * time.Second}
	// Interactions arrive without any intent; guild events keep the state
	// (the bot's own member, channels) current.
	session.Identify.Intents = discordgo.IntentsGuilds
	session.ShouldReconnectOnError = true

	b := &Bot{cfg: cfg, app: app, log: log, session: session, metrics: cfg.Metrics, wake: make(chan struct{}, 1)}
	b.life, b.endLife = context.WithCancel(context.Background())
	b.lost = lostChannels{couples: app.Couples, session: session, log: log, locks: &keyedMutex{}}
	b.sender = newSender(b.life, app.Outbox, session, log, b.metrics, b.lost, cfg, app.Now)
	b.shared = &shared{session: session, log: log, metrics: b.metrics, locks: &keyedMutex{}, sender: b.sender, now: app.Now, token: cfg.Token}
	b.router = newRouter(newGroups(app, cfg, b.shared, b.wakeScheduler), log, commands, actions)
	b.serve = chain(b.router.serve,
		logAndCount(log, b.metrics),
		answerFailures,
		recoverPanics(log),
		refuseWhileClosing(&b.closing),
		refuseDirectMessages,
	)
	session.AddHandler(b.onInteraction)
	session.AddHandler(b.onChannelDelete)
	session.AddHandler(b.onConnect)
	session.AddHandler(b.onDisconnect)
	return b, nil
}

// Session exposes the discordgo session, for tests that point it elsewhere.
func (b *Bot) Session() *discordgo.Session { return b.session }

// Run connects to Discord, registers the commands, and serves interactions
// until ctx is cancelled; then it lets interactions in flight finish and
// disconnects.
func (b *Bot) Run(ctx context.Context) error {
	if err := b.session.Open(); err != nil {
		return fmt.Errorf("connect to the discord gateway: %w", err)
	}
	b.logGuilds()
	if err := b.registerCommands(ctx); err != nil {
		b.session.Close()
		return err
	}
	b.log.Info("mend is on discord", "user", b.session.State.User.ID, "guilds", len(b.session.State.Guilds))
	// The scheduler and the outbox sender stop with ctx; Run waits for them
	// before closing the session they post through.
	var background sync.WaitGroup
	if !b.cfg.ManualLoops {
		b.startLoops(ctx, &background)
	}
	<-ctx.Done()
	background.Wait()
	b.log.Info("shutting down: finishing interactions in flight")
	b.closing.Store(true)
	done := b.inflight.close()
	deadline := time.NewTimer(b.cfg.ShutdownTimeout)
	defer deadline.Stop()
	select {
	case <-done:
	case <-deadline.C:
		b.log.Warn("interactions still running at shutdown", "timeout", b.cfg.ShutdownTimeout)
	}
	// Status edits they started finish too, within the same time.
	wait, cancel := context.WithTimeout(context.Background(), b.cfg.ShutdownTimeout)
	if err := b.sender.refresh.wait(wait); err != nil {
		b.log.Warn("status edits still running at shutdown", "timeout", b.cfg.ShutdownTimeout)
	}
	cancel()
	b.endLife()
	if err := b.session.Close(); err != nil {
		return fmt.Errorf("close discord session: %w", err)
	}
	return nil
}

// startLoops runs the scheduler and the outbox sender until ctx ends.
func (b *Bot) startLoops(ctx context.Context, wg *sync.WaitGroup) {
	wg.Add(2)
	go func() {
		defer wg.Done()
		b.app.Schedules.RunScheduler(ctx, b.wake, func(r conversations.DueReport) {
			if r != (conversations.DueReport{}) {
				b.log.Info("scheduler", "opened", r.Opened, "missed", r.Missed, "skipped", r.Skipped,
					"reminded", r.Reminded, "closed", r.Closed, "due", r.DueReminders, "invitations_closed", r.InvitationsClosed)
			}
			b.metrics.CheckIns(CheckInsOpened, r.Opened)
			b.metrics.CheckIns(CheckInsClosed, r.Closed)
			b.sender.notifyPosted()
		}, func(err error) {
			var pe *conversations.PanicError
			if errors.As(err, &pe) {
				logPanicError(b.log, "scheduler", pe)
				return
			}
			b.log.Error("scheduler", "err", err)
		})
	}()
	go func() {
		defer wg.Done()
		b.sender.run(ctx)
	}()
}

// wakeScheduler tells the scheduler a schedule changed, so that it does not
// sleep past a time that is now due.
func (b *Bot) wakeScheduler() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// FlushOutbox sends every post that is due now and reports how many it
// sent, for tests that drive the outbox themselves (Config.ManualLoops).
func (b *Bot) FlushOutbox(ctx context.Context) (int, error) { return b.sender.flush(ctx) }

func (b *Bot) applicationID() string {
	if b.session.State.Application != nil && b.session.State.Application.ID != "" {
		return b.session.State.Application.ID
	}
	return b.session.State.User.ID
}

func (b *Bot) registerCommands(ctx context.Context) error {
	appID := b.applicationID()
	if len(b.cfg.GuildIDs) == 0 {
		if _, err := b.session.ApplicationCommandBulkOverwrite(appID, "", registeredCommands(), discordgo.WithContext(ctx)); err != nil {
			return fmt.Errorf("register global commands: %w", err)
		}
		b.log.Info("registered the commands globally; Discord can take up to an hour to show them", "commands", len(commands))
		return nil
	}
	for _, g := range b.cfg.GuildIDs {
		if _, err := b.session.ApplicationCommandBulkOverwrite(appID, g, registeredCommands(), discordgo.WithContext(ctx)); err != nil {
			return fmt.Errorf("register commands in guild %s: %w", g, err)
		}
		b.log.Info("registered the commands", "guild", g, "commands", len(commands))
	}
	return nil
}

func (b *Bot) onInteraction(s *discordgo.Session, ic *discordgo.InteractionCreate) {
	// One arriving after shutdown began is still answered (refused, kindly),
	// but not waited for.
	if b.inflight.begin() {
		defer b.inflight.done()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	it := &interaction{Interaction: ic.Interaction, shared: b.shared, ctx: ctx, route: "unknown"}
	_ = b.serve(ctx, it) // answered, logged and counted on the way out
}
