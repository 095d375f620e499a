package bot

import (
	"log/slog"
	"time"

	"github.com/bwmarrin/discordgo"
)

// shared is what every handler group uses beside its aggregates: the
// session for what an interaction's answer does not cover (channels, direct
// messages, edits of older messages), the log and the counters, one lock per
// couple, the clock, and the sender that delivers what a handler queued.
type shared struct {
	session *discordgo.Session
	log     *slog.Logger
	metrics Metrics
	locks   *keyedMutex
	sender  *sender
	now     func() time.Time
	// token is kept out of what is logged.
	token string
}

// redact takes interaction tokens and the bot token out of an error from the
// Discord session.
func (s *shared) redact(err error) error { return redactError(err, s.token) }
