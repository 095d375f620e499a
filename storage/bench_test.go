package storage_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
				if err := db.Answers.SaveAnswer(ctx, a, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAnswerWriteSideBySide writes the same answer to a plain and an
// encrypted database in turn, in the same loop, and reports the time of each
// and their ratio. Run one after the other, as BenchmarkAnswerWrite's two
// halves are, the two meet a disk in different moods on a shared machine;
// side by side, each write of one has a write of the other for company. The
// target: encrypted-per-plain at most 1.2.
func BenchmarkAnswerWriteSideBySide(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	plain := MustOpenDBAt(b, filepath.Join(dir, "plain.db"))
	defer MustCloseDB(b, plain)
	sealed := MustOpenDBAt(b, filepath.Join(dir, "sealed.db"), storage.WithKeys(mustKeyring(b, storage.GenerateKey())))
	defer MustCloseDB(b, sealed)
	type target struct {
		db      *storage.DB
		answer  conversations.Answer
		elapsed time.Duration
	}
	text := strings.Repeat("I felt alone when the plans changed again. ", 12)
	var targets [2]*target
	for i, db := range []*storage.DB{plain, sealed} {
		c := mustCreateCouple(b, db, "g1", "alice", "bob")
		ci := mustOpenCheckIn(b, db, c, t0)
		targets[i] = &target{db: db, answer: conversations.Answer{CheckInID: ci.ID, UserID: "alice", PromptID: "hurt", Text: text, Note: "late on thursday", AnsweredAt: t0}}
	}
	p := inProgress("alice", t0)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		// Which goes first alternates, so neither always follows the other.
		for j := range targets {
			tg := targets[(i+j)%2]
			tg.answer.SubjectID = int64(i)
			start := time.Now()
			if err := tg.db.Answers.SaveAnswer(ctx, tg.answer, p); err != nil {
				b.Fatal(err)
			}
			tg.elapsed += time.Since(start)
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(targets[0].elapsed.Nanoseconds())/n, "plain-ns/write")
	b.ReportMetric(float64(targets[1].elapsed.Nanoseconds())/n, "encrypted-ns/write")
	ratio := targets[1].elapsed.Seconds() / targets[0].elapsed.Seconds()
	b.ReportMetric(ratio, "encrypted/plain")
	if ratio > 1.2 {
		b.Errorf("an encrypted write took %.2f times a plain one; the target is at most 1.2", ratio)
	}
}
