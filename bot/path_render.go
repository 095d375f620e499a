package bot

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// weekPlace is "Week 5 of 13: boundaries — money", the way the path names a
// theme everywhere.
func weekPlace(w conversations.Week) string {
	return fmt.Sprintf("%s: %s", capitalize(w.Place()), w.Pack.Name)
}

func drawnPlace(d conversations.Drawn) string {
	if place := d.Place(); place != "" {
		return fmt.Sprintf("%s: %s", capitalize(place), d.Theme)
	}
	return d.Theme
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// questionOfTheWeekLine heads a question of the week where a partner answers
// it, so that it does not come out of nowhere.
func questionOfTheWeekLine(p conversations.Prompt) string {
	if p.Drawn == nil {
		return ""
	}
	return "*This week's question · " + drawnPlace(*p.Drawn) + "*\n"
}

const pathAbout = "Each check-in brings, besides the usual questions, one question of the week for both of you, shown side by side like the others. The path walks the six steps of rebuilding trust, a theme a week: acknowledge the hurt, take responsibility, communicate openly, show don't just say, set boundaries, be patient; then it goes round again. No question comes back before every question of its pack has been asked. The question of the week can always be skipped, like any question that is not required: press Skip on it, and nothing is shown for you."

// pathMessage is where the couple stands on the guided path, for one of them.
func pathMessage(v conversations.PathView) message {
	var lines []string
	switch {
	case v.Path.Off:
		line := "**The question of the week is off.** Check-ins bring only the usual questions. Your place on the path is kept"
		if v.HasNext {
			line += ": when one of you turns it back on with `/path on`, the next check-in brings " + lowerFirst(weekPlace(v.Next)) + "."
		} else {
			line += "."
		}
		lines = append(lines, line)
	case !v.HasNext:
		lines = append(lines, "**No pack of your path is on.** `/path packs` turns packs on.")
	case v.Current != nil:
		lines = append(lines, fmt.Sprintf("**%s.** This week's question is in the check-in open now: “%s”", drawnPlace(*v.Current.Drawn), v.Current.Text),
			fmt.Sprintf("**Next:** %s.", lowerFirst(weekPlace(v.Next))))
	default:
		lines = append(lines, fmt.Sprintf("**%s.** This week's question comes with your next check-in.", weekPlace(v.Next)))
		if v.After.Pack.ID != "" {
			lines = append(lines, fmt.Sprintf("**Then:** %s.", lowerFirst(weekPlace(v.After))))
		}
	}
	lines = append(lines, pathAbout)
	on := 0
	var off []string
	for _, ps := range v.Packs {
		if ps.On {
			on++
		} else {
			off = append(off, ps.Pack.Name)
		}
	}
	packs := fmt.Sprintf("**Packs on:** %d of %d.", on, len(v.Packs))
	if len(off) > 0 {
		packs += " Off: " + strings.Join(off, ", ") + "."
	}
	lines = append(lines, packs, "`/path packs` chooses the packs, `/path skip` moves past the next theme, `/path off` and `/path on` pause the question of the week and bring it back.")
	return message{Ephemeral: true, Embeds: []*discordgo.MessageEmbed{{Title: "Your path", Color: colorCalm, Description: strings.Join(lines, "\n\n")}}}
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// nextLine says what the next check-in brings after a change.
func nextLine(v conversations.PathView) string {
	switch {
	case v.Path.Off:
		return "The question of the week is off."
	case !v.HasNext:
		return "No pack of your path is on, so check-ins bring only the usual questions."
	}
	s := "Your next check-in brings " + lowerFirst(weekPlace(v.Next)) + "."
	if v.Current != nil {
		s += " The check-in open now keeps its question."
	}
	return s
}

// pathSkipDoneMessage tells the partner who skipped, privately, that it is
// done and that the channel says so without naming them.
func pathSkipDoneMessage(skipped conversations.Week) message {
	return message{Ephemeral: true, Content: fmt.Sprintf("Done: the theme *%s* was passed over. A note in your channel tells you both, without saying who.", skipped.Pack.Name)}
}

// pathSkippedMessage is posted in the channel, so both partners know that
// a theme was passed over; it does not say by whom, so that passing over a
// hard theme never has to be explained.
func pathSkippedMessage(skipped conversations.Week, v conversations.PathView) message {
	return message{Content: fmt.Sprintf("The theme *%s* was passed over this time. It comes back in the next round of your path. %s", skipped.Pack.Name, nextLine(v))}
}

// pathSwitchedMessage is posted in the channel when the question of the
// week is turned off or on.
func pathSwitchedMessage(who string, v conversations.PathView) message {
	if v.Path.Off {
		return message{Content: fmt.Sprintf("%s turned the question of the week off. Check-ins bring only the usual questions until one of you uses `/path on`; your place on the path is kept.", who)}
	}
	return message{Content: fmt.Sprintf("%s turned the question of the week back on. %s", who, nextLine(v))}
}

// pathPacksMessage offers a partner the packs of the path to turn on and off.
func pathPacksMessage(v conversations.PathView) message {
	var lines []string
	options := make([]discordgo.SelectMenuOption, 0, len(v.Packs))
	for _, ps := range v.Packs {
		state := "on"
		if !ps.On {
			state = "off"
		}
		lines = append(lines, fmt.Sprintf("• **%s** (%s), %d questions: %s", ps.Pack.Name, ps.Pack.Step.Label(), len(ps.Pack.Questions), state))
		options = append(options, discordgo.SelectMenuOption{
			Label: truncate(ps.Pack.Name, maxSelectLabel), Value: ps.Pack.ID, Default: ps.On,
			Description: truncate(fmt.Sprintf("%s · %d questions", capitalize(ps.Pack.Step.Label()), len(ps.Pack.Questions)), maxSelectLabel),
		})
	}
	one := 1
	return message{
		Ephemeral: true,
		Content:   "Choose the packs your path walks through. A pack that is off is passed over, here and in every check-in; what it asked before stays in your history. The change is posted in your channel, so you both know.",
		Embeds:    []*discordgo.MessageEmbed{{Title: "Packs", Color: colorCalm, Description: strings.Join(lines, "\n")}},
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
			CustomID: customID{Action: actPathPacks, ID: v.Couple.ID}.String(), Placeholder: "The packs that are on",
			MinValues: &one, MaxValues: len(options), Options: options,
		}}}},
	}
}

// packNames lists the names of packs, for a sentence.
func packNames(packs []conversations.Pack) string {
	out := make([]string, len(packs))
	for i, p := range packs {
		out[i] = p.Name
	}
	return strings.Join(out, ", ")
}

// pathPacksChangedMessage is posted in the channel after a partner chose:
// packs turned on are on at once; packs to turn off are asked of the other
// partner, with the buttons to answer.
func pathPacksChangedMessage(who string, turnedOn, turnedOff []conversations.Pack, v conversations.PathView) message {
	var lines []string
	if len(turnedOn) > 0 {
		lines = append(lines, fmt.Sprintf("%s turned on packs of your path: %s.", who, packNames(turnedOn)))
	}
	m := message{}
	if len(turnedOff) > 0 {
		other := v.Couple.Other(v.Path.ProposedBy)
		lines = append(lines, fmt.Sprintf("%s would like to turn off, for both of you: %s. They stay on unless %s agrees.", who, packNames(turnedOff), other.Name))
		m.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Turn them off", Style: discordgo.PrimaryButton, CustomID: customID{Action: actPacksOff, ID: v.Couple.ID, Number: 1, Key: v.Path.ProposalKey()}.String()},
			discordgo.Button{Label: "Keep them on", Style: discordgo.SecondaryButton, CustomID: customID{Action: actPacksOff, ID: v.Couple.ID, Number: 0, Key: v.Path.ProposalKey()}.String()},
		}}}
	}
	m.Content = strings.Join(append(lines, nextLine(v)), " ")
	return m
}

// packsOffAnsweredMessage replaces the proposal once the other partner
// answered it.
func packsOffAnsweredMessage(who string, accepted bool, proposed []conversations.Pack, v conversations.PathView) message {
	if accepted {
		return message{Content: fmt.Sprintf("%s agreed: off now for both of you: %s. %s", who, packNames(proposed), nextLine(v))}
	}
	return message{Content: fmt.Sprintf("%s would rather keep them on: %s. %s", who, packNames(proposed), nextLine(v))}
}

// checkInWeekField names the theme of a check-in's question of the week on
// its message in the channel.
func checkInWeekField(ci conversations.CheckIn) *discordgo.MessageEmbedField {
	qs := ci.QuestionsOfTheWeek()
	if len(qs) == 0 {
		return nil
	}
	var themes []string
	for _, q := range qs {
		themes = append(themes, drawnPlace(*q.Drawn))
	}
	return &discordgo.MessageEmbedField{Name: "This week's theme", Value: truncate(strings.Join(themes, "\n"), maxFieldValue)}
}

// historyWeekLine is a check-in's question of the week in /history.
func historyWeekLine(ci conversations.CheckIn) string {
	var out string
	for _, q := range ci.QuestionsOfTheWeek() {
		out += fmt.Sprintf("\nquestion of the week (%s): “%s”", lowerFirst(drawnPlace(*q.Drawn)), q.Label)
	}
	return out
}

// themesLine lists in /progress the path's themes finished together.
func themesLine(p conversations.Progress) string {
	if len(p.Themes) == 0 {
		return ""
	}
	parts := make([]string, len(p.Themes))
	for i, t := range p.Themes {
		parts[i] = t.Theme
		if t.Times > 1 {
			parts[i] += fmt.Sprintf(" (%d times)", t.Times)
		}
	}
	return fmt.Sprintf("**Themes of your path done together:** %s.", strings.Join(parts, ", "))
}
