package conversations

import (
	"errors"
	"fmt"
)

// Error codes say what kind of failure happened, so that an adapter can pick its
// medium (an ephemeral reply, a line on stderr) without parsing messages.
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EUNAUTHORIZED = "unauthorized"
)

// Error is a failure whose Message is safe to show to the person who caused it.
// Anything that is not an *Error is internal and is shown only as a generic apology.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("mend error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with a user-facing message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any
// other error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns a message that can be shown to a partner. Internal errors
// are not described, because they may contain SQL, file paths or answer text.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on Mend's side. Nothing you already answered is lost; please try again in a moment."
}
