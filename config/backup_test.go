package config

import (
	"strings"
	"testing"
	"time"
)

func TestBackupConfig(t *testing.T) {
	cfg, err := ParseConfig("", []byte("[backup]\ndir = \"backups\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.backupEvery != 24*time.Hour || cfg.Backup.Keep != 7 {
		t.Errorf("defaults: every %s, keep %d; want 24h and 7", cfg.backupEvery, cfg.Backup.Keep)
	}
	for _, bad := range []struct{ src, want string }{
		{"[backup]\nevery = \"5m\"\n", "bad.toml:2: backup.every"},
		{"[backup]\nevery = \"daily\"\n", "bad.toml:2: backup.every"},
		{"[backup]\nkeep = 0\n", "bad.toml:2: backup.keep"},
	} {
		if _, err := ParseConfig("bad.toml", []byte(bad.src)); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: %v, want %q", bad.src, err, bad.want)
		}
	}
}
