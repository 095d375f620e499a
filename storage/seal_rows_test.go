package storage_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"mend/conversations"
	"mend/storage"
)

// twoCouples makes an encrypted database with two couples, each with an
// agreement and a check-in where both partners answered, and returns it
// closed with its key.
func twoCouples(t *testing.T) (path, key string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "mend.db")
	key = storage.GenerateKey()
	db := MustOpenDBAt(t, path, storage.WithKeys(mustKeyring(t, key)))
	ctx := context.Background()
	for i, guild := range []string{"g1", "g2"} {
		c := mustCreateCouple(t, db, guild, "alice"+guild, "bob"+guild)
		mustAddAgreement(t, db, c.ID, "agreement of couple "+guild)
		ci := newCheckIn(c.ID, "alice"+guild, "bob"+guild, t0, nil)
		if err := db.CheckIns.OpenCheckIn(ctx, &ci, nil); err != nil {
			t.Fatal(err)
		}
		for _, user := range []string{"alice" + guild, "bob" + guild} {
			a := conversations.Answer{CheckInID: ci.ID, UserID: user, PromptID: "hurt", Text: "words of " + user, Scale: i + 2, AnsweredAt: t0}
			if err := db.Answers.SaveAnswer(ctx, a, inProgress(user, t0)); err != nil {
				t.Fatal(err)
			}
		}
	}
	MustCloseDB(t, db)
	return path, key
}

// damage runs statements on the file the way someone with the file and
// without the key could.
func damage(t *testing.T, path string, statements ...string) {
	t.Helper()
	raw := mustRawDB(t, path)
	defer raw.Close()
	for _, s := range statements {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestAValueMovedToAnotherCouplesRowDoesNotOpen(t *testing.T) {
	t.Parallel()
	path, key := twoCouples(t)
	damage(t, path, `UPDATE agreements SET text = (SELECT text FROM agreements WHERE couple_id = 1) WHERE couple_id = 2`,
		`UPDATE answers SET text = (SELECT text FROM answers WHERE user_id = 'aliceg1') WHERE user_id = 'aliceg2'`)
	db := MustOpenDBAt(t, path, storage.WithKeys(mustKeyring(t, key)))
	defer MustCloseDB(t, db)
	ctx := context.Background()

	_, agreementErr := db.Agreements.Agreements(ctx, 2)
	_, answerErr := db.Answers.Answers(ctx, 2)

	for name, err := range map[string]error{"agreement": agreementErr, "answer": answerErr} {
		if err == nil || !strings.Contains(err.Error(), "moved from another row or couple") {
			t.Errorf("%s moved from couple 1 to couple 2: %v, want an error saying it was moved", name, err)
		}
	}
	if got, err := db.Agreements.Agreements(ctx, 1); err != nil || len(got) != 1 || got[0].Text != "agreement of couple g1" {
		t.Errorf("couple 1's own agreement: %+v, %v", got, err)
	}
}

func TestAValueMovedToAnotherRowOfTheSameCoupleDoesNotOpen(t *testing.T) {
	t.Parallel()
	path, key := twoCouples(t)
	// Alice's scale and words, put in Bob's answer of the same check-in.
	damage(t, path, `UPDATE answers SET text = (SELECT text FROM answers WHERE user_id = 'aliceg1'),
		scale = (SELECT scale FROM answers WHERE user_id = 'aliceg1') WHERE user_id = 'bobg1'`)
	db := MustOpenDBAt(t, path, storage.WithKeys(mustKeyring(t, key)))
	defer MustCloseDB(t, db)

	_, err := db.Answers.Answers(context.Background(), 1)

	if err == nil || !strings.Contains(err.Error(), "answers.") || !strings.Contains(err.Error(), "moved from another row or couple") {
		t.Fatalf("an answer moved to the partner's row: %v, want an error saying it was moved", err)
	}
}

// A whole check-in given to another couple does not open either: the couple
// is part of what each answer is bound to.
func TestACheckInMovedToAnotherCoupleDoesNotOpen(t *testing.T) {
	t.Parallel()
	path, key := twoCouples(t)
	damage(t, path, `UPDATE checkins SET status = 'closed' WHERE id = 2`, `UPDATE checkins SET couple_id = 2 WHERE id = 1`)
	db := MustOpenDBAt(t, path, storage.WithKeys(mustKeyring(t, key)))
	defer MustCloseDB(t, db)

	_, err := db.Answers.Answers(context.Background(), 1)
	_, exportErr := db.Records.ExportCouple(context.Background(), 2, "aliceg1")

	for name, err := range map[string]error{"answers": err, "export": exportErr} {
		if err == nil || !strings.Contains(err.Error(), "moved from another row or couple") {
			t.Errorf("%s of a check-in moved to couple 2: %v, want an error saying it was moved", name, err)
		}
	}
}

// Text written around the triggers (dropped, then put back) is refused when
// read: with a key, every value was sealed at start.
func TestAForgedPlainValueIsRefused(t *testing.T) {
	t.Parallel()
	path, key := twoCouples(t)
	raw := mustRawDB(t, path)
	var trigger string
	if err := raw.QueryRow(`SELECT sql FROM sqlite_master WHERE name = 'answers_sealed_on_update'`).Scan(&trigger); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	damage(t, path, `DROP TRIGGER answers_sealed_on_update`,
		`UPDATE answers SET text = 'I never loved you' WHERE user_id = 'bobg1'`, trigger)
	db := MustOpenDBAt(t, path, storage.WithKeys(mustKeyring(t, key)))
	defer MustCloseDB(t, db)

	answers, err := db.Answers.Answers(context.Background(), 1)

	if err == nil || !strings.Contains(err.Error(), "answers.text holds a value that is not encrypted") {
		t.Fatalf("a forged plain answer: %+v, %v; want it refused", answers, err)
	}
}

func TestAStartRefusesADatabaseWhoseSealingTriggersAreGoneOrChanged(t *testing.T) {
	t.Parallel()
	for name, statements := range map[string][]string{
		"answers_sealed_on_update (missing)": {`DROP TRIGGER answers_sealed_on_update`},
		"agreements_sealed_on_insert (changed)": {`DROP TRIGGER agreements_sealed_on_insert`,
			`CREATE TRIGGER agreements_sealed_on_insert BEFORE INSERT ON agreements WHEN 0 BEGIN SELECT 1; END`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path, key := twoCouples(t)
			damage(t, path, statements...)

			_, err := storage.Open(context.Background(), path, storage.WithKeys(mustKeyring(t, key)))

			if err == nil || !strings.Contains(err.Error(), "triggers that keep plain text out") || !strings.Contains(err.Error(), name) {
				t.Fatalf("open: %v, want it refused naming %s", err, name)
			}
		})
	}
}

// A value sealed with a key the database does not know (a Mend still
// sealing with a key that a rekey retired) is refused by the schema.
func TestASealedValueOfAnUnknownKeyIsRefused(t *testing.T) {
	t.Parallel()
	path, _ := twoCouples(t)
	raw := mustRawDB(t, path)
	defer raw.Close()

	for _, value := range []string{`x'02deadbeef0011223344'`, `x'01deadbeef0011223344'`} {
		_, err := raw.Exec(`UPDATE agreements SET text = ` + value + ` WHERE id = 1`)
		if err == nil || !strings.Contains(err.Error(), "a key the database does not know") {
			t.Errorf("agreement sealed with key deadbeef (%s): %v, want it refused", value, err)
		}
	}
	if _, err := raw.Exec(`UPDATE answers SET scale = 4`); err == nil || !strings.Contains(err.Error(), "encrypted") {
		t.Errorf("a plain scale: %v, want it refused", err)
	}
}

// Scales, choices and verdicts are what partners gave too: sealed, and read
// back.
func TestScalesChoicesAndVerdictsAreSealed(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mend.db")
	db := MustOpenDBAt(t, path, storage.WithKeys(mustKeyring(t, storage.GenerateKey())))
	defer MustCloseDB(t, db)
	ctx := context.Background()
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := newCheckIn(c.ID, "alice", "bob", t0, nil)
	if err := db.CheckIns.OpenCheckIn(ctx, &ci, nil); err != nil {
		t.Fatal(err)
	}
	given := []conversations.Answer{
		{CheckInID: ci.ID, UserID: "alice", PromptID: "trust", Scale: 2, AnsweredAt: t0},
		{CheckInID: ci.ID, UserID: "alice", PromptID: "mood", Choice: "tired", AnsweredAt: t0.Add(1)},
		{CheckInID: ci.ID, UserID: "alice", PromptID: "commitments", SubjectID: 7, Verdict: conversations.VerdictNotThisWeek, Note: "twice", AnsweredAt: t0.Add(2)},
	}
	for _, a := range given {
		if err := db.Answers.SaveAnswer(ctx, a, inProgress("alice", t0)); err != nil {
			t.Fatal(err)
		}
	}

	got, err := db.Answers.Answers(ctx, ci.ID)

	if err != nil || len(got) != 3 || got[0].Scale != 2 || got[1].Choice != "tired" || got[2].Verdict != conversations.VerdictNotThisWeek || got[2].Note != "twice" {
		t.Fatalf("answers read back: %+v, %v", got, err)
	}
	raw := mustRawDB(t, path)
	defer raw.Close()
	var plain int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM answers WHERE typeof(scale) IN ('integer', 'text') OR typeof(choice) = 'text' OR typeof(verdict) = 'text'`).Scan(&plain); err != nil || plain != 0 {
		t.Errorf("%d answers hold a plain scale, choice or verdict (%v), want none", plain, err)
	}
}

// Pages that another program freed without zeroing them still hold what was
// deleted; the VACUUM that ends sealing takes them out of the file.
func TestSealingLeavesNoPlainTextInFreePages(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mend.db")
	plain := MustOpenDBAt(t, path)
	c := mustCreateCouple(t, plain, "g1", "alice", "bob")
	mustAddAgreement(t, plain, c.ID, "deleted by another program")
	MustCloseDB(t, plain)
	damage(t, path, `PRAGMA secure_delete = off`, `DELETE FROM agreements`, `PRAGMA wal_checkpoint(TRUNCATE)`)
	if !fileHolds(t, path, "deleted by another program") {
		t.Fatal("the text deleted without secure_delete is not in a free page: this test shows nothing")
	}

	MustCloseDB(t, MustOpenDBAt(t, path, storage.WithKeys(mustKeyring(t, storage.GenerateKey()))))

	if fileHolds(t, path, "deleted by another program") {
		t.Error("after sealing, the file still holds text deleted before it, in a free page")
	}
}

// Sealing in place takes the database's lock even when the caller did not
// ask for it: it is refused while another process holds it.
func TestSealingInPlaceWaitsForNoOtherProcess(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mend.db")
	holder := MustOpenDBAt(t, path, storage.WithLock())
	writeWords(t, holder)

	_, err := storage.Open(context.Background(), path, storage.WithKeys(mustKeyring(t, storage.GenerateKey())))

	var locked *storage.LockedError
	if !errors.As(err, &locked) || !strings.Contains(err.Error(), "is in use by another Mend process (pid ") {
		t.Fatalf("sealing beside another process: %v, want a LockedError naming it", err)
	}
	if got := storedTypes(t, path); got["blob"] != 0 {
		t.Errorf("sealed columns hold %v after the refusal, want nothing sealed", got)
	}
	MustCloseDB(t, holder)
	MustCloseDB(t, MustOpenDBAt(t, path, storage.WithKeys(mustKeyring(t, storage.GenerateKey()))))
}
