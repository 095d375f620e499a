package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// talkHandlers answer /talk, the reveal's "Talk it through" and the buttons
// of a guided talk's message, which each press updates in place.
type talkHandlers struct {
	*shared
	talks *conversations.Talks
	// checkIns shows on the reveal what a talk talked through.
	checkIns *conversations.CheckIns
}

// /talk: a guided talk about the latest reveal; the other partner is asked.
var talkCommand = command{
	name: "talk", description: "Talk through your latest check-in together, one step at a time; your partner is asked first",
	handle: func(g *groups) handler { return g.talks.start },
}

func (h *talkHandlers) start(ctx context.Context, it *interaction) error {
	return h.begin(ctx, it, 0)
}

// startFromReveal is the reveal's "Talk it through": a talk about that
// reveal.
func (h *talkHandlers) startFromReveal(ctx context.Context, it *interaction, id customID) error {
	return h.begin(ctx, it, id.ID)
}

// begin asks the other partner, through the talk's message in the channel,
// and tells the one who asked, privately, that they were asked.
func (h *talkHandlers) begin(ctx context.Context, it *interaction, checkInID int64) error {
	v, err := h.talks.Start(ctx, it.actor(), checkInID)
	if conversations.ErrorCode(err) == conversations.ECONFLICT && v.Talk.Open() {
		return talkAlreadyOpen(ctx, h, it, v, err)
	}
	if err != nil {
		return err
	}
	h.log.Info("talk asked", "couple", v.Couple.ID, "talk", v.Talk.ID, "by", it.userID())
	if err := it.reply(talkAskedReply(v)); err != nil {
		return err
	}
	h.sender.sendQueued(ctx)
	return nil
}

func (h *talkHandlers) join(ctx context.Context, it *interaction, id customID) error {
	return h.step(ctx, it, id, h.talks.Join, "")
}

func (h *talkHandlers) notNow(ctx context.Context, it *interaction, id customID) error {
	return h.step(ctx, it, id, h.talks.NotNow, conversations.TalkNotNow)
}

func (h *talkHandlers) read(ctx context.Context, it *interaction, id customID) error {
	return h.step(ctx, it, id, h.talks.Read, "")
}

func (h *talkHandlers) choose(ctx context.Context, it *interaction, id customID) error {
	values := it.MessageComponentData().Values
	if len(values) != 1 {
		return conversations.Errorf(conversations.EINVALID, "Pick one topic from the list.")
	}
	return h.step(ctx, it, id, func(ctx context.Context, by conversations.Actor, talkID int64) (conversations.TalkView, error) {
		return h.talks.Choose(ctx, by, talkID, values[0])
	}, "")
}

func (h *talkHandlers) heard(ctx context.Context, it *interaction, id customID) error {
	return h.step(ctx, it, id, h.talks.Heard, "")
}

func (h *talkHandlers) swap(ctx context.Context, it *interaction, id customID) error {
	return h.step(ctx, it, id, h.talks.Swap, "")
}

// toClosing moves on to one small thing; a promise or agreement seen
// differently is then marked talked about on the reveal too.
func (h *talkHandlers) toClosing(ctx context.Context, it *interaction, id customID) error {
	var closing conversations.TalkView
	err := h.step(ctx, it, id, func(ctx context.Context, by conversations.Actor, talkID int64) (conversations.TalkView, error) {
		v, err := h.talks.ToClosing(ctx, by, talkID)
		if err == nil {
			closing = v
		}
		return v, err
	}, "")
	if err == nil && closing.Talk.ID != 0 {
		markTalkedOnReveal(ctx, h.shared, h.checkIns, it.actor(), closing)
	}
	return err
}

func (h *talkHandlers) pause(ctx context.Context, it *interaction, id customID) error {
	return h.step(ctx, it, id, h.talks.Pause, "")
}

func (h *talkHandlers) back(ctx context.Context, it *interaction, id customID) error {
	return h.step(ctx, it, id, h.talks.Back, "")
}

func (h *talkHandlers) stop(ctx context.Context, it *interaction, id customID) error {
	return h.step(ctx, it, id, h.talks.Stop, conversations.TalkStopped)
}

func (h *talkHandlers) finishWithNothing(ctx context.Context, it *interaction, id customID) error {
	return h.step(ctx, it, id, h.talks.FinishWithNothing, conversations.TalkHeldWords)
}

// step applies one action to the talk and shows the talk's message as it
// is now; ended is what the message says if the action ended the talk.
func (h *talkHandlers) step(ctx context.Context, it *interaction, id customID, act func(context.Context, conversations.Actor, int64) (conversations.TalkView, error), ended string) error {
	v, err := act(ctx, it.actor(), id.ID)
	if errors.Is(err, conversations.ErrTalkMovedOn) && v.Talk.Open() {
		return talkMovedOn(it, v)
	}
	if err != nil {
		h.endedByItself(ctx, v)
		return err
	}
	if !v.Talk.Open() {
		h.log.Info("talk ended", "couple", v.Couple.ID, "talk", v.Talk.ID, "outcome", v.Talk.Outcome)
		if ended == "" {
			ended = conversations.TalkStopped
		}
		return it.update(talkEndedMessage(ended))
	}
	return it.update(talkMessage(v))
}

// talkMovedOn answers a press from a step the talk has left: its message
// showed an old step (two presses crossed, and the older answer came last),
// so the message is brought to where the talk is, and the partner who
// pressed is told why, privately.
func talkMovedOn(it *interaction, v conversations.TalkView) error {
	if err := it.update(talkMessage(v)); err != nil {
		return err
	}
	return it.followup(errorMessage(conversations.ErrorMessage(conversations.ErrTalkMovedOn)))
}

// endedByItself sends at once the edit that says a talk whose time ran out
// has ended, when a press found it so.
func (h *talkHandlers) endedByItself(ctx context.Context, v conversations.TalkView) {
	if v.Talk.ID != 0 && !v.Talk.Open() {
		h.sender.sendQueued(ctx)
	}
}

// prompts shows the prompts of a role to the partner who holds it, and to
// nobody else.
func (h *talkHandlers) prompts(ctx context.Context, it *interaction, id customID) error {
	role := conversations.RoleSpeaker
	if id.Number == 1 {
		role = conversations.RoleListener
	}
	v, err := h.talks.Prompts(ctx, it.actor(), id.ID, role)
	if errors.Is(err, conversations.ErrTalkMovedOn) && v.Talk.Open() {
		return talkMovedOn(it, v)
	}
	if err != nil {
		h.endedByItself(ctx, v)
		return err
	}
	return it.reply(promptsMessage(v, role))
}

// openPromise opens the form of a promise made at the close, once the
// talk is there.
func (h *talkHandlers) openPromise(ctx context.Context, it *interaction, id customID) error {
	if ok, err := h.atClosing(ctx, it, id); !ok || err != nil {
		return err
	}
	return it.modal(promiseModal(id.ID))
}

// openAgreement opens the form of an agreement proposed at the close.
func (h *talkHandlers) openAgreement(ctx context.Context, it *interaction, id customID) error {
	if ok, err := h.atClosing(ctx, it, id); !ok || err != nil {
		return err
	}
	return it.modal(agreementModal(id.ID))
}

// atClosing refuses a form the talk is not ready for, before anyone types,
// and reports whether the form may open; a press from a step the talk has
// left is answered here.
func (h *talkHandlers) atClosing(ctx context.Context, it *interaction, id customID) (bool, error) {
	v, err := h.talks.View(ctx, it.actor(), id.ID)
	if err != nil {
		h.endedByItself(ctx, v)
		return false, err
	}
	if v.Talk.Stage != conversations.TalkClosing {
		return false, talkMovedOn(it, v)
	}
	if v.Talk.OnBreak(v.Now) {
		return false, conversations.Errorf(conversations.ECONFLICT, "You are on a break until %s. When it is over, \"We're back\" picks the talk up where you left it.", timestamp(v.Talk.BreakUntil, "t"))
	}
	return true, nil
}

// promised makes the promise typed at the close, with every commitment's
// rules, and ends the talk with it.
func (h *talkHandlers) promised(ctx context.Context, it *interaction, id customID) error {
	typed := modalValues(it.ModalSubmitData())
	v, c, err := h.talks.FinishWithCommitment(ctx, it.actor(), id.ID, typed["text"], typed["due"])
	if err != nil {
		return closingRefused(ctx, h, v, c.ID != 0, err, typed["text"])
	}
	h.log.Info("talk ended", "couple", v.Couple.ID, "talk", v.Talk.ID, "outcome", v.Talk.Outcome)
	return it.update(talkEndedMessage(conversations.TalkHeldWords + "\n\n" + fmt.Sprintf(
		"%s made a promise: %s. You will both review it at every check-in until it is done.", v.Couple.NameOf(c.OwnerID), commitmentLine(c, v.Couple))))
}

// proposed proposes the agreement typed at the close and ends the talk;
// the other partner is asked below, as with /agreement add.
func (h *talkHandlers) proposed(ctx context.Context, it *interaction, id customID) error {
	typed := modalValues(it.ModalSubmitData())
	v, a, err := h.talks.FinishWithAgreement(ctx, it.actor(), id.ID, typed["text"])
	if err != nil {
		return closingRefused(ctx, h, v, a.ID != 0, err, typed["text"])
	}
	h.log.Info("talk ended", "couple", v.Couple.ID, "talk", v.Talk.ID, "outcome", v.Talk.Outcome)
	ended := talkEndedMessage(conversations.TalkHeldWords + "\n\n" + fmt.Sprintf(
		"%s proposed an agreement; %s is asked below.", v.Couple.NameOf(a.CreatedBy), v.Couple.Other(a.CreatedBy).Name))
	if err := it.update(ended); err != nil {
		return err
	}
	return it.followup(proposalMessage(a, v.Couple))
}

// closingRefused answers a form refused at a talk's close. What was made
// all the same (the talk ended under it) is said in the refusal's words;
// otherwise the typed words are handed back, since the form is closed.
func closingRefused(ctx context.Context, h *talkHandlers, v conversations.TalkView, made bool, err error, typed string) error {
	if made {
		return err
	}
	h.endedByItself(ctx, v)
	return withWordsBack(err, typed)
}

// talkAlreadyOpen answers a partner who asks for a talk while one is open:
// refused points to the talk's message. When that message is gone (deleted,
// or lost with a channel made again), or never arrived and is no longer on
// its way, the talk is posted again, so that it can go on or be stopped
// rather than wait a day.
func talkAlreadyOpen(ctx context.Context, h *talkHandlers, it *interaction, v conversations.TalkView, refused error) error {
	if v.Talk.MessageID != "" {
		_, err := h.session.ChannelMessage(v.Couple.ChannelID, v.Talk.MessageID, discordgo.WithContext(ctx))
		if err == nil {
			return refused
		}
		if !isUnknown(err, discordgo.ErrCodeUnknownMessage) && !isUnknown(err, discordgo.ErrCodeUnknownChannel) {
			// Discord could not say; the message is most likely there.
			h.log.Warn("could not look for the message of a talk", "talk", v.Talk.ID, "err", h.redact(err))
			return refused
		}
	}
	v, posted, err := conversations.RepostTalk(ctx, h.talks, it.actor(), v.Talk.ID, v.Talk.MessageID)
	if err != nil {
		return err
	}
	if !posted {
		return refused // its message arrived meanwhile, or is on its way
	}
	h.log.Info("talk posted again", "couple", v.Couple.ID, "talk", v.Talk.ID)
	if err := it.reply(errorMessage("A talk is already open, and its message is no longer in this channel, so Mend posts it again below. It goes on where you left it; \"Let's stop here\" on it ends it, if you would rather start again.")); err != nil {
		return err
	}
	h.sender.sendQueued(ctx)
	return nil
}

// withWordsBack adds what was typed to a refusal, for its author to copy:
// a form that was refused is closed, and its words with it.
func withWordsBack(err error, typed string) error {
	code, said := conversations.ErrorCode(err), conversations.ErrorMessage(err)
	if code == conversations.EINTERNAL || strings.TrimSpace(typed) == "" || strings.Contains(said, typed) {
		return err
	}
	return conversations.Errorf(code, "%s\n\nWhat you wrote, to copy:\n%s", said, quoted(typed))
}
