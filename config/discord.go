package config

import (
	"fmt"
	"net/url"
)

// checkDiscordURLs refuses a REST base that is not http(s) and a gateway
// that is not ws(s), as the bot's transport would when it starts; checked
// here so that check-config finds them. An empty api_url is the bot's
// default, Discord itself.
func checkDiscordURLs(apiURL, gatewayURL string) error {
	if apiURL != "" {
		base, err := url.Parse(apiURL)
		if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
			return fmt.Errorf("discord api_url %q is not an http(s) URL", apiURL)
		}
	}
	if gatewayURL != "" {
		g, err := url.Parse(gatewayURL)
		if err != nil || (g.Scheme != "ws" && g.Scheme != "wss") || g.Host == "" {
			return fmt.Errorf("discord gateway_url %q is not a ws(s) URL", gatewayURL)
		}
	}
	return nil
}
