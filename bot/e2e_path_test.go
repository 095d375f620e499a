package bot

import (
	"slices"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"mend/bot/discordtest"
	"mend/config"
	"mend/conversations"
)

// pathCouple is a couple in the harness with their first check-in of the
// rebuilding-trust template open and its post in the channel.
func pathCouple(t *testing.T) (*harness, string, conversations.CheckIn) {
	t.Helper()
	h := newHarness(t)
	ch := h.couple()
	ci, err := h.app.CheckIns.Open(h.ctx, h.byFirst(mustCouple(t, h, ch).ID), conversations.RebuildingTrustID)
	if err != nil {
		t.Fatal(err)
	}
	mustFlush(t, h, 1)
	return h, ch, ci
}

func TestTheQuestionOfTheWeekIsAskedRevealedAndRememberedThroughDiscord(t *testing.T) {
	t.Parallel()
	h, ch, ci := pathCouple(t)
	posts := checkInPostsIn(h, ch)
	if len(posts) != 1 {
		t.Fatalf("%d check-in posts", len(posts))
	}
	mustContain(t, "the check-in post", messageText(posts[0]), "This week's theme: Week 1 of 14: acknowledging the hurt")

	// Alice gets to the question of the week: trust, appreciation, what
	// hurt, what she takes responsibility for. The path opens gently, with
	// a choice.
	answerSteps(t, h, ci.ID, alice, "A few words.", 4)
	r := h.press(alice, ch, posts[0].ID, customID{Action: actStart, ID: ci.ID}.String())
	mustContain(t, "alice's step", text(r.Data), "5 of 7", "This week's question · Week 1 of 14: acknowledging the hurt", "When the hurt comes up, what helps me most is…", "["+actChoice+":")
	step, _ := h.srv.Original(h.lastToken())
	picked := h.press(alice, ch, step.ID, customID{Action: actChoice, ID: ci.ID, Prompt: conversations.WeekPromptID}.String(), "2")
	if picked.Type != discordgo.InteractionResponseUpdateMessage {
		t.Fatalf("picking an option answered %v: %s", picked.Type, text(picked.Data))
	}
	answerSteps(t, h, ci.ID, alice, "Time together.", 0)
	sendAnswers(t, h, ci.ID, alice)
	answerSteps(t, h, ci.ID, bob, "Still hard to say.", 0)
	sendAnswers(t, h, ci.ID, bob)
	mustFlush(t, h, 1)

	mustContain(t, "the reveal", channelText(h, ch), "When the hurt comes up, what helps me most is…", "Alice: Some space first, then talking", "Bob: Being listened to, without fixing")
	headed := false
	for _, m := range h.srv.Messages(ch) {
		for _, e := range m.Embeds {
			headed = headed || (e.Author != nil && e.Author.Name == "This week's question · Week 1 of 14: acknowledging the hurt")
		}
	}
	if !headed {
		t.Error("the reveal does not mark the question of the week")
	}

	history := h.slash(bob, ch, "history")
	mustContain(t, "/history", text(history.Data), "question of the week (week 1 of 14: acknowledging the hurt): “What helps me when it hurts”")
	show := h.slash(bob, ch, "path", sub("show"))
	if !isEphemeral(show) {
		t.Error("/path show is for the one who asked")
	}
	mustContain(t, "/path show after the check-in", text(show.Data), "**Week 2 of 14: acknowledging the hurt.** This week's question comes with your next check-in.", "Then:** week 3 of 14: taking responsibility.")
}

// sendAnswers sends a partner's answers for the reveal, as after rereading.
func sendAnswers(t *testing.T, h *harness, checkInID int64, u *discordgo.User) {
	t.Helper()
	if _, err := h.app.Turns.Send(h.ctx, h.as(checkInID, u.ID), checkInID); err != nil {
		t.Fatalf("%s sends: %v", u.Username, err)
	}
}

func TestPathChangesArePostedInTheChannelForBoth(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()

	// /path skip is answered privately, and the channel gets a plain
	// message: a public reply would show "Alice used /path skip" above it.
	skip := h.slash(alice, ch, "path", sub("skip"))
	if !isEphemeral(skip) {
		t.Fatalf("/path skip is answered in public, under alice's name: %s", text(skip.Data))
	}
	mustContain(t, "/path skip's reply", text(skip.Data), "Done: the theme *acknowledging the hurt* was passed over. A note in your channel tells you both, without saying who.")
	notice := "The theme *acknowledging the hurt* was passed over this time. It comes back in the next round of your path. Your next check-in brings week 2 of 14: acknowledging the hurt."
	h.waitFor("the notice in the channel", func() bool { return strings.Contains(channelText(h, ch), notice) })
	for _, m := range h.srv.Messages(ch) {
		if strings.Contains(messageText(m), notice) && (m.InteractionMetadata != nil || m.Interaction != nil || strings.Contains(messageText(m), "Alice")) {
			t.Errorf("the notice is tied to alice or names her: %+v", m)
		}
	}

	packs := h.slash(bob, ch, "path", sub("packs"))
	if !isEphemeral(packs) {
		t.Fatal("/path packs should be for the one who asked")
	}
	menu, _ := h.srv.Original(h.lastToken())
	menuID := h.idWith(packs.Data.Components, actPathPacks)
	var on []string
	for _, c := range flat(packs.Data.Components) {
		if s, ok := c.(discordgo.SelectMenu); ok {
			for _, o := range s.Options {
				if !o.Default {
					t.Errorf("pack %s is not shown as on", o.Value)
				}
				if o.Value != "boundaries-money" && o.Value != "boundaries-social" {
					on = append(on, o.Value)
				}
			}
		}
	}
	chosen := h.press(bob, ch, menu.ID, menuID, on...)
	if chosen.Type != discordgo.InteractionResponseChannelMessageWithSource || isEphemeral(chosen) {
		t.Fatalf("choosing packs answered %v (ephemeral %v): %s", chosen.Type, isEphemeral(chosen), text(chosen.Data))
	}
	// Turning packs off for both is a proposal alice answers.
	mustContain(t, "the packs posted", text(chosen.Data), "Bob would like to turn off, for both of you: boundaries — money, boundaries — social life and exes. They stay on unless Alice agrees. Your next check-in brings week 2 of 14: acknowledging the hurt.")
	proposal, _ := h.srv.Original(h.lastToken())
	turnOff := h.idWith(chosen.Data.Components, actPacksOff) // Turn them off
	if r := h.press(bob, ch, proposal.ID, turnOff); !isEphemeral(r) || !strings.Contains(text(r.Data), "This is for Alice to answer") {
		t.Errorf("bob accepting his own proposal: %s", text(r.Data))
	}
	agreed := h.press(alice, ch, proposal.ID, turnOff)
	if agreed.Type != discordgo.InteractionResponseUpdateMessage || len(agreed.Data.Components) != 0 {
		t.Fatalf("alice agreeing answered %v with %d rows", agreed.Type, len(agreed.Data.Components))
	}
	mustContain(t, "alice agreed", text(agreed.Data), "Alice agreed: off now for both of you: boundaries — money, boundaries — social life and exes. Your next check-in brings week 2 of 12: acknowledging the hurt.")

	off := h.slash(alice, ch, "path", sub("off"))
	mustContain(t, "/path off", text(off.Data), "Alice turned the question of the week off.")
	before := len(h.srv.Messages(ch))
	again := h.slash(bob, ch, "path", sub("off"))
	if !isEphemeral(again) || !strings.Contains(text(again.Data), "already off") {
		t.Errorf("/path off twice: %s", text(again.Data))
	}
	if n := len(h.srv.Messages(ch)); n != before {
		t.Errorf("a refused /path off posted %d messages", n-before)
	}
	shown := h.slash(bob, ch, "path", sub("show"))
	mustContain(t, "/path show while off", text(shown.Data), "The question of the week is off", "next check-in brings week 2 of 12: acknowledging the hurt", "Packs on:** 11 of 13. Off: boundaries — money, boundaries — social life and exes.")
	on2 := h.slash(bob, ch, "path", sub("on"))
	mustContain(t, "/path on", text(on2.Data), "Bob turned the question of the week back on. Your next check-in brings week 2 of 12: acknowledging the hurt.")

	v, err := h.app.GuidedPath.Of(h.ctx, h.actor(mustCouple(t, h, ch).ID, alice.ID))
	if err != nil {
		t.Fatal(err)
	}
	if v.Path.Off || v.Next.Pack.ID != "acknowledging-the-hurt" || v.Next.Week != 2 || len(v.Path.PacksOff) != 2 {
		t.Errorf("the stored path: %+v", v.Path)
	}
}

func TestPathChangesAreRefusedToStrangersAndForgedMenusAndChangeNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	couple := mustCouple(t, h, ch)
	before := len(h.srv.Messages(ch))

	for _, sc := range []string{"skip", "off", "packs", "show"} {
		r := h.slash(carol, ch, "path", sub(sc))
		if !isEphemeral(r) || !strings.Contains(text(r.Data), "belongs to two other people") {
			t.Errorf("carol's /path %s: %s", sc, text(r.Data))
		}
	}
	r := h.slash(alice, generalChan, "path", sub("skip"))
	if !isEphemeral(r) || !strings.Contains(text(r.Data), "couple's private channel") {
		t.Errorf("/path skip outside the couple's channel: %s", text(r.Data))
	}
	forged := customID{Action: actPathPacks, ID: couple.ID + 1}.String()
	if r := h.press(alice, ch, "", forged, "transparency"); !strings.Contains(text(r.Data), "belongs to another couple") {
		t.Errorf("a menu of another couple: %s", text(r.Data))
	}
	mine := customID{Action: actPathPacks, ID: couple.ID}.String()
	if r := h.press(alice, ch, "", mine, "transparency", "no-such-pack"); !isEphemeral(r) || !strings.Contains(text(r.Data), `no pack "no-such-pack"`) {
		t.Errorf("an unknown pack: %s", text(r.Data))
	}
	if r := h.press(alice, ch, "", mine); !isEphemeral(r) || !strings.Contains(text(r.Data), "At least one pack stays on") {
		t.Errorf("no pack at all: %s", text(r.Data))
	}
	if n := len(h.srv.Messages(ch)); n != before {
		t.Errorf("refused path changes posted %d messages", n-before)
	}
	p, err := h.db.Paths.GuidedPath(h.ctx, couple.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != 0 {
		t.Errorf("refused path changes were stored: %+v", p)
	}
}

// A library question can carry "I hear you", and a check-in never draws a
// question that asks what one of its own prompts asks.
func TestALibraryQuestionCanBeHeardAndNeverEchoesTheCheckIn(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	pack := conversations.Pack{ID: "hurt", Name: "the hurt", Step: conversations.StepAcknowledge, Questions: []conversations.Question{
		{ID: "hurt-own", Pack: "hurt", Step: conversations.StepAcknowledge, Kind: conversations.KindText, Label: "Something I own",
			Text: "Something I would like to take responsibility for is…", Hint: "Only if you want to.", Echoes: []string{"responsibility"}},
		{ID: "hurt-heard", Pack: "hurt", Step: conversations.StepAcknowledge, Kind: conversations.KindText, Label: "What I'd like understood",
			Text: "What I would most like you to understand about how it was for me is…", Hint: "From your side.", Acknowledge: conversations.AckHeard},
	}}
	lib, err := config.NewLibrary(false, []conversations.Pack{pack}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.library = lib
	h.restart()
	ch := h.couple()
	ci, err := h.app.CheckIns.Open(h.ctx, h.byFirst(mustCouple(t, h, ch).ID), conversations.RebuildingTrustID)
	if err != nil {
		t.Fatal(err)
	}
	if q, ok := ci.PathWeek(); !ok || q.Drawn.Question != "hurt-heard" {
		t.Fatalf("drawn %+v, want hurt-heard: hurt-own asks what the responsibility prompt asks", q.Drawn)
	}
	answerSteps(t, h, ci.ID, alice, "How alone I felt.", 0)
	answerSteps(t, h, ci.ID, bob, "A few words.", 0)
	mustFlush(t, h, 2) // the check-in's post and the reveal
	var reveal *discordgo.Message
	hear := customID{Action: actHear, ID: ci.ID, Prompt: conversations.WeekPromptID, Number: 0}.String()
	h.waitFor("the reveal with I hear you on the question of the week", func() bool {
		for _, m := range h.srv.Messages(ch) {
			for _, id := range customIDs(m.Components) {
				if id == hear {
					reveal = m
				}
			}
		}
		return reveal != nil
	})
	if r := h.press(bob, ch, reveal.ID, hear); r.Type != discordgo.InteractionResponseUpdateMessage {
		t.Fatalf("bob pressing I hear you: %v %s", r.Type, text(r.Data))
	}
	rv, err := h.app.CheckIns.Reveal(h.ctx, h.as(ci.ID, alice.ID), ci.ID)
	if err != nil || !rv.Acknowledged(conversations.WeekPromptID, alice.ID) {
		t.Errorf("bob's I hear you on the question of the week was not recorded: %v", err)
	}
}

// proposePacksOff has u choose every pack on but off, in /path packs, and
// returns the proposal posted in the channel.
func proposePacksOff(t *testing.T, h *harness, ch string, u *discordgo.User, off ...string) *discordtest.Response {
	t.Helper()
	packs := h.slash(u, ch, "path", sub("packs"))
	menu, _ := h.srv.Original(h.lastToken())
	var on []string
	for _, c := range flat(packs.Data.Components) {
		if s, ok := c.(discordgo.SelectMenu); ok {
			for _, o := range s.Options {
				if !slices.Contains(off, o.Value) {
					on = append(on, o.Value)
				}
			}
		}
	}
	chosen := h.press(u, ch, menu.ID, h.idWith(packs.Data.Components, actPathPacks), on...)
	if isEphemeral(chosen) || !strings.Contains(text(chosen.Data), "would like to turn off") {
		t.Fatalf("proposing %v off: %s", off, text(chosen.Data))
	}
	return chosen
}

func TestAnOldTurnThemOffButtonIsRefusedOnceTheProposalWasReplaced(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	first := proposePacksOff(t, h, ch, bob, "boundaries-money")
	firstMsg, _ := h.srv.Original(h.lastToken())
	second := proposePacksOff(t, h, ch, bob, "boundaries-social")
	secondMsg, _ := h.srv.Original(h.lastToken())

	r := h.press(alice, ch, firstMsg.ID, h.idWith(first.Data.Components, actPacksOff))
	if !isEphemeral(r) || text(r.Data) != "This proposal was replaced by a newer one, further down in your channel; nothing was changed." {
		t.Errorf("alice pressing the first proposal's Turn them off: %v %s", r.Type, text(r.Data))
	}
	shown := h.slash(alice, ch, "path", sub("show"))
	mustContain(t, "/path show after the refused press", text(shown.Data), "Packs on:** 13 of 13")

	agreed := h.press(alice, ch, secondMsg.ID, h.idWith(second.Data.Components, actPacksOff))
	mustContain(t, "alice agreeing to the newer proposal", text(agreed.Data), "Alice agreed: off now for both of you: boundaries — social life and exes.")
}
