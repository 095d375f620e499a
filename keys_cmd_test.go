package main

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"mend/config"
	"mend/internal/testkit"
	"mend/storage"
)

// noKeys clears the encryption variables, so a key in the environment of
// whoever runs the tests does not change them.
func noKeys(t *testing.T) {
	t.Helper()
	t.Setenv(config.FileEnv, "")
	for _, env := range []string{keyEnv, keyFileEnv, oldKeysEnv, oldKeysFileEnv} {
		t.Setenv(env, "")
	}
}

// pulseCheckIn answers a whole pulse check-in: a scale and a note each.
var pulseCheckIn = testkit.Lines("y", "y", "1", "4", "the quiet walk by the river", "", "1", "3", "a long call with my sister", "")

func wantFileHolds(t *testing.T, path, text string, want bool) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := bytes.Contains(data, []byte(text)); got != want {
		t.Errorf("%s holds %q: %v, want %v", filepath.Base(path), text, got, want)
	}
}

func TestKeygenPrintsANewKeyAndNothingElseOnStdout(t *testing.T) {
	noKeys(t)
	code, first, stderr := runMend(t, "", "keygen")
	_, second, _ := runMend(t, "", "keygen")

	if code != 0 {
		t.Fatalf("keygen: exit %d\n%s", code, stderr)
	}
	k, err := storage.ParseKey(first)
	if err != nil {
		t.Fatalf("keygen printed %q, which Mend does not take as a key: %v", first, err)
	}
	if first == second {
		t.Error("two runs of keygen printed the same key")
	}
	if strings.Contains(stderr, strings.TrimSpace(first)) || !strings.Contains(stderr, k.ID()) {
		t.Errorf("stderr should name the key's id and not the key:\n%s", stderr)
	}
}

// The console works the same on an encrypted database; the file holds no
// answer in the clear, and without the key it is refused with what to do.
func TestConsoleOnAnEncryptedDatabase(t *testing.T) {
	noKeys(t)
	db := filepath.Join(t.TempDir(), "mend.db")
	key := storage.GenerateKey()
	t.Setenv(keyEnv, key)

	code, stdout, stderr := runMend(t, pulseCheckIn, "console", "--db", db, "--template", "pulse")

	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	testkit.MustContain(t, "stdout", stdout, "You have both finished", "the quiet walk by the river")
	wantFileHolds(t, db, "the quiet walk by the river", false)

	t.Setenv(keyEnv, "")
	code, _, stderr = runMend(t, pulseCheckIn, "console", "--db", db, "--template", "pulse")
	if code != 1 {
		t.Errorf("console without the key: exit %d, want 1", code)
	}
	testkit.MustContain(t, "stderr without the key", stderr, "is encrypted", "nothing was changed", "set "+keyEnv)
}

func TestConsoleSealsAPlainDatabaseWhenFirstGivenAKey(t *testing.T) {
	noKeys(t)
	db := filepath.Join(t.TempDir(), "mend.db")
	if code, _, stderr := runMend(t, pulseCheckIn, "console", "--db", db, "--template", "pulse"); code != 0 {
		t.Fatalf("plain run: exit %d\n%s", code, stderr)
	}
	t.Setenv(keyEnv, storage.GenerateKey())

	code, stdout, stderr := runMend(t, testkit.Lines("5", "", "", "5", "", ""), "console", "--db", db, "--template", "pulse")

	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	testkit.MustContain(t, "stderr", stderr, "sealed the text stored before encryption was turned on", "answers=2")
	testkit.MustContain(t, "stdout", stdout, "You have both finished")
	wantFileHolds(t, db, "the quiet walk by the river", false)
}

func TestRekeyMovesTheDatabaseToTheNewKey(t *testing.T) {
	noKeys(t)
	db := filepath.Join(t.TempDir(), "mend.db")
	oldKey, newKey := storage.GenerateKey(), storage.GenerateKey()
	t.Setenv(keyEnv, oldKey)
	if code, _, stderr := runMend(t, pulseCheckIn, "console", "--db", db, "--template", "pulse"); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	t.Setenv(keyEnv, newKey)
	t.Setenv(oldKeysEnv, oldKey)

	code, stdout, stderr := runMend(t, "", "rekey", "--db", db)

	if code != 0 {
		t.Fatalf("rekey: exit %d\n%s", code, stderr)
	}
	testkit.MustContain(t, "stdout", stdout, "2 rows moved to key "+mustKeyID(t, newKey))
	if strings.Contains(stdout+stderr, oldKey) || strings.Contains(stdout+stderr, newKey) {
		t.Errorf("rekey printed a key:\n%s%s", stdout, stderr)
	}
	t.Setenv(oldKeysEnv, "")
	if code, _, stderr := runMend(t, testkit.Lines("5", "", "", "5", "", ""), "console", "--db", db, "--template", "pulse"); code != 0 {
		t.Errorf("console with the new key alone: exit %d\n%s", code, stderr)
	}
	t.Setenv(keyEnv, oldKey)
	code, _, stderr = runMend(t, "", "console", "--db", db, "--template", "pulse")
	if code != 1 || !strings.Contains(stderr, "not among the keys given") {
		t.Errorf("console with the old key after the rekey: exit %d\n%s", code, stderr)
	}
}

func mustKeyID(t *testing.T, key string) string {
	t.Helper()
	k, err := storage.ParseKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return k.ID()
}

func TestRekeyWithoutAKeySaysHow(t *testing.T) {
	noKeys(t)

	code, _, stderr := runMend(t, "", "rekey", "--db", filepath.Join(t.TempDir(), "mend.db"))

	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	testkit.MustContain(t, "stderr", stderr, keyEnv+"=NEW-KEY "+oldKeysEnv+"=OLD-KEY mend rekey", "Stop Mend")
}

func TestKeysFromTheEnvironment(t *testing.T) {
	a, b := storage.GenerateKey(), storage.GenerateKey()
	keyFile := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(keyFile, []byte(a+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	emptyFile := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(emptyFile, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		env     map[string]string
		current string // the id of the current key, "" for none
		wantErr string
	}{
		{"none", nil, "", ""},
		{"a key", map[string]string{keyEnv: a}, mustKeyID(t, a), ""},
		{"a key file", map[string]string{keyFileEnv: keyFile}, mustKeyID(t, a), ""},
		{"a new key and the old one", map[string]string{keyEnv: b, oldKeysEnv: "  " + a + ", "}, mustKeyID(t, b), ""},
		{"both the key and its file", map[string]string{keyEnv: a, keyFileEnv: keyFile}, "", "set one"},
		{"old keys alone", map[string]string{oldKeysEnv: a}, "", "is not"},
		{"two current keys", map[string]string{keyEnv: a + "," + b}, "", "holds 2 keys"},
		{"not a key", map[string]string{keyEnv: "hunter2-hunter2"}, "", keyEnv + ": the key is not base64"},
		{"a short key", map[string]string{oldKeysEnv: "c2hvcnQ=", keyEnv: a}, "", "5 bytes long"},
		{"a missing key file", map[string]string{keyFileEnv: keyFile + ".nope"}, "", keyFileEnv},
		{"an empty key file", map[string]string{keyFileEnv: emptyFile}, "", "holds no key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noKeys(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}

			keys, err := keysFromEnv()

			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				for k, v := range tt.env {
					if k != keyFileEnv && strings.TrimSpace(v) != "" && strings.Contains(err.Error(), strings.TrimSpace(v)) {
						t.Errorf("the error %q repeats a key", err)
					}
				}
			case err != nil:
				t.Fatal(err)
			case tt.current == "" && keys != nil:
				t.Errorf("keys = %v, want none", keys.Current())
			case tt.current != "" && (keys == nil || keys.Current() != tt.current):
				t.Errorf("keys = %v, want current key %s", keys, tt.current)
			}
		})
	}
}

// runBotOnce starts the bot against a Discord that is not there (nothing
// listens on port 1), so it stops at once after its start logs.
func runBotOnce(t *testing.T, db string) string {
	t.Helper()
	configFile := filepath.Join(filepath.Dir(db), "mend.toml")
	toml := "[database]\npath = " + strconv.Quote(db) + "\n[discord]\napi_url = \"http://127.0.0.1:1\"\n"
	if err := os.WriteFile(configFile, []byte(toml), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(config.TokenEnv, "a.fake.token")
	t.Setenv(config.FileEnv, configFile)
	_, _, stderr := runMend(t, "", "run")
	return stderr
}

// schemaVersion reads the schema version recorded in the file.
func schemaVersion(t *testing.T, path string) int {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var v int
	if err := raw.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v == 0 {
		t.Fatalf("schema version %d, %v", v, err)
	}
	return v
}

func TestRunLogsTheDatabaseItsSchemaAndThatTextIsUnencrypted(t *testing.T) {
	noKeys(t)
	db := filepath.Join(t.TempDir(), "mend.db")

	stderr := runBotOnce(t, db)

	testkit.MustContain(t, "stderr", stderr,
		"database open", "path="+db, "schema_version="+strconv.Itoa(schemaVersion(t, db)), "encryption=off",
		"what partners write is stored unencrypted", keyEnv)
	if n := strings.Count(stderr, "stored unencrypted"); n != 1 {
		t.Errorf("the unencrypted warning is logged %d times, want once", n)
	}
}

func TestRunLogsThatEncryptionIsOnAndNeverTheKey(t *testing.T) {
	noKeys(t)
	db := filepath.Join(t.TempDir(), "mend.db")
	key := storage.GenerateKey()
	t.Setenv(keyEnv, key)

	stderr := runBotOnce(t, db)

	testkit.MustContain(t, "stderr", stderr, "database open", "schema_version="+strconv.Itoa(schemaVersion(t, db)), "encryption=on", "key_id="+mustKeyID(t, key))
	if strings.Contains(stderr, key) || strings.Contains(stderr, "unencrypted") {
		t.Errorf("stderr names the key or says text is unencrypted:\n%s", stderr)
	}
}

func TestRunRefusesAnEncryptedDatabaseWithoutItsKey(t *testing.T) {
	noKeys(t)
	db := filepath.Join(t.TempDir(), "mend.db")
	t.Setenv(keyEnv, storage.GenerateKey())
	runBotOnce(t, db)
	t.Setenv(keyEnv, "")

	stderr := runBotOnce(t, db)

	testkit.MustContain(t, "stderr", stderr, "cannot open the database", "is encrypted", "nothing was changed")
	if strings.Contains(stderr, "database open") {
		t.Errorf("the bot went on without the key:\n%s", stderr)
	}
}
