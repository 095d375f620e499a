package bot

import (
	"testing"
	"unicode/utf8"

	"mend/conversations"
)

func TestShortenCutsAtAWordNeverInsideOne(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"Fits whole", 45, "Fits whole"},
		{"Was there a moment this week that hurt or worried you?", 45, "Was there a moment this week that hurt or…"},
		{"Say what happened and how it felt for you (\"I felt…\").", 44, "Say what happened and how it felt for you…"},
		{"one, two, three", 12, "one, two…"},
		{"Small and checkable works best. Add a due date if it has one. You will both look back.", 70, "Small and checkable works best. Add a due date if it has one."},
		{"Short. Then a long second sentence that goes on.", 30, "Short. Then a long second…"},
		{"Unbreakableword", 8, "Unbreak…"},
		{"  padded  ", 6, "padded"},
	}
	for _, tt := range tests {
		got := shorten(tt.in, tt.n)
		if got != tt.want {
			t.Errorf("shorten(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
		if utf8.RuneCountInString(got) > tt.n {
			t.Errorf("shorten(%q, %d) is %d characters long", tt.in, tt.n, utf8.RuneCountInString(got))
		}
	}
}

func TestAFormNamesAPromptByItsLabelOrItsTextCutAtAWord(t *testing.T) {
	labelled := conversations.Prompt{Text: "Is there something you would like to take responsibility for?", Label: "Something I take responsibility for"}
	if got := inputLabel(labelled); got != labelled.Label {
		t.Errorf("inputLabel = %q, want the label", got)
	}
	unlabelled := conversations.Prompt{Text: "Is anything on your mind that you would like your partner to know?"}
	if got, want := inputLabel(unlabelled), "Is anything on your mind that you would like…"; got != want {
		t.Errorf("inputLabel = %q, want %q", got, want)
	}
}
