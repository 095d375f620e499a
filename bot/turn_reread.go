package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// maxSelectOptions is Discord's limit on the options of one select menu;
// a message holds at most five rows, one of them the Send button.
const (
	maxSelectOptions = 25
	maxRereadSelects = 4
)

func stepTitle(step conversations.Step) string {
	if step.Revising {
		return fmt.Sprintf("Changing your answer to question %d of %d", step.Index+1, step.Total)
	}
	return fmt.Sprintf("%d of %d", step.Index+1, step.Total)
}

// rereadMessage shows a partner every answer they gave, privately, with a
// way to change any of them, before they send them for the reveal: what was
// written in anger can be read again before it is shown.
func rereadMessage(step conversations.Step, c conversations.Couple) message {
	var desc strings.Builder
	desc.WriteString("Here is everything you answered. Read it over and change anything you like: nothing is shown to " +
		c.Other(step.UserID).Name + " until you have both sent your answers. Once you press **Send my answers**, they can no longer be changed.\n\n" +
		"*" + conversations.RereadPrompt(c.Other(step.UserID).Name) + "*\n")
	byKey := map[conversations.StepKey]conversations.Answer{}
	for _, a := range step.Answers {
		byKey[a.Key()] = a
	}
	for i, it := range step.Items {
		line := fmt.Sprintf("\n**%d. %s**", i+1, it.Prompt.Text)
		if it.Subject != nil {
			line += " (" + it.Subject.Describe(c, step.UserID) + ")"
		}
		answer := "—"
		if a, ok := byKey[it.Key()]; ok {
			answer = a.Summary(it.Prompt)
		}
		desc.WriteString(line + "\n" + answer + "\n")
	}
	embed := &discordgo.MessageEmbed{
		Title:       "Read it over",
		Description: truncate(desc.String(), maxEmbedDescription),
		Color:       colorCalm,
		Footer:      &discordgo.MessageEmbedFooter{Text: conversations.PrivateFooter},
	}
	ci := step.CheckIn.ID
	var rows []discordgo.MessageComponent
	for start := 0; start < len(step.Items) && len(rows) < maxRereadSelects; start += maxSelectOptions {
		var options []discordgo.SelectMenuOption
		for i := start; i < len(step.Items) && i < start+maxSelectOptions; i++ {
			options = append(options, discordgo.SelectMenuOption{
				Label: truncate(fmt.Sprintf("%d. %s", i+1, step.Items[i].Prompt.Text), maxSelectLabel),
				Value: strconv.Itoa(i),
			})
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
			CustomID:    customID{Action: actRevise, ID: ci, Number: len(rows)}.String(),
			Placeholder: "Change an answer…",
			Options:     options,
		}}})
	}
	rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Send my answers", Style: discordgo.PrimaryButton, CustomID: customID{Action: actSend, ID: ci}.String()},
		discordgo.Button{Label: "Take a break", Style: discordgo.SecondaryButton, CustomID: customID{Action: actPause, ID: ci}.String()},
	}})
	return message{Ephemeral: true, Embeds: []*discordgo.MessageEmbed{embed}, Components: rows}
}

// revise shows a question the partner already answered, to answer it again.
func (h *turnHandlers) revise(ctx context.Context, it *interaction, id customID) error {
	values := it.MessageComponentData().Values
	n, err := strconv.Atoi(firstOr(values, ""))
	if len(values) != 1 || err != nil || strconv.Itoa(n) != values[0] {
		return conversations.Errorf(conversations.EINVALID, "Please pick one of the questions in the list.")
	}
	step, err := h.turns.Revisit(ctx, it.actor(), id.ID, n)
	if err != nil {
		return h.shownNext(ctx, it, step, err, draftKey{}, nil)
	}
	return it.update(stepMessage(step, step.Couple))
}

// send seals the partner's answers for the reveal.
func (h *turnHandlers) send(ctx context.Context, it *interaction, id customID) error {
	step, err := h.turns.Send(ctx, it.actor(), id.ID)
	return h.shownNext(ctx, it, step, err, draftKey{}, nil)
}
