//go:build unix

package storage_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"mend/storage"
)

// What couples wrote is for Mend's user alone, whatever the umask: the
// database is created 0600, and SQLite gives its -wal and -shm the same.
func TestOpenCreatesTheDatabaseFilesForMendsUserAlone(t *testing.T) {
	defer syscall.Umask(syscall.Umask(0o022))
	path := filepath.Join(t.TempDir(), "mend.db")
	db := MustOpenDBAt(t, path)
	defer MustCloseDB(t, db)
	mustCreateCouple(t, db, "g1", "alice", "bob")

	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s has mode %v, want -rw-------", filepath.Base(p), perm)
		}
	}
	if w := db.PermissionWarning(); w != "" {
		t.Errorf("a database Mend created warns: %s", w)
	}
}

func TestOpenWarnsWhenOtherUsersCanReadTheDatabase(t *testing.T) {
	defer syscall.Umask(syscall.Umask(0o022))
	path := filepath.Join(t.TempDir(), "mend.db")
	MustCloseDB(t, MustOpenDBAt(t, path))
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}

	db := MustOpenDBAt(t, path)
	defer MustCloseDB(t, db)

	want := "chmod 600 " + path + " " + path + "-wal " + path + "-shm"
	if w := db.PermissionWarning(); !strings.Contains(w, want) {
		t.Fatalf("warning %q does not give the command %q", w, want)
	}
}

func TestOpenRefusesAReadOnlyDatabaseFile(t *testing.T) {
	if storage.RanAsNobody(t) {
		return
	}
	path := filepath.Join(t.TempDir(), "mend.db")
	MustCloseDB(t, MustOpenDBAt(t, path))
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}

	_, err := storage.Open(context.Background(), path)

	wantOnce(t, err, path+" is read-only: Mend needs to write to it")
}

func TestOpenRefusesADatabaseInAReadOnlyDirectory(t *testing.T) {
	if storage.RanAsNobody(t) {
		return
	}
	for _, c := range []struct {
		name   string
		exists bool
	}{{"new database", false}, {"existing database", true}} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "mend.db")
			if c.exists {
				MustCloseDB(t, MustOpenDBAt(t, path))
			}
			readOnlyDir(t, dir)

			_, err := storage.Open(context.Background(), path)

			wantOnce(t, err, "the directory "+dir+" is not writable")
		})
	}
}

// A -wal left behind by another user (the sqlite3 shell run as root) makes
// SQLite open the database read-only, so it is named as the culprit.
func TestOpenRefusesAWALItCannotWrite(t *testing.T) {
	if storage.RanAsNobody(t) {
		return
	}
	path := filepath.Join(t.TempDir(), "mend.db")
	MustCloseDB(t, MustOpenDBAt(t, path))
	if err := os.WriteFile(path+"-wal", nil, 0o400); err != nil {
		t.Fatal(err)
	}

	_, err := storage.Open(context.Background(), path)

	wantOnce(t, err, path+"-wal is read-only")
}

func TestOpenUnderAFileSaysThePathIsNotADirectory(t *testing.T) {
	file := filepath.Join(t.TempDir(), "data")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}

	_, err := storage.Open(context.Background(), filepath.Join(file, "mend.db"))

	wantOnce(t, err, "part of the path "+file+" is a file, not a directory")
}

func TestOpenInAMissingDirectorySaysItDoesNotExist(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")

	_, err := storage.Open(context.Background(), filepath.Join(dir, "mend.db"))

	wantOnce(t, err, "the directory "+dir+" does not exist")
}

// readOnlyDir takes the write permission off dir until the test ends.
func readOnlyDir(t *testing.T, dir string) {
	t.Helper()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	// TempDir removes the directory after this, and needs to write in it.
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
}

// wantOnce fails unless err says want exactly once.
func wantOnce(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("Open succeeded; want an error saying %q", want)
	}
	if n := strings.Count(err.Error(), want); n != 1 {
		t.Fatalf("error %q says %q %d times, want once", err, want, n)
	}
}

// The lock file holds a pid and nothing of a couple's. It is readable by
// every user, and a read-only descriptor is all the lock needs, so one left
// by a command run as root never keeps Mend's own user from starting.
func TestTheLockFileIsReadableByAllAndHoldsThePid(t *testing.T) {
	defer syscall.Umask(syscall.Umask(0o022))
	path := filepath.Join(t.TempDir(), "mend.db")
	db := MustOpenDBAt(t, path, storage.WithLock())
	info, err := os.Stat(storage.LockPath(path))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o644 {
		t.Errorf("the lock file has mode %v, want -rw-r--r--", perm)
	}
	pid, err := os.ReadFile(storage.LockPath(path))
	if err != nil || strings.TrimSpace(string(pid)) != strconv.Itoa(os.Getpid()) {
		t.Errorf("the lock file holds %q (%v), want this process's pid", pid, err)
	}
	MustCloseDB(t, db)

	// A lock file nobody may write still locks.
	if err := os.Chmod(storage.LockPath(path), 0o444); err != nil {
		t.Fatal(err)
	}
	again := MustOpenDBAt(t, path, storage.WithLock())
	defer MustCloseDB(t, again)
	if _, err := storage.Open(context.Background(), path, storage.WithLock()); err == nil {
		t.Error("a second Mend took a lock already held")
	}
}

// A database nobody wanted kept is removed with its lock file, while the
// lock is still held.
func TestCloseAndRemoveLeavesNothingBehind(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mend.db")
	db := MustOpenDBAt(t, path, storage.WithLock())
	mustCreateCouple(t, db, "g1", "alice", "bob")
	if err := db.CloseAndRemove(); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("%s is left behind", e.Name())
	}
}
