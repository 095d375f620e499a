package conversations

// Actor is who asks, and from where. Every request a person makes carries
// one, and the domain checks all of it against the couple: one of its two
// partners, in the couple's own guild and channel. The console is a place of
// its own (a guild and channel named for it), so it passes the same check.
type Actor struct {
	UserID    string
	GuildID   string
	ChannelID string
}
