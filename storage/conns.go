package storage

import (
	"context"
	"database/sql"
)

// conns are what every store of a database shares: the pools on its file and
// the keys that seal what partners wrote.
//
// There are two pools. Writes go through one connection whose transactions
// begin IMMEDIATE, so a transaction that reads and then writes holds the
// write lock from its first statement and no other process can change what
// it read. Reads go through a pool of their own whose transactions begin
// DEFERRED: in WAL mode they see a consistent snapshot without waiting for,
// or holding up, a writer. A third connection only empties the write-ahead
// log after a forget (see finishWipes).
type conns struct {
	path   string
	writer *sql.DB
	reader *sql.DB
	wiper  *sql.DB
	// keys seals and opens what partners wrote; nil when encryption is off.
	keys *Keyring
}

// write runs fn in a transaction that holds the write lock from its start and
// commits it if fn succeeds.
func (db *conns) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	err := db.writeTx(ctx, fn)
	if isReadOnly(err) {
		return &fileError{path: db.path, err: err}
	}
	return err
}

func (db *conns) writeTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// read runs fn in a read transaction, so that a row and its children are read
// from one snapshot.
func (db *conns) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.reader.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}
