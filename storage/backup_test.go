package storage_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"mend/conversations"
	"mend/storage"
)

// A backup taken while a partner keeps answering is a consistent snapshot
// (the answers in it are the first n written, with no gap) that holds every
// answer acknowledged before it began, and the writes go on unharmed.
func TestABackupTakenDuringWritesIsConsistentAndLosesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "mend.db")
	db := MustOpenDBAt(t, path)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	ci := mustOpenCheckIn(t, db, c, t0)

	var acked atomic.Int64
	warm, stop, stopped := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		for i := int64(0); ; i++ {
			select {
			case <-stop:
				stopped <- nil
				return
			default:
			}
			a := conversations.Answer{CheckInID: ci.ID, UserID: "alice", PromptID: "p", SubjectID: i, Text: "answer", AnsweredAt: t0}
			if err := db.Answers.SaveAnswer(ctx, a, inProgress("alice", t0)); err != nil {
				stopped <- err
				return
			}
			acked.Store(i + 1)
			if i+1 == 20 {
				close(warm)
			}
		}
	}()
	<-warm
	before := acked.Load()

	err := storage.Backup(ctx, path, filepath.Join(dir, "copy.db"))

	close(stop)
	if werr := <-stopped; werr != nil {
		t.Fatalf("the writer failed during the backup: %v", werr)
	}
	if err != nil {
		t.Fatal(err)
	}
	total := acked.Load()
	subjects := answerSubjects(t, filepath.Join(dir, "copy.db"))
	n := int64(len(subjects))
	t.Logf("answers acknowledged: %d before the backup, %d in all; in the copy: %d", before, total, n)
	if n < before || n > total {
		t.Errorf("the copy holds %d answers; %d were acknowledged before the backup and %d in all", n, before, total)
	}
	for i, s := range subjects {
		if s != int64(i) {
			t.Fatalf("answer %d of the copy is step %d: the copy is not one snapshot", i, s)
		}
	}
	if got := int64(len(answerSubjects(t, path))); got != total {
		t.Errorf("the database holds %d answers after the backup, %d were acknowledged", got, total)
	}
}

// answerSubjects lists the subject ids of the answers in the file, in order.
func answerSubjects(t *testing.T, path string) []int64 {
	t.Helper()
	raw := mustRawDB(t, path)
	defer raw.Close()
	rows, err := raw.Query(`SELECT subject_id FROM answers ORDER BY subject_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var s int64
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestABackupIsReadableByMendsUserAloneAndNeverOverwritten(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "mend.db")
	MustCloseDB(t, MustOpenDBAt(t, path))
	copyPath := filepath.Join(dir, "copy.db")

	if err := storage.Backup(ctx, path, copyPath); err != nil {
		t.Fatal(err)
	}

	info, err := os.Stat(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("the copy has mode %s, want 0600", info.Mode().Perm())
	}
	before := fileSum(t, copyPath)
	if err := storage.Backup(ctx, path, copyPath); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("a second backup to the same name: %v, want it refused", err)
	}
	if fileSum(t, copyPath) != before {
		t.Error("the refused backup changed the existing copy")
	}
	wantOnly(t, dir, "mend.db", "copy.db")
}

func TestABackupOfNoDatabaseMakesNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()

	err := storage.Backup(context.Background(), filepath.Join(dir, "mend.db"), filepath.Join(dir, "copy.db"))

	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("backup of a missing database: %v, want not exist", err)
	}
	wantOnly(t, dir)
}

// wantOnly fails unless dir holds exactly the files named: no partial copy,
// no database created by mistake.
func wantOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	slices.Sort(got)
	slices.Sort(names)
	if !slices.Equal(got, names) {
		t.Errorf("the directory holds %v, want %v", got, names)
	}
}

func TestABackupOfAnEncryptedDatabaseHoldsNoWordsInTheClear(t *testing.T) {
	t.Parallel()
	path, _ := encryptedDatabase(t)
	copyPath := filepath.Join(t.TempDir(), "copy.db")

	if err := storage.Backup(context.Background(), path, copyPath); err != nil {
		t.Fatal(err)
	}

	wantNoWordsOnDisk(t, copyPath)
	if got := storedTypes(t, copyPath); got["text"] != 0 || got["blob"] != 6 {
		t.Errorf("the copy's sealed columns hold %v, want 6 blobs", got)
	}
}

// restore puts a backup back as the README says: with Mend stopped, the
// database and its -wal and -shm files are moved away and the copy takes
// their place.
func restore(t *testing.T, backup, path string) {
	t.Helper()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
	}
	in, err := os.Open(backup)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// allRows reads every row of every table, as canonical lines by table.
func allRows(t *testing.T, path string) map[string][]string {
	t.Helper()
	raw := mustRawDB(t, path)
	defer raw.Close()
	out := map[string][]string{}
	for _, table := range tableNames(t, raw) {
		out[table] = canonical(t, rowsWhere(t, raw, table, "1"))
	}
	return out
}

// A backup taken while Mend runs, put back after Mend stopped, is the
// database as it was: every row, and Mend opens it and goes on.
func TestARestoredBackupHoldsEveryRowAndMendGoesOn(t *testing.T) {
	t.Parallel()
	for _, mode := range worldModes {
		t.Run(mode.name, func(t *testing.T) {
			w := newWorldWith(t, mode.keys(t))
			backup := filepath.Join(t.TempDir(), "mend-backup.db")
			if err := storage.Backup(w.ctx, w.path, backup); err != nil {
				t.Fatal(err)
			}
			want := allRows(t, w.path)
			// Life goes on after the backup, and is lost by the restore.
			_, err := w.app.Agreements.Propose(w.ctx, w.actor(w.a.couple.ID, "alice"), "added after the backup")
			w.must(err)
			w.close()

			restore(t, backup, w.path)

			if got := allRows(t, w.path); !mapsEqual(got, want) {
				t.Errorf("the restored database differs from the one backed up:\n got %v\nwant %v", got, want)
			}
			db := MustOpenDBAt(t, w.path, storage.WithKeys(w.keys))
			defer MustCloseDB(t, db)
			app := conversations.New(db.Stores(), w.clock, nil, conversations.Settings{Library: builtinPacks(t)})
			agreements, err := app.Agreements.List(w.ctx, actorOf(t, db, w.a.couple.ID, "alice"))
			if err != nil || len(agreements) != 1 || !strings.Contains(agreements[0].Text, "open about money") {
				t.Fatalf("agreements after the restore = %+v, %v; want the one from before the backup", agreements, err)
			}
			if _, err := app.Agreements.Propose(w.ctx, actorOf(t, db, w.a.couple.ID, "alice"), "written after the restore"); err != nil {
				t.Errorf("writing after the restore: %v", err)
			}
		})
	}
}

func mapsEqual(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

func TestABackupOfAMissingDatabaseNamesTheFullPath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "nowhere", "mend.db")

	err := storage.Backup(context.Background(), missing, filepath.Join(dir, "copy.db"))

	var merr *storage.MissingError
	if !errors.As(err, &merr) || merr.Path != missing {
		t.Fatalf("backup of a missing database: %v, want a MissingError naming %s", err, missing)
	}
	if !strings.Contains(err.Error(), "there is no database at "+missing) {
		t.Errorf("the error %q does not name the path looked at", err)
	}
	wantOnly(t, dir)
}

func TestABackupIntoADirectorySaysSo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "mend.db")
	MustCloseDB(t, MustOpenDBAt(t, path))
	into := filepath.Join(dir, "backups")
	if err := os.Mkdir(into, 0o700); err != nil {
		t.Fatal(err)
	}

	err := storage.Backup(ctx, path, into)

	if err == nil || !strings.Contains(err.Error(), "the destination is a directory; give the name of a new file") {
		t.Fatalf("a backup into a directory: %v, want it refused as a directory", err)
	}
	wantOnly(t, dir, "mend.db", "backups")
	wantOnly(t, into)
}
