package conversations

import (
	"context"
	"fmt"
	"time"
)

// Records are what a couple has done with Mend, to look back on, take away
// or delete.
type Records struct{ *core }

// HistoryEntry is one past check-in in a few numbers. Numbers come only from
// revealed check-ins.
type HistoryEntry struct {
	CheckIn CheckIn
	// Trust is each partner's answer to the tracked scale, 0 when none.
	Trust [2]int
	// Reviews and Divergent count commitment and agreement reviews and those
	// the partners saw differently.
	Reviews, Divergent int
	// Made counts the new commitments of the check-in.
	Made int
	// RevealMissing is set for a revealed check-in whose reveal never
	// reached the channel and is not on its way.
	RevealMissing bool
}

// MaxHistory bounds /history.
const MaxHistory = 25

// History returns the couple's latest check-ins, newest first.
func (s *Records) History(ctx context.Context, by Actor, count int) ([]HistoryEntry, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return nil, err
	}
	if count < 1 || count > MaxHistory {
		return nil, Errorf(EINVALID, "Please ask for 1 to %d check-ins.", MaxHistory)
	}
	checkIns, err := s.stores.CheckIns.CheckIns(ctx, couple.ID, count)
	if err != nil {
		return nil, fmt.Errorf("list check-ins of couple %d: %w", couple.ID, err)
	}
	now := s.clock.Now()
	var out []HistoryEntry
	for _, ci := range checkIns {
		// A check-in whose window ended is closed, recorded or not yet.
		ci.Status = ci.StatusAt(now)
		e := HistoryEntry{CheckIn: ci}
		if ci.Status == CheckInRevealed {
			answers, err := s.stores.Answers.Answers(ctx, ci.ID)
			if err != nil {
				return nil, fmt.Errorf("load answers of check-in %d: %w", ci.ID, err)
			}
			r := NewReveal(ci, couple, answers)
			for _, row := range r.Rows {
				for i, a := range row.Answers {
					if a == nil || a.Skipped {
						continue
					}
					switch {
					case row.Item.Prompt.Kind == KindScale && row.Item.Prompt.Tracked:
						e.Trust[i] = a.Scale
					case row.Item.Prompt.Kind == KindNewCommitment:
						e.Made++
					}
				}
				if sub := row.Item.Subject; sub != nil && sub.Kind != SubjectBoundary {
					e.Reviews++
				}
			}
			e.Divergent = r.Divergences()
			if e.RevealMissing, err = s.revealMissing(ctx, ci); err != nil {
				return nil, err
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// MaxProgressWeeks bounds /progress.
const MaxProgressWeeks = 104

// Progress returns the couple's progress over the last weeks.
func (s *Records) Progress(ctx context.Context, by Actor, weeks int) (Progress, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return Progress{}, err
	}
	if weeks < 1 || weeks > MaxProgressWeeks {
		return Progress{}, Errorf(EINVALID, "Please ask for 1 to %d weeks.", MaxProgressWeeks)
	}
	now := s.clock.Now()
	since := now.AddDate(0, 0, -7*weeks)
	// Two check-ins a day at most, so this many cover the span and the streak.
	checkIns, err := s.stores.CheckIns.CheckIns(ctx, couple.ID, 14*weeks+50)
	if err != nil {
		return Progress{}, fmt.Errorf("list check-ins of couple %d: %w", couple.ID, err)
	}
	answers, talks := map[int64][]Answer{}, map[int64][]Talk{}
	for _, ci := range checkIns {
		if ci.Status != CheckInRevealed || ci.OpenedAt.Before(since) {
			continue
		}
		if answers[ci.ID], err = s.stores.Answers.Answers(ctx, ci.ID); err != nil {
			return Progress{}, fmt.Errorf("load answers of check-in %d: %w", ci.ID, err)
		}
		if talks[ci.ID], err = s.stores.Acknowledgements.Talks(ctx, ci.ID); err != nil {
			return Progress{}, fmt.Errorf("load talks of check-in %d: %w", ci.ID, err)
		}
	}
	p := NewProgress(couple, checkIns, answers, talks, since, now)
	held, err := s.stores.Talks.TalksHeld(ctx, couple.ID, since, now.Add(time.Millisecond))
	if err != nil {
		return Progress{}, fmt.Errorf("list talks held by couple %d: %w", couple.ID, err)
	}
	p.TalksHeld = len(held)
	return p, nil
}

// ExportSchema names the version of the export format (see README.md).
const ExportSchema = "mend-export/1"

// Export is everything stored of a couple, as a partner may take it with them.
type Export struct {
	Schema      string                      `json:"schema"`
	ExportedAt  time.Time                   `json:"exported_at"`
	ExportedFor string                      `json:"exported_for"`
	Tables      map[string][]map[string]any `json:"tables"`
}

// Export returns the couple's data for one of its partners, the other
// partner's never-revealed answers excepted.
func (s *Records) Export(ctx context.Context, by Actor) (Export, error) {
	couple, err := s.coupleOwnedHere(ctx, by)
	if err != nil {
		return Export{}, err
	}
	tables, err := s.stores.Records.ExportCouple(ctx, couple.ID, by.UserID)
	if err != nil {
		return Export{}, fmt.Errorf("export couple %d: %w", couple.ID, err)
	}
	return Export{Schema: ExportSchema, ExportedAt: s.clock.Now(), ExportedFor: by.UserID, Tables: tables}, nil
}

// Forgotten is what a forget deleted.
type Forgotten struct {
	// Couple is the couple as it was, for telling its channel.
	Couple Couple
	// Rows counts the deleted rows by table.
	Rows map[string]int
	// Wiped is true when no copy of the rows is left on disk either. When
	// false, the rows are gone from Mend but their bytes are still in the
	// database's write-ahead log, because another connection was using the
	// file (another program holding a snapshot, or Mend itself writing at
	// that moment); the scheduler wipes them (FinishWipes) once it can.
	Wiped bool
}

// Forget deletes everything stored of the couple and reports what went.
// coupleID is the couple the partner was asked about, which must be the one
// of the channel they act from.
func (s *Records) Forget(ctx context.Context, by Actor, coupleID int64) (Forgotten, error) {
	couple, err := s.coupleOwnedHere(ctx, by)
	if err != nil {
		return Forgotten{}, err
	}
	if err := belongsTo(couple, coupleID, "button"); err != nil {
		return Forgotten{}, err
	}
	// The store's error already says it was forgetting this couple.
	f, err := s.stores.Records.ForgetCouple(ctx, couple.ID)
	f.Couple = couple
	return f, err
}

// Keep answers a partner who was asked whether to forget everything and
// chose to keep it: nothing changes, if the question was theirs to answer.
func (s *Records) Keep(ctx context.Context, by Actor, coupleID int64) error {
	couple, err := s.coupleOwnedHere(ctx, by)
	if err != nil {
		return err
	}
	return belongsTo(couple, coupleID, "button")
}

// ForgetMyAnswers deletes a partner's own answers after they left the couple.
func (s *Records) ForgetMyAnswers(ctx context.Context, by Actor, coupleID int64) (int, error) {
	return s.forgetAnswersOf(ctx, by, coupleID)
}
