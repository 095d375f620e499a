package conversations

import "time"

// SendFailure is how a post's send failed, as the adapter classifies it.
type SendFailure int

const (
	// FailPassing may pass with time: a network error, a 5xx, a 429.
	FailPassing SendFailure = iota
	// FailRefused cannot succeed as it is (Discord refused the message, 400).
	FailRefused
	// FailChannelGone: the couple's channel no longer exists.
	FailChannelGone
	// FailForbidden may pass too (an admin took a permission away for a
	// while), but Discord counts each 403 toward banning the bot's address:
	// it is retried at most three times an hour (see ForbiddenRetry).
	FailForbidden
)

// ForbiddenRetry is the least a post waits after a 403 before its next
// attempt; jitter adds up to 10 minutes more, so a post is tried at most
// three times an hour while the permission is missing.
const ForbiddenRetry = 15 * time.Minute
