package storage

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// A file that takes the backup's name after the early check (another
// backup, a planted file) is never replaced: the name is given by a link
// that fails when it is taken, not by a rename that would overwrite it.
func TestPlaceNewNeverReplacesAFileThatAppearedMeanwhile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tmp, dst := filepath.Join(dir, ".copy.partial"), filepath.Join(dir, "copy.db")
	if err := os.WriteFile(tmp, []byte("the new copy"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, []byte("an older backup"), 0o600); err != nil {
		t.Fatal(err)
	}

	err := placeNew(tmp, dst)

	if !errors.Is(err, errExists) {
		t.Fatalf("placeNew over an existing file: %v, want errExists", err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "an older backup" {
		t.Errorf("the existing file now holds %q", got)
	}
	if err := os.Mkdir(filepath.Join(dir, "d"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := placeNew(tmp, filepath.Join(dir, "d")); !errors.Is(err, errDirectory) {
		t.Errorf("placeNew onto a directory: %v, want errDirectory", err)
	}
	if err := placeNew(tmp, filepath.Join(dir, "fresh.db")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "fresh.db")); string(got) != "the new copy" {
		t.Errorf("the new name holds %q", got)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the temporary name is still there: %v", err)
	}
}
