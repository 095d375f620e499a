package main

import (
	"fmt"
	"runtime/debug"
	"slices"
	"testing"
)

// TestTheWebsocketLibraryIsNotTheOneDiscordgoPins: discordgo asks for
// gorilla/websocket v1.4.2, which an advisory about the randomness of frame
// masks lists as affected; go.mod requires v1.5.3, which it lists as fixed.
func TestTheWebsocketLibraryIsNotTheOneDiscordgoPins(t *testing.T) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("this test binary carries no module information")
	}
	for _, dep := range info.Deps {
		if dep.Replace != nil {
			dep = dep.Replace
		}
		if dep.Path != "github.com/gorilla/websocket" {
			continue
		}
		var major, minor, patch int
		if _, err := fmt.Sscanf(dep.Version, "v%d.%d.%d", &major, &minor, &patch); err != nil {
			t.Fatalf("cannot read the version %q: %v", dep.Version, err)
		}
		if slices.Compare([]int{major, minor, patch}, []int{1, 5, 3}) < 0 {
			t.Errorf("gorilla/websocket %s is linked, want v1.5.3 or newer", dep.Version)
		}
		return
	}
	t.Fatal("gorilla/websocket is not linked; the test no longer says anything")
}

// TestNoLinkedModuleIsOlderThanItsAdvisoryFix: govulncheck lists advisories
// against golang.org/x/image before v0.48.0 and golang.org/x/crypto before
// v0.59.0. Mend's code reaches neither, but an operator's scanner does not
// know that, so go.mod requires the fixed versions.
func TestNoLinkedModuleIsOlderThanItsAdvisoryFix(t *testing.T) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("this test binary carries no module information")
	}
	floors := map[string][]int{
		"github.com/gorilla/websocket": {1, 5, 3},
		"golang.org/x/image":           {0, 48, 0},
		"golang.org/x/crypto":          {0, 59, 0},
	}
	seen := map[string]bool{}
	for _, dep := range info.Deps {
		if dep.Replace != nil {
			dep = dep.Replace
		}
		floor, ok := floors[dep.Path]
		if !ok {
			continue
		}
		seen[dep.Path] = true
		var major, minor, patch int
		if _, err := fmt.Sscanf(dep.Version, "v%d.%d.%d", &major, &minor, &patch); err != nil {
			t.Fatalf("cannot read the version %q of %s: %v", dep.Version, dep.Path, err)
		}
		if slices.Compare([]int{major, minor, patch}, floor) < 0 {
			t.Errorf("%s %s is linked, want v%d.%d.%d or newer", dep.Path, dep.Version, floor[0], floor[1], floor[2])
		}
	}
	for path := range floors {
		if !seen[path] {
			t.Errorf("%s is not linked; this test no longer says anything about it", path)
		}
	}
}
