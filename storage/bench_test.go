package storage_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"mend/conversations"
	"mend/storage"
)

// BenchmarkAnswerWrite saves answers as a partner does, with a text and a
// note, on a plain and on an encrypted store: encryption may cost at most
// 1.2 times the plain time. Run both in one go, so the machine is the same:
//
//	go test ./storage -run XXX -bench AnswerWrite -count 6
func BenchmarkAnswerWrite(b *testing.B) {
	for _, bc := range []struct {
		name string
		keys func(testing.TB) *storage.Keyring
	}{
		{"plain", func(testing.TB) *storage.Keyring { return nil }},
		{"encrypted", func(tb testing.TB) *storage.Keyring { return mustKeyring(tb, storage.GenerateKey()) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			db := MustOpenDBAt(b, filepath.Join(b.TempDir(), "mend.db"), storage.WithKeys(bc.keys(b)))
			defer MustCloseDB(b, db)
			c := mustCreateCouple(b, db, "g1", "alice", "bob")
			ci := mustOpenCheckIn(b, db, c, t0)
			// About what a partner writes to a question about a hurt.
			text := strings.Repeat("I felt alone when the plans changed again. ", 12)
			a := conversations.Answer{CheckInID: ci.ID, UserID: "alice", PromptID: "hurt", Text: text, Note: "late on thursday", AnsweredAt: t0}
			p := inProgress("alice", t0)
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				// A new step each time: a row inserted, as in a check-in.
				a.SubjectID = int64(i)
				if err := db.SaveAnswer(ctx, a, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
