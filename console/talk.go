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
	v, err := c.openTalk(ctx, couple)
	if err != nil {
		return err
	}
	for v.Talk.Open() && !v.Talk.OnBreak(v.Now) {
		next, err := c.talkStep(ctx, v)
		switch {
		case err == nil:
			v = next
		case conversations.ErrorCode(err) == conversations.ENOTFOUND:
			writeWrapped(c.out, fmt.Sprintf("This talk has ended by itself: a talk stays open for %s at most. Run the same command again to start another, whenever you are both ready.", conversations.PlainDuration(v.Expiry)), "", c.width)
			return nil
		case conversations.ErrorCode(err) == conversations.EINTERNAL:
			return err
		default:
			// The domain's own words; the talk is as it was, and the step is
			// asked again.
			fmt.Fprintln(c.errOut, conversations.ErrorMessage(err))
			if v, err = c.app.Talks.View(ctx, c.talkActor(v), v.Talk.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// openTalk resumes the couple's open talk, after its break if it had one,
// or starts one about the latest reveal. A talk that cannot go on now (no
// reveal yet, or a break still running) comes back closed or on its break,
// with why said.
func (c *console) openTalk(ctx context.Context, couple conversations.Couple) (conversations.TalkView, error) {
	first := consoleActor(couple.Partners[0].UserID)
	v, err := c.app.Talks.Open(ctx, first)
	switch {
	case err == nil:
		return c.resumeTalk(ctx, v)
	case conversations.ErrorCode(err) != conversations.ENOTFOUND:
		return v, err
	case v.Talk.ID != 0:
		writeWrapped(c.out, fmt.Sprintf("Your last talk ended by itself: a talk stays open for %s at most. Here is a new one.", conversations.PlainDuration(v.Expiry)), "", c.width)
	}
	v, err = c.app.Talks.Start(ctx, first, 0)
	if conversations.ErrorCode(err) == conversations.ENOTFOUND {
		writeWrapped(c.out, conversations.ErrorMessage(err), "", c.width)
		return conversations.TalkView{}, nil
	}
	if err != nil {
		return v, err
	}
	fmt.Fprintf(c.out, "\n══ A talk about your check-in of %s ══\n", formatTime(v.CheckIn.OpenedAt, v.Couple))
	writeWrapped(c.out, conversations.TalkIntro, "", c.width)
	writeWrapped(c.out, talkControls, "", c.width)
	return v, nil
}

// resumeTalk picks an open talk up where the partners left it. While its
// break runs, nothing changes: the domain's words say until when.
func (c *console) resumeTalk(ctx context.Context, v conversations.TalkView) (conversations.TalkView, error) {
	if !v.Talk.BreakUntil.IsZero() {
		back, err := c.app.Talks.Back(ctx, c.talkActor(v), v.Talk.ID)
		if conversations.ErrorCode(err) == conversations.ECONFLICT {
			writeWrapped(c.out, conversations.ErrorMessage(err), "", c.width)
			return v, nil
		}
		if err != nil {
			return v, err
		}
		v = back
		fmt.Fprintln(c.out, "\n══ Welcome back ══")
	} else {
		fmt.Fprintln(c.out, "\n══ Your talk, where you left it ══")
	}
	writeWrapped(c.out, talkControls, "", c.width)
	return v, nil
}

// talkStep runs the step the talk is at, and returns the talk after it.
func (c *console) talkStep(ctx context.Context, v conversations.TalkView) (conversations.TalkView, error) {
	switch v.Talk.Stage {
	case conversations.TalkAsked:
		return c.talkAsked(ctx, v)
	case conversations.TalkAppreciation:
		return c.talkAppreciation(ctx, v)
	case conversations.TalkChoosing:
		return c.talkTopic(ctx, v)
	case conversations.TalkTurns:
		return c.talkTurn(ctx, v)
	case conversations.TalkClosing:
		return c.talkClosing(ctx, v)
	}
	return v, fmt.Errorf("%s is at an unknown step %q", v.Talk, v.Talk.Stage)
}

// talkAsked asks both, at the keyboard together, whether they are ready:
// the partner asked joins, or says not now for both.
func (c *console) talkAsked(ctx context.Context, v conversations.TalkView) (conversations.TalkView, error) {
	line, v, ok, err := c.talkLine(ctx, v, "Are you both ready? [y/n]")
	if !ok || err != nil {
		return v, err
	}
	asked := consoleActor(v.Asked().UserID)
	switch strings.ToLower(line) {
	case "y", "yes":
		return c.app.Talks.Join(ctx, asked, v.Talk.ID)
	case "n", "no":
		v, err := c.app.Talks.NotNow(ctx, asked, v.Talk.ID)
		if err == nil {
			writeWrapped(c.out, conversations.TalkNotNow, "", c.width)
		}
		return v, err
	}
	fmt.Fprintln(c.errOut, "Please type y if you are both ready, or n for not now.")
	return v, nil
}

// talkAppreciation quotes each partner's appreciation from the reveal, and
// goes on once each has said theirs aloud or read the other's.
func (c *console) talkAppreciation(ctx context.Context, v conversations.TalkView) (conversations.TalkView, error) {
	fmt.Fprintln(c.out, "\n── Appreciations ──")
	if v.Appreciations == [2]string{} {
		writeWrapped(c.out, conversations.TalkNoAppreciation, "", c.width)
	}
	for i, p := range v.Couple.Partners {
		switch {
		case v.Appreciations[i] != "":
			writeWrapped(c.out, fmt.Sprintf("%s: “%s”", p.Name, v.Appreciations[i]), "  ", c.width)
		case v.Appreciations[1-i] != "":
			writeWrapped(c.out, fmt.Sprintf("%s wrote none this time, and that's okay: say one aloud if you can.", p.Name), "  ", c.width)
		}
	}
	for i, p := range v.Couple.Partners {
		if v.Talk.Read[i] {
			continue
		}
		question := fmt.Sprintf("%s, press Enter once you have said your appreciation aloud, or read %s's.", p.Name, v.Couple.Partners[1-i].Name)
		if ok, err := c.talkEnter(ctx, &v, question); !ok || err != nil {
			return v, err
		}
		var err error
		if v, err = c.app.Talks.Read(ctx, consoleActor(p.UserID), v.Talk.ID); err != nil {
			return v, err
		}
	}
	return v, nil
}

// talkTopic lists what the reveal raised; a number picks the one topic of
// this talk. Its author speaks first; a topic without one (a promise seen
// differently, or something named aloud) is raised by whoever is named.
func (c *console) talkTopic(ctx context.Context, v conversations.TalkView) (conversations.TalkView, error) {
	fmt.Fprintln(c.out, "\n── One topic ──")
	for i, t := range v.Topics {
		writeWrapped(c.out, fmt.Sprintf("%d. %s", i+1, t.Describe(v.Couple)), "  ", c.width)
	}
	line, v, ok, err := c.talkLine(ctx, v, "Type the number of the one you will talk about.")
	if !ok || err != nil {
		return v, err
	}
	n, err := strconv.Atoi(line)
	if err != nil || n < 1 || n > len(v.Topics) {
		fmt.Fprintf(c.errOut, "Please type a number from 1 to %d.\n", len(v.Topics))
		return v, nil
	}
	topic := v.Topics[n-1]
	var raiser conversations.Partner
	if i := v.Couple.PartnerIndex(topic.Ref.RaisedBy); i >= 0 {
		raiser = v.Couple.Partners[i]
	} else if raiser, v, ok, err = c.talkWho(ctx, v, "Who would like to speak first?"); !ok || err != nil {
		return v, err
	}
	if v, err = c.app.Talks.Choose(ctx, consoleActor(raiser.UserID), v.Talk.ID, topic.Key()); err != nil {
		return v, err
	}
	writeWrapped(c.out, conversations.TalkOneTopic, "", c.width)
	if topic.Ref.RaisedBy != "" {
		writeWrapped(c.out, fmt.Sprintf("%s raised it, so %s speaks first.", raiser.Name, raiser.Name), "", c.width)
	} else {
		writeWrapped(c.out, fmt.Sprintf("%s speaks first.", raiser.Name), "", c.width)
	}
	return v, nil
}

// talkTurn is one turn: the speaker's prompts and the listener's, shown in
// turn at the shared screen, until the speaker feels heard. Then they swap,
// or, once both have felt heard, go on to the closing.
func (c *console) talkTurn(ctx context.Context, v conversations.TalkView) (conversations.TalkView, error) {
	if !v.Talk.HeardNow {
		speaker, listener := v.Speaker(), v.Listener()
		fmt.Fprintf(c.out, "\n── %s speaks, %s listens ──\n", speaker.Name, listener.Name)
		if v.Topic != nil {
			writeWrapped(c.out, v.Topic.Describe(v.Couple), "", c.width)
		}
		writeWrapped(c.out, speaker.Name+", speaking:", "", c.width)
		writeWrapped(c.out, conversations.SpeakerPrompts, "  ", c.width)
		writeWrapped(c.out, listener.Name+", listening:", "", c.width)
		writeWrapped(c.out, listenerPrompts(v), "  ", c.width)
		if ok, err := c.talkEnter(ctx, &v, speaker.Name+", press Enter when you feel heard."); !ok || err != nil {
			return v, err
		}
		var err error
		if v, err = c.app.Talks.Heard(ctx, consoleActor(speaker.UserID), v.Talk.ID); err != nil {
			return v, err
		}
	}
	if v.Talk.MayClose() {
		writeWrapped(c.out, "You have both spoken and felt heard.", "", c.width)
		return c.app.Talks.ToClosing(ctx, c.talkActor(v), v.Talk.ID)
	}
	writeWrapped(c.out, fmt.Sprintf("%s feels heard. Now you swap.", v.Speaker().Name), "", c.width)
	return c.app.Talks.Swap(ctx, c.talkActor(v), v.Talk.ID)
}

// listenerPrompts are the listener's prompts; in the second turn, whose
// listener has spoken already, without the promise of a turn to come.
func listenerPrompts(v conversations.TalkView) string {
	if v.Talk.Heard[v.Talk.Listener()] {
		return strings.TrimSuffix(conversations.ListenerPrompts, " Your turn to speak comes after the swap.")
	}
	return conversations.ListenerPrompts
}

// talkClosing asks for one small thing to try: a promise, an agreement, or
// nothing. What cannot be made (a rule of promises or agreements) is said,
// and asked again.
func (c *console) talkClosing(ctx context.Context, v conversations.TalkView) (conversations.TalkView, error) {
	fmt.Fprintln(c.out, "\n── One small thing to try ──")
	writeWrapped(c.out, conversations.TalkClosingAsk, "", c.width)
	fmt.Fprintln(c.out, "  1  A promise one of you makes")
	fmt.Fprintln(c.out, "  2  An agreement you propose to each other")
	fmt.Fprintln(c.out, "  3  Nothing this time (or press Enter)")
	line, v, ok, err := c.talkLine(ctx, v, "Type 1, 2 or 3.")
	if !ok || err != nil {
		return v, err
	}
	switch line {
	case "1":
		return c.talkPromise(ctx, v)
	case "2":
		return c.talkAgreement(ctx, v)
	case "3", "":
		v, err := c.app.Talks.FinishWithNothing(ctx, c.talkActor(v), v.Talk.ID)
		if err == nil {
			writeWrapped(c.out, conversations.TalkHeldWords, "", c.width)
		}
		return v, err
	}
	fmt.Fprintln(c.errOut, "Please type 1, 2 or 3.")
	return v, nil
}

// talkPromise ends the talk with one partner's commitment, made with the
// rules of every commitment. Enter goes back to the choices.
func (c *console) talkPromise(ctx context.Context, v conversations.TalkView) (conversations.TalkView, error) {
	owner, v, ok, err := c.talkWho(ctx, v, "Whose promise is it?")
	if !ok || err != nil {
		return v, err
	}
	question := fmt.Sprintf("%s, type your promise on one line. To give it a due date, end with | and the date, like: call my sister | %s. Or press Enter to go back to the choices.",
		owner.Name, exampleDueDate(v.Now, v.Couple))
	for {
		line, next, ok, err := c.talkLine(ctx, v, question)
		if !ok || err != nil || line == "" {
			return next, err
		}
		text, due := line, ""
		if i := strings.LastIndex(line, "|"); i >= 0 {
			text, due = line[:i], strings.TrimSpace(line[i+1:])
		}
		done, cm, err := c.app.Talks.FinishWithCommitment(ctx, consoleActor(owner.UserID), v.Talk.ID, text, due)
		if conversations.ErrorCode(err) == conversations.EINVALID {
			fmt.Fprintln(c.errOut, conversations.ErrorMessage(err))
			continue
		}
		if err != nil {
			return v, err
		}
		promise := fmt.Sprintf("%s's promise: “%s”", owner.Name, cm.Text)
		if cm.DueOn != "" {
			promise += fmt.Sprintf(" (by %s)", cm.DueOn)
		}
		writeWrapped(c.out, promise+". It is reviewed at each check-in.", "", c.width)
		writeWrapped(c.out, conversations.TalkHeldWords, "", c.width)
		return done, nil
	}
}

// talkAgreement ends the talk with an agreement one partner proposes and
// the other agrees to, at the keyboard together; not agreed, nothing is
// added, and the choices are asked again.
func (c *console) talkAgreement(ctx context.Context, v conversations.TalkView) (conversations.TalkView, error) {
	proposer, v, ok, err := c.talkWho(ctx, v, "Who proposes it?")
	if !ok || err != nil {
		return v, err
	}
	other := v.Couple.Other(proposer.UserID)
	question := proposer.Name + ", type the agreement on one line. Or press Enter to go back to the choices."
	var text string
	for {
		line, next, ok, err := c.talkLine(ctx, v, question)
		if !ok || err != nil || line == "" {
			return next, err
		}
		if text, err = conversations.CleanAgreementText(line); err == nil {
			break
		}
		fmt.Fprintln(c.errOut, conversations.ErrorMessage(err))
	}
	line, v, ok, err := c.talkLine(ctx, v, fmt.Sprintf("An agreement is for both of you, so it counts only when %s agrees too. %s, do you agree to “%s”? Type y for yes; anything else means not now.", other.Name, other.Name, text))
	if !ok || err != nil {
		return v, err
	}
	if !isYes(line) {
		writeWrapped(c.out, "Not agreed, so nothing was added. That's all right: you can choose something else, or nothing at all.", "", c.width)
		return v, nil
	}
	done, a, err := c.app.Talks.FinishWithAgreement(ctx, consoleActor(proposer.UserID), v.Talk.ID, text)
	if err != nil {
		return v, err
	}
	if a, err = c.app.Agreements.AgreeTo(ctx, consoleActor(other.UserID), a.ID, conversations.AgreementProposed); err != nil {
		return done, err
	}
	writeWrapped(c.out, fmt.Sprintf("Agreed by both of you, and reviewed at each check-in: “%s”", a.Text), "", c.width)
	writeWrapped(c.out, conversations.TalkHeldWords, "", c.width)
	return done, nil
}

// talkWho asks which partner, by number or name.
func (c *console) talkWho(ctx context.Context, v conversations.TalkView, question string) (conversations.Partner, conversations.TalkView, bool, error) {
	a, b := v.Couple.Partners[0], v.Couple.Partners[1]
	for {
		line, next, ok, err := c.talkLine(ctx, v, fmt.Sprintf("%s Type 1 for %s or 2 for %s.", question, a.Name, b.Name))
		if !ok || err != nil {
			return conversations.Partner{}, next, ok, err
		}
		switch {
		case line == "1" || strings.EqualFold(line, a.Name):
			return a, next, true, nil
		case line == "2" || strings.EqualFold(line, b.Name):
			return b, next, true, nil
		}
		fmt.Fprintln(c.errOut, "Please type 1 or 2.")
	}
}

// talkEnter waits for Enter, and reports whether the talk goes on; *v is
// the talk after a break or a stop typed instead.
func (c *console) talkEnter(ctx context.Context, v *conversations.TalkView, question string) (bool, error) {
	for {
		line, next, ok, err := c.talkLine(ctx, *v, question)
		*v = next
		if !ok || err != nil || line == "" {
			return ok, err
		}
		fmt.Fprintln(c.errOut, "Press Enter to go on, or type b for a break or q to stop here.")
	}
}

// talkLine asks question (if any) and reads what is typed, trimmed, and
// reports whether the talk goes on. What every prompt takes is handled
// here: b pauses the talk and q stops it (it does not go on then, and the
// talk after that is returned), ? shows the safety note and asks again.
// The end of input leaves the talk open, as it is.
func (c *console) talkLine(ctx context.Context, v conversations.TalkView, question string) (string, conversations.TalkView, bool, error) {
	for {
		if question != "" {
			writeWrapped(c.out, question, "", c.width)
		}
		fmt.Fprint(c.out, "> ")
		line, ok := c.readLine(ctx)
		if !c.interactive || !ok {
			// A terminal ends the line with the person's Enter; a pipe does not.
			fmt.Fprintln(c.out)
		}
		if !ok {
			return "", v, false, c.talkLeftOpen(ctx, v)
		}
		if line.tooLong {
			fmt.Fprintf(c.errOut, "That line is too long: Mend reads lines of up to %d MiB. Please type a shorter one.\n", MaxLineBytes>>20)
			continue
		}
		text := strings.TrimSpace(line.text)
		switch strings.ToLower(text) {
		case "?":
			c.showSafetyNote("")
			continue
		case "b":
			next, err := c.app.Talks.Pause(ctx, c.talkActor(v), v.Talk.ID)
			if err == nil {
				c.sayBreak(next)
			}
			return "", next, false, err
		case "q":
			next, err := c.app.Talks.Stop(ctx, c.talkActor(v), v.Talk.ID)
			if err == nil {
				writeWrapped(c.out, conversations.TalkStopped, "", c.width)
			}
			return "", next, false, err
		}
		return text, v, true, nil
	}
}

// sayBreak says why a break helps, and when it ends.
func (c *console) sayBreak(v conversations.TalkView) {
	writeWrapped(c.out, conversations.TalkBreakWhy, "", c.width)
	writeWrapped(c.out, fmt.Sprintf("Your break ends at %s. Run the same command again then: the talk will be where you left it.",
		v.Talk.BreakUntil.In(v.Couple.Location()).Format("15:04 MST")), "", c.width)
}

// talkLeftOpen says that a talk stays open, where it was, when the input
// ends during it.
func (c *console) talkLeftOpen(ctx context.Context, v conversations.TalkView) error {
	e := &TalkLeftOpenError{reason: "The input ran out before the talk was finished.", until: formatTime(v.Talk.ExpiresAt, v.Couple)}
	switch {
	case ctx.Err() != nil:
		e.reason = "Stopped before the talk was finished."
	case c.interactive:
		e.reason = "You stopped (Ctrl-D) before the talk was finished."
	}
	return e
}

// talkActor is who acts for both partners at the shared keyboard, where an
// action is either's: the first partner.
func (c *console) talkActor(v conversations.TalkView) conversations.Actor {
	return consoleActor(v.Couple.Partners[0].UserID)
}
