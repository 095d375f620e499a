package conversations

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Verdict is a partner's view of how a commitment or an agreement held,
// from where they stand. "I can't say" is as honest an answer as any.
type Verdict string

const (
	VerdictKept        Verdict = "kept"
	VerdictPartly      Verdict = "partly"
	VerdictNotThisWeek Verdict = "not_this_week"
	VerdictCantSay     Verdict = "cant_say"
)

// ReadVerdict reads a verdict as stored or carried by an old button: the
// answers of earlier versions ("missed", "respected", "not_respected") are
// read as the answer that now says the same without grading anyone.
func ReadVerdict(s string) Verdict {
	switch s {
	case "respected":
		return VerdictKept
	case "missed", "not_respected":
		return VerdictNotThisWeek
	}
	return Verdict(s)
}

// ReviewHint is said with every review question, whoever's promise it is.
const ReviewHint = "From where you stand. If you can't tell, 'I can't say' is an honest answer."

// VerdictOption is a verdict with the words a partner sees for it.
type VerdictOption struct {
	Verdict Verdict
	Label   string
}

// Verdicts returns the answers a review prompt of the given kind accepts;
// nil for other kinds.
func Verdicts(kind PromptKind) []VerdictOption {
	switch kind {
	case KindCommitmentReview, KindAgreementReview:
		return []VerdictOption{{VerdictKept, "Kept"}, {VerdictPartly, "Partly"}, {VerdictNotThisWeek, "Not this week"}, {VerdictCantSay, "I can't say"}}
	}
	return nil
}

// VerdictLabel returns the words shown for a verdict.
func VerdictLabel(kind PromptKind, v Verdict) string {
	for _, o := range Verdicts(kind) {
		if o.Verdict == v {
			return o.Label
		}
	}
	return string(v)
}

// DateLayout is how due dates are written and stored.
const DateLayout = "2006-01-02"

// AnswerInput is what a partner gave for one step; which fields count depends on
// the prompt's kind.
type AnswerInput struct {
	Scale  int
	Choice string
	// Option picks a choice by its position, counted from 1, for an adapter
	// that lists the options and gets a position back; 0 means Choice counts.
	Option  int
	Text    string
	Verdict Verdict
	Note    string
	DueOn   string
}

// Answer is a partner's stored answer to one step of a check-in.
type Answer struct {
	CheckInID int64
	UserID    string
	PromptID  string
	// SubjectID is the commitment or agreement reviewed, 0 for other prompts.
	SubjectID  int64
	Skipped    bool
	Scale      int
	Choice     string
	Text       string
	Verdict    Verdict
	Note       string
	DueOn      string
	AnsweredAt time.Time
}

// Key identifies the step the answer belongs to.
func (a Answer) Key() StepKey { return StepKey{PromptID: a.PromptID, SubjectID: a.SubjectID} }

// normalize validates in against the prompt and returns it with only the fields
// that the kind uses, trimmed. today is the date in the couple's time zone, for
// due dates.
func (p Prompt) normalize(in AnswerInput, today time.Time) (AnswerInput, error) {
	switch p.Kind {
	case KindScale:
		if in.Scale < ScaleMin || in.Scale > ScaleMax {
			return AnswerInput{}, Errorf(EINVALID, "Please choose a number from %d (%s) to %d (%s).", ScaleMin, p.LowLabel, ScaleMax, p.HighLabel)
		}
		return AnswerInput{Scale: in.Scale}, nil
	case KindChoice:
		if in.Option != 0 {
			if in.Option < 1 || in.Option > len(p.Options) {
				return AnswerInput{}, Errorf(EINVALID, "Please pick one of the options in the list.")
			}
			return AnswerInput{Choice: p.Options[in.Option-1]}, nil
		}
		for _, o := range p.Options {
			if strings.EqualFold(strings.TrimSpace(in.Choice), strings.TrimSpace(o)) {
				return AnswerInput{Choice: o}, nil
			}
		}
		return AnswerInput{}, Errorf(EINVALID, "Please pick one of: %s.", strings.Join(p.Options, ", "))
	case KindText:
		text, err := cleanText(in.Text, p.MaxLength, "answer")
		return AnswerInput{Text: text}, err
	case KindCommitmentReview, KindAgreementReview:
		return p.normalizeReview(in)
	case KindNewCommitment:
		return p.normalizeNewCommitment(in, today)
	}
	return AnswerInput{}, Errorf(EINVALID, "This question has a kind Mend does not know (%q).", p.Kind)
}

func (p Prompt) normalizeReview(in AnswerInput) (AnswerInput, error) {
	options := Verdicts(p.Kind)
	for _, o := range options {
		if in.Verdict == o.Verdict {
			note, err := cleanOptional(in.Note, MaxNoteLength, "note")
			return AnswerInput{Verdict: o.Verdict, Note: note}, err
		}
	}
	labels := make([]string, len(options))
	for i, o := range options {
		labels[i] = o.Label
	}
	return AnswerInput{}, Errorf(EINVALID, "Please answer with %s.", strings.Join(labels, ", "))
}

func (p Prompt) normalizeNewCommitment(in AnswerInput, today time.Time) (AnswerInput, error) {
	text, err := cleanText(in.Text, p.MaxLength, "commitment")
	if err != nil {
		return AnswerInput{}, err
	}
	due := strings.TrimSpace(in.DueOn)
	if due != "" {
		due, err = ValidateDueDate(due, today)
		if err != nil {
			return AnswerInput{}, err
		}
	}
	return AnswerInput{Text: text, DueOn: due}, nil
}

// ValidateDueDate checks a due date written as 2006-01-02 against today (a time
// in the couple's zone) and returns it in canonical form.
func ValidateDueDate(due string, today time.Time) (string, error) {
	d, err := time.Parse(DateLayout, strings.TrimSpace(due))
	if err != nil {
		return "", Errorf(EINVALID, "The due date %q is not a date Mend can read; please write it as year-month-day, like %s.", due, today.AddDate(0, 0, 7).Format(DateLayout))
	}
	y, m, dd := today.Date()
	start := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	if d.Before(start) {
		return "", Errorf(EINVALID, "The due date %s has already passed; please pick today or a later day.", d.Format(DateLayout))
	}
	if d.After(start.AddDate(1, 0, 0)) {
		return "", Errorf(EINVALID, "The due date %s is more than a year away; a nearer, smaller step is easier to keep.", d.Format(DateLayout))
	}
	return d.Format(DateLayout), nil
}

func cleanText(s string, max int, what string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", Errorf(EINVALID, "This one needs a few words; the %s is empty.", what)
	}
	return cleanOptional(s, max, what)
}

func cleanOptional(s string, max int, what string) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return "", Errorf(EINVALID, "The %s contains characters Mend cannot read.", what)
	}
	if n := utf8.RuneCountInString(s); max > 0 && n > max {
		return "", Errorf(EINVALID, "The %s is %d characters long; the limit here is %d. Nothing was saved, so you can shorten it and send it again.", what, n, max)
	}
	return s, nil
}

// NotAnswered is how a skipped answer reads, the same in every medium.
const NotAnswered = "not answered this time"

// Summary renders an answer in one plain line of words, the same in every medium.
func (a Answer) Summary(p Prompt) string {
	if a.Skipped {
		// An optional question left alone is not a refusal: "(skipped)" read
		// as one beside the other partner's words, and "nothing this time"
		// beside "take responsibility" read as "I have nothing to own".
		return NotAnswered
	}
	switch p.Kind {
	case KindScale:
		label := ""
		switch a.Scale {
		case ScaleMin:
			label = " (" + p.LowLabel + ")"
		case ScaleMax:
			label = " (" + p.HighLabel + ")"
		}
		return fmt.Sprintf("%d of %d%s", a.Scale, ScaleMax, label)
	case KindChoice:
		return a.Choice
	case KindCommitmentReview, KindAgreementReview:
		s := VerdictLabel(p.Kind, a.Verdict)
		if a.Note != "" {
			s += ": " + a.Note
		}
		return s
	case KindNewCommitment:
		if a.DueOn != "" {
			return a.Text + " (by " + a.DueOn + ")"
		}
		return a.Text
	}
	return a.Text
}
