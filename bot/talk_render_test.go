package bot

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// renderTalk is a talk of renderCouple about renderCheckIn, asked by Alex,
// at stage.
func renderTalk(stage conversations.TalkStage) conversations.TalkView {
	ci := renderCheckIn()
	ci.Status = conversations.CheckInRevealed
	return conversations.TalkView{
		Talk: conversations.GuidedTalk{
			ID: 11, CoupleID: renderCouple.ID, CheckInID: ci.ID, Stage: stage, AskedBy: "300000000000000003",
			StartedAt: renderNow, ExpiresAt: renderNow.Add(conversations.DefaultTalkExpiry), MessageID: "500000000000000005",
		},
		Couple: renderCouple, CheckIn: ci, Now: renderNow,
		Appreciations: [2]string{"You cooked on Tuesday", ""},
		Break:         conversations.DefaultTalkBreak, Expiry: conversations.DefaultTalkExpiry,
	}
}

func TestRenderATalkAtEveryStep(t *testing.T) {
	hurt := conversations.TalkTopic{Ref: conversations.TopicRef{Kind: conversations.TopicHurt, PromptID: "hurt", RaisedBy: "400000000000000004"}, Words: "I felt alone at the party"}
	need := conversations.TalkTopic{Ref: conversations.TopicRef{Kind: conversations.TopicNeed, PromptID: "need", RaisedBy: "300000000000000003"}, Words: strings.Repeat("A walk together ", 5)}

	asked := renderTalk(conversations.TalkAsked)
	appreciation := renderTalk(conversations.TalkAppreciation)
	appreciation.Talk.Read = [2]bool{false, true}
	none := renderTalk(conversations.TalkAppreciation)
	none.Appreciations = [2]string{}
	choosing := renderTalk(conversations.TalkChoosing)
	choosing.Topics = []conversations.TalkTopic{hurt, need}
	turns := renderTalk(conversations.TalkTurns)
	turns.Talk.Topic, turns.Topic, turns.Talk.Speaker = &hurt.Ref, &hurt, 1
	heard := turns
	heard.Talk.HeardNow, heard.Talk.Heard = true, [2]bool{false, true}
	both := turns
	both.Talk.Speaker, both.Talk.Heard = 0, [2]bool{true, true}
	closing := renderTalk(conversations.TalkClosing)
	onBreak := renderTalk(conversations.TalkChoosing)
	onBreak.Talk.BreakUntil = renderNow.Add(conversations.DefaultTalkBreak)

	for name, m := range map[string]message{
		"talk_asked":        talkMessage(asked),
		"talk_appreciation": talkMessage(appreciation),
		"talk_no_thanks":    talkMessage(none),
		"talk_topic":        talkMessage(choosing),
		"talk_turns":        talkMessage(turns),
		"talk_turns_heard":  talkMessage(heard),
		"talk_turns_both":   talkMessage(both),
		"talk_closing":      talkMessage(closing),
		"talk_break":        talkMessage(onBreak),
		"talk_ended":        talkEndedMessage(conversations.TalkExpired),
		"talk_speaker":      promptsMessage(turns, conversations.RoleSpeaker),
		"talk_listener":     promptsMessage(turns, conversations.RoleListener),
		"talk_come_back":    comeBackMessage(onBreak),
		"talk_asked_reply":  talkAskedReply(asked),
	} {
		checkLimits(t, name, m)
		golden(t, name, m.responseData())
	}
	golden(t, "talk_promise_modal", promiseModal(11))
	golden(t, "talk_agreement_modal", agreementModal(11))

	mustContain(t, "the break", text(talkMessage(onBreak).responseData()), fmt.Sprintf("<t:%d:t>", renderNow.Add(20*time.Minute).Unix()))
	mustContain(t, "the come-back", comeBackMessage(onBreak).Content, WebURL+"/channels/100000000000000001/200000000000000002/500000000000000005")
	noMessage := onBreak
	noMessage.Talk.MessageID = ""
	if got := comeBackMessage(noMessage).Content; got != conversations.TalkComeBack {
		t.Errorf("the come-back of a talk whose message is unknown reads %q, want no link", got)
	}
}

// fiveHurts is a check-in of five prompts about a hurt, with status, each
// answered "Words" by the partners given: five rows of buttons on a reveal.
func fiveHurts(status conversations.CheckInStatus, by ...conversations.Partner) (conversations.CheckIn, []conversations.Answer) {
	ci := renderCheckIn()
	ci.Status = status
	ci.Subjects = nil
	ci.Template = conversations.Template{ID: "hurts"}
	var answers []conversations.Answer
	for i := range 5 {
		id := fmt.Sprintf("hurt-%d", i)
		ci.Template.Prompts = append(ci.Template.Prompts, conversations.Prompt{ID: id, Kind: conversations.KindText, Text: "What hurt?", Acknowledge: true})
		for _, p := range by {
			answers = append(answers, conversations.Answer{CheckInID: ci.ID, UserID: p.UserID, PromptID: id, Text: "Words"})
		}
	}
	return ci, answers
}

// TestRenderTheTalkOfferOnAPageOfItsOwnWhenTheLastIsFull: five rows of
// buttons fill a message, so the offer of a talk comes on a page after.
func TestRenderTheTalkOfferOnAPageOfItsOwnWhenTheLastIsFull(t *testing.T) {
	ci, answers := fiveHurts(conversations.CheckInRevealed, renderCouple.Partners[:]...)
	pages := revealMessages(conversations.NewReveal(ci, renderCouple, answers))
	if len(pages) != 2 {
		t.Fatalf("%d pages, want the full one and the offer of a talk", len(pages))
	}
	for _, p := range pages {
		checkLimits(t, "reveal page", p)
	}
	if got := customIDs(pages[1].Components); fmt.Sprint(got) != "[talk.start:42]" {
		t.Errorf("the last page offers %v, want the talk alone", got)
	}
	mustContain(t, "the last page", pages[1].Content, "When you're both ready, you can talk it through together, one step at a time.")
	if offersAction(pages[0].Components, actTalkStart) {
		t.Error("the full page offers the talk too")
	}
}

// Two appreciations as long as a template allows still leave room for both
// partners' names and who has pressed Read it, within Discord's limits.
func TestRenderTheLongestAppreciationsOfATalkWithinDiscordLimits(t *testing.T) {
	for _, words := range []string{strings.Repeat("x", conversations.MaxTextLength), strings.Repeat("a\n", conversations.MaxTextLength/2)} {
		v := renderTalk(conversations.TalkAppreciation)
		v.Appreciations = [2]string{words, words}
		v.Talk.Read = [2]bool{true, false}
		m := talkMessage(v)
		checkLimits(t, "the longest appreciations", m)
		got := text(m.responseData())
		mustContain(t, "the longest appreciations", got, "**Alex** appreciated:\n> ", "**Sam** appreciated:\n> ",
			"(The rest is in your reveal.)", "Each of you presses **Read it** once you have said yours or read your partner's. Pressed so far: Alex.")
	}
}

// A check-in closed with one partner's answers shared is no reveal, so it
// offers no talk: not even the page that says a talk can follow, which the
// reveal adds when its last page is full of buttons.
func TestRenderSharedAnswersOfferNoTalk(t *testing.T) {
	ci, answers := fiveHurts(conversations.CheckInClosed, renderCouple.Partners[0])
	pages := sharedMessages(conversations.NewReveal(ci, renderCouple, answers), renderCouple.Partners[0].UserID)
	if len(pages) != 1 {
		t.Fatalf("%d pages of shared answers, want 1", len(pages))
	}
	got := text(pages[0].responseData())
	mustContain(t, "the shared answers", got, "Alex chose to share their answers from the last check-in, and Sam said yes.", "Alex: Words")
	if strings.Contains(got, "talk it through") || len(pages[0].Components) != 0 {
		t.Errorf("the shared answers offer a talk:\n%s", got)
	}
}

// The promise form at a talk's close takes no more than a promise may
// hold (300 characters, as /commitment add), so nobody types a promise
// that is then refused for its length.
func TestThePromiseFormOfATalkTakesWhatAPromiseMayHold(t *testing.T) {
	in := promiseModal(11).Components[0].(discordgo.ActionsRow).Components[0].(discordgo.TextInput)
	if in.MaxLength != 300 {
		t.Errorf("the promise form takes %d characters, want 300", in.MaxLength)
	}
	in = agreementModal(11).Components[0].(discordgo.ActionsRow).Components[0].(discordgo.TextInput)
	if in.MaxLength != 300 {
		t.Errorf("the agreement form takes %d characters, want 300", in.MaxLength)
	}
}

// A select holds 25 topics. A reveal that raised more offers the first 25,
// within every limit, and says that the others are still in the reveal
// rather than leave them out unsaid.
func TestRenderATalkWithMoreTopicsThanASelectHolds(t *testing.T) {
	v := renderTalk(conversations.TalkChoosing)
	v.Couple.Partners[0].Name = strings.Repeat("N", 32)
	v.Couple.Partners[1].Name = strings.Repeat("Ü", 32)
	for i := range 30 {
		v.Topics = append(v.Topics, conversations.TalkTopic{
			Ref:   conversations.TopicRef{Kind: conversations.TopicReview, PromptID: strings.Repeat("p", 32), SubjectID: int64(1_000_000_000_000_000_000 + i), RaisedBy: ""},
			Words: strings.Repeat("ẃ", 79) + "…",
		})
	}
	m := talkMessage(v)
	checkLimits(t, "thirty topics", m)
	var options []discordgo.SelectMenuOption
	for _, c := range flat(m.Components) {
		if s, ok := c.(discordgo.SelectMenu); ok {
			options = s.Options
		}
	}
	if len(options) != 25 {
		t.Fatalf("the select offers %d topics, want 25", len(options))
	}
	for _, o := range options {
		if n := len([]rune(o.Label)); n > 100 || len(o.Value) > 100 {
			t.Errorf("an option's label has %d characters and its value %d bytes: %q", n, len(o.Value), o.Value)
		}
	}
	mustContain(t, "thirty topics", text(m.responseData()), "5 more are in your reveal, for another day.")
	v.Topics = v.Topics[:26]
	mustContain(t, "twenty-six topics", text(talkMessage(v).responseData()), "One more is in your reveal, for another day.")
}
