package bot

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

func partnerStatusLine(ci conversations.CheckIn, c conversations.Couple) string {
	var parts []string
	for i, p := range c.Partners {
		status := ci.Participants[i].Status
		parts = append(parts, fmt.Sprintf("**%s:** %s", p.Name, status.Label()))
	}
	return strings.Join(parts, " · ")
}

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
	if r.Divergences() > 0 {
		// Marked, never counted: a number of differences reads as a score.
		first.Content += " Where you see something differently, it is marked, as a gentle place to start talking. Once you have talked one through, either of you can press **We talked about it**."
	}
	first.Content += "\n\n" + conversations.TalkGuide
	pages := []message{first}
	chars := 0
	for _, b := range blocks {
		cur := &pages[len(pages)-1]
		if len(b.buttons) > 0 && len(cur.Components) == maxRowsPerMessage {
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
	// The offer of a guided talk comes last, after everything it is about,
	// on a page of its own when the last is full.
	if last := &pages[len(pages)-1]; len(last.Components) < maxRowsPerMessage {
		last.Components = append(last.Components, talkItThroughRow(r.CheckIn.ID))
	} else {
		pages = append(pages, message{Content: "When you're both ready, you can talk it through together, one step at a time.", Components: []discordgo.MessageComponent{talkItThroughRow(r.CheckIn.ID)}})
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
	if own, ok := row.Owner(c); ok && own >= 0 {
		// A partner's words about their own boundary: theirs alone.
		base.Fields = []*discordgo.MessageEmbedField{{Name: names[own], Value: truncate(answers[own], maxFieldValue)}}
		return append(out, base)
	}
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

func statusMessage(ci *conversations.CheckIn, c conversations.Couple, now time.Time) message {
	if ci == nil {
		return message{Ephemeral: true, Content: "There is no check-in open right now. `/checkin now` starts one."}
	}
	text := fmt.Sprintf("**%s**, open until %s.\n%s", ci.Template.Name, timestamp(ci.ClosesAt, "f"), partnerStatusLine(*ci, c))
	return message{Ephemeral: true, Content: text}
}
