package discordtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// writeTimeout bounds a gateway write, so a client that stopped reading
// cannot block Dispatch forever.
const writeTimeout = 5 * time.Second

// Connection describes a live gateway connection.
type Connection struct {
	SessionID  string
	Identify   discordgo.Identify // what the client identified with
	Ready      bool               // identified or resumed: receives dispatches
	Resumed    bool               // joined with op 6 Resume
	Heartbeats int                // op 1 heartbeats received
	Seq        int64              // last sequence number sent
}

type gwConn struct {
	ws      *websocket.Conn
	version int // gateway version the client asked for (?v=)

	wmu sync.Mutex // one writer at a time
	seq atomic.Int64

	// guarded by Server.mu
	info Connection
}

// gatewayPayload is a gateway message in either direction.
type gatewayPayload struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s"`
	T  *string         `json:"t"`
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader answered already
	}
	c := &gwConn{ws: ws, version: 10}
	if v, err := strconv.Atoi(r.URL.Query().Get("v")); err == nil {
		c.version = v
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		ws.Close()
		return
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()
	closeCode := 0 // of the client's close frame, if it sent one
	defer func() {
		ws.Close()
		s.mu.Lock()
		delete(s.conns, c)
		if c.info.SessionID != "" {
			s.sessions[c.info.SessionID] = c.seq.Load()
			if closeCode != 0 {
				s.clientCloses[c.info.SessionID] = append(s.clientCloses[c.info.SessionID], closeCode)
			}
		}
		s.notifyLocked()
		s.mu.Unlock()
	}()

	ms := s.opts.HeartbeatInterval.Milliseconds()
	if ms < 1 {
		ms = 1
	}
	if c.send(10, nil, map[string]int64{"heartbeat_interval": ms}) != nil {
		return
	}
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			// Closed by the client or by Server.close. The websocket
			// library has answered a close frame with one of its own.
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				closeCode = ce.Code
			}
			return
		}
		var p gatewayPayload
		if json.Unmarshal(data, &p) != nil {
			ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4002, "Error while decoding payload."), time.Now().Add(time.Second))
			return
		}
		switch p.Op {
		case 1: // heartbeat
			s.mu.Lock()
			c.info.Heartbeats++
			if c.info.Heartbeats == 1 {
				s.notifyLocked()
			}
			s.mu.Unlock()
			if c.send(11, nil, nil) != nil {
				return
			}
		case 2: // identify
			if !s.identify(c, p.D) {
				return
			}
		case 6: // resume
			if !s.resume(c, p.D) {
				return
			}
		}
	}
}

// send writes one gateway message; dispatches (op 0) get the next sequence.
func (c *gwConn) send(op int, event *string, d any) error {
	raw, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return c.sendRaw(op, event, raw)
}

func (c *gwConn) sendRaw(op int, event *string, d json.RawMessage) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.sendRawLocked(op, event, d)
}

// sendRawLocked is sendRaw with c.wmu held.
func (c *gwConn) sendRawLocked(op int, event *string, d json.RawMessage) error {
	p := gatewayPayload{Op: op, D: d, T: event}
	if op == 0 {
		seq := c.seq.Add(1)
		p.S = &seq
	}
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	c.ws.SetWriteDeadline(time.Now().Add(writeTimeout))
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

func (s *Server) identify(c *gwConn, d json.RawMessage) bool {
	// Not all of discordgo.Identify decodes (its presence holds an Activity
	// whose UnmarshalJSON wants fields discordgo does not send), so take the
	// parts a test may check.
	var in struct {
		Token          string                       `json:"token"`
		Properties     discordgo.IdentifyProperties `json:"properties"`
		Compress       bool                         `json:"compress"`
		LargeThreshold int                          `json:"large_threshold"`
		Shard          *[2]int                      `json:"shard"`
		Intents        discordgo.Intent             `json:"intents"`
	}
	err := json.Unmarshal(d, &in)
	id := discordgo.Identify{
		Token: in.Token, Properties: in.Properties, Compress: in.Compress,
		LargeThreshold: in.LargeThreshold, Shard: in.Shard, Intents: in.Intents,
	}
	if err != nil {
		c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4002, "Error while decoding payload."), time.Now().Add(time.Second))
		return false
	}
	s.mu.Lock()
	if c.info.SessionID != "" {
		s.mu.Unlock()
		c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4005, "Already authenticated."), time.Now().Add(time.Second))
		return false
	}
	c.info.SessionID = randomToken()[:32]
	c.info.Identify = id
	ready := map[string]any{
		"v":                  c.version,
		"user":               s.bot,
		"session_id":         c.info.SessionID,
		"session_type":       "normal",
		"resume_gateway_url": s.GatewayURL(),
		"private_channels":   []any{},
		"application":        map[string]any{"id": s.opts.AppID, "flags": 0},
	}
	if id.Shard != nil {
		ready["shard"] = id.Shard
	}
	guilds := make([]map[string]any, 0, len(s.guildOrder))
	creates := make([]*discordgo.Guild, 0, len(s.guildOrder))
	for _, gid := range s.guildOrder {
		guilds = append(guilds, map[string]any{"id": gid, "unavailable": true})
		creates = append(creates, s.guildJSON(s.guilds[gid], true))
	}
	ready["guilds"] = guilds
	s.mu.Unlock()

	events := []string{"READY"}
	payloads := []any{ready}
	for _, g := range creates {
		events = append(events, "GUILD_CREATE")
		payloads = append(payloads, g)
	}
	return s.becomeReady(c, events, payloads)
}

// becomeReady marks c ready and sends its first events while holding its
// write lock: dispatches from other goroutines wait and come after them, and
// by the time the client reads the first event the fake counts it ready.
func (s *Server) becomeReady(c *gwConn, events []string, payloads []any) bool {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	s.mu.Lock()
	c.info.Ready = true
	s.notifyLocked()
	s.mu.Unlock()
	for i, ev := range events {
		raw, err := json.Marshal(payloads[i])
		if err != nil || c.sendRawLocked(0, &ev, raw) != nil {
			return false
		}
	}
	return true
}

func (s *Server) resume(c *gwConn, d json.RawMessage) bool {
	var r struct {
		Token     string `json:"token"`
		SessionID string `json:"session_id"`
		Seq       int64  `json:"seq"`
	}
	if err := json.Unmarshal(d, &r); err != nil {
		return false
	}
	s.mu.Lock()
	seq, ok := s.sessions[r.SessionID]
	if !ok {
		s.mu.Unlock()
		// Invalid session, not resumable: discordgo identifies anew.
		return c.send(9, nil, false) == nil
	}
	delete(s.sessions, r.SessionID)
	c.info.SessionID = r.SessionID
	c.info.Identify.Token = r.Token
	c.info.Resumed = true
	s.mu.Unlock()

	c.seq.Store(seq)
	return s.becomeReady(c, []string{"RESUMED"}, []any{map[string]any{"_trace": []string{"discordtest"}}})
}

// readyConns returns the connections that receive dispatches.
func (s *Server) readyConns() []*gwConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*gwConn
	for c := range s.conns {
		if c.info.Ready {
			out = append(out, c)
		}
	}
	return out
}

// Dispatch sends a dispatch event (op 0) to every identified connection and
// returns how many it reached. data is encoded as JSON; a
// *discordgo.Interaction or *discordgo.Message is encoded as Discord sends it,
// components included.
func (s *Server) Dispatch(event string, data any) int {
	var raw []byte
	var err error
	switch v := data.(type) {
	case *discordgo.Interaction:
		raw, err = marshalInteraction(v)
		s.markDispatched(v.ID, time.Now())
	case *discordgo.Message:
		raw = marshalMessage(v, "", "")
	case json.RawMessage:
		raw = v
	default:
		raw, err = json.Marshal(v)
	}
	if err != nil {
		s.tb.Errorf("discordtest: encode %s: %v", event, err)
		return 0
	}
	return s.dispatchRaw(event, raw)
}

func (s *Server) dispatchRaw(event string, raw json.RawMessage) int {
	n := 0
	for _, c := range s.readyConns() {
		if c.sendRaw(0, &event, raw) == nil {
			n++
		}
	}
	return n
}

// Reconnect asks every ready connection to reconnect (op 7); discordgo then
// closes it and resumes the session on a new one. It first waits, until ctx
// ends, for each to have sent a heartbeat: discordgo starts its heartbeat
// goroutine after Open, and one that first runs after the connection closed
// fails its write and closes and reconnects the session again, over and over.
func (s *Server) Reconnect(ctx context.Context) error {
	var conns []*gwConn
	err := s.wait(ctx, func() bool {
		conns = conns[:0]
		for c := range s.conns {
			if !c.info.Ready {
				continue
			}
			if c.info.Heartbeats == 0 {
				return false
			}
			conns = append(conns, c)
		}
		return true
	})
	if err != nil {
		return fmt.Errorf("discordtest: reconnect: wait for heartbeats: %w", err)
	}
	for _, c := range conns {
		c.send(7, nil, nil)
	}
	return nil
}

// Connections describes the live gateway connections.
func (s *Server) Connections() []Connection {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Connection, 0, len(s.conns))
	for c := range s.conns {
		info := c.info
		info.Seq = c.seq.Load()
		out = append(out, info)
	}
	return out
}

// WaitReady waits until a live connection has identified or resumed and
// sent its first heartbeat. Events dispatched afterwards reach it after
// READY and its GUILD_CREATEs. Waiting for the heartbeat makes closing the
// session right after safe: discordgo's heartbeat goroutine, if it first runs
// after Close, fails its write and reconnects the closed session.
func (s *Server) WaitReady(ctx context.Context) error {
	err := s.wait(ctx, func() bool {
		for c := range s.conns {
			if c.info.Ready && c.info.Heartbeats > 0 {
				return true
			}
		}
		return false
	})
	if err != nil {
		return fmt.Errorf("discordtest: wait for a ready gateway session: %w", err)
	}
	return nil
}

// WaitClientClose waits until the client has closed a connection of the
// session with a close frame carrying code: 1000 (websocket.CloseNormalClosure)
// from discordgo's Session.Close, 1012 when discordgo reconnects. discordgo
// sends the frame and then sleeps a second before Close returns; a test that
// waits for the frame instead knows a second sooner that the client is done
// with the session.
func (s *Server) WaitClientClose(ctx context.Context, sessionID string, code int) error {
	err := s.wait(ctx, func() bool {
		for _, c := range s.clientCloses[sessionID] {
			if c == code {
				return true
			}
		}
		return false
	})
	if err != nil {
		return fmt.Errorf("discordtest: wait for session %s to close with %d: %w", sessionID, code, err)
	}
	return nil
}
