package bot

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// turnHandlers answer a partner's own turn: starting, answering, skipping,
// pausing, rereading and sending their answers.
type turnHandlers struct {
	*shared
	turns  *conversations.Turns
	drafts *drafts
	// safety is the note shown to a partner who answered the private safety
	// check "Not always".
	safety conversations.SafetyNote
}

func (h *turnHandlers) start(ctx context.Context, it *interaction, id customID) error {
	step, err := h.turns.Begin(ctx, it.actor(), id.ID)
	if err != nil {
		return err
	}
	m := stepMessage(step, step.Couple)
	if step.SafetyCheck {
		m = safetyCheckMessage(step)
	}
	if err := it.reply(m); err != nil {
		return err
	}
	h.afterStep(ctx, step)
	return nil
}

// safetyAnswered goes on from the private safety check: an answer shows its
// next step (the note, or a line) with Go on and Take a break, which come
// back here too. The answer decides only what this partner sees next; it is
// passed to nothing that keeps it.
func (h *turnHandlers) safetyAnswered(ctx context.Context, it *interaction, id customID) error {
	switch id.Number {
	case safeBreak:
		return h.pause(ctx, it, id)
	case safeGoOn, safeGoOnKeep:
		step, err := h.turns.Current(ctx, it.actor(), id.ID)
		if err != nil {
			return err
		}
		if id.Number == safeGoOnKeep {
			return it.reply(stepMessage(step, step.Couple))
		}
		return it.update(stepMessage(step, step.Couple))
	}
	answer := conversations.SafetyAnswer(id.Number)
	if !answer.Valid() {
		return conversations.Errorf(conversations.EINVALID, "Please choose one of the answers offered.")
	}
	if _, err := h.turns.Current(ctx, it.actor(), id.ID); err != nil {
		return err
	}
	return it.update(safetyNextStep(id.ID, answer, h.safety))
}

// currentStep returns the step a component names, for opening its form: the
// one the partner is on, or one they chose to change while rereading. A
// component of another step (an old message, a double click) gets where they
// are shown instead.
func (h *turnHandlers) currentStep(ctx context.Context, it *interaction, id customID) (conversations.Step, bool, error) {
	step, err := h.turns.StepAt(ctx, it.actor(), id.ID, id.step())
	var stale *conversations.StaleStepError
	if errors.As(err, &stale) {
		return stale.Step, false, h.showWhereTheyAre(it, stale.Step)
	}
	if err != nil {
		return conversations.Step{}, false, err
	}
	return step, true, nil
}

func (h *turnHandlers) showWhereTheyAre(it *interaction, step conversations.Step) error {
	m := stepMessage(step, step.Couple)
	m.Content = "That question was already answered; here is where you are now."
	if step.Sent {
		m.Content = "Your answers were sent, so they can no longer be changed."
	}
	return it.update(m)
}

func (h *turnHandlers) answerScale(ctx context.Context, it *interaction, id customID) error {
	return h.record(ctx, it, id, conversations.AnswerInput{Scale: id.Number}, nil)
}

func (h *turnHandlers) answerVerdict(ctx context.Context, it *interaction, id customID) error {
	return h.record(ctx, it, id, conversations.AnswerInput{Verdict: id.Verdict}, nil)
}

func (h *turnHandlers) answerChoice(ctx context.Context, it *interaction, id customID) error {
	// The select sends the option's index; the domain, from the check-in's
	// own template, knows which option that is.
	values := it.MessageComponentData().Values
	n, convErr := strconv.Atoi(firstOr(values, ""))
	if len(values) != 1 || convErr != nil || n < 0 || n >= 25 || strconv.Itoa(n) != values[0] {
		return conversations.Errorf(conversations.EINVALID, "Please pick one of the options in the list.")
	}
	return h.record(ctx, it, id, conversations.AnswerInput{Option: n + 1}, nil)
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
func (h *turnHandlers) record(ctx context.Context, it *interaction, id customID, in conversations.AnswerInput, typed map[string]string) error {
	key := draftKey{checkIn: id.ID, user: it.userID(), step: id.step()}
	next, err := h.turns.Answer(ctx, it.actor(), id.ID, id.step(), in)
	return h.shownNext(ctx, it, next, err, key, typed)
}

func (h *turnHandlers) shownNext(ctx context.Context, it *interaction, next conversations.Step, err error, key draftKey, typed map[string]string) error {
	var stale *conversations.StaleStepError
	if errors.As(err, &stale) {
		return h.showWhereTheyAre(it, stale.Step)
	}
	if conversations.ErrorCode(err) == conversations.EINVALID && typed != nil {
		h.drafts.put(key, typed)
		step, cerr := h.turns.Current(ctx, it.actor(), key.checkIn)
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
	h.drafts.drop(key)
	if err := it.update(stepMessage(next, next.Couple)); err != nil {
		return err
	}
	h.afterStep(ctx, next)
	return nil
}

func (h *turnHandlers) skip(ctx context.Context, it *interaction, id customID) error {
	next, err := h.turns.Skip(ctx, it.actor(), id.ID, id.step())
	return h.shownNext(ctx, it, next, err, draftKey{checkIn: id.ID, user: it.userID(), step: id.step()}, nil)
}

func (h *turnHandlers) openWrite(ctx context.Context, it *interaction, id customID) error {
	step, ok, err := h.currentStep(ctx, it, id)
	if err != nil || !ok {
		return err
	}
	return it.modal(h.withDraft(textModal(step, ""), step))
}

func (h *turnHandlers) openNote(ctx context.Context, it *interaction, id customID) error {
	step, ok, err := h.currentStep(ctx, it, id)
	if err != nil || !ok {
		return err
	}
	return it.modal(h.withDraft(textModal(step, id.Verdict), step))
}

func (h *turnHandlers) submitText(ctx context.Context, it *interaction, id customID) error {
	typed := modalValues(it.ModalSubmitData())
	return h.keepTyped(it, typed["text"], func() error {
		return h.record(ctx, it, id, conversations.AnswerInput{Text: typed["text"], DueOn: typed["due"]}, typed)
	})
}

func (h *turnHandlers) submitNote(ctx context.Context, it *interaction, id customID) error {
	typed := modalValues(it.ModalSubmitData())
	return h.keepTyped(it, typed["note"], func() error {
		return h.record(ctx, it, id, conversations.AnswerInput{Verdict: id.Verdict, Note: typed["note"]}, typed)
	})
}

// keepTyped runs the handling of a submitted form; if it fails in a way that
// closes the form unsaved (the check-in closed meanwhile, a restart, a
// database error), the words come back to their author, privately, to copy.
func (h *turnHandlers) keepTyped(it *interaction, typed string, handle func() error) error {
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

func (h *turnHandlers) pause(ctx context.Context, it *interaction, id customID) error {
	ci, err := h.turns.Pause(ctx, it.actor(), id.ID)
	if err != nil {
		return err
	}
	if err := it.update(pausedMessage(ci)); err != nil {
		return err
	}
	h.sender.refresh.request(ci.ID)
	return nil
}

// afterStep brings the channel up to date once the partner has their answer:
// the status line when their status changed, and the reveal when this step
// finished the check-in (it was queued with the last answer).
func (h *turnHandlers) afterStep(ctx context.Context, step conversations.Step) {
	switch {
	case step.JustRevealed:
		h.sender.sendQueued(ctx)
	case step.StatusChanged:
		h.sender.refresh.request(step.CheckIn.ID)
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

func (h *turnHandlers) withDraft(modal *discordgo.InteractionResponseData, step conversations.Step) *discordgo.InteractionResponseData {
	typed := h.drafts.get(draftKey{checkIn: step.CheckIn.ID, user: step.UserID, step: step.Item.Key()})
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
