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

// BoundaryReviewID is the step in which a partner may look at one of their
// own boundaries during a check-in. It is added to a check-in that reviews
// promises or agreements, once for each boundary standing when it opens, and
// only the boundary's owner is ever asked it.
const BoundaryReviewID = "own-boundary"

// boundaryReview is the optional step for a partner's own boundary. Their
// words, if they write any, are shown in the reveal as theirs; a skipped
// step shows nothing, and the other partner never answers it.
var boundaryReview = Prompt{
	ID: BoundaryReviewID, Kind: KindText, Optional: true, MaxLength: 500,
	Label: "How my boundary is sitting with me",
	Text:  "How this boundary of mine is sitting with me right now:",
	Hint:  "Only you are asked about your own boundaries, and you can skip this. If you write a few words, they are shown in the reveal as yours. If you skip, nothing about it is shown.",
}
