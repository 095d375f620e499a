package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"mend/bot/discordtest"
)

// dropInteractionRequests makes every request to paths containing one of
// parts fail as a network error does: the connection closes unanswered.
func (h *harness) dropInteractionRequests(parts ...string) {
	h.t.Helper()
	h.t.Cleanup(h.srv.Hook(func(r *http.Request, body []byte) (int, any, bool) {
		for _, p := range parts {
			if strings.Contains(r.URL.Path, p) {
				return discordtest.DropConnection, nil, true
			}
		}
		return 0, nil, false
	}))
}

// interactionTokens are the tokens of every interaction the bot called back
// or answered through a webhook.
func (h *harness) interactionTokens() []string {
	var tokens []string
	for _, r := range h.srv.Requests() {
		parts := strings.Split(r.Path, "/")
		if len(parts) > 3 && (parts[1] == "interactions" || parts[1] == "webhooks") {
			tokens = append(tokens, parts[3])
		}
	}
	return tokens
}

// logsHoldNoToken checks the logs as the bot wrote them, with no redacting
// handler in between, for the interaction tokens and the bot token.
func (h *harness) logsHoldNoToken(tokens ...string) {
	h.t.Helper()
	logs := h.logs.String()
	for _, tok := range append(tokens, h.bot.cfg.Token) {
		if strings.Contains(logs, tok) {
			h.t.Errorf("the logs hold the token %q:\n%s", tok, logs)
		}
	}
}

// waitLogged waits until the logs contain want.
func (h *harness) waitLogged(want string) {
	h.t.Helper()
	h.waitFor("the log line "+want, func() bool { return strings.Contains(h.logs.String(), want) })
}

func TestTokensStayOutOfTheLogsWhenTheInteractionCallbackIsCutOff(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.dropInteractionRequests("/callback")
	i := h.srv.SlashCommand(testGuild, generalChan, alice, "help")
	// No callback ever arrives, so Interact would wait out the deadline: it
	// is stopped once the bot has logged the end of the interaction.
	ctx, cancel := context.WithCancel(h.ctx)
	done := make(chan struct{})
	go func() { h.srv.Interact(ctx, i); close(done) }()
	h.waitLogged("msg=interaction route=help")
	cancel()
	<-done

	mustContain(t, "the logs", h.logs.String(), "could not tell the user about a failure", "interactions/"+i.ID+"/<redacted>/callback")
	h.logsHoldNoToken(i.Token)
}

func TestTokensStayOutOfTheLogsWhenEditingTheReplyIsCutOff(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	channelID := h.couple()
	h.dropInteractionRequests("/webhooks/")
	i := h.srv.SlashCommand(testGuild, channelID, alice, "checkin", sub("now"))
	if r := h.interact(i); r.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Fatalf("checkin now answered %v", r.Type)
	}
	h.waitLogged(`msg=interaction route="checkin now"`)

	mustContain(t, "the logs", h.logs.String(), "interaction failed", "could not tell the user about a failure", "/<redacted>/messages/@original")
	h.logsHoldNoToken(append(h.interactionTokens(), i.Token)...)
}

func TestInteractionErrorsHoldNoToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.dropInteractionRequests("/interactions/", "/webhooks/")
	i := h.srv.SlashCommand(testGuild, generalChan, alice, "help")
	it := &interaction{Interaction: i, shared: h.bot.shared, ctx: h.ctx}
	m := message{Content: "hello"}
	for name, send := range map[string]func() error{
		"reply": func() error { return it.reply(m) }, "edit": func() error { return it.editOriginal(m) }, "follow-up": func() error { return it.followup(m) },
	} {
		err := send()
		if err == nil {
			t.Fatalf("%s went through a dropped connection", name)
		}
		var u *url.Error
		if !errors.As(err, &u) {
			t.Errorf("%s: the *url.Error is no longer reachable in %v", name, err)
		} else if strings.Contains(u.URL, i.Token) {
			t.Errorf("%s: the *url.Error's URL holds the token: %s", name, u.URL)
		}
		for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err)} {
			if strings.Contains(s, i.Token) || strings.Contains(s, h.bot.cfg.Token) {
				t.Errorf("%s: the error holds a token: %s", name, s)
			}
		}
	}
}

func TestInteractionErrorsKeepDiscordsStatusWithoutTokens(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.t.Cleanup(h.srv.Hook(func(r *http.Request, body []byte) (int, any, bool) {
		if strings.Contains(r.URL.Path, "/webhooks/") {
			return http.StatusNotFound, map[string]any{"code": discordgo.ErrCodeUnknownWebhook, "message": "Unknown Webhook"}, true
		}
		return 0, nil, false
	}))
	i := h.srv.SlashCommand(testGuild, generalChan, alice, "help")
	err := (&interaction{Interaction: i, shared: h.bot.shared, ctx: h.ctx}).followup(message{Content: "hello"})
	var rest *discordgo.RESTError
	if !errors.As(err, &rest) || rest.Response.StatusCode != http.StatusNotFound {
		t.Fatalf("want a reachable 404 RESTError, got %v", err)
	}
	for _, req := range []*http.Request{rest.Request, rest.Response.Request} {
		if strings.Contains(req.URL.String(), i.Token) || req.Header.Get("Authorization") != "" {
			t.Errorf("the RESTError's request holds a token: %s %v", req.URL, req.Header)
		}
	}
}
