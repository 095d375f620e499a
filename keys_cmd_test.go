package main

import (
	"bytes"
	"context"
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

// noKeys unsets the encryption variables, so a key in the environment of
// whoever runs the tests does not change them.
func noKeys(t *testing.T) {
	t.Helper()
	t.Setenv(config.FileEnv, "")
	for _, env := range []string{keyEnv, keyFileEnv, oldKeysEnv, oldKeysFileEnv} {
		unsetEnv(t, env)
	}
}

// unsetEnv unsets env for the test: set but empty is not the same.
func unsetEnv(t *testing.T, env string) {
	t.Helper()
	t.Setenv(env, "") // restores the value after the test
	os.Unsetenv(env)
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

	unsetEnv(t, keyEnv)
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
	// Two notes and two scales: a scale is what a partner gave too.
	testkit.MustContain(t, "stderr", stderr, "mend console: sealed the text stored before encryption was turned on", "(answers=4)")
	// Said to the partners in a sentence, not in a log line between prompts.
	for _, logWord := range []string{"time=", "level=", "msg="} {
		if strings.Contains(stderr, logWord) {
			t.Errorf("stderr holds a log line (%s):\n%s", logWord, stderr)
		}
	}
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
	// Two notes and two scales.
	testkit.MustContain(t, "stdout", stdout, "4 rows moved to key "+mustKeyID(t, newKey),
		"Keep the old keys until that start has opened the database", "key_id="+mustKeyID(t, newKey))
	if strings.Contains(stdout, "no longer needed;") {
		t.Errorf("rekey says the old keys are no longer needed before a start has used the new one:\n%s", stdout)
	}
	if strings.Contains(stdout+stderr, oldKey) || strings.Contains(stdout+stderr, newKey) {
		t.Errorf("rekey printed a key:\n%s%s", stdout, stderr)
	}
	unsetEnv(t, oldKeysEnv)
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
		{"a key set but empty", map[string]string{keyEnv: ""}, "", keyEnv + " is set but empty"},
		{"a key set but blank", map[string]string{keyEnv: "  \n"}, "", keyEnv + " is set but empty"},
		{"a key file set but empty", map[string]string{keyFileEnv: " "}, "", keyFileEnv + " is set but empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			noKeys(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}

			keys, _, err := keysFromEnv()

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
	unsetEnv(t, keyEnv)

	stderr := runBotOnce(t, db)

	testkit.MustContain(t, "stderr", stderr, "cannot open the database", "is encrypted", "nothing was changed")
	if strings.Contains(stderr, "database open") {
		t.Errorf("the bot went on without the key:\n%s", stderr)
	}
}

// One Mend process per database: while one holds it, run, console and rekey
// refuse, naming the process that holds it, and change nothing.
func TestASecondMendOnTheSameDatabaseIsRefusedNamingTheHolder(t *testing.T) {
	noKeys(t)
	db := filepath.Join(t.TempDir(), "mend.db")
	t.Setenv(keyEnv, storage.GenerateKey())
	holder, err := storage.Open(context.Background(), db, storage.WithLock())
	if err != nil {
		t.Fatal(err)
	}
	want := "is in use by another Mend process (pid " + strconv.Itoa(os.Getpid()) + ")"

	code, _, stderr := runMend(t, pulseCheckIn, "console", "--db", db, "--template", "pulse")
	if code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("console beside another Mend: exit %d, want 1 and %q:\n%s", code, want, stderr)
	}
	code, _, stderr = runMend(t, "", "rekey", "--db", db)
	if code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("rekey beside another Mend: exit %d, want 1 and %q:\n%s", code, want, stderr)
	}
	if stderr := runBotOnce(t, db); !strings.Contains(stderr, "cannot open the database") || !strings.Contains(stderr, "pid "+strconv.Itoa(os.Getpid())) {
		t.Errorf("run beside another Mend:\n%s", stderr)
	}
	MustClose(t, holder)

	if code, _, stderr := runMend(t, pulseCheckIn, "console", "--db", db, "--template", "pulse"); code != 0 {
		t.Errorf("console once the other Mend has stopped: exit %d\n%s", code, stderr)
	}
}

func MustClose(t *testing.T, db *storage.DB) {
	t.Helper()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// A key variable that a secret template rendered empty stops Mend before it
// creates a plain database.
func TestAnEmptyKeyVariableRefusesToStart(t *testing.T) {
	noKeys(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "mend.db")
	t.Setenv(keyEnv, " ")

	code, _, stderr := runMend(t, pulseCheckIn, "console", "--db", db, "--template", "pulse")
	runStderr := runBotOnce(t, db)

	if code != 1 || !strings.Contains(stderr, keyEnv+" is set but empty") {
		t.Errorf("console with an empty key: exit %d\n%s", code, stderr)
	}
	testkit.MustContain(t, "run with an empty key", runStderr, "cannot open the database", keyEnv+" is set but empty")
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("a database was created with an empty key: %v", err)
	}
}

func TestAKeyFileOthersCanReadGetsAWarningWithTheCommand(t *testing.T) {
	noKeys(t)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key")
	if err := os.WriteFile(keyFile, []byte(storage.GenerateKey()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(keyFile, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(keyFileEnv, keyFile)

	stderr := runBotOnce(t, filepath.Join(dir, "mend.db"))

	testkit.MustContain(t, "stderr", stderr, "level=WARN", "can be read by other users", "chmod 600 "+keyFile, "encryption=on")
	if err := os.Chmod(keyFile, 0o600); err != nil {
		t.Fatal(err)
	}
	if stderr := runBotOnce(t, filepath.Join(dir, "mend.db")); strings.Contains(stderr, "can be read by other users") {
		t.Errorf("a key file of mode 0600 gets the warning:\n%s", stderr)
	}
}
