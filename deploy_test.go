package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// The systemd unit hands Mend the key as a credential, which systemd reads
// as root: the key file on disk stays root's alone, and Mend's user reads
// its own copy.
func TestTheSystemdUnitGivesTheKeyAsACredential(t *testing.T) {
	t.Parallel()
	unit := readFile(t, "deploy/mend.service")

	load := regexp.MustCompile(`(?m)^LoadCredential=([a-z-]+):(/etc/mend/\S+)$`).FindStringSubmatch(unit)
	if load == nil {
		t.Fatalf("deploy/mend.service has no LoadCredential=NAME:/etc/mend/FILE line:\n%s", unit)
	}
	if want := "Environment=" + keyFileEnv + "=%d/" + load[1] + "\n"; !strings.Contains(unit, want) {
		t.Errorf("deploy/mend.service does not point %s at the credential: want the line %q", keyFileEnv, want)
	}
	if !strings.Contains(unit, "mend keygen > "+load[2]) {
		t.Errorf("deploy/mend.service's install steps do not make the key %s it loads", load[2])
	}
	readme := readFile(t, "README.md")
	for _, want := range []string{"LoadCredential=", keyFileEnv + "=%d/" + load[1], load[2]} {
		if !strings.Contains(readme, want) {
			t.Errorf("README.md does not say %q, as deploy/mend.service does", want)
		}
	}
}

// Compose hands the key over as a secret, mounted under /run/secrets.
func TestComposeGivesTheKeyAsASecret(t *testing.T) {
	t.Parallel()
	compose := readFile(t, "docker-compose.yml")

	env := regexp.MustCompile(`(?m)^\s+` + keyFileEnv + `: /run/secrets/([a-z-]+)$`).FindStringSubmatch(compose)
	if env == nil {
		t.Fatalf("docker-compose.yml does not set %s to a file in /run/secrets:\n%s", keyFileEnv, compose)
	}
	for _, want := range []string{"    secrets:\n      - " + env[1] + "\n", "\nsecrets:\n  " + env[1] + ":\n    file: ./mend.key"} {
		if !strings.Contains(compose, want) {
			t.Errorf("docker-compose.yml lacks\n%s", want)
		}
	}
	if readme := readFile(t, "README.md"); !strings.Contains(readme, "secrets:") || !strings.Contains(readme, "/run/secrets/"+env[1]) {
		t.Errorf("README.md does not describe the secret %s as docker-compose.yml uses it", env[1])
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
