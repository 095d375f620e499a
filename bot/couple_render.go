package bot

import (
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// invitationMessage is posted where the invitation was made, often a channel
// others read: it says nothing about why two people would use Mend. The
// welcome, in their private channel, says the rest.
func invitationMessage(c conversations.Couple) message {
	inviter, invitee := c.Partners[0], c.Partners[1]
	return message{
		Content:  fmt.Sprintf("%s, %s invited you to use Mend together.", mention(invitee.UserID), mention(inviter.UserID)),
		Mentions: []string{invitee.UserID},
		Embeds: []*discordgo.MessageEmbed{{
			Title:       "An invitation",
			Color:       colorCalm,
			Description: "Mend runs private check-ins for two, in a channel made for the two of you. Nothing starts unless you accept: **Accept** first shows you, privately, what accepting means. Only " + invitee.Name + " can answer this invitation" + staysOpen(c) + ".",
		}},
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Accept", Style: discordgo.SuccessButton, CustomID: customID{Action: actAccept, ID: c.ID}.String()},
			discordgo.Button{Label: "Decline", Style: discordgo.SecondaryButton, CustomID: customID{Action: actDecline, ID: c.ID}.String()},
		}}},
	}
}

// invitationAnswered replaces an accepted public invitation; a declined one
// reads invitationClosedMessage.
func invitationAnswered(c conversations.Couple) message {
	return message{Content: fmt.Sprintf("%s accepted. Your private channel is <#%s>.", c.Partners[1].Name, c.ChannelID)}
}

func welcomeMessage(c conversations.Couple) message {
	a, b := c.Partners[0], c.Partners[1]
	return message{
		Content:  fmt.Sprintf("Welcome, %s and %s.", mention(a.UserID), mention(b.UserID)),
		Mentions: []string{a.UserID, b.UserID},
		Embeds: []*discordgo.MessageEmbed{{
			Title: "How Mend works",
			Color: colorCalm,
			Description: strings.Join([]string{
				"**A rhythm.** Choose when check-ins open by themselves with `/schedule set`, for example every Sunday at 20:00 in your time zone. You can also start one any time with `/checkin now`.",
				"**Check-ins.** Each of you presses **Start my check-in** and answers on your own, one question at a time, in a message only you can see. Every answer is saved the moment you give it: you can stop and press Start again later to continue.",
				"**Shown together.** When you have both finished, Mend posts both sets of answers here, side by side, so neither of you answers in reaction to the other. On words about a hurt or worry, the other can press **I hear you**; on something one of you takes responsibility for, **Thank you for owning this**; on something you saw differently, either of you can press **We talked about it** once you have.",
				"**Promises, agreements and boundaries.** A concrete commitment you make (in a check-in or with `/commitment add`) is reviewed at every check-in until it is done: by you, and by your partner only if they want to. Agreements are made together: one of you proposes one with `/agreement add`; the other can agree, talk first, or say it is not for them, and either of you can end one. A boundary of your own (`/boundary set`) needs nobody's agreement. `/progress` shows you, privately, how the weeks went.",
				"**A break.** Either of you can press **Take a break** during a check-in; both of you will see it. When feelings run high, about twenty minutes away helps before coming back, and the check-in waits.",
				"`/checkin status` shows where you both are; `/couple info` shows this couple; `/help` lists everything.",
				privacyNote,
				notATherapist,
			}, "\n\n"),
		}},
	}
}

func coupleInfoMessage(c conversations.Couple, current *conversations.CheckIn) message {
	lines := []string{
		fmt.Sprintf("**Partners:** %s and %s", c.Partners[0].Name, c.Partners[1].Name),
		fmt.Sprintf("**Together on Mend since:** %s", timestamp(c.CreatedAt, "D")),
		fmt.Sprintf("**Channel:** <#%s>", c.ChannelID),
		fmt.Sprintf("**Time zone:** %s", c.TimeZone),
	}
	if current != nil {
		lines = append(lines, fmt.Sprintf("**Open check-in:** %s, until %s", current.Template.Name, timestamp(current.ClosesAt, "f")))
	} else {
		lines = append(lines, "**Open check-in:** none; `/checkin now` starts one")
	}
	return message{Ephemeral: true, Embeds: []*discordgo.MessageEmbed{{Title: "Your couple", Color: colorCalm, Description: strings.Join(lines, "\n")}}}
}

func leaveConfirmMessage(c conversations.Couple, userID string) message {
	other := c.Other(userID)
	return message{
		Ephemeral: true,
		Content: fmt.Sprintf("Leave Mend with %s? Check-ins stop for both of you and %s will be told in your channel. What you have both written stays stored until one of you uses `/forget`, unless you also delete your own answers now.",
			other.Name, other.Name),
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Yes, leave", Style: discordgo.DangerButton, CustomID: customID{Action: actLeave, ID: c.ID}.String()},
			discordgo.Button{Label: "Leave and delete my answers", Style: discordgo.DangerButton, CustomID: customID{Action: actLeave, ID: c.ID, Number: 1}.String()},
			discordgo.Button{Label: "Stay", Style: discordgo.SecondaryButton, CustomID: customID{Action: actStay, ID: c.ID}.String()},
		}}},
	}
}

func leftNotice(c conversations.Couple, userID string) message {
	i := c.PartnerIndex(userID)
	return message{Content: fmt.Sprintf("%s has left Mend. No more check-ins will start here. Take care of yourself: this can be hard to read, and you don't have to carry it alone; a friend you trust or a counsellor can help. `/export` still gives you a copy of what Mend stores of you two, until one of you uses `/forget`. This channel stays until one of you deletes it.", c.Partners[i].Name)}
}
