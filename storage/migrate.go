package storage

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// migrationFS holds the schema changes, numbered from 0001. A file, once
// released, never changes: a new change is a new file.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one numbered schema change.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads migrations/NNNN_name.sql from fsys and checks that they
// are numbered 1, 2, 3... without gaps, because the number is what
// PRAGMA user_version records.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []migration
	for i, name := range names {
		base := path.Base(name)
		prefix, _, ok := strings.Cut(base, "_")
		n, err := strconv.Atoi(prefix)
		if !ok || err != nil || n != i+1 {
			return nil, fmt.Errorf("migration %s: want a name starting with %04d_", base, i+1)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: n, name: base, sql: string(body)})
	}
	return out, nil
}

// migrate brings the database at dbPath up to the newest migration in fsys.
// Each migration runs in its own transaction together with the user_version
// that records it, so a crash or an error leaves the schema at a version that
// exists, never between two. The version is read inside each transaction,
// which holds the write lock, so two processes starting at once do not both
// apply the same change.
func migrate(ctx context.Context, db *sql.DB, dbPath string, fsys fs.FS) error {
	migrations, err := loadMigrations(fsys)
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	known := len(migrations)
	for _, m := range migrations {
		if err := applyMigration(ctx, db, dbPath, known, m); err != nil {
			return err
		}
	}
	if known == 0 {
		// Nothing to apply, but a newer database must still be refused.
		return applyMigration(ctx, db, dbPath, known, migration{})
	}
	return nil
}

func applyMigration(ctx context.Context, db *sql.DB, dbPath string, known int, m migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate database %s: %w", dbPath, err)
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version of database %s: %w", dbPath, err)
	}
	if version > known {
		return fmt.Errorf("database %s has schema version %d, but this Mend only knows up to %d: it was written by a newer Mend; run that version or restore a backup", dbPath, version, known)
	}
	if m.version == 0 || version >= m.version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("apply migration %s to database %s: %w", m.name, dbPath, err)
	}
	// PRAGMA takes no bound parameters; the version is an int we produced.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return fmt.Errorf("record migration %s in database %s: %w", m.name, dbPath, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit migration %s to database %s: %w", m.name, dbPath, err)
	}
	return nil
}
