package console

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// openTerminal opens a pseudo-terminal of cols columns and returns the end a
// program writes to, as a terminal would give it.
func openTerminal(t *testing.T, cols int) *os.File {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	if err := unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(master.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlSetWinsize(int(master.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Col: uint16(cols), Row: 24}); err != nil {
		t.Fatal(err)
	}
	tty, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tty.Close() })
	return tty
}

// TestTheWidthFollowsTheTerminal: at a terminal narrower than 80 columns the
// console wraps at its width, so the terminal never breaks a word; $COLUMNS
// is for output that is not a terminal.
func TestTheWidthFollowsTheTerminal(t *testing.T) {
	t.Setenv("COLUMNS", "120")
	tty := openTerminal(t, 52)
	if got := terminalWidth(tty); got != 52 {
		t.Errorf("width at a 52-column terminal = %d, want 52", got)
	}
	if got := terminalWidth(&strings.Builder{}); got != 120 {
		t.Errorf("width of a pipe with COLUMNS=120 = %d, want 120", got)
	}
	t.Setenv("COLUMNS", "")
	if got := terminalWidth(&strings.Builder{}); got != 80 {
		t.Errorf("width of a pipe = %d, want 80", got)
	}

	text := "Everything you write is kept in the file mend.db on this computer, and anyone who can read that file can read all of it."
	var out strings.Builder
	writeWrapped(&out, text, "  ", terminalWidth(tty))
	want := "  Everything you write is kept in the file mend.db\n" +
		"  on this computer, and anyone who can read that\n" +
		"  file can read all of it.\n"
	if out.String() != want {
		t.Errorf("wrapped at the terminal's width:\n%s\nwant:\n%s", out.String(), want)
	}
}
