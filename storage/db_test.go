package storage_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mend/conversations"
	"mend/storage"
)

// MustOpenDB opens a fresh database in a temporary directory.
func MustOpenDB(tb testing.TB) *storage.DB {
	tb.Helper()
	return MustOpenDBAt(tb, filepath.Join(tb.TempDir(), "mend.db"))
}

// MustOpenDBAt opens the database at path.
func MustOpenDBAt(tb testing.TB, path string, opts ...storage.Option) *storage.DB {
	tb.Helper()
	db, err := storage.Open(context.Background(), path, opts...)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	return db
}

// MustCloseDB closes db.
func MustCloseDB(tb testing.TB, db *storage.DB) {
	tb.Helper()
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
}

// mustRawDB opens path without Mend's storage layer, to look at or damage the
// file the way another tool could.
func mustRawDB(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on")
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

func userVersion(tb testing.TB, path string) int {
	tb.Helper()
	raw := mustRawDB(tb, path)
	defer raw.Close()
	var v int
	if err := raw.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		tb.Fatal(err)
	}
	return v
}

func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := conversations.ErrorCode(err); got != code {
		tb.Fatalf("error code = %q, want %q (error: %v)", got, code, err)
	}
}

func TestOpenMigratesFreshDatabase(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mend.db")
	MustCloseDB(t, MustOpenDBAt(t, path))

	if got, want := userVersion(t, path), storage.KnownSchemaVersion(t); got != want || want < 1 {
		t.Fatalf("user_version = %d, want %d (at least 1)", got, want)
	}
	raw := mustRawDB(t, path)
	defer raw.Close()
	var mode string
	if err := raw.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
	for _, table := range []string{"couples", "partners", "checkins", "checkin_participants", "checkin_subjects", "answers", "acknowledgements", "commitments", "agreements"} {
		var n int
		if err := raw.QueryRow("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("table %s missing", table)
		}
	}
}

func TestOpenKeepsExistingDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "mend.db")
	db := MustOpenDBAt(t, path)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	MustCloseDB(t, db)
	version := userVersion(t, path)

	db = MustOpenDBAt(t, path)
	defer MustCloseDB(t, db)
	got, err := db.Couples.Couple(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "couple after reopening", got, c)
	if v := userVersion(t, path); v != version {
		t.Errorf("user_version = %d after reopening, was %d", v, version)
	}
}

func TestOpenRefusesNewerDatabase(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mend.db")
	MustCloseDB(t, MustOpenDBAt(t, path))
	newer := storage.KnownSchemaVersion(t) + 2
	raw := mustRawDB(t, path)
	if _, err := raw.Exec("PRAGMA user_version = " + itoa(newer)); err != nil {
		t.Fatal(err)
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	db, err := storage.Open(context.Background(), path)
	if err == nil {
		db.Close()
		t.Fatal("Open succeeded on a database from a newer Mend")
	}
	for _, want := range []string{
		"schema version " + itoa(newer),
		"only knows up to " + itoa(storage.KnownSchemaVersion(t)),
		"newer Mend",
		"restore a backup",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("Open changed the file of a newer database")
	}
}

func TestOpenAcceptsPathWithURICharacters(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "50% sure?#yes")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "mend.db")
	MustCloseDB(t, MustOpenDBAt(t, path))
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not created where asked: %v", err)
	}
}

func TestForeignKeysAreEnforced(t *testing.T) {
	t.Parallel()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	ci := newCheckIn(404, "alice", "bob", t0, nil)
	err := db.CheckIns.OpenCheckIn(context.Background(), &ci, nil)
	wantCode(t, err, conversations.ENOTFOUND)
}

func TestDeletingCoupleDeletesEverythingOfIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "mend.db")
	db := MustOpenDBAt(t, path)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	other := mustCreateCouple(t, db, "g1", "carol", "dave")
	mustAddCommitment(t, db, c.ID, "alice", "home by 7 pm")
	mustAddAgreement(t, db, c.ID, "we are open about money")
	mustAddCommitment(t, db, other.ID, "carol", "call on Sundays")
	ci := newCheckIn(c.ID, "alice", "bob", t0, []conversations.Subject{{PromptID: "agreement-review", Kind: conversations.SubjectAgreement, ID: 1, Text: "we are open about money"}})
	if err := db.CheckIns.OpenCheckIn(ctx, &ci, nil); err != nil {
		t.Fatal(err)
	}
	mustSaveAnswer(t, db, ci.ID, "alice", "trust", 0, t0.Add(time.Minute))
	mustFinish(t, db, ci.ID, "alice", t0)
	mustFinish(t, db, ci.ID, "bob", t0)
	if _, err := db.CheckIns.RevealCheckIn(ctx, ci.ID, t0.Add(time.Hour), []conversations.Commitment{newCommitment(c.ID, "bob", "cook on Fridays", ci.ID)}, revealPost(ci)); err != nil {
		t.Fatal(err)
	}
	if err := db.Acknowledgements.SaveAcknowledgement(ctx, conversations.Acknowledgement{CheckInID: ci.ID, PromptID: "hurt", AuthorID: "alice", ByUserID: "bob", At: t0.Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	MustCloseDB(t, db)

	raw := mustRawDB(t, path)
	defer raw.Close()
	// The other couple has no check-in, so every check-in row left would be
	// one of the deleted couple's.
	counts := map[string]string{
		"partners":             "SELECT count(*) FROM partners WHERE couple_id = " + itoa(int(c.ID)),
		"checkins":             "SELECT count(*) FROM checkins",
		"checkin_participants": "SELECT count(*) FROM checkin_participants",
		"checkin_subjects":     "SELECT count(*) FROM checkin_subjects",
		"answers":              "SELECT count(*) FROM answers",
		"acknowledgements":     "SELECT count(*) FROM acknowledgements",
		"commitments":          "SELECT count(*) FROM commitments WHERE couple_id = " + itoa(int(c.ID)),
		"agreements":           "SELECT count(*) FROM agreements WHERE couple_id = " + itoa(int(c.ID)),
	}
	count := func(table string) int {
		var n int
		if err := raw.QueryRow(counts[table]).Scan(&n); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		return n
	}
	for table := range counts {
		if count(table) == 0 {
			t.Fatalf("%s: no rows of the couple to begin with", table)
		}
	}
	if _, err := raw.Exec("DELETE FROM couples WHERE id = ?", c.ID); err != nil {
		t.Fatal(err)
	}
	for table := range counts {
		if n := count(table); n != 0 {
			t.Errorf("%s: %d rows left after deleting the couple", table, n)
		}
	}
	var n int
	if err := raw.QueryRow("SELECT count(*) FROM commitments WHERE couple_id = ?", other.ID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("the other couple has %d commitments left, want 1", n)
	}
}

func TestDeletingCheckInKeepsCommitmentsMadeInIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "mend.db")
	db := MustOpenDBAt(t, path)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db, c, t0)
	mustFinish(t, db, ci.ID, "alice", t0)
	mustFinish(t, db, ci.ID, "bob", t0)
	if _, err := db.CheckIns.RevealCheckIn(ctx, ci.ID, t0, []conversations.Commitment{newCommitment(c.ID, "bob", "cook on Fridays", ci.ID)}, revealPost(ci)); err != nil {
		t.Fatal(err)
	}

	raw := mustRawDB(t, path)
	defer raw.Close()
	if _, err := raw.Exec("DELETE FROM checkins WHERE id = ?", ci.ID); err != nil {
		t.Fatal(err)
	}
	open, err := db.Commitments.OpenCommitments(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 1 || open[0].SourceCheckInID != 0 {
		t.Fatalf("commitments after deleting their check-in = %+v, want one with no source", open)
	}
}
