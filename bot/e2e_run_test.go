package bot

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"mend/bot/discordtest"
	"mend/conversations"
	"mend/storage"
)

func TestCommandsAreRegisteredInTheConfiguredGuildsElseGlobally(t *testing.T) {
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
	h := newHarness(t)
	inv := h.slash(alice, generalChan, "couple", sub("invite", userOpt("partner", bob)))
	accept := h.idWith(inv.Data.Components, actAccept)

	// Creating the channel is slow this time: the accept is still running
	// when the process is told to stop.
	entered := make(chan struct{})
	var once sync.Once
	h.srv.Hook(func(r *http.Request, body []byte) (int, any, bool) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/guilds/"+testGuild+"/channels") {
			once.Do(func() { close(entered) })
			time.Sleep(2 * time.Second)
		}
		return 0, nil, false
	})
	done := make(chan error, 1)
	go func() {
		_, err := h.srv.Interact(h.ctx, h.srv.Component(testGuild, generalChan, bob, "", accept))
		done <- err
	}()
	<-entered
	h.shutdown() // returns once Run has returned and the database is closed
	if err := <-done; err != nil {
		t.Fatalf("the accept in flight was not answered: %v", err)
	}
	db, err := storage.Open(h.ctx, h.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := conversations.NewService(db, h.clock, h.svc.Templates())
	c, err := svc.CoupleOf(h.ctx, testGuild, bob.ID)
	if err != nil || c.Status != conversations.CoupleActive || c.ChannelID == "" {
		t.Errorf("after shutdown the couple is %+v (%v), want active with its channel", c, err)
	}
}
