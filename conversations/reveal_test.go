package conversations

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func aliceAndBob() Couple {
	return Couple{ID: 1, Partners: [2]Partner{{UserID: "alice", Name: "Alice"}, {UserID: "bob", Name: "Bob"}}, Status: CoupleActive}
}

func TestNewRevealPutsAnswersSideBySideByPartnerPosition(t *testing.T) {
	t.Parallel()
	ci := reviewCheckIn()
	// Bob's answers come first, as a store might return them.
	answers := []Answer{
		{UserID: "bob", PromptID: "mood", Scale: 2},
		{UserID: "alice", PromptID: "mood", Scale: 4},
		{UserID: "alice", PromptID: "words", Text: "thanks"},
		{UserID: "mallory", PromptID: "mood", Scale: 1},
	}

	r := NewReveal(ci, aliceAndBob(), answers)

	if got, want := len(r.Rows), len(ci.Items()); got != want {
		t.Fatalf("%d rows, want one per step (%d)", got, want)
	}
	for i, it := range ci.Items() {
		if r.Rows[i].Item.Key() != it.Key() {
			t.Errorf("row %d is %s, want %s", i, r.Rows[i].Item.Key(), it.Key())
		}
	}
	mood := r.Rows[0].Answers
	if mood[0] == nil || mood[0].Scale != 4 || mood[1] == nil || mood[1].Scale != 2 {
		t.Errorf("mood answers = %s, want alice 4 and bob 2", describePair(mood))
	}
	words := r.Rows[3].Answers
	if words[0] == nil || words[0].Text != "thanks" || words[1] != nil {
		t.Errorf("words answers = %s, want alice's only", describePair(words))
	}
	if r.Couple.ID != 1 || r.CheckIn.ID != ci.ID {
		t.Errorf("reveal carries couple %d and check-in %d", r.Couple.ID, r.CheckIn.ID)
	}
}

func TestNewRevealFlagsDivergentReviews(t *testing.T) {
	t.Parallel()
	review := func(user string, subject int64, v Verdict) Answer {
		prompt := "promises"
		if subject == 21 {
			prompt = "rules"
		}
		return Answer{UserID: user, PromptID: prompt, SubjectID: subject, Verdict: v}
	}
	tests := []struct {
		name    string
		answers []Answer
		key     StepKey
		want    bool
	}{
		{
			name:    "different verdicts",
			answers: []Answer{review("alice", 11, VerdictKept), review("bob", 11, VerdictNotThisWeek)},
			key:     StepKey{"promises", 11},
			want:    true,
		},
		{
			name:    "different agreement verdicts",
			answers: []Answer{review("alice", 21, VerdictKept), review("bob", 21, VerdictPartly)},
			key:     StepKey{"rules", 21},
			want:    true,
		},
		{
			name:    "same verdicts",
			answers: []Answer{review("alice", 11, VerdictPartly), review("bob", 11, VerdictPartly)},
			key:     StepKey{"promises", 11},
			want:    false,
		},
		{
			name:    "only one partner answered",
			answers: []Answer{review("alice", 11, VerdictKept)},
			key:     StepKey{"promises", 11},
			want:    false,
		},
		{
			name:    "one partner skipped",
			answers: []Answer{review("alice", 11, VerdictKept), {UserID: "bob", PromptID: "promises", SubjectID: 11, Skipped: true}},
			key:     StepKey{"promises", 11},
			want:    false,
		},
		{
			name:    "both skipped",
			answers: []Answer{{UserID: "alice", PromptID: "promises", SubjectID: 11, Skipped: true}, {UserID: "bob", PromptID: "promises", SubjectID: 11, Skipped: true}},
			key:     StepKey{"promises", 11},
			want:    false,
		},
		{
			name:    "different answers to a plain prompt",
			answers: []Answer{{UserID: "alice", PromptID: "mood", Scale: 1}, {UserID: "bob", PromptID: "mood", Scale: 5}},
			key:     StepKey{PromptID: "mood"},
			want:    false,
		},
		{
			name:    "a stranger's different verdict",
			answers: []Answer{review("alice", 11, VerdictKept), review("mallory", 11, VerdictNotThisWeek)},
			key:     StepKey{"promises", 11},
			want:    false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReveal(reviewCheckIn(), aliceAndBob(), tt.answers)

			var row *RevealRow
			for i := range r.Rows {
				if r.Rows[i].Item.Key() == tt.key {
					row = &r.Rows[i]
				}
			}
			if row == nil {
				t.Fatalf("no row for %s", tt.key)
			}
			if row.Divergent != tt.want {
				t.Errorf("row %s Divergent = %v, want %v", tt.key, row.Divergent, tt.want)
			}
			wantCount := 0
			if tt.want {
				wantCount = 1
			}
			if got := r.Divergences(); got != wantCount {
				t.Errorf("Divergences() = %d, want %d", got, wantCount)
			}
		})
	}
}

func TestRevealDivergencesCountsEveryDivergentRow(t *testing.T) {
	t.Parallel()
	answers := []Answer{
		{UserID: "alice", PromptID: "promises", SubjectID: 11, Verdict: VerdictKept},
		{UserID: "bob", PromptID: "promises", SubjectID: 11, Verdict: VerdictPartly},
		{UserID: "alice", PromptID: "promises", SubjectID: 12, Verdict: VerdictKept},
		{UserID: "bob", PromptID: "promises", SubjectID: 12, Verdict: VerdictKept},
		{UserID: "alice", PromptID: "rules", SubjectID: 21, Verdict: VerdictNotThisWeek},
		{UserID: "bob", PromptID: "rules", SubjectID: 21, Verdict: VerdictKept},
	}
	if got := NewReveal(reviewCheckIn(), aliceAndBob(), answers).Divergences(); got != 2 {
		t.Errorf("Divergences() = %d, want 2", got)
	}
}

func TestNewRevealIgnoresAnswersToStepsNotInTheCheckIn(t *testing.T) {
	t.Parallel()
	answers := []Answer{{UserID: "alice", PromptID: "promises", SubjectID: 99, Verdict: VerdictKept}}
	r := NewReveal(reviewCheckIn(), aliceAndBob(), answers)
	for _, row := range r.Rows {
		if row.Answers[0] != nil || row.Answers[1] != nil {
			t.Errorf("row %s has answers %s, want none", row.Item.Key(), describePair(row.Answers))
		}
	}
}

func describePair(pair [2]*Answer) string {
	parts := make([]string, 2)
	for i, a := range pair {
		if a == nil {
			parts[i] = "none"
		} else {
			parts[i] = fmt.Sprintf("%s:%+v", a.UserID, *a)
		}
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func TestErrorCode(t *testing.T) {
	t.Parallel()
	wrapped := fmt.Errorf("save answer: %w", Errorf(ECONFLICT, "Too late."))
	tests := []struct {
		name string
		err  error
		code string
		msg  string
	}{
		{"nil", nil, "", ""},
		{"domain error", Errorf(EINVALID, "Bad %s.", "date"), EINVALID, "Bad date."},
		{"wrapped domain error", wrapped, ECONFLICT, "Too late."},
		{"other error", errors.New("sqlite: disk I/O error on /var/mend.db"), EINTERNAL, "Something went wrong on Mend's side."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorCode(tt.err); got != tt.code {
				t.Errorf("ErrorCode() = %q, want %q", got, tt.code)
			}
			msg := ErrorMessage(tt.err)
			if !strings.HasPrefix(msg, tt.msg) || (tt.msg == "" && msg != "") {
				t.Errorf("ErrorMessage() = %q, want it to start with %q", msg, tt.msg)
			}
			if strings.Contains(msg, "sqlite") {
				t.Errorf("ErrorMessage() = %q shows an internal error", msg)
			}
		})
	}
}

func TestCouplePartnerLookup(t *testing.T) {
	t.Parallel()
	c := aliceAndBob()
	tests := []struct {
		user  string
		index int
		other string
	}{
		{"alice", 0, "bob"},
		{"bob", 1, "alice"},
		{"mallory", -1, "alice"},
		{"", -1, "alice"},
	}
	for _, tt := range tests {
		if got := c.PartnerIndex(tt.user); got != tt.index {
			t.Errorf("PartnerIndex(%q) = %d, want %d", tt.user, got, tt.index)
		}
		if got := c.IsPartner(tt.user); got != (tt.index >= 0) {
			t.Errorf("IsPartner(%q) = %v", tt.user, got)
		}
		if got := c.Other(tt.user).UserID; got != tt.other {
			t.Errorf("Other(%q) = %q, want %q", tt.user, got, tt.other)
		}
	}
}

func TestCoupleWithAnEmptyPartnerIDDoesNotMatchAnEmptyUser(t *testing.T) {
	t.Parallel()
	c := Couple{Partners: [2]Partner{{UserID: "alice"}, {UserID: ""}}}
	if c.IsPartner("") {
		t.Error(`IsPartner("") = true for a couple whose second partner has no ID`)
	}
}

func TestCoupleLocationFallsBackToUTC(t *testing.T) {
	t.Parallel()
	for _, zone := range []string{"", "Mars/Olympus_Mons"} {
		if got := (Couple{TimeZone: zone}).Location(); got != time.UTC {
			t.Errorf("Location() for zone %q = %v, want UTC", zone, got)
		}
	}
	if got := (Couple{TimeZone: "Europe/Berlin"}).Location().String(); got != "Europe/Berlin" {
		t.Errorf("Location() = %s, want Europe/Berlin", got)
	}
}

func TestPartnerConsented(t *testing.T) {
	t.Parallel()
	if (Partner{}).Consented() {
		t.Error("a partner with no consent time counts as consented")
	}
	if !(Partner{ConsentedAt: time.Unix(1, 0)}).Consented() {
		t.Error("a partner with a consent time does not count as consented")
	}
}

func TestLoadZone(t *testing.T) {
	t.Parallel()
	if loc, err := LoadZone("Europe/Berlin"); err != nil || loc.String() != "Europe/Berlin" {
		t.Errorf("LoadZone(Europe/Berlin) = %v, %v", loc, err)
	}
	for _, name := range []string{"", "  ", "Local", "local", "Mars/Olympus_Mons", "../etc/passwd"} {
		if _, err := LoadZone(name); ErrorCode(err) != EINVALID {
			t.Errorf("LoadZone(%q) error = %v, want %s", name, err, EINVALID)
		}
	}
}
