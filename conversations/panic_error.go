package conversations

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// PanicError is a panic recovered in a background loop, with where it
// happened. Its value is kept only for runtime errors: any other value could
// carry what a partner wrote, and the error is logged.
type PanicError struct {
	Value string
	Stack []byte
}

func (e *PanicError) Error() string { return "panic: " + e.Value }

// Recovered turns a recovered panic value into a *PanicError.
func Recovered(p any) *PanicError {
	value := fmt.Sprintf("%T", p)
	if re, ok := p.(runtime.Error); ok {
		value = re.Error()
	}
	return &PanicError{Value: value, Stack: debug.Stack()}
}
