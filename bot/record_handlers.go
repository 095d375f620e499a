package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// recordHandlers answer what looks back on a couple's records: /history,
// /progress, /export and /forget.
type recordHandlers struct {
	*shared
	couples *conversations.Couples
	records *conversations.Records
	// copiesKept is Config.CopiesKept.
	copiesKept time.Duration
}

// /history, /progress, /export, /forget and /help.
var (
	historyCommand = command{
		name: "history", description: "Your past check-ins, newest first", handle: func(g *groups) handler { return g.records.history },
		options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionInteger, Name: "count", Description: "How many (default 5)", MinValue: &one, MaxValue: 25}},
	}
	progressCommand = command{
		name: "progress", description: "Closeness and follow-through over the weeks, with a chart, shown only to you", handle: func(g *groups) handler { return g.records.progress }, deferral: deferPrivately,
		options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionInteger, Name: "weeks", Description: "How many weeks back (default 12)", MinValue: &one, MaxValue: 104}},
	}
	exportCommand = command{name: "export", description: "Download everything Mend stores of you two, as a JSON file", handle: func(g *groups) handler { return g.records.export }, deferral: deferPrivately}
	forgetCommand = command{name: "forget", description: "Delete everything Mend stores of you two (asks you to confirm)", handle: func(g *groups) handler { return g.records.forget }}
	helpCommand   = command{name: "help", description: "How Mend works", handle: func(g *groups) handler { return g.help }}
)

func (h *recordHandlers) history(ctx context.Context, it *interaction) error {
	couple, err := h.couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	entries, err := h.records.History(ctx, it.actor(), int(intOption(it.ApplicationCommandData(), "count", 5)))
	if err != nil {
		return err
	}
	m := historyMessage(entries, couple)
	for _, e := range entries {
		if e.RevealMissing {
			// The newest one first: that is the one they were waiting for.
			m.Components = []discordgo.MessageComponent{repostRow(e.CheckIn.ID)}
			break
		}
	}
	return it.reply(m)
}

func historyMessage(entries []conversations.HistoryEntry, c conversations.Couple) message {
	if len(entries) == 0 {
		return errorMessage("No check-ins yet. `/checkin now` starts one.")
	}
	var lines []string
	for _, e := range entries {
		ci := e.CheckIn
		head := fmt.Sprintf("**%s** · %s", ci.OpenedAt.In(c.Location()).Format("Mon 2 Jan 2006"), ci.Template.Name)
		week := historyWeekLine(ci)
		switch ci.Status {
		case conversations.CheckInOpen:
			lines = append(lines, head+" · open now"+week)
			continue
		case conversations.CheckInClosed:
			lines = append(lines, head+" · closed before you had both finished"+week)
			continue
		}
		switch {
		case ci.RevealPostID != "":
			head += fmt.Sprintf(" · [your answers](%s/channels/%s/%s/%s)", WebURL, c.GuildID, c.ChannelID, ci.RevealPostID)
		case e.RevealMissing:
			head += " · the answers never reached the channel"
		default:
			head += " · the answers are on their way to the channel"
		}
		var parts []string
		if e.Trust[0] > 0 || e.Trust[1] > 0 {
			parts = append(parts, fmt.Sprintf("closeness %s %d, %s %d", c.Partners[0].Name, e.Trust[0], c.Partners[1].Name, e.Trust[1]))
		}
		if e.Reviews > 0 {
			parts = append(parts, fmt.Sprintf("%d review%s", e.Reviews, plural(e.Reviews)))
		}
		if e.Made > 0 {
			parts = append(parts, fmt.Sprintf("%d new commitment%s", e.Made, plural(e.Made)))
		}
		if len(parts) > 0 {
			head += "\n" + strings.Join(parts, " · ")
		}
		lines = append(lines, head+week)
	}
	return listMessage("Your check-ins", lines)
}

// progress shows the couple's progress to the partner who asked, and to
// nobody else: a tally in the shared channel can be pulled out in a fight.
// A button posts it to the channel, if they choose.
func (h *recordHandlers) progress(ctx context.Context, it *interaction) error {
	weeks := int(intOption(it.ApplicationCommandData(), "weeks", 12))
	// Two years of check-ins and a chart can take longer than Discord's three
	// seconds on a busy machine: answer "thinking" first.
	if err := it.deferReply(true); err != nil {
		return err
	}
	m, png, err := h.progressCard(ctx, it, weeks)
	if err != nil {
		return err
	}
	m.Components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Post to our channel", Style: discordgo.SecondaryButton, CustomID: customID{Action: actPostProgress, ID: int64(weeks)}.String()},
	}}}
	return h.sendProgress(ctx, it, m, png)
}

// postProgress posts the progress a partner was shown privately to the
// couple's channel, because they chose to, saying who shared it.
// Whether they may is checked before anything is shown, so that a refusal
// is answered privately, never in the channel.
func (h *recordHandlers) postProgress(ctx context.Context, it *interaction, id customID) error {
	p, err := h.records.Progress(ctx, it.actor(), int(id.ID))
	if err != nil {
		return err
	}
	if err := it.deferReply(false); err != nil {
		return err
	}
	m, png, err := progressCardOf(p, int(id.ID))
	if err != nil {
		return err
	}
	m.Content = it.displayName() + " chose to share this with you both."
	return h.sendProgress(ctx, it, m, png)
}

func (h *recordHandlers) progressCard(ctx context.Context, it *interaction, weeks int) (message, []byte, error) {
	p, err := h.records.Progress(ctx, it.actor(), weeks)
	if err != nil {
		return message{}, nil, err
	}
	return progressCardOf(p, weeks)
}

func progressCardOf(p conversations.Progress, weeks int) (message, []byte, error) {
	png, err := progressChart(p)
	if err != nil {
		return message{}, nil, fmt.Errorf("draw progress chart: %w", err)
	}
	m := progressMessage(p, weeks)
	m.Embeds[0].Image = &discordgo.MessageEmbedImage{URL: "attachment://progress.png"}
	return m, png, nil
}

func (h *recordHandlers) sendProgress(ctx context.Context, it *interaction, m message, png []byte) error {
	edit := m.webhookEdit()
	edit.Files = []*discordgo.File{{Name: "progress.png", ContentType: "image/png", Reader: bytes.NewReader(png)}}
	if _, err := h.session.InteractionResponseEdit(it.Interaction, edit, discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("send progress: %w", err)
	}
	return nil
}

// sharedWeeksLine counts the weeks shared, never a streak: a week off
// breaks nothing.
func sharedWeeksLine(p conversations.Progress) string {
	if p.Weeks == 1 {
		return fmt.Sprintf("Check-ins you shared: %d of the last week. Weeks off are part of it.", p.SharedWeeks)
	}
	return fmt.Sprintf("Check-ins you shared: %d of the last %d weeks. Weeks off are part of it.", p.SharedWeeks, p.Weeks)
}

func progressMessage(p conversations.Progress, weeks int) message {
	lines := []string{sharedWeeksLine(p)}
	for i, pp := range p.Partners {
		closeness := "no answers yet"
		if n := len(pp.Trust); n > 0 {
			first, last := pp.Trust[0].Value, pp.Trust[n-1].Value
			closeness = fmt.Sprintf("%d of 5 now (from %d)", last, first)
		}
		lines = append(lines, fmt.Sprintf("**%s**\nCloseness: %s.\n%s",
			pp.Partner.Name, closeness, promisesLine(pp, p.Partners[1-i].Partner.Name)))
	}
	lines = append(lines, agreementsLine(p))
	if talks := talksLine(p); talks != "" {
		lines = append(lines, talks)
	}
	if themes := themesLine(p); themes != "" {
		lines = append(lines, themes)
	}
	if p.Revealed == 0 {
		lines = append(lines, "Nothing to chart yet: progress counts only check-ins you have both finished. It takes a few weeks for a picture to form, and that is fine.")
	}
	return message{Embeds: []*discordgo.MessageEmbed{{Title: "Progress", Color: colorCalm, Description: strings.Join(lines, "\n\n")}}}
}

func (h *recordHandlers) export(ctx context.Context, it *interaction) error {
	// Reading every row of a couple of years can take a while.
	if err := it.deferReply(true); err != nil {
		return err
	}
	data, err := h.records.Export(ctx, it.actor())
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(data, "", "  ")
	if err != nil {
		return fmt.Errorf("encode export: %w", err)
	}
	if len(body) > 10<<20 {
		return conversations.Errorf(conversations.ECONFLICT, "Your data is larger than Discord lets a bot attach (10 MB). Please ask whoever runs Mend for a copy.")
	}
	edit := exportReply(data).webhookEdit()
	edit.Files = []*discordgo.File{{Name: fmt.Sprintf("mend-export-%s.json", h.now().Format("2006-01-02")), ContentType: "application/json", Reader: strings.NewReader(string(body))}}
	if _, err := h.session.InteractionResponseEdit(it.Interaction, edit, discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("send export: %w", err)
	}
	return nil
}

func (h *recordHandlers) forget(ctx context.Context, it *interaction) error {
	couple, err := h.couples.OwnedHere(ctx, it.actor())
	if err != nil {
		return err
	}
	return it.reply(message{
		Ephemeral: true,
		Content: "Delete everything Mend stores of you two: every check-in and answer, commitments, agreements, the schedule? This cannot be undone. `/export` first if you want a copy. " +
			couple.Other(it.userID()).Name + " will be told that everything was deleted (a note in your channel, or the channel gone), never why.",
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Delete everything", Style: discordgo.DangerButton, CustomID: customID{Action: actForget, ID: couple.ID}.String()},
			discordgo.Button{Label: "Delete everything and this channel", Style: discordgo.DangerButton, CustomID: customID{Action: actForget, ID: couple.ID, Number: 1}.String()},
			discordgo.Button{Label: "Keep it", Style: discordgo.SecondaryButton, CustomID: customID{Action: actKeep, ID: couple.ID}.String()},
		}}},
	})
}

func (h *recordHandlers) forgetConfirmed(ctx context.Context, it *interaction, id customID) error {
	forgotten, err := h.records.Forget(ctx, it.actor(), id.ID)
	if err != nil {
		return err
	}
	couple := forgotten.Couple
	h.log.Info("couple forgotten", "couple", couple.ID, "by", it.userID(), "wiped", forgotten.Wiped)
	summary := forgetSummary(forgotten.Counts())
	if err := it.update(forgetDone(forgotten, id.Number == 1, h.copiesKept)); err != nil {
		return err
	}
	if id.Number == 1 {
		if _, err := h.session.ChannelDelete(couple.ChannelID, discordgo.WithContext(ctx)); err != nil {
			h.log.Warn("could not delete a forgotten couple's channel", "channel", couple.ChannelID, "err", err)
		}
		return nil
	}
	notice := message{Content: fmt.Sprintf("%s deleted everything Mend stored of you two (%s). This channel stays until you delete it.", it.displayName(), summary)}
	if _, err := h.session.ChannelMessageSendComplex(couple.ChannelID, notice.send(), discordgo.WithContext(ctx)); err != nil {
		h.log.Warn("could not post that a couple was forgotten", "channel", couple.ChannelID, "err", err)
	}
	return nil
}

// forgetDone tells the partner what went and whether anything of it is still
// on disk: "Mend keeps nothing" is said only once it is true.
// copiesKept, when not 0, is how long the copies of the database kept beside
// it (backups, a replica) may still hold what went.
func forgetDone(f conversations.Forgotten, channelGoes bool, copiesKept time.Duration) message {
	text := "Deleted from Mend: " + forgetSummary(f.Counts()) + "."
	switch {
	case copiesKept > 0 && f.Wiped:
		text += " Mend's database keeps nothing of you two now."
	case copiesKept > 0:
		text += " The copy in Mend's database file on disk is wiped within minutes (the file was in use just now)."
	case f.Wiped:
		text += " Mend keeps nothing of you two now."
	default:
		text += " The copy in Mend's database file on disk is wiped within minutes (the file was in use just now); after that Mend keeps nothing of you two."
	}
	if copiesKept > 0 {
		text += fmt.Sprintf(" Copies of the database taken before now, which whoever runs Mend keeps in case of a failure, still hold it for up to %s; after that nothing of you two is kept.", conversations.PlainDuration(copiesKept))
	}
	if !channelGoes {
		text += " The messages already posted in this channel stay until you delete them (or the channel)."
	}
	return message{Content: text}
}

func forgetSummary(c conversations.Counts) string {
	words := []struct {
		n   int
		one string
	}{
		{c.CheckIns, "check-in"}, {c.Answers, "answer"}, {c.Commitments, "commitment"}, {c.Agreements, "agreement"},
		{c.Acknowledgements, "acknowledgement"}, {c.TalksHeld, "guided talk"}, {c.Schedules, "schedule"}, {c.Posts, "queued message"},
	}
	var parts []string
	for _, w := range words {
		if n := w.n; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s%s", n, w.one, plural(n)))
		}
	}
	if len(parts) == 0 {
		return "the couple itself"
	}
	return strings.Join(parts, ", ") + " and the couple itself"
}

func (h *recordHandlers) forgetCancelled(ctx context.Context, it *interaction, id customID) error {
	// Only a partner of this couple may answer, like every other button.
	if err := h.records.Keep(ctx, it.actor(), id.ID); err != nil {
		return err
	}
	return it.update(message{Content: "Nothing was deleted."})
}
