package conversations

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzValidateDueDate feeds due dates as a partner might type them. Whatever it
// accepts must be canonical (what it returns is what it would return again),
// lie between today and a year from today, and be a real calendar date.
func FuzzValidateDueDate(f *testing.F) {
	for _, seed := range []string{
		"2025-03-10", "2025-03-14", " 2025-03-14\n", "2026-03-10", "2026-03-11", "2025-03-09",
		"2025-3-14", "2025-02-29", "2024-02-29", "14.03.2025", "next friday", "", " ",
		"+2025-03-14", "2025-03-14T00:00:00Z", "２０２５-03-14", "2025-03-14\x00", "\xff",
	} {
		f.Add(seed, int64(0))
	}
	f.Add("2024-02-29", int64(-380))
	f.Fuzz(func(t *testing.T, due string, shift int64) {
		// Move "today" up to two centuries either way, keeping four-digit years.
		now := today.AddDate(0, 0, int(shift%73000))

		got, err := ValidateDueDate(due, now)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("ValidateDueDate(%q) error = %v, want code %s", due, err, EINVALID)
			}
			return
		}
		if got != strings.TrimSpace(due) {
			t.Errorf("ValidateDueDate(%q) = %q, want the input trimmed", due, got)
		}
		d, perr := time.Parse(DateLayout, got)
		if perr != nil || d.Format(DateLayout) != got {
			t.Fatalf("ValidateDueDate(%q) = %q, which is not a canonical date (%v)", due, got, perr)
		}
		again, err := ValidateDueDate(got, now)
		if err != nil || again != got {
			t.Errorf("ValidateDueDate(%q) = %q, %v; want the accepted date accepted unchanged", got, again, err)
		}
		first := now.Format(DateLayout)
		last := now.AddDate(1, 0, 0).Format(DateLayout)
		if got < first || got > last {
			t.Errorf("ValidateDueDate(%q) = %q, outside %s..%s", due, got, first, last)
		}
	})
}

// FuzzNormalizeText feeds free text to a text prompt. Whatever it accepts must
// be trimmed, valid UTF-8, within the limit in characters, and accepted again
// unchanged.
func FuzzNormalizeText(f *testing.F) {
	for _, seed := range []string{
		"", " ", "hello", "  hello  ", "héllo", "日本語日本", "日本語日本語", "🙂🙂🙂🙂🙂🙂", "\xff", "a\xc3",
		"\u00a0x\u00a0", "\u200bzero-width\u200b", "line\nbreak", "\t\r\n",
	} {
		f.Add(seed)
	}
	p := Prompt{ID: "need", Kind: KindText, Text: "?", MaxLength: 5}
	f.Fuzz(func(t *testing.T, text string) {
		got, err := p.normalize(AnswerInput{Text: text}, today)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("normalize(%q) error = %v, want code %s", text, err, EINVALID)
			}
			return
		}
		out := got.Text
		switch {
		case out == "":
			t.Errorf("normalize(%q) accepted an empty answer", text)
		case out != strings.TrimSpace(out):
			t.Errorf("normalize(%q) = %q, not trimmed", text, out)
		case !utf8.ValidString(out):
			t.Errorf("normalize(%q) = %q, not valid UTF-8", text, out)
		case utf8.RuneCountInString(out) > p.MaxLength:
			t.Errorf("normalize(%q) = %q, longer than %d characters", text, out, p.MaxLength)
		case got != (AnswerInput{Text: out}):
			t.Errorf("normalize(%q) = %+v, want only the text set", text, got)
		}
		again, err := p.normalize(AnswerInput{Text: out}, today)
		if err != nil || again.Text != out {
			t.Errorf("normalize(%q) = %q, %v; want the accepted answer accepted unchanged", out, again.Text, err)
		}
	})
}
