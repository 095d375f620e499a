package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// /checkin: open one now, or see where you both are.
var checkInCommand = command{
	name: "checkin", description: "Check-ins in your couple channel",
	subcommands: []command{
		{name: "now", description: "Start a check-in now", handle: (*Bot).checkInNow, deferral: deferPrivately},
		{name: "status", description: "See where you both are in the check-in", handle: (*Bot).checkInStatus},
	},
}

func (b *Bot) checkInNow(ctx context.Context, it *interaction) error {
	couple, err := b.app.Couples.Here(ctx, it.actor())
	if err != nil {
		return err
	}
	if err := it.deferReply(true); err != nil {
		return err
	}
	ci, err := b.app.CheckIns.Open(ctx, it.actor(), "")
	if err != nil {
		return err
	}
	b.log.Info("check-in opened", "couple", couple.ID, "checkin", ci.ID, "by", it.userID())
	b.metrics.CheckIns(CheckInsOpened, 1)
	// The post was queued with the check-in and is on its way; the Start
	// button is here too, so nobody waits for it.
	b.sendQueued(ctx)
	m := message{Ephemeral: true, Content: "Your check-in has started. Each of you can press **Start my check-in**, here or on its message in the channel.", Components: startRow(ci.ID)}
	return it.editOriginal(m)
}

func startRow(checkInID int64) []discordgo.MessageComponent {
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Start my check-in", Style: discordgo.PrimaryButton, CustomID: customID{Action: actStart, ID: checkInID}.String()},
	}}}
}

func (b *Bot) checkInStatus(ctx context.Context, it *interaction) error {
	st, err := b.app.CheckIns.Status(ctx, it.actor())
	if err != nil {
		return err
	}
	m := statusMessage(st.Open, st.Couple, st.Now)
	if st.Open != nil {
		m.Components = startRow(st.Open.ID)
		m.Content += comingUpText(st.ComingUp, st.Couple)
	}
	if st.Undelivered != nil {
		m.Content += fmt.Sprintf("\n\nThe answers of your check-in of %s never reached this channel.", st.Undelivered.OpenedAt.In(st.Couple.Location()).Format("Mon 2 Jan"))
		m.Components = append(m.Components, repostRow(st.Undelivered.ID))
	}
	return it.reply(m)
}

func (b *Bot) checkInStart(ctx context.Context, it *interaction, id customID) error {
	step, err := b.app.Turns.Begin(ctx, it.actor(), id.ID)
	if err != nil {
		return err
	}
	if err := it.reply(stepMessage(step, step.Couple)); err != nil {
		return err
	}
	b.afterStep(ctx, step)
	return nil
}

// currentStep returns the step a component names, for opening its form: the
// one the partner is on, or one they chose to change while rereading. A
// component of another step (an old message, a double click) gets where they
// are shown instead.
func (b *Bot) currentStep(ctx context.Context, it *interaction, id customID) (conversations.Step, bool, error) {
	step, err := b.app.Turns.StepAt(ctx, it.actor(), id.ID, id.step())
	var stale *conversations.StaleStepError
	if errors.As(err, &stale) {
		return stale.Step, false, b.showWhereTheyAre(it, stale.Step)
	}
	if err != nil {
		return conversations.Step{}, false, err
	}
	return step, true, nil
}

func (b *Bot) showWhereTheyAre(it *interaction, step conversations.Step) error {
	m := stepMessage(step, step.Couple)
	m.Content = "That question was already answered; here is where you are now."
	if step.Sent {
		m.Content = "Your answers were sent for the reveal, so they are sealed now."
	}
	return it.update(m)
}

func (b *Bot) answerScale(ctx context.Context, it *interaction, id customID) error {
	return b.record(ctx, it, id, conversations.AnswerInput{Scale: id.Number}, nil)
}

func (b *Bot) answerVerdict(ctx context.Context, it *interaction, id customID) error {
	return b.record(ctx, it, id, conversations.AnswerInput{Verdict: id.Verdict}, nil)
}

func (b *Bot) answerChoice(ctx context.Context, it *interaction, id customID) error {
	// The select sends the option's index; the service, from the check-in's
	// own template, knows which option that is.
	values := it.MessageComponentData().Values
	n, convErr := strconv.Atoi(firstOr(values, ""))
	if len(values) != 1 || convErr != nil || n < 0 || n >= 25 || strconv.Itoa(n) != values[0] {
		return conversations.Errorf(conversations.EINVALID, "Please pick one of the options in the list.")
	}
	return b.record(ctx, it, id, conversations.AnswerInput{Option: n + 1}, nil)
}

func firstOr(values []string, def string) string {
	if len(values) > 0 {
		return values[0]
	}
	return def
}

// record saves an answer to the step the component names and shows the next
// step in place. The service refuses a step the partner is not on, and says
// where they are, which is shown instead. When an answer from a form is
// refused, what the partner wrote is kept as a draft so that reopening the
// form shows it again.
func (b *Bot) record(ctx context.Context, it *interaction, id customID, in conversations.AnswerInput, typed map[string]string) error {
	key := draftKey{checkIn: id.ID, user: it.userID(), step: id.step()}
	next, err := b.app.Turns.Answer(ctx, it.actor(), id.ID, id.step(), in)
	return b.shownNext(ctx, it, next, err, key, typed)
}

func (b *Bot) shownNext(ctx context.Context, it *interaction, next conversations.Step, err error, key draftKey, typed map[string]string) error {
	var stale *conversations.StaleStepError
	if errors.As(err, &stale) {
		return b.showWhereTheyAre(it, stale.Step)
	}
	if conversations.ErrorCode(err) == conversations.EINVALID && typed != nil {
		b.drafts.put(key, typed)
		step, cerr := b.app.Turns.Current(ctx, it.actor(), key.checkIn)
		if cerr != nil {
			return err
		}
		m := stepMessage(step, step.Couple)
		m.Content = "⚠️ " + conversations.ErrorMessage(err) + " What you wrote is kept: press the button again to change it."
		return it.update(m)
	}
	if err != nil {
		return err
	}
	b.drafts.drop(key)
	if err := it.update(b.withSafetyNote(stepMessage(next, next.Couple), next)); err != nil {
		return err
	}
	b.afterStep(ctx, next)
	return nil
}

func (b *Bot) skip(ctx context.Context, it *interaction, id customID) error {
	next, err := b.app.Turns.Skip(ctx, it.actor(), id.ID, id.step())
	return b.shownNext(ctx, it, next, err, draftKey{checkIn: id.ID, user: it.userID(), step: id.step()}, nil)
}

func (b *Bot) openWrite(ctx context.Context, it *interaction, id customID) error {
	step, ok, err := b.currentStep(ctx, it, id)
	if err != nil || !ok {
		return err
	}
	return it.modal(b.withDraft(textModal(step, ""), step))
}

func (b *Bot) openNote(ctx context.Context, it *interaction, id customID) error {
	step, ok, err := b.currentStep(ctx, it, id)
	if err != nil || !ok {
		return err
	}
	return it.modal(b.withDraft(textModal(step, id.Verdict), step))
}

func (b *Bot) submitText(ctx context.Context, it *interaction, id customID) error {
	typed := modalValues(it.ModalSubmitData())
	return b.keepTyped(it, typed["text"], func() error {
		return b.record(ctx, it, id, conversations.AnswerInput{Text: typed["text"], DueOn: typed["due"]}, typed)
	})
}

func (b *Bot) submitNote(ctx context.Context, it *interaction, id customID) error {
	typed := modalValues(it.ModalSubmitData())
	return b.keepTyped(it, typed["note"], func() error {
		return b.record(ctx, it, id, conversations.AnswerInput{Verdict: id.Verdict, Note: typed["note"]}, typed)
	})
}

// keepTyped runs the handling of a submitted form; if it fails in a way that
// closes the form unsaved (the check-in closed meanwhile, a restart, a
// database error), the words come back to their author, privately, to copy.
func (b *Bot) keepTyped(it *interaction, typed string, handle func() error) error {
	err := handle()
	if err == nil || it.acked || strings.TrimSpace(typed) == "" {
		return err
	}
	return it.reply(message{
		Ephemeral: true,
		Content:   conversations.ErrorMessage(err) + "\nMend could not save what you just wrote, so here it is to copy and keep:",
		Embeds:    []*discordgo.MessageEmbed{{Description: truncate(typed, maxEmbedDescription), Color: colorQuieter}},
	})
}

func (b *Bot) checkInPause(ctx context.Context, it *interaction, id customID) error {
	ci, err := b.app.Turns.Pause(ctx, it.actor(), id.ID)
	if err != nil {
		return err
	}
	if err := it.update(pausedMessage()); err != nil {
		return err
	}
	b.refresh.request(ci.ID)
	return nil
}

// afterStep brings the channel up to date once the partner has their answer:
// the status line when their status changed, and the reveal when this step
// finished the check-in (it was queued with the last answer).
func (b *Bot) afterStep(ctx context.Context, step conversations.Step) {
	switch {
	case step.JustRevealed:
		b.sendQueued(ctx)
	case step.StatusChanged:
		b.refresh.request(step.CheckIn.ID)
	}
}

func modalValues(data discordgo.ModalSubmitInteractionData) map[string]string {
	values := map[string]string{}
	for _, row := range data.Components {
		r, ok := row.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range r.Components {
			if input, ok := c.(*discordgo.TextInput); ok {
				values[input.CustomID] = input.Value
			}
		}
	}
	return values
}

// drafts keeps what a partner typed into a modal that was refused (a due date
// Mend could not read, say), so reopening the modal shows it again instead of
// an empty box. It lives in memory: a draft is seconds old.
type drafts struct {
	mu     sync.Mutex
	byStep map[draftKey]map[string]string
}

type draftKey struct {
	checkIn int64
	user    string
	step    conversations.StepKey
}

const maxDrafts = 10000

func (d *drafts) put(k draftKey, values map[string]string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.byStep == nil {
		d.byStep = map[draftKey]map[string]string{}
	}
	if len(d.byStep) >= maxDrafts {
		for old := range d.byStep {
			delete(d.byStep, old)
			break
		}
	}
	d.byStep[k] = values
}

func (d *drafts) get(k draftKey) map[string]string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.byStep[k]
}

func (d *drafts) drop(k draftKey) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.byStep, k)
}

func (b *Bot) withDraft(modal *discordgo.InteractionResponseData, step conversations.Step) *discordgo.InteractionResponseData {
	typed := b.drafts.get(draftKey{checkIn: step.CheckIn.ID, user: step.UserID, step: step.Item.Key()})
	if typed == nil {
		return modal
	}
	for _, row := range modal.Components {
		r := row.(discordgo.ActionsRow)
		for i, c := range r.Components {
			if input, ok := c.(discordgo.TextInput); ok {
				input.Value = typed[input.CustomID]
				r.Components[i] = input
			}
		}
	}
	return modal
}
