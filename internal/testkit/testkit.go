// Package testkit holds the few helpers that tests of several Mend packages
// share: a log they read while Mend writes to it, a wait on a condition, and
// checks on text. It is a package of its own, not part of the fake Discord,
// because the console's and the ops tests use it too and know nothing of
// Discord.
package testkit

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// Patience bounds every wait for a condition, so that a test that would
// hang fails instead. Tests wait for the condition, not for this: it is long
// enough for a machine with a CPU hog on every core.
const Patience = time.Minute

// WaitUntil polls cond until it holds, for what happens after the call a
// test made has returned (a post, a log line, a server that answers). It
// fails the test after Patience.
func WaitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(Patience)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// MustContain reports every one of wants that got, described by what, lacks.
func MustContain(t testing.TB, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s does not contain %q:\n%s", what, w, got)
		}
	}
}

// MustHaveLines stops the test unless got, described by what, holds each
// of lines as a whole line, in this order; other lines may come between.
func MustHaveLines(t testing.TB, what, got string, lines ...string) {
	t.Helper()
	rest := strings.Split(got, "\n")
	for _, want := range lines {
		i := slices.Index(rest, want)
		if i < 0 {
			t.Fatalf("%s: no line %q (in this order) in:\n%s", what, want, got)
		}
		rest = rest[i+1:]
	}
}

// Lines joins ls into the text a person types: one line each, each ended.
func Lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }
