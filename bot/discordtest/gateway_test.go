package discordtest_test

import (
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/bot/discordtest"
)

func TestOpenReceivesReadyAndGuildCreate(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{BotName: "mend"})
	// discordgo's State later overwrites the guilds of Ready in place, so
	// the handlers copy what the test checks, synchronously.
	type readyInfo struct {
		discordgo.Ready
		guild discordgo.Guild
	}
	ready := make(chan readyInfo, 1)
	created := make(chan discordgo.Guild, 1)
	s := openSession(t, srv, func(s *discordgo.Session) {
		s.SyncEvents = true
		s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
			info := readyInfo{Ready: *r}
			if len(r.Guilds) == 1 {
				info.guild = *r.Guilds[0]
			}
			ready <- info
		})
		s.AddHandler(func(_ *discordgo.Session, g *discordgo.GuildCreate) { created <- *g.Guild })
	})

	r := recv(t, ready)
	if r.User == nil || r.User.ID != appID || r.User.Username != "mend" || !r.User.Bot {
		t.Errorf("Ready user %+v, want the bot %s", r.User, appID)
	}
	if v := fmt.Sprint(r.Version); v != discordgo.APIVersion || r.SessionID == "" || r.Application == nil || r.Application.ID != appID {
		t.Errorf("Ready v=%d session=%q application=%+v", r.Version, r.SessionID, r.Application)
	}
	if len(r.Guilds) != 1 || r.guild.ID != guildID || !r.guild.Unavailable {
		t.Errorf("Ready guilds %+v, want %s unavailable", r.guild, guildID)
	}

	g := recv(t, created)
	if g.ID != guildID || g.Name != "home" || g.OwnerID != alice.ID {
		t.Errorf("GUILD_CREATE %s %q owner %s", g.ID, g.Name, g.OwnerID)
	}
	// discordgo updates State before calling handlers.
	st, err := s.State.Guild(guildID)
	if err != nil {
		t.Fatalf("state guild: %v", err)
	}
	if len(st.Channels) != 2 || len(st.Members) != 3 || len(st.Roles) != 2 {
		t.Errorf("state guild has %d channels, %d members, %d roles; want 2, 3 (with the bot), 2",
			len(st.Channels), len(st.Members), len(st.Roles))
	}
	if c, err := s.State.Channel(generalID); err != nil || c.Name != "general" || c.GuildID != guildID {
		t.Errorf("state channel %+v, %v", c, err)
	}
	perms, err := s.State.UserChannelPermissions(appID, generalID)
	if err != nil || perms != botPerms {
		t.Errorf("bot permissions in state %b (%v), want BotPermissions %b", perms, err, botPerms)
	}
	if err := srv.WaitReady(ctxFor(t, patience)); err != nil {
		t.Fatal(err)
	}
	conns := srv.Connections()
	if len(conns) != 1 || conns[0].SessionID != r.SessionID || conns[0].Identify.Token != "Bot test-token" ||
		conns[0].Identify.Intents != discordgo.IntentsAllWithoutPrivileged {
		t.Errorf("connections %+v", conns)
	}
}

func TestHeartbeatsAreAcknowledged(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{HeartbeatInterval: 100 * time.Millisecond})
	opened := time.Now().UTC()
	s := openSession(t, srv, nil)

	deadline := time.Now().Add(patience)
	for {
		conns := srv.Connections()
		if len(conns) == 1 && conns[0].Heartbeats >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("connections %+v, want one with 3 heartbeats", conns)
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.RLock()
	ack, sent := s.LastHeartbeatAck, s.LastHeartbeatSent
	s.RUnlock()
	if !ack.After(opened) || ack.Before(sent.Add(-time.Second)) {
		t.Errorf("last heartbeat ACK %v, sent %v, opened %v: ACKs are not arriving", ack, sent, opened)
	}
	// Five missed ACKs would make discordgo reconnect: the session stays.
	if n := len(srv.Connections()); n != 1 {
		t.Errorf("%d connections, want the one", n)
	}
}

func TestSessionRestartServesTheNewSession(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	var first, second atomic.Int32
	answer := func(n *atomic.Int32) func(*discordgo.Session, *discordgo.InteractionCreate) {
		return func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
			n.Add(1)
			s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Content: "hi", Flags: discordgo.MessageFlagsEphemeral},
			})
		}
	}
	s1 := newSession(t, srv)
	s1.AddHandler(answer(&first))
	if err := s1.Open(); err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitReady(ctxFor(t, patience)); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Interact(ctxFor(t, patience), srv.SlashCommand(guildID, generalID, alice, "help")); err != nil {
		t.Fatalf("interact with the first session: %v", err)
	}
	closeSession(t, srv, s1)

	openSession(t, srv, func(s *discordgo.Session) { s.AddHandler(answer(&second)) })
	if err := srv.WaitReady(ctxFor(t, patience)); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Interact(ctxFor(t, patience), srv.SlashCommand(guildID, generalID, bob, "help")); err != nil {
		t.Fatalf("interact with the second session: %v", err)
	}
	if first.Load() != 1 || second.Load() != 1 {
		t.Errorf("first session answered %d, second %d; want 1 and 1", first.Load(), second.Load())
	}
	if n := len(srv.Connections()); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
}

func TestReconnectResumesTheSession(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	resumed := make(chan *discordgo.Resumed, 1)
	s := openSession(t, srv, func(s *discordgo.Session) {
		s.ShouldReconnectOnError = true // discordgo only reconnects with it
		s.AddHandler(func(_ *discordgo.Session, r *discordgo.Resumed) { resumed <- r })
		s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
			s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
			})
		})
	})
	if err := srv.WaitReady(ctxFor(t, patience)); err != nil {
		t.Fatal(err)
	}
	before := srv.Connections()
	if err := srv.Reconnect(ctxFor(t, patience)); err != nil {
		t.Fatal(err)
	}
	recv(t, resumed)

	after := srv.Connections()
	if len(after) != 1 || !after[0].Resumed || !after[0].Ready || after[0].SessionID != before[0].SessionID {
		t.Fatalf("connections after reconnect %+v, want the session %s resumed", after, before[0].SessionID)
	}
	if after[0].Seq <= before[0].Seq {
		t.Errorf("sequence %d after resume, want more than %d", after[0].Seq, before[0].Seq)
	}
	if _, err := srv.Interact(ctxFor(t, patience), srv.SlashCommand(guildID, generalID, alice, "help")); err != nil {
		t.Fatalf("interact after resume: %v", err)
	}
	_ = s
}

func TestDispatchReachesIdentifiedSessions(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	got := make(chan *discordgo.MessageReactionAdd, 1)
	openSession(t, srv, func(s *discordgo.Session) {
		s.AddHandler(func(_ *discordgo.Session, r *discordgo.MessageReactionAdd) { got <- r })
	})
	n := srv.Dispatch("MESSAGE_REACTION_ADD", map[string]any{
		"user_id": alice.ID, "channel_id": generalID, "message_id": "1", "guild_id": guildID,
		"emoji": map[string]any{"name": "👍"},
	})
	if n != 1 {
		t.Fatalf("dispatched to %d sessions, want 1", n)
	}
	r := recv(t, got)
	if r.UserID != alice.ID || r.Emoji.Name != "👍" {
		t.Errorf("reaction %+v", r.MessageReaction)
	}
}

// Not parallel: it counts the process's goroutines.
func TestCleanupLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	t.Run("serve", func(t *testing.T) {
		srv := newFake(t, discordtest.Options{HeartbeatInterval: 50 * time.Millisecond})
		openSession(t, srv, func(s *discordgo.Session) {
			s.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
				s.InteractionRespond(ic.Interaction, &discordgo.InteractionResponse{
					Type: discordgo.InteractionResponseChannelMessageWithSource,
					Data: &discordgo.InteractionResponseData{Content: "ok"},
				})
			})
		})
		if _, err := srv.Interact(ctxFor(t, patience), srv.SlashCommand(guildID, generalID, alice, "help")); err != nil {
			t.Fatal(err)
		}
	})
	deadline := time.Now().Add(patience)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			var ours []string
			for _, g := range strings.Split(string(buf), "\n\n") {
				if strings.Contains(g, "discordtest") || strings.Contains(g, "websocket") || strings.Contains(g, "net/http") {
					ours = append(ours, g)
				}
			}
			t.Fatalf("%d goroutines after cleanup, %d before:\n%s", runtime.NumGoroutine(), before, strings.Join(ours, "\n\n"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
