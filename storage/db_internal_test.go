package storage

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadPoolCannotWrite(t *testing.T) {
	t.Parallel()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "mend.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.reader.Exec("CREATE TABLE scratch (x)")
	if err == nil || !strings.Contains(err.Error(), "readonly") {
		t.Fatalf("write through the read pool: %v, want a read-only error", err)
	}
}

// The wipe after a forget must not wait for another reader to let go: it
// would hold Mend's writes for the whole busy timeout (see FinishWipes).
func TestWiperDoesNotWaitForLocks(t *testing.T) {
	t.Parallel()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "mend.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var timeout int
	if err := db.wiper.QueryRow("PRAGMA busy_timeout").Scan(&timeout); err != nil {
		t.Fatal(err)
	}
	if timeout != 0 {
		t.Fatalf("the wiper's busy_timeout is %d ms, want 0", timeout)
	}
}

// A DSN that lost secure_delete is caught at start.
func TestCheckPragmasNoticesSecureDeleteMissing(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mend.db")
	pool, err := sql.Open("sqlite3", strings.Replace(writerDSN(path), "&_secure_delete=on", "", 1))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()

	err = expectPragmas(context.Background(), pool, writerPragmas)

	if err == nil || !strings.Contains(err.Error(), "pragma secure_delete") {
		t.Fatalf("a writer without secure_delete: %v, want it named", err)
	}
}
