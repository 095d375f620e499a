package discordtest

import (
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"
)

// addGuild copies g into the fake's state, adding the @everyone role, the
// bot's managed role and the bot's member.
func (s *Server) addGuild(g Guild) error {
	if g.ID == "" {
		return fmtErr("guild without ID")
	}
	if _, dup := s.guilds[g.ID]; dup {
		return fmtErr("guild %s given twice", g.ID)
	}
	perms := g.BotPermissions
	if perms == 0 {
		perms = DefaultBotPermissions
	}
	gs := &guildState{
		guild: &discordgo.Guild{
			ID: g.ID, Name: g.Name, OwnerID: g.OwnerID,
			JoinedAt: time.Now().UTC().Truncate(time.Second), PreferredLocale: "en-US",
		},
		botPerms:  perms,
		botRoleID: s.snowflake(),
		members:   map[string]*discordgo.Member{},
	}
	haveEveryone := false
	for _, r := range g.Roles {
		rc := *r
		if rc.ID == g.ID {
			haveEveryone = true
		}
		gs.guild.Roles = append(gs.guild.Roles, &rc)
	}
	if !haveEveryone {
		// Narrowed to the bot's permissions so that @everyone | bot role, which
		// is what discordgo's State computes, equals BotPermissions.
		gs.guild.Roles = append([]*discordgo.Role{{
			ID: g.ID, Name: "@everyone", Permissions: DefaultEveryonePermissions & perms,
		}}, gs.guild.Roles...)
	}
	gs.guild.Roles = append(gs.guild.Roles, &discordgo.Role{
		ID: gs.botRoleID, Name: s.opts.BotName, Managed: true, Position: 1, Permissions: perms,
	})
	for _, m := range g.Members {
		if m == nil || m.User == nil || m.User.ID == "" {
			return fmtErr("guild %s: member without user", g.ID)
		}
		mc := *m
		u := *m.User
		mc.User = &u
		mc.GuildID = g.ID
		if mc.JoinedAt.IsZero() {
			mc.JoinedAt = gs.guild.JoinedAt
		}
		if mc.Roles == nil {
			mc.Roles = []string{}
		}
		gs.members[u.ID] = &mc
		gs.memberList = append(gs.memberList, u.ID)
	}
	if _, ok := gs.members[s.bot.ID]; !ok {
		u := *s.bot
		gs.members[u.ID] = &discordgo.Member{
			GuildID: g.ID, User: &u, Roles: []string{gs.botRoleID}, JoinedAt: gs.guild.JoinedAt,
		}
		gs.memberList = append(gs.memberList, u.ID)
	}
	if gs.guild.OwnerID == "" && len(g.Members) > 0 {
		gs.guild.OwnerID = g.Members[0].User.ID
	}
	s.guilds[g.ID] = gs
	s.guildOrder = append(s.guildOrder, g.ID)
	for _, c := range g.Channels {
		cc := cloneChannel(c)
		cc.GuildID = g.ID
		if cc.ID == "" {
			cc.ID = s.snowflake()
		}
		if cc.PermissionOverwrites == nil {
			cc.PermissionOverwrites = []*discordgo.PermissionOverwrite{}
		}
		s.channels[cc.ID] = cc
	}
	return nil
}

// guildPermissions computes a member's guild-level permissions the way
// Discord does: owner and Administrator get everything, else @everyone's
// permissions OR those of the member's roles.
func (g *guildState) guildPermissions(userID string) int64 {
	if userID == g.guild.OwnerID {
		return discordgo.PermissionAll
	}
	m := g.members[userID]
	var perms int64
	for _, r := range g.guild.Roles {
		if r.ID == g.guild.ID {
			perms |= r.Permissions
		}
	}
	if m != nil {
		for _, rid := range m.Roles {
			for _, r := range g.guild.Roles {
				if r.ID == rid {
					perms |= r.Permissions
				}
			}
		}
	}
	if perms&discordgo.PermissionAdministrator != 0 {
		return discordgo.PermissionAll
	}
	return perms
}

// channelPermissions applies a channel's overwrites to a member's guild
// permissions: @everyone's, then the member's roles', then the member's own.
func (g *guildState) channelPermissions(userID string, c *discordgo.Channel) int64 {
	base := g.guildPermissions(userID)
	if base&discordgo.PermissionAdministrator != 0 || c == nil {
		return base
	}
	roles := map[string]bool{}
	if m := g.members[userID]; m != nil {
		for _, r := range m.Roles {
			roles[r] = true
		}
	}
	var roleAllow, roleDeny int64
	var everyone, member *discordgo.PermissionOverwrite
	for _, o := range c.PermissionOverwrites {
		switch {
		case o.Type == discordgo.PermissionOverwriteTypeRole && o.ID == g.guild.ID:
			everyone = o
		case o.Type == discordgo.PermissionOverwriteTypeRole && roles[o.ID]:
			roleAllow |= o.Allow
			roleDeny |= o.Deny
		case o.Type == discordgo.PermissionOverwriteTypeMember && o.ID == userID:
			member = o
		}
	}
	if everyone != nil {
		base = base&^everyone.Deny | everyone.Allow
	}
	base = base&^roleDeny | roleAllow
	if member != nil {
		base = base&^member.Deny | member.Allow
	}
	return base
}

// interactionMember is the member object Discord puts in an interaction:
// the guild member (or a bare one for unknown users) with its channel
// permissions.
func (s *Server) interactionMember(g *guildState, c *discordgo.Channel, user *discordgo.User) *discordgo.Member {
	var m discordgo.Member
	if gm := g.members[user.ID]; gm != nil {
		m = *gm
		u := *gm.User
		m.User = &u
	} else {
		u := *user
		m = discordgo.Member{User: &u, Roles: []string{}, JoinedAt: g.guild.JoinedAt}
	}
	m.GuildID = ""
	m.Permissions = g.channelPermissions(user.ID, c)
	return &m
}

func (s *Server) guildJSON(g *guildState, full bool) *discordgo.Guild {
	out := *g.guild
	out.Roles = make([]*discordgo.Role, len(g.guild.Roles))
	for i, r := range g.guild.Roles {
		rc := *r
		out.Roles[i] = &rc
	}
	out.Emojis = []*discordgo.Emoji{}
	out.Features = []discordgo.GuildFeature{}
	if full {
		out.Channels = s.guildChannelsLocked(g.guild.ID)
		for _, c := range out.Channels {
			c.GuildID = ""
		}
		for _, id := range g.memberList {
			m := *g.members[id]
			u := *m.User
			m.User = &u
			m.GuildID = ""
			out.Members = append(out.Members, &m)
		}
		out.MemberCount = len(g.memberList)
		out.Threads = []*discordgo.Channel{}
		out.VoiceStates = []*discordgo.VoiceState{}
		out.Presences = []*discordgo.Presence{}
	}
	return &out
}

func (s *Server) guildChannelsLocked(guildID string) []*discordgo.Channel {
	var out []*discordgo.Channel
	for _, c := range s.channels {
		if c.GuildID == guildID {
			out = append(out, cloneChannel(c))
		}
	}
	sortChannels(out)
	return out
}

func (s *Server) handleGuild(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.guilds[r.PathValue("guild")]
	if g == nil {
		errUnknownGuild(w)
		return
	}
	writeJSON(w, http.StatusOK, s.guildJSON(g, false))
}

func (s *Server) handleGuildChannels(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("guild")
	if s.guilds[id] == nil {
		errUnknownGuild(w)
		return
	}
	out := s.guildChannelsLocked(id)
	if out == nil {
		out = []*discordgo.Channel{}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleMember(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.guilds[r.PathValue("guild")]
	if g == nil {
		errUnknownGuild(w)
		return
	}
	m := g.members[r.PathValue("user")]
	if m == nil {
		writeError(w, http.StatusNotFound, discordgo.ErrCodeUnknownMember, "Unknown Member")
		return
	}
	out := *m
	out.GuildID = ""
	writeJSON(w, http.StatusOK, &out)
}

func (s *Server) handleRoles(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.guilds[r.PathValue("guild")]
	if g == nil {
		errUnknownGuild(w)
		return
	}
	writeJSON(w, http.StatusOK, g.guild.Roles)
}
