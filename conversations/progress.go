package conversations

import (
	"slices"
	"sort"
	"time"
)

// Tally counts how reviews went, as one partner answered them. Kept counts
// kept and Partly counts partly, on its own: a partly is never half of a
// kept, so what progress says is what each partner answered, not a score
// made from it. "I can't say" is not counted as a review at all: it says
// nothing about how the promise went.
type Tally struct {
	Kept    int
	Partly  int
	Reviews int
}

func (t *Tally) add(v Verdict) {
	switch v {
	case VerdictCantSay:
		return
	case VerdictKept:
		t.Kept++
	case VerdictPartly:
		t.Partly++
	}
	t.Reviews++
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
	OwnView   Tally
	OtherView Tally
	// Divergent counts reviews of this partner's commitments where the two
	// partners gave different verdicts; TalkedThrough, how many of those the
	// couple marked "We talked about it".
	Divergent     int
	TalkedThrough int
	// Agreements is how well agreements were respected, as this partner saw it.
	Agreements Tally
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
	// SharedWeeks counts the weeks of the span (counted back from Until) in
	// which the two shared a check-in, of Weeks. There is no streak: a week
	// off is part of it, and nothing is lost by taking one.
	SharedWeeks int
	Weeks       int
	Partners    [2]PartnerProgress
	// Themes are the guided path's themes of the check-ins in the span that
	// both finished.
	Themes []ThemeDone
	// TalksHeld counts the guided talks of the span whose topic the two
	// talked through, whatever it was and however the talk ended.
	TalksHeld int
}

// NewProgress computes progress from the couple's check-ins (any order, any
// status; open ones are ignored) and the answers and talks of the revealed
// ones.
func NewProgress(couple Couple, checkIns []CheckIn, answers map[int64][]Answer, talks map[int64][]Talk, since, until time.Time) Progress {
	p := Progress{Couple: couple, Since: since, Until: until}
	for i := range p.Partners {
		p.Partners[i].Partner = couple.Partners[i]
	}
	sorted := append([]CheckIn(nil), checkIns...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].OpenedAt.Before(sorted[j].OpenedAt) })

	const week = 7 * 24 * time.Hour
	p.Weeks = int((until.Sub(since) + week - 1) / week)
	shared := map[int]bool{}
	var inSpan []CheckIn
	for _, ci := range sorted {
		if ci.OpenedAt.Before(since) || ci.OpenedAt.After(until) {
			continue
		}
		inSpan = append(inSpan, ci)
		// A check-in whose window ended counts as closed even before the
		// scheduler has recorded it.
		if ci.StatusAt(until) == CheckInClosed {
			p.Closed++
		}
		if ci.Status != CheckInRevealed {
			continue
		}
		p.Revealed++
		shared[int(until.Sub(ci.OpenedAt)/week)] = true
		p.addCheckIn(ci, answers[ci.ID], talks[ci.ID])
	}
	p.SharedWeeks = min(len(shared), p.Weeks)
	p.Themes = themesDone(inSpan)
	return p
}

func (p *Progress) addCheckIn(ci CheckIn, answers []Answer, talks []Talk) {
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
		owner := p.Couple.PartnerIndex(owners[key.SubjectID])
		if v0 == v1 || owner < 0 {
			continue
		}
		p.Partners[owner].Divergent++
		if slices.ContainsFunc(talks, func(t Talk) bool { return t.Key() == key }) {
			p.Partners[owner].TalkedThrough++
		}
	}
}
