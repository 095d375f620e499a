package storage

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// WithLock has Open take the database's lock, held until Close: one Mend
// process per database. run, console and rekey open the file this way, so
// a rekey cannot run beside a Mend that would go on sealing with the old
// key, and two processes never seal the same text in place at once.
func WithLock() Option { return func(o *options) { o.lock = true } }

// LockedError is a database whose lock another process holds.
type LockedError struct {
	Path string
	// PID is the process that holds the lock, 0 when it is not known.
	PID int
}

func (e *LockedError) Error() string {
	holder := "another Mend process"
	if e.PID > 0 {
		holder = fmt.Sprintf("another Mend process (pid %d)", e.PID)
	}
	return fmt.Sprintf("database %s is in use by %s: only one Mend at a time may use a database (run, console and rekey each take it); stop that one first, or wait for it to finish",
		absolute(e.Path), holder)
}

// dbLock is a held lock: an flock on the file beside the database named
// like it with .lock added, which says the pid of its holder. The system
// lets it go when the process ends, however it ends.
type dbLock struct{ f *os.File }

// LockPath is the lock file beside the database at path: a command that
// removes a database it made removes this too.
func LockPath(path string) string { return path + ".lock" }

func lockDatabase(path string) (*dbLock, error) {
	name := LockPath(path)
	// Read-only is enough for flock, and the file is readable by all (it
	// holds a pid, nothing of a couple's): a lock file left by a one-off
	// command run as another user, root say, never keeps Mend's own user
	// from taking the lock.
	f, err := os.OpenFile(name, os.O_RDONLY|os.O_CREATE, 0o644)
	if err != nil {
		return nil, &fileError{path: name, dir: errors.Is(err, os.ErrNotExist), err: err}
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			data, _ := os.ReadFile(name)
			pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
			return nil, &LockedError{Path: path, PID: pid}
		}
		return nil, fmt.Errorf("lock database %s: %w", absolute(path), err)
	}
	// The pid is for the message a second process shows; the lock holds
	// without it, so a file this user may not write keeps its old pid.
	_ = os.WriteFile(name, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
	return &dbLock{f: f}, nil
}

func (l *dbLock) unlock() error {
	if l == nil {
		return nil
	}
	// Closing the file lets the lock go; the file stays, so that a process
	// waiting for it never locks a file that was just removed.
	return l.f.Close()
}
