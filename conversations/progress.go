package conversations

import (
	"sort"
	"time"
)

// Rate is a share of points over reviews: kept (or respected) counts 1,
// partly 0.5, missed (or not respected) 0.
type Rate struct {
	Points  float64
	Reviews int
}

// Percent is the rate in percent; ok is false when there were no reviews.
func (r Rate) Percent() (float64, bool) {
	if r.Reviews == 0 {
		return 0, false
	}
	return 100 * r.Points / float64(r.Reviews), true
}

func (r *Rate) add(v Verdict) {
	switch v {
	case VerdictKept, VerdictRespected:
		r.Points++
	case VerdictPartly:
		r.Points += 0.5
	}
	r.Reviews++
}

// TrustPoint is one partner's answer to the tracked scale of a revealed check-in.
type TrustPoint struct {
	CheckInID int64
	At        time.Time
	Value     int
}

// PartnerProgress is one partner's side of the couple's progress.
type PartnerProgress struct {
	Partner Partner
	// Trust is the tracked scale over time, oldest first.
	Trust []TrustPoint
	// OwnView is the follow-through of this partner's commitments as they
	// rated it themselves; OtherView as the other partner rated it.
	OwnView   Rate
	OtherView Rate
	// Divergent counts reviews of this partner's commitments where the two
	// partners gave different verdicts.
	Divergent int
	// Agreements is how well agreements were respected, as this partner saw it.
	Agreements Rate
}

// Progress is what a couple has done over a span of weeks. Only revealed
// check-ins count: answers nobody has seen together never appear here.
type Progress struct {
	Couple   Couple
	Since    time.Time
	Until    time.Time
	Revealed int
	// Closed counts check-ins in the span that closed unrevealed.
	Closed int
	// Streak is how many check-ins in a row, up to the latest finished one,
	// were completed by both.
	Streak   int
	Partners [2]PartnerProgress
	// Themes are the guided path's themes of the check-ins in the span that
	// both finished.
	Themes []ThemeDone
}

// NewProgress computes progress from the couple's check-ins (any order, any
// status; open ones are ignored) and the answers of the revealed ones.
func NewProgress(couple Couple, checkIns []CheckIn, answers map[int64][]Answer, since, until time.Time) Progress {
	p := Progress{Couple: couple, Since: since, Until: until}
	for i := range p.Partners {
		p.Partners[i].Partner = couple.Partners[i]
	}
	sorted := append([]CheckIn(nil), checkIns...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].OpenedAt.Before(sorted[j].OpenedAt) })

	// A check-in whose window ended counts as closed even before the
	// scheduler has recorded it.
	for i := len(sorted) - 1; i >= 0; i-- {
		switch sorted[i].StatusAt(until) {
		case CheckInRevealed:
			p.Streak++
			continue
		case CheckInOpen:
			continue
		}
		break
	}
	var inSpan []CheckIn
	for _, ci := range sorted {
		if ci.OpenedAt.Before(since) || ci.OpenedAt.After(until) {
			continue
		}
		inSpan = append(inSpan, ci)
		if ci.StatusAt(until) == CheckInClosed {
			p.Closed++
		}
		if ci.Status != CheckInRevealed {
			continue
		}
		p.Revealed++
		p.addCheckIn(ci, answers[ci.ID])
	}
	p.Themes = themesDone(inSpan)
	return p
}

func (p *Progress) addCheckIn(ci CheckIn, answers []Answer) {
	owners := map[int64]string{}
	for _, s := range ci.Subjects {
		if s.Kind == SubjectCommitment {
			owners[s.ID] = s.OwnerID
		}
	}
	verdicts := map[StepKey]map[string]Verdict{}
	for _, a := range answers {
		idx := p.Couple.PartnerIndex(a.UserID)
		prompt, ok := ci.Template.Prompt(a.PromptID)
		if idx < 0 || !ok || a.Skipped {
			continue
		}
		switch prompt.Kind {
		case KindScale:
			if prompt.Tracked {
				p.Partners[idx].Trust = append(p.Partners[idx].Trust, TrustPoint{CheckInID: ci.ID, At: ci.OpenedAt, Value: a.Scale})
			}
		case KindAgreementReview:
			p.Partners[idx].Agreements.add(a.Verdict)
		case KindCommitmentReview:
			owner := p.Couple.PartnerIndex(owners[a.SubjectID])
			if owner < 0 {
				continue
			}
			if owner == idx {
				p.Partners[owner].OwnView.add(a.Verdict)
			} else {
				p.Partners[owner].OtherView.add(a.Verdict)
			}
			if verdicts[a.Key()] == nil {
				verdicts[a.Key()] = map[string]Verdict{}
			}
			verdicts[a.Key()][a.UserID] = a.Verdict
		}
	}
	for key, byUser := range verdicts {
		if len(byUser) != 2 {
			continue
		}
		v0, v1 := byUser[p.Couple.Partners[0].UserID], byUser[p.Couple.Partners[1].UserID]
		if v0 != v1 {
			if owner := p.Couple.PartnerIndex(owners[key.SubjectID]); owner >= 0 {
				p.Partners[owner].Divergent++
			}
		}
	}
}
