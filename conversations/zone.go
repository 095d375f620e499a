package conversations

import (
	"sync"
	"time"
)

// zones caches loaded time zones: time.LoadLocation reads and parses the zone
// data on every call, and the scheduler asks for the same few zones for
// thousands of couples.
var zones sync.Map // name → *time.Location

func loadLocation(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}
