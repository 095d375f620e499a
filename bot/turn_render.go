package bot

import (
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// stepMessage is one question, in the partner's own ephemeral message.
func stepMessage(step conversations.Step, c conversations.Couple) message {
	switch {
	case step.Done && step.Sent:
		return doneMessage(step, c)
	case step.Done:
		return rereadMessage(step, c)
	}
	p := step.Item.Prompt
	var desc strings.Builder
	if step.Revising && step.Previous != nil {
		desc.WriteString("Your answer so far: " + step.Previous.Summary(p) + "\n\n")
	}
	desc.WriteString(questionOfTheWeekLine(p))
	desc.WriteString("**" + p.Text + "**")
	if s := step.Item.Subject; s != nil {
		desc.WriteString("\n> " + s.Describe(c, step.UserID))
	}
	if p.Hint != "" {
		desc.WriteString("\n\n*" + p.Hint + "*")
	}
	if note := step.FullNote(); note != "" {
		desc.WriteString("\n\n" + note)
	}
	if note := step.PartnersPromiseNote(); note != "" {
		desc.WriteString("\n\n" + note)
	}
	embed := &discordgo.MessageEmbed{
		Title:       stepTitle(step),
		Description: truncate(desc.String(), maxEmbedDescription),
		Color:       colorCalm,
		Footer:      &discordgo.MessageEmbedFooter{Text: conversations.PrivateFooter},
	}
	ci := step.CheckIn.ID
	var rows []discordgo.MessageComponent
	switch p.Kind {
	case conversations.KindScale:
		var buttons []discordgo.MessageComponent
		for n := conversations.ScaleMin; n <= conversations.ScaleMax; n++ {
			label := fmt.Sprint(n)
			switch n {
			case conversations.ScaleMin:
				label += " · " + p.LowLabel
			case conversations.ScaleMax:
				label += " · " + p.HighLabel
			}
			buttons = append(buttons, discordgo.Button{Label: truncate(label, maxButtonLabel), Style: discordgo.SecondaryButton,
				CustomID: customID{Action: actScale, ID: ci, Prompt: p.ID, Number: n}.String()})
		}
		rows = append(rows, discordgo.ActionsRow{Components: buttons})
	case conversations.KindChoice:
		var options []discordgo.SelectMenuOption
		for i, o := range p.Options {
			options = append(options, discordgo.SelectMenuOption{Label: o, Value: fmt.Sprint(i)})
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
			CustomID: customID{Action: actChoice, ID: ci, Prompt: p.ID}.String(), Placeholder: "Choose one", Options: options,
		}}})
	case conversations.KindText, conversations.KindNewCommitment:
		label := "Write my answer"
		if p.Kind == conversations.KindNewCommitment {
			label = "Write my commitment"
		}
		id := customID{Action: actWrite, ID: ci, Prompt: p.ID}
		if step.Item.Subject != nil {
			id = customID{Action: actBoundaryWrite, ID: ci, Prompt: p.ID, Subject: step.Item.Subject.ID}
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{
			Label: label, Style: discordgo.PrimaryButton, CustomID: id.String(),
		}}})
	case conversations.KindCommitmentReview, conversations.KindAgreementReview:
		var plain, noted []discordgo.MessageComponent
		for _, v := range conversations.Verdicts(p.Kind) {
			id := customID{Action: actVerdict, ID: ci, Prompt: p.ID, Subject: step.Item.Subject.ID, Verdict: v.Verdict}
			plain = append(plain, discordgo.Button{Label: v.Label, Style: discordgo.PrimaryButton, CustomID: id.String()})
			id.Action = actNote
			noted = append(noted, discordgo.Button{Label: v.Label + ", with a note", Style: discordgo.SecondaryButton, CustomID: id.String()})
		}
		rows = append(rows, discordgo.ActionsRow{Components: plain}, discordgo.ActionsRow{Components: noted})
	}
	var extra []discordgo.MessageComponent
	if step.Skippable() {
		extra = append(extra, discordgo.Button{Label: "Skip", Style: discordgo.SecondaryButton,
			CustomID: customID{Action: actSkip, ID: ci, Prompt: p.ID, Subject: step.Item.Key().SubjectID}.String()})
	}
	extra = append(extra, discordgo.Button{Label: "Take a break", Style: discordgo.SecondaryButton, CustomID: customID{Action: actPause, ID: ci}.String()})
	rows = append(rows, discordgo.ActionsRow{Components: extra})
	return message{Ephemeral: true, Embeds: []*discordgo.MessageEmbed{embed}, Components: rows}
}

func doneMessage(step conversations.Step, c conversations.Couple) message {
	text := fmt.Sprintf("Thank you. That's everything. Your answers will be shown here when %s has finished too.", c.Other(step.UserID).Name)
	if step.CheckIn.Status == conversations.CheckInRevealed {
		text = "Thank you. You have both finished; your answers are shown in the channel."
		if step.CheckIn.RevealPostID == "" {
			text = "Thank you. You have both finished; your answers are being posted in the channel now. If they do not appear, `/checkin status` can post them again."
		}
	}
	return message{Ephemeral: true, Embeds: []*discordgo.MessageEmbed{{Title: "Done", Description: text, Color: colorCalm}}}
}

func pausedMessage(ci conversations.CheckIn) message {
	return message{Ephemeral: true, Embeds: []*discordgo.MessageEmbed{{
		Title: "Taking a break",
		Color: colorQuieter,
		Description: "Take the time you need: a few minutes, or until tomorrow. The check-in stays open until " + timestamp(ci.ClosesAt, "f") +
			". Your partner sees at most that you are taking a break, never why. Everything you answered is saved; press **Start my check-in** in the channel when you are ready to go on.",
		Footer: &discordgo.MessageEmbedFooter{Text: conversations.PrivateFooter},
	}}}
}

// textModal asks for a text answer, a commitment (with a due date), or the
// note that goes with a review verdict.
func textModal(step conversations.Step, verdict conversations.Verdict) *discordgo.InteractionResponseData {
	p := step.Item.Prompt
	title := fmt.Sprintf("%d of %d", step.Index+1, step.Total)
	if verdict != "" {
		id := customID{Action: actNoteModal, ID: step.CheckIn.ID, Prompt: p.ID, Subject: step.Item.Key().SubjectID, Verdict: verdict}
		return &discordgo.InteractionResponseData{
			CustomID: id.String(),
			Title:    truncate(conversations.VerdictLabel(p.Kind, verdict)+", with a note", maxModalTitle),
			Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
				CustomID: "note", Label: "Your note (optional)", Style: discordgo.TextInputParagraph,
				Required: false, MaxLength: conversations.MaxNoteLength,
			}}}},
		}
	}
	style := discordgo.TextInputShort
	if p.Long {
		style = discordgo.TextInputParagraph
	}
	rows := []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
		CustomID: "text", Label: inputLabel(p), Style: style,
		Placeholder: shorten(p.Hint, maxPlaceholder), Required: true, MaxLength: p.MaxLength,
	}}}}
	if p.Kind == conversations.KindNewCommitment {
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: "due", Label: "Due date (optional), as YYYY-MM-DD", Style: discordgo.TextInputShort,
			Required: false, MinLength: 0, MaxLength: 10,
		}}})
	}
	id := customID{Action: actTextModal, ID: step.CheckIn.ID, Prompt: p.ID}
	if step.Item.Subject != nil {
		id = customID{Action: actBoundaryText, ID: step.CheckIn.ID, Prompt: p.ID, Subject: step.Item.Subject.ID}
	}
	return &discordgo.InteractionResponseData{
		CustomID:   id.String(),
		Title:      title,
		Components: rows,
	}
}
