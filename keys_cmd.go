package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"mend/storage"
)

// The encryption keys come from the environment only, like the token: a
// config file is shared and committed, a key must not be.
const (
	keyEnv         = "MEND_ENCRYPTION_KEY"
	keyFileEnv     = "MEND_ENCRYPTION_KEY_FILE"
	oldKeysEnv     = "MEND_ENCRYPTION_OLD_KEYS"
	oldKeysFileEnv = "MEND_ENCRYPTION_OLD_KEYS_FILE"
)

// keysFromEnv reads the keyring from the environment: the current key from
// MEND_ENCRYPTION_KEY or the file MEND_ENCRYPTION_KEY_FILE names, and the
// keys it replaces, for reading until a rekey, from MEND_ENCRYPTION_OLD_KEYS
// (separated by commas or spaces) or MEND_ENCRYPTION_OLD_KEYS_FILE (one a
// line). nil when no key is set: encryption is off. A variable that is set
// but holds no key is an error: a secret that rendered empty must not turn
// encryption off. The warnings are about key files others can read. No
// error repeats what a variable or file holds.
func keysFromEnv() (*storage.Keyring, []string, error) {
	for _, env := range []string{keyEnv, keyFileEnv} {
		if value, set := os.LookupEnv(env); set && strings.TrimSpace(value) == "" {
			return nil, nil, fmt.Errorf("%s is set but empty: give the key (make one with: mend keygen), or unset %s to run without encryption", env, env)
		}
	}
	current, warnings, err := keysFrom(keyEnv, keyFileEnv)
	if err != nil {
		return nil, nil, err
	}
	old, oldWarnings, err := keysFrom(oldKeysEnv, oldKeysFileEnv)
	if err != nil {
		return nil, nil, err
	}
	warnings = append(warnings, oldWarnings...)
	switch {
	case len(current) == 0 && len(old) == 0:
		return nil, warnings, nil
	case len(current) == 0:
		return nil, nil, fmt.Errorf("%s is set but %s is not: old keys are only read alongside the current key", oldKeysEnv, keyEnv)
	case len(current) > 1:
		return nil, nil, fmt.Errorf("%s holds %d keys; give one, and the keys it replaces in %s", keyEnv, len(current), oldKeysEnv)
	}
	kr, err := storage.NewKeyring(current[0], old...)
	return kr, warnings, err
}

// keySecrets are the keys as written in the environment or their files, for
// the log's redaction: no message of Mend's holds one, and if a library's
// ever did, it would not reach the log.
func keySecrets() []string {
	var out []string
	for _, pair := range [][2]string{{keyEnv, keyFileEnv}, {oldKeysEnv, oldKeysFileEnv}} {
		value := os.Getenv(pair[0])
		if path := os.Getenv(pair[1]); path != "" {
			data, _ := os.ReadFile(path)
			value += "\n" + string(data)
		}
		out = append(out, keyFields(value)...)
	}
	return out
}

func keyFields(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
}

// keysFrom parses the keys in the variable env, or in the file the variable
// fileEnv names, with a warning when others than Mend's user may read the
// file.
func keysFrom(env, fileEnv string) ([]*storage.Key, []string, error) {
	value, source := os.Getenv(env), env
	var warnings []string
	if path := os.Getenv(fileEnv); path != "" {
		if value != "" {
			return nil, nil, fmt.Errorf("both %s and %s are set; set one", env, fileEnv)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", fileEnv, err)
		}
		value, source = string(data), fileEnv+" ("+path+")"
		// A file named on purpose and found empty would otherwise turn
		// encryption off without a word.
		if len(keyFields(value)) == 0 {
			return nil, nil, fmt.Errorf("%s holds no key", source)
		}
		if info, err := os.Stat(path); err == nil && info.Mode().Perm()&0o077 != 0 {
			warnings = append(warnings, fmt.Sprintf("the key file %s (%s) can be read by other users of this machine (mode %04o); make it readable by Mend's user alone: chmod 600 %s",
				path, fileEnv, info.Mode().Perm(), path))
		}
	}
	fields := keyFields(value)
	var keys []*storage.Key
	for i, f := range fields {
		k, err := storage.ParseKey(f)
		if err != nil {
			if len(fields) > 1 {
				return nil, nil, fmt.Errorf("%s, key %d: %w", source, i+1, err)
			}
			return nil, nil, fmt.Errorf("%s: %w", source, err)
		}
		keys = append(keys, k)
	}
	return keys, warnings, nil
}

// openStore opens the database with the keys in the environment, holding
// its lock until it is closed: one Mend process per database. Text stored
// before encryption was turned on is sealed now, with the progress logged.
func openStore(ctx context.Context, path string, log *slog.Logger) (*storage.DB, error) {
	keys, warnings, err := keysFromEnv()
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		log.Warn(w)
	}
	db, err := storage.Open(ctx, path, storage.WithKeys(keys), storage.WithLock(),
		storage.WithProgress(sealingLog(log, "sealing text stored before encryption was turned on")))
	var kerr *storage.KeyError
	if errors.As(err, &kerr) {
		return nil, fmt.Errorf("%w; %s", err, keyHint(kerr))
	}
	if err != nil {
		return nil, err
	}
	if sealed := db.Encryption().Sealed; len(sealed) > 0 {
		log.Info("sealed the text stored before encryption was turned on, and any sealed by an earlier Mend bound to its column only", countAttrs(sealed)...)
	}
	return db, nil
}

func keyHint(e *storage.KeyError) string {
	if e.Given == "" {
		return fmt.Sprintf("set %s (or %s) to the key it was encrypted with", keyEnv, keyFileEnv)
	}
	return fmt.Sprintf("set %s to the key with id %s, or, to move to the new key, give the old one in %s as well and run mend rekey",
		keyEnv, strings.Join(e.Missing, ", "), oldKeysEnv)
}

// logStore says at start which database Mend uses and how it keeps what
// partners wrote; never any of it.
func logStore(log *slog.Logger, db *storage.DB) {
	enc := db.Encryption()
	if !enc.On {
		log.Info("database open", "path", db.Path(), "schema_version", db.SchemaVersion(), "encryption", "off")
		log.Warn("what partners write is stored unencrypted; to encrypt it at rest, set " + keyEnv + " (make a key with: mend keygen)")
		return
	}
	log.Info("database open", "path", db.Path(), "schema_version", db.SchemaVersion(), "encryption", "on", "key_id", enc.KeyID)
	if len(enc.OlderKeys) > 0 {
		log.Warn("text sealed with older keys is still stored; run mend rekey to move it to the current key", "older_key_ids", strings.Join(enc.OlderKeys, ","))
	}
}

// sealingLog logs the progress of sealing a table at each tenth, not at each
// batch: a large database has thousands of batches.
func sealingLog(log *slog.Logger, msg string) func(storage.Progress) {
	tenths := map[string]int{}
	return func(p storage.Progress) {
		tenth := p.Done * 10 / max(p.Total, 1)
		if tenth == tenths[p.Table] && p.Done != p.Total {
			return
		}
		tenths[p.Table] = tenth
		log.Info(msg, "table", p.Table, "done", p.Done, "total", p.Total)
	}
}

func countAttrs(counts map[string]int) []any {
	var out []any
	for _, t := range storage.CoupleTables() {
		if n, ok := counts[t]; ok {
			out = append(out, t, n)
		}
	}
	return out
}

func runKeygen(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), "Usage: mend keygen") }
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	key := storage.GenerateKey()
	k, err := storage.ParseKey(key)
	if err != nil {
		fmt.Fprintf(stderr, "mend keygen: %v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, key)
	fmt.Fprintf(stderr, `A new encryption key (id %s) is on standard output. Give it to Mend as
%s, or write it to a file readable by Mend's user alone and set
%s to that file. Keep a copy somewhere safe and apart from the
backups: without the key, nothing partners wrote can be read, by anyone.
`, k.ID(), keyEnv, keyFileEnv)
	return 0
}

func runRekey(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs, configPath := newFlagSet("rekey", "rekey [--config FILE] [--db FILE]", stderr)
	dbPath := fs.String("db", "", "SQLite database `FILE` (default: database.path from the config, else mend.db)")
	if code, done := parseFlags(fs, args, stdout); done {
		return code
	}
	cfg, ok := loadConfigFor(*configPath, stderr)
	if !ok {
		return exitUsage
	}
	keys, _, err := keysFromEnv()
	if err != nil {
		fmt.Fprintf(stderr, "mend rekey: %v\n", err)
		return exitUsage
	}
	if keys == nil {
		fmt.Fprintf(stderr, `mend rekey: %s is not set. Stop Mend, then run:

    %s=NEW-KEY %s=OLD-KEY mend rekey

with a new key from "mend keygen"; then start Mend with the new key alone.
`, keyEnv, keyEnv, oldKeysEnv)
		return exitUsage
	}
	path := cfg.Database.Path
	if *dbPath != "" {
		path = *dbPath
	}
	// Opening a missing file would create an empty database and report it rekeyed.
	if err := storage.Existing(path); err != nil {
		fmt.Fprintf(stderr, "mend rekey: %v\n", err)
		return 1
	}
	log := newLogger(cfg.Log, stderr)
	db, err := openStore(ctx, path, log)
	if err != nil {
		fmt.Fprintf(stderr, "mend rekey: %v\n", err)
		return 1
	}
	defer db.Close()
	counts, err := db.Rekey(ctx, sealingLog(log, "moving text to the new key"))
	if err != nil {
		fmt.Fprintf(stderr, "mend rekey: %v\n", err)
		return 1
	}
	n := 0
	for _, c := range counts {
		n += c
	}
	fmt.Fprintf(stdout, `%s: %d rows moved to key %s. Now start Mend with %s alone.
Keep the old keys until that start has opened the database (its log says
"database open" with key_id=%s): only then are they no longer needed.
`, db.Path(), n, keys.Current(), keyEnv, keys.Current())
	return 0
}
