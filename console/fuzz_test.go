package console

import (
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
	for _, s := range []string{"3", "2 late", "not respected: money", "call | 2026-12-01", "", "|||"} {
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
			if p.Kind == conversations.KindCommitmentReview || p.Kind == conversations.KindAgreementReview {
				if conversations.VerdictLabel(p.Kind, in.Verdict) == string(in.Verdict) {
					t.Fatalf("%s %q gave verdict %q, not one of the kind's", p.Kind, line, in.Verdict)
				}
			}
		}
	})
}
