package main

import (
	"path/filepath"
	"strings"
	"testing"

	"mend/internal/testkit"
)

func TestBackupCommandCopiesTheDatabase(t *testing.T) {
	noKeys(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "mend.db")
	if code, _, stderr := runMend(t, pulseCheckIn, "console", "--db", db, "--template", "pulse"); code != 0 {
		t.Fatalf("console: exit %d\n%s", code, stderr)
	}
	copyPath := filepath.Join(dir, "copy.db")

	code, stdout, stderr := runMend(t, "", "backup", "--db", db, copyPath)

	if code != 0 {
		t.Fatalf("backup: exit %d\n%s", code, stderr)
	}
	testkit.MustContain(t, "stdout", stdout, copyPath, "passed PRAGMA integrity_check")
	wantFileHolds(t, copyPath, "the quiet walk by the river", true)
	if code, _, stderr := runMend(t, "", "backup", "--db", db, copyPath); code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("backup over an existing copy: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := runMend(t, "", "backup", "--db", db); code != exitUsage || !strings.Contains(stderr, "give one FILE") {
		t.Errorf("backup without a FILE: exit %d\n%s", code, stderr)
	}
}
