package bot

import (
	"context"
	"time"

	"github.com/bwmarrin/discordgo"
)

// GatewayReady reports whether the gateway connection is up and working.
// discordgo sets DataReady after every heartbeat it sends on a connection
// and clears it when the connection closes, and it closes one whose
// heartbeats go unanswered, so this also turns false for a connection that
// died quietly.
func (b *Bot) GatewayReady() bool {
	b.session.RLock()
	defer b.session.RUnlock()
	return b.session.DataReady
}

// onConnect counts reconnects: discordgo emits Connect once the gateway has
// sent READY or RESUMED, on the first connection and on every later one.
func (b *Bot) onConnect(_ *discordgo.Session, _ *discordgo.Connect) {
	if b.connects.Add(1) > 1 {
		b.metrics.GatewayReconnected()
		b.log.Info("reconnected to the discord gateway")
	}
}

func (b *Bot) onDisconnect(_ *discordgo.Session, _ *discordgo.Disconnect) {
	if !b.closing.Load() {
		b.log.Warn("disconnected from the discord gateway")
	}
}

// onChannelDelete hears that a channel was deleted; for a couple's channel,
// Mend pauses the couple and tells them.
func (b *Bot) onChannelDelete(s *discordgo.Session, e *discordgo.ChannelDelete) {
	if e.Channel == nil {
		return
	}
	if !b.inflight.begin() {
		return // shutting down: a post that fails there reports it later
	}
	defer b.inflight.done()
	ctx, cancel := context.WithTimeout(b.life, 30*time.Second)
	defer cancel()
	safely(b.log, "channel delete", func() { b.lost.report(ctx, e.ID) }, "channel", e.ID)
}

// logGuilds says at start which servers Mend is in, and warns about a
// configured one it is not in: registering the commands there is refused,
// and an invitation is what is missing. Only IDs: a server's name is chosen
// by people.
func (b *Bot) logGuilds() {
	// GUILD_CREATE events are still being applied to the state meanwhile.
	b.session.State.RLock()
	in := map[string]bool{}
	ids := make([]string, 0, len(b.session.State.Guilds))
	for _, g := range b.session.State.Guilds {
		in[g.ID] = true
		ids = append(ids, g.ID)
	}
	b.session.State.RUnlock()
	b.log.Info("connected to the discord gateway", "user", b.session.State.User.ID, "guilds", ids)
	for _, g := range b.cfg.GuildIDs {
		if !in[g] {
			b.log.Warn("discord.guild_ids names a server the bot is not in; invite it there (mend invite-url)", "guild", g)
		}
	}
}
