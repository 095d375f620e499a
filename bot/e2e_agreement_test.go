package bot

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"mend/bot/discordtest"
	"mend/conversations"
)

// proposal is a proposal's message in the channel, as the partners see it.
type proposal struct {
	reply   *discordtest.Response
	message string
	id      int64
}

// propose runs /agreement add for by.
func (h *harness) propose(ch string, by *discordgo.User, words string) proposal {
	h.t.Helper()
	r := h.slash(by, ch, "agreement", sub("add", str("text", words)))
	m, ok := h.srv.Original(h.lastToken())
	if !ok {
		h.t.Fatalf("/agreement add %q posted nothing: %s", words, text(r.Data))
	}
	id, err := parseCustomID(h.idWith(r.Data.Components, actAgree))
	if err != nil {
		h.t.Fatal(err)
	}
	return proposal{reply: r, message: m.ID, id: id.ID}
}

// answer presses one of a proposal's buttons as u.
func (h *harness) answer(ch string, p proposal, u *discordgo.User, action string) *discordtest.Response {
	h.t.Helper()
	return h.press(u, ch, p.message, h.idWith(p.reply.Data.Components, action))
}

// agreement is an agreement by proposed and other agreed to, through the
// channel's buttons.
func (h *harness) agreement(ch string, by, other *discordgo.User, words string) int64 {
	h.t.Helper()
	p := h.propose(ch, by, words)
	if r := h.answer(ch, p, other, actAgree); r.Type != discordgo.InteractionResponseUpdateMessage {
		h.t.Fatalf("%s's yes to %q answered %v: %s", other.Username, words, r.Type, text(r.Data))
	}
	return p.id
}

// end runs /agreement end for by, which needs nobody's yes.
func (h *harness) end(ch string, by *discordgo.User, id int64) *discordtest.Response {
	h.t.Helper()
	r := h.slash(by, ch, "agreement", sub("end", num("agreement", int(id))))
	if isEphemeral(r) {
		h.t.Fatalf("/agreement end #%d: %s", id, text(r.Data))
	}
	return r
}

func agreementStatus(t *testing.T, h *harness, ch string, id int64) conversations.AgreementStatus {
	t.Helper()
	all, err := h.db.Agreements.Agreements(h.ctx, mustCouple(t, h, ch).ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range all {
		if a.ID == id {
			return a.Status
		}
	}
	t.Fatalf("no agreement #%d stored", id)
	return ""
}

// checkInNow opens a check-in with /checkin now and returns it as stored.
func checkInNow(t *testing.T, h *harness, ch string, u *discordgo.User) conversations.CheckIn {
	t.Helper()
	couple := mustCouple(t, h, ch)
	before, err := h.db.CheckIns.CheckIns(h.ctx, couple.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	h.slash(u, ch, "checkin", sub("now"))
	// The check-in is opened after the deferred reply.
	var ci conversations.CheckIn
	h.waitFor("the new check-in", func() bool {
		ci, err = h.app.CheckIns.Current(h.ctx, h.byFirst(couple.ID))
		return err == nil && (len(before) == 0 || ci.ID != before[0].ID)
	})
	return ci
}

func agreementsReviewed(ci conversations.CheckIn) []int64 {
	var ids []int64
	for _, s := range ci.Subjects {
		if s.Kind == conversations.SubjectAgreement {
			ids = append(ids, s.ID)
		}
	}
	return ids
}

func TestTheOtherPartnerSeesAProposalAndTheirYesMakesItReviewed(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	p := h.propose(ch, alice, "We are open about money")
	if isEphemeral(p.reply) {
		t.Errorf("the proposal is hidden from bob")
	}
	mustContain(t, "the proposal", text(p.reply.Data),
		"<@"+bob.ID+">, Alice proposes an agreement", "> We are open about money", "Alice can withdraw it",
		"["+customID{Action: actAgree, ID: p.id}.String()+"]",
		"["+customID{Action: actTalkFirst, ID: p.id}.String()+"]",
		"["+customID{Action: actWithdrawAgree, ID: p.id}.String()+"]")
	if m, _ := h.srv.Message(p.message); m == nil || m.ChannelID != ch {
		t.Fatalf("the proposal is not in the couple's channel")
	}

	r := h.answer(ch, p, bob, actAgree)
	if r.Type != discordgo.InteractionResponseUpdateMessage {
		t.Fatalf("bob's yes answered %v: %s", r.Type, text(r.Data))
	}
	mustContain(t, "the answered proposal", text(r.Data), "Alice proposed, and Bob agreed", "> We are open about money")
	if len(customIDs(r.Data.Components)) != 0 {
		t.Errorf("the answered proposal still has buttons: %v", customIDs(r.Data.Components))
	}
	ci := checkInNow(t, h, ch, alice)
	if got := agreementsReviewed(ci); len(got) != 1 || got[0] != p.id {
		t.Errorf("agreements reviewed = %v, want %d", got, p.id)
	}
}

func TestAProposalIsNotReviewedAtACheckIn(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	h.propose(ch, alice, "We are open about money")

	ci := checkInNow(t, h, ch, bob)
	if got := agreementsReviewed(ci); len(got) != 0 {
		t.Errorf("a proposal is reviewed: %v", got)
	}
}

func TestOnlyThePartnerWhoDidNotProposeCanAgree(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	p := h.propose(ch, alice, "We are open about money")
	theirs := carolsAgreement(t, h)
	before := len(h.srv.Messages(ch))

	presses := []struct {
		name string
		user *discordgo.User
		id   string
		want string
	}{
		{"the proposer", alice, customID{Action: actAgree, ID: p.id}.String(), "it waits for Bob to answer"},
		{"the proposer talking first", alice, customID{Action: actTalkFirst, ID: p.id}.String(), "it waits for Bob to answer"},
		{"someone else in the channel", carol, customID{Action: actAgree, ID: p.id}.String(), "belongs to two other people"},
		{"a forged ID of another couple's proposal", bob, customID{Action: actAgree, ID: theirs}.String(), fmt.Sprintf("no agreement #%d between you two", theirs)},
		{"a forged ID of nothing", bob, customID{Action: actAgree, ID: 999}.String(), "no agreement #999 between you two"},
		{"a forged retirement", bob, customID{Action: actAgree, ID: p.id, Number: 1}.String(), "still a proposal"},
		{"a withdrawal by the partner", bob, customID{Action: actWithdrawAgree, ID: p.id}.String(), "Only Alice can withdraw"},
	}
	for _, c := range presses {
		r := h.press(c.user, ch, p.message, c.id)
		if !isEphemeral(r) || !strings.Contains(text(r.Data), c.want) {
			t.Errorf("%s: %v, ephemeral %v: %s", c.name, r.Type, isEphemeral(r), text(r.Data))
		}
	}
	if got := agreementStatus(t, h, ch, p.id); got != conversations.AgreementProposed {
		t.Errorf("after refused presses the agreement is %s, want proposed", got)
	}
	if n := len(h.srv.Messages(ch)); n != before {
		t.Errorf("refused presses posted %d messages in the channel", n-before)
	}
	if m, _ := h.srv.Message(p.message); len(customIDs(m.Components)) != 4 {
		t.Errorf("the proposal lost its buttons: %s", messageText(m))
	}
}

func TestLetsTalkFirstLeavesItProposedWithAGentleNote(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	p := h.propose(ch, alice, "We are open about money")

	r := h.answer(ch, p, bob, actTalkFirst)
	if r.Type != discordgo.InteractionResponseChannelMessageWithSource || isEphemeral(r) {
		t.Fatalf("talk first answered %v, ephemeral %v", r.Type, isEphemeral(r))
	}
	note := text(r.Data)
	mustContain(t, "the note", note, "Bob would like to talk about this first", "nothing changes until you both agree")
	for _, blame := range []string{"refuse", "reject", "declin", "no to"} {
		if strings.Contains(strings.ToLower(note), blame) {
			t.Errorf("the note says %q: %s", blame, note)
		}
	}
	if got := agreementStatus(t, h, ch, p.id); got != conversations.AgreementProposed {
		t.Errorf("after talk first the agreement is %s, want proposed", got)
	}
	if m, _ := h.srv.Message(p.message); len(customIDs(m.Components)) != 4 {
		t.Errorf("the proposal lost its buttons: %s", messageText(m))
	}
	// After talking, the same buttons still work.
	if r := h.answer(ch, p, bob, actAgree); r.Type != discordgo.InteractionResponseUpdateMessage {
		t.Errorf("bob's later yes answered %v: %s", r.Type, text(r.Data))
	}
}

func TestTheProposerWithdrawsAProposal(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	p := h.propose(ch, alice, "We are open about money")

	r := h.answer(ch, p, alice, actWithdrawAgree)
	if r.Type != discordgo.InteractionResponseUpdateMessage {
		t.Fatalf("withdraw answered %v: %s", r.Type, text(r.Data))
	}
	mustContain(t, "the withdrawn proposal", text(r.Data), "Alice withdrew this proposal", "Nothing was added")
	if got := agreementStatus(t, h, ch, p.id); got != conversations.AgreementWithdrawn {
		t.Errorf("the agreement is %s, want withdrawn", got)
	}
	late := h.answer(ch, p, bob, actAgree)
	if !isEphemeral(late) || !strings.Contains(text(late.Data), "Alice withdrew this proposal") {
		t.Errorf("a yes after the withdrawal: %s", text(late.Data))
	}
	if list := h.slash(bob, ch, "agreement", sub("list")); !strings.Contains(text(list.Data), "No agreements yet") {
		t.Errorf("the list shows a withdrawn proposal: %s", text(list.Data))
	}
	if got := agreementsReviewed(checkInNow(t, h, ch, alice)); len(got) != 0 {
		t.Errorf("a withdrawn proposal is reviewed: %v", got)
	}
}

// Either partner ends an agreement alone; the other is told in the channel,
// gently, and it is not reviewed again. (Ending one once waited for the
// other's yes; TestRetiringIsProposedAndAgreedAndReviewedUntilThen pinned
// that.)
func TestEitherPartnerEndsAnAgreementAndTheOtherIsToldGently(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	first := h.propose(ch, bob, "Sunday evenings are for us")
	h.answer(ch, first, alice, actAgree)
	id := first.id

	r := h.end(ch, alice, id)
	ended := text(r.Data)
	mustContain(t, "the ending", ended, "<@"+bob.ID+">, Alice has ended this agreement", "Sunday evenings are for us",
		"no longer reviewed at check-ins", "your next check-in is a good place")
	if len(r.Data.AllowedMentions.Users) != 1 || r.Data.AllowedMentions.Users[0] != bob.ID {
		t.Errorf("the ending mentions %v, want bob alone", r.Data.AllowedMentions.Users)
	}
	if got := agreementStatus(t, h, ch, id); got != conversations.AgreementRetired {
		t.Fatalf("the agreement is %s, want ended (retired)", got)
	}
	if got := agreementsReviewed(checkInNow(t, h, ch, bob)); len(got) != 0 {
		t.Errorf("an ended agreement is reviewed: %v", got)
	}
	// The proposal's [We agree], long answered, changes nothing.
	stale := h.answer(ch, first, alice, actAgree)
	if !isEphemeral(stale) || !strings.Contains(text(stale.Data), "This agreement has ended already.") {
		t.Errorf("the old proposal's button: %s", text(stale.Data))
	}
	again := h.slash(bob, ch, "agreement", sub("end", num("agreement", int(id))))
	if !isEphemeral(again) || !strings.Contains(text(again.Data), "This agreement has ended already.") {
		t.Errorf("ending it again: %s", text(again.Data))
	}
	mustContain(t, "the list", text(h.slash(alice, ch, "agreement", sub("list")).Data), fmt.Sprintf("`#%d` “Sunday evenings are for us”: ended", id))
}

func TestNotForMeAddsNothingAndTellsTheProposerKindly(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	p := h.propose(ch, alice, "We tell each other before plans that affect both of us")

	if r := h.answer(ch, p, alice, actNotForMe); !isEphemeral(r) || !strings.Contains(text(r.Data), "it waits for Bob to answer") {
		t.Errorf("alice saying not for me to her own proposal: %s", text(r.Data))
	}
	r := h.answer(ch, p, bob, actNotForMe)
	if r.Type != discordgo.InteractionResponseUpdateMessage {
		t.Fatalf("not for me answered %v: %s", r.Type, text(r.Data))
	}
	mustContain(t, "the answered proposal", text(r.Data),
		"Bob would rather not make this agreement. Nothing was added. You can talk about what would work for you both.")
	if len(r.Data.Components) != 0 {
		t.Errorf("the answered proposal keeps its buttons")
	}
	if got := agreementStatus(t, h, ch, p.id); got != conversations.AgreementDeclined {
		t.Errorf("the agreement is %s, want declined", got)
	}
	if list := h.slash(alice, ch, "agreement", sub("list")); !strings.Contains(text(list.Data), "No agreements yet") {
		t.Errorf("the list shows a proposal that was not for bob: %s", text(list.Data))
	}
	if got := agreementsReviewed(checkInNow(t, h, ch, alice)); len(got) != 0 {
		t.Errorf("a declined proposal is reviewed: %v", got)
	}
	late := h.answer(ch, p, bob, actAgree)
	if !isEphemeral(late) || !strings.Contains(text(late.Data), "nothing was added") {
		t.Errorf("a yes after not for me: %s", text(late.Data))
	}
}

func TestTheAgreementListShowsEveryStatePlainly(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	active := h.agreement(ch, alice, bob, "We are open about money")
	ended := h.agreement(ch, alice, bob, "Home by ten")
	h.end(ch, bob, ended)
	proposed := h.propose(ch, bob, "We tell each other before plans that affect both of us").id

	r := h.slash(alice, ch, "agreement", sub("list"))
	if !isEphemeral(r) {
		t.Errorf("the list is not private")
	}
	mustContain(t, "the list", text(r.Data),
		fmt.Sprintf("`#%d` “We are open about money”: agreed, reviewed at every check-in", active),
		fmt.Sprintf("`#%d` “We tell each other before plans that affect both of us”: proposed by Bob, waiting for Alice's answer", proposed),
		fmt.Sprintf("`#%d` “Home by ten”: ended", ended))
}

// carolsAgreement makes carol and dave a couple with a proposal of carol's,
// and returns its ID.
func carolsAgreement(t *testing.T, h *harness) int64 {
	t.Helper()
	c, err := h.app.Couples.Invite(h.ctx, conversations.Actor{UserID: conversations.Partner{UserID: carol.ID, Name: "Carol"}.UserID, GuildID: testGuild}, conversations.Partner{UserID: carol.ID, Name: "Carol"}.Name, conversations.Partner{UserID: "100000000000000005", Name: "Dave"}, "Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.app.Couples.Accept(h.ctx, h.inGuild(c.ID, "100000000000000005"), c.ID, "900000000000000077"); err != nil {
		t.Fatal(err)
	}
	a, err := h.app.Agreements.Propose(h.ctx, h.actor(c.ID, carol.ID), "No phones in bed")
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}
