package discordtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/bot/discordtest"
)

func TestRateLimitedRequestsAreRetriedByDiscordgo(t *testing.T) {
	t.Parallel()
	var channels []*discordgo.Channel
	for i := 0; i < 5; i++ {
		channels = append(channels, &discordgo.Channel{
			ID: fmt.Sprint(810000000000000000 + i), Name: fmt.Sprint("c", i), Type: discordgo.ChannelTypeGuildText,
		})
	}
	g := testGuild()
	g.Channels = channels
	srv := newFake(t, discordtest.Options{RateLimitPerSecond: 10, Guilds: []discordtest.Guild{g}})
	s := newSession(t, srv)

	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 25)
	for i := 0; i < 25; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.ChannelMessageSend(channels[i%5].ID, fmt.Sprint("post ", i))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("send: %v", err)
		}
	}
	elapsed := time.Since(start)
	total := 0
	for _, c := range channels {
		total += len(srv.Messages(c.ID))
	}
	st := srv.Stats()
	if total != 25 || st.Accepted != 25 || st.RateLimited == 0 {
		t.Errorf("%d messages, stats %+v; want 25 messages, 25 accepted and some 429s", total, st)
	}
	// 25 requests at 10 a second take three windows.
	if elapsed < 1900*time.Millisecond {
		t.Errorf("took %v, faster than the limit allows", elapsed)
	}
}

func TestGlobalRateLimitAnswerAndExemptions(t *testing.T) {
	t.Parallel()
	srv := newFake(t, discordtest.Options{RateLimitPerSecond: 1})
	get := func() *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.APIURL()+"users/@me", nil)
		req.Header.Set("Authorization", "Bot test-token")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	ok := get()
	h := ok.Header
	if ok.StatusCode != 200 || h.Get("X-RateLimit-Limit") != "1" || h.Get("X-RateLimit-Remaining") != "0" ||
		h.Get("X-RateLimit-Bucket") == "" || h.Get("X-RateLimit-Reset") == "" {
		t.Errorf("first answer %d with headers %v", ok.StatusCode, h)
	}
	if after, err := strconv.ParseFloat(h.Get("X-RateLimit-Reset-After"), 64); err != nil || after <= 0 || after > 1 {
		t.Errorf("X-RateLimit-Reset-After %q", h.Get("X-RateLimit-Reset-After"))
	}

	limited := get()
	var body struct {
		Message    string  `json:"message"`
		RetryAfter float64 `json:"retry_after"`
		Global     bool    `json:"global"`
	}
	if err := json.NewDecoder(limited.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	h = limited.Header
	if limited.StatusCode != 429 || h.Get("X-RateLimit-Global") != "true" || h.Get("X-RateLimit-Scope") != "global" ||
		h.Get("Retry-After") != "1" || !body.Global || body.RetryAfter <= 0 || body.RetryAfter > 1 ||
		body.Message != "You are being rate limited." {
		t.Errorf("second answer %d %+v with headers %v", limited.StatusCode, body, h)
	}

	// Interaction endpoints are not bound to the global limit.
	i := srv.SlashCommand(guildID, generalID, alice, "help")
	url := strings.TrimSuffix(srv.APIURL(), "/") + "/interactions/" + i.ID + "/" + i.Token + "/callback"
	res, err := http.Post(url, "application/json", strings.NewReader(`{"type":4,"data":{"content":"hi"}}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		t.Errorf("callback while limited: %d, want 204", res.StatusCode)
	}
	if st := srv.Stats(); st.RateLimited != 1 || st.Accepted != 2 {
		t.Errorf("stats %+v, want 2 accepted, 1 limited", st)
	}
	if orig, ok := srv.Original(i.Token); !ok || orig.Content != "hi" {
		t.Errorf("original %+v", orig)
	}
}
