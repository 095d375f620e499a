package conversations

// SendFailure is how a post's send failed, as the adapter classifies it.
type SendFailure int

const (
	// FailPassing may pass with time: a network error, a 5xx, a 429, a
	// permission removed (403).
	FailPassing SendFailure = iota
	// FailRefused cannot succeed as it is (Discord refused the message, 400).
	FailRefused
	// FailChannelGone: the couple's channel no longer exists.
	FailChannelGone
)
