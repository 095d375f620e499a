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
	a.shows("Thank you. That's everything.")
}
