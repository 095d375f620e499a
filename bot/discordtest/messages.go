package discordtest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// NonceWindow is how long an enforced nonce returns the first message
// ("the past few minutes" in Discord's documentation).
const NonceWindow = 5 * time.Minute

type storedMessage struct {
	msg       *discordgo.Message
	nonce     string
	ephemeral bool // not listed in its channel
	deleted   bool
}

type nonceEntry struct {
	messageID string
	at        time.Time
}

// Channel returns a copy of a channel, false if unknown or deleted.
func (s *Server) Channel(id string) (*discordgo.Channel, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.channels[id]
	if c == nil {
		return nil, false
	}
	return cloneChannel(c), true
}

// Channels returns copies of a guild's channels, by position; "" gives the
// DM channels.
func (s *Server) Channels(guildID string) []*discordgo.Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.guildChannelsLocked(guildID)
}

// Messages returns copies of a channel's messages, oldest first: the bot's
// posts and the non-ephemeral interaction responses and followups.
// Attachment bytes are available through Attachment.
func (s *Server) Messages(channelID string) []*discordgo.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.channelMessagesLocked(channelID)
}

func (s *Server) channelMessagesLocked(channelID string) []*discordgo.Message {
	ids := s.channelMsgs[channelID]
	out := make([]*discordgo.Message, 0, len(ids))
	for _, id := range ids {
		out = append(out, cloneMessage(s.messages[id].msg))
	}
	return out
}

// Message returns a copy of any message the fake holds by ID, ephemeral ones
// included; false if unknown or deleted.
func (s *Server) Message(id string) (*discordgo.Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messages[id]
	if m == nil || m.deleted {
		return nil, false
	}
	return cloneMessage(m.msg), true
}

// Attachment returns an uploaded file by attachment ID.
func (s *Server) Attachment(id string) (File, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[id]
	return f, ok
}

// WaitMessage waits until a message in the channel (already there or posted
// or edited later) satisfies match, and returns a copy of it.
func (s *Server) WaitMessage(ctx context.Context, channelID string, match func(*discordgo.Message) bool) (*discordgo.Message, error) {
	var found *discordgo.Message
	err := s.wait(ctx, func() bool {
		for _, m := range s.channelMessagesLocked(channelID) {
			if match(m) {
				found = m
				return true
			}
		}
		return false
	})
	if err != nil {
		return nil, fmtErr("wait for message in channel %s: %w", channelID, err)
	}
	return found, nil
}

// ---- channels ----

var channelTypes = map[discordgo.ChannelType]bool{
	discordgo.ChannelTypeGuildText: true, discordgo.ChannelTypeGuildVoice: true,
	discordgo.ChannelTypeGuildCategory: true, discordgo.ChannelTypeGuildNews: true,
	discordgo.ChannelTypeGuildStageVoice: true, discordgo.ChannelTypeGuildForum: true,
	discordgo.ChannelTypeGuildMedia: true,
}

// checkOverwrites applies Discord's rule for overwrites the bot sets: it may
// only allow or deny permissions it has, and only an administrator may put
// ManageRoles in an overwrite.
func checkOverwrites(botPerms int64, ows []*discordgo.PermissionOverwrite) bool {
	if botPerms&discordgo.PermissionAdministrator != 0 {
		return true
	}
	for _, o := range ows {
		bits := o.Allow | o.Deny
		if bits&^botPerms != 0 || bits&discordgo.PermissionManageRoles != 0 {
			return false
		}
	}
	return true
}

func validateOverwrites(ows []*discordgo.PermissionOverwrite, problems map[string]string) {
	for i, o := range ows {
		if o == nil || o.ID == "" {
			problems["permission_overwrites."+strconv.Itoa(i)+".id"] = "This field is required"
			continue
		}
		switch o.Type {
		case discordgo.PermissionOverwriteTypeRole, discordgo.PermissionOverwriteTypeMember:
		default:
			problems["permission_overwrites."+strconv.Itoa(i)+".type"] = "Value must be one of {0, 1}."
		}
	}
}

func (s *Server) handleChannelCreate(w http.ResponseWriter, r *http.Request) {
	var data struct {
		Name                 string                           `json:"name"`
		Type                 discordgo.ChannelType            `json:"type"`
		Topic                string                           `json:"topic"`
		Position             int                              `json:"position"`
		PermissionOverwrites []*discordgo.PermissionOverwrite `json:"permission_overwrites"`
		ParentID             string                           `json:"parent_id"`
		NSFW                 bool                             `json:"nsfw"`
		RateLimitPerUser     int                              `json:"rate_limit_per_user"`
	}
	if err := json.Unmarshal(payloadOf(r).json, &data); err != nil {
		writeFormError(w, map[string]string{"": err.Error()})
		return
	}
	var event string
	var eventData any
	s.mu.Lock()
	defer func() {
		s.mu.Unlock()
		if event != "" {
			s.Dispatch(event, eventData)
		}
	}()
	g := s.guilds[r.PathValue("guild")]
	if g == nil {
		errUnknownGuild(w)
		return
	}
	botPerms := g.guildPermissions(s.bot.ID)
	if botPerms&discordgo.PermissionManageChannels == 0 {
		errMissingPermissions(w)
		return
	}
	problems := map[string]string{}
	if data.Name == "" || tooLong(data.Name, 100) {
		problems["name"] = "Must be between 1 and 100 in length."
	}
	if !channelTypes[data.Type] {
		problems["type"] = "Value is not a valid guild channel type."
	}
	if data.ParentID != "" {
		if p := s.channels[data.ParentID]; p == nil || p.GuildID != g.guild.ID || p.Type != discordgo.ChannelTypeGuildCategory {
			problems["parent_id"] = "Invalid category"
		}
	}
	validateOverwrites(data.PermissionOverwrites, problems)
	if len(problems) > 0 {
		writeFormError(w, problems)
		return
	}
	if !checkOverwrites(botPerms, data.PermissionOverwrites) {
		errMissingPermissions(w)
		return
	}
	c := &discordgo.Channel{
		ID: s.snowflake(), GuildID: g.guild.ID, Name: data.Name, Type: data.Type, Topic: data.Topic,
		Position: data.Position, ParentID: data.ParentID, NSFW: data.NSFW,
		RateLimitPerUser: data.RateLimitPerUser, PermissionOverwrites: data.PermissionOverwrites,
	}
	if c.PermissionOverwrites == nil {
		c.PermissionOverwrites = []*discordgo.PermissionOverwrite{}
	}
	s.channels[c.ID] = c
	s.notifyLocked()
	out := cloneChannel(c)
	event, eventData = "CHANNEL_CREATE", out
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) handleChannelGet(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.channels[r.PathValue("channel")]
	if c == nil {
		errUnknownChannel(w)
		return
	}
	if s.botPermsLocked(c)&discordgo.PermissionViewChannel == 0 {
		errMissingAccess(w)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *Server) handleChannelEdit(w http.ResponseWriter, r *http.Request) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(payloadOf(r).json, &fields); err != nil {
		writeFormError(w, map[string]string{"": err.Error()})
		return
	}
	var event string
	var eventData any
	s.mu.Lock()
	defer func() {
		s.mu.Unlock()
		if event != "" {
			s.Dispatch(event, eventData)
		}
	}()
	c, g := s.managedChannelLocked(w, r)
	if c == nil {
		return
	}
	botPerms := g.guildPermissions(s.bot.ID)
	next := cloneChannel(c)
	problems := map[string]string{}
	for k, v := range fields {
		var err error
		switch k {
		case "name":
			err = json.Unmarshal(v, &next.Name)
			if next.Name == "" || tooLong(next.Name, 100) {
				problems["name"] = "Must be between 1 and 100 in length."
			}
		case "topic":
			err = json.Unmarshal(v, &next.Topic)
		case "nsfw":
			err = json.Unmarshal(v, &next.NSFW)
		case "position":
			err = json.Unmarshal(v, &next.Position)
		case "parent_id":
			next.ParentID = ""
			err = json.Unmarshal(v, &next.ParentID)
		case "rate_limit_per_user":
			err = json.Unmarshal(v, &next.RateLimitPerUser)
		case "permission_overwrites":
			next.PermissionOverwrites = nil
			err = json.Unmarshal(v, &next.PermissionOverwrites)
			if err == nil {
				validateOverwrites(next.PermissionOverwrites, problems)
				if g.channelPermissions(s.bot.ID, c)&discordgo.PermissionManageRoles == 0 ||
					!checkOverwrites(botPerms, next.PermissionOverwrites) {
					errMissingPermissions(w)
					return
				}
			}
		}
		if err != nil {
			problems[k] = err.Error()
		}
	}
	if len(problems) > 0 {
		writeFormError(w, problems)
		return
	}
	if next.PermissionOverwrites == nil {
		next.PermissionOverwrites = []*discordgo.PermissionOverwrite{}
	}
	s.channels[c.ID] = next
	s.notifyLocked()
	out := cloneChannel(next)
	event, eventData = "CHANNEL_UPDATE", out
	writeJSON(w, http.StatusOK, out)
}

// managedChannelLocked finds the guild channel of the request that the bot
// may manage, or answers with Discord's error and returns nil.
func (s *Server) managedChannelLocked(w http.ResponseWriter, r *http.Request) (*discordgo.Channel, *guildState) {
	c := s.channels[r.PathValue("channel")]
	if c == nil {
		errUnknownChannel(w)
		return nil, nil
	}
	if c.GuildID == "" {
		writeError(w, http.StatusForbidden, 50003, "Cannot execute action on a DM channel")
		return nil, nil
	}
	g := s.guilds[c.GuildID]
	perms := g.channelPermissions(s.bot.ID, c)
	if perms&discordgo.PermissionViewChannel == 0 {
		errMissingAccess(w)
		return nil, nil
	}
	if perms&discordgo.PermissionManageChannels == 0 {
		errMissingPermissions(w)
		return nil, nil
	}
	return c, g
}

func (s *Server) handleChannelDelete(w http.ResponseWriter, r *http.Request) {
	var event string
	var eventData any
	s.mu.Lock()
	defer func() {
		s.mu.Unlock()
		if event != "" {
			s.Dispatch(event, eventData)
		}
	}()
	c, _ := s.managedChannelLocked(w, r)
	if c == nil {
		return
	}
	delete(s.channels, c.ID)
	for _, id := range s.channelMsgs[c.ID] {
		s.messages[id].deleted = true
	}
	delete(s.channelMsgs, c.ID)
	s.notifyLocked()
	out := cloneChannel(c)
	event, eventData = "CHANNEL_DELETE", out
	writeJSON(w, http.StatusOK, out)
}

// dmPermissions are what the bot may do in a DM channel.
const dmPermissions int64 = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages |
	discordgo.PermissionReadMessageHistory | discordgo.PermissionEmbedLinks |
	discordgo.PermissionAttachFiles | discordgo.PermissionAddReactions

// botPermsLocked are the bot's permissions in a channel.
func (s *Server) botPermsLocked(c *discordgo.Channel) int64 {
	if c.GuildID == "" {
		return dmPermissions
	}
	return s.guilds[c.GuildID].channelPermissions(s.bot.ID, c)
}

// CloseDMs makes the user refuse direct messages: the bot's posts to a DM
// channel with them get 403 Cannot send messages to this user (50007).
func (s *Server) CloseDMs(userID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closedDMs[userID] = true
}

// handleDMCreate answers POST /users/@me/channels: the DM channel with a
// user who shares a guild with the bot, the same one every time.
func (s *Server) handleDMCreate(w http.ResponseWriter, r *http.Request) {
	var data struct {
		RecipientID string `json:"recipient_id"`
	}
	if err := json.Unmarshal(payloadOf(r).json, &data); err != nil {
		writeFormError(w, map[string]string{"": err.Error()})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	user := s.findUserLocked(data.RecipientID)
	if user == nil {
		writeError(w, http.StatusBadRequest, 50033, "Invalid Recipient(s)")
		return
	}
	for _, c := range s.channels {
		if c.Type == discordgo.ChannelTypeDM && len(c.Recipients) == 1 && c.Recipients[0].ID == user.ID {
			writeJSON(w, http.StatusOK, c)
			return
		}
	}
	u := *user
	c := &discordgo.Channel{
		ID: s.snowflake(), Type: discordgo.ChannelTypeDM, Recipients: []*discordgo.User{&u},
		PermissionOverwrites: []*discordgo.PermissionOverwrite{},
	}
	s.channels[c.ID] = c
	s.notifyLocked()
	writeJSON(w, http.StatusOK, c)
}

// findUserLocked finds a user among the members of the bot's guilds.
func (s *Server) findUserLocked(id string) *discordgo.User {
	for _, gid := range s.guildOrder {
		if m := s.guilds[gid].members[id]; m != nil {
			return m.User
		}
	}
	return nil
}

// ---- channel messages ----

// messageChannel finds a channel and checks the bot may act in it; it
// answers the error itself and returns nil then.
func (s *Server) messageChannel(w http.ResponseWriter, id string, need int64) *discordgo.Channel {
	c := s.channels[id]
	if c == nil {
		errUnknownChannel(w)
		return nil
	}
	perms := s.botPermsLocked(c)
	if perms&discordgo.PermissionViewChannel == 0 {
		errMissingAccess(w)
		return nil
	}
	if perms&need != need {
		errMissingPermissions(w)
		return nil
	}
	return c
}

func (s *Server) handleMessageCreate(w http.ResponseWriter, r *http.Request) {
	req := payloadOf(r)
	p, problems := parsePayload(req.json)
	if problems != nil {
		writeFormError(w, problems)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	need := int64(discordgo.PermissionSendMessages)
	if len(req.files) > 0 {
		need |= discordgo.PermissionAttachFiles
	}
	c := s.messageChannel(w, r.PathValue("channel"), need)
	if c == nil {
		return
	}
	if c.Type == discordgo.ChannelTypeDM && len(c.Recipients) == 1 && s.closedDMs[c.Recipients[0].ID] {
		writeError(w, http.StatusForbidden, 50007, "Cannot send messages to this user")
		return
	}
	problems = map[string]string{}
	validateMessage(p, problems)
	if len(problems) > 0 {
		writeFormError(w, problems)
		return
	}
	if p.Content == "" && len(p.Embeds) == 0 && len(p.Components) == 0 && len(req.files) == 0 &&
		!p.has["sticker_ids"] && !p.has["poll"] {
		writeError(w, http.StatusBadRequest, discordgo.ErrCodeCannotSendEmptyMessage, "Cannot send an empty message")
		return
	}
	if p.Reference != nil && p.Reference.MessageID != "" {
		if ref := s.messages[p.Reference.MessageID]; ref == nil || ref.deleted {
			writeFormError(w, map[string]string{"message_reference": "Unknown message"})
			return
		}
	}
	nonceKey := s.bot.ID + "\x00" + p.Nonce
	if p.EnforceNonce && p.Nonce != "" {
		if e, ok := s.nonces[nonceKey]; ok && req.at.Sub(e.at) < NonceWindow {
			if m := s.messages[e.messageID]; m != nil {
				writeRaw(w, http.StatusOK, marshalMessage(m.msg, m.nonce, ""))
				return
			}
		}
	}
	m := &discordgo.Message{
		ID: s.snowflake(), ChannelID: c.ID, GuildID: c.GuildID, Content: p.Content,
		Timestamp: req.at.UTC(), Author: s.BotUser(), Embeds: p.Embeds, Components: p.Components,
		Flags: p.Flags &^ discordgo.MessageFlagsEphemeral, TTS: p.TTS, Type: discordgo.MessageTypeDefault,
		MessageReference: p.Reference, Mentions: []*discordgo.User{}, MentionRoles: []string{},
		Attachments: s.storeFilesLocked(c.ID, req.files, p.Attachments),
	}
	if m.Embeds == nil {
		m.Embeds = []*discordgo.MessageEmbed{}
	}
	for _, e := range m.Embeds {
		e.Type = discordgo.EmbedTypeRich
	}
	if p.Reference != nil {
		m.Type = discordgo.MessageTypeReply
	}
	sm := &storedMessage{msg: m, nonce: p.Nonce}
	s.messages[m.ID] = sm
	s.channelMsgs[c.ID] = append(s.channelMsgs[c.ID], m.ID)
	c.LastMessageID = m.ID
	if e, ok := s.nonces[nonceKey]; p.Nonce != "" && (!ok || req.at.Sub(e.at) >= NonceWindow) {
		s.nonces[nonceKey] = nonceEntry{messageID: m.ID, at: req.at}
	}
	s.notifyLocked()
	writeRaw(w, http.StatusOK, marshalMessage(m, sm.nonce, ""))
}

// storeFilesLocked keeps uploaded files and returns their attachments.
// partial holds the payload's attachments, whose numeric IDs name files[n].
func (s *Server) storeFilesLocked(channelID string, files []File, partial []partialAttachment) []*discordgo.MessageAttachment {
	out := []*discordgo.MessageAttachment{}
	for i, f := range files {
		f.ID = s.snowflake()
		name := f.Name
		for _, pa := range partial {
			if pa.ID == strconv.Itoa(i) && pa.Filename != "" {
				name = pa.Filename
			}
		}
		f.Name = name
		s.files[f.ID] = f
		u := s.http.URL + "/attachments/" + channelID + "/" + f.ID + "/" + url.PathEscape(name)
		out = append(out, &discordgo.MessageAttachment{
			ID: f.ID, Filename: name, ContentType: f.ContentType, Size: len(f.Data), URL: u, ProxyURL: u,
		})
	}
	return out
}

// editMessageLocked applies an edit body to a message: only the fields the
// body names change; files are appended; attachments, when given, say which
// existing attachments to keep.
func (s *Server) editMessageLocked(m *discordgo.Message, p *payload, files []File, at time.Time) map[string]string {
	problems := map[string]string{}
	next := *p
	if !p.has["content"] {
		next.Content = m.Content
	}
	if !p.has["embeds"] {
		next.Embeds = m.Embeds
	}
	if !p.has["components"] {
		next.Components = m.Components
	}
	validateMessage(&next, problems)
	if len(problems) > 0 {
		return problems
	}
	m.Content, m.Embeds, m.Components = next.Content, next.Embeds, next.Components
	if m.Embeds == nil {
		m.Embeds = []*discordgo.MessageEmbed{}
	}
	for _, e := range m.Embeds {
		e.Type = discordgo.EmbedTypeRich
	}
	if p.has["flags"] {
		// Only SUPPRESS_EMBEDS may change; ephemeral and loading stay.
		keep := m.Flags &^ discordgo.MessageFlagsSuppressEmbeds
		m.Flags = keep | p.Flags&discordgo.MessageFlagsSuppressEmbeds
	}
	if p.has["attachments"] {
		keep := map[string]bool{}
		for _, a := range p.Attachments {
			keep[a.ID] = true
		}
		kept := []*discordgo.MessageAttachment{}
		for _, a := range m.Attachments {
			if keep[a.ID] {
				kept = append(kept, a)
			}
		}
		m.Attachments = kept
	}
	if len(files) > 0 {
		m.Attachments = append(m.Attachments, s.storeFilesLocked(m.ChannelID, files, p.Attachments)...)
	}
	t := at.UTC()
	m.EditedTimestamp = &t
	return nil
}

func (s *Server) handleMessageGet(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.messageChannel(w, r.PathValue("channel"), discordgo.PermissionReadMessageHistory)
	if c == nil {
		return
	}
	m := s.channelMessageLocked(c.ID, r.PathValue("message"))
	if m == nil {
		errUnknownMessage(w)
		return
	}
	writeRaw(w, http.StatusOK, marshalMessage(m.msg, m.nonce, ""))
}

func (s *Server) channelMessageLocked(channelID, id string) *storedMessage {
	m := s.messages[id]
	if m == nil || m.deleted || m.ephemeral || m.msg.ChannelID != channelID {
		return nil
	}
	return m
}

func (s *Server) handleMessageList(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.messageChannel(w, r.PathValue("channel"), 0)
	if c == nil {
		return
	}
	q := r.URL.Query()
	limit := 50
	if v, err := strconv.Atoi(q.Get("limit")); err == nil && v >= 1 && v <= 100 {
		limit = v
	}
	before, after := q.Get("before"), q.Get("after")
	var out []json.RawMessage
	ids := s.channelMsgs[c.ID]
	if s.botPermsLocked(c)&discordgo.PermissionReadMessageHistory == 0 {
		ids = nil
	}
	// Newest first, as Discord answers.
	for i := len(ids) - 1; i >= 0 && len(out) < limit; i-- {
		id := ids[i]
		if before != "" && !snowflakeLess(id, before) {
			continue
		}
		if after != "" && !snowflakeLess(after, id) {
			continue
		}
		m := s.messages[id]
		out = append(out, marshalMessage(m.msg, m.nonce, ""))
	}
	if out == nil {
		out = []json.RawMessage{}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleMessageEdit(w http.ResponseWriter, r *http.Request) {
	req := payloadOf(r)
	p, problems := parsePayload(req.json)
	if problems != nil {
		writeFormError(w, problems)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.messageChannel(w, r.PathValue("channel"), 0)
	if c == nil {
		return
	}
	m := s.channelMessageLocked(c.ID, r.PathValue("message"))
	if m == nil {
		errUnknownMessage(w)
		return
	}
	if m.msg.Author == nil || m.msg.Author.ID != s.bot.ID {
		writeError(w, http.StatusForbidden, 50005, "Cannot edit a message authored by another user")
		return
	}
	if problems := s.editMessageLocked(m.msg, p, req.files, req.at); problems != nil {
		writeFormError(w, problems)
		return
	}
	s.notifyLocked()
	writeRaw(w, http.StatusOK, marshalMessage(m.msg, m.nonce, ""))
}

func (s *Server) handleMessageDelete(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.messageChannel(w, r.PathValue("channel"), 0)
	if c == nil {
		return
	}
	m := s.channelMessageLocked(c.ID, r.PathValue("message"))
	if m == nil {
		errUnknownMessage(w)
		return
	}
	if m.msg.Author == nil || m.msg.Author.ID != s.bot.ID {
		if s.botPermsLocked(c)&discordgo.PermissionManageMessages == 0 {
			errMissingPermissions(w)
			return
		}
	}
	s.deleteMessageLocked(m)
	writeNoContent(w)
}

func (s *Server) deleteMessageLocked(m *storedMessage) {
	m.deleted = true
	ids := s.channelMsgs[m.msg.ChannelID]
	for i, id := range ids {
		if id == m.msg.ID {
			s.channelMsgs[m.msg.ChannelID] = append(ids[:i:i], ids[i+1:]...)
			break
		}
	}
	s.notifyLocked()
}

// serveAttachment serves an uploaded file at the URL its attachment names.
func (s *Server) serveAttachment(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/attachments/"), "/")
	if len(parts) < 2 {
		http.NotFound(w, r)
		return
	}
	f, ok := s.Attachment(parts[1])
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.ContentType)
	w.Write(f.Data)
}
