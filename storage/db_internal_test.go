package storage

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadPoolCannotWrite(t *testing.T) {
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
