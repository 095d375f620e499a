package bot

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// WebURL is Discord's web app, where the links Mend shows lead: the invite
// link and links to messages. Nothing in Mend requests it.
const WebURL = "https://discord.com"

// Permissions is what the bot needs in a server: create the couple channels,
// and read, write, embed and attach files in them.
const Permissions = discordgo.PermissionManageChannels | discordgo.PermissionViewChannel |
	discordgo.PermissionSendMessages | discordgo.PermissionEmbedLinks |
	discordgo.PermissionAttachFiles | discordgo.PermissionReadMessageHistory

// InviteURL is the OAuth2 link that adds the bot to a server with exactly the
// scopes and permissions Mend uses.
func InviteURL(applicationID string) string {
	q := url.Values{}
	q.Set("client_id", applicationID)
	q.Set("scope", "bot applications.commands")
	q.Set("permissions", fmt.Sprint(Permissions))
	return WebURL + "/oauth2/authorize?" + q.Encode()
}

var idDigits = regexp.MustCompile(`^[0-9]{15,21}$`)

// ApplicationIDFromToken reads the bot's user ID from the first part of its
// token, which is that ID in base64; for a bot it is the application ID.
// It returns "" when the token does not have that shape.
func ApplicationIDFromToken(token string) string {
	first, _, ok := strings.Cut(token, ".")
	if !ok {
		return ""
	}
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.StdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(first); err == nil && idDigits.Match(b) {
			return string(b)
		}
	}
	return ""
}
