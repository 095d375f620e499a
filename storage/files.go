package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"github.com/mattn/go-sqlite3"
)

// prepareFile makes sure Mend can write the database at path before SQLite
// opens it. SQLite quietly opens a file it cannot write read-only, and the
// first answer a partner saves then fails; a directory it cannot write fails
// later still, when the -wal file is created. A missing database is created
// here, empty, readable by Mend's user alone: SQLite gives its -wal and -shm
// files the mode of the database file.
func prepareFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		return f.Close()
	}
	if !errors.Is(err, fs.ErrExist) {
		return &fileError{path: path, dir: true, err: err}
	}
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return fmt.Errorf("%s is a directory, not a database file", path)
	}
	// A -wal or -shm left by another user (the sqlite3 shell run as root)
	// makes SQLite open the database read-only just the same.
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		f, err := os.OpenFile(p, os.O_RDWR, 0)
		if p != path && errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return &fileError{path: p, err: err}
		}
		f.Close()
	}
	// SQLite creates -wal and -shm beside the database and removes them when
	// the last connection closes, so the directory must be writable too.
	probe, err := os.CreateTemp(filepath.Dir(path), ".mend-write-check-*")
	if err != nil {
		return &fileError{path: path, dir: true, err: err}
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// fileError is the database file, or the directory it is in, refusing to be
// written. It says so once, in plain words; err is what the system or SQLite
// said, kept for errors.Is.
type fileError struct {
	path string
	// dir is set when the directory refused (creating the file or a probe
	// beside it), not the file itself.
	dir bool
	err error
}

func (e *fileError) Unwrap() error { return e.err }

func (e *fileError) Error() string {
	path := absolute(e.path)
	dir := filepath.Dir(path)
	switch {
	case errors.Is(e.err, syscall.EROFS):
		return fmt.Sprintf("%s is on a read-only file system: Mend needs to write to it and to the directory %s", path, dir)
	case errors.Is(e.err, fs.ErrNotExist):
		return fmt.Sprintf("cannot create %s: the directory %s does not exist", path, dir)
	case errors.Is(e.err, syscall.ENOTDIR):
		return fmt.Sprintf("cannot create %s: part of the path %s is a file, not a directory", path, dir)
	case e.dir && errors.Is(e.err, fs.ErrPermission):
		return fmt.Sprintf("the directory %s is not writable: Mend needs to create %s and its -wal and -shm files there (check the directory's permissions)", dir, filepath.Base(path))
	case errors.Is(e.err, fs.ErrPermission), isReadOnly(e.err):
		return fmt.Sprintf("%s is read-only: Mend needs to write to it (check its permissions, and that the directory %s is writable)", path, dir)
	}
	return fmt.Sprintf("cannot write %s: %v", path, e.err)
}

// isReadOnly reports whether SQLite refused a write because it could open
// the database only for reading.
func isReadOnly(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrReadonly
}

// permissionWarning names the database files that other users of the
// machine may read or change, and the command that stops it; "" when there
// are none. The -wal file holds recent answers as much as the database does.
func permissionWarning(path string) string {
	// Windows reports permission bits that say nothing about who may read.
	if runtime.GOOS == "windows" {
		return ""
	}
	path = absolute(path)
	var modes, paths []string
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(p)
		if err != nil || info.Mode().Perm()&0o066 == 0 {
			continue
		}
		modes = append(modes, fmt.Sprintf("%s %s", filepath.Base(p), info.Mode().Perm()))
		paths = append(paths, shellQuote(p))
	}
	if len(paths) == 0 {
		return ""
	}
	return fmt.Sprintf("other users of this machine can read or change Mend's database files, which hold everything couples wrote (%s); to keep them to Mend's user alone, run: chmod 600 %s",
		strings.Join(modes, ", "), strings.Join(paths, " "))
}

// absolute is path made absolute for a message, so that it says where the
// file is whatever directory the reader is in; path itself if that fails.
func absolute(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// shellQuote quotes s for a POSIX shell when it needs it, so the command in
// the warning can be pasted as it is.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./+:@%,=") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
