package bot

import (
	"errors"
	"log/slog"

	"mend/conversations"
)

// errPanicked is what a person is told when the handler of their interaction
// panicked: an internal error, shown as the generic apology.
var errPanicked = errors.New("handler panicked")

// logPanic records a recovered panic with its stack (see
// conversations.Recovered for why the value is mostly left out).
func logPanic(log *slog.Logger, where string, p any, attrs ...any) {
	logPanicError(log, where, conversations.Recovered(p), attrs...)
}

func logPanicError(log *slog.Logger, where string, pe *conversations.PanicError, attrs ...any) {
	attrs = append(attrs, "panic", pe.Value, "stack", string(pe.Stack))
	log.Error(where+" panicked; Mend goes on", attrs...)
}

// safely runs fn and recovers a panic in it, so that one bad post or one bad
// round of a loop never stops the process. It reports whether fn returned
// normally.
func safely(log *slog.Logger, where string, fn func(), attrs ...any) (ok bool) {
	defer func() {
		if p := recover(); p != nil {
			logPanic(log, where, p, attrs...)
			ok = false
		}
	}()
	fn()
	return true
}
