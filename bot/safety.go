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

// After any answer to the safety check, the partner goes on or takes a
// break through the same route as the answers (actSafe), with one of these
// numbers instead of an answer's: whatever was answered, the routes logged
// and counted are the same, in the same number.
const (
	safeGoOn     = 10 // the first question, in place of the step that asked
	safeGoOnKeep = 11 // the first question in a message of its own: the note stays
	safeBreak    = 12 // a break
)

// safetyNextStep is what follows any answer to the safety check, privately:
// the note after "Not always", a line after the others, then Go on and Take a
// break.
func safetyNextStep(checkInID int64, answer conversations.SafetyAnswer, safety conversations.SafetyNote) message {
	goOn := safeGoOn
	var embed *discordgo.MessageEmbed
	if answer.ShowsNote() {
		goOn = safeGoOnKeep
		embed = safetyEmbed("A note for you", safety)
	} else {
		line := answer.Line()
		if line == "" {
			line = "Thank you for answering."
		}
		embed = &discordgo.MessageEmbed{Title: "Before you begin", Color: colorQuieter, Description: line + " Whenever you are ready:"}
	}
	embed.Footer = &discordgo.MessageEmbedFooter{Text: conversations.PrivateFooter}
	return message{Ephemeral: true, Embeds: []*discordgo.MessageEmbed{embed}, Components: []discordgo.MessageComponent{
		discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Go on", Style: discordgo.PrimaryButton, CustomID: customID{Action: actSafe, ID: checkInID, Number: goOn}.String()},
			discordgo.Button{Label: "Take a break", Style: discordgo.SecondaryButton, CustomID: customID{Action: actSafe, ID: checkInID, Number: safeBreak}.String()},
		}},
	}}
}
