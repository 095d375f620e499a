package bot

import (
	"strings"
	"testing"
)

func TestCustomIDRoundTrip(t *testing.T) {
	ids := []customID{
		{Action: actStart, ID: 42},
		{Action: actScale, ID: 7, Prompt: "trust", Number: 5},
		{Action: actVerdict, ID: 9223372036854775807, Prompt: "commitment-review", Subject: 9223372036854775807, Verdict: "not_this_week"},
		{Action: actSkip, ID: 3, Prompt: "hurt", Subject: 0},
		{Action: actHear, ID: 3, Prompt: "hurt", Number: 1},
		{Action: actThank, ID: 3, Prompt: "responsibility", Number: 0},
		{Action: actTalk, ID: 3, Prompt: "commitment-review", Subject: 9223372036854775807},
		{Action: actAccept, ID: 12},
		{Action: actConfirm, ID: 12, Message: 1234567890123456789},
		{Action: actConfirm, ID: 12, Message: 0},
		{Action: actWithdraw, ID: 12, Message: 9223372036854775807},
		{Action: actNotNow, ID: 12},
	}
	for _, want := range ids {
		s := want.String()
		if len(s) > maxCustomIDLength {
			t.Errorf("%q is longer than Discord allows", s)
		}
		got, err := parseCustomID(s)
		if err != nil || got != want {
			t.Errorf("parseCustomID(%q) = %+v, %v; want %+v", s, got, err, want)
		}
	}
}

func TestCustomIDRejectsForgeries(t *testing.T) {
	bad := []string{
		"", "ci.start", "ci.start:", "ci.start:0", "ci.start:-1", "ci.start:+1", "ci.start:01", "ci.start:1:2",
		"ci.start:99999999999999999999", "ci.launch:1", "ci.scale:1:Trust:3", "ci.scale:1:trust", "ci.scale:1:trust:100",
		"ci.verdict:1:x:1:maybe", "ci.verdict:1:x:1:missed", "ci.verdict:1:x:-1:kept", "couple.accept:1 ", "ci.start:1\n",
		"ci.skip:1:" + strings.Repeat("a", 33) + ":0", "ci.start:" + strings.Repeat("1", 200),
		// Leave and forget offer two buttons, 0 and 1; nothing else is theirs.
		"couple.forget:1:2", "couple.forget:1:99", "couple.leave:1:2", "couple.remake:0", "ci.repost:1:1",
		"ci.talk:1:commitment-review", "ci.talk:1:commitment-review:-1", "ci.thank:1:responsibility",
		// The message an invitation's buttons name is one canonical number.
		"couple.confirm:1", "couple.confirm:1:-1", "couple.confirm:1:01", "couple.confirm:1:x", "couple.withdraw:1:",
		"couple.notnow:1:5", "couple.confirm:0:5",
	}
	for _, s := range bad {
		if c, err := parseCustomID(s); err == nil {
			t.Errorf("parseCustomID(%q) accepted %+v", s, c)
		}
	}
}

func FuzzParseCustomID(f *testing.F) {
	for _, s := range []string{"ci.start:1", "ci.verdict:12:commitment-review:4:kept", "ci.hear:3:hurt:1", "couple.leave:9", "x:y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parseCustomID(s)
		if err != nil {
			return
		}
		// Whatever is accepted has exactly one spelling, so two different
		// strings can never name the same action on the same thing.
		if c.String() != s {
			t.Fatalf("parseCustomID(%q) = %+v, which prints as %q", s, c, c.String())
		}
	})
}

// TestEveryActionDeclaresWhereItComesBackAndWhatHandlesIt: the one table is
// complete, so the router never meets an action without a type or handler.
func TestEveryActionDeclaresWhereItComesBackAndWhatHandlesIt(t *testing.T) {
	for name, act := range actions {
		if act.handle == nil {
			t.Errorf("%s has no handler", name)
		}
		if act.accepts != onComponent && act.accepts != onModal {
			t.Errorf("%s accepts interaction type %v", name, act.accepts)
		}
		if len(act.args) == 0 || act.args[0] != argID {
			t.Errorf("%s does not start with the ID it acts on", name)
		}
	}
	for _, modal := range []string{actTextModal, actNoteModal} {
		if actions[modal].accepts != onModal {
			t.Errorf("%s is a modal but accepts %v", modal, actions[modal].accepts)
		}
	}
}
