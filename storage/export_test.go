package storage

import "testing"

// KnownSchemaVersion is the number of migrations built into this binary.
func KnownSchemaVersion(tb testing.TB) int {
	tb.Helper()
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		tb.Fatal(err)
	}
	return len(ms)
}

// WithResealBatch makes sealing go n rows a transaction, so that a few rows
// take several batches.
func WithResealBatch(n int) Option { return func(o *options) { o.batch = n } }
