// Package discordtest is a fake Discord for tests. It runs inside the test
// process on 127.0.0.1 and speaks enough of Discord's REST API and
// gateway websocket for a real discordgo.Session to work against it:
// Hello, Identify, Ready, Guild Create, heartbeats, Resume and dispatched
// events on the gateway; interaction callbacks and webhooks, channels,
// messages (with files and nonces), application commands, guilds and users on
// REST; Discord's rate-limit headers and, on request, its global limit.
//
// Point a session at it through its HTTP transport (see APIURL); discordgo
// then learns the gateway URL from GET /gateway, which the fake answers with
// its own websocket URL. Tests play the users: build an interaction
// (SlashCommand, Component, ModalSubmit, Autocomplete), Interact, and assert
// on what the bot answered and on the state the fake recorded.
//
// The fake answers with Discord's status codes and JSON error bodies
// ({"code":50013,"message":"Missing Permissions"}) so the bot sees the same
// *discordgo.RESTError it would in production. Some of Discord's checks are
// enforced because they are easy to get wrong: channel permissions of the bot
// (including permission overwrites), message and component limits, the
// 3-second interaction deadline, acknowledged interactions, expired tokens.
//
// Notes on discordgo v0.29.0 that tests run into:
//   - It speaks API and gateway v9 (discordgo.APIVersion), whatever a
//     transport's base says; the fake accepts any /api/vN prefix.
//   - Close the session before the fake (register its Close with t.Cleanup
//     after New); with ShouldReconnectOnError a session whose gateway went
//     away reconnects forever. Closing a session before its first heartbeat
//     can make it reconnect itself; WaitReady waits for that heartbeat.
//   - MessageSend has no nonce fields: send nonce and enforce_nonce with
//     RequestWithBucketID (or RequestRaw with MultipartBodyWithJSON for files)
//     and a struct that embeds *discordgo.MessageSend.
package discordtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// apiPrefix is the REST base APIURL announces: discordgo v0.29.0 speaks API
// v9 (discordgo.APIVersion). Any /api/vN prefix is accepted.
var apiPrefix = "/api/v" + discordgo.APIVersion

// apiPath strips the /api/vN prefix from a request path.
func apiPath(path string) (string, bool) {
	rest, ok := strings.CutPrefix(path, "/api/v")
	if !ok {
		return "", false
	}
	i := strings.IndexByte(rest, '/')
	if i <= 0 || !isID(rest[:i]) {
		return "", false
	}
	return rest[i:], true
}

// DefaultHeartbeatInterval is the interval Discord announces in Hello.
const DefaultHeartbeatInterval = 41250 * time.Millisecond

// DefaultBotPermissions are the bot's guild permissions when
// Guild.BotPermissions is zero: what a bot like Mend needs.
const DefaultBotPermissions int64 = discordgo.PermissionViewChannel |
	discordgo.PermissionSendMessages |
	discordgo.PermissionReadMessageHistory |
	discordgo.PermissionEmbedLinks |
	discordgo.PermissionAttachFiles |
	discordgo.PermissionAddReactions |
	discordgo.PermissionManageChannels |
	discordgo.PermissionManageRoles |
	discordgo.PermissionUseApplicationCommands

// DefaultEveryonePermissions are the permissions of a guild's @everyone role
// when Guild.Roles does not define it (before they are narrowed to the bot's
// permissions; see Guild.BotPermissions).
const DefaultEveryonePermissions int64 = discordgo.PermissionViewChannel |
	discordgo.PermissionSendMessages |
	discordgo.PermissionReadMessageHistory |
	discordgo.PermissionEmbedLinks |
	discordgo.PermissionAttachFiles |
	discordgo.PermissionAddReactions |
	discordgo.PermissionUseApplicationCommands

// DropConnection is the status a Hook returns to close the client's TCP
// connection without any response.
const DropConnection = -1

// Options configure a Server. Zero values get sensible defaults.
type Options struct {
	AppID     string // application ID; default a fresh snowflake
	BotUserID string // the bot user's ID; default AppID, as for most bots
	BotName   string // the bot user's username; default "mend"
	Guilds    []Guild

	// RateLimitPerSecond, when above zero, enforces Discord's global rate
	// limit: requests above it in a one-second window get a global 429.
	// Interaction callbacks and interaction webhooks are exempt, as on
	// Discord. Zero means unlimited.
	RateLimitPerSecond int

	// HeartbeatInterval is announced in Hello; default
	// DefaultHeartbeatInterval. Discord sends milliseconds, so it is rounded
	// down to a millisecond (at least 1 ms).
	HeartbeatInterval time.Duration

	// InteractionDeadline is how long after dispatch an interaction accepts
	// its callback, after which its token is invalid (Discord: 3 s, the
	// default). Negative means no deadline.
	InteractionDeadline time.Duration
}

// Guild is a guild the bot is in.
type Guild struct {
	ID, Name string
	OwnerID  string // default: the first member

	// BotPermissions are the bot's effective guild permissions (its managed
	// role's permissions; DefaultBotPermissions when zero). The fake narrows
	// @everyone's default permissions to them so that discordgo's State
	// computes the same set. The fake enforces ManageChannels (create, edit,
	// delete channels), ManageRoles (overwrites on edit), ViewChannel and
	// SendMessages (messages, after channel overwrites), AttachFiles (files),
	// and Discord's rule that overwrites may only allow or deny permissions
	// the bot has. Administrator grants everything.
	BotPermissions int64

	// Members of the guild; each needs User. The bot's own member is added.
	Members []*discordgo.Member
	// Channels of the guild; their GuildID is filled in.
	Channels []*discordgo.Channel
	// Roles beyond the defaults: an @everyone role (ID = guild ID) and the
	// bot's managed role are added unless given.
	Roles []*discordgo.Role
}

// Request is one REST request the fake received.
type Request struct {
	Time   time.Time
	Method string
	Path   string // below the API prefix, e.g. "/channels/1/messages"
	Query  url.Values
	Header http.Header
	// Body is the JSON body; for multipart/form-data it is payload_json.
	Body  []byte
	Files []File // files of a multipart/form-data request
	// Status answered: 0 while in flight, DropConnection when dropped.
	Status int
}

// File is an uploaded file: an attachment of a message or of a callback.
type File struct {
	ID          string // attachment ID (empty for callback files until stored)
	Name        string
	ContentType string
	Data        []byte
}

// Stats counts REST requests against the global rate limit.
type Stats struct {
	Accepted    int // passed the global limit (or exempt from it)
	RateLimited int // answered with a global 429
}

// HookFunc sees every REST request (after the global rate limit) before the
// fake handles it. Returning handled=true answers with status and resp
// instead: resp nil for no body, []byte or string as is, anything else as
// JSON; status DropConnection closes the connection without an answer.
type HookFunc func(r *http.Request, body []byte) (status int, resp any, handled bool)

// Server is the fake Discord. All methods are safe for concurrent use.
type Server struct {
	tb       testing.TB
	opts     Options
	http     *httptest.Server
	mux      *http.ServeMux
	bot      *discordgo.User
	deadline time.Duration

	lastID atomic.Int64 // last snowflake handed out

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change
	closed  bool

	guilds       map[string]*guildState
	guildOrder   []string
	channels     map[string]*discordgo.Channel
	channelMsgs  map[string][]string // channel ID → visible message IDs, oldest first
	messages     map[string]*storedMessage
	files        map[string]File
	nonces       map[string]nonceEntry
	closedDMs    map[string]bool
	commands     map[string][]*discordgo.ApplicationCommand // guild ID ("" global) → commands
	interactions map[string]*interactionState               // by interaction ID
	tokens       map[string]*interactionState               // by token
	hooks        []*hookEntry
	stats        Stats

	limiter limiter

	// reqMu guards requests on its own: a status is recorded as a handler
	// writes its answer, which some do holding mu.
	reqMu    sync.Mutex
	requests []Request

	// gateway
	conns        map[*gwConn]struct{}
	sessions     map[string]int64 // session ID → last sequence, for Resume
	clientCloses map[string][]int // session ID → codes of the client's close frames
	wg           sync.WaitGroup   // websocket handlers
}

type hookEntry struct{ fn HookFunc }

type guildState struct {
	guild      *discordgo.Guild // ID, Name, OwnerID, Roles; no channels or members
	botPerms   int64
	botRoleID  string
	members    map[string]*discordgo.Member
	memberList []string
}

// New starts a fake Discord; tb.Cleanup closes it, its websocket connections
// and their goroutines. Close discordgo sessions before that (for example
// with a tb.Cleanup registered after New): a session whose gateway closes
// under it reconnects forever.
func New(tb testing.TB, opts Options) *Server {
	tb.Helper()
	s := &Server{
		tb:           tb,
		changed:      make(chan struct{}),
		guilds:       map[string]*guildState{},
		channels:     map[string]*discordgo.Channel{},
		channelMsgs:  map[string][]string{},
		messages:     map[string]*storedMessage{},
		files:        map[string]File{},
		nonces:       map[string]nonceEntry{},
		closedDMs:    map[string]bool{},
		commands:     map[string][]*discordgo.ApplicationCommand{},
		interactions: map[string]*interactionState{},
		tokens:       map[string]*interactionState{},
		conns:        map[*gwConn]struct{}{},
		sessions:     map[string]int64{},
		clientCloses: map[string][]int{},
	}
	if opts.AppID == "" {
		opts.AppID = s.snowflake()
	}
	if opts.BotUserID == "" {
		opts.BotUserID = opts.AppID
	}
	if opts.BotName == "" {
		opts.BotName = "mend"
	}
	if opts.HeartbeatInterval <= 0 {
		opts.HeartbeatInterval = DefaultHeartbeatInterval
	}
	s.deadline = opts.InteractionDeadline
	if s.deadline == 0 {
		s.deadline = discordgo.InteractionDeadline
	}
	s.opts = opts
	s.limiter.init(opts.RateLimitPerSecond)
	s.bot = &discordgo.User{
		ID: opts.BotUserID, Username: opts.BotName, GlobalName: opts.BotName,
		Discriminator: "0", Bot: true, Verified: true,
	}
	for _, g := range opts.Guilds {
		if err := s.addGuild(g); err != nil {
			tb.Fatalf("discordtest: %v", err)
		}
	}
	s.mux = s.routes()
	s.http = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	tb.Cleanup(s.close)
	return s
}

// APIURL is the REST base to give bot.NewTransport:
// "http://127.0.0.1:PORT/api/v9/" (discordgo's API version).
func (s *Server) APIURL() string { return s.http.URL + apiPrefix + "/" }

// GatewayURL is the websocket URL the fake announces in GET /gateway.
func (s *Server) GatewayURL() string {
	return "ws" + strings.TrimPrefix(s.http.URL, "http") + "/gateway"
}

// BotUser returns a copy of the bot's user.
func (s *Server) BotUser() *discordgo.User { u := *s.bot; return &u }

// BotRoleID is the ID of the bot's managed role in a guild.
func (s *Server) BotRoleID(guildID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g := s.guilds[guildID]; g != nil {
		return g.botRoleID
	}
	return ""
}

// Hook adds fn in front of the fake's REST handling; hooks run in the order
// added and the first that handles a request answers it. The returned func
// removes the hook.
func (s *Server) Hook(fn HookFunc) (remove func()) {
	h := &hookEntry{fn: fn}
	s.mu.Lock()
	s.hooks = append(s.hooks, h)
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		for i, x := range s.hooks {
			if x == h {
				s.hooks = append(s.hooks[:i:i], s.hooks[i+1:]...)
				return
			}
		}
	}
}

// Requests returns every REST request so far, in arrival order.
func (s *Server) Requests() []Request {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	out := make([]Request, len(s.requests))
	copy(out, s.requests)
	return out
}

// Stats returns the global rate limit counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

func (s *Server) close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	conns := make([]*gwConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.notifyLocked()
	s.mu.Unlock()
	for _, c := range conns {
		c.ws.Close()
	}
	s.wg.Wait()
	s.http.Close()
}

// notifyLocked wakes everything waiting for a change. s.mu must be held.
func (s *Server) notifyLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// wait calls check under s.mu until it reports done, waking on every change.
func (s *Server) wait(ctx context.Context, check func() bool) error {
	for {
		s.mu.Lock()
		if check() {
			s.mu.Unlock()
			return nil
		}
		ch, closed := s.changed, s.closed
		s.mu.Unlock()
		if closed {
			return errors.New("discordtest: server closed")
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// discordEpoch is the first millisecond of 2015, where snowflakes start.
const discordEpoch = 1420070400000

// snowflake returns a fresh, increasing Discord ID.
func (s *Server) snowflake() string {
	for {
		last := s.lastID.Load()
		id := (time.Now().UnixMilli() - discordEpoch) << 22
		if id <= last {
			id = last + 1
		}
		if s.lastID.CompareAndSwap(last, id) {
			return strconv.FormatInt(id, 10)
		}
	}
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// ---- HTTP plumbing ----

type ctxKey struct{}

// parsedRequest is the body of a request, read once by serveHTTP.
type parsedRequest struct {
	json  []byte
	files []File
	at    time.Time
}

func payloadOf(r *http.Request) *parsedRequest {
	p, _ := r.Context().Value(ctxKey{}).(*parsedRequest)
	if p == nil {
		return &parsedRequest{at: time.Now()}
	}
	return p
}

// statusWriter records the status of a request the moment it is decided,
// before any of the answer reaches the client: a client that has its answer
// finds the status in Requests.
type statusWriter struct {
	http.ResponseWriter
	status int
	record func(status int)
}

func (w *statusWriter) setStatus(code int) {
	if w.status == 0 {
		w.status = code
		w.record(code)
	}
}

func (w *statusWriter) WriteHeader(code int) {
	w.setStatus(code)
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.setStatus(http.StatusOK)
	return w.ResponseWriter.Write(b)
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/gateway" || r.URL.Path == "/gateway/":
		s.serveGateway(w, r)
		return
	case strings.HasPrefix(r.URL.Path, "/attachments/"):
		s.serveAttachment(w, r)
		return
	}
	rel, ok := apiPath(r.URL.Path)
	if !ok {
		writeError(w, http.StatusNotFound, 0, "404: Not Found")
		return
	}
	now := time.Now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, 0, "400: Bad Request")
		return
	}
	p := &parsedRequest{at: now, json: body}
	if ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		p.json, p.files, err = parseMultipart(body, params["boundary"])
		if err != nil {
			writeFormError(w, map[string]string{"": "multipart body: " + err.Error()})
			return
		}
	}
	idx := s.record(Request{
		Time: now, Method: r.Method, Path: rel, Query: r.URL.Query(),
		Header: r.Header.Clone(), Body: p.json, Files: p.files,
	})
	sw := &statusWriter{ResponseWriter: w, record: func(status int) { s.setStatus(idx, status) }}

	exempt := rateLimitExempt(rel)
	if !exempt {
		if ok, retry := s.limiter.allow(now); !ok {
			s.mu.Lock()
			s.stats.RateLimited++
			s.mu.Unlock()
			writeGlobalRateLimit(sw, retry)
			return
		}
	}
	s.limiter.bucketHeaders(w.Header(), r.Method, rel, now)
	s.mu.Lock()
	s.stats.Accepted++
	hooks := make([]*hookEntry, len(s.hooks))
	copy(hooks, s.hooks)
	s.mu.Unlock()

	r.Body = io.NopCloser(bytes.NewReader(body))
	for _, h := range hooks {
		status, resp, handled := h.fn(r, body)
		if !handled {
			r.Body = io.NopCloser(bytes.NewReader(body))
			continue
		}
		if status == DropConnection {
			sw.setStatus(DropConnection) // before the client sees the connection close
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		}
		writeAny(sw, status, resp)
		return
	}
	if !exempt && rel != "/gateway" && rel != "/gateway/bot" &&
		!strings.HasPrefix(r.Header.Get("Authorization"), "Bot ") {
		writeError(sw, http.StatusUnauthorized, 0, "401: Unauthorized")
		return
	}
	r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, p))
	u := *r.URL
	u.Path, u.RawPath = rel, ""
	r.URL = &u
	if _, pattern := s.mux.Handler(r); pattern == "" {
		writeError(sw, http.StatusNotFound, 0, "404: Not Found")
		return
	}
	s.mux.ServeHTTP(sw, r)
}

func (s *Server) record(r Request) int {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	s.requests = append(s.requests, r)
	return len(s.requests) - 1
}

func (s *Server) setStatus(idx, status int) {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	s.requests[idx].Status = status
}

// rateLimitExempt reports whether a path is an interaction endpoint, which
// Discord does not count against the global rate limit.
func rateLimitExempt(rel string) bool {
	if strings.HasPrefix(rel, "/interactions/") {
		return true
	}
	// /webhooks/{id}/{token}...: token-authenticated webhook calls.
	if rest, ok := strings.CutPrefix(rel, "/webhooks/"); ok {
		return len(strings.Split(rest, "/")) >= 2
	}
	return false
}

func parseMultipart(body []byte, boundary string) ([]byte, []File, error) {
	if boundary == "" {
		return nil, nil, errors.New("no boundary")
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	var payload []byte
	var files []File
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, nil, err
		}
		name := part.FormName()
		switch {
		case name == "payload_json":
			payload = data
		case strings.HasPrefix(name, "files[") || strings.HasPrefix(name, "file"):
			ct := part.Header.Get("Content-Type")
			if ct == "" {
				ct = "application/octet-stream"
			}
			files = append(files, File{Name: part.FileName(), ContentType: ct, Data: data})
		}
	}
	if payload == nil {
		payload = []byte("{}")
	}
	return payload, files, nil
}

// ---- responses ----

// APIError is Discord's JSON error body.
type APIError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Errors  any    `json:"errors,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeRaw(w, status, b)
}

func writeRaw(w http.ResponseWriter, status int, b []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

func writeNoContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }

func writeError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, APIError{Code: code, Message: msg})
}

func writeAny(w http.ResponseWriter, status int, resp any) {
	switch v := resp.(type) {
	case nil:
		w.WriteHeader(status)
	case []byte:
		writeRaw(w, status, v)
	case string:
		writeRaw(w, status, []byte(v))
	default:
		writeJSON(w, status, v)
	}
}

// writeFormError answers 400 Invalid Form Body with Discord's nested errors:
// each key is a dotted path ("data.components.0.custom_id"), each value the
// message.
func writeFormError(w http.ResponseWriter, problems map[string]string) {
	errs := map[string]any{}
	for path, msg := range problems {
		node := errs
		if path != "" {
			for _, part := range strings.Split(path, ".") {
				next, ok := node[part].(map[string]any)
				if !ok {
					next = map[string]any{}
					node[part] = next
				}
				node = next
			}
		}
		list, _ := node["_errors"].([]any)
		node["_errors"] = append(list, map[string]string{"code": "BASE_TYPE_INVALID", "message": msg})
	}
	writeJSON(w, http.StatusBadRequest, APIError{
		Code: discordgo.ErrCodeInvalidFormBody, Message: "Invalid Form Body", Errors: errs,
	})
}

// Discord's error answers the fake uses.
func errUnknownChannel(w http.ResponseWriter) {
	writeError(w, http.StatusNotFound, discordgo.ErrCodeUnknownChannel, "Unknown Channel")
}

func errUnknownGuild(w http.ResponseWriter) {
	writeError(w, http.StatusNotFound, discordgo.ErrCodeUnknownGuild, "Unknown Guild")
}

func errUnknownMessage(w http.ResponseWriter) {
	writeError(w, http.StatusNotFound, discordgo.ErrCodeUnknownMessage, "Unknown Message")
}

func errMissingPermissions(w http.ResponseWriter) {
	writeError(w, http.StatusForbidden, discordgo.ErrCodeMissingPermissions, "Missing Permissions")
}

func errMissingAccess(w http.ResponseWriter) {
	writeError(w, http.StatusForbidden, discordgo.ErrCodeMissingAccess, "Missing Access")
}

func (s *Server) routes() *http.ServeMux {
	m := http.NewServeMux()
	h := func(pattern string, fn http.HandlerFunc) {
		method, path, _ := strings.Cut(pattern, " ")
		m.HandleFunc(method+" "+path, fn)
	}
	h("GET /gateway", s.handleGateway)
	h("GET /gateway/bot", s.handleGatewayBot)
	h("GET /users/@me", s.handleMe)
	h("GET /users/{user}", s.handleUser)
	h("POST /users/@me/channels", s.handleDMCreate)
	h("GET /guilds/{guild}", s.handleGuild)
	h("GET /guilds/{guild}/channels", s.handleGuildChannels)
	h("POST /guilds/{guild}/channels", s.handleChannelCreate)
	h("GET /guilds/{guild}/members/{user}", s.handleMember)
	h("GET /guilds/{guild}/roles", s.handleRoles)
	h("GET /channels/{channel}", s.handleChannelGet)
	h("PATCH /channels/{channel}", s.handleChannelEdit)
	h("DELETE /channels/{channel}", s.handleChannelDelete)
	h("GET /channels/{channel}/messages", s.handleMessageList)
	h("POST /channels/{channel}/messages", s.handleMessageCreate)
	h("GET /channels/{channel}/messages/{message}", s.handleMessageGet)
	h("PATCH /channels/{channel}/messages/{message}", s.handleMessageEdit)
	h("DELETE /channels/{channel}/messages/{message}", s.handleMessageDelete)
	h("GET /applications/{app}/commands", s.handleCommandsGet)
	h("PUT /applications/{app}/commands", s.handleCommandsPut)
	h("POST /applications/{app}/commands", s.handleCommandCreate)
	h("DELETE /applications/{app}/commands/{command}", s.handleCommandDelete)
	h("GET /applications/{app}/guilds/{guild}/commands", s.handleCommandsGet)
	h("PUT /applications/{app}/guilds/{guild}/commands", s.handleCommandsPut)
	h("POST /applications/{app}/guilds/{guild}/commands", s.handleCommandCreate)
	h("DELETE /applications/{app}/guilds/{guild}/commands/{command}", s.handleCommandDelete)
	h("POST /interactions/{id}/{token}/callback", s.handleCallback)
	h("POST /webhooks/{app}/{token}", s.handleFollowupCreate)
	h("GET /webhooks/{app}/{token}/messages/{message}", s.handleWebhookMessageGet)
	h("PATCH /webhooks/{app}/{token}/messages/{message}", s.handleWebhookMessageEdit)
	h("DELETE /webhooks/{app}/{token}/messages/{message}", s.handleWebhookMessageDelete)
	return m
}

func (s *Server) handleGateway(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"url": s.GatewayURL()})
}

func (s *Server) handleGatewayBot(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"url": s.GatewayURL(), "shards": 1,
		"session_start_limit": map[string]int{
			"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1,
		},
	})
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.bot)
}

func (s *Server) handleUser(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.findUserLocked(r.PathValue("user")); u != nil {
		writeJSON(w, http.StatusOK, u)
		return
	}
	writeError(w, http.StatusNotFound, discordgo.ErrCodeUnknownUser, "Unknown User")
}

func fmtErr(format string, args ...any) error { return fmt.Errorf("discordtest: "+format, args...) }
