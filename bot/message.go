package bot

import (
	"github.com/bwmarrin/discordgo"
)

// message is what the bot says, independent of how it is delivered: as an
// interaction response, a channel post, or an edit of either.
type message struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
	Ephemeral  bool
	// Mentions lists the users this message may ping. Nothing else is ever
	// pinged: not @everyone, not roles, not a name inside a partner's answer.
	Mentions []string
}

func (m message) allowedMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}, Users: append([]string{}, m.Mentions...)}
}

func (m message) flags() discordgo.MessageFlags {
	if m.Ephemeral {
		return discordgo.MessageFlagsEphemeral
	}
	return 0
}

func (m message) responseData() *discordgo.InteractionResponseData {
	return &discordgo.InteractionResponseData{
		Content:         m.Content,
		Embeds:          nonNilEmbeds(m.Embeds),
		Components:      nonNilComponents(m.Components),
		Flags:           m.flags(),
		AllowedMentions: m.allowedMentions(),
	}
}

func (m message) send() *discordgo.MessageSend {
	return &discordgo.MessageSend{
		Content:         m.Content,
		Embeds:          m.Embeds,
		Components:      m.Components,
		AllowedMentions: m.allowedMentions(),
	}
}

func (m message) channelEdit(channelID, messageID string) *discordgo.MessageEdit {
	embeds := nonNilEmbeds(m.Embeds)
	components := nonNilComponents(m.Components)
	return &discordgo.MessageEdit{
		ID: messageID, Channel: channelID,
		Content: &m.Content, Embeds: &embeds, Components: &components,
		AllowedMentions: m.allowedMentions(),
	}
}

func (m message) webhookEdit() *discordgo.WebhookEdit {
	embeds := nonNilEmbeds(m.Embeds)
	components := nonNilComponents(m.Components)
	return &discordgo.WebhookEdit{
		Content: &m.Content, Embeds: &embeds, Components: &components,
		AllowedMentions: m.allowedMentions(),
	}
}

// Empty, not absent: an edit that omits embeds or components leaves the old
// ones on the message, and an old button must not outlive its step.
func nonNilEmbeds(e []*discordgo.MessageEmbed) []*discordgo.MessageEmbed {
	if e == nil {
		return []*discordgo.MessageEmbed{}
	}
	return e
}

func nonNilComponents(c []discordgo.MessageComponent) []discordgo.MessageComponent {
	if c == nil {
		return []discordgo.MessageComponent{}
	}
	return c
}
