package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// /commitment: concrete promises, reviewed at every check-in.
var commitmentCommand = command{
	name: "commitment", description: "Concrete promises, reviewed by both of you at every check-in",
	subcommands: []command{
		{
			name: "add", description: "Make a concrete, checkable promise", handle: (*Bot).commitmentAdd,
			options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "text", Description: "What you will do, like: home by 7 pm on weekdays", Required: true, MaxLength: 300},
				{Type: discordgo.ApplicationCommandOptionString, Name: "due", Description: "Optional due date, YYYY-MM-DD", MaxLength: 10},
			},
		},
		{name: "list", description: "Your commitments, open ones first", handle: (*Bot).commitmentList},
		{
			name: "done", description: "Mark one of your commitments done", handle: (*Bot).commitmentDone,
			options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionInteger, Name: "commitment", Description: "Which one", Required: true, Autocomplete: true}},
			suggest: map[string]suggester{"commitment": suggestSubjects},
		},
		{
			name: "drop", description: "Drop one of your commitments", handle: (*Bot).commitmentDrop,
			options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionInteger, Name: "commitment", Description: "Which one", Required: true, Autocomplete: true}},
			suggest: map[string]suggester{"commitment": suggestSubjects},
		},
	},
}

// suggestSubjects offers the commitments or agreements an ID option can name.
func suggestSubjects(b *Bot, ctx context.Context, it *interaction, typing *discordgo.ApplicationCommandInteractionDataOption) []*discordgo.ApplicationCommandOptionChoice {
	return b.subjectChoices(ctx, it, typing.Name, fmt.Sprint(typing.Value))
}

// /history, /progress, /export, /forget and /help.
var (
	historyCommand = command{
		name: "history", description: "Your past check-ins, newest first", handle: (*Bot).history,
		options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionInteger, Name: "count", Description: "How many (default 5)", MinValue: &one, MaxValue: 25}},
	}
	progressCommand = command{
		name: "progress", description: "Trust, follow-through and streak over the weeks, with a chart", handle: (*Bot).progress, deferral: deferInChannel,
		options: []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionInteger, Name: "weeks", Description: "How many weeks back (default 12)", MinValue: &one, MaxValue: 104}},
	}
	exportCommand = command{name: "export", description: "Download everything Mend stores of you two, as a JSON file", handle: (*Bot).export, deferral: deferPrivately}
	forgetCommand = command{name: "forget", description: "Delete everything Mend stores of you two (asks you to confirm)", handle: (*Bot).forget}
	helpCommand   = command{name: "help", description: "How Mend works", handle: (*Bot).help}
)

func intOption(data discordgo.ApplicationCommandInteractionData, name string, def int64) int64 {
	if o := option(data, name); o != nil {
		if v, ok := o.Value.(float64); ok {
			return int64(v)
		}
	}
	return def
}

func (b *Bot) commitmentAdd(ctx context.Context, it *interaction) error {
	couple, err := b.app.Couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	data := it.ApplicationCommandData()
	c, err := b.app.Commitments.Add(ctx, it.actor(), stringOption(data, "text"), stringOption(data, "due"))
	if err != nil {
		return err
	}
	return it.reply(message{Content: fmt.Sprintf("%s made a commitment: %s. You will both review it at every check-in until it is done.", it.displayName(), commitmentLine(c, couple))})
}

func commitmentLine(c conversations.Commitment, couple conversations.Couple) string {
	s := fmt.Sprintf("“%s”", truncate(c.Text, maxQuotedCommitment))
	if c.DueOn != "" {
		s += " (due " + c.DueOn + ")"
	}
	return s
}

func (b *Bot) commitmentList(ctx context.Context, it *interaction) error {
	couple, err := b.app.Couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	all, err := b.app.Commitments.List(ctx, it.actor())
	if err != nil {
		return err
	}
	if len(all) == 0 {
		return it.reply(errorMessage("No commitments yet. `/commitment add` makes one, or the last question of a check-in."))
	}
	today := couple.Today(b.app.Now())
	var lines []string
	for _, c := range all {
		owner := couple.NameOf(c.OwnerID)
		status := "open"
		switch {
		case c.Status != conversations.CommitmentOpen:
			status = string(c.Status)
		case c.DueAfter(today):
			status = "coming up: asked about from its due date"
		}
		lines = append(lines, fmt.Sprintf("`#%d` **%s**: %s, %s", c.ID, owner, commitmentLine(c, couple), status))
	}
	return it.reply(listMessage("Commitments", lines))
}

// listMessage shows lines in an ephemeral embed, as many as fit.
func listMessage(title string, lines []string) message {
	body := ""
	for i, l := range lines {
		if len([]rune(body))+len([]rune(l))+1 > maxEmbedDescription-40 {
			body += fmt.Sprintf("\n…and %d more", len(lines)-i)
			break
		}
		body += l + "\n"
	}
	return message{Ephemeral: true, Embeds: []*discordgo.MessageEmbed{{Title: title, Color: colorCalm, Description: strings.TrimSpace(body)}}}
}

func (b *Bot) commitmentDone(ctx context.Context, it *interaction) error {
	return b.closeCommitment(ctx, it, conversations.CommitmentDone, "marked a commitment done")
}

func (b *Bot) commitmentDrop(ctx context.Context, it *interaction) error {
	return b.closeCommitment(ctx, it, conversations.CommitmentDropped, "dropped a commitment")
}

func (b *Bot) closeCommitment(ctx context.Context, it *interaction, status conversations.CommitmentStatus, verb string) error {
	couple, err := b.app.Couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	id := intOption(it.ApplicationCommandData(), "commitment", 0)
	c, err := b.app.Commitments.Close(ctx, it.actor(), id, status)
	if err != nil {
		return err
	}
	return it.reply(message{Content: fmt.Sprintf("%s %s: %s. It is no longer reviewed at check-ins.", it.displayName(), verb, commitmentLine(c, couple))})
}

// subjectChoices suggests open commitments (the partner's own, for done and
// drop) or active agreements for an ID option.
func (b *Bot) subjectChoices(ctx context.Context, it *interaction, name, typed string) []*discordgo.ApplicationCommandOptionChoice {
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	typed = strings.ToLower(typed)
	add := func(id int64, text string) {
		label := truncate(fmt.Sprintf("#%d %s", id, text), 100)
		if len(choices) < maxChoices && strings.Contains(strings.ToLower(label), typed) {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: label, Value: id})
		}
	}
	switch name {
	case "commitment":
		all, _ := b.app.Commitments.List(ctx, it.actor())
		for _, c := range all {
			if c.Status == conversations.CommitmentOpen && c.OwnerID == it.userID() {
				add(c.ID, c.Text)
			}
		}
	case "agreement":
		all, _ := b.app.Agreements.List(ctx, it.actor())
		for _, a := range all {
			// Not one the asker already proposed to retire: that waits on the other.
			if a.InForce() && a.RetireBy != it.userID() {
				add(a.ID, a.Text)
			}
		}
	}
	return choices
}

func (b *Bot) history(ctx context.Context, it *interaction) error {
	couple, err := b.app.Couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	entries, err := b.app.Records.History(ctx, it.actor(), int(intOption(it.ApplicationCommandData(), "count", 5)))
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
			parts = append(parts, fmt.Sprintf("trust %s %d, %s %d", c.Partners[0].Name, e.Trust[0], c.Partners[1].Name, e.Trust[1]))
		}
		if e.Reviews > 0 {
			parts = append(parts, fmt.Sprintf("%d review%s, %d seen differently", e.Reviews, plural(e.Reviews), e.Divergent))
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

func (b *Bot) progress(ctx context.Context, it *interaction) error {
	weeks := int(intOption(it.ApplicationCommandData(), "weeks", 12))
	// Two years of check-ins and a chart can take longer than Discord's three
	// seconds on a busy machine: answer "thinking" first.
	if err := it.deferReply(false); err != nil {
		return err
	}
	p, err := b.app.Records.Progress(ctx, it.actor(), weeks)
	if err != nil {
		return err
	}
	png, err := progressChart(p)
	if err != nil {
		return fmt.Errorf("draw progress chart: %w", err)
	}
	m := progressMessage(p, weeks)
	m.Embeds[0].Image = &discordgo.MessageEmbedImage{URL: "attachment://progress.png"}
	edit := m.webhookEdit()
	edit.Files = []*discordgo.File{{Name: "progress.png", ContentType: "image/png", Reader: bytes.NewReader(png)}}
	if _, err := b.session.InteractionResponseEdit(it.Interaction, edit, discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("send progress: %w", err)
	}
	return nil
}

func progressMessage(p conversations.Progress, weeks int) message {
	lines := []string{fmt.Sprintf("**The last %d week%s:** %d check-in%s shown together, %d closed without a reveal. Streak: %d in a row.",
		weeks, plural(weeks), p.Revealed, plural(p.Revealed), p.Closed, p.Streak)}
	for i, pp := range p.Partners {
		trust := "no answers yet"
		if n := len(pp.Trust); n > 0 {
			first, last := pp.Trust[0].Value, pp.Trust[n-1].Value
			trust = fmt.Sprintf("%d of 5 now (from %d)", last, first)
		}
		lines = append(lines, fmt.Sprintf("**%s**\nTrust and connection: %s.\n%s",
			pp.Partner.Name, trust, promisesLine(pp, p.Partners[1-i].Partner.Name)))
	}
	lines = append(lines, agreementsLine(p))
	if themes := themesLine(p); themes != "" {
		lines = append(lines, themes)
	}
	if p.Revealed == 0 {
		lines = append(lines, "Nothing to chart yet: progress counts only check-ins you have both finished. It takes a few weeks for a picture to form, and that is fine.")
	}
	return message{Embeds: []*discordgo.MessageEmbed{{Title: "Progress", Color: colorCalm, Description: strings.Join(lines, "\n\n")}}}
}

func (b *Bot) export(ctx context.Context, it *interaction) error {
	// Reading every row of a couple of years can take a while.
	if err := it.deferReply(true); err != nil {
		return err
	}
	data, err := b.app.Records.Export(ctx, it.actor())
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
	edit.Files = []*discordgo.File{{Name: fmt.Sprintf("mend-export-%s.json", b.app.Now().Format("2006-01-02")), ContentType: "application/json", Reader: strings.NewReader(string(body))}}
	if _, err := b.session.InteractionResponseEdit(it.Interaction, edit, discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("send export: %w", err)
	}
	return nil
}

func (b *Bot) forget(ctx context.Context, it *interaction) error {
	couple, err := b.app.Couples.OwnedHere(ctx, it.actor())
	if err != nil {
		return err
	}
	return it.reply(message{
		Ephemeral: true,
		Content:   "Delete everything Mend stores of you two: every check-in and answer, commitments, agreements, the schedule? This cannot be undone. `/export` first if you want a copy.",
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Delete everything", Style: discordgo.DangerButton, CustomID: customID{Action: actForget, ID: couple.ID}.String()},
			discordgo.Button{Label: "Delete everything and this channel", Style: discordgo.DangerButton, CustomID: customID{Action: actForget, ID: couple.ID, Number: 1}.String()},
			discordgo.Button{Label: "Keep it", Style: discordgo.SecondaryButton, CustomID: customID{Action: actKeep, ID: couple.ID}.String()},
		}}},
	})
}

func (b *Bot) forgetConfirmed(ctx context.Context, it *interaction, id customID) error {
	forgotten, err := b.app.Records.Forget(ctx, it.actor(), id.ID)
	if err != nil {
		return err
	}
	couple := forgotten.Couple
	b.log.Info("couple forgotten", "couple", couple.ID, "by", it.userID(), "wiped", forgotten.Wiped)
	summary := forgetSummary(forgotten.Counts())
	if err := it.update(forgetDone(forgotten, id.Number == 1)); err != nil {
		return err
	}
	if id.Number == 1 {
		if _, err := b.session.ChannelDelete(couple.ChannelID, discordgo.WithContext(ctx)); err != nil {
			b.log.Warn("could not delete a forgotten couple's channel", "channel", couple.ChannelID, "err", err)
		}
		return nil
	}
	notice := message{Content: fmt.Sprintf("%s deleted everything Mend stored of you two (%s). This channel stays until you delete it.", it.displayName(), summary)}
	if _, err := b.session.ChannelMessageSendComplex(couple.ChannelID, notice.send(), discordgo.WithContext(ctx)); err != nil {
		b.log.Warn("could not post that a couple was forgotten", "channel", couple.ChannelID, "err", err)
	}
	return nil
}

// forgetDone tells the partner what went and whether anything of it is still
// on disk: "Mend keeps nothing" is said only once it is true.
func forgetDone(f conversations.Forgotten, channelGoes bool) message {
	text := "Deleted from Mend: " + forgetSummary(f.Counts()) + "."
	if f.Wiped {
		text += " Mend keeps nothing of you two now."
	} else {
		text += " The copy in Mend's database file on disk is wiped within minutes (the file was in use just now); after that Mend keeps nothing of you two."
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
		{c.Acknowledgements, "acknowledgement"}, {c.Schedules, "schedule"}, {c.Posts, "queued message"},
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

func (b *Bot) forgetCancelled(ctx context.Context, it *interaction, id customID) error {
	// Only a partner of this couple may answer, like every other button.
	if err := b.app.Records.Keep(ctx, it.actor(), id.ID); err != nil {
		return err
	}
	return it.update(message{Content: "Nothing was deleted."})
}
