package config

import (
	"strings"
	"testing"
	"time"
)

func TestCopiesKeptIsTheLongestThatBackupsOrAReplicaHoldWhatWasDeleted(t *testing.T) {
	for _, tt := range []struct {
		name string
		toml string
		want time.Duration
	}{
		{"none", "", 0},
		{"backups, default every and keep", "[backup]\ndir = \"/backups\"\n", 7 * 24 * time.Hour},
		{"backups every 6h, keep 4", "[backup]\ndir = \"/backups\"\nevery = \"6h\"\nkeep = 4\n", 24 * time.Hour},
		{"keep without dir makes no backups", "[backup]\nkeep = 4\n", 0},
		{"a replica", "[backup]\nreplica_retention = \"72h\"\n", 72 * time.Hour},
		{"both, the longer", "[backup]\ndir = \"/backups\"\nevery = \"1h\"\nkeep = 2\nreplica_retention = \"72h\"\n", 72 * time.Hour},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := ParseConfig("mend.toml", []byte(tt.toml))
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.CopiesKept(); got != tt.want {
				t.Errorf("CopiesKept() = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestReplicaRetentionMustBeADuration(t *testing.T) {
	_, err := ParseConfig("mend.toml", []byte("[backup]\nreplica_retention = \"three days\"\n"))
	if err == nil || !strings.Contains(err.Error(), `mend.toml:2: backup.replica_retention "three days" must be a duration up to 8784h, like "72h"`) {
		t.Errorf("err = %v", err)
	}
}
