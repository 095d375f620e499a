package bot

import (
	"strings"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// waysOut says what a partner can do on Discord to stop, and what their
// partner will see of it: someone who may be afraid needs to know both.
const waysOut = "`/couple leave` stops check-ins for both of you, and `/forget` deletes everything Mend stores of you two. Your partner sees that you left, or that it was deleted, never why."

// safetyEmbed is the safety note with its ways out and the operator's
// resources. It is rendered for one partner's eyes, never stored or logged.
func safetyEmbed(title string, n conversations.SafetyNote) *discordgo.MessageEmbed {
	parts := []string{n.Text, waysOut}
	if len(n.Resources) > 0 {
		parts = append(parts, "**Support near you**\n• "+strings.Join(n.Resources, "\n• "))
	}
	return &discordgo.MessageEmbed{Title: title, Color: colorQuieter, Description: truncate(strings.Join(parts, "\n\n"), maxEmbedDescription)}
}

// withSafetyNote puts the safety note above the step when the answer just
// given asks for it. The message is the partner's own ephemeral one, so the
// note reaches nobody else.
func withSafetyNote(m message, step conversations.Step, safety conversations.SafetyNote) message {
	if !step.ShowSafetyNote {
		return m
	}
	note := safetyEmbed("A note for you", safety)
	// Whatever the operator wrote, the message stays within Discord's limit
	// on all of its embeds together.
	room := maxEmbedCharsTotal - len([]rune(note.Title))
	for _, e := range m.Embeds {
		room -= embedChars(e)
	}
	if room < len([]rune(note.Description)) {
		note.Description = truncate(note.Description, max(room, 1))
	}
	m.Embeds = append([]*discordgo.MessageEmbed{note}, m.Embeds...)
	return m
}
