package conversations

import (
	"context"
	"fmt"
	"slices"
)

// GuidedPath is the couple's way through the themes and packs that
// questions of the week are drawn from.
type GuidedPath struct{ *core }

// Of returns the couple's place on the guided path to one of its partners.
func (s *GuidedPath) Of(ctx context.Context, by Actor) (PathView, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return PathView{}, err
	}
	p, err := s.stores.Paths.GuidedPath(ctx, couple.ID)
	if err != nil {
		return PathView{}, fmt.Errorf("load path of couple %d: %w", couple.ID, err)
	}
	return s.pathView(ctx, couple, p)
}

func (s *GuidedPath) pathView(ctx context.Context, couple Couple, p Path) (PathView, error) {
	v := PathView{Couple: couple, Path: p}
	v.Next, v.HasNext = s.settings.Library.NextWeek(p)
	if v.HasNext {
		v.After, _ = s.settings.Library.weekAt(p, v.Next.Slot+1)
	}
	for _, pack := range s.settings.Library.PlanPacks() {
		v.Packs = append(v.Packs, PackState{Pack: pack, On: p.PackOn(pack.ID)})
	}
	ci, err := s.currentCheckIn(ctx, couple.ID)
	switch {
	case err == nil:
		if q, ok := ci.PathWeek(); ok {
			v.Current = &q
		}
	case ErrorCode(err) != ENOTFOUND:
		return PathView{}, err
	}
	return v, nil
}

// changePath applies a partner's change to the couple's path and stores it.
func (s *GuidedPath) changePath(ctx context.Context, by Actor, change func(*Path, *PathView) error) (PathView, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return PathView{}, err
	}
	p, err := s.stores.Paths.GuidedPath(ctx, couple.ID)
	if err != nil {
		return PathView{}, fmt.Errorf("load path of couple %d: %w", couple.ID, err)
	}
	before, err := s.pathView(ctx, couple, p)
	if err != nil {
		return PathView{}, err
	}
	p = p.clone()
	p.CoupleID = couple.ID
	if err := change(&p, &before); err != nil {
		return PathView{}, err
	}
	p.ChangedBy, p.ChangedAt = by.UserID, s.clock.Now()
	if err := s.stores.Paths.SavePath(ctx, &p); err != nil {
		if ErrorCode(err) == ECONFLICT {
			return PathView{}, Errorf(ECONFLICT, "Your path changed at this very moment, by your partner or a check-in opening. Nothing was changed; `/path show` shows where you are now.")
		}
		return PathView{}, fmt.Errorf("save path of couple %d: %w", couple.ID, err)
	}
	return s.pathView(ctx, couple, p)
}

// SkipTheme moves the couple past the theme their next check-in would have
// brought. A check-in already open keeps its question.
func (s *GuidedPath) SkipTheme(ctx context.Context, by Actor) (skipped Week, v PathView, err error) {
	v, err = s.changePath(ctx, by, func(p *Path, before *PathView) error {
		switch {
		case p.Off:
			return Errorf(ECONFLICT, "The question of the week is off, so there is no theme to skip. `/path on` turns it back on.")
		case !before.HasNext:
			return Errorf(ECONFLICT, "No pack of your path is on, so there is no theme to skip. `/path packs` turns packs on.")
		}
		skipped = before.Next
		p.Slot = before.Next.Slot + 1
		return nil
	})
	return skipped, v, err
}

// SetPacks turns on the given packs of the plan at once and proposes the
// others off: turning a pack off for both is a proposal the other partner
// accepts or declines with AnswerPacksOff. It reports the packs turned on
// and those proposed off; a new proposal replaces one still waiting.
func (s *GuidedPath) SetPacks(ctx context.Context, by Actor, coupleID int64, on []string) (v PathView, turnedOn, turnedOff []Pack, err error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return PathView{}, nil, nil, err
	}
	if err := belongsTo(couple, coupleID, "menu"); err != nil {
		return PathView{}, nil, nil, err
	}
	v, err = s.changePath(ctx, by, func(p *Path, before *PathView) error {
		want := map[string]bool{}
		for _, id := range on {
			if _, ok := s.settings.Library.Pack(id); !ok || !slices.ContainsFunc(before.Packs, func(ps PackState) bool { return ps.Pack.ID == id }) {
				return Errorf(EINVALID, "Your path has no pack %q. Nothing was changed.", id)
			}
			want[id] = true
		}
		if len(want) == 0 {
			return Errorf(EINVALID, "At least one pack stays on. To pause the question of the week, use `/path off`. Nothing was changed.")
		}
		var off []string
		for _, id := range p.PacksOff {
			if !slices.ContainsFunc(before.Packs, func(ps PackState) bool { return ps.Pack.ID == id }) {
				off = append(off, id) // not offered now; kept as the couple chose
			}
		}
		for _, ps := range before.Packs {
			switch {
			case want[ps.Pack.ID] && !ps.On:
				turnedOn = append(turnedOn, ps.Pack)
			case !want[ps.Pack.ID] && ps.On:
				turnedOff = append(turnedOff, ps.Pack)
			}
			if !want[ps.Pack.ID] {
				off = append(off, ps.Pack.ID)
			}
		}
		if len(turnedOn)+len(turnedOff) == 0 {
			return Errorf(ECONFLICT, "Those are the packs that were on already; nothing was changed.")
		}
		// Only the packs turned on change now; the others stay as they were
		// until the other partner answers.
		for _, pk := range turnedOff {
			off = slices.DeleteFunc(off, func(id string) bool { return id == pk.ID })
		}
		p.PacksOff = off
		p.ProposedOff, p.ProposedBy = nil, ""
		for _, pk := range turnedOff {
			p.ProposedOff = append(p.ProposedOff, pk.ID)
			p.ProposedBy = by.UserID
		}
		return nil
	})
	return v, turnedOn, turnedOff, err
}

// AnswerPacksOff is the other partner's answer to a proposal to turn packs
// off: accepted, they are off for both; declined, they stay on. Either way
// the proposal ends. key is the ProposalKey of the proposal answered: an
// answer to one that was replaced since is refused. It returns the packs that
// were proposed.
func (s *GuidedPath) AnswerPacksOff(ctx context.Context, by Actor, coupleID int64, key string, accept bool) (v PathView, proposed []Pack, err error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return PathView{}, nil, err
	}
	if err := belongsTo(couple, coupleID, "button"); err != nil {
		return PathView{}, nil, err
	}
	v, err = s.changePath(ctx, by, func(p *Path, before *PathView) error {
		switch {
		case len(p.ProposedOff) == 0:
			return Errorf(ECONFLICT, "No change of packs is waiting for an answer; `/path show` shows which packs are on.")
		case p.ProposalKey() != key:
			return Errorf(ECONFLICT, "This proposal was replaced by a newer one, further down in your channel; nothing was changed.")
		case p.ProposedBy == by.UserID:
			return Errorf(EUNAUTHORIZED, "This is for %s to answer: turning packs off for both of you needs their yes.", couple.Other(by.UserID).Name)
		}
		for _, id := range p.ProposedOff {
			if pack, ok := s.settings.Library.Pack(id); ok {
				proposed = append(proposed, pack)
			}
		}
		if accept {
			for _, id := range p.ProposedOff {
				if p.PackOn(id) {
					p.PacksOff = append(p.PacksOff, id)
				}
			}
			if !slices.ContainsFunc(before.Packs, func(ps PackState) bool { return p.PackOn(ps.Pack.ID) }) {
				return Errorf(ECONFLICT, "That would turn every pack off, and at least one stays on. To pause the question of the week, use `/path off`. Nothing was changed.")
			}
		}
		p.ProposedOff, p.ProposedBy = nil, ""
		return nil
	})
	return v, proposed, err
}

// SetQuestionOfTheWeek turns the question of the week on or off. Off, a
// check-in brings only its template's own prompts; the place on the path is
// kept for when it comes back on.
func (s *GuidedPath) SetQuestionOfTheWeek(ctx context.Context, by Actor, on bool) (PathView, error) {
	return s.changePath(ctx, by, func(p *Path, _ *PathView) error {
		if p.Off == !on {
			return Errorf(ECONFLICT, "The question of the week is already %s; nothing was changed.", onOff(on))
		}
		p.Off = !on
		return nil
	})
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}
