package conversations

import (
	"context"
	"fmt"
)

// Boundaries are the personal boundaries partners state, each their own.
type Boundaries struct{ *core }

// Set states a new boundary of the actor's own, or, with boundaryID, rewords
// one of theirs. Nobody is asked to agree.
func (s *Boundaries) Set(ctx context.Context, by Actor, boundaryID int64, text string) (Boundary, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return Boundary{}, err
	}
	text, err = cleanText(text, MaxBoundaryLength, "boundary")
	if err != nil {
		return Boundary{}, err
	}
	now := s.clock.Now()
	if boundaryID == 0 {
		b := Boundary{CoupleID: couple.ID, OwnerID: by.UserID, Text: text, Status: BoundaryActive, CreatedAt: now}
		if err := s.stores.Boundaries.AddBoundary(ctx, &b); err != nil {
			return Boundary{}, fmt.Errorf("add boundary to couple %d: %w", couple.ID, err)
		}
		return b, nil
	}
	b, err := s.ownActive(ctx, by, couple, boundaryID, "change")
	if err != nil {
		return Boundary{}, err
	}
	b.Text, b.ChangedAt = text, now
	if err := s.stores.Boundaries.UpdateBoundary(ctx, b); err != nil {
		return Boundary{}, fmt.Errorf("change boundary %d: %w", b.ID, err)
	}
	return b, nil
}

// End ends a boundary of the actor's own. It is kept, as something that
// was said, and listed as ended.
func (s *Boundaries) End(ctx context.Context, by Actor, boundaryID int64) (Boundary, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return Boundary{}, err
	}
	b, err := s.ownActive(ctx, by, couple, boundaryID, "end")
	if err != nil {
		return Boundary{}, err
	}
	b.Status, b.EndedAt = BoundaryEnded, s.clock.Now()
	if err := s.stores.Boundaries.UpdateBoundary(ctx, b); err != nil {
		return Boundary{}, fmt.Errorf("end boundary %d: %w", b.ID, err)
	}
	return b, nil
}

// List returns the couple's boundaries, both partners', those that stand
// first, oldest first within each.
func (s *Boundaries) List(ctx context.Context, by Actor) ([]Boundary, error) {
	couple, err := s.coupleHere(ctx, by)
	if err != nil {
		return nil, err
	}
	all, err := s.stores.Boundaries.Boundaries(ctx, couple.ID)
	if err != nil {
		return nil, fmt.Errorf("list boundaries of couple %d: %w", couple.ID, err)
	}
	var active, ended []Boundary
	for _, b := range all {
		if b.Status == BoundaryActive {
			active = append(active, b)
		} else {
			ended = append(ended, b)
		}
	}
	return append(active, ended...), nil
}

// ownActive returns the actor's own boundary that still stands, or a kind
// refusal: a partner's boundary is theirs alone to change or end.
func (s *Boundaries) ownActive(ctx context.Context, by Actor, couple Couple, boundaryID int64, verb string) (Boundary, error) {
	all, err := s.stores.Boundaries.Boundaries(ctx, couple.ID)
	if err != nil {
		return Boundary{}, fmt.Errorf("list boundaries of couple %d: %w", couple.ID, err)
	}
	for _, b := range all {
		if b.ID != boundaryID {
			continue
		}
		if b.OwnerID != by.UserID {
			return Boundary{}, Errorf(EUNAUTHORIZED, "This boundary is %s's own, so only they can %s it. If it is hard for you, that is worth talking about together.", couple.NameOf(b.OwnerID), verb)
		}
		if b.Status != BoundaryActive {
			return Boundary{}, Errorf(ECONFLICT, "You ended this boundary already. `/boundary set` states a new one.")
		}
		return b, nil
	}
	return Boundary{}, Errorf(ENOTFOUND, "There is no boundary #%d of yours; `/boundary list` shows them.", boundaryID)
}
