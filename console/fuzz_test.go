package console

import (
	"slices"
	"testing"

	"mend/conversations"
)

func FuzzParseConsoleAnswer(f *testing.F) {
	prompts := []conversations.Prompt{
		{Kind: conversations.KindScale, LowLabel: "a", HighLabel: "b"},
		{Kind: conversations.KindChoice, Options: []string{"x", "y"}},
		{Kind: conversations.KindCommitmentReview},
		{Kind: conversations.KindAgreementReview},
		{Kind: conversations.KindNewCommitment},
		{Kind: conversations.KindText},
	}
	for _, s := range []string{"3", "2 late", "not respected: money", "call | 2026-12-01", "", "|||", "0", "6", "-1", "Y", "z", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		for _, p := range prompts {
			in, err := parseConsoleAnswer(p, line)
			if err != nil {
				if conversations.ErrorCode(err) != conversations.EINVALID {
					t.Fatalf("%s %q: %v", p.Kind, line, err)
				}
				continue
			}
			switch p.Kind {
			case conversations.KindScale:
				if in.Scale < conversations.ScaleMin || in.Scale > conversations.ScaleMax {
					t.Fatalf("scale %q gave %d, outside %d to %d", line, in.Scale, conversations.ScaleMin, conversations.ScaleMax)
				}
			case conversations.KindChoice:
				if !slices.Contains(p.Options, in.Choice) {
					t.Fatalf("choice %q gave %q, not one of %q", line, in.Choice, p.Options)
				}
			}
			if p.Kind == conversations.KindCommitmentReview || p.Kind == conversations.KindAgreementReview {
				if conversations.VerdictLabel(p.Kind, in.Verdict) == string(in.Verdict) {
					t.Fatalf("%s %q gave verdict %q, not one of the kind's", p.Kind, line, in.Verdict)
				}
			}
		}
	})
}
