package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Backup copies the database at src to dst, a file that must not exist yet,
// while Mend and others go on writing to src.
//
// VACUUM INTO writes the copy from one read snapshot, so it is consistent
// without stopping any writer, and it rebuilds the file rather than copying
// pages: what /forget deleted, and free pages, are not carried over. The
// copy is made under a temporary name, readable by Mend's user alone, checked
// with PRAGMA integrity_check and synced; only then does it get its name, so
// dst is never a partial or damaged copy. No key is needed: what partners
// wrote is copied as it is stored, sealed when encryption is on.
func Backup(ctx context.Context, src, dst string) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("back up %s to %s: %w", absolute(src), absolute(dst), err)
		}
	}()
	if err := Existing(src); err != nil {
		return err
	}
	// Refused before the work of a copy; placeNew refuses again, for good.
	if info, err := os.Lstat(dst); err == nil {
		if info.IsDir() {
			return errDirectory
		}
		return errExists
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	// CreateTemp makes the file 0600, and SQLite writes into an empty file
	// without changing its mode.
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".partial-*")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	tmp.Close()
	defer func() {
		if err != nil {
			os.Remove(tmpName)
		}
	}()
	if err := vacuumInto(ctx, src, tmpName); err != nil {
		return err
	}
	if err := checkIntegrity(ctx, tmpName); err != nil {
		return err
	}
	if err := syncFile(tmpName); err != nil {
		return err
	}
	if err := placeNew(tmpName, dst); err != nil {
		return err
	}
	// The name is durable once the directory is synced; Windows cannot
	// sync a directory, and makes a new name durable by itself.
	if runtime.GOOS == "windows" {
		return nil
	}
	return syncFile(filepath.Dir(dst))
}

// errDirectory and errExists are a destination that is already taken.
var (
	errDirectory = errors.New("the destination is a directory; give the name of a new file for the copy, such as mend-copy.db inside it")
	errExists    = errors.New("the copy already exists; choose a new name, Mend does not overwrite a backup")
)

// placeNew gives the finished copy at tmp the name dst, only if dst is
// free. A hard link fails when the name is taken, with no moment between a
// check and a rename in which another writer could put a file there, so a
// backup never replaces one. tmp is removed once linked.
func placeNew(tmp, dst string) error {
	err := os.Link(tmp, dst)
	if errors.Is(err, fs.ErrExist) {
		if info, serr := os.Stat(dst); serr == nil && info.IsDir() {
			return errDirectory
		}
		return errExists
	}
	if err != nil {
		return err
	}
	return os.Remove(tmp)
}

func vacuumInto(ctx context.Context, src, dst string) error {
	// Read-write, but not create: a mistyped path must not leave an empty
	// database behind. SQLite still reads a file it may not write.
	conn, err := sql.Open("sqlite3", fileURI(src)+"?mode=rw&_busy_timeout=5000")
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	return nil
}

// checkIntegrity runs PRAGMA integrity_check on a copy nobody else has open:
// immutable tells SQLite not to lock it nor make -wal and -shm files beside it.
func checkIntegrity(ctx context.Context, path string) error {
	conn, err := sql.Open("sqlite3", fileURI(path)+"?mode=ro&immutable=1")
	if err != nil {
		return err
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return fmt.Errorf("check the copy: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("check the copy: %w", err)
		}
		problems = append(problems, line)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check the copy: %w", err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		return fmt.Errorf("the copy failed PRAGMA integrity_check: %s", strings.Join(problems, "; "))
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
