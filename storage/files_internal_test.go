package storage

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/mattn/go-sqlite3"
)

// Each refusal is said once, naming the file or directory that refused by
// its full path. The messages are checked here from the errors the system
// gives, because some of them (a read-only file system) cannot be produced
// in a test.
func TestFileErrorSaysWhichFileOrDirectoryRefused(t *testing.T) {
	t.Parallel()
	const path = "/srv/mend/mend.db"
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		err  *fileError
		want []string
	}{
		{"read-only file", &fileError{path: path, err: &fs.PathError{Op: "open", Path: path, Err: syscall.EACCES}},
			[]string{"/srv/mend/mend.db is read-only: Mend needs to write to it", "the directory /srv/mend is writable"}},
		{"read-only -wal", &fileError{path: path + "-wal", err: &fs.PathError{Op: "open", Path: path + "-wal", Err: syscall.EACCES}},
			[]string{"/srv/mend/mend.db-wal is read-only"}},
		{"read-only directory", &fileError{path: path, dir: true, err: &fs.PathError{Op: "open", Path: path, Err: syscall.EACCES}},
			[]string{"the directory /srv/mend is not writable", "create mend.db and its -wal and -shm files"}},
		{"read-only file system", &fileError{path: path, err: &fs.PathError{Op: "open", Path: path, Err: syscall.EROFS}},
			[]string{"/srv/mend/mend.db is on a read-only file system"}},
		{"missing directory", &fileError{path: path, dir: true, err: &fs.PathError{Op: "open", Path: path, Err: syscall.ENOENT}},
			[]string{"cannot create /srv/mend/mend.db: the directory /srv/mend does not exist"}},
		{"SQLite opened it read-only", &fileError{path: path, err: sqlite3.Error{Code: sqlite3.ErrReadonly}},
			[]string{"/srv/mend/mend.db is read-only: Mend needs to write to it"}},
		{"relative path", &fileError{path: "mend.db", err: &fs.PathError{Op: "open", Path: "mend.db", Err: syscall.EACCES}},
			[]string{filepath.Join(cwd, "mend.db") + " is read-only", "the directory " + cwd + " is writable"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := c.err.Error()
			for _, want := range c.want {
				if !strings.Contains(got, want) {
					t.Errorf("%q does not say %q", got, want)
				}
			}
			if strings.Contains(got, "no such file") || strings.Contains(got, "attempt to write") {
				t.Errorf("%q repeats the system's words", got)
			}
		})
	}
}
