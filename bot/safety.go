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

// safetyCheckMessage asks the private safety check before a partner's first
// step, in their own ephemeral message. Which button is pressed reaches no
// store and no log: every answer takes the same route.
func safetyCheckMessage(step conversations.Step) message {
	var buttons []discordgo.MessageComponent
	for _, a := range conversations.SafetyAnswers() {
		buttons = append(buttons, discordgo.Button{Label: a.Label(), Style: discordgo.SecondaryButton,
			CustomID: customID{Action: actSafe, ID: step.CheckIn.ID, Number: int(a)}.String()})
	}
	return message{Ephemeral: true, Embeds: []*discordgo.MessageEmbed{{
		Title:       "Before you begin",
		Description: "**" + conversations.SafetyQuestion(step.Couple.Other(step.UserID).Name) + "**",
		Color:       colorQuieter,
		Footer:      &discordgo.MessageEmbedFooter{Text: conversations.PrivateFooter},
	}}, Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: buttons}}}
}

// safetyNoteStep is the safety note as a private step of its own, after a
// partner answered "Not always": they go on, or take a break.
func safetyNoteStep(checkInID int64, safety conversations.SafetyNote) message {
	note := safetyEmbed("A note for you", safety)
	note.Footer = &discordgo.MessageEmbedFooter{Text: conversations.PrivateFooter}
	return message{Ephemeral: true, Embeds: []*discordgo.MessageEmbed{note}, Components: []discordgo.MessageComponent{
		discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Go on", Style: discordgo.PrimaryButton, CustomID: customID{Action: actStart, ID: checkInID}.String()},
			discordgo.Button{Label: "Take a break", Style: discordgo.SecondaryButton, CustomID: customID{Action: actPause, ID: checkInID}.String()},
		}},
	}}
}
