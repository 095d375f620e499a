package bot

import (
	"errors"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Discord's codes for a direct message it will not deliver: the user
// accepts none from this bot, or shares no server with it any more.
const (
	codeCannotMessageUser = 50007
	codeNoMutualGuild     = 50278
)

// closedDMsFor is how long a partner whose direct messages Discord refused
// gets reminders in the channel without a new try. Discord counts every
// refused request toward banning the bot's address, so a refusal is not
// tried again at each reminder or retry; a day lets a partner who opens
// their direct messages get them again.
const closedDMsFor = 24 * time.Hour

// closedDMs remembers the partners whose direct messages Discord refused.
type closedDMs struct {
	mu    sync.Mutex
	until map[string]time.Time
}

// closed reports whether userID's direct messages were refused less than
// closedDMsFor before now.
func (c *closedDMs) closed(userID string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	until, ok := c.until[userID]
	if ok && !now.Before(until) {
		delete(c.until, userID)
		return false
	}
	return ok
}

// refused marks userID's direct messages closed from now, when err is
// Discord refusing them; it reports whether it was.
func (c *closedDMs) refused(userID string, err error, now time.Time) bool {
	var rest *discordgo.RESTError
	if !errors.As(err, &rest) || rest.Message == nil {
		return false
	}
	if code := rest.Message.Code; code != codeCannotMessageUser && code != codeNoMutualGuild {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.until == nil {
		c.until = map[string]time.Time{}
	}
	c.until[userID] = now.Add(closedDMsFor)
	return true
}
