package bot

import (
	"strings"
	"testing"

	"mend/conversations"
)

// walkTo answers every step plainly (the first scale button, the first
// option, the words for what hurt, skips for the rest) until the partner
// rereads.
func (v *partnerView) walkTo(words string) {
	v.f.t.Helper()
	for i := 0; !strings.Contains(text(v.data), "Read it over"); i++ {
		if i > 20 {
			v.f.t.Fatalf("%s never reached the reread: %s", v.user.Username, text(v.data))
		}
		ids := strings.Join(customIDs(v.data.Components), " ")
		switch {
		case strings.Contains(ids, actScale+":"):
			v.press(actScale)
		case strings.Contains(ids, actChoice+":"):
			v.press(actChoice, "0")
		case strings.Contains(ids, actVerdict+":"):
			v.press(actVerdict)
		case strings.Contains(ids, actWrite+":") && strings.Contains(ids, ":hurt") && words != "":
			v.write(actWrite, map[string]string{"text": words})
		default:
			v.press(actSkip)
		}
	}
}

func TestAPartnerRereadsChangesAnAnswerAndSendsAndItIsSealed(t *testing.T) {
	t.Parallel()
	f := newCheckIn(t)
	a := f.begin(alice)
	a.walkTo("words written in anger")
	if strings.Contains(statusOf(f.harness, f.post.ID), "done") {
		t.Errorf("alice counts as done before sending: %s", statusOf(f.harness, f.post.ID))
	}

	// She picks the text question from the list and writes it again.
	hurt := -1
	for i, it := range conversations.Template(everyKind).Prompts {
		if it.ID == "hurt" {
			hurt = i
		}
	}
	a.press(actRevise, itoa(int64(hurt)))
	a.shows("Changing your answer to question", "Your answer so far: words written in anger")
	a.write(actWrite, map[string]string{"text": "words I mean"})
	a.shows("Read it over", "words I mean")
	if strings.Contains(text(a.data), "words written in anger") {
		t.Error("the reread still shows the words she replaced")
	}
	for _, ans := range mustAnswers(t, f.harness, idOf(t, f.start)) {
		if strings.Contains(ans.Text, "anger") {
			t.Errorf("the replaced words are still stored: %+v", ans)
		}
	}

	// Bob, meanwhile, sees nothing of it, and the reveal waits for her.
	b := f.begin(bob)
	b.walkTo("bob's words")
	b.press(actSend)
	b.shows("Done", "when Alice has finished too")
	if revealsOf(f) != 0 {
		t.Fatal("the reveal came before alice sent")
	}

	reread := a.data.Components
	a.press(actSend)
	a.shows("Done", "both finished")
	f.waitFor("the reveal", func() bool { return revealsOf(f) == 1 })
	reveal := allText(f.harness, f.channel)
	mustContain(t, "the reveal", reveal, "words I mean", "bob's words")
	if strings.Contains(reveal, "anger") {
		t.Error("the reveal shows words alice replaced")
	}

	// Sealed: the old select changes nothing now.
	r := f.press(alice, f.channel, a.message, f.idWith(reread, actRevise), "0")
	if strings.Contains(text(r.Data), "Changing your answer") {
		t.Errorf("alice could change an answer after sending: %s", text(r.Data))
	}
}

func mustAnswers(t *testing.T, h *harness, checkInID int64) []conversations.Answer {
	t.Helper()
	answers, err := h.db.Answers.Answers(h.ctx, checkInID)
	if err != nil {
		t.Fatal(err)
	}
	return answers
}

func revealsOf(f *checkInFixture) int {
	n := 0
	for _, m := range f.srv.Messages(f.channel) {
		if strings.Contains(m.Content, "you have both finished") {
			n++
		}
	}
	return n
}
