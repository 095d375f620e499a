package conversations

import "time"

// BoundaryStatus says whether a boundary still stands.
type BoundaryStatus string

const (
	BoundaryActive BoundaryStatus = "active"
	BoundaryEnded  BoundaryStatus = "ended"
)

// Boundary is what one partner states for themselves ("I need a day's
// notice before plans with your family"). Unlike an agreement it needs
// nobody's yes: the other partner is told it as information, and only its
// owner changes or ends it. It asks nothing of anyone's phone or
// whereabouts; it says what its owner needs.
type Boundary struct {
	ID        int64
	CoupleID  int64
	OwnerID   string
	Text      string
	Status    BoundaryStatus
	CreatedAt time.Time
	// ChangedAt is when its owner last reworded it; zero if never.
	ChangedAt time.Time
	EndedAt   time.Time
}

// MaxBoundaryLength keeps a boundary short enough to read at a glance.
const MaxBoundaryLength = 300
