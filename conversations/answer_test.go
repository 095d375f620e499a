package conversations

import (
	"strings"
	"testing"
	"time"
)

// today is a fixed "now" for due dates: a Monday afternoon in UTC.
var today = time.Date(2025, time.March, 10, 15, 0, 0, 0, time.UTC)

// normalizeCase is one answer given to one prompt.
type normalizeCase struct {
	name    string
	in      AnswerInput
	want    AnswerInput
	wantErr string // a part of the message; empty when the answer is accepted
}

func runNormalize(t *testing.T, p Prompt, tests []normalizeCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.normalize(tt.in, today)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("normalize(%+v) error = %v, want it accepted", tt.in, err)
				}
				if got != tt.want {
					t.Errorf("normalize(%+v) = %+v, want %+v", tt.in, got, tt.want)
				}
				return
			}
			if ErrorCode(err) != EINVALID {
				t.Fatalf("normalize(%+v) = %+v, %v; want an %s error", tt.in, got, err, EINVALID)
			}
			if msg := ErrorMessage(err); !strings.Contains(msg, tt.wantErr) {
				t.Errorf("message = %q, want it to contain %q", msg, tt.wantErr)
			}
		})
	}
}

func TestNormalizeScale(t *testing.T) {
	t.Parallel()
	p := Prompt{ID: "trust", Kind: KindScale, Text: "?", LowLabel: "Distant", HighLabel: "Close"}
	runNormalize(t, p, []normalizeCase{
		{name: "below the scale", in: AnswerInput{Scale: 0}, wantErr: "from 1 (Distant) to 5 (Close)"},
		{name: "lowest", in: AnswerInput{Scale: 1}, want: AnswerInput{Scale: 1}},
		{name: "highest", in: AnswerInput{Scale: 5}, want: AnswerInput{Scale: 5}},
		{name: "above the scale", in: AnswerInput{Scale: 6}, wantErr: "from 1 (Distant) to 5 (Close)"},
		{name: "negative", in: AnswerInput{Scale: -3}, wantErr: "Please choose a number"},
		{name: "other fields dropped", in: AnswerInput{Scale: 3, Text: "x", Choice: "y", Verdict: VerdictKept, Note: "n", DueOn: "2025-03-11"}, want: AnswerInput{Scale: 3}},
	})
}

func TestNormalizeChoice(t *testing.T) {
	t.Parallel()
	p := Prompt{ID: "where", Kind: KindChoice, Text: "?", Options: []string{"At home", "Outside"}}
	runNormalize(t, p, []normalizeCase{
		{name: "exact", in: AnswerInput{Choice: "Outside"}, want: AnswerInput{Choice: "Outside"}},
		{name: "case and space differ", in: AnswerInput{Choice: "  at HOME "}, want: AnswerInput{Choice: "At home"}},
		{name: "unknown option", in: AnswerInput{Choice: "Anywhere"}, wantErr: "Please pick one of: At home, Outside."},
		{name: "empty", in: AnswerInput{}, wantErr: "Please pick one of"},
		{name: "other fields dropped", in: AnswerInput{Choice: "outside", Text: "x", Scale: 2}, want: AnswerInput{Choice: "Outside"}},
	})
}

func TestNormalizeText(t *testing.T) {
	t.Parallel()
	p := Prompt{ID: "need", Kind: KindText, Text: "?", MaxLength: 5}
	runNormalize(t, p, []normalizeCase{
		{name: "plain", in: AnswerInput{Text: "hugs"}, want: AnswerInput{Text: "hugs"}},
		{name: "trimmed", in: AnswerInput{Text: " \n hugs\t "}, want: AnswerInput{Text: "hugs"}},
		{name: "empty", in: AnswerInput{}, wantErr: "the answer is empty"},
		{name: "only space", in: AnswerInput{Text: " \n\t "}, wantErr: "the answer is empty"},
		{name: "at the limit in bytes beyond it", in: AnswerInput{Text: "héllo"}, want: AnswerInput{Text: "héllo"}},
		{name: "three-byte runes at the limit", in: AnswerInput{Text: "日本語日本"}, want: AnswerInput{Text: "日本語日本"}},
		{name: "emoji at the limit", in: AnswerInput{Text: "🙂🙂🙂🙂🙂"}, want: AnswerInput{Text: "🙂🙂🙂🙂🙂"}},
		{name: "one rune over", in: AnswerInput{Text: "héllos"}, wantErr: "is 6 characters long; the limit here is 5"},
		{name: "space around does not count", in: AnswerInput{Text: "   hello   "}, want: AnswerInput{Text: "hello"}},
		{name: "invalid UTF-8", in: AnswerInput{Text: "ok\xff\xfe"}, wantErr: "characters Mend cannot read"},
		{name: "other fields dropped", in: AnswerInput{Text: "hi", Scale: 3, DueOn: "2025-03-11"}, want: AnswerInput{Text: "hi"}},
	})
}

func TestNormalizeCommitmentReview(t *testing.T) {
	t.Parallel()
	p := Prompt{ID: "commitment-review", Kind: KindCommitmentReview, Text: "?"}
	runNormalize(t, p, []normalizeCase{
		{name: "kept", in: AnswerInput{Verdict: VerdictKept}, want: AnswerInput{Verdict: VerdictKept}},
		{name: "partly", in: AnswerInput{Verdict: VerdictPartly}, want: AnswerInput{Verdict: VerdictPartly}},
		{name: "not this week", in: AnswerInput{Verdict: VerdictNotThisWeek}, want: AnswerInput{Verdict: VerdictNotThisWeek}},
		{name: "I can't say", in: AnswerInput{Verdict: VerdictCantSay}, want: AnswerInput{Verdict: VerdictCantSay}},
		// The answers of earlier versions are read from storage, never taken
		// as a new answer.
		{name: "missed is no longer an answer", in: AnswerInput{Verdict: "missed"}, wantErr: "Please answer with Kept, Partly, Not this week, I can't say."},
		{name: "respected is no longer an answer", in: AnswerInput{Verdict: "respected"}, wantErr: "Kept, Partly, Not this week, I can't say"},
		{name: "no verdict", in: AnswerInput{Note: "hm"}, wantErr: "Kept, Partly, Not this week, I can't say"},
		{name: "label instead of verdict", in: AnswerInput{Verdict: "Kept"}, wantErr: "Kept, Partly, Not this week, I can't say"},
		{name: "note trimmed", in: AnswerInput{Verdict: VerdictPartly, Note: "  twice late \n"}, want: AnswerInput{Verdict: VerdictPartly, Note: "twice late"}},
		{name: "blank note dropped", in: AnswerInput{Verdict: VerdictKept, Note: "  "}, want: AnswerInput{Verdict: VerdictKept}},
		{name: "note at the limit", in: AnswerInput{Verdict: VerdictKept, Note: strings.Repeat("ü", MaxNoteLength)}, want: AnswerInput{Verdict: VerdictKept, Note: strings.Repeat("ü", MaxNoteLength)}},
		{name: "note over the limit", in: AnswerInput{Verdict: VerdictKept, Note: strings.Repeat("ü", MaxNoteLength+1)}, wantErr: "The note is 501 characters long; the limit here is 500"},
		{name: "note invalid UTF-8", in: AnswerInput{Verdict: VerdictKept, Note: "\xc3"}, wantErr: "The note contains characters Mend cannot read"},
		{name: "other fields dropped", in: AnswerInput{Verdict: VerdictNotThisWeek, Text: "x", Scale: 4}, want: AnswerInput{Verdict: VerdictNotThisWeek}},
	})
}

// Agreements are reviewed with the same four answers as promises: kept,
// partly, not this week, or "I can't say" (once Respected, Partly, Not
// respected).
func TestNormalizeAgreementReview(t *testing.T) {
	t.Parallel()
	p := Prompt{ID: "agreement-review", Kind: KindAgreementReview, Text: "?"}
	runNormalize(t, p, []normalizeCase{
		{name: "kept", in: AnswerInput{Verdict: VerdictKept}, want: AnswerInput{Verdict: VerdictKept}},
		{name: "partly", in: AnswerInput{Verdict: VerdictPartly, Note: " money talk "}, want: AnswerInput{Verdict: VerdictPartly, Note: "money talk"}},
		{name: "not this week", in: AnswerInput{Verdict: VerdictNotThisWeek}, want: AnswerInput{Verdict: VerdictNotThisWeek}},
		{name: "I can't say", in: AnswerInput{Verdict: VerdictCantSay}, want: AnswerInput{Verdict: VerdictCantSay}},
		{name: "not respected is no longer an answer", in: AnswerInput{Verdict: "not_respected"}, wantErr: "Please answer with Kept, Partly, Not this week, I can't say."},
		{name: "no verdict", in: AnswerInput{}, wantErr: "Kept, Partly, Not this week, I can't say"},
		{name: "note over the limit", in: AnswerInput{Verdict: VerdictKept, Note: strings.Repeat("n", MaxNoteLength+1)}, wantErr: "The note is 501 characters long"},
	})
}

func TestOldReviewAnswersAreReadAsTheNewOnes(t *testing.T) {
	t.Parallel()
	for stored, want := range map[string]Verdict{
		"missed": VerdictNotThisWeek, "not_respected": VerdictNotThisWeek, "respected": VerdictKept,
		"kept": VerdictKept, "partly": VerdictPartly, "not_this_week": VerdictNotThisWeek, "cant_say": VerdictCantSay,
	} {
		if got := ReadVerdict(stored); got != want {
			t.Errorf("ReadVerdict(%q) = %q, want %q", stored, got, want)
		}
	}
}

func TestNormalizeNewCommitment(t *testing.T) {
	t.Parallel()
	p := Prompt{ID: "new-commitment", Kind: KindNewCommitment, Text: "?", MaxLength: 30}
	runNormalize(t, p, []normalizeCase{
		{name: "text only", in: AnswerInput{Text: " Home by 7 pm "}, want: AnswerInput{Text: "Home by 7 pm"}},
		{name: "text and due date", in: AnswerInput{Text: "Call mum", DueOn: "2025-03-14"}, want: AnswerInput{Text: "Call mum", DueOn: "2025-03-14"}},
		{name: "due date trimmed", in: AnswerInput{Text: "Call mum", DueOn: " 2025-03-14\n"}, want: AnswerInput{Text: "Call mum", DueOn: "2025-03-14"}},
		{name: "blank due date is none", in: AnswerInput{Text: "Call mum", DueOn: "   "}, want: AnswerInput{Text: "Call mum"}},
		{name: "due today", in: AnswerInput{Text: "Call mum", DueOn: "2025-03-10"}, want: AnswerInput{Text: "Call mum", DueOn: "2025-03-10"}},
		{name: "due in exactly a year", in: AnswerInput{Text: "Trip", DueOn: "2026-03-10"}, want: AnswerInput{Text: "Trip", DueOn: "2026-03-10"}},
		{name: "due yesterday", in: AnswerInput{Text: "Call mum", DueOn: "2025-03-09"}, wantErr: "The due date 2025-03-09 has already passed"},
		{name: "due a year and a day ahead", in: AnswerInput{Text: "Trip", DueOn: "2026-03-11"}, wantErr: "The due date 2026-03-11 is more than a year away"},
		{name: "due date in words", in: AnswerInput{Text: "Call mum", DueOn: "next friday"}, wantErr: `The due date "next friday" is not a date Mend can read; please write it as year-month-day, like 2025-03-17.`},
		{name: "due date without leading zeros", in: AnswerInput{Text: "Call mum", DueOn: "2025-3-14"}, wantErr: "is not a date Mend can read"},
		{name: "due date that does not exist", in: AnswerInput{Text: "Call mum", DueOn: "2025-02-30"}, wantErr: "is not a date Mend can read"},
		{name: "due date day first", in: AnswerInput{Text: "Call mum", DueOn: "14.03.2025"}, wantErr: "is not a date Mend can read"},
		{name: "no text", in: AnswerInput{DueOn: "2025-03-14"}, wantErr: "the commitment is empty"},
		{name: "text over the limit", in: AnswerInput{Text: strings.Repeat("ß", 31)}, wantErr: "The commitment is 31 characters long; the limit here is 30"},
		{name: "other fields dropped", in: AnswerInput{Text: "Walk", Scale: 5, Verdict: VerdictKept, Note: "n"}, want: AnswerInput{Text: "Walk"}},
	})
}

func TestNormalizeUnknownKind(t *testing.T) {
	t.Parallel()
	p := Prompt{ID: "x", Kind: "essay", Text: "?"}
	_, err := p.normalize(AnswerInput{Text: "hello"}, today)
	if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), `"essay"`) {
		t.Errorf("normalize() error = %v, want %s naming the kind", err, EINVALID)
	}
}

func TestValidateDueDateUsesTheCouplesCalendarDay(t *testing.T) {
	t.Parallel()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	// 23:30 on the 10th in UTC is already the 11th in Tokyo.
	now := time.Date(2025, time.March, 10, 23, 30, 0, 0, time.UTC)

	if _, err := ValidateDueDate("2025-03-10", now.In(tokyo)); ErrorCode(err) != EINVALID {
		t.Errorf("due 2025-03-10 when it is the 11th in Tokyo: error = %v, want %s (already passed)", err, EINVALID)
	}
	if got, err := ValidateDueDate("2025-03-11", now.In(tokyo)); err != nil || got != "2025-03-11" {
		t.Errorf("due 2025-03-11 when it is the 11th in Tokyo: = %q, %v; want it accepted", got, err)
	}
	if got, err := ValidateDueDate("2025-03-10", now); err != nil || got != "2025-03-10" {
		t.Errorf("due 2025-03-10 when it is the 10th in UTC: = %q, %v; want it accepted", got, err)
	}
}

func TestValidateDueDateOnLeapDay(t *testing.T) {
	t.Parallel()
	leap := time.Date(2024, time.February, 29, 12, 0, 0, 0, time.UTC)
	if got, err := ValidateDueDate("2025-02-28", leap); err != nil || got != "2025-02-28" {
		t.Errorf("ValidateDueDate(2025-02-28) on a leap day = %q, %v; want it accepted", got, err)
	}
	if _, err := ValidateDueDate("2025-03-02", leap); ErrorCode(err) != EINVALID {
		t.Errorf("ValidateDueDate(2025-03-02) on a leap day error = %v, want %s", err, EINVALID)
	}
}

func TestVerdictsPerKind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind PromptKind
		want string
	}{
		{KindCommitmentReview, "kept,partly,not_this_week,cant_say"},
		{KindAgreementReview, "kept,partly,not_this_week,cant_say"},
		{KindText, ""},
		{KindScale, ""},
	}
	for _, tt := range tests {
		var got []string
		for _, o := range Verdicts(tt.kind) {
			got = append(got, string(o.Verdict))
		}
		if strings.Join(got, ",") != tt.want {
			t.Errorf("Verdicts(%s) = %v, want %s", tt.kind, got, tt.want)
		}
	}
}

func TestVerdictLabel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind PromptKind
		v    Verdict
		want string
	}{
		{KindCommitmentReview, VerdictKept, "Kept"},
		{KindCommitmentReview, VerdictPartly, "Partly"},
		{KindCommitmentReview, VerdictCantSay, "I can't say"},
		{KindAgreementReview, VerdictNotThisWeek, "Not this week"},
		// A verdict the kind does not use is shown as stored rather than hidden.
		{KindScale, VerdictKept, "kept"},
	}
	for _, tt := range tests {
		if got := VerdictLabel(tt.kind, tt.v); got != tt.want {
			t.Errorf("VerdictLabel(%s, %s) = %q, want %q", tt.kind, tt.v, got, tt.want)
		}
	}
}

func TestAnswerSummary(t *testing.T) {
	t.Parallel()
	scale := Prompt{Kind: KindScale, LowLabel: "Distant", HighLabel: "Close"}
	tests := []struct {
		name string
		p    Prompt
		a    Answer
		want string
	}{
		{"scale lowest names the low label", scale, Answer{Scale: 1}, "1 of 5 (Distant)"},
		{"scale middle has no label", scale, Answer{Scale: 3}, "3 of 5"},
		{"scale highest names the high label", scale, Answer{Scale: 5}, "5 of 5 (Close)"},
		{"choice", Prompt{Kind: KindChoice}, Answer{Choice: "At home"}, "At home"},
		{"text", Prompt{Kind: KindText}, Answer{Text: "More walks"}, "More walks"},
		{"commitment review", Prompt{Kind: KindCommitmentReview}, Answer{Verdict: VerdictNotThisWeek}, "Not this week"},
		{"commitment review with note", Prompt{Kind: KindCommitmentReview}, Answer{Verdict: VerdictPartly, Note: "late twice"}, "Partly: late twice"},
		{"agreement review", Prompt{Kind: KindAgreementReview}, Answer{Verdict: VerdictCantSay}, "I can't say"},
		{"new commitment", Prompt{Kind: KindNewCommitment}, Answer{Text: "Call mum"}, "Call mum"},
		{"new commitment with due date", Prompt{Kind: KindNewCommitment}, Answer{Text: "Call mum", DueOn: "2025-03-14"}, "Call mum (by 2025-03-14)"},
		{"skipped", Prompt{Kind: KindText}, Answer{Skipped: true, Text: "ignored"}, "not answered this time"},
		{"skipped scale", scale, Answer{Skipped: true}, "not answered this time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Summary(tt.p); got != tt.want {
				t.Errorf("Summary() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAnswerKey(t *testing.T) {
	t.Parallel()
	a := Answer{PromptID: "commitment-review", SubjectID: 7}
	if got := a.Key(); got != (StepKey{PromptID: "commitment-review", SubjectID: 7}) {
		t.Errorf("Key() = %+v", got)
	}
}
