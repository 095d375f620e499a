//go:build unix

package storage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mend/conversations"
)

// A database that turns read-only under a running Mend (its mode changed,
// and a connection is opened afresh) fails its writes with the file named
// once, not with SQLite's "attempt to write a readonly database".
func TestAWriteToADatabaseThatTurnedReadOnlyNamesTheFile(t *testing.T) {
	t.Parallel()
	if RanAsNobody(t) {
		return
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "mend.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	// With no connection left idle, the next write opens the file afresh,
	// which SQLite now does read-only (it reuses the descriptor of a closed
	// connection while another one of the process is still open).
	db.writer.SetMaxIdleConns(0)
	db.reader.SetMaxIdleConns(0)
	db.wiper.SetMaxIdleConns(0)

	now := time.Date(2025, 3, 10, 18, 0, 0, 0, time.UTC)
	c := conversations.Couple{GuildID: "g", Status: conversations.CouplePending, TimeZone: "UTC", CreatedAt: now,
		Partners: [2]conversations.Partner{{UserID: "alice", Name: "Alice", ConsentedAt: now}, {UserID: "bob", Name: "Bob"}}}
	err = db.Couples.CreateCouple(ctx, &c)

	var fe *fileError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), path+" is read-only") {
		t.Fatalf("write to a read-only database: %v; want it to say %s is read-only", err, path)
	}
}
