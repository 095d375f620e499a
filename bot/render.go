package bot

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// A calm teal that reads on Discord's dark and light themes alike.
const (
	colorCalm    = 0x4E9A8F
	colorQuieter = 0x8A8F98
	// colorTwoViews marks a review the partners saw differently: a quiet
	// blue, because amber with a flag read as an alarm, and two views are
	// not one.
	colorTwoViews = 0x7088B0
)

// twoViewsMark goes before "You see this one differently": two arrows that
// point both ways, not a flag.
const twoViewsMark = "⇄"

// Discord's limits on what one message can carry.
const (
	maxEmbedTitle       = 256
	maxEmbedDescription = 4096
	maxFieldValue       = 1024
	maxEmbedsPerMessage = 10
	maxEmbedCharsTotal  = 6000
	maxButtonLabel      = 80
	maxSelectLabel      = 100
	maxModalTitle       = 45
	maxInputLabel       = 45
	maxPlaceholder      = 100
	// maxQuotedCommitment is the longest a commitment is quoted; anything
	// longer (from before templates were held to it) is cut with an ellipsis.
	maxQuotedCommitment = conversations.MaxCommitmentLength
)

const privacyNote = "**Privacy.** This channel is visible only to the two of you and Mend, with one exception Discord does not let any bot change: a server member with the **Administrator** permission can read every channel. For full privacy, use a server that only the two of you and the bot are in."

const notATherapist = "Mend is a tool for the two of you, not a therapist. If things feel too heavy to carry alone, a couples counsellor can help."

func mention(userID string) string { return "<@" + userID + ">" }

func timestamp(t time.Time, style string) string {
	return fmt.Sprintf("<t:%d:%s>", t.Unix(), style)
}

// truncate cuts s to at most n characters, marking the cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func errorMessage(text string) message {
	return message{Ephemeral: true, Content: text}
}

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

func invitationAnswered(c conversations.Couple) message {
	text := fmt.Sprintf("%s declined the invitation. Nothing else was saved.", c.Partners[1].Name)
	if c.Status == conversations.CoupleActive {
		text = fmt.Sprintf("%s accepted. Your private channel is <#%s>.", c.Partners[1].Name, c.ChannelID)
	}
	return message{Content: text}
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
				"**Promises and boundaries.** A concrete commitment you make (in a check-in or with `/commitment add`) is reviewed by both of you at every check-in until it is done, and so are your agreements: one of you proposes one with `/agreement add`, and it counts once the other says yes. `/progress` shows over the weeks what is kept.",
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
	return message{Content: fmt.Sprintf("%s has left Mend. No more check-ins will start here. This channel stays until one of you deletes it.", c.Partners[i].Name)}
}

func partnerStatusLine(ci conversations.CheckIn, c conversations.Couple) string {
	var parts []string
	for i, p := range c.Partners {
		status := ci.Participants[i].Status
		parts = append(parts, fmt.Sprintf("**%s:** %s", p.Name, status.Label()))
	}
	return strings.Join(parts, " · ")
}

// closedWithoutReveal is said wherever a check-in that closed unrevealed is
// shown in the channel.
const (
	closedWithoutReveal = "This check-in closed without a reveal"
	closedKindly        = "Weeks like this happen. What each of you wrote is kept, and stays private."
)

// checkInPost is the check-in's message in the couple channel, kept up to date
// as the partners go along.
func checkInPost(ci conversations.CheckIn, c conversations.Couple, now time.Time) message {
	embed := &discordgo.MessageEmbed{
		Title: truncate("Check-in: "+ci.Template.Name, maxEmbedTitle),
		Color: colorCalm,
		Fields: []*discordgo.MessageEmbedField{
			{Name: "Where you are", Value: partnerStatusLine(ci, c)},
		},
	}
	if f := checkInWeekField(ci); f != nil {
		embed.Fields = append(embed.Fields, f)
	}
	var components []discordgo.MessageComponent
	switch ci.StatusAt(now) {
	case conversations.CheckInOpen:
		embed.Description = "Each of you answers on your own; what you write is shown to nobody until you have both finished, then to both of you at once. Press **Start my check-in** to begin or to continue where you left off."
		embed.Fields = append(embed.Fields, &discordgo.MessageEmbedField{Name: "Open until", Value: timestamp(ci.ClosesAt, "f") + " (" + timestamp(ci.ClosesAt, "R") + ")"})
		components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Start my check-in", Style: discordgo.PrimaryButton, CustomID: customID{Action: actStart, ID: ci.ID}.String()},
		}}}
	case conversations.CheckInRevealed:
		embed.Description = "You have both finished. Your answers are shown below."
	case conversations.CheckInClosed:
		// Who had finished and who had not is nobody's score to keep.
		embed.Fields = nil
		embed.Color = colorQuieter
		embed.Description = closedWithoutReveal + ". " + closedKindly
	}
	return message{Embeds: []*discordgo.MessageEmbed{embed}, Components: components}
}

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
	embed := &discordgo.MessageEmbed{
		Title:       stepTitle(step),
		Description: truncate(desc.String(), maxEmbedDescription),
		Color:       colorCalm,
		Footer:      &discordgo.MessageEmbedFooter{Text: "Only you can see this. Every answer is saved as you go."},
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
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.Button{
			Label: label, Style: discordgo.PrimaryButton, CustomID: customID{Action: actWrite, ID: ci, Prompt: p.ID}.String(),
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

func pausedMessage() message {
	return message{Ephemeral: true, Embeds: []*discordgo.MessageEmbed{{
		Title:       "Taking a break",
		Color:       colorQuieter,
		Description: "Take the time you need. When feelings run high, about twenty minutes away helps before coming back: long enough to settle, short enough that it stays a pause. The check-in waits for you, with everything you answered saved, and your partner can see that you are taking a break. Press **Start my check-in** in the channel when you are ready to go on.",
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
	return &discordgo.InteractionResponseData{
		CustomID:   customID{Action: actTextModal, ID: step.CheckIn.ID, Prompt: p.ID}.String(),
		Title:      title,
		Components: rows,
	}
}

// revealMessages lays out a revealed check-in over as many channel messages as
// Discord's size limits need: one embed per question, answers side by side.
func revealMessages(r conversations.Reveal) []message {
	names := [2]string{r.Couple.Partners[0].Name, r.Couple.Partners[1].Name}
	type block struct {
		embeds  []*discordgo.MessageEmbed
		buttons []discordgo.MessageComponent
	}
	var blocks []block
	for _, row := range r.Rows {
		blocks = append(blocks, block{embeds: rowEmbeds(row, r, names), buttons: repairButtons(r, row, names)})
	}

	first := message{
		Content: fmt.Sprintf("%s %s, you have both finished. Here are your answers, side by side.",
			mention(r.Couple.Partners[0].UserID), mention(r.Couple.Partners[1].UserID)),
		Mentions: []string{r.Couple.Partners[0].UserID, r.Couple.Partners[1].UserID},
	}
	if n := r.Divergences(); n > 0 {
		first.Content += fmt.Sprintf(" You see %d thing%s differently; those are marked, as a gentle place to start talking. Once you have talked one through, either of you can press **We talked about it**.", n, plural(n))
	}
	pages := []message{first}
	chars := 0
	for _, b := range blocks {
		cur := &pages[len(pages)-1]
		if len(b.buttons) > 0 && len(cur.Components) == 5 {
			pages = append(pages, message{})
			cur, chars = &pages[len(pages)-1], 0
		}
		// Embed by embed: one question with two answers of 4000 characters
		// does not fit in one message, and must not be cut.
		for _, e := range b.embeds {
			size := embedChars(e)
			if len(cur.Embeds) == maxEmbedsPerMessage || chars+size > maxEmbedCharsTotal {
				pages = append(pages, message{})
				cur, chars = &pages[len(pages)-1], 0
			}
			cur.Embeds = append(cur.Embeds, e)
			chars += size
		}
		if len(b.buttons) > 0 {
			cur.Components = append(cur.Components, discordgo.ActionsRow{Components: b.buttons})
		}
	}
	return pages
}

func rowEmbeds(row conversations.RevealRow, r conversations.Reveal, names [2]string) []*discordgo.MessageEmbed {
	c := r.Couple
	p := row.Item.Prompt
	var answers [2]string
	for i, a := range row.Answers {
		answers[i] = "(not shared)"
		if a != nil {
			answers[i] = a.Summary(p)
		}
	}
	base := &discordgo.MessageEmbed{Title: truncate(p.Text, maxEmbedTitle), Color: colorCalm}
	if s := row.Item.Subject; s != nil {
		base.Description = s.Describe(c, "")
	}
	if p.Drawn != nil {
		base.Author = &discordgo.MessageEmbedAuthor{Name: truncate("This week's question · "+drawnPlace(*p.Drawn), maxEmbedTitle)}
	}
	var out []*discordgo.MessageEmbed
	if utf8.RuneCountInString(answers[0]) <= maxFieldValue && utf8.RuneCountInString(answers[1]) <= maxFieldValue {
		base.Fields = []*discordgo.MessageEmbedField{
			{Name: names[0], Value: answers[0], Inline: true},
			{Name: names[1], Value: answers[1], Inline: true},
		}
		out = append(out, base)
	} else {
		// Too long to sit side by side: one embed per partner, one above the
		// other, each within Discord's description limit (answers are at most
		// 4000 characters, names at most 32).
		out = append(out, base)
		for i := range answers {
			out = append(out, &discordgo.MessageEmbed{Color: colorCalm, Description: truncate("**"+names[i]+"**\n"+answers[i], maxEmbedDescription)})
		}
	}
	if row.Divergent {
		last := out[len(out)-1]
		last.Color = colorTwoViews
		value := "That is worth a gentle conversation, not a verdict."
		if r.TalkedAbout(row.Item.Key()) {
			value += " You have talked about it."
		}
		last.Fields = append(last.Fields, &discordgo.MessageEmbedField{
			Name: twoViewsMark + " You see this one differently", Value: value,
		})
	}
	if note := thankNote(row); note != "" {
		out[len(out)-1].Footer = &discordgo.MessageEmbedFooter{Text: note}
	}
	return out
}

func embedChars(e *discordgo.MessageEmbed) int {
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
	for _, f := range e.Fields {
		n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	if e.Footer != nil {
		n += utf8.RuneCountInString(e.Footer.Text)
	}
	if e.Author != nil {
		n += utf8.RuneCountInString(e.Author.Name)
	}
	return n
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func statusMessage(ci *conversations.CheckIn, c conversations.Couple, now time.Time) message {
	if ci == nil {
		return message{Ephemeral: true, Content: "There is no check-in open right now. `/checkin now` starts one."}
	}
	text := fmt.Sprintf("**%s**, open until %s.\n%s", ci.Template.Name, timestamp(ci.ClosesAt, "f"), partnerStatusLine(*ci, c))
	return message{Ephemeral: true, Content: text}
}

func helpMessage(safety conversations.SafetyNote) message {
	return message{Ephemeral: true, Embeds: []*discordgo.MessageEmbed{{
		Title: "Mend",
		Color: colorCalm,
		Description: strings.Join([]string{
			"`/couple invite partner:` invite your partner; they must accept. Mend then makes a private channel for the two of you.",
			"`/couple info` shows your couple; `/couple leave` ends it, after asking you to confirm.",
			"`/schedule set` chooses when check-ins open by themselves (a day, a time and your time zone, every week or every few weeks); `/schedule show`, `/schedule pause until:`, `/schedule resume`.",
			"`/checkin now` starts a check-in in your channel; `/checkin status` shows where you both are.",
			"`/commitment add|list|done|drop`: concrete promises, reviewed by both of you at every check-in. `/agreement add|list|retire`: boundaries you set together; one of you proposes, and it counts once the other agrees (retiring one, too). About money and much else: your social life (\"we tell each other before meeting an ex\"), honesty (\"we answer questions about our phones truthfully\"), your time (\"Sunday evenings are for us\").",
			"`/path show` says where you are on your guided path: a theme and a fresh question each week, walking the six steps of rebuilding trust. `/path packs`, `/path skip`, `/path off` and `/path on` let you shape it.",
			"`/history` lists past check-ins; `/progress` shows trust, follow-through and your streak over the weeks, with a chart.",
			"`/export` sends you everything Mend stores of you two; `/forget` deletes it all, after asking.",
			privacyNote,
			notATherapist,
		}, "\n\n"),
	}, safetyEmbed("If you ever feel unsafe", safety)}}
}
