package bot

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestTransportRewritesDiscordURLsOntoTheConfiguredBase(t *testing.T) {
	var got []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Method+" "+r.URL.RequestURI())
		io.WriteString(w, `{"url":"ws://127.0.0.1:9/from-proxy"}`)
	}))
	defer proxy.Close()

	tr, err := NewTransport(proxy.URL+"/proxy/api/v9", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: tr}
	resp, err := client.Get(discordgo.EndpointChannelMessages("123") + "?limit=5")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(got) != 1 || got[0] != "GET /proxy/api/v9/channels/123/messages?limit=5" {
		t.Errorf("the proxy saw %v", got)
	}
}

func TestTransportAnswersTheGatewayQuestionWithTheConfiguredGateway(t *testing.T) {
	tr, err := NewTransport("http://127.0.0.1:1/api/v9/", "wss://gateway-proxy.internal/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	// Nothing listens on 127.0.0.1:1: an answer can only come from the transport.
	resp, err := (&http.Client{Transport: tr}).Get(discordgo.EndpointGateway)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ URL string }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.URL != "wss://gateway-proxy.internal/ws" {
		t.Errorf("gateway answer %+v (%v)", body, err)
	}
}

func TestTransportRefusesURLsThatAreNotHTTPOrWebsocket(t *testing.T) {
	for _, c := range [][2]string{{"ftp://x/api", ""}, {"not a url", ""}, {"http://127.0.0.1/api", "http://not-a-websocket"}} {
		if _, err := NewTransport(c[0], c[1], nil); err == nil {
			t.Errorf("NewTransport(%q, %q) accepted", c[0], c[1])
		}
	}
}
