package discordtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Response is the bot's answer to an interaction, as Interact returns it.
type Response struct {
	*discordgo.InteractionResponse
	Files   []File        // files uploaded with the callback
	Latency time.Duration // from dispatch to the callback's arrival
}

// CallbackError is returned by Interact when the bot's callback was refused,
// with the Discord error the bot received.
type CallbackError struct {
	Status  int
	Code    int
	Message string
}

func (e *CallbackError) Error() string {
	return fmt.Sprintf("discordtest: interaction callback refused: HTTP %d, code %d: %s", e.Status, e.Code, e.Message)
}

// ErrNoSession is returned by Interact when no gateway session is ready.
var ErrNoSession = errors.New("discordtest: no identified gateway session to dispatch to")

// ErrNoCallback is returned (wrapped) by Interact when the bot did not answer
// within the interaction deadline.
var ErrNoCallback = errors.New("discordtest: no interaction callback within the deadline")

// emptyMessage marks, among a callback's problems, Discord's separate
// "Cannot send an empty message" error.
const emptyMessage = "\x00empty"

type callbackResult struct {
	resp *Response
	err  error
}

type interactionState struct {
	i          *discordgo.Interaction // snapshot of what was dispatched
	token      string
	registered time.Time
	dispatched time.Time
	acked      bool
	invalid    bool // deadline passed without callback
	expired    bool // ExpireToken
	deferred   bool // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE, original still loading
	originalID string
	followups  []string
	done       chan callbackResult
}

func (st *interactionState) messageID() string {
	if st.i.Message != nil {
		return st.i.Message.ID
	}
	return ""
}

// newInteraction fills what every guild interaction carries.
func (s *Server) newInteraction(typ discordgo.InteractionType, guildID, channelID string, user *discordgo.User) *discordgo.Interaction {
	s.tb.Helper()
	if user == nil || user.ID == "" {
		s.tb.Fatalf("discordtest: interaction without a user")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.guilds[guildID]
	if g == nil {
		s.tb.Fatalf("discordtest: interaction in unknown guild %q", guildID)
	}
	c := s.channels[channelID]
	locale := discordgo.EnglishUS
	return &discordgo.Interaction{
		ID:                           s.snowflake(),
		AppID:                        s.opts.AppID,
		Type:                         typ,
		GuildID:                      guildID,
		ChannelID:                    channelID,
		Member:                       s.interactionMember(g, c, user),
		AppPermissions:               g.channelPermissions(s.bot.ID, c),
		Locale:                       discordgo.EnglishUS,
		GuildLocale:                  &locale,
		Context:                      discordgo.InteractionContextGuild,
		AuthorizingIntegrationOwners: map[discordgo.ApplicationIntegrationType]string{discordgo.ApplicationIntegrationGuildInstall: guildID},
		Token:                        randomToken(),
		Version:                      1,
		Entitlements:                 []*discordgo.Entitlement{},
	}
}

// register records an interaction so that its callback and webhooks work.
func (s *Server) register(i *discordgo.Interaction) *interactionState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.registerLocked(i)
}

func (s *Server) registerLocked(i *discordgo.Interaction) *interactionState {
	if st := s.interactions[i.ID]; st != nil && st.token == i.Token {
		return st
	}
	st := &interactionState{i: i, token: i.Token, registered: time.Now(), done: make(chan callbackResult, 4)}
	s.interactions[i.ID] = st
	s.tokens[i.Token] = st
	return st
}

// SlashCommand builds a chat input command interaction (type 2) by user in a
// guild channel. A subcommand is an option of type SubCommand whose Options
// are its own. User, channel and role options hold IDs as strings; Discord's
// resolved data is filled for those the guild knows.
func (s *Server) SlashCommand(guildID, channelID string, user *discordgo.User, name string, options ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
	s.tb.Helper()
	i := s.newInteraction(discordgo.InteractionApplicationCommand, guildID, channelID, user)
	i.Data = s.commandData(guildID, name, options)
	s.register(i)
	return i
}

// Autocomplete builds an autocomplete interaction (type 4) for a command
// being typed. The option with Focused set is the one being typed; if none
// is, the last leaf option is marked focused.
func (s *Server) Autocomplete(guildID, channelID string, user *discordgo.User, name string, options ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.Interaction {
	s.tb.Helper()
	i := s.newInteraction(discordgo.InteractionApplicationCommandAutocomplete, guildID, channelID, user)
	if !anyFocused(options) {
		markLastFocused(options)
	}
	i.Data = s.commandData(guildID, name, options)
	s.register(i)
	return i
}

// Component builds a message component interaction (type 3): a button press
// when no values are given, a string select choice otherwise. messageID is
// the message holding the component; the interaction carries that message
// as the fake holds it (ephemeral ones included), else a stub.
func (s *Server) Component(guildID, channelID string, user *discordgo.User, messageID, customID string, values ...string) *discordgo.Interaction {
	s.tb.Helper()
	i := s.newInteraction(discordgo.InteractionMessageComponent, guildID, channelID, user)
	data := discordgo.MessageComponentInteractionData{CustomID: customID, ComponentType: discordgo.ButtonComponent}
	if len(values) > 0 {
		data.ComponentType = discordgo.SelectMenuComponent
		data.Values = values
	}
	i.Data = data
	i.Message = s.messageOrStub(messageID, channelID, guildID)
	s.register(i)
	return i
}

// ModalSubmit builds a modal submit interaction (type 5) with one text input
// per field, in an action row each, ordered by custom ID. For a modal opened
// from a component, set i.Message (e.g. from Server.Message) before Interact,
// as Discord sends it then.
func (s *Server) ModalSubmit(guildID, channelID string, user *discordgo.User, customID string, fields map[string]string) *discordgo.Interaction {
	s.tb.Helper()
	i := s.newInteraction(discordgo.InteractionModalSubmit, guildID, channelID, user)
	ids := make([]string, 0, len(fields))
	for id := range fields {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	rows := make([]discordgo.MessageComponent, 0, len(ids))
	for _, id := range ids {
		rows = append(rows, &discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			&discordgo.TextInput{CustomID: id, Value: fields[id], Style: discordgo.TextInputShort},
		}})
	}
	i.Data = discordgo.ModalSubmitInteractionData{CustomID: customID, Components: rows}
	s.register(i)
	return i
}

func (s *Server) messageOrStub(messageID, channelID, guildID string) *discordgo.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.messages[messageID]; m != nil && !m.deleted {
		return cloneMessage(m.msg)
	}
	return &discordgo.Message{ID: messageID, ChannelID: channelID, GuildID: guildID}
}

func (s *Server) commandData(guildID, name string, options []*discordgo.ApplicationCommandInteractionDataOption) discordgo.ApplicationCommandInteractionData {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := ""
	for _, scope := range []string{guildID, ""} {
		for _, c := range s.commands[scope] {
			if c.Name == name && (c.Type == 0 || c.Type == discordgo.ChatApplicationCommand) {
				id = c.ID
			}
		}
		if id != "" {
			break
		}
	}
	if id == "" {
		id = s.snowflake()
	}
	data := discordgo.ApplicationCommandInteractionData{
		ID: id, Name: name, CommandType: discordgo.ChatApplicationCommand, Options: options,
	}
	res := &discordgo.ApplicationCommandInteractionDataResolved{}
	found := false
	g := s.guilds[guildID]
	var walk func([]*discordgo.ApplicationCommandInteractionDataOption)
	walk = func(opts []*discordgo.ApplicationCommandInteractionDataOption) {
		for _, o := range opts {
			if o == nil {
				continue
			}
			walk(o.Options)
			v, ok := o.Value.(string)
			if !ok {
				continue
			}
			switch o.Type {
			case discordgo.ApplicationCommandOptionUser, discordgo.ApplicationCommandOptionMentionable:
				if m := g.members[v]; m != nil {
					if res.Users == nil {
						res.Users, res.Members = map[string]*discordgo.User{}, map[string]*discordgo.Member{}
					}
					u := *m.User
					res.Users[v] = &u
					pm := *m
					pm.User, pm.GuildID = nil, ""
					pm.Permissions = g.guildPermissions(v)
					res.Members[v] = &pm
					found = true
				}
			case discordgo.ApplicationCommandOptionChannel:
				if c := s.channels[v]; c != nil && c.GuildID == guildID {
					if res.Channels == nil {
						res.Channels = map[string]*discordgo.Channel{}
					}
					res.Channels[v] = &discordgo.Channel{ID: c.ID, Name: c.Name, Type: c.Type, ParentID: c.ParentID}
					found = true
				}
			case discordgo.ApplicationCommandOptionRole:
				for _, r := range g.guild.Roles {
					if r.ID == v {
						if res.Roles == nil {
							res.Roles = map[string]*discordgo.Role{}
						}
						rc := *r
						res.Roles[v] = &rc
						found = true
					}
				}
			}
		}
	}
	walk(options)
	if found {
		data.Resolved = res
	}
	return data
}

func anyFocused(opts []*discordgo.ApplicationCommandInteractionDataOption) bool {
	for _, o := range opts {
		if o != nil && (o.Focused || anyFocused(o.Options)) {
			return true
		}
	}
	return false
}

func markLastFocused(opts []*discordgo.ApplicationCommandInteractionDataOption) {
	if len(opts) == 0 {
		return
	}
	last := opts[len(opts)-1]
	if last == nil {
		return
	}
	if last.Type == discordgo.ApplicationCommandOptionSubCommand || last.Type == discordgo.ApplicationCommandOptionSubCommandGroup {
		markLastFocused(last.Options)
		return
	}
	last.Focused = true
}

// Interact dispatches INTERACTION_CREATE to every identified session and
// waits for the bot's callback, returning it with the time it took. A
// refused callback (second acknowledgement, after the deadline, expired
// token, invalid body) returns a *CallbackError; no session, ErrNoSession;
// no callback by shortly after the interaction deadline, ErrNoCallback
// (wrapped); the end of ctx, its error (wrapped).
func (s *Server) Interact(ctx context.Context, i *discordgo.Interaction) (*Response, error) {
	raw, err := marshalInteraction(i)
	if err != nil {
		return nil, fmtErr("encode interaction: %w", err)
	}
	// Snapshot what is dispatched, so later changes by the test do not leak in.
	var snap discordgo.Interaction
	if err := json.Unmarshal(raw, &snap); err != nil {
		return nil, fmtErr("decode interaction: %w", err)
	}
	s.mu.Lock()
	st := s.registerLocked(i)
	st.i = &snap
	st.dispatched = time.Now()
	// Drain results of earlier dispatches of the same interaction.
	for len(st.done) > 0 {
		<-st.done
	}
	s.mu.Unlock()
	if s.dispatchRaw("INTERACTION_CREATE", raw) == 0 {
		return nil, ErrNoSession
	}
	// Discord gives up on a callback after the deadline; so does Interact,
	// a little later, so that a callback on the edge is judged by the handler.
	var late <-chan time.Time
	if s.deadline > 0 {
		t := time.NewTimer(s.deadline + 100*time.Millisecond)
		defer t.Stop()
		late = t.C
	}
	select {
	case res := <-st.done:
		return res.resp, res.err
	case <-late:
		select {
		case res := <-st.done:
			return res.resp, res.err
		default:
			return nil, fmt.Errorf("interaction %s (%v): %w", i.ID, s.deadline, ErrNoCallback)
		}
	case <-ctx.Done():
		return nil, fmtErr("wait for the callback of interaction %s: %w", i.ID, ctx.Err())
	}
}

func (s *Server) markDispatched(id string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.interactions[id]; st != nil {
		st.dispatched = at
	}
}

// deadlinePassedLocked reports whether an unacknowledged interaction's token
// died for want of a callback in time, marking it.
func (s *Server) deadlinePassedLocked(st *interactionState, now time.Time) bool {
	if st.invalid {
		return true
	}
	if st.acked || s.deadline < 0 {
		return false
	}
	start := st.dispatched
	if start.IsZero() {
		start = st.registered
	}
	if now.Sub(start) > s.deadline {
		st.invalid = true
	}
	return st.invalid
}

func (st *interactionState) report(res callbackResult) {
	select {
	case st.done <- res:
	default:
	}
}

func (s *Server) handleCallback(w http.ResponseWriter, r *http.Request) {
	req := payloadOf(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.interactions[r.PathValue("id")]
	if st == nil || st.token != r.PathValue("token") {
		writeError(w, http.StatusNotFound, discordgo.ErrCodeUnknownInteraction, "Unknown interaction")
		return
	}
	refuse := func(status, code int, msg string) {
		writeError(w, status, code, msg)
		st.report(callbackResult{err: &CallbackError{Status: status, Code: code, Message: msg}})
	}
	if st.expired || s.deadlinePassedLocked(st, req.at) {
		refuse(http.StatusNotFound, discordgo.ErrCodeUnknownInteraction, "Unknown interaction")
		return
	}
	if st.acked {
		refuse(http.StatusBadRequest, discordgo.ErrCodeInteractionHasAlreadyBeenAcknowledged, "Interaction has already been acknowledged.")
		return
	}
	resp, p, problems := decodeCallback(req.json)
	if problems == nil {
		problems = s.applyCallbackLocked(st, resp, p, req)
	}
	if _, empty := problems[emptyMessage]; empty {
		refuse(http.StatusBadRequest, discordgo.ErrCodeCannotSendEmptyMessage, "Cannot send an empty message")
		return
	}
	if len(problems) > 0 {
		writeFormError(w, problems)
		st.report(callbackResult{err: &CallbackError{
			Status: http.StatusBadRequest, Code: discordgo.ErrCodeInvalidFormBody,
			Message: fmt.Sprintf("Invalid Form Body: %v", problems),
		}})
		return
	}
	st.acked = true
	s.notifyLocked()
	files := make([]File, len(req.files))
	copy(files, req.files)
	var latency time.Duration
	if !st.dispatched.IsZero() {
		latency = req.at.Sub(st.dispatched)
	}
	st.report(callbackResult{resp: &Response{InteractionResponse: resp, Files: files, Latency: latency}})
	writeNoContent(w)
}

// applyCallbackLocked carries out a callback: creates or updates the
// original response message.
func (s *Server) applyCallbackLocked(st *interactionState, resp *discordgo.InteractionResponse, p *payload, req *parsedRequest) map[string]string {
	problems := map[string]string{}
	it := st.i.Type
	isComponent := it == discordgo.InteractionMessageComponent || (it == discordgo.InteractionModalSubmit && st.messageID() != "")
	switch resp.Type {
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseDeferredChannelMessageWithSource:
		if it == discordgo.InteractionApplicationCommandAutocomplete {
			problems["type"] = "Interaction response type is not valid for this interaction"
			return problems
		}
		deferred := resp.Type == discordgo.InteractionResponseDeferredChannelMessageWithSource
		if !deferred {
			validateMessage(p, problems)
			if len(problems) > 0 {
				return prefixProblems("data", problems)
			}
			if p.Content == "" && len(p.Embeds) == 0 && len(p.Components) == 0 && len(req.files) == 0 && !p.has["poll"] {
				problems[emptyMessage] = ""
				return problems
			}
		}
		m := s.newResponseMessageLocked(st, p, req, deferred)
		st.originalID = m.ID
		st.deferred = deferred
	case discordgo.InteractionResponseDeferredMessageUpdate, discordgo.InteractionResponseUpdateMessage:
		if !isComponent {
			problems["type"] = "Interaction response type is only valid for component interactions"
			return problems
		}
		sm := s.componentMessageLocked(st)
		if resp.Type == discordgo.InteractionResponseUpdateMessage {
			if edit := s.editMessageLocked(sm.msg, p, req.files, req.at); edit != nil {
				return prefixProblems("data", edit)
			}
		}
		st.originalID = sm.msg.ID
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		if it != discordgo.InteractionApplicationCommandAutocomplete {
			problems["type"] = "Interaction response type is only valid for autocomplete interactions"
			return problems
		}
		validateChoices(p.Choices, problems)
	case discordgo.InteractionResponseModal:
		if it == discordgo.InteractionModalSubmit || it == discordgo.InteractionApplicationCommandAutocomplete {
			problems["type"] = "A modal cannot answer this interaction"
			return problems
		}
		validateModal(p, problems)
	default:
		problems["type"] = fmt.Sprintf("Interaction response type %d is not valid here", resp.Type)
	}
	return problems
}

// newResponseMessageLocked creates the message of a type 4 or 5 callback.
func (s *Server) newResponseMessageLocked(st *interactionState, p *payload, req *parsedRequest, loading bool) *discordgo.Message {
	i := st.i
	flags := p.Flags & (discordgo.MessageFlagsEphemeral | discordgo.MessageFlagsSuppressEmbeds |
		discordgo.MessageFlagsSuppressNotifications | discordgo.MessageFlagsIsComponentsV2)
	m := &discordgo.Message{
		ID: s.snowflake(), ChannelID: i.ChannelID, GuildID: i.GuildID, Timestamp: req.at.UTC(),
		Author: s.BotUser(), WebhookID: s.opts.AppID, Flags: flags,
		Mentions: []*discordgo.User{}, MentionRoles: []string{}, Embeds: []*discordgo.MessageEmbed{},
		Attachments: []*discordgo.MessageAttachment{},
		Type:        discordgo.MessageTypeDefault,
	}
	if i.Type == discordgo.InteractionApplicationCommand {
		m.Type = discordgo.MessageTypeChatInputCommand
	}
	var invoker *discordgo.User
	if i.Member != nil {
		invoker = i.Member.User
	}
	m.InteractionMetadata = &discordgo.MessageInteractionMetadata{
		ID: i.ID, Type: i.Type, User: invoker,
		AuthorizingIntegrationOwners: i.AuthorizingIntegrationOwners,
	}
	if loading {
		m.Flags = flags&discordgo.MessageFlagsEphemeral | discordgo.MessageFlagsLoading
	} else {
		m.Content, m.Components, m.TTS = p.Content, p.Components, p.TTS
		if p.Embeds != nil {
			m.Embeds = p.Embeds
		}
		for _, e := range m.Embeds {
			e.Type = discordgo.EmbedTypeRich
		}
		m.Attachments = s.storeFilesLocked(i.ChannelID, req.files, p.Attachments)
	}
	s.storeResponseMessageLocked(m)
	return m
}

func (s *Server) storeResponseMessageLocked(m *discordgo.Message) *storedMessage {
	sm := &storedMessage{msg: m, ephemeral: m.Flags&discordgo.MessageFlagsEphemeral != 0}
	s.messages[m.ID] = sm
	if !sm.ephemeral {
		s.channelMsgs[m.ChannelID] = append(s.channelMsgs[m.ChannelID], m.ID)
		if c := s.channels[m.ChannelID]; c != nil {
			c.LastMessageID = m.ID
		}
	}
	return sm
}

// componentMessageLocked is the message a component interaction came from,
// stored as a stub if the fake never saw it.
func (s *Server) componentMessageLocked(st *interactionState) *storedMessage {
	id := st.messageID()
	if sm := s.messages[id]; sm != nil && !sm.deleted {
		return sm
	}
	m := cloneMessage(st.i.Message)
	if m.Author == nil {
		m.Author = s.BotUser()
	}
	sm := &storedMessage{msg: m, ephemeral: m.Flags&discordgo.MessageFlagsEphemeral != 0}
	s.messages[id] = sm
	return sm
}

// ---- interaction webhooks ----

// webhookInteraction resolves /webhooks/{app}/{token}; it answers the error
// itself and returns nil then.
func (s *Server) webhookInteraction(w http.ResponseWriter, r *http.Request) *interactionState {
	st := s.tokens[r.PathValue("token")]
	if r.PathValue("app") != s.opts.AppID || st == nil {
		writeError(w, http.StatusNotFound, discordgo.ErrCodeUnknownWebhook, "Unknown Webhook")
		return nil
	}
	if st.expired || s.deadlinePassedLocked(st, payloadOf(r).at) {
		writeError(w, http.StatusUnauthorized, discordgo.ErrCodeInvalidWebhookTokenProvided, "Invalid Webhook Token")
		return nil
	}
	if !st.acked {
		writeError(w, http.StatusNotFound, discordgo.ErrCodeUnknownWebhook, "Unknown Webhook")
		return nil
	}
	return st
}

// webhookMessage resolves {message} ("@original" or a followup ID).
func (s *Server) webhookMessage(w http.ResponseWriter, r *http.Request, st *interactionState) *storedMessage {
	id := r.PathValue("message")
	if id == "@original" {
		id = st.originalID
	} else {
		known := id == st.originalID
		for _, f := range st.followups {
			known = known || f == id
		}
		if !known {
			id = ""
		}
	}
	sm := s.messages[id]
	if id == "" || sm == nil || sm.deleted {
		errUnknownMessage(w)
		return nil
	}
	return sm
}

func (s *Server) handleWebhookMessageGet(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.webhookInteraction(w, r)
	if st == nil {
		return
	}
	if sm := s.webhookMessage(w, r, st); sm != nil {
		writeRaw(w, http.StatusOK, marshalMessage(sm.msg, "", s.opts.AppID))
	}
}

func (s *Server) handleWebhookMessageEdit(w http.ResponseWriter, r *http.Request) {
	req := payloadOf(r)
	p, problems := parsePayload(req.json)
	if problems != nil {
		writeFormError(w, problems)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.webhookInteraction(w, r)
	if st == nil {
		return
	}
	sm := s.webhookMessage(w, r, st)
	if sm == nil {
		return
	}
	if problems := s.editMessageLocked(sm.msg, p, req.files, req.at); problems != nil {
		writeFormError(w, problems)
		return
	}
	if sm.msg.ID == st.originalID && st.deferred {
		sm.msg.Flags &^= discordgo.MessageFlagsLoading
		sm.msg.EditedTimestamp = nil
		st.deferred = false
	}
	s.notifyLocked()
	writeRaw(w, http.StatusOK, marshalMessage(sm.msg, "", s.opts.AppID))
}

func (s *Server) handleWebhookMessageDelete(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.webhookInteraction(w, r)
	if st == nil {
		return
	}
	sm := s.webhookMessage(w, r, st)
	if sm == nil {
		return
	}
	s.deleteMessageLocked(sm)
	writeNoContent(w)
}

// handleFollowupCreate answers POST /webhooks/{app}/{token}: a followup
// message. Right after a deferred response it edits the loading message
// instead, as Discord still does.
func (s *Server) handleFollowupCreate(w http.ResponseWriter, r *http.Request) {
	req := payloadOf(r)
	p, problems := parsePayload(req.json)
	if problems != nil {
		writeFormError(w, problems)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.webhookInteraction(w, r)
	if st == nil {
		return
	}
	problems = map[string]string{}
	validateMessage(p, problems)
	if len(problems) > 0 {
		writeFormError(w, problems)
		return
	}
	if p.Content == "" && len(p.Embeds) == 0 && len(p.Components) == 0 && len(req.files) == 0 && !p.has["poll"] {
		writeError(w, http.StatusBadRequest, discordgo.ErrCodeCannotSendEmptyMessage, "Cannot send an empty message")
		return
	}
	if st.deferred {
		if sm := s.messages[st.originalID]; sm != nil && !sm.deleted {
			s.editMessageLocked(sm.msg, p, req.files, req.at)
			sm.msg.Flags &^= discordgo.MessageFlagsLoading
			sm.msg.EditedTimestamp = nil
			st.deferred = false
			s.notifyLocked()
			writeRaw(w, http.StatusOK, marshalMessage(sm.msg, "", s.opts.AppID))
			return
		}
	}
	m := s.newResponseMessageLocked(st, p, req, false)
	m.Type = discordgo.MessageTypeDefault
	st.followups = append(st.followups, m.ID)
	s.notifyLocked()
	writeRaw(w, http.StatusOK, marshalMessage(m, "", s.opts.AppID))
}

// Original returns a copy of the original response of the interaction with
// this token: the message a type 4 or 5 callback created, or for components
// the message a type 6 or 7 callback (and later @original edits) changed.
func (s *Server) Original(token string) (*discordgo.Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.tokens[token]
	if st == nil || st.originalID == "" {
		return nil, false
	}
	sm := s.messages[st.originalID]
	if sm == nil || sm.deleted {
		return nil, false
	}
	return cloneMessage(sm.msg), true
}

// Followups returns copies of the followup messages sent with a token, in
// order, deleted ones left out.
func (s *Server) Followups(token string) []*discordgo.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.tokens[token]
	if st == nil {
		return nil
	}
	var out []*discordgo.Message
	for _, id := range st.followups {
		if sm := s.messages[id]; sm != nil && !sm.deleted {
			out = append(out, cloneMessage(sm.msg))
		}
	}
	return out
}

// ExpireToken makes an interaction token dead, as Discord does after 15
// minutes: webhook calls with it get 401 Invalid Webhook Token (50027) and a
// callback gets 404 Unknown interaction (10062).
func (s *Server) ExpireToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.tokens[token]; st != nil {
		st.expired = true
	}
}

// ExpireAllTokens expires every interaction token handed out so far.
func (s *Server) ExpireAllTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.tokens {
		st.expired = true
	}
}
