package storage

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"testing/fstest"
)

func openWriter(tb testing.TB) (*sql.DB, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "mend.db")
	db, err := sql.Open("sqlite3", writerDSN(path))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db, path
}

func schemaState(tb testing.TB, db *sql.DB) (version int, tables []string) {
	tb.Helper()
	if err := db.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		tb.Fatal(err)
	}
	rows, err := db.Query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			tb.Fatal(err)
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return version, tables
}

func TestMigrateStopsAtTheLastWholeMigration(t *testing.T) {
	t.Parallel()
	db, path := openWriter(t)
	fsys := fstest.MapFS{
		"migrations/0001_a.sql": {Data: []byte("CREATE TABLE a (x);")},
		// Its first statement works, its second does not: none of it may stay.
		"migrations/0002_b.sql": {Data: []byte("CREATE TABLE b (x); INSERT INTO missing VALUES (1);")},
	}
	if err := migrate(context.Background(), db, path, fsys); err == nil {
		t.Fatal("migrate succeeded with a broken migration")
	}
	version, tables := schemaState(t, db)
	if version != 1 || len(tables) != 1 || tables[0] != "a" {
		t.Errorf("after a failed migration 2: version %d, tables %v; want version 1, tables [a]", version, tables)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	t.Parallel()
	db, path := openWriter(t)
	fsys := fstest.MapFS{
		"migrations/0001_a.sql": {Data: []byte("CREATE TABLE a (x);")},
		"migrations/0002_b.sql": {Data: []byte("CREATE TABLE b (x);")},
	}
	for range 2 {
		if err := migrate(context.Background(), db, path, fsys); err != nil {
			t.Fatal(err)
		}
	}
	version, tables := schemaState(t, db)
	if version != 2 || len(tables) != 2 {
		t.Errorf("version %d, tables %v; want version 2, tables [a b]", version, tables)
	}
}

func TestMigrateRefusesNewerSchemaWithoutMigrations(t *testing.T) {
	t.Parallel()
	db, path := openWriter(t)
	if _, err := db.Exec("PRAGMA user_version = 1"); err != nil {
		t.Fatal(err)
	}
	if err := migrate(context.Background(), db, path, fstest.MapFS{}); err == nil {
		t.Fatal("migrate accepted a schema version it does not know")
	}
}

func TestLoadMigrationsWantsConsecutiveNumbers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files []string
		ok    bool
	}{
		{"consecutive", []string{"0001_init.sql", "0002_more.sql"}, true},
		{"none", nil, true},
		{"gap", []string{"0001_init.sql", "0003_more.sql"}, false},
		{"not from one", []string{"0002_init.sql"}, false},
		{"no number", []string{"init.sql"}, false},
		{"duplicate number", []string{"0001_a.sql", "0001_b.sql"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range tt.files {
				fsys["migrations/"+f] = &fstest.MapFile{Data: []byte("SELECT 1;")}
			}
			_, err := loadMigrations(fsys)
			if (err == nil) != tt.ok {
				t.Errorf("loadMigrations(%v) error = %v, want ok=%v", tt.files, err, tt.ok)
			}
		})
	}
}

func TestEmbeddedMigrationsAreNumbered(t *testing.T) {
	t.Parallel()
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 {
		t.Fatal("no migrations embedded")
	}
}
