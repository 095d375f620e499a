package bot

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// maxTopicsOffered is the most options a select may hold.
const maxTopicsOffered = 25

// stepButton is one button of a talk's message.
func stepButton(label string, style discordgo.ButtonStyle, action string, talkID int64) discordgo.Button {
	return discordgo.Button{Label: label, Style: style, CustomID: customID{Action: action, ID: talkID}.String()}
}

func talkRow(buttons ...discordgo.Button) discordgo.ActionsRow {
	row := discordgo.ActionsRow{}
	for _, b := range buttons {
		row.Components = append(row.Components, b)
	}
	return row
}

// talkItThroughRow is the reveal's offer of a guided talk about it.
func talkItThroughRow(checkInID int64) discordgo.ActionsRow {
	return talkRow(stepButton("Talk it through", discordgo.PrimaryButton, actTalkStart, checkInID))
}

// talkAskedReply tells the partner who asked, privately, what happens now.
func talkAskedReply(v conversations.TalkView) message {
	return message{Ephemeral: true, Content: fmt.Sprintf("%s is asked in the channel. The talk starts once they press **I'm ready**; \"Not now\" is a fine answer too.", v.Asked().Name)}
}

// talkMessage is the talk's one message in the channel, at the step it is
// at; every press replaces it with the next.
func talkMessage(v conversations.TalkView) message {
	if v.Talk.OnBreak(v.Now) {
		return talkBreakMessage(v)
	}
	id := v.Talk.ID
	pauseOrStop := talkRow(
		stepButton("We need a break", discordgo.SecondaryButton, actTalkPause, id),
		stepButton("Let's stop here", discordgo.SecondaryButton, actTalkStop, id),
	)
	m := message{Content: fmt.Sprintf("**Talking it through** · your check-in of %s", talkDay(v))}
	switch v.Talk.Stage {
	case conversations.TalkAsked:
		return talkAskedMessage(v)
	case conversations.TalkAppreciation:
		m.Embeds = []*discordgo.MessageEmbed{talkEmbed("Appreciations first", appreciationWords(v))}
		m.Components = []discordgo.MessageComponent{
			talkRow(stepButton("Read it", discordgo.PrimaryButton, actTalkRead, id)),
			pauseOrStop,
		}
	case conversations.TalkChoosing:
		m.Embeds = []*discordgo.MessageEmbed{talkEmbed("One topic", topicWords(v))}
		m.Components = []discordgo.MessageComponent{topicSelect(v), pauseOrStop}
	case conversations.TalkTurns:
		m.Embeds = []*discordgo.MessageEmbed{talkEmbed("Speaking and listening", turnWords(v))}
		m.Components = []discordgo.MessageComponent{
			talkRow(
				stepButton("Prompts for the speaker", discordgo.SecondaryButton, actTalkPrompts, id),
				discordgo.Button{Label: "Prompts for the listener", Style: discordgo.SecondaryButton, CustomID: customID{Action: actTalkPrompts, ID: id, Number: 1}.String()},
			),
			turnButtons(v),
			pauseOrStop,
		}
	case conversations.TalkClosing:
		m.Embeds = []*discordgo.MessageEmbed{talkEmbed("One small thing", conversations.TalkClosingAsk)}
		m.Components = []discordgo.MessageComponent{
			talkRow(
				stepButton("A promise I'll make", discordgo.PrimaryButton, actTalkPromise, id),
				stepButton("An agreement to propose", discordgo.PrimaryButton, actTalkAgree, id),
				stepButton("Nothing this time", discordgo.SecondaryButton, actTalkNothing, id),
			),
			pauseOrStop,
		}
	default:
		return talkEndedMessage(conversations.TalkStopped)
	}
	return m
}

// talkDay names the check-in a talk is about by the day it opened.
func talkDay(v conversations.TalkView) string {
	return v.CheckIn.OpenedAt.In(v.Couple.Location()).Format("Mon 2 Jan")
}

func talkEmbed(title, description string) *discordgo.MessageEmbed {
	return &discordgo.MessageEmbed{Title: title, Color: colorCalm, Description: truncate(description, maxEmbedDescription)}
}

// talkAskedMessage asks the partner who did not start the talk; nothing
// starts without them.
func talkAskedMessage(v conversations.TalkView) message {
	asked := v.Asked()
	return message{
		Content: fmt.Sprintf("%s, %s would like to talk through your check-in of %s together. %s\n\nIt starts when you press **I'm ready**. If now isn't a good time, **Not now** is a fine answer.",
			mention(asked.UserID), v.Couple.NameOf(v.Talk.AskedBy), talkDay(v), conversations.TalkIntro),
		Mentions: []string{asked.UserID},
		Components: []discordgo.MessageComponent{talkRow(
			stepButton("I'm ready", discordgo.PrimaryButton, actTalkJoin, v.Talk.ID),
			stepButton("Not now", discordgo.SecondaryButton, actTalkNotNow, v.Talk.ID),
		)},
	}
}

// appreciationWords quotes each partner's appreciation from the reveal, or
// invites one said aloud when neither wrote one.
func appreciationWords(v conversations.TalkView) string {
	var b strings.Builder
	if v.Appreciations[0] == "" && v.Appreciations[1] == "" {
		b.WriteString(conversations.TalkNoAppreciation)
	} else {
		b.WriteString("Start with what you appreciated in each other: say yours out loud, or read out your partner's.")
		for i, p := range v.Couple.Partners {
			if words := v.Appreciations[i]; words != "" {
				fmt.Fprintf(&b, "\n\n**%s** appreciated:\n%s", p.Name, quotedAppreciation(words))
			} else {
				fmt.Fprintf(&b, "\n\n**%s**: nothing written this time. If one comes to mind, saying it aloud is welcome.", p.Name)
			}
		}
	}
	b.WriteString("\n\nEach of you presses **Read it** once you have said yours or read your partner's.")
	var read []string
	for i, p := range v.Couple.Partners {
		if v.Talk.Read[i] {
			read = append(read, p.Name)
		}
	}
	if len(read) > 0 {
		fmt.Fprintf(&b, " Pressed so far: %s.", strings.Join(read, ", "))
	}
	return b.String()
}

// maxAppreciationQuote is how much of each appreciation a talk quotes:
// two of the longest a template allows would not fit in one embed, and
// then who has pressed Read it would be cut off.
const maxAppreciationQuote = 1700

// quotedAppreciation quotes a partner's appreciation, shortened to fit
// with the other's, saying where the rest is.
func quotedAppreciation(words string) string {
	q := quoted(words)
	if utf8.RuneCountInString(q) <= maxAppreciationQuote {
		return q
	}
	return truncate(q, maxAppreciationQuote) + "\n(The rest is in your reveal.)"
}

// topicWords lists what the reveal raised, each in full, above the select.
func topicWords(v conversations.TalkView) string {
	var b strings.Builder
	b.WriteString("Pick one thing your check-in raised to talk about now. Whoever raised it speaks first.\n")
	for _, t := range offeredTopics(v) {
		b.WriteString("\n• " + t.Describe(v.Couple))
	}
	switch more := len(v.Topics) - maxTopicsOffered; {
	case more == 1:
		b.WriteString("\n\nOne more is in your reveal, for another day.")
	case more > 1:
		fmt.Fprintf(&b, "\n\n%d more are in your reveal, for another day.", more)
	}
	return b.String()
}

func offeredTopics(v conversations.TalkView) []conversations.TalkTopic {
	if len(v.Topics) > maxTopicsOffered {
		return v.Topics[:maxTopicsOffered]
	}
	return v.Topics
}

func topicSelect(v conversations.TalkView) discordgo.ActionsRow {
	var options []discordgo.SelectMenuOption
	for _, t := range offeredTopics(v) {
		options = append(options, discordgo.SelectMenuOption{Label: truncate(t.Describe(v.Couple), maxSelectLabel), Value: t.Key()})
	}
	return discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
		CustomID: customID{Action: actTalkTopic, ID: v.Talk.ID}.String(), Placeholder: "Choose one topic", Options: options,
	}}}
}

// turnWords says who speaks and who listens, and what comes next.
func turnWords(v conversations.TalkView) string {
	var b strings.Builder
	if v.Topic != nil {
		fmt.Fprintf(&b, "Your topic: %s\n\n", v.Topic.Describe(v.Couple))
	}
	speaker, listener := v.Speaker().Name, v.Listener().Name
	fmt.Fprintf(&b, "**%s speaks** about their own experience. **%s listens**, and says back what they heard before answering it.\n\nEach of you has prompts, shown only to you: **Prompts for the speaker** and **Prompts for the listener**.", speaker, listener)
	switch {
	case v.Talk.MayClose() && v.Talk.HeardNow:
		b.WriteString("\n\nYou have each spoken and felt heard. When you're ready, go **On to one small thing**, or swap again if there's more to say.")
	case v.Talk.MayClose():
		b.WriteString("\n\nYou have each spoken and felt heard. When you're ready, go **On to one small thing**.")
	case v.Talk.HeardNow:
		fmt.Fprintf(&b, "\n\n%s feels heard. When you're ready, **Swap**: %s speaks and %s listens.", speaker, listener, speaker)
	}
	b.WriteString("\n\n" + conversations.TalkOneTopic)
	return b.String()
}

// turnButtons are "I feel heard" for the speaker, then "Swap", and once
// both felt heard, the way on.
func turnButtons(v conversations.TalkView) discordgo.ActionsRow {
	id := v.Talk.ID
	var buttons []discordgo.Button
	if v.Talk.HeardNow {
		buttons = append(buttons, stepButton("Swap", discordgo.PrimaryButton, actTalkSwap, id))
	} else {
		buttons = append(buttons, stepButton("I feel heard", discordgo.PrimaryButton, actTalkHeard, id))
	}
	if v.Talk.MayClose() {
		buttons = append(buttons, stepButton("On to one small thing", discordgo.SuccessButton, actTalkClosing, id))
	}
	return talkRow(buttons...)
}

// talkBreakMessage is the talk's message during a break: why, and until
// when.
func talkBreakMessage(v conversations.TalkView) message {
	id := v.Talk.ID
	return message{
		Content: fmt.Sprintf("**Talking it through** · your check-in of %s", talkDay(v)),
		Embeds: []*discordgo.MessageEmbed{talkEmbed("A break", fmt.Sprintf(
			"%s\n\nYour break ends at %s. After that, either of you can press **We're back**, and the talk picks up where you left it. Mend asks once whether you're ready.",
			conversations.TalkBreakWhy, timestamp(v.Talk.BreakUntil, "t")))},
		Components: []discordgo.MessageComponent{talkRow(
			stepButton("We're back", discordgo.PrimaryButton, actTalkBack, id),
			stepButton("Let's stop here", discordgo.SecondaryButton, actTalkStop, id),
		)},
	}
}

// talkEndedMessage is what the talk's message says once it ended: words,
// and no buttons.
func talkEndedMessage(words string) message {
	return message{Embeds: []*discordgo.MessageEmbed{{Color: colorQuieter, Description: words}}}
}

// promptsMessage shows the partner who holds a role, alone, its prompts.
func promptsMessage(v conversations.TalkView, role conversations.TalkRole) message {
	title, prompts := "While you speak", conversations.SpeakerPrompts+" **I feel heard** on the talk's message says it."
	if role == conversations.RoleListener {
		title, prompts = fmt.Sprintf("While %s speaks", v.Speaker().Name), v.ListenerWords()
	}
	return message{Ephemeral: true, Embeds: []*discordgo.MessageEmbed{{
		Title: title, Color: colorCalm, Description: prompts,
		Footer: &discordgo.MessageEmbedFooter{Text: conversations.PrivateFooter},
	}}}
}

// comeBackMessage is the one "Ready to come back?" after a break, with a
// link to the talk's message when Mend knows it.
func comeBackMessage(v conversations.TalkView) message {
	m := message{Content: conversations.TalkComeBack}
	if v.Talk.MessageID != "" {
		m.Content += fmt.Sprintf(" Your talk: %s/channels/%s/%s/%s", WebURL, v.Couple.GuildID, v.Couple.ChannelID, v.Talk.MessageID)
	}
	return m
}

// promiseModal asks for a promise made at the close, and its due date.
func promiseModal(talkID int64) *discordgo.InteractionResponseData {
	return &discordgo.InteractionResponseData{
		CustomID: customID{Action: actTalkPromiseText, ID: talkID}.String(),
		Title:    "A promise I'll make",
		Components: []discordgo.MessageComponent{
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
				CustomID: "text", Label: "What I will do", Style: discordgo.TextInputShort,
				Placeholder: "Small and checkable, like: home by 7 pm on weekdays", Required: true, MaxLength: conversations.DefaultCommitmentLength,
			}}},
			discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
				CustomID: "due", Label: "Due date (optional), as YYYY-MM-DD", Style: discordgo.TextInputShort,
				Required: false, MaxLength: 10,
			}}},
		},
	}
}

// agreementModal asks for an agreement to propose at the close.
func agreementModal(talkID int64) *discordgo.InteractionResponseData {
	return &discordgo.InteractionResponseData{
		CustomID: customID{Action: actTalkAgreeText, ID: talkID}.String(),
		Title:    "An agreement to propose",
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: "text", Label: "What we'd both agree to", Style: discordgo.TextInputShort,
			Placeholder: "Something that protects you both", Required: true, MaxLength: conversations.MaxAgreementLength,
		}}}},
	}
}
