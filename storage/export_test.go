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

// SetResealBatch makes sealing go n rows a transaction for the test, so that
// a few rows take several batches.
func SetResealBatch(tb testing.TB, n int) {
	tb.Helper()
	old := resealBatch
	resealBatch = n
	tb.Cleanup(func() { resealBatch = old })
}
