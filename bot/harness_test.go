package bot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // zones in tests, on a machine without zone data too

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"mend/bot/discordtest"
	"mend/config"
	"mend/conversations"
	"mend/conversations/clocktest"
	"mend/internal/testkit"
	"mend/storage"
)

// patience bounds every wait for a condition in these tests.
const patience = testkit.Patience

// finishing holds the Runs that have closed their gateway session but are
// still in discordgo's last second of Close (see harness.shutdown);
// finishErrs what they returned that they should not have.
var (
	finishing  sync.WaitGroup
	finishMu   sync.Mutex
	finishErrs []string
)

func TestMain(m *testing.M) {
	code := m.Run()
	done := make(chan struct{})
	go func() { finishing.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(patience):
		finishErrs = append(finishErrs, "a Run did not return after closing its gateway session")
	}
	finishMu.Lock()
	for _, e := range finishErrs {
		fmt.Fprintln(os.Stderr, e)
		code = 1
	}
	finishMu.Unlock()
	os.Exit(code)
}

const (
	testGuild   = "900000000000000001"
	generalChan = "900000000000000002"
)

var (
	alice    = &discordgo.User{ID: "100000000000000001", Username: "alice", GlobalName: "Alice"}
	bob      = &discordgo.User{ID: "100000000000000002", Username: "bob", GlobalName: "Bob"}
	carol    = &discordgo.User{ID: "100000000000000003", Username: "carol", GlobalName: "Carol"}
	otherBot = &discordgo.User{ID: "100000000000000004", Username: "helper", Bot: true}
)

// everyKind is a template with one prompt of every kind, so one check-in
// walks through all of them.
var everyKind = conversations.Template{ID: "every-kind", Name: "Every kind", Prompts: []conversations.Prompt{
	{ID: "trust", Kind: conversations.KindScale, Text: "How connected did you feel?", LowLabel: "Distant", HighLabel: "Close", Tracked: true},
	{ID: "energy", Kind: conversations.KindChoice, Text: "How much energy is left?", Options: []string{"Plenty", "A little", "None"}},
	{ID: "hurt", Kind: conversations.KindText, Text: "What hurt or worried you?", Optional: true, Long: true, Acknowledge: true},
	{ID: "promises", Kind: conversations.KindCommitmentReview, Text: "How did this promise go?"},
	{ID: "agreements", Kind: conversations.KindAgreementReview, Text: "How did this agreement hold?"},
	{ID: "new", Kind: conversations.KindNewCommitment, Text: "One concrete thing for next week?", Optional: true},
}}

// harness is a fake Discord with one guild, a real SQLite file, and Mend
// running against both.
type harness struct {
	t       testing.TB
	ctx     context.Context
	srv     *discordtest.Server
	dbPath  string
	clock   *clocktest.Clock
	db      *storage.DB
	app     *conversations.Mend
	bot     *Bot
	stop    context.CancelFunc
	stopped chan error
	// logs is everything Mend logged, to check what never appears in it.
	logs *testkit.LogBuffer
	// keys encrypts the database from the next start on; nil for none.
	keys *storage.Keyring
	// library replaces the built-in packs from the next start on.
	library *conversations.Library
}

type harnessOption func(*discordtest.Options, *Config)

func newHarness(t testing.TB, opts ...harnessOption) *harness {
	t.Helper()
	dopts := discordtest.Options{Guilds: []discordtest.Guild{{
		ID: testGuild, Name: "Home",
		Members: []*discordgo.Member{
			{User: alice}, {User: bob}, {User: carol}, {User: otherBot},
		},
		Channels: []*discordgo.Channel{{ID: generalChan, Name: "general", Type: discordgo.ChannelTypeGuildText}},
	}}}
	cfg := Config{Token: "test-token", GuildIDs: []string{testGuild}, TimeZone: "Europe/Berlin", ManualLoops: true}
	for _, o := range opts {
		o(&dopts, &cfg)
	}
	h := &harness{
		t: t, ctx: t.Context(),
		srv:    discordtest.New(t, dopts),
		dbPath: filepath.Join(t.TempDir(), "mend.db"),
		clock:  clocktest.New(time.Now().UTC().Truncate(time.Millisecond)),
		logs:   &testkit.LogBuffer{},
	}
	cfg.APIURL = h.srv.APIURL()
	h.start(cfg)
	t.Cleanup(h.shutdown)
	return h
}

func (h *harness) start(cfg Config) {
	h.t.Helper()
	db, err := storage.Open(h.ctx, h.dbPath, storage.WithKeys(h.keys))
	if err != nil {
		h.t.Fatal(err)
	}
	templates, err := conversations.NewTemplates(true, everyKind)
	if err != nil {
		h.t.Fatal(err)
	}
	library := h.library
	if library == nil {
		library = builtinPacks(h.t)
	}
	app := conversations.New(db.Stores(), h.clock, templates, conversations.Settings{DefaultTemplate: everyKind.ID, Announce: true, Library: library, EncryptedAtRest: db.Encryption().On})
	var out io.Writer = h.logs
	if testing.Verbose() {
		out = io.MultiWriter(h.logs, newTestWriter(h.t))
	}
	logger := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	b, err := New(cfg, app, logger)
	if err != nil {
		h.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	// Each Run reports to its own channel: after a restart, the Run before
	// may still be returning.
	stopped := make(chan error, 1)
	h.db, h.app, h.bot, h.stop, h.stopped = db, app, b, cancel, stopped
	go func() { stopped <- b.Run(ctx) }()
	wait, done := context.WithTimeout(h.ctx, patience)
	defer done()
	if err := h.srv.WaitReady(wait); err != nil {
		h.t.Fatalf("the bot did not connect: %v", err)
	}
	// Run registers the commands right after the gateway is ready.
	for len(h.srv.Commands(testGuild))+len(h.srv.Commands("")) == 0 {
		select {
		case <-wait.Done():
			h.t.Fatal("the bot did not register its commands")
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// shutdown stops Mend as SIGTERM would and closes the database once Run has
// finished the interactions in flight and closed its gateway session.
//
// Run's last step, discordgo's Session.Close, sends its close frame and then
// sleeps a second before it returns (wsapi.go: "TODO: Wait for Discord to
// actually close the connection"). Nothing of Mend runs in that second, so
// shutdown returns at the close frame, and TestMain waits for Run's return
// and checks it.
func (h *harness) shutdown() {
	if h.stop == nil {
		return
	}
	state := h.bot.Session().State
	state.RLock()
	session := state.SessionID
	state.RUnlock()
	h.stop()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	closed := make(chan error, 1)
	go func() { closed <- h.srv.WaitClientClose(ctx, session, websocket.CloseNormalClosure) }()
	select {
	case err := <-h.stopped:
		checkRun(h.t.Errorf, err)
	case err := <-closed:
		if err != nil {
			h.t.Errorf("Run did not close its gateway session after cancel: %v", err)
			break
		}
		finishing.Add(1)
		go func(stopped <-chan error, name string) {
			defer finishing.Done()
			checkRun(func(format string, args ...any) {
				finishMu.Lock()
				defer finishMu.Unlock()
				finishErrs = append(finishErrs, name+": "+fmt.Sprintf(format, args...))
			}, <-stopped)
		}(h.stopped, h.t.Name())
	}
	if err := h.db.Close(); err != nil {
		h.t.Errorf("close database: %v", err)
	}
	h.stop = nil
}

// checkRun reports an error Run should not have returned.
func checkRun(errorf func(format string, args ...any), err error) {
	if err != nil && !errors.Is(err, context.Canceled) {
		errorf("Run returned %v", err)
	}
}

// restart stops Mend and starts a new one on the same database file.
func (h *harness) restart() {
	h.t.Helper()
	cfg := h.bot.cfg
	h.shutdown()
	h.start(cfg)
}

// testWriter shows Mend's log in the test's output. shutdown returns before
// Run has finished (see there), so a line may still come after the test
// ended, when testing panics on a Log: those lines are dropped.
type testWriter struct {
	t    testing.TB
	mu   sync.Mutex
	done bool
}

func newTestWriter(t testing.TB) *testWriter {
	w := &testWriter{t: t}
	t.Cleanup(func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.done = true
	})
	return w
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimSpace(string(p)))
	}
	return len(p), nil
}

func (h *harness) interact(i *discordgo.Interaction) *discordtest.Response {
	h.t.Helper()
	resp, err := h.srv.Interact(h.ctx, i)
	if err != nil {
		h.t.Fatalf("interaction: %v", err)
	}
	return resp
}

func sub(name string, options ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionSubCommand, Options: options}
}

func str(name, value string) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: value}
}

func num(name string, value int) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionInteger, Value: float64(value)}
}

func userOpt(name string, u *discordgo.User) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionUser, Value: u.ID}
}

func (h *harness) slash(user *discordgo.User, channelID, name string, options ...*discordgo.ApplicationCommandInteractionDataOption) *discordtest.Response {
	h.t.Helper()
	return h.interact(h.srv.SlashCommand(testGuild, channelID, user, name, options...))
}

func (h *harness) press(user *discordgo.User, channelID, messageID, customID string, values ...string) *discordtest.Response {
	h.t.Helper()
	return h.interact(h.srv.Component(testGuild, channelID, user, messageID, customID, values...))
}

func (h *harness) submit(user *discordgo.User, channelID, messageID, customID string, fields map[string]string) *discordtest.Response {
	h.t.Helper()
	i := h.srv.ModalSubmit(testGuild, channelID, user, customID, fields)
	if m, ok := h.srv.Message(messageID); ok {
		i.Message = m
	}
	return h.interact(i)
}

// text is everything a response shows: content, embeds and button labels.
func text(data *discordgo.InteractionResponseData) string {
	if data == nil {
		return ""
	}
	return messageText(&discordgo.Message{Content: data.Content, Embeds: data.Embeds, Components: data.Components})
}

func messageText(m *discordgo.Message) string {
	var b strings.Builder
	b.WriteString(m.Content)
	for _, e := range m.Embeds {
		b.WriteString("\n" + e.Title + "\n" + e.Description)
		for _, f := range e.Fields {
			b.WriteString("\n" + f.Name + ": " + f.Value)
		}
		if e.Footer != nil {
			b.WriteString("\n" + e.Footer.Text)
		}
	}
	for _, id := range customIDs(m.Components) {
		b.WriteString("\n[" + id + "]")
	}
	return b.String()
}

// flat lists the components inside a message's action rows, as values: the
// fake and the bot hand them over as pointers or values alike.
func flat(rows []discordgo.MessageComponent) []discordgo.MessageComponent {
	var out []discordgo.MessageComponent
	for _, row := range rows {
		var inner []discordgo.MessageComponent
		switch r := row.(type) {
		case *discordgo.ActionsRow:
			inner = r.Components
		case discordgo.ActionsRow:
			inner = r.Components
		}
		for _, c := range inner {
			switch c := c.(type) {
			case *discordgo.Button:
				out = append(out, *c)
			case *discordgo.SelectMenu:
				out = append(out, *c)
			case *discordgo.TextInput:
				out = append(out, *c)
			default:
				out = append(out, c)
			}
		}
	}
	return out
}

// customIDs lists the custom IDs of a message's buttons and selects.
func customIDs(rows []discordgo.MessageComponent) []string {
	var out []string
	for _, c := range flat(rows) {
		switch c := c.(type) {
		case discordgo.Button:
			out = append(out, c.CustomID)
		case discordgo.SelectMenu:
			out = append(out, c.CustomID)
		}
	}
	return out
}

// button finds the button with a custom ID.
func button(rows []discordgo.MessageComponent, id string) (discordgo.Button, bool) {
	for _, c := range flat(rows) {
		if b, ok := c.(discordgo.Button); ok && b.CustomID == id {
			return b, true
		}
	}
	return discordgo.Button{}, false
}

// idWith returns the first custom ID with the given action, or fails.
func (h *harness) idWith(rows []discordgo.MessageComponent, action string) string {
	h.t.Helper()
	for _, id := range customIDs(rows) {
		if strings.HasPrefix(id, action+":") {
			return id
		}
	}
	h.t.Fatalf("no %s component among %v", action, customIDs(rows))
	return ""
}

// mustContain is the shared check, under the name every bot test calls.
var mustContain = testkit.MustContain

func isEphemeral(r *discordtest.Response) bool {
	return r.Data != nil && r.Data.Flags&discordgo.MessageFlagsEphemeral != 0
}

// waitFor waits until cond holds: for what the bot does after it has
// answered an interaction (posts, edits).
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	testkit.WaitUntil(h.t, what, cond)
}

// couple makes alice and bob a couple through invite and accept, and returns
// their channel.
func (h *harness) couple() string {
	h.t.Helper()
	inv := h.slash(alice, generalChan, "couple", sub("invite", userOpt("partner", bob)))
	invMsg, _ := h.srv.Original(h.lastToken())
	r := h.accept(bob, invMsg.ID, h.idWith(inv.Data.Components, actAccept))
	if r.Type != discordgo.InteractionResponseDeferredMessageUpdate {
		h.t.Fatalf("the confirming accept answered %v", r.Type)
	}
	var channelID string
	h.waitFor("the couple channel", func() bool {
		for _, c := range h.srv.Channels(testGuild) {
			if strings.HasPrefix(c.Name, "mend-") {
				channelID = c.ID
			}
		}
		return channelID != "" && len(h.srv.Messages(channelID)) > 0
	})
	// The accept ends by saying so on the invitation, after the welcome is
	// sent and recorded as sent: nothing of it is left queued or running.
	h.waitFor("the invitation to say it was accepted", func() bool {
		m, ok := h.srv.Message(invMsg.ID)
		return ok && strings.Contains(m.Content, "Bob accepted")
	})
	return channelID
}

// explain presses Accept on an invitation, which explains privately what
// accepting means, and returns that message and its confirming Accept.
func (h *harness) explain(u *discordgo.User, invitationID, acceptID string) (messageID, confirmID string) {
	h.t.Helper()
	r := h.press(u, generalChan, invitationID, acceptID)
	if !isEphemeral(r) {
		h.t.Fatalf("accept answered %v in public: %s", r.Type, text(r.Data))
	}
	m, _ := h.srv.Original(h.lastToken())
	return m.ID, h.idWith(r.Data.Components, actConfirm)
}

// accept accepts an invitation as u: Accept, then the Accept of the
// explanation, which creates the channel.
func (h *harness) accept(u *discordgo.User, invitationID, acceptID string) *discordtest.Response {
	h.t.Helper()
	messageID, confirm := h.explain(u, invitationID, acceptID)
	return h.press(u, generalChan, messageID, confirm)
}

// lastToken is the token of the latest interaction the fake dispatched.
func (h *harness) lastToken() string {
	h.t.Helper()
	reqs := h.srv.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if strings.HasPrefix(reqs[i].Path, "/interactions/") {
			parts := strings.Split(reqs[i].Path, "/")
			return parts[3]
		}
	}
	h.t.Fatal("no interaction callback recorded")
	return ""
}

// as is userID acting from the channel of the check-in's couple.
func (h *harness) as(checkInID int64, userID string) conversations.Actor {
	h.t.Helper()
	ci, err := h.db.CheckIns.CheckIn(h.ctx, checkInID)
	if err != nil {
		h.t.Fatalf("check-in %d: %v", checkInID, err)
	}
	couple, err := h.db.Couples.Couple(h.ctx, ci.CoupleID)
	if err != nil {
		h.t.Fatalf("couple of check-in %d: %v", checkInID, err)
	}
	return conversations.Actor{UserID: userID, GuildID: couple.GuildID, ChannelID: couple.ChannelID}
}

// storedCheckIn reads a check-in as it is in the database.
func (h *harness) storedCheckIn(checkInID int64) conversations.CheckIn {
	h.t.Helper()
	ci, err := h.db.CheckIns.CheckIn(h.ctx, checkInID)
	if err != nil {
		h.t.Fatalf("check-in %d: %v", checkInID, err)
	}
	return ci
}

// actor is userID acting from the own channel of the couple with coupleID.
func (h *harness) actor(coupleID int64, userID string) conversations.Actor {
	h.t.Helper()
	return testkit.Actor(h.t, h.db.Couples, coupleID, userID)
}

// inGuild is userID acting in the guild of the couple with coupleID, from
// wherever an invitation is answered.
func (h *harness) inGuild(coupleID int64, userID string) conversations.Actor {
	h.t.Helper()
	return testkit.InGuild(h.t, h.db.Couples, coupleID, userID)
}

// byFirst is the inviting partner of the couple with coupleID, acting from
// the couple's channel.
func (h *harness) byFirst(coupleID int64) conversations.Actor {
	h.t.Helper()
	return testkit.FirstPartner(h.t, h.db.Couples, coupleID)
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
