package console

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strings"
)

// MaxLineBytes bounds one line of input. It is far above the limit of any
// answer (a text answer is at most 4000 characters), so a long paste is
// refused by the answer's own rule, with its own message; only a line past
// this bound is refused here, so that piping in a stray file cannot fill the
// memory.
const MaxLineBytes = 1 << 20

// inputLine is one line of input without its line ending, or the news that a
// line was too long to keep.
type inputLine struct {
	text    string
	tooLong bool
}

// readLines delivers input lines on a channel, closed at the end of input, so
// that waiting for a line can be interrupted (Ctrl-C) like anything else. The
// goroutine ends at the end of input or, once ctx is done, with the next line
// read; a read of the process's own standard input cannot be interrupted.
func readLines(ctx context.Context, r io.Reader) <-chan inputLine {
	lines := make(chan inputLine)
	go func() {
		defer close(lines)
		br := bufio.NewReader(r)
		for {
			line, err := readLine(br)
			if err != nil {
				return
			}
			select {
			case lines <- line:
			case <-ctx.Done():
				return
			}
		}
	}()
	return lines
}

// readLine reads one line, keeping no more of it than a line may hold. A read
// error ends the input just as its end does.
func readLine(br *bufio.Reader) (inputLine, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf) <= MaxLineBytes+len("\r\n") {
			buf = append(buf, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && len(buf) == 0 {
			return inputLine{}, err
		}
		text := strings.TrimSuffix(strings.TrimSuffix(string(buf), "\n"), "\r")
		if len(text) > MaxLineBytes {
			return inputLine{tooLong: true}, nil
		}
		return inputLine{text: text}, nil
	}
}
