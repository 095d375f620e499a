package main

import (
	"os"
	"path/filepath"
	"testing"

	"mend/internal/testkit"
	"mend/storage"
)

// A command pointed at a database that is not there (a relative mend.db run
// from the wrong directory, a mistyped --db) says so with the full path it
// looked at, and creates nothing.
func TestCommandsRefuseAMissingDatabaseNamingItsFullPath(t *testing.T) {
	noKeys(t)
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv(keyEnv, storage.GenerateKey())
	t.Setenv(oldKeysEnv, storage.GenerateKey())
	want := "there is no database at " + filepath.Join(dir, "mend.db") + "; check --db or database.path"

	for _, args := range [][]string{
		{"rekey", "--db", "mend.db"},
		{"backup", "--db", "mend.db", "copy.db"},
		{"console", "--db", "mend.db", "--done", "1"},
	} {
		code, stdout, stderr := runMend(t, "", args...)
		if code != 1 {
			t.Errorf("mend %v: exit %d, want 1\n%s%s", args, code, stdout, stderr)
		}
		testkit.MustContain(t, "stderr of mend "+args[0], stderr, want)
		if stdout != "" {
			t.Errorf("mend %v printed %q", args, stdout)
		}
	}
	code, _, stderr := runMend(t, "", "healthcheck", "--config", "mend.toml")
	if code != 1 {
		t.Errorf("healthcheck with a missing config: exit %d, want 1", code)
	}
	testkit.MustContain(t, "stderr of mend healthcheck", stderr, filepath.Join(dir, "mend.toml")+": cannot read the file")
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the commands left %d files behind: %v", len(entries), entries)
	}
}
