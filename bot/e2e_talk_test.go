package bot

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/bot/discordtest"
	"mend/conversations"
)

// talkFixture is a couple whose rebuilding-trust check-in was revealed:
// alice wrote about a hurt, bob about a need, and, unless asked otherwise,
// each wrote an appreciation.
type talkFixture struct {
	*harness
	// test is the harness's test, for helpers that take a *testing.T.
	test    *testing.T
	ch      string
	checkIn int64
	// reveal is the reveal's page that offers "Talk it through".
	reveal *discordgo.Message
	start  string
	// talk is the talk's message, once posted.
	talk string
}

const (
	aliceThanks = "You made me tea when I was tired"
	bobThanks   = "You listened to me on Sunday"
	aliceHurt   = "I felt alone at the party"
	bobNeed     = "A walk together on Saturday"
)

func revealForTalk(t *testing.T, appreciations bool) *talkFixture {
	t.Helper()
	h := newHarness(t)
	f := &talkFixture{harness: h, test: t, ch: h.couple()}
	ci, err := h.app.CheckIns.Open(h.ctx, h.byFirst(mustCouple(t, h, f.ch).ID), conversations.RebuildingTrustID)
	if err != nil {
		t.Fatal(err)
	}
	f.checkIn = ci.ID
	answers := func(words map[string]string) func(conversations.Item) *conversations.AnswerInput {
		return func(it conversations.Item) *conversations.AnswerInput {
			p := it.Prompt
			switch {
			case words[p.ID] != "" && (appreciations || p.ID != "appreciation"):
				return &conversations.AnswerInput{Text: words[p.ID]}
			case p.Kind == conversations.KindScale:
				return &conversations.AnswerInput{Scale: 3}
			case p.Optional || p.Kind == conversations.KindNewCommitment:
				return nil
			case p.Kind == conversations.KindChoice:
				return &conversations.AnswerInput{Choice: p.Options[0]}
			}
			return &conversations.AnswerInput{Text: "A few words"}
		}
	}
	answerWith(t, h, ci.ID, alice, answers(map[string]string{"appreciation": aliceThanks, "hurt": aliceHurt}))
	answerWith(t, h, ci.ID, bob, answers(map[string]string{"appreciation": bobThanks, "need": bobNeed}))
	if _, err := h.bot.FlushOutbox(h.ctx); err != nil {
		t.Fatal(err)
	}
	f.start = customID{Action: actTalkStart, ID: ci.ID}.String()
	for _, m := range h.srv.Messages(f.ch) {
		if _, ok := button(m.Components, f.start); ok {
			f.reveal = m
		}
	}
	if f.reveal == nil {
		t.Fatalf("no reveal page offers %s:\n%s", f.start, channelText(h, f.ch))
	}
	return f
}

// ask starts a talk as u from the reveal's button and waits for its message.
func (f *talkFixture) ask(u *discordgo.User) *discordtest.Response {
	f.t.Helper()
	r := f.press(u, f.ch, f.reveal.ID, f.start)
	f.waitForTalk()
	return r
}

// waitForTalk waits for the talk's message in the channel.
func (f *talkFixture) waitForTalk() {
	f.t.Helper()
	f.waitFor("the talk's message", func() bool {
		for _, m := range f.srv.Messages(f.ch) {
			for _, id := range customIDs(m.Components) {
				if strings.HasPrefix(id, actTalkJoin+":") {
					f.talk = m.ID
				}
			}
		}
		return f.talk != ""
	})
}

// message is the talk's message as the channel shows it now.
func (f *talkFixture) message() *discordgo.Message {
	f.t.Helper()
	m, ok := f.srv.Message(f.talk)
	if !ok {
		f.t.Fatal("the talk's message is gone")
	}
	return m
}

// on presses the component of the talk's message with this action, as u.
func (f *talkFixture) on(u *discordgo.User, action string, values ...string) *discordtest.Response {
	f.t.Helper()
	return f.press(u, f.ch, f.talk, f.idWith(f.message().Components, action), values...)
}

// step presses and expects the talk's message to be replaced.
func (f *talkFixture) step(u *discordgo.User, action string, values ...string) string {
	f.t.Helper()
	r := f.on(u, action, values...)
	if r.Type != discordgo.InteractionResponseUpdateMessage {
		f.t.Fatalf("%s pressing %s answered %v: %s", u.Username, action, r.Type, text(r.Data))
	}
	return text(r.Data)
}

// refused presses and expects a private answer and an unchanged message.
func (f *talkFixture) refused(u *discordgo.User, id string, want string) {
	f.t.Helper()
	before := messageText(f.message())
	r := f.press(u, f.ch, f.talk, id)
	if !isEphemeral(r) || r.Type != discordgo.InteractionResponseChannelMessageWithSource {
		f.t.Errorf("%s pressing %s answered %v (ephemeral %v): %s", u.Username, id, r.Type, isEphemeral(r), text(r.Data))
	}
	mustContain(f.t, u.Username+"'s refusal", text(r.Data), want)
	if after := messageText(f.message()); after != before {
		f.t.Errorf("a refused press by %s changed the talk's message:\n%s\nto\n%s", u.Username, before, after)
	}
}

// id is the custom ID of this talk with an action.
func (f *talkFixture) id(action string) string {
	f.t.Helper()
	return customID{Action: action, ID: f.talkID()}.String()
}

func (f *talkFixture) talkID() int64 {
	f.t.Helper()
	for _, id := range customIDs(f.message().Components) {
		if strings.HasPrefix(id, "talk.") {
			return idOf(f.test, id)
		}
	}
	return f.storedTalkID()
}

// storedTalkID is the ID of the couple's one talk row.
func (f *talkFixture) storedTalkID() int64 {
	f.t.Helper()
	return int64(countRows(f.test, f.harness, `SELECT COALESCE(MAX(id), 0) FROM guided_talks`))
}

// joinedTalk is a talk alice asked for and bob joined, at its appreciations.
func joinedTalk(t *testing.T) *talkFixture {
	t.Helper()
	f := revealForTalk(t, true)
	f.ask(alice)
	f.step(bob, actTalkJoin)
	return f
}

// toClosing brings a talk bob joined through alice's hurt, both turns,
// to its closing.
func (f *talkFixture) toClosing() {
	f.t.Helper()
	f.step(bob, actTalkJoin)
	f.throughTurns(alice, bob, "hurt/hurt/0/"+alice.ID)
}

// throughTurns takes a talk from its appreciations to its closing on the
// topic with this key, which speaker raised.
func (f *talkFixture) throughTurns(speaker, listener *discordgo.User, topic string) {
	f.t.Helper()
	f.step(speaker, actTalkRead)
	f.step(listener, actTalkRead)
	f.step(listener, actTalkTopic, topic)
	f.step(speaker, actTalkHeard)
	f.step(listener, actTalkSwap)
	f.step(listener, actTalkHeard)
	f.step(speaker, actTalkClosing)
}

func TestAFullTalkFromTheRevealGoesStepByStepInOneMessage(t *testing.T) {
	t.Parallel()
	f := revealForTalk(t, true)
	if b, _ := button(f.reveal.Components, f.start); b.Label != "Talk it through" {
		t.Errorf("the reveal's button reads %q", b.Label)
	}

	r := f.ask(alice)
	if !isEphemeral(r) {
		t.Errorf("starting a talk answered in public: %s", text(r.Data))
	}
	mustContain(t, "the answer to alice", text(r.Data), "Bob is asked in the channel. The talk starts once they press **I'm ready**")
	asked := f.message()
	mustContain(t, "the talk's message", messageText(asked),
		"<@"+bob.ID+">, Alice would like to talk through your check-in of", conversations.TalkIntro,
		"["+f.id(actTalkJoin)+"]", "["+f.id(actTalkNotNow)+"]")
	if strings.Contains(asked.Content, alice.ID) {
		t.Errorf("the talk's message mentions alice, who asked: %s", asked.Content)
	}
	if am := lastPostMentions(t, f.harness, f.ch); len(am.Parse) != 0 || len(am.Users) != 1 || am.Users[0] != bob.ID {
		t.Errorf("the talk's message may ping %+v, want only bob", am)
	}
	messages := len(f.srv.Messages(f.ch))

	f.refused(alice, f.id(actTalkJoin), "You asked for this talk; it starts when Bob says they're ready.")
	mustContain(t, "the appreciations", f.step(bob, actTalkJoin),
		"Appreciations first", "**Alice** appreciated:\n> "+aliceThanks, "**Bob** appreciated:\n> "+bobThanks,
		"["+f.id(actTalkRead)+"]", "["+f.id(actTalkPause)+"]", "["+f.id(actTalkStop)+"]")
	mustContain(t, "after alice read", f.step(alice, actTalkRead), "Pressed so far: Alice.", "["+f.id(actTalkRead)+"]")

	topics := f.step(bob, actTalkRead)
	mustContain(t, "the topics", topics, "One topic",
		"• Alice's hurt or worry: “"+aliceHurt+"”", "• What Bob needs: “"+bobNeed+"”",
		"["+f.id(actTalkTopic)+"]", "["+f.id(actTalkPause)+"]", "["+f.id(actTalkStop)+"]")
	var options []string
	for _, c := range flat(f.message().Components) {
		if s, ok := c.(discordgo.SelectMenu); ok {
			for _, o := range s.Options {
				options = append(options, o.Label+" = "+o.Value)
			}
		}
	}
	wantOptions := []string{
		"Alice's hurt or worry: “" + aliceHurt + "” = hurt/hurt/0/" + alice.ID,
		"What Bob needs: “" + bobNeed + "” = need/need/0/" + bob.ID,
	}
	if fmt.Sprint(options) != fmt.Sprint(wantOptions) {
		t.Errorf("the topic select offers\n%q\nwant\n%q", options, wantOptions)
	}

	// Bob picks alice's hurt: alice raised it, so she speaks first.
	turns := f.step(bob, actTalkTopic, "hurt/hurt/0/"+alice.ID)
	mustContain(t, "the turns", turns, "Your topic: Alice's hurt or worry: “"+aliceHurt+"”",
		"**Alice speaks**", "**Bob listens**", conversations.TalkOneTopic, "["+f.id(actTalkHeard)+"]")
	speaker := customID{Action: actTalkPrompts, ID: f.talkID(), Number: 0}.String()
	listener := customID{Action: actTalkPrompts, ID: f.talkID(), Number: 1}.String()
	r = f.press(alice, f.ch, f.talk, speaker)
	if !isEphemeral(r) {
		t.Errorf("the speaker's prompts were shown in public: %s", text(r.Data))
	}
	mustContain(t, "alice's prompts", text(r.Data), conversations.SpeakerPrompts, conversations.PrivateFooter)
	r = f.press(bob, f.ch, f.talk, listener)
	if !isEphemeral(r) {
		t.Errorf("the listener's prompts were shown in public: %s", text(r.Data))
	}
	mustContain(t, "bob's prompts", text(r.Data), conversations.ListenerPrompts, conversations.PrivateFooter)
	f.refused(bob, speaker, `These prompts are for Alice, who is speaking now. Yours are under "Prompts for the listener".`)
	f.refused(alice, listener, `These prompts are for Bob, who is listening now. Yours are under "Prompts for the speaker".`)
	f.refused(bob, f.id(actTalkHeard), "Only Alice, who is speaking now, can say they feel heard.")

	mustContain(t, "alice heard", f.step(alice, actTalkHeard), "Alice feels heard. When you're ready, **Swap**: Bob speaks and Alice listens.", "["+f.id(actTalkSwap)+"]")
	mustContain(t, "the swap", f.step(bob, actTalkSwap), "**Bob speaks**", "**Alice listens**")
	if offersAction(f.message().Components, actTalkClosing) {
		t.Error("the way on is offered before both felt heard")
	}
	mustContain(t, "both heard", f.step(bob, actTalkHeard), "You have each spoken and felt heard.", "["+f.id(actTalkClosing)+"]")
	mustContain(t, "the closing", f.step(alice, actTalkClosing), "One small thing", conversations.TalkClosingAsk,
		"["+f.id(actTalkPromise)+"]", "["+f.id(actTalkAgree)+"]", "["+f.id(actTalkNothing)+"]", "["+f.id(actTalkPause)+"]", "["+f.id(actTalkStop)+"]")
	talkID := f.talkID()
	ended := f.step(bob, actTalkNothing)
	mustContain(t, "the end", ended, conversations.TalkHeldWords)
	if len(f.message().Components) != 0 {
		t.Errorf("the ended talk still offers %v", customIDs(f.message().Components))
	}
	if n := len(f.srv.Messages(f.ch)); n != messages {
		t.Errorf("the talk posted %d messages after its first, want none: every step updates it", n-messages)
	}
	if n := countRows(t, f.harness, `SELECT COUNT(*) FROM guided_talks WHERE id = ? AND stage = 'ended' AND outcome = 'nothing' AND topic_kind = 'hurt' AND topic_prompt = 'hurt' AND topic_raised_by = ? AND talked_at IS NOT NULL`, talkID, alice.ID); n != 1 {
		t.Errorf("the talk is not kept as talked through on alice's hurt with nothing to try (%d rows)", n)
	}
}

func TestNotNowEndsTheTalkKindlyAndKeepsNothing(t *testing.T) {
	t.Parallel()
	f := revealForTalk(t, true)
	r := f.slash(alice, f.ch, "talk")
	if !isEphemeral(r) {
		t.Errorf("/talk answered in public: %s", text(r.Data))
	}
	mustContain(t, "/talk", text(r.Data), "Bob is asked in the channel.")
	f.waitForTalk()

	for _, u := range []*discordgo.User{alice, bob} {
		r := f.slash(u, f.ch, "talk")
		if !isEphemeral(r) {
			t.Errorf("/talk while a talk is open answered in public: %s", text(r.Data))
		}
		mustContain(t, "/talk while a talk is open", text(r.Data), "A talk is already open in this channel; its message is above.")
	}
	mustContain(t, "not now", f.step(bob, actTalkNotNow), conversations.TalkNotNow)
	if len(f.message().Components) != 0 {
		t.Errorf("the talk said not now still offers %v", customIDs(f.message().Components))
	}
	if n := countRows(t, f.harness, `SELECT COUNT(*) FROM guided_talks`); n != 0 {
		t.Errorf("%d talks kept after Not now, want none", n)
	}
	// Not now is not never: either can ask again.
	f.talk = ""
	f.ask(bob)
	mustContain(t, "the new talk", messageText(f.message()), "<@"+alice.ID+">, Bob would like to talk through")
}

func TestTalkWithoutARevealIsExplainedKindly(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	r := h.slash(alice, ch, "talk")
	if !isEphemeral(r) {
		t.Errorf("/talk with no reveal answered in public: %s", text(r.Data))
	}
	mustContain(t, "/talk with no reveal", text(r.Data), "There is no reveal to talk through yet. A talk follows a check-in you have both finished, once both sets of answers are shown.")
	if n := countRows(t, h, `SELECT COUNT(*) FROM guided_talks`); n != 0 {
		t.Errorf("%d talks after a refused /talk", n)
	}
}

func TestABreakPausesTheTalkAndAsksOnceWhetherTheyAreReadyToComeBack(t *testing.T) {
	t.Parallel()
	f := joinedTalk(t)
	until := f.clock.Now().Add(conversations.DefaultTalkBreak)
	paused := f.step(alice, actTalkPause)
	mustContain(t, "the break", paused, "A break", conversations.TalkBreakWhy,
		fmt.Sprintf("Your break ends at <t:%d:t>.", until.Unix()), "["+f.id(actTalkBack)+"]", "["+f.id(actTalkStop)+"]")
	if got := customIDs(f.message().Components); fmt.Sprint(got) != fmt.Sprint([]string{f.id(actTalkBack), f.id(actTalkStop)}) {
		t.Errorf("during the break the talk offers %v, want We're back and Let's stop here", got)
	}
	berlin := mustLoad(t, "Europe/Berlin")
	f.refused(bob, f.id(actTalkBack), "The break runs until "+until.In(berlin).Format("15:04 MST")+".")
	f.refused(bob, f.id(actTalkRead), "You are on a break until "+until.In(berlin).Format("15:04 MST")+".")

	messages := len(f.srv.Messages(f.ch))
	f.clock.Advance(conversations.DefaultTalkBreak + time.Minute)
	for i, want := range []int{1, 0} {
		report, err := f.app.Schedules.RunDue(f.ctx)
		if err != nil || report.ComeBacks != want {
			t.Fatalf("run %d of the scheduler asked %d times whether they are ready (%v), want %d", i+1, report.ComeBacks, err, want)
		}
		if _, err := f.bot.FlushOutbox(f.ctx); err != nil {
			t.Fatal(err)
		}
	}
	all := f.srv.Messages(f.ch)
	if len(all) != messages+1 {
		t.Fatalf("%d new messages after the break, want exactly one:\n%s", len(all)-messages, channelText(f.harness, f.ch))
	}
	mustContain(t, "the come-back", all[len(all)-1].Content, conversations.TalkComeBack,
		WebURL+"/channels/"+testGuild+"/"+f.ch+"/"+f.talk)

	back := f.step(bob, actTalkBack)
	mustContain(t, "the talk, back", back, "Appreciations first", "["+f.id(actTalkRead)+"]")
	f.step(alice, actTalkRead)
}

func TestATalkEndsByItselfSilentlyAfterADay(t *testing.T) {
	t.Parallel()
	f := joinedTalk(t)
	read := f.id(actTalkRead)
	messages := len(f.srv.Messages(f.ch))

	f.endsByItself()
	f.waitFor("the talk's message to say it ended", func() bool {
		return strings.Contains(messageText(f.message()), conversations.TalkExpired)
	})
	if len(f.message().Components) != 0 {
		t.Errorf("the ended talk still offers %v", customIDs(f.message().Components))
	}
	if n := len(f.srv.Messages(f.ch)); n != messages {
		t.Errorf("the end of the talk posted %d messages, want none", n-messages)
	}
	f.refused(bob, read, "This talk has ended. Either of you can start another with /talk, whenever you are both ready.")
}

func TestAPromiseMadeAtTheCloseIsACommitmentAndTheTalkIsKeptWithIt(t *testing.T) {
	t.Parallel()
	f := revealForTalk(t, false)
	f.ask(alice)
	f.step(bob, actTalkJoin)
	mustContain(t, "no appreciations", messageText(f.message()), conversations.TalkNoAppreciation)
	if strings.Contains(messageText(f.message()), "appreciated:") {
		t.Errorf("a talk with no appreciations quotes one:\n%s", messageText(f.message()))
	}
	f.throughTurns(alice, bob, "hurt/hurt/0/"+alice.ID)
	talkID := f.talkID()

	opened := f.on(bob, actTalkPromise)
	if opened.Type != discordgo.InteractionResponseModal {
		t.Fatalf("A promise I'll make answered %v: %s", opened.Type, text(opened.Data))
	}
	// A due date Mend cannot read is refused, with the words given back,
	// and the talk waits at its closing.
	closing := messageText(f.message())
	r := f.submit(bob, f.ch, f.talk, opened.Data.CustomID, map[string]string{"text": "I'll plan our Saturday walk", "due": "next week"})
	if !isEphemeral(r) || r.Type != discordgo.InteractionResponseChannelMessageWithSource {
		t.Errorf("a promise with a bad date answered %v: %s", r.Type, text(r.Data))
	}
	mustContain(t, "the refused promise", text(r.Data), "What you wrote, to copy:\n> I'll plan our Saturday walk")
	if got := messageText(f.message()); got != closing {
		t.Errorf("a refused promise changed the talk's message to:\n%s", got)
	}
	if n := countRows(t, f.harness, `SELECT COUNT(*) FROM commitments`); n != 0 {
		t.Errorf("%d commitments after a refused promise", n)
	}
	r = f.submit(bob, f.ch, f.talk, opened.Data.CustomID, map[string]string{"text": "I'll plan our Saturday walk", "due": ""})
	if r.Type != discordgo.InteractionResponseUpdateMessage {
		t.Fatalf("the promise answered %v: %s", r.Type, text(r.Data))
	}
	mustContain(t, "the end", text(r.Data), conversations.TalkHeldWords, "Bob made a promise: “I'll plan our Saturday walk”.")
	if n := countRows(t, f.harness, `SELECT COUNT(*) FROM commitments WHERE owner_id = ? AND status = 'open'`, bob.ID); n != 1 {
		t.Errorf("%d open commitments of bob's, want 1", n)
	}
	if got := commitmentsOf(t, f.harness, f.ch); len(got) != 1 || got[0].Text != "I'll plan our Saturday walk" {
		t.Errorf("the commitments are %+v, want bob's promise", got)
	}
	if n := countRows(t, f.harness, `SELECT COUNT(*) FROM guided_talks WHERE id = ? AND stage = 'ended' AND outcome = 'commitment'`, talkID); n != 1 {
		t.Errorf("the talk is not kept with its commitment (%d rows)", n)
	}
}

func TestAnAgreementProposedAtTheCloseAsksTheOtherPartner(t *testing.T) {
	t.Parallel()
	f := revealForTalk(t, true)
	f.ask(alice)
	f.toClosing()
	opened := f.on(alice, actTalkAgree)
	if opened.Type != discordgo.InteractionResponseModal {
		t.Fatalf("An agreement to propose answered %v: %s", opened.Type, text(opened.Data))
	}
	r := f.submit(alice, f.ch, f.talk, opened.Data.CustomID, map[string]string{"text": "Saturday mornings are for a walk"})
	mustContain(t, "the end", text(r.Data), conversations.TalkHeldWords, "Alice proposed an agreement; Bob is asked below.")
	var proposal *discordgo.Message
	f.waitFor("the proposal", func() bool {
		for _, m := range f.srv.Messages(f.ch) {
			if strings.Contains(m.Content, "proposes an agreement") {
				proposal = m
			}
		}
		return proposal != nil
	})
	mustContain(t, "the proposal", proposal.Content, "<@"+bob.ID+">, Alice proposes an agreement for the two of you:\n> Saturday mornings are for a walk")
	agreed := f.press(bob, f.ch, proposal.ID, f.idWith(proposal.Components, actAgree))
	mustContain(t, "bob's yes", text(agreed.Data), "Alice proposed, and Bob agreed:")
	if n := countRows(t, f.harness, `SELECT COUNT(*) FROM guided_talks WHERE stage = 'ended' AND outcome = 'agreement'`); n != 1 {
		t.Errorf("the talk is not kept with its agreement (%d rows)", n)
	}
}

func TestAStrangerAndTheOtherCoupleChangeNothingInATalk(t *testing.T) {
	t.Parallel()
	f := joinedTalk(t)
	version := countRows(t, f.harness, `SELECT version FROM guided_talks`)

	f.refused(carol, f.id(actTalkRead), "This channel belongs to two other people, so Mend can't act on it for you.")
	f.refused(carol, f.id(actTalkStop), "This channel belongs to two other people, so Mend can't act on it for you.")

	// Carol and dave's own couple, pressing this talk's buttons from their
	// own channel.
	c, err := f.app.Couples.Invite(f.ctx, conversations.Actor{UserID: carol.ID, GuildID: testGuild}, "Carol", conversations.Partner{UserID: dave.ID, Name: "Dave"}, "Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	const theirChannel = "900000000000000077"
	if _, err := f.app.Couples.Accept(f.ctx, f.inGuild(c.ID, dave.ID), c.ID, theirChannel); err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{actTalkRead, actTalkStop, actTalkPause} {
		r := f.press(carol, theirChannel, f.talk, f.id(action))
		if !isEphemeral(r) || r.Type != discordgo.InteractionResponseChannelMessageWithSource {
			t.Errorf("the other couple pressing %s answered %v: %s", action, r.Type, text(r.Data))
		}
		mustContain(t, "the other couple's refusal", text(r.Data), "This talk belongs to two other people, so Mend can't act on it for you.")
	}
	if got := countRows(t, f.harness, `SELECT version FROM guided_talks`); got != version {
		t.Errorf("the talk's version went from %d to %d after refused presses", version, got)
	}
	mustContain(t, "the talk", messageText(f.message()), "Appreciations first", "["+f.id(actTalkRead)+"]")
}

func TestAnEndedTalkKeepsOnlyItsTopicWhenAndHow(t *testing.T) {
	t.Parallel()
	f := revealForTalk(t, true)
	f.ask(bob)
	f.step(alice, actTalkJoin)
	f.throughTurns(bob, alice, "need/need/0/"+bob.ID)
	f.step(alice, actTalkNothing)

	db, err := sql.Open("sqlite3", "file:"+f.dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(f.ctx, `SELECT * FROM guided_talks`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	columns, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		values := make([]any, len(columns))
		ptrs := make([]any, len(columns))
		for i := range values {
			ptrs[i] = &values[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, c := range columns {
			switch c {
			case "id", "couple_id", "checkin_id", "version":
				continue // which talk, and its bookkeeping
			case "talked_at":
				if values[i] == nil {
					t.Error("talked_at is empty")
				}
				continue
			}
			if b, ok := values[i].([]byte); ok {
				values[i] = string(b)
			}
			got = append(got, fmt.Sprintf("%s=%v", c, values[i]))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"stage=ended", "asked_by=", "started_at=<nil>", "expires_at=<nil>", "read_0=0", "read_1=0", "speaker=0",
		"heard_now=0", "heard_0=0", "heard_1=0", "break_until=<nil>", "come_back_due=0", "message_id=",
		"topic_kind=need", "topic_prompt=need", "topic_subject=0", "topic_raised_by=" + bob.ID, "outcome=nothing",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the ended talk's row holds\n%q\nwant\n%q", got, want)
	}
	// The talk has no words of its own, and no table but guided_talks
	// learned of it.
	if n := countRows(t, f.harness, `SELECT COUNT(*) FROM talks`); n != 0 {
		t.Errorf("%d reviews marked talked about by a talk on a need, want none", n)
	}
}

func TestAPressAfterADayFindsTheTalkEndedAndItsMessageSaysSo(t *testing.T) {
	t.Parallel()
	f := joinedTalk(t)
	messages := len(f.srv.Messages(f.ch))
	f.clock.Advance(conversations.DefaultTalkExpiry + time.Minute)
	// No scheduler round yet: the press itself finds the talk over.
	r := f.press(bob, f.ch, f.talk, f.id(actTalkRead))
	if !isEphemeral(r) || r.Type != discordgo.InteractionResponseChannelMessageWithSource {
		t.Errorf("a press after a day answered %v: %s", r.Type, text(r.Data))
	}
	mustContain(t, "the press after a day", text(r.Data), "This talk ended by itself after 24 hours. Either of you can start another with /talk, whenever you are both ready.")
	f.waitFor("the talk's message to say it ended", func() bool {
		return strings.Contains(messageText(f.message()), conversations.TalkExpired)
	})
	if n := len(f.srv.Messages(f.ch)); n != messages {
		t.Errorf("the end of the talk posted %d messages, want none", n-messages)
	}
	if report, err := f.app.Schedules.RunDue(f.ctx); err != nil || report.TalksEnded != 0 {
		t.Errorf("RunDue ended %d talks (%v) after the press had, want 0", report.TalksEnded, err)
	}
}
