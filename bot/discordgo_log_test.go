package bot

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"mend/internal/testkit"
)

// discordgo's own messages reach Mend's log through the redacting handler,
// at the matching level, and its debug messages (whole gateway events, with
// what partners typed) not at all. Not parallel: discordgo has one logger for
// the process, the last bot's.
func TestDiscordgosOwnLogGoesThroughTheRedactingLog(t *testing.T) {
	h := newHarness(t)
	const interactionToken = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OTA6c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"

	discordgo.Logger(discordgo.LogError, 1, "request to %s with %s failed", "/api/v9/webhooks/42/"+interactionToken+"/messages/@original", "Authorization: Bot test-token")
	discordgo.Logger(discordgo.LogWarning, 1, "error reconnecting to gateway")
	discordgo.Logger(discordgo.LogDebug, 1, "Op: 0, Type: INTERACTION_CREATE, Data: %s", "the words I typed into the form")

	logs := h.logs.String()
	testkit.MustContain(t, "log", logs, "level=ERROR msg=\"request to /api/v9/webhooks/42/", "source=discordgo", "level=WARN msg=\"error reconnecting to gateway\"")
	for _, secret := range []string{"test-token", interactionToken, "the words I typed"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds %q:\n%s", secret, logs)
		}
	}
	if h.bot.Session().LogLevel != discordgo.LogWarning {
		t.Errorf("discordgo logs at level %d, want warnings (%d)", h.bot.Session().LogLevel, discordgo.LogWarning)
	}
}
