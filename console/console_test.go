package console

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"mend/conversations"
)

// describeLines shows lines short enough to read in a failure.
func describeLines(ls []inputLine) string {
	var out []string
	for _, l := range ls {
		if l.tooLong {
			out = append(out, "(too long)")
			continue
		}
		out = append(out, fmt.Sprintf("%.20q (%d bytes)", l.text, len(l.text)))
	}
	return strings.Join(out, ", ")
}

func TestReadLinesKeepsLinesUpToTheLimitAndMarksLongerOnes(t *testing.T) {
	full := strings.Repeat("x", MaxLineBytes)
	tests := []struct {
		name  string
		input string
		want  []inputLine
	}{
		{"lines", "one\ntwo\n", []inputLine{{text: "one"}, {text: "two"}}},
		{"a last line without a newline", "one\ntwo", []inputLine{{text: "one"}, {text: "two"}}},
		{"windows line endings", "one\r\n\r\ntwo\r\n", []inputLine{{text: "one"}, {text: ""}, {text: "two"}}},
		{"a line of exactly the limit", full + "\r\nafter\n", []inputLine{{text: full}, {text: "after"}}},
		{"a line over the limit", full + "x\nafter\n", []inputLine{{tooLong: true}, {text: "after"}}},
		{"a last line over the limit", "before\n" + full + full, []inputLine{{text: "before"}, {tooLong: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []inputLine
			for line := range readLines(context.Background(), strings.NewReader(tt.input)) {
				got = append(got, line)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %s, want %s", describeLines(got), describeLines(tt.want))
			}
		})
	}
}

func TestParseVerdictLine(t *testing.T) {
	tests := []struct {
		kind    conversations.PromptKind
		line    string
		verdict conversations.Verdict
		note    string
	}{
		{conversations.KindCommitmentReview, "1", conversations.VerdictKept, ""},
		{conversations.KindCommitmentReview, "Partly: late twice", conversations.VerdictPartly, "late twice"},
		{conversations.KindCommitmentReview, "3 - forgot", conversations.VerdictNotThisWeek, "forgot"},
		{conversations.KindAgreementReview, "not this week, the card bill", conversations.VerdictNotThisWeek, "the card bill"},
		{conversations.KindAgreementReview, "kept", conversations.VerdictKept, ""},
		{conversations.KindCommitmentReview, "I can't say: I was away", conversations.VerdictCantSay, "I was away"},
		{conversations.KindCommitmentReview, "4", conversations.VerdictCantSay, ""},
	}
	for _, tt := range tests {
		in, err := parseVerdictLine(tt.kind, tt.line)
		if err != nil || in.Verdict != tt.verdict || in.Note != tt.note {
			t.Errorf("parseVerdictLine(%s, %q) = %+v, %v; want %s %q", tt.kind, tt.line, in, err, tt.verdict, tt.note)
		}
	}
	for _, bad := range []string{"", "5", "kepts", "maybe", "12", "missed"} {
		if _, err := parseVerdictLine(conversations.KindCommitmentReview, bad); conversations.ErrorCode(err) != conversations.EINVALID {
			t.Errorf("parseVerdictLine(%q) = %v, want EINVALID", bad, err)
		}
	}
}

func TestWrapKeepsEveryWordWithinWidth(t *testing.T) {
	text := "How connected and safe did you feel with each other this week? Averyveryverylongwordthatdoesnotfit"
	got := wrap(text, 20)
	if strings.Join(strings.Fields(strings.Join(got, " ")), "") != strings.Join(strings.Fields(text), "") {
		t.Errorf("wrap lost text: %q", got)
	}
	for _, l := range got {
		if n := len([]rune(l)); n > 20 {
			t.Errorf("line %q is %d wide", l, n)
		}
	}
}
