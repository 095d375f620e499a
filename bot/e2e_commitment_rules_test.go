package bot

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

func TestThe11thOpenCommitmentIsRefusedKindlyWithTheWordsGivenBack(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	var first int64
	for i := range conversations.DefaultMaxOpenCommitments {
		id := addCommitment(t, h, ch, alice, fmt.Sprintf("Promise %d", i+1))
		if i == 0 {
			first = id
		}
	}
	before := len(h.srv.Messages(ch))

	r := h.slash(alice, ch, "commitment", sub("add", str("text", "Call mum on Sundays")))
	if !isEphemeral(r) {
		t.Errorf("the refusal is not private: %s", text(r.Data))
	}
	mustContain(t, "the refusal", text(r.Data), "You have 10 open commitments", "a check-in stays short enough to really talk",
		"Marking one done, or dropping one, makes room", "“Call mum on Sundays”")
	for _, score := range []string{"too many", "limit exceeded", "failed"} {
		if strings.Contains(strings.ToLower(text(r.Data)), score) {
			t.Errorf("the refusal says %q: %s", score, text(r.Data))
		}
	}
	if n := len(commitmentsOf(t, h, ch)); n != 10 {
		t.Errorf("%d commitments stored, want 10", n)
	}
	if n := len(h.srv.Messages(ch)); n != before {
		t.Errorf("the refusal posted %d messages in the channel", n-before)
	}
	// Bob's room is his own; a commitment alice marks done makes room for hers.
	addCommitment(t, h, ch, bob, "Cook on Fridays")
	h.slash(alice, ch, "commitment", sub("done", num("commitment", int(first))))
	addCommitment(t, h, ch, alice, "Call mum on Sundays")
}

func TestANewCommitmentInACheckInPastTheLimitIsRefusedAndCanBeSkipped(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ch := h.couple()
	for i := range conversations.DefaultMaxOpenCommitments {
		addCommitment(t, h, ch, alice, fmt.Sprintf("Promise %d", i+1))
	}
	ci := checkInNow(t, h, ch, alice)
	step := answerSteps(t, h, ci.ID, alice, "", len(ci.Items())-1)
	if step.Done || step.Item.Prompt.Kind != conversations.KindNewCommitment {
		t.Fatalf("alice is at %s, want the new commitment", step.Item.Key())
	}
	h.waitFor("the check-in post", func() bool { return h.storedCheckIn(ci.ID).PostID != "" })
	f := &checkInFixture{harness: h, channel: ch, start: customID{Action: actStart, ID: ci.ID}.String()}
	f.post, _ = h.srv.Message(h.storedCheckIn(ci.ID).PostID)

	a := f.begin(alice)
	a.shows("You have 10 open commitments", "For now, you can skip this question")
	_, r := a.write(actWrite, map[string]string{"text": "Walk every evening"})
	if r.Type != discordgo.InteractionResponseUpdateMessage || !strings.Contains(r.Data.Content, "“Walk every evening”") {
		t.Fatalf("the commitment past the limit: %v %s", r.Type, text(r.Data))
	}
	if got := modalValue(a.press(actWrite).Data, "text"); got != "Walk every evening" {
		t.Errorf("the reopened form shows %q, want the words kept", got)
	}
	a.press(actSkip)
	a.shows("Read it over")
}

func TestACommitmentDueAfterTheCheckInIsComingUpAndNotAskedAbout(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.clock.Set(e2eMonday)
	ch := h.couple()
	berlin := mustLoad(t, "Europe/Berlin")
	friday := e2eMonday.In(berlin).AddDate(0, 0, 4).Format(conversations.DateLayout)
	h.slash(alice, ch, "commitment", sub("add", str("text", "Call the bank"), str("due", friday)))
	later := commitmentsOf(t, h, ch)[0].ID
	now := addCommitment(t, h, ch, bob, "Cook on Fridays")

	ci := checkInNow(t, h, ch, bob)
	var reviewed []int64
	for _, s := range ci.Subjects {
		reviewed = append(reviewed, s.ID)
	}
	if len(reviewed) != 1 || reviewed[0] != now {
		t.Errorf("commitments reviewed = %v, want only %d", reviewed, now)
	}
	var post *discordgo.Message
	h.waitFor("the check-in post", func() bool {
		id := h.storedCheckIn(ci.ID).PostID
		post, _ = h.srv.Message(id)
		return id != "" && post != nil
	})
	mustContain(t, "the check-in post", messageText(post), "Coming up, not asked about yet", "Alice: “Call the bank” (due "+friday+")")
	mustContain(t, "/checkin status", text(h.slash(alice, ch, "checkin", sub("status")).Data), "Coming up, not asked about yet", "Alice: “Call the bank” (due "+friday+")")
	mustContain(t, "/commitment list", text(h.slash(bob, ch, "commitment", sub("list")).Data),
		fmt.Sprintf("`#%d` **Alice**: “Call the bank” (due %s), coming up: asked about from its due date", later, friday),
		fmt.Sprintf("`#%d` **Bob**: “Cook on Fridays”, open", now))

	// On Friday it is asked about like any other.
	h.clock.Set(e2eMonday.AddDate(0, 0, 4))
	next := checkInNow(t, h, ch, alice)
	asked := false
	for _, s := range next.Subjects {
		asked = asked || s.ID == later
	}
	if !asked {
		t.Errorf("on its due date the commitment is not asked about: %+v", next.Subjects)
	}
	h.waitFor("the next check-in post", func() bool { return h.storedCheckIn(next.ID).PostID != "" })
	if m, _ := h.srv.Message(h.storedCheckIn(next.ID).PostID); strings.Contains(messageText(m), "Coming up") {
		t.Errorf("the next check-in lists nothing coming up, yet says: %s", messageText(m))
	}
}
