package conversations_test

import (
	"testing"

	"mend/conversations"
)

func TestOnlyTheLowestPointOfATrackedScaleAsksForTheSafetyNote(t *testing.T) {
	t.Parallel()
	untracked := conversations.Template{ID: "two-scales", Name: "Two scales", Prompts: []conversations.Prompt{
		{ID: "rest", Kind: conversations.KindScale, Text: "How rested are you?", LowLabel: "Tired", HighLabel: "Rested"},
		{ID: "trust", Kind: conversations.KindScale, Text: "How safe did you feel?", LowLabel: "Distant or unsafe", HighLabel: "Close and safe", Tracked: true},
		{ID: "note", Kind: conversations.KindText, Text: "Anything else?", Optional: true},
	}}
	tests := []struct {
		name   string
		prompt string
		scale  int
		want   bool
	}{
		{"the lowest point of the tracked scale", "trust", 1, true},
		{"the next point of the tracked scale", "trust", 2, false},
		{"the lowest point of a scale that is not tracked", "rest", 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, untracked)
			ci := f.open(f.couple().ID, "two-scales")
			as := conversations.Actor{UserID: alice, GuildID: guild, ChannelID: channel}
			if tt.prompt == "trust" {
				if _, err := f.app.Turns.Answer(f.ctx, as, ci.ID, conversations.StepKey{PromptID: "rest"}, conversations.AnswerInput{Scale: 3}); err != nil {
					t.Fatal(err)
				}
			}
			next, err := f.app.Turns.Answer(f.ctx, as, ci.ID, conversations.StepKey{PromptID: tt.prompt}, conversations.AnswerInput{Scale: tt.scale})
			if err != nil {
				t.Fatal(err)
			}
			if next.ShowSafetyNote != tt.want {
				t.Errorf("ShowSafetyNote = %v, want %v", next.ShowSafetyNote, tt.want)
			}
			// The step after carries no note of its own, and the other
			// partner's step never does.
			after, err := f.app.Turns.Answer(f.ctx, as, ci.ID, next.Item.Key(), conversations.AnswerInput{Scale: 3, Text: "Nothing"})
			if err != nil {
				t.Fatal(err)
			}
			bobs, err := f.app.Turns.Begin(f.ctx, conversations.Actor{UserID: bob, GuildID: guild, ChannelID: channel}, ci.ID)
			if err != nil {
				t.Fatal(err)
			}
			if after.ShowSafetyNote || bobs.ShowSafetyNote {
				t.Errorf("the note followed: alice's next step %v, bob's step %v", after.ShowSafetyNote, bobs.ShowSafetyNote)
			}
		})
	}
}

func TestTheSafetyNoteIsNeverEmpty(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"", "   "} {
		if got := (conversations.SafetyNote{Text: text}).WithDefault().Text; got != conversations.DefaultSafetyNote {
			t.Errorf("note %q became %q, want the default", text, got)
		}
	}
	if got := (conversations.SafetyNote{Text: "Our own words."}).WithDefault().Text; got != "Our own words." {
		t.Errorf("the operator's note became %q", got)
	}
}
