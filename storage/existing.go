package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// MissingError is a command pointed at a database that is not there. Opening
// it would create an empty one, and a command meant for the real database
// (a backup, a rekey) would then report success on nothing: a relative
// mend.db run from the wrong directory, or a mistyped --db.
type MissingError struct {
	// Path is the full path looked at.
	Path string
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("there is no database at %s; check --db or database.path in the config, and the directory Mend runs in", e.Path)
}

// Is makes a MissingError an fs.ErrNotExist for errors.Is.
func (e *MissingError) Is(target error) bool { return target == fs.ErrNotExist }

// Existing fails with a *MissingError unless a database file is at path,
// and with a plain message when path is a directory. Commands that act on
// a database that must already exist call it before opening the file.
func Existing(path string) error {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &MissingError{Path: absolute(path)}
	case err != nil:
		return err
	case info.IsDir():
		return fmt.Errorf("%s is a directory, not a database file", absolute(path))
	}
	return nil
}
