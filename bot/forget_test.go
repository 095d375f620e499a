package bot

import (
	"testing"

	"mend/conversations"
)

// "Mend keeps nothing of you two" is said only when the copy on disk is
// wiped too; otherwise the partner is told it follows.
func TestRenderForgetDoneSaysWhetherTheDiskCopyIsWiped(t *testing.T) {
	rows := map[string]int{"couples": 1, "partners": 2, "checkins": 3, "answers": 14, "commitments": 2, "schedules": 1}
	for _, c := range []struct {
		name  string
		wiped bool
	}{
		{"forget_done_wiped", true},
		{"forget_done_pending", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			golden(t, c.name, forgetDone(conversations.Forgotten{Rows: rows, Wiped: c.wiped}, false).responseData())
		})
	}
}
