package storage

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mend/conversations"
)

// BenchmarkSealAndOpen is what encryption adds to writing and reading one
// answer's text, without the disk: BenchmarkAnswerWrite is dominated by the
// synced commit, this is the part encryption owns.
func BenchmarkSealAndOpen(b *testing.B) {
	kr := newKeyring(b)
	text := strings.Repeat("I felt alone when the plans changed again. ", 12)
	key := keyOf(int64(1), int64(2), "alice", "hurt", int64(0))
	for b.Loop() {
		sealed := kr.seal(answerText, key, text)
		if _, err := kr.open(answerText, key, sealed); err != nil {
			b.Fatal(err)
		}
	}
}

// sealColumnOnly seals s the way format 1 did: bound to the column only.
func sealColumnOnly(kr *Keyring, column, s string) []byte {
	out := make([]byte, headerSize)
	out[0] = sealFormatColumn
	copy(out[1:], kr.current.id[:])
	return kr.current.aead.Seal(out, nil, []byte(s), append(out[:headerSize:headerSize], column...))
}

// Values sealed by an earlier Mend (format 1, bound to their column only)
// are resealed bound to their row at the next start; afterwards a format 1
// value, copied in from an old backup say, is refused.
func TestOlderValuesAreResealedAtStartAndThenRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "mend.db")
	kr := newKeyring(t)
	db, err := Open(ctx, path, WithKeys(kr))
	if err != nil {
		t.Fatal(err)
	}
	c := conversations.Couple{GuildID: "g1", Status: conversations.CoupleActive, TimeZone: "UTC", CreatedAt: time.Unix(0, 0),
		Partners: [2]conversations.Partner{{UserID: "alice"}, {UserID: "bob"}}}
	if err := db.Couples.CreateCouple(ctx, &c); err != nil {
		t.Fatal(err)
	}
	a := conversations.Agreement{CoupleID: c.ID, Text: "we say when we are late", CreatedBy: "alice", Status: conversations.AgreementActive, CreatedAt: time.Unix(0, 0)}
	if err := db.Agreements.AddAgreement(ctx, &a); err != nil {
		t.Fatal(err)
	}
	db.Close()
	old := sealColumnOnly(kr, agreementText, a.Text)
	// As Mend before format 2 left it, and as migration 13 marks it.
	putAround(t, path, old, `UPDATE encryption SET plaintext_left = 1`)

	db, err = Open(ctx, path, WithKeys(kr))
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Agreements.Agreements(ctx, c.ID)
	var n int
	if err := db.reader.QueryRow(`SELECT COUNT(*) FROM agreements WHERE substr(text, 1, 1) = x'02'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err != nil || len(got) != 1 || got[0].Text != a.Text {
		t.Fatalf("agreements after the start: %+v, %v", got, err)
	}
	if n != 1 {
		t.Errorf("%d agreements in format 2 after the start, want 1", n)
	}

	putAround(t, path, old)
	db, err = Open(ctx, path, WithKeys(kr))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.Agreements.Agreements(ctx, c.ID)
	if err == nil || !strings.Contains(err.Error(), "older format") {
		t.Fatalf("a format 1 value after resealing: %v, want it refused", err)
	}
}

// putAround writes value into agreement 1 the way another program could,
// around the trigger, then runs more.
func putAround(t *testing.T, path string, value []byte, more ...string) {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var trigger string
	if err := raw.QueryRow(`SELECT sql FROM sqlite_master WHERE name = 'agreements_sealed_on_update'`).Scan(&trigger); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DROP TRIGGER agreements_sealed_on_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE agreements SET text = ? WHERE id = 1`, value); err != nil {
		t.Fatal(err)
	}
	for _, s := range append(more, trigger) {
		if _, err := raw.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
}

// newKeyring is a keyring of one new key.
func newKeyring(tb testing.TB) *Keyring {
	tb.Helper()
	k, err := ParseKey(GenerateKey())
	if err != nil {
		tb.Fatal(err)
	}
	kr, err := NewKeyring(k)
	if err != nil {
		tb.Fatal(err)
	}
	return kr
}
