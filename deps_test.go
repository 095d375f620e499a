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
