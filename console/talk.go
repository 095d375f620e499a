package console

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"mend/conversations"
)

// NoTalkYet says that a database holds no console couple, so there is no
// reveal to talk through.
func NoTalkYet(dbPath string) string {
	return fmt.Sprintf("No check-in has been run with %s yet, so there is no reveal to talk through. A talk follows a check-in you have both finished.", dbPath)
}

// talkInvitation follows a reveal at the console, as "Talk it through"
// does on Discord.
const talkInvitation = "When you are both ready to talk it through together, one step at a time, run the same command again with --talk."

// talkControls are the same at every prompt of a talk.
const talkControls = "At any prompt: b and Enter for a break, q and Enter to stop here, ? and Enter for a note on safety and support. Nothing you say aloud passes through Mend: it keeps only which topic you talked about, when, and any promise or agreement you make."

// TalkLeftOpenError reports a talk left open because the input ended: it
// is kept where it was, for the next run.
type TalkLeftOpenError struct {
	// reason is a whole sentence in plain words: how the talk stopped.
	reason string
	until  string
}

func (e *TalkLeftOpenError) Error() string {
	return fmt.Sprintf("%s Nothing is lost: the talk stays open where you left it until %s.\nRun the same command again to go on.\n", e.reason, e.until)
}

// talk walks the two partners, sitting together at one keyboard, through a
// guided talk about their latest reveal: the open one resumed where they
// left it, or a new one once they are both ready. A break or a stop ends
// the run; the next run goes on after the break.
func (c *console) talk(ctx context.Context) error {
	couple, err := c.app.Couples.Of(ctx, consoleActor(consoleUser1))
	if conversations.ErrorCode(err) == conversations.ENOTFOUND {
		writeWrapped(c.out, NoTalkYet(c.dbPath), "", c.width)
		return nil
	}
	if err != nil {
		return err
	}
	t := &talkRun{console: c, by: consoleActor(couple.Partners[0].UserID)}
	if err := t.open(ctx); err != nil {
		return err
	}
	for t.v.Talk.Open() && !t.v.Talk.OnBreak(t.v.Now) {
		err := t.step(ctx)
		switch conversations.ErrorCode(err) {
		case "":
		case conversations.ENOTFOUND:
			writeWrapped(c.out, fmt.Sprintf("This talk has ended by itself: a talk stays open for %s at most. Run the same command again to start another, whenever you are both ready.", conversations.PlainDuration(t.v.Expiry)), "", c.width)
			return nil
		case conversations.EINTERNAL:
			return err
		default:
			// The domain's own words; the talk is as it was, and the step is
			// asked again.
			fmt.Fprintln(c.errOut, conversations.ErrorMessage(err))
			if t.v, err = c.app.Talks.View(ctx, t.by, t.v.Talk.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// talkRun is one run of a talk at the console: the talk as it is now, and
// who acts for both at the shared keyboard where an action is either's
// (a break, a stop, a swap): the first partner.
type talkRun struct {
	*console
	by conversations.Actor
	v  conversations.TalkView
}

// open resumes the couple's open talk, after its break if it had one, or
// starts one about the latest reveal. A talk that cannot go on now (no
// reveal yet, or a break still running) is left closed or on its break,
// with why said.
func (t *talkRun) open(ctx context.Context) error {
	v, err := t.app.Talks.Open(ctx, t.by)
	switch {
	case err == nil:
		t.v = v
		return t.resume(ctx)
	case conversations.ErrorCode(err) != conversations.ENOTFOUND:
		return err
	case v.Talk.ID != 0:
		writeWrapped(t.out, fmt.Sprintf("Your last talk ended by itself: a talk stays open for %s at most. Here is a new one.", conversations.PlainDuration(v.Expiry)), "", t.width)
	}
	v, err = t.app.Talks.Start(ctx, t.by, 0)
	if conversations.ErrorCode(err) == conversations.ENOTFOUND {
		writeWrapped(t.out, conversations.ErrorMessage(err), "", t.width)
		return nil
	}
	if err != nil {
		return err
	}
	t.v = v
	fmt.Fprintf(t.out, "\n══ A talk about your check-in of %s ══\n", formatTime(v.CheckIn.OpenedAt, v.Couple))
	writeWrapped(t.out, conversations.TalkIntro, "", t.width)
	writeWrapped(t.out, talkControls, "", t.width)
	return nil
}

// resume picks an open talk up where the partners left it. While its break
// runs, nothing changes: the domain's words say until when.
func (t *talkRun) resume(ctx context.Context) error {
	if t.v.Talk.BreakUntil.IsZero() {
		fmt.Fprintln(t.out, "\n══ Your talk, where you left it ══")
		writeWrapped(t.out, talkControls, "", t.width)
		return nil
	}
	back, err := t.app.Talks.Back(ctx, t.by, t.v.Talk.ID)
	if conversations.ErrorCode(err) == conversations.ECONFLICT {
		writeWrapped(t.out, conversations.ErrorMessage(err), "", t.width)
		return nil
	}
	if err != nil {
		return err
	}
	t.v = back
	fmt.Fprintln(t.out, "\n══ Welcome back ══")
	writeWrapped(t.out, talkControls, "", t.width)
	return nil
}

// step runs the step the talk is at.
func (t *talkRun) step(ctx context.Context) error {
	switch t.v.Talk.Stage {
	case conversations.TalkAsked:
		return t.asked(ctx)
	case conversations.TalkAppreciation:
		return t.appreciation(ctx)
	case conversations.TalkChoosing:
		return t.topic(ctx)
	case conversations.TalkTurns:
		return t.turn(ctx)
	case conversations.TalkClosing:
		return t.closing(ctx)
	}
	return fmt.Errorf("%s is at an unknown step %q", t.v.Talk, t.v.Talk.Stage)
}

// act applies an action of the domain to the talk.
func (t *talkRun) act(v conversations.TalkView, err error) error {
	if err == nil {
		t.v = v
	}
	return err
}

// actSaying is act that then says words, once the action is done.
func (t *talkRun) actSaying(words string) func(conversations.TalkView, error) error {
	return func(v conversations.TalkView, err error) error {
		if err := t.act(v, err); err != nil {
			return err
		}
		writeWrapped(t.out, words, "", t.width)
		return nil
	}
}

// asked asks both, at the keyboard together, whether they are ready: the
// partner asked joins, or says not now for both.
func (t *talkRun) asked(ctx context.Context) error {
	line, ok, err := t.line(ctx, "Are you both ready? [y/n]")
	if !ok || err != nil {
		return err
	}
	asked := consoleActor(t.v.Asked().UserID)
	switch strings.ToLower(line) {
	case "y", "yes":
		return t.act(t.app.Talks.Join(ctx, asked, t.v.Talk.ID))
	case "n", "no":
		return t.actSaying(conversations.TalkNotNow)(t.app.Talks.NotNow(ctx, asked, t.v.Talk.ID))
	}
	fmt.Fprintln(t.errOut, "Please type y if you are both ready, or n for not now.")
	return nil
}

// appreciation quotes each partner's appreciation from the reveal, and goes
// on once each has said theirs aloud or read the other's.
func (t *talkRun) appreciation(ctx context.Context) error {
	fmt.Fprintln(t.out, "\n── Appreciations ──")
	words := t.v.Appreciations
	if words == [2]string{} {
		writeWrapped(t.out, conversations.TalkNoAppreciation, "", t.width)
	}
	partners := t.v.Couple.Partners
	for i, p := range partners {
		switch {
		case words[i] != "":
			writeWrapped(t.out, fmt.Sprintf("%s: “%s”", p.Name, words[i]), "  ", t.width)
		case words[1-i] != "":
			writeWrapped(t.out, fmt.Sprintf("%s wrote none this time, and that's okay: say one aloud if you can.", p.Name), "  ", t.width)
		}
	}
	for i, p := range partners {
		if t.v.Talk.Read[i] {
			continue
		}
		question := fmt.Sprintf("%s, press Enter once you have said your appreciation aloud, or read %s's.", p.Name, partners[1-i].Name)
		if words[1-i] == "" {
			question = fmt.Sprintf("%s, press Enter once you have said an appreciation aloud, or when you are ready to go on.", p.Name)
		}
		if ok, err := t.enter(ctx, question); !ok || err != nil {
			return err
		}
		if err := t.act(t.app.Talks.Read(ctx, consoleActor(p.UserID), t.v.Talk.ID)); err != nil {
			return err
		}
	}
	return nil
}

// topic lists what the reveal raised; a number picks the one topic of this
// talk. Its author speaks first; a topic without one (a promise seen
// differently, or something named aloud) is raised by whoever is named.
func (t *talkRun) topic(ctx context.Context) error {
	fmt.Fprintln(t.out, "\n── One topic ──")
	topics := t.v.Topics
	for i, topic := range topics {
		writeWrapped(t.out, fmt.Sprintf("%d. %s", i+1, topic.Describe(t.v.Couple)), "  ", t.width)
	}
	line, ok, err := t.line(ctx, "Type the number of the one you will talk about.")
	if !ok || err != nil {
		return err
	}
	n, err := strconv.Atoi(line)
	if err != nil || n < 1 || n > len(topics) {
		fmt.Fprintf(t.errOut, "Please type a number from 1 to %d.\n", len(topics))
		return nil
	}
	topic := topics[n-1]
	var raiser conversations.Partner
	if i := t.v.Couple.PartnerIndex(topic.Ref.RaisedBy); i >= 0 {
		raiser = t.v.Couple.Partners[i]
	} else if raiser, ok, err = t.who(ctx, "Who would like to speak first?"); !ok || err != nil {
		return err
	}
	if err := t.act(t.app.Talks.Choose(ctx, consoleActor(raiser.UserID), t.v.Talk.ID, topic.Key())); err != nil {
		return err
	}
	writeWrapped(t.out, conversations.TalkOneTopic, "", t.width)
	if topic.Ref.RaisedBy != "" {
		writeWrapped(t.out, fmt.Sprintf("%s raised it, so %s speaks first.", raiser.Name, raiser.Name), "", t.width)
	} else {
		writeWrapped(t.out, fmt.Sprintf("%s speaks first.", raiser.Name), "", t.width)
	}
	return nil
}

// turn is one turn: the speaker's prompts and the listener's, shown in turn
// at the shared screen, until the speaker feels heard. Then they swap, or,
// once both have felt heard, go on to the closing.
func (t *talkRun) turn(ctx context.Context) error {
	if !t.v.Talk.HeardNow {
		speaker, listener := t.v.Speaker(), t.v.Listener()
		fmt.Fprintf(t.out, "\n── %s speaks, %s listens ──\n", speaker.Name, listener.Name)
		if t.v.Topic != nil {
			writeWrapped(t.out, t.v.Topic.Describe(t.v.Couple), "", t.width)
		}
		writeWrapped(t.out, speaker.Name+", speaking:", "", t.width)
		writeWrapped(t.out, conversations.SpeakerPrompts, "  ", t.width)
		writeWrapped(t.out, listener.Name+", listening:", "", t.width)
		writeWrapped(t.out, t.v.ListenerWords(), "  ", t.width)
		if ok, err := t.enter(ctx, speaker.Name+", press Enter when you feel heard."); !ok || err != nil {
			return err
		}
		if err := t.act(t.app.Talks.Heard(ctx, consoleActor(speaker.UserID), t.v.Talk.ID)); err != nil {
			return err
		}
	}
	if t.v.Talk.MayClose() {
		writeWrapped(t.out, "You have both spoken and felt heard.", "", t.width)
		return t.act(t.app.Talks.ToClosing(ctx, t.by, t.v.Talk.ID))
	}
	writeWrapped(t.out, fmt.Sprintf("%s feels heard. Now you swap.", t.v.Speaker().Name), "", t.width)
	return t.act(t.app.Talks.Swap(ctx, t.by, t.v.Talk.ID))
}

// closing asks for one small thing to try: a promise, an agreement, or
// nothing. What cannot be made (a rule of promises or agreements) is said,
// and asked again.
func (t *talkRun) closing(ctx context.Context) error {
	fmt.Fprintln(t.out, "\n── One small thing to try ──")
	writeWrapped(t.out, conversations.TalkClosingAsk, "", t.width)
	fmt.Fprintln(t.out, "  1  A promise one of you makes")
	fmt.Fprintln(t.out, "  2  An agreement you propose to each other")
	fmt.Fprintln(t.out, "  3  Nothing this time (or press Enter)")
	line, ok, err := t.line(ctx, "Type 1, 2 or 3.")
	if !ok || err != nil {
		return err
	}
	switch line {
	case "1":
		return t.promise(ctx)
	case "2":
		return t.agreement(ctx)
	case "3", "":
		return t.actSaying(conversations.TalkHeldWords)(t.app.Talks.FinishWithNothing(ctx, t.by, t.v.Talk.ID))
	}
	fmt.Fprintln(t.errOut, "Please type 1, 2 or 3.")
	return nil
}

// promise ends the talk with one partner's commitment, made with the rules
// of every commitment. Enter goes back to the choices.
func (t *talkRun) promise(ctx context.Context) error {
	owner, ok, err := t.who(ctx, "Whose promise is it?")
	if !ok || err != nil {
		return err
	}
	question := fmt.Sprintf("%s, type your promise on one line. To give it a due date, end with | and the date, like: call my sister | %s. Or press Enter to go back to the choices.",
		owner.Name, exampleDueDate(t.v.Now, t.v.Couple))
	for {
		line, ok, err := t.line(ctx, question)
		if !ok || err != nil || line == "" {
			return err
		}
		text, due := line, ""
		if i := strings.LastIndex(line, "|"); i >= 0 {
			text, due = line[:i], strings.TrimSpace(line[i+1:])
		}
		v, cm, err := t.app.Talks.FinishWithCommitment(ctx, consoleActor(owner.UserID), t.v.Talk.ID, text, due)
		if conversations.ErrorCode(err) == conversations.EINVALID {
			fmt.Fprintln(t.errOut, conversations.ErrorMessage(err))
			continue
		}
		if err := t.act(v, err); err != nil {
			return err
		}
		promise := fmt.Sprintf("%s's promise: “%s”", owner.Name, cm.Text)
		if cm.DueOn != "" {
			promise += fmt.Sprintf(" (by %s)", cm.DueOn)
		}
		writeWrapped(t.out, promise+". It is reviewed at each check-in.", "", t.width)
		writeWrapped(t.out, conversations.TalkHeldWords, "", t.width)
		return nil
	}
}

// agreement ends the talk with an agreement one partner proposes and the
// other agrees to, at the keyboard together; not agreed, nothing is added,
// and the choices are asked again.
func (t *talkRun) agreement(ctx context.Context) error {
	proposer, ok, err := t.who(ctx, "Who proposes it?")
	if !ok || err != nil {
		return err
	}
	other := t.v.Couple.Other(proposer.UserID)
	var text string
	for {
		line, ok, err := t.line(ctx, proposer.Name+", type the agreement on one line. Or press Enter to go back to the choices.")
		if !ok || err != nil || line == "" {
			return err
		}
		if text, err = conversations.CleanAgreementText(line); err == nil {
			break
		}
		fmt.Fprintln(t.errOut, conversations.ErrorMessage(err))
	}
	line, ok, err := t.line(ctx, fmt.Sprintf("An agreement is for both of you, so it counts only when %s agrees too. %s, do you agree to “%s”? Type y for yes; anything else means not now.", other.Name, other.Name, text))
	if !ok || err != nil {
		return err
	}
	if !isYes(line) {
		writeWrapped(t.out, "Not agreed, so nothing was added. That's all right: you can choose something else, or nothing at all.", "", t.width)
		return nil
	}
	v, a, err := t.app.Talks.FinishWithAgreement(ctx, consoleActor(proposer.UserID), t.v.Talk.ID, text)
	if err := t.act(v, err); err != nil {
		return err
	}
	if a, err = t.app.Agreements.AgreeTo(ctx, consoleActor(other.UserID), a.ID, conversations.AgreementProposed); err != nil {
		return err
	}
	writeWrapped(t.out, fmt.Sprintf("Agreed by both of you, and reviewed at each check-in: “%s”", a.Text), "", t.width)
	writeWrapped(t.out, conversations.TalkHeldWords, "", t.width)
	return nil
}

// who asks which partner, by number or name.
func (t *talkRun) who(ctx context.Context, question string) (conversations.Partner, bool, error) {
	a, b := t.v.Couple.Partners[0], t.v.Couple.Partners[1]
	for {
		line, ok, err := t.line(ctx, fmt.Sprintf("%s Type 1 for %s or 2 for %s.", question, a.Name, b.Name))
		switch {
		case !ok || err != nil:
			return conversations.Partner{}, ok, err
		case line == "1" || strings.EqualFold(line, a.Name):
			return a, true, nil
		case line == "2" || strings.EqualFold(line, b.Name):
			return b, true, nil
		}
		fmt.Fprintln(t.errOut, "Please type 1 or 2.")
	}
}

// enter waits for Enter, and reports whether the talk goes on.
func (t *talkRun) enter(ctx context.Context, question string) (bool, error) {
	for {
		line, ok, err := t.line(ctx, question)
		if !ok || err != nil || line == "" {
			return ok, err
		}
		fmt.Fprintln(t.errOut, "Press Enter to go on, or type b for a break or q to stop here.")
	}
}

// line asks question (if any) and reads what is typed, trimmed, and reports
// whether the talk goes on. What every prompt takes is handled here: b
// pauses the talk and q stops it (it does not go on then), ? shows the
// safety note and asks again. The end of input leaves the talk open, as it
// is.
func (t *talkRun) line(ctx context.Context, question string) (string, bool, error) {
	for {
		if question != "" {
			writeWrapped(t.out, question, "", t.width)
		}
		fmt.Fprint(t.out, "> ")
		line, ok := t.readLine(ctx)
		if !t.interactive || !ok {
			// A terminal ends the line with the person's Enter; a pipe does not.
			fmt.Fprintln(t.out)
		}
		if !ok {
			return "", false, t.leftOpen(ctx)
		}
		if line.tooLong {
			fmt.Fprintf(t.errOut, "That line is too long: Mend reads lines of up to %d MiB. Please type a shorter one.\n", MaxLineBytes>>20)
			continue
		}
		text := strings.TrimSpace(line.text)
		switch strings.ToLower(text) {
		case "?":
			t.showSafetyNote("")
			continue
		case "b":
			if err := t.act(t.app.Talks.Pause(ctx, t.by, t.v.Talk.ID)); err != nil {
				return "", false, err
			}
			writeWrapped(t.out, conversations.TalkBreakWhy, "", t.width)
			writeWrapped(t.out, fmt.Sprintf("Your break ends at %s. Run the same command again then: the talk will be where you left it.",
				t.v.Talk.BreakUntil.In(t.v.Couple.Location()).Format("15:04 MST")), "", t.width)
			return "", false, nil
		case "q":
			return "", false, t.actSaying(conversations.TalkStopped)(t.app.Talks.Stop(ctx, t.by, t.v.Talk.ID))
		}
		return text, true, nil
	}
}

// leftOpen says that the talk stays open, where it was, when the input ends
// during it.
func (t *talkRun) leftOpen(ctx context.Context) error {
	e := &TalkLeftOpenError{reason: "The input ran out before the talk was finished.", until: formatTime(t.v.Talk.ExpiresAt, t.v.Couple)}
	switch {
	case ctx.Err() != nil:
		e.reason = "Stopped before the talk was finished."
	case t.interactive:
		e.reason = "You stopped (Ctrl-D) before the talk was finished."
	}
	return e
}
