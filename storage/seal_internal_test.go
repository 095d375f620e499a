package storage

import (
	"strings"
	"testing"
)

// BenchmarkSealAndOpen is what encryption adds to writing and reading one
// answer's text, without the disk: BenchmarkAnswerWrite is dominated by the
// synced commit, this is the part encryption owns.
func BenchmarkSealAndOpen(b *testing.B) {
	k, err := ParseKey(GenerateKey())
	if err != nil {
		b.Fatal(err)
	}
	kr, err := NewKeyring(k)
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat("I felt alone when the plans changed again. ", 12)
	key := keyOf(int64(1), int64(2), "alice", "hurt", int64(0))
	for b.Loop() {
		sealed := kr.seal(answerText, key, text)
		if _, err := kr.open(answerText, key, sealed); err != nil {
			b.Fatal(err)
		}
	}
}
