package storage_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mend/conversations"
	"mend/storage"
)

func mustKey(tb testing.TB, encoded string) *storage.Key {
	tb.Helper()
	k, err := storage.ParseKey(encoded)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

// mustKeyring makes a keyring of the encoded keys, the first the current one.
func mustKeyring(tb testing.TB, current string, old ...string) *storage.Keyring {
	tb.Helper()
	var olds []*storage.Key
	for _, o := range old {
		olds = append(olds, mustKey(tb, o))
	}
	kr, err := storage.NewKeyring(mustKey(tb, current), olds...)
	if err != nil {
		tb.Fatal(err)
	}
	return kr
}

// words is everything a couple of the test wrote, each in one place.
var words = struct{ commitment, agreement, answer, note string }{
	"home by seven on weekdays",
	"we are open about money",
	"the late text worried me",
	"late on thursday",
}

// writeWords stores each of words through the store: a commitment and an
// agreement, a check-in quoting both, and an answer with a note.
func writeWords(tb testing.TB, db *storage.DB) (checkInID int64) {
	tb.Helper()
	ctx := context.Background()
	c := mustCreateCouple(tb, db, "g1", "alice", "bob")
	commitment := mustAddCommitment(tb, db, c.ID, "bob", words.commitment)
	agreement := mustAddAgreement(tb, db, c.ID, words.agreement)
	ci := newCheckIn(c.ID, "alice", "bob", t0, []conversations.Subject{
		{PromptID: "commitments", Kind: conversations.SubjectCommitment, ID: commitment.ID, Text: commitment.Text, OwnerID: "bob"},
		{PromptID: "agreements", Kind: conversations.SubjectAgreement, ID: agreement.ID, Text: agreement.Text},
	})
	if err := db.CheckIns.OpenCheckIn(ctx, &ci, nil); err != nil {
		tb.Fatal(err)
	}
	a := conversations.Answer{CheckInID: ci.ID, UserID: "alice", PromptID: "hurt", Text: words.answer, Note: words.note, AnsweredAt: t0}
	if err := db.Answers.SaveAnswer(ctx, a, inProgress("alice", t0)); err != nil {
		tb.Fatal(err)
	}
	return ci.ID
}

// wantWordsRead reads back every one of words through the store.
func wantWordsRead(tb testing.TB, db *storage.DB, checkInID int64) {
	tb.Helper()
	ctx := context.Background()
	ci, err := db.CheckIns.CheckIn(ctx, checkInID)
	if err != nil {
		tb.Fatal(err)
	}
	if len(ci.Subjects) != 2 || ci.Subjects[0].Text != words.commitment || ci.Subjects[1].Text != words.agreement {
		tb.Errorf("subjects read back = %+v", ci.Subjects)
	}
	answers, err := db.Answers.Answers(ctx, checkInID)
	if err != nil {
		tb.Fatal(err)
	}
	if len(answers) != 1 || answers[0].Text != words.answer || answers[0].Note != words.note {
		tb.Errorf("answers read back = %+v", answers)
	}
	commitments, err := db.Commitments.Commitments(ctx, ci.CoupleID)
	if err != nil {
		tb.Fatal(err)
	}
	if len(commitments) != 1 || commitments[0].Text != words.commitment {
		tb.Errorf("commitments read back = %+v", commitments)
	}
	agreements, err := db.Agreements.Agreements(ctx, ci.CoupleID)
	if err != nil {
		tb.Fatal(err)
	}
	if len(agreements) != 1 || agreements[0].Text != words.agreement {
		tb.Errorf("agreements read back = %+v", agreements)
	}
}

// sealedColumns are the columns that hold what partners wrote or chose.
var sealedColumns = []struct{ table, column string }{
	{"answers", "text"}, {"answers", "note"}, {"answers", "scale"}, {"answers", "choice"}, {"answers", "verdict"},
	{"commitments", "text"}, {"agreements", "text"}, {"boundaries", "text"}, {"checkin_subjects", "text"},
}

// storedTypes counts the values of the sealed columns by SQLite type.
func storedTypes(tb testing.TB, path string) map[string]int {
	tb.Helper()
	raw := mustRawDB(tb, path)
	defer raw.Close()
	out := map[string]int{}
	for _, c := range sealedColumns {
		rows, err := raw.Query(`SELECT typeof(` + c.column + `), COUNT(*) FROM ` + c.table + ` WHERE ` + c.column + ` IS NOT NULL GROUP BY 1`)
		if err != nil {
			tb.Fatal(err)
		}
		for rows.Next() {
			var typ string
			var n int
			if err := rows.Scan(&typ, &n); err != nil {
				tb.Fatal(err)
			}
			out[typ] += n
		}
		rows.Close()
	}
	return out
}

// wantNoWordsOnDisk fails for each of words found in the file or its WAL.
func wantNoWordsOnDisk(tb testing.TB, path string) {
	tb.Helper()
	for _, w := range []string{words.commitment, words.agreement, words.answer, words.note} {
		for _, name := range []string{path, path + "-wal"} {
			data, err := os.ReadFile(name)
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			if err != nil {
				tb.Fatal(err)
			}
			if bytes.Contains(data, []byte(w)) {
				tb.Errorf("%s holds %q in the clear", filepath.Base(name), w)
			}
		}
	}
}

func fileSum(tb testing.TB, path string) [32]byte {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return sha256.Sum256(data)
}

func TestEncryptedWordsReadBackAndAreNotOnDisk(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mend.db")
	keys := mustKeyring(t, storage.GenerateKey())
	db := MustOpenDBAt(t, path, storage.WithKeys(keys))

	id := writeWords(t, db)

	wantWordsRead(t, db, id)
	wantNoWordsOnDisk(t, path)
	MustCloseDB(t, db)
	wantNoWordsOnDisk(t, path)
	if got := storedTypes(t, path); got["text"] != 0 || got["blob"] != 6 {
		t.Errorf("sealed columns hold %v, want 6 blobs and no text", got)
	}
	if enc := db.Encryption(); !enc.On || enc.KeyID != keys.Current() {
		t.Errorf("Encryption() = %+v, want on with key %s", enc, keys.Current())
	}
}

func TestWithoutAKeyWordsAreStoredAsToday(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mend.db")
	db := MustOpenDBAt(t, path)
	defer MustCloseDB(t, db)

	id := writeWords(t, db)

	wantWordsRead(t, db, id)
	if got := storedTypes(t, path); got["blob"] != 0 || got["text"] != 6 {
		t.Errorf("sealed columns hold %v, want 6 texts", got)
	}
	if db.Encryption().On {
		t.Error("Encryption() says on without a key")
	}
}

// encryptedDatabase makes a database with words sealed by a new key, closed,
// and returns its path and the key.
func encryptedDatabase(t *testing.T) (path, key string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "mend.db")
	key = storage.GenerateKey()
	db := MustOpenDBAt(t, path, storage.WithKeys(mustKeyring(t, key)))
	writeWords(t, db)
	MustCloseDB(t, db)
	return path, key
}

func TestAnEncryptedDatabaseWithoutItsKeyIsRefusedAndUnchanged(t *testing.T) {
	t.Parallel()
	path, key := encryptedDatabase(t)
	before := fileSum(t, path)

	_, err := storage.Open(context.Background(), path)

	var kerr *storage.KeyError
	if !errors.As(err, &kerr) || kerr.Given != "" || len(kerr.Missing) != 1 || kerr.Missing[0] != mustKey(t, key).ID() {
		t.Fatalf("open without the key: %v, want a KeyError naming key %s", err, mustKey(t, key).ID())
	}
	if !strings.Contains(err.Error(), "is encrypted") || !strings.Contains(err.Error(), "nothing was changed") {
		t.Errorf("message %q does not say the database is encrypted and unchanged", err)
	}
	if fileSum(t, path) != before {
		t.Error("the refused open changed the file")
	}
}

func TestAnEncryptedDatabaseWithTheWrongKeyIsRefusedAndUnchanged(t *testing.T) {
	t.Parallel()
	path, key := encryptedDatabase(t)
	before := fileSum(t, path)
	wrong := mustKeyring(t, storage.GenerateKey())

	_, err := storage.Open(context.Background(), path, storage.WithKeys(wrong))

	var kerr *storage.KeyError
	if !errors.As(err, &kerr) || kerr.Given != wrong.Current() || len(kerr.Missing) != 1 || kerr.Missing[0] != mustKey(t, key).ID() {
		t.Fatalf("open with the wrong key: %v, want a KeyError naming the key it needs", err)
	}
	if fileSum(t, path) != before {
		t.Error("the refused open changed the file")
	}
}

func TestAKeyThatIsNotOneIsRefusedWithoutRepeatingIt(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"not base64 at all!", "c2hvcnQ=", ""} {
		_, err := storage.ParseKey(bad)
		if err == nil {
			t.Errorf("ParseKey(%q) accepted it", bad)
			continue
		}
		if bad != "" && strings.Contains(err.Error(), bad) {
			t.Errorf("the error %q repeats the key", err)
		}
	}
}

func TestPlainTextIsSealedWhenAKeyIsFirstGiven(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mend.db")
	plain := MustOpenDBAt(t, path)
	id := writeWords(t, plain)
	MustCloseDB(t, plain)
	var seen []storage.Progress

	db := MustOpenDBAt(t, path, storage.WithKeys(mustKeyring(t, storage.GenerateKey())),
		storage.WithProgress(func(p storage.Progress) { seen = append(seen, p) }))
	defer MustCloseDB(t, db)

	wantWordsRead(t, db, id)
	want := map[string]int{"answers": 1, "commitments": 1, "agreements": 1, "checkin_subjects": 2}
	mustEqual(t, "rows sealed at open", db.Encryption().Sealed, want)
	if len(seen) != 4 {
		t.Errorf("progress reported %d times, want once per table: %+v", len(seen), seen)
	}
	if got := storedTypes(t, path); got["text"] != 0 || got["blob"] != 6 {
		t.Errorf("sealed columns hold %v, want 6 blobs", got)
	}
	// The plain pages are gone from the write-ahead log and the free pages.
	wantNoWordsOnDisk(t, path)
}

// Sealing stopped half-way (Mend killed, or stopped) carries on at the next
// start: each batch that committed stays sealed, and nothing is lost.
func TestSealingStoppedHalfWayCarriesOnAtTheNextStart(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mend.db")
	plain := MustOpenDBAt(t, path)
	ids := []int64{writeWords(t, plain)}
	ctx := context.Background()
	for i := 0; i < 4; i++ {
		c := mustCreateCouple(t, plain, "g"+itoa(i+2), "alice", "bob")
		ci := newCheckIn(c.ID, "alice", "bob", t0, nil)
		if err := plain.CheckIns.OpenCheckIn(ctx, &ci, nil); err != nil {
			t.Fatal(err)
		}
		for _, prompt := range []string{"a", "b", "c"} {
			a := conversations.Answer{CheckInID: ci.ID, UserID: "bob", PromptID: prompt, Text: "answer " + prompt, AnsweredAt: t0}
			if err := plain.Answers.SaveAnswer(ctx, a, inProgress("bob", t0)); err != nil {
				t.Fatal(err)
			}
		}
	}
	MustCloseDB(t, plain)
	key := storage.GenerateKey()
	stopped, stop := context.WithCancel(ctx)
	defer stop()

	_, err := storage.Open(stopped, path, storage.WithKeys(mustKeyring(t, key)), storage.WithResealBatch(2),
		storage.WithProgress(func(storage.Progress) { stop() }))

	if !errors.Is(err, context.Canceled) {
		t.Fatalf("open stopped after the first batch: %v, want canceled", err)
	}
	// The first batch is two answers, the first with a note.
	half := storedTypes(t, path)
	if half["blob"] != 3 || half["text"] != 6+12-3 {
		t.Fatalf("after one batch the sealed columns hold %v, want 3 blobs and the rest text", half)
	}

	db := MustOpenDBAt(t, path, storage.WithKeys(mustKeyring(t, key)), storage.WithResealBatch(2))
	defer MustCloseDB(t, db)

	if got := storedTypes(t, path); got["text"] != 0 || got["blob"] != 18 {
		t.Errorf("after the next start the sealed columns hold %v, want 18 blobs", got)
	}
	wantWordsRead(t, db, ids[0])
	if n := db.Encryption().Sealed["answers"]; n != 13-2 {
		t.Errorf("the second start sealed %d answers, want the 11 left", n)
	}
}

func TestRekeyMovesEverythingToTheNewKey(t *testing.T) {
	t.Parallel()
	path, oldKey := encryptedDatabase(t)
	newKey := storage.GenerateKey()
	old, current := mustKey(t, oldKey), mustKey(t, newKey)

	db := MustOpenDBAt(t, path, storage.WithKeys(mustKeyring(t, newKey, oldKey)))
	if got := db.Encryption().OlderKeys; len(got) != 1 || got[0] != old.ID() {
		t.Errorf("older keys before the rekey = %v, want %s", got, old.ID())
	}
	counts, err := db.Rekey(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "rows rekeyed", counts, map[string]int{"answers": 1, "commitments": 1, "agreements": 1, "checkin_subjects": 2})
	MustCloseDB(t, db)

	if _, err := storage.Open(context.Background(), path, storage.WithKeys(mustKeyring(t, oldKey))); err == nil {
		t.Error("the old key alone still opens the database after the rekey")
	}
	db = MustOpenDBAt(t, path, storage.WithKeys(mustKeyring(t, newKey)))
	defer MustCloseDB(t, db)
	checkIns, err := db.CheckIns.CheckIns(context.Background(), 1, 1)
	if err != nil || len(checkIns) != 1 {
		t.Fatalf("check-ins after the rekey: %v, %v", checkIns, err)
	}
	wantWordsRead(t, db, checkIns[0].ID)
	if got := db.Encryption(); got.KeyID != current.ID() || len(got.OlderKeys) != 0 {
		t.Errorf("Encryption() after the rekey = %+v, want key %s alone", got, current.ID())
	}
}

// Until a rekey, the old key opens what it sealed and the new key seals what
// is written: rotating needs no downtime beyond a restart.
func TestANewKeyWithTheOldOneReadsOldValuesAndSealsNewOnes(t *testing.T) {
	t.Parallel()
	path, oldKey := encryptedDatabase(t)
	newKey := storage.GenerateKey()
	db := MustOpenDBAt(t, path, storage.WithKeys(mustKeyring(t, newKey, oldKey)))
	defer MustCloseDB(t, db)

	wantWordsRead(t, db, 1)
	c, err := db.Couples.Couple(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	added := mustAddAgreement(t, db, c.ID, "we say when we are late")

	agreements, err := db.Agreements.Agreements(context.Background(), c.ID)
	if err != nil || len(agreements) != 2 || agreements[1].Text != added.Text {
		t.Fatalf("agreements = %+v, %v", agreements, err)
	}
}

// A value changed on disk, or moved to another column, does not open: the
// tag covers the text, the key id and the column.
func TestATamperedValueDoesNotOpen(t *testing.T) {
	t.Parallel()
	path, key := encryptedDatabase(t)
	raw := mustRawDB(t, path)
	if _, err := raw.Exec(`UPDATE agreements SET text = (SELECT text FROM commitments LIMIT 1)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	db := MustOpenDBAt(t, path, storage.WithKeys(mustKeyring(t, key)))
	defer MustCloseDB(t, db)

	_, err := db.Agreements.Agreements(context.Background(), 1)

	if err == nil || !strings.Contains(err.Error(), "changed") {
		t.Fatalf("reading a value moved from another column: %v, want an error saying it was changed", err)
	}
}

// A Mend that started without the key before another turned encryption on
// cannot go on writing words in the clear.
func TestAStoreWithoutTheKeyCannotWriteOnceEncryptionIsOn(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mend.db")
	plain := MustOpenDBAt(t, path)
	defer MustCloseDB(t, plain)
	c := mustCreateCouple(t, plain, "g1", "alice", "bob")
	MustCloseDB(t, MustOpenDBAt(t, path, storage.WithKeys(mustKeyring(t, storage.GenerateKey()))))

	a := conversations.Agreement{CoupleID: c.ID, Text: "in the clear", CreatedBy: "alice", Status: conversations.AgreementActive, CreatedAt: t0}
	err := plain.Agreements.AddAgreement(context.Background(), &a)

	if err == nil || !strings.Contains(err.Error(), "encrypted") {
		t.Fatalf("a plain write after encryption was turned on: %v, want it refused", err)
	}
}

// The export is for the partners: it holds their words, not sealed bytes,
// exactly as it would without encryption.
func TestTheExportOfAnEncryptedDatabaseIsTheSameAsOfAPlainOne(t *testing.T) {
	t.Parallel()
	plain := newWorld(t)
	encrypted := newWorldWith(t, mustKeyring(t, storage.GenerateKey()))

	want, err := plain.db.Records.ExportCouple(plain.ctx, plain.a.couple.ID, "bob")
	if err != nil {
		t.Fatal(err)
	}
	got, err := encrypted.db.Records.ExportCouple(encrypted.ctx, encrypted.a.couple.ID, "bob")
	if err != nil {
		t.Fatal(err)
	}

	mustEqual(t, "export of the encrypted world", got, want)
}

// The domain service, on an encrypted store, runs a check-in to its reveal
// the same way.
func TestServiceRunsOnAnEncryptedStore(t *testing.T) {
	t.Parallel()
	w := newWorldWith(t, mustKeyring(t, storage.GenerateKey()))

	ci := w.mustCheckIn(w.a.closed)

	if ci.Status != conversations.CheckInClosed {
		t.Errorf("second check-in is %s, want closed", ci.Status)
	}
	answers, err := w.db.Answers.Answers(w.ctx, w.a.closed)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range answers {
		found = found || a.Text == w.a.secret
	}
	if !found {
		t.Errorf("bob's answer %q is not read back from the encrypted store", w.a.secret)
	}
	w.wantWordsSealed()
}

// plainTextColumns are the TEXT columns that hold nothing partners wrote,
// besides those named like ids, times and states (see holdsNoWords), and
// why. A column added to the schema must be sealed or listed here.
var plainTextColumns = map[string]string{
	"checkins.template_json":    "the template as the config wrote it",
	"checkins.template_hash":    "names the template in checkin_templates",
	"checkin_templates.hash":    "the SHA-256 of the template's text",
	"checkin_templates.json":    "the template as the config wrote it",
	"partners.display_name":     "the name Discord shows, not something written in Mend",
	"posts.last_error":          "what Discord answered to a failed post",
	"schedules.anchor":          "a date",
	"schedules.cron":            "a schedule's cron expression",
	"encryption.since":          "a time",
	"acknowledgements.at":       "a time",
	"talks.at":                  "a time",
	"paths.packs_off":           "ids of library packs",
	"paths.proposed_off":        "ids of library packs",
	"paths.proposed_by":         "a Discord ID",
	"paths.asked":               "ids of library questions",
	"paths.rotations":           "counters of rotating prompts",
	"guided_talks.stage":        "where a talk is: one of six words",
	"guided_talks.topic_kind":   "hurt, need, review or aloud: what a topic came from, not its words",
	"guided_talks.topic_prompt": "the id of the prompt a topic's answer was given to",
	"guided_talks.outcome":      "nothing, commitment or agreement",
}

// holdsNoWords reports the columns that by their name hold an id, a time, a
// date or a state.
func holdsNoWords(column string) bool {
	for _, suffix := range []string{"_id", "_at", "_on", "_for", "_by", "_until", ".status", ".kind", ".time_zone"} {
		if strings.HasSuffix(column, suffix) {
			return true
		}
	}
	return false
}

// A column added later that holds what partners write must be sealed too:
// this test names it until it is, or until plainTextColumns says why not.
func TestEveryTextColumnIsSealedOrHoldsNoWordsOfThePartners(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mend.db")
	MustCloseDB(t, MustOpenDBAt(t, path))
	raw := mustRawDB(t, path)
	defer raw.Close()
	sealed := map[string]bool{}
	for _, c := range sealedColumns {
		sealed[c.table+"."+c.column] = true
	}

	for _, table := range tableNames(t, raw) {
		rows, err := raw.Query(`SELECT name FROM pragma_table_info(?) WHERE upper(type) = 'TEXT'`, table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				t.Fatal(err)
			}
			column := table + "." + name
			if _, plain := plainTextColumns[column]; !sealed[column] && !plain && !holdsNoWords(column) {
				t.Errorf("%s is text that is neither sealed (storage/seal.go) nor listed in plainTextColumns with a reason", column)
			}
		}
		rows.Close()
	}
}

// Once encryption is on, the schema itself refuses plain text in every
// sealed column. A migration that rebuilds one of these tables drops its
// triggers with it; this test notices.
func TestEverySealedColumnRefusesPlainTextOnceEncryptionIsOn(t *testing.T) {
	t.Parallel()
	path, _ := encryptedDatabase(t)
	raw := mustRawDB(t, path)
	defer raw.Close()
	// writeWords states no boundary: one holding a sealed value (an
	// answer's, which the schema cannot tell from a boundary's) gives the
	// UPDATE below a row to refuse.
	if _, err := raw.Exec(`INSERT INTO boundaries (couple_id, owner_id, text, status, created_at)
		VALUES ((SELECT MIN(id) FROM couples), 'alice', (SELECT text FROM answers WHERE text IS NOT NULL LIMIT 1), 'active', '')`); err != nil {
		t.Fatal(err)
	}

	for _, c := range sealedColumns {
		_, err := raw.Exec(`UPDATE ` + c.table + ` SET ` + c.column + ` = 'in the clear'`)
		if err == nil || !strings.Contains(err.Error(), "encrypted") {
			t.Errorf("plain text written into %s.%s: %v, want it refused", c.table, c.column, err)
		}
	}
	if _, err := raw.Exec(`INSERT INTO agreements (couple_id, text, created_by, status, created_at) VALUES (1, 'in the clear', 'alice', 'active', '')`); err == nil {
		t.Error("a plain agreement was inserted into an encrypted database")
	}
}
