package main

import (
	"os"
	"strings"
	"testing"

	"mend/conversations"
)

func FuzzParseConfig(f *testing.F) {
	example, err := os.ReadFile("config.example.toml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(example))
	f.Add("[checkins]\ntime_zone = \"Europe/Berlin\"\n")
	f.Add("[[template]]\nid = \"t\"\n[[template.prompt]]\nid = \"p\"\nkind = \"scale\"\ntext = \"x\"\n")
	f.Fuzz(func(t *testing.T, src string) {
		cfg, err := ParseConfig("fuzz.toml", []byte(src))
		if err != nil {
			// Every refusal names the file, so a person knows where to look.
			if !strings.Contains(err.Error(), "fuzz.toml") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		if cfg.CheckInTemplates() == nil || cfg.Window() <= 0 || cfg.Database.Path == "" {
			t.Fatalf("accepted config without defaults: %+v", cfg)
		}
		if _, ok := cfg.CheckInTemplates().Get(cfg.CheckIns.DefaultTemplate); !ok {
			t.Fatalf("default template %q is not a template", cfg.CheckIns.DefaultTemplate)
		}
	})
}

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
