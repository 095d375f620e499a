// Package storage keeps Mend's couples, check-ins and answers in SQLite. It
// has one store per aggregate, each implementing the narrow store the domain
// declares for it; DB opens the file and hands them out.
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"mend/conversations"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

// DB is an open Mend database: the file as a whole (opening, closing,
// encryption, health) and the store of each aggregate in it. The stores
// share the connections and the single writer (see conns); a change that
// spans aggregates, such as a couple's update and the post it queues, is
// still one method of one store and one transaction.
type DB struct {
	*conns
	// The store of each aggregate, for code that needs just one (a test,
	// say); Stores hands them to the domain together.
	Couples          *Couples
	CheckIns         *CheckIns
	Answers          *Answers
	Acknowledgements *Acknowledgements
	Schedules        *Schedules
	Outbox           *Outbox
	Commitments      *Commitments
	Agreements       *Agreements
	Boundaries       *Boundaries
	Records          *Records
	Paths            *Paths
	Talks            *Talks
	// warning is what PermissionWarning returns.
	warning    string
	encryption Encryption
	version    int
	// batch is how many rows a transaction seals (see resealBatch).
	batch int
	// lock is held from Open to Close when WithLock was given.
	lock *dbLock
}

// Open opens the database at path, creating it if needed, and brings its schema
// up to date. A database written by a newer Mend, or holding text encrypted
// with a key that was not given (a *KeyError), is refused with its schema and
// data left as they are.
func Open(ctx context.Context, path string, opts ...Option) (*DB, error) {
	o := options{batch: resealBatch}
	for _, opt := range opts {
		opt(&o)
	}
	if path == "" {
		return nil, errors.New("open database: no path given")
	}
	var lock *dbLock
	if o.lock {
		var err error
		if lock, err = lockDatabase(path); err != nil {
			return nil, err
		}
	}
	if err := prepareFile(path); err != nil {
		lock.unlock()
		return nil, fmt.Errorf("open database: %w", err)
	}
	c := &conns{path: path, keys: o.keys}
	db := &DB{
		conns: c, batch: o.batch, lock: lock,
		Couples: &Couples{c}, CheckIns: &CheckIns{c}, Answers: &Answers{c}, Acknowledgements: &Acknowledgements{c},
		Schedules: &Schedules{c}, Outbox: &Outbox{c}, Commitments: &Commitments{c}, Agreements: &Agreements{c},
		Boundaries: &Boundaries{c}, Records: &Records{c}, Paths: &Paths{c}, Talks: &Talks{c},
	}
	var err error
	if db.writer, err = sql.Open("sqlite3", writerDSN(path)); err != nil {
		db.Close() // lets the lock go
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// One writer at a time is all SQLite allows; queueing in Go is cheaper than
	// several connections spinning in the busy handler of the same process.
	db.writer.SetMaxOpenConns(1)
	if db.reader, err = sql.Open("sqlite3", readerDSN(path)); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if db.wiper, err = sql.Open("sqlite3", wiperDSN(path)); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.wiper.SetMaxOpenConns(1)
	if err := db.checkPragmas(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := db.checkKeys(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := migrate(ctx, db.writer, path, migrationFS); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.checkTriggers(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.reader.QueryRowContext(ctx, "PRAGMA user_version").Scan(&db.version); err != nil {
		db.Close()
		return nil, fmt.Errorf("read schema version of database %s: %w", path, err)
	}
	if db.keys != nil {
		if err := db.startEncryption(ctx, o.progress); err != nil {
			db.Close()
			return nil, err
		}
	}
	// Checked once SQLite has created the -wal and -shm files.
	db.warning = permissionWarning(path)
	return db, nil
}

// Stores hands the domain the store of each aggregate.
func (db *DB) Stores() conversations.Stores {
	return conversations.Stores{
		Couples: db.Couples, CheckIns: db.CheckIns, Answers: db.Answers, Acknowledgements: db.Acknowledgements,
		Schedules: db.Schedules, Outbox: db.Outbox, Commitments: db.Commitments, Agreements: db.Agreements,
		Boundaries: db.Boundaries, Records: db.Records, Paths: db.Paths, Talks: db.Talks,
	}
}

// PermissionWarning is a warning to show at start, naming the chmod command
// to run, when other users of the machine can read or change the database
// or its -wal and -shm files; "" when they cannot.
func (db *DB) PermissionWarning() string { return db.warning }

// Path is the database file, made absolute so a log line says where it is.
func (db *DB) Path() string { return absolute(db.path) }

// SchemaVersion is the number of the newest migration applied to the file.
func (db *DB) SchemaVersion() int { return db.version }

// Close closes the database. When the last connection to the file closes,
// SQLite folds the WAL back into the database file.
func (db *DB) Close() error {
	var errs []error
	if db.wiper != nil {
		errs = append(errs, db.wiper.Close())
	}
	if db.reader != nil {
		errs = append(errs, db.reader.Close())
	}
	if db.writer != nil {
		errs = append(errs, db.writer.Close())
	}
	errs = append(errs, db.lock.unlock())
	db.lock = nil
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close database %s: %w", db.path, err)
	}
	return nil
}

// CloseAndRemove closes a database nobody wants kept (a console run in which
// nobody said yes) and removes its files. They are removed while this
// process still holds the lock, so that no other Mend can open the database
// between the close and the removal; the lock file goes with them.
func (db *DB) CloseAndRemove() error {
	var errs []error
	for _, p := range []string{db.path, db.path + "-wal", db.path + "-shm", db.path + "-journal", LockPath(db.path)} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	errs = append(errs, db.Close())
	// Closing the last connection may write the write-ahead log again.
	for _, p := range []string{db.path + "-wal", db.path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("remove database %s: %w", db.path, err)
	}
	return nil
}

// writerDSN asks for everything a writer needs on each new connection.
func writerDSN(path string) string {
	return fileURI(path) + "?" + strings.Join([]string{
		// SQLite does not check foreign keys unless asked to, per connection;
		// without it deleting a couple would leave its answers behind.
		"_foreign_keys=on",
		// WAL lets readers go on while someone writes: the bot answers
		// interactions while the scheduler opens check-ins.
		"_journal_mode=WAL",
		// Another process (a console, a second bot during a deploy) may hold
		// the write lock briefly; wait for it rather than fail.
		"_busy_timeout=5000",
		// NORMAL, the usual choice with WAL, can lose the last commits on
		// power loss. A partner who was told their answer is saved must be
		// able to rely on it, so every commit is synced.
		"_synchronous=FULL",
		// Take the write lock at BEGIN, so that a transaction that reads before
		// it writes (SaveAnswer checks the status, OpenCheckIn closes expired
		// check-ins) cannot be overtaken by another process in between and
		// never fails half-way with SQLITE_BUSY on lock upgrade.
		"_txlock=immediate",
		// Deleted content is overwritten with zeros, so what a couple asked
		// Mend to forget does not linger in free pages of the file.
		"_secure_delete=on",
	}, "&")
}

// readerDSN is for the pool that only reads. The journal mode is a property of
// the file, set by the writer, so it is not repeated here.
func readerDSN(path string) string {
	return fileURI(path) + "?" + strings.Join([]string{
		"_foreign_keys=on",
		"_busy_timeout=5000",
		"_txlock=deferred",
		// A write through the read pool would bypass the IMMEDIATE lock;
		// make it fail instead.
		"_query_only=on",
	}, "&")
}

// wiperDSN is for the connection that empties the write-ahead log after a
// forget. It must not wait: a checkpoint that waits for readers to let go
// holds the write lock meanwhile, and every partner's answer would wait with
// it. FinishWipes tries again later instead.
func wiperDSN(path string) string {
	return fileURI(path) + "?_busy_timeout=0"
}

// fileURI escapes the characters that would end a path inside a SQLite URI
// filename, so a data directory named "a?b" or "50%" still works.
func fileURI(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// checkPragmas confirms that the settings Mend relies on took effect: a typo
// in a DSN parameter is silently ignored by the driver, and a file system that
// cannot do WAL (some network mounts) silently keeps the old journal.
func (db *DB) checkPragmas(ctx context.Context) error {
	if err := expectPragmas(ctx, db.writer, writerPragmas); err != nil {
		return err
	}
	// The driver turns an absent or empty timeout into 5 s; make sure the
	// wiper really does not wait.
	if err := expectPragmas(ctx, db.wiper, []pragmaCheck{{"busy_timeout", "0"}}); err != nil {
		return fmt.Errorf("wiper connection: %w", err)
	}
	return nil
}

type pragmaCheck struct{ pragma, want string }

// writerPragmas are the settings of writerDSN, as SQLite reports them.
var writerPragmas = []pragmaCheck{
	{"foreign_keys", "1"},
	{"journal_mode", "wal"},
	{"synchronous", "2"}, // FULL
	{"busy_timeout", "5000"},
	// What a forget deletes is overwritten, not left in free pages.
	{"secure_delete", "1"},
}

func expectPragmas(ctx context.Context, pool *sql.DB, checks []pragmaCheck) error {
	conn, err := pool.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, c := range checks {
		var got string
		if err := conn.QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil {
			return fmt.Errorf("read pragma %s: %w", c.pragma, err)
		}
		if !strings.EqualFold(got, c.want) {
			return fmt.Errorf("pragma %s is %q, want %q", c.pragma, got, c.want)
		}
	}
	return nil
}

// timeLayout sorts lexically in the same order as the times it writes, because
// every field has a fixed width and the zone is always UTC.
const timeLayout = "2006-01-02T15:04:05.000Z"

// dbTime returns t as stored, or NULL for the zero time. Precision below a
// millisecond is dropped.
func dbTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeLayout)
}

// timeColumn scans a stored time, NULL into the zero time.
type timeColumn struct{ t *time.Time }

func (c timeColumn) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
		return nil
	case string:
		return c.parse(v)
	case []byte:
		return c.parse(string(v))
	}
	return fmt.Errorf("time column holds %T, want text", src)
}

func (c timeColumn) parse(s string) error {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return fmt.Errorf("time column: %w", err)
	}
	*c.t = t
	return nil
}

// nullString stores an unused text field as NULL.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullInt stores an unused number field as NULL.
func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

func isUniqueViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique
}

func isForeignKeyViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey
}

func notFound(kind string) error {
	return conversations.Errorf(conversations.ENOTFOUND, "%s not found", kind)
}

// mustAffectOne turns an UPDATE that matched no row into ENOTFOUND.
func mustAffectOne(res sql.Result, kind string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound(kind)
	}
	return nil
}

// execer is what the insert helpers need of a transaction, so that a batch
// can hand them a stmtCache instead.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// stmtCache prepares each statement of a transaction once: a batch that
// opens thousands of check-ins runs the same few statements over and over,
// and preparing them is most of the cost.
type stmtCache struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func newStmtCache(tx *sql.Tx) *stmtCache { return &stmtCache{tx: tx, stmts: map[string]*sql.Stmt{}} }

func (c *stmtCache) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, ok := c.stmts[query]
	if !ok {
		var err error
		if st, err = c.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		c.stmts[query] = st
	}
	// Without cancellation the driver runs the statement on this goroutine:
	// with it, it starts one for every statement to watch the context, and
	// a batch runs thousands. The transaction's context still ends the
	// batch between statements.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return st.ExecContext(context.WithoutCancel(ctx), args...)
}
