package bot

import (
	"testing"
	"time"

	"mend/conversations"
)

// "Mend keeps nothing of you two" is said only when the copy on disk is
// wiped too; otherwise the partner is told it follows.
func TestRenderForgetDoneSaysWhetherTheDiskCopyIsWiped(t *testing.T) {
	rows := map[string]int{"couples": 1, "partners": 2, "checkins": 3, "answers": 14, "commitments": 2, "schedules": 1}
	for _, c := range []struct {
		name   string
		wiped  bool
		copies time.Duration
	}{
		{"forget_done_wiped", true, 0},
		{"forget_done_pending", false, 0},
		{"forget_done_wiped_backups", true, 7 * 24 * time.Hour},
		{"forget_done_pending_backups", false, 72 * time.Hour},
	} {
		t.Run(c.name, func(t *testing.T) {
			golden(t, c.name, forgetDone(conversations.Forgotten{Rows: rows, Wiped: c.wiped}, false, c.copies).responseData())
		})
	}
}
