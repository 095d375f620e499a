package discordtest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/bot/discordtest"
)

func TestGuildChannelCreateWithOverwrites(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	created := make(chan *discordgo.ChannelCreate, 1)
	s := openSession(t, srv, func(s *discordgo.Session) {
		s.AddHandler(func(_ *discordgo.Session, c *discordgo.ChannelCreate) { created <- c })
	})
	partner := int64(discordgo.PermissionViewChannel | discordgo.PermissionSendMessages | discordgo.PermissionReadMessageHistory)
	c, err := s.GuildChannelCreateComplex(guildID, discordgo.GuildChannelCreateData{
		Name: "alice-and-bob", Type: discordgo.ChannelTypeGuildText, ParentID: categoryID,
		PermissionOverwrites: []*discordgo.PermissionOverwrite{
			{ID: guildID, Type: discordgo.PermissionOverwriteTypeRole, Deny: discordgo.PermissionViewChannel},
			{ID: alice.ID, Type: discordgo.PermissionOverwriteTypeMember, Allow: partner},
			{ID: bob.ID, Type: discordgo.PermissionOverwriteTypeMember, Allow: partner},
			{ID: appID, Type: discordgo.PermissionOverwriteTypeMember, Allow: partner},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.ID == "" || c.GuildID != guildID || c.ParentID != categoryID || len(c.PermissionOverwrites) != 4 {
		t.Errorf("created channel %+v", c)
	}
	if ev := recv(t, created); ev.ID != c.ID || ev.Name != "alice-and-bob" {
		t.Errorf("CHANNEL_CREATE %+v", ev.Channel)
	}
	stored, ok := srv.Channel(c.ID)
	if !ok || stored.PermissionOverwrites[0].Deny != discordgo.PermissionViewChannel {
		t.Errorf("stored channel %+v", stored)
	}
	if len(srv.Channels(guildID)) != 3 {
		t.Errorf("guild has %d channels, want 3", len(srv.Channels(guildID)))
	}
	if _, err := s.ChannelMessageSend(c.ID, "Welcome"); err != nil {
		t.Errorf("post in the couple channel: %v", err)
	}

	// Without an overwrite for itself the bot cannot see a private channel.
	hidden, err := s.GuildChannelCreateComplex(guildID, discordgo.GuildChannelCreateData{
		Name: "hidden", Type: discordgo.ChannelTypeGuildText,
		PermissionOverwrites: []*discordgo.PermissionOverwrite{
			{ID: guildID, Type: discordgo.PermissionOverwriteTypeRole, Deny: discordgo.PermissionViewChannel},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.ChannelMessageSend(hidden.ID, "Welcome")
	restError(t, err, 403, discordgo.ErrCodeMissingAccess)
}

func TestGuildChannelCreateNeedsPermissions(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{Guilds: []discordtest.Guild{
		{ID: guildID, Name: "home", Members: []*discordgo.Member{{User: alice}},
			BotPermissions: discordgo.PermissionViewChannel | discordgo.PermissionSendMessages},
		{ID: "800000000000000009", Name: "other", Members: []*discordgo.Member{{User: bob}},
			BotPermissions: discordgo.PermissionViewChannel | discordgo.PermissionManageChannels},
	}})
	s := newSession(t, srv)
	_, err := s.GuildChannelCreateComplex(guildID, discordgo.GuildChannelCreateData{Name: "x", Type: discordgo.ChannelTypeGuildText})
	restError(t, err, 403, discordgo.ErrCodeMissingPermissions)

	// Overwrites may only grant what the bot has.
	_, err = s.GuildChannelCreateComplex("800000000000000009", discordgo.GuildChannelCreateData{
		Name: "x", Type: discordgo.ChannelTypeGuildText,
		PermissionOverwrites: []*discordgo.PermissionOverwrite{
			{ID: bob.ID, Type: discordgo.PermissionOverwriteTypeMember, Allow: discordgo.PermissionSendMessages},
		},
	})
	restError(t, err, 403, discordgo.ErrCodeMissingPermissions)
	if n := len(srv.Channels(guildID)) + len(srv.Channels("800000000000000009")); n != 0 {
		t.Errorf("%d channels created, want none", n)
	}
}

func TestChannelEditAndDelete(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	s := newSession(t, srv)
	c, err := s.ChannelEdit(generalID, &discordgo.ChannelEdit{Name: "renamed", Topic: "a topic"})
	if err != nil || c.Name != "renamed" || c.Topic != "a topic" {
		t.Fatalf("edit: %+v, %v", c, err)
	}
	if got, err := s.Channel(generalID); err != nil || got.Name != "renamed" {
		t.Errorf("get: %+v, %v", got, err)
	}
	if _, err := s.ChannelDelete(generalID); err != nil {
		t.Fatal(err)
	}
	_, err = s.ChannelMessageSend(generalID, "hello")
	restError(t, err, 404, discordgo.ErrCodeUnknownChannel)
	if _, ok := srv.Channel(generalID); ok {
		t.Error("deleted channel still there")
	}
}

// discordgo v0.29.0's MessageSend has no nonce or enforce_nonce fields, so a
// bot sends them through RequestWithBucketID with its own body.
func TestEnforcedNonceCreatesTheMessageOnce(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	s := newSession(t, srv)
	endpoint := discordgo.EndpointChannelMessages(generalID)
	send := func(body any) *discordgo.Message {
		t.Helper()
		raw, err := s.RequestWithBucketID("POST", endpoint, body, endpoint)
		if err != nil {
			t.Fatal(err)
		}
		var m discordgo.Message
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		return &m
	}
	type post struct {
		*discordgo.MessageSend
		Nonce        string `json:"nonce,omitempty"`
		EnforceNonce bool   `json:"enforce_nonce,omitempty"`
	}
	body := post{MessageSend: &discordgo.MessageSend{Content: "Time for your check-in"}, Nonce: "outbox-42", EnforceNonce: true}
	first, again := send(body), send(body)
	if first.ID == "" || again.ID != first.ID {
		t.Errorf("ids %q and %q, want the same message twice", first.ID, again.ID)
	}
	if msgs := srv.Messages(generalID); len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	// Without enforce_nonce Discord creates another message.
	send(post{MessageSend: &discordgo.MessageSend{Content: "Time for your check-in"}, Nonce: "outbox-42"})
	if msgs := srv.Messages(generalID); len(msgs) != 2 {
		t.Fatalf("%d messages, want 2", len(msgs))
	}
	// Discord caps nonces at 25 characters.
	_, err := s.RequestWithBucketID("POST", endpoint, post{
		MessageSend: &discordgo.MessageSend{Content: "x"}, Nonce: strings.Repeat("n", 26), EnforceNonce: true,
	}, endpoint)
	restError(t, err, 400, discordgo.ErrCodeInvalidFormBody)
}

func TestMessageWithFilesKeepsTheBytes(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	s := newSession(t, srv)
	data := []byte(`{"couple": "alice and bob"}`)
	m, err := s.ChannelMessageSendComplex(generalID, &discordgo.MessageSend{
		Content: "Your export",
		Files:   []*discordgo.File{{Name: "export.json", ContentType: "application/json", Reader: bytes.NewReader(data)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Filename != "export.json" || m.Attachments[0].Size != len(data) {
		t.Fatalf("attachments %+v", m.Attachments)
	}
	f, ok := srv.Attachment(m.Attachments[0].ID)
	if !ok || f.ContentType != "application/json" || !bytes.Equal(f.Data, data) {
		t.Errorf("stored file %+v", f)
	}
	res, err := http.Get(m.Attachments[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !bytes.Equal(got, data) {
		t.Errorf("attachment URL served %q", got)
	}
	msgs := srv.Messages(generalID)
	if len(msgs) != 1 || len(msgs[0].Attachments) != 1 {
		t.Errorf("channel messages %+v", msgs)
	}
}

func TestMessageEditGetAndDelete(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	s := newSession(t, srv)
	m, err := s.ChannelMessageSendComplex(generalID, &discordgo.MessageSend{
		Content:    "Reveal",
		Embeds:     []*discordgo.MessageEmbed{{Title: "Answers"}},
		Components: []discordgo.MessageComponent{button("hear:1", "I hear you")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if m.Author == nil || m.Author.ID != appID || len(m.Embeds) != 1 || firstButton(t, m.Components).CustomID != "hear:1" {
		t.Errorf("created %+v", m)
	}
	edited, err := s.ChannelMessageEdit(generalID, m.ID, "Reveal (edited)")
	if err != nil || edited.Content != "Reveal (edited)" || len(edited.Embeds) != 1 || len(edited.Components) != 1 {
		t.Fatalf("edit kept embeds and components? %+v, %v", edited, err)
	}
	got, err := s.ChannelMessage(generalID, m.ID)
	if err != nil || got.Content != "Reveal (edited)" {
		t.Errorf("get %+v, %v", got, err)
	}
	if err := s.ChannelMessageDelete(generalID, m.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.ChannelMessage(generalID, m.ID)
	restError(t, err, 404, discordgo.ErrCodeUnknownMessage)
	if msgs := srv.Messages(generalID); len(msgs) != 0 {
		t.Errorf("messages after delete %+v", msgs)
	}
}

func TestInvalidMessagesAreRefused(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	s := newSession(t, srv)
	_, err := s.ChannelMessageSend(generalID, strings.Repeat("a", 2001))
	restError(t, err, 400, discordgo.ErrCodeInvalidFormBody)
	_, err = s.ChannelMessageSendComplex(generalID, &discordgo.MessageSend{
		Content: "two buttons, one id",
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{CustomID: "same", Label: "A"}, discordgo.Button{CustomID: "same", Label: "B"},
		}}},
	})
	restError(t, err, 400, discordgo.ErrCodeInvalidFormBody)
	_, err = s.ChannelMessageSendComplex(generalID, &discordgo.MessageSend{})
	restError(t, err, 400, discordgo.ErrCodeCannotSendEmptyMessage)
	_, err = s.ChannelMessageSend("1", "hello")
	restError(t, err, 404, discordgo.ErrCodeUnknownChannel)
	if msgs := srv.Messages(generalID); len(msgs) != 0 {
		t.Errorf("refused messages stored: %+v", msgs)
	}
}

func TestBulkOverwriteGuildCommands(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	s := newSession(t, srv)
	cmds := []*discordgo.ApplicationCommand{
		{Name: "couple", Description: "Your couple", Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "invite", Description: "Invite your partner",
				Options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionUser, Name: "partner", Description: "Your partner", Required: true},
				}},
		}},
		{Name: "help", Description: "How Mend works"},
	}
	got, err := s.ApplicationCommandBulkOverwrite(appID, guildID, cmds)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID == "" || got[0].ApplicationID != appID || got[0].GuildID != guildID {
		t.Fatalf("overwrite returned %+v", got)
	}
	again, err := s.ApplicationCommandBulkOverwrite(appID, guildID, []*discordgo.ApplicationCommand{
		cmds[0], {Name: "progress", Description: "Your progress"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if again[0].ID != got[0].ID || again[1].ID == got[1].ID {
		t.Errorf("ids %s %s after %s %s: a command keeps its ID by name", again[0].ID, again[1].ID, got[0].ID, got[1].ID)
	}
	listed, err := s.ApplicationCommands(appID, guildID)
	if err != nil || len(listed) != 2 || listed[1].Name != "progress" {
		t.Errorf("listed %+v, %v", listed, err)
	}
	if len(srv.Commands(guildID)) != 2 || len(srv.Commands("")) != 0 {
		t.Errorf("guild commands %d, global %d", len(srv.Commands(guildID)), len(srv.Commands("")))
	}
	i := srv.SlashCommand(guildID, generalID, alice, "couple")
	if id := i.ApplicationCommandData().ID; id != got[0].ID {
		t.Errorf("interaction command ID %s, want %s", id, got[0].ID)
	}
	_, err = s.ApplicationCommandBulkOverwrite(appID, guildID, []*discordgo.ApplicationCommand{{Name: "Bad Name", Description: "x"}})
	restError(t, err, 400, discordgo.ErrCodeInvalidFormBody)
}

func TestGuildAndUserEndpoints(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{BotName: "mend"})
	s := newSession(t, srv)
	if me, err := s.User("@me"); err != nil || me.ID != appID || !me.Bot {
		t.Errorf("@me %+v, %v", me, err)
	}
	if g, err := s.Guild(guildID); err != nil || g.Name != "home" || len(g.Roles) != 2 {
		t.Errorf("guild %+v, %v", g, err)
	}
	if m, err := s.GuildMember(guildID, bob.ID); err != nil || m.User.ID != bob.ID || m.Nick != "bobby" {
		t.Errorf("member %+v, %v", m, err)
	}
	_, err := s.GuildMember(guildID, "1")
	restError(t, err, 404, discordgo.ErrCodeUnknownMember)
	if roles, err := s.GuildRoles(guildID); err != nil || len(roles) != 2 || roles[1].ID != srv.BotRoleID(guildID) {
		t.Errorf("roles %+v, %v", roles, err)
	}
	if cs, err := s.GuildChannels(guildID); err != nil || len(cs) != 2 || cs[0].ID != categoryID {
		t.Errorf("channels %+v, %v", cs, err)
	}
}

func TestHookInjectsFailures(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	s := newSession(t, srv)
	var mode atomic.Int32 // status to inject once; 0 = none
	srv.Hook(func(r *http.Request, body []byte) (int, any, bool) {
		if r.Method != http.MethodPost {
			return 0, nil, false
		}
		status := int(mode.Swap(0))
		if status == 0 {
			return 0, nil, false
		}
		return status, map[string]any{"code": 0, "message": "injected"}, true
	})

	mode.Store(http.StatusInternalServerError)
	_, err := s.ChannelMessageSend(generalID, "one")
	restError(t, err, 500, 0)

	// discordgo retries a 502 by itself (MaxRestRetries).
	mode.Store(http.StatusBadGateway)
	if _, err := s.ChannelMessageSend(generalID, "two"); err != nil {
		t.Errorf("after one 502: %v", err)
	}

	mode.Store(discordtest.DropConnection)
	_, err = s.ChannelMessageSend(generalID, "three")
	var re *discordgo.RESTError
	if err == nil || errors.As(err, &re) {
		t.Errorf("dropped connection gave %v, want a transport error", err)
	}

	msgs := srv.Messages(generalID)
	if len(msgs) != 1 || msgs[0].Content != "two" {
		t.Errorf("messages %+v, want only the retried one", msgs)
	}
	var statuses []int
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost {
			statuses = append(statuses, r.Status)
		}
	}
	want := []int{500, 502, 200, discordtest.DropConnection}
	if len(statuses) != len(want) {
		t.Fatalf("POST statuses %v, want %v", statuses, want)
	}
	for i := range want {
		if statuses[i] != want[i] {
			t.Fatalf("POST statuses %v, want %v", statuses, want)
		}
	}
}

func TestRequestsAreRecorded(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	s := newSession(t, srv)
	if _, err := s.ChannelMessageSend(generalID, "hello"); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("requests %+v", reqs)
	}
	r := reqs[0]
	var body struct{ Content string }
	if r.Method != "POST" || r.Path != "/channels/"+generalID+"/messages" || r.Status != 200 ||
		r.Header.Get("Authorization") != "Bot test-token" || json.Unmarshal(r.Body, &body) != nil || body.Content != "hello" ||
		time.Since(r.Time) > time.Minute {
		t.Errorf("recorded %+v body %s", r, r.Body)
	}
}

func TestDirectMessages(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{})
	s := newSession(t, srv)
	dm, err := s.UserChannelCreate(bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	if dm.Type != discordgo.ChannelTypeDM || len(dm.Recipients) != 1 || dm.Recipients[0].ID != bob.ID {
		t.Fatalf("DM channel %+v", dm)
	}
	if again, err := s.UserChannelCreate(bob.ID); err != nil || again.ID != dm.ID {
		t.Errorf("second DM channel %+v, %v; want the same", again, err)
	}
	if _, err := s.ChannelMessageSend(dm.ID, "A reminder"); err != nil {
		t.Fatal(err)
	}
	if msgs := srv.Messages(dm.ID); len(msgs) != 1 || msgs[0].Content != "A reminder" {
		t.Errorf("DM messages %+v", msgs)
	}
	srv.CloseDMs(bob.ID)
	_, err = s.ChannelMessageSend(dm.ID, "Another")
	restError(t, err, 403, 50007)
	_, err = s.UserChannelCreate("1")
	restError(t, err, 400, 50033)
}
