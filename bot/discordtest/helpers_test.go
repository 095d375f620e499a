package discordtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"mend/bot"
	"mend/bot/discordtest"
	"mend/internal/testkit"
)

const (
	appID      = "900000000000000001"
	guildID    = "800000000000000001"
	generalID  = "800000000000000002"
	categoryID = "800000000000000003"
)

var (
	alice = &discordgo.User{ID: "700000000000000001", Username: "alice", GlobalName: "Alice"}
	bob   = &discordgo.User{ID: "700000000000000002", Username: "bob", GlobalName: "Bob"}
)

const botPerms = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages |
	discordgo.PermissionReadMessageHistory | discordgo.PermissionEmbedLinks |
	discordgo.PermissionAttachFiles | discordgo.PermissionManageChannels |
	discordgo.PermissionManageRoles

// testGuild is a guild with Alice (owner), Bob, a category and a text channel.
func testGuild() discordtest.Guild {
	return discordtest.Guild{
		ID: guildID, Name: "home", OwnerID: alice.ID, BotPermissions: botPerms,
		Members: []*discordgo.Member{{User: alice}, {User: bob, Nick: "bobby"}},
		Channels: []*discordgo.Channel{
			{ID: categoryID, Name: "couples", Type: discordgo.ChannelTypeGuildCategory},
			{ID: generalID, Name: "general", Type: discordgo.ChannelTypeGuildText, Position: 1},
		},
	}
}

// patience bounds every wait for a condition in these tests.
const patience = testkit.Patience

// closing holds the discordgo Close calls still running (see closeSession);
// closeErrs what they returned other than nil.
var (
	closing   sync.WaitGroup
	closeMu   sync.Mutex
	closeErrs []error
)

func TestMain(m *testing.M) {
	code := m.Run()
	closing.Wait()
	for _, err := range closeErrs {
		fmt.Fprintln(os.Stderr, "closing a session:", err)
		code = 1
	}
	os.Exit(code)
}

// closeSession closes s and returns as soon as the fake has its close frame.
// discordgo's Close sends the frame, then sleeps a second before it closes
// the connection itself (wsapi.go: "TODO: Wait for Discord to actually close
// the connection"); that second runs on after the test, and TestMain waits
// for it. By the frame the session has stopped reading and heartbeating, so
// the fake may close under it.
func closeSession(t *testing.T, srv *discordtest.Server, s *discordgo.Session) {
	t.Helper()
	s.State.RLock()
	id := s.State.SessionID
	s.State.RUnlock()
	closing.Add(1)
	go func() {
		defer closing.Done()
		if err := s.Close(); err != nil {
			closeMu.Lock()
			closeErrs = append(closeErrs, err)
			closeMu.Unlock()
		}
	}()
	if err := srv.WaitClientClose(ctxFor(t, patience), id, websocket.CloseNormalClosure); err != nil {
		t.Error(err)
	}
}

// newFake starts a fake with the test guild unless opts names guilds.
func newFake(t *testing.T, opts discordtest.Options) *discordtest.Server {
	t.Helper()
	if opts.AppID == "" {
		opts.AppID = appID
	}
	if opts.Guilds == nil {
		opts.Guilds = []discordtest.Guild{testGuild()}
	}
	return discordtest.New(t, opts)
}

// newSession returns a discordgo session pointed at the fake, not yet open;
// it is closed before the fake is.
func newSession(t *testing.T, srv *discordtest.Server) *discordgo.Session {
	t.Helper()
	s, err := discordgo.New("Bot test-token")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := bot.NewTransport(srv.APIURL(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Client = &http.Client{Transport: tr, Timeout: patience}
	s.ShouldReconnectOnError = false
	s.LogLevel = discordgo.LogError
	return s
}

// openSession opens a session on the fake and closes it at cleanup, before
// the fake closes.
func openSession(t *testing.T, srv *discordtest.Server, setup func(*discordgo.Session)) *discordgo.Session {
	t.Helper()
	s := newSession(t, srv)
	if setup != nil {
		setup(s)
	}
	if err := s.Open(); err != nil {
		t.Fatalf("open session: %v", err)
	}
	t.Cleanup(func() { closeSession(t, srv, s) })
	// See WaitReady: closing before the first heartbeat is not safe.
	if err := srv.WaitReady(ctxFor(t, patience)); err != nil {
		t.Fatal(err)
	}
	return s
}

func ctxFor(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func recv[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(patience):
		t.Fatal("timed out waiting")
		var zero T
		return zero
	}
}

// restError asserts err is Discord's error with this status and code.
func restError(t *testing.T, err error, status, code int) {
	t.Helper()
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		t.Fatalf("error %v (%T), want *discordgo.RESTError", err, err)
	}
	if re.Response.StatusCode != status || re.Message == nil || re.Message.Code != code {
		t.Fatalf("error %v, want HTTP %d code %d", err, status, code)
	}
}

func button(customID, label string) discordgo.MessageComponent {
	return discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{CustomID: customID, Label: label, Style: discordgo.PrimaryButton},
	}}
}

func firstButton(t *testing.T, comps []discordgo.MessageComponent) *discordgo.Button {
	t.Helper()
	if len(comps) == 0 {
		t.Fatal("no components")
	}
	row, ok := comps[0].(*discordgo.ActionsRow)
	if !ok || len(row.Components) == 0 {
		t.Fatalf("first component %T, want an action row with components", comps[0])
	}
	b, ok := row.Components[0].(*discordgo.Button)
	if !ok {
		t.Fatalf("first row holds %T, want a button", row.Components[0])
	}
	return b
}
