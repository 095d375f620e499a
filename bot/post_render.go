package bot

import (
	"fmt"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// renderDelivery turns what a post should show into channel messages.
func renderDelivery(d conversations.Delivery) []message {
	switch d.Post.Kind {
	case conversations.PostCheckIn:
		return []message{withComingUp(checkInPost(d.CheckIn, d.Couple, d.Now), d.CheckIn, d.Now, d.ComingUp, d.Couple)}
	case conversations.PostReminder:
		return []message{reminderMessage(d.CheckIn, d.Post.UserID)}
	case conversations.PostClosed:
		return []message{closedMessage(d.CheckIn)}
	case conversations.PostReveal:
		return revealMessages(d.Reveal)
	case conversations.PostShare:
		return sharedMessages(d.Reveal, d.Post.UserID)
	case conversations.PostWelcome:
		return []message{welcomeMessage(d.Couple)}
	case conversations.PostLeft:
		return []message{leftNotice(d.Couple, d.Post.UserID)}
	case conversations.PostDue:
		return []message{dueNote(d.Commitment, true)}
	case conversations.PostTalk:
		return []message{talkMessage(d.Talk)}
	case conversations.PostTalkComeBack:
		return []message{comeBackMessage(d.Talk)}
	}
	panic(fmt.Sprintf("no rendering for post kind %q", d.Post.Kind))
}

// directMessage is a reminder as it reads in a direct message. Buttons do not
// work there (Mend acts only inside its server), so a check-in reminder
// points to the channel instead; a due commitment is a note to its maker, so
// it does not mention them.
func directMessage(d conversations.Delivery, channelMessage message) message {
	if d.Post.Kind == conversations.PostDue {
		return dueNote(d.Commitment, false)
	}
	m := channelMessage
	m.Components = nil
	m.Content += fmt.Sprintf(" Your check-in is in <#%s>.", d.Couple.ChannelID)
	return m
}

// sharedMessages shows one partner's answers of a closed check-in.
func sharedMessages(r conversations.Reveal, userID string) []message {
	var pages []message
	for i, page := range revealMessages(r) {
		if i > 0 && len(page.Embeds) == 0 {
			// Only the offer of a talk, on a page of its own.
			continue
		}
		// "I hear you", a thank-you and a talk belong to a check-in both
		// finished, and so does the note that goes with a thank-you.
		page.Components = nil
		for _, e := range page.Embeds {
			e.Footer = nil
		}
		pages = append(pages, page)
	}
	who, other := r.Couple.NameOf(userID), r.Couple.Other(userID).Name
	pages[0].Content = fmt.Sprintf("%s chose to share their answers from the last check-in, and %s said yes. %s's stay with %s.",
		who, other, other, other)
	pages[0].Mentions = nil
	return pages
}

// shareAskMessage asks the other partner, in the channel, whether to see
// the answers sharerID finished; only they can answer.
func shareAskMessage(c conversations.Couple, sharerID string, checkInID int64) message {
	other := c.Other(sharerID)
	return message{
		Content: fmt.Sprintf("%s, %s would like to share their answers from your last check-in. They are shown here only if you say yes, and reviews of your promises are left out.",
			mention(other.UserID), c.NameOf(sharerID)),
		Mentions: []string{other.UserID},
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Yes, show them", Style: discordgo.PrimaryButton, CustomID: customID{Action: actShareYes, ID: checkInID}.String()},
			discordgo.Button{Label: "Not now", Style: discordgo.SecondaryButton, CustomID: customID{Action: actShareNo, ID: checkInID}.String()},
		}}},
	}
}

func reminderMessage(ci conversations.CheckIn, userID string) message {
	return message{
		Content: fmt.Sprintf("%s, a gentle reminder: your check-in is open until %s. Whenever you are ready, press **Start my check-in**; you continue where you left off. If this isn't the week, that's okay: it closes on its own and nothing is shown.",
			mention(userID), timestamp(ci.ClosesAt, "f")),
		Mentions:   []string{userID},
		Components: startRow(ci.ID),
	}
}

// closedMessage names nobody: who had finished is not the channel's to keep
// score of. The share button is offered whenever someone finished, and the
// service lets only a partner who finished use it.
func closedMessage(ci conversations.CheckIn) message {
	m := message{Embeds: []*discordgo.MessageEmbed{{
		Title: closedWithoutReveal, Color: colorQuieter,
		Description: closedKindly,
	}}}
	for _, p := range ci.Participants {
		if p.Status == conversations.Done {
			m.Embeds[0].Description += "\n\nIf you finished and would like to, you can share your own answers anyway: your partner is asked first, and only yours are shown."
			m.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
				discordgo.Button{Label: "Share my answers anyway", Style: discordgo.SecondaryButton, CustomID: customID{Action: actShare, ID: ci.ID}.String()},
			}}}
			break
		}
	}
	return m
}

// dueNote is a note to self on the day a commitment falls due, not an audit:
// how it goes is for the next check-in, where both look back at it. In the
// channel it mentions its maker, since the note is for them.
func dueNote(c conversations.Commitment, inChannel bool) message {
	note := fmt.Sprintf("note for today: you planned “%s”. However it goes, you can talk about it at your next check-in.", truncate(c.Text, maxQuotedCommitment))
	if !inChannel {
		return message{Content: "A " + note}
	}
	return message{Content: mention(c.OwnerID) + ", a " + note, Mentions: []string{c.OwnerID}}
}
