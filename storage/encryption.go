package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"time"
)

// Option changes how Open opens a database.
type Option func(*options)

type options struct {
	keys     *Keyring
	progress func(Progress)
	batch    int
	lock     bool
}

// WithKeys turns encryption at rest on: what partners write is sealed with
// the keyring's current key, and what older keys sealed can still be read.
// Text stored before is sealed at Open, in batches.
func WithKeys(kr *Keyring) Option { return func(o *options) { o.keys = kr } }

// WithProgress is told how Open gets on sealing text stored before
// encryption was turned on, after each batch.
func WithProgress(fn func(Progress)) Option { return func(o *options) { o.progress = fn } }

// Progress is how far sealing a table has got: at Open, the text stored
// before encryption was turned on; in Rekey, the values of older keys.
type Progress struct {
	Table       string
	Done, Total int
}

// Encryption says how the open database keeps what partners wrote.
type Encryption struct {
	// On is set when a key was given: everything partners write is sealed.
	On bool
	// KeyID is the id of the key that seals new values.
	KeyID string
	// OlderKeys are the ids of other keys that sealed values still stored,
	// until a Rekey moves them to the current key.
	OlderKeys []string
	// Sealed counts, by table, the rows of text stored before encryption was
	// turned on that this Open sealed.
	Sealed map[string]int
}

// Encryption reports how the database keeps what partners wrote.
func (db *DB) Encryption() Encryption { return db.encryption }

// KeyError is a database that cannot be opened with the keys given: it holds
// text sealed with keys that are not among them. Nothing was changed.
type KeyError struct {
	Path string
	// Missing are the ids of the keys the database needs and was not given.
	Missing []string
	// Given is the id of the current key given, "" when none was.
	Given string
}

func (e *KeyError) Error() string {
	path := absolute(e.Path)
	if e.Given == "" {
		return fmt.Sprintf("database %s is encrypted (key %s) and no encryption key was given; nothing was changed", path, strings.Join(e.Missing, ", "))
	}
	return fmt.Sprintf("database %s holds text encrypted with key %s, which is not among the keys given (the current key is %s); nothing was changed",
		path, strings.Join(e.Missing, ", "), e.Given)
}

// checkKeys refuses a database holding text sealed with a key that was not
// given, before migrations or anything else have changed the file.
func (db *DB) checkKeys(ctx context.Context) error {
	ids, err := db.keyIDs(ctx)
	if err != nil {
		return fmt.Errorf("read the encryption keys of database %s: %w", db.path, err)
	}
	var missing []string
	for _, id := range ids {
		if !db.keys.has(id) {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	kerr := &KeyError{Path: db.path, Missing: missing}
	if db.keys != nil {
		kerr.Given = db.keys.Current()
	}
	return kerr
}

// keyIDs lists the recorded key ids, none on a database from before
// encryption existed.
func (db *DB) keyIDs(ctx context.Context) ([]string, error) {
	var exists bool
	err := db.reader.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'encryption_keys')`).Scan(&exists)
	if err != nil || !exists {
		return nil, err
	}
	rows, err := db.reader.QueryContext(ctx, `SELECT key_id FROM encryption_keys ORDER BY added_at, key_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// startEncryption records that encryption is on and under which key, then
// seals the text stored before it was.
func (db *DB) startEncryption(ctx context.Context, progress func(Progress)) error {
	// A first start with a key has everything left to seal.
	var left bool
	if err := db.reader.QueryRowContext(ctx, `SELECT IFNULL((SELECT plaintext_left FROM encryption), 1)`).Scan(&left); err != nil {
		return fmt.Errorf("read the encryption state of database %s: %w", db.path, err)
	}
	// Sealing in place is done by one process alone, whether or not the
	// caller asked for the lock for the whole time the database is open;
	// a refusal comes before anything is written.
	if left && db.lock == nil {
		lock, err := lockDatabase(db.path)
		if err != nil {
			return err
		}
		defer lock.unlock()
	}
	now := dbTime(time.Now())
	err := db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO encryption (id, since, plaintext_left) VALUES (1, ?, 1) ON CONFLICT DO NOTHING`, now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO encryption_keys (key_id, added_at) VALUES (?, ?) ON CONFLICT DO NOTHING`, db.keys.Current(), now)
		return err
	})
	if err != nil {
		return fmt.Errorf("turn encryption on for database %s: %w", db.path, err)
	}
	ids, err := db.keyIDs(ctx)
	if err != nil {
		return fmt.Errorf("read the encryption keys of database %s: %w", db.path, err)
	}
	db.encryption = Encryption{On: true, KeyID: db.keys.Current(), OlderKeys: slices.DeleteFunc(ids, func(id string) bool { return id == db.keys.Current() })}
	if !left {
		return nil
	}
	sealed, err := db.resealAll(ctx, false, progress)
	if err != nil {
		return fmt.Errorf("seal the text stored before encryption in database %s: %w", db.path, err)
	}
	db.encryption.Sealed = sealed
	return nil
}

// Rekey moves every value sealed with an older key (and any plain text left)
// to the current key, then forgets the older keys' ids: from then on the
// database opens with the current key alone. It is resumable like the
// sealing at Open. No other Mend may write to the file meanwhile: one still
// holding only an older key would go on sealing with it.
func (db *DB) Rekey(ctx context.Context, progress func(Progress)) (map[string]int, error) {
	if db.keys == nil {
		return nil, errors.New("rekey: no encryption key was given")
	}
	counts, err := db.resealAll(ctx, true, progress)
	if err != nil {
		return nil, fmt.Errorf("rekey database %s to key %s: %w", db.path, db.keys.Current(), err)
	}
	db.encryption.OlderKeys = nil
	return counts, nil
}

// resealBatch is how many rows one transaction seals: the write lock is
// held for a batch at a time, so partners' answers wait for one batch at
// most, and what a batch committed stays done if Mend is stopped.
const resealBatch = 200

// resealAll seals, table by table, the plain text left and, when rekey is
// set, the values of older keys. It ends with a transaction that finds
// nothing left, records that, and has the write-ahead log emptied: the old
// forms of the values are in it.
func (db *DB) resealAll(ctx context.Context, rekey bool, progress func(Progress)) (map[string]int, error) {
	counts := map[string]int{}
	for {
		for _, t := range sealedTables {
			n, err := db.reseal(ctx, t, rekey, progress)
			if err != nil {
				return counts, fmt.Errorf("%s: %w", t.table, err)
			}
			if n > 0 {
				counts[t.table] += n
			}
		}
		done, err := db.finishResealing(ctx, rekey)
		if err != nil {
			return counts, err
		}
		if done {
			break
		}
		// Another process wrote in between (see Rekey); go round again.
	}
	// Pages freed before sealing, by another program that did not zero
	// them, may still hold plain text: VACUUM writes the file anew, and the
	// truncating checkpoint that follows takes the old pages out of the log.
	if _, err := db.writer.ExecContext(ctx, `VACUUM`); err != nil {
		return counts, fmt.Errorf("vacuum after sealing: %w", err)
	}
	db.tryWipe(ctx)
	return counts, nil
}

func (db *DB) finishResealing(ctx context.Context, rekey bool) (bool, error) {
	done := false
	err := db.write(ctx, func(tx *sql.Tx) error {
		for _, t := range sealedTables {
			cond, args := db.needsResealing(t.columns, rekey)
			var left bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+t.table+` WHERE `+cond+`)`, args...).Scan(&left); err != nil {
				return err
			}
			if left {
				return nil
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE encryption SET plaintext_left = 0`); err != nil {
			return err
		}
		if rekey {
			if _, err := tx.ExecContext(ctx, `DELETE FROM encryption_keys WHERE key_id <> ?`, db.keys.Current()); err != nil {
				return err
			}
		}
		done = true
		return requestWipe(ctx, tx)
	})
	if err != nil {
		return false, fmt.Errorf("record that nothing is left to seal: %w", err)
	}
	return done, nil
}

// needsResealing is the condition on a row of a table with the sealed
// columns that it holds a plain value, or one sealed in an older format, or,
// when rekey is set, a value sealed with a key other than the current one.
func (db *DB) needsResealing(columns []string, rekey bool) (string, []any) {
	var conds []string
	var args []any
	for _, c := range columns {
		conds = append(conds, fmt.Sprintf("(%s IS NOT NULL AND (typeof(%s) <> 'blob' OR substr(%s, 1, 1) <> x'%02x'))", c, c, c, sealFormat))
		if rekey {
			// The key id is bytes 2 to 5 of a sealed value (see seal).
			conds = append(conds, fmt.Sprintf("(typeof(%s) = 'blob' AND substr(%s, 2, %d) <> ?)", c, c, keyIDSize))
			args = append(args, db.keys.current.id[:])
		}
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// reseal seals again the rows of one table that need it, a batch per
// transaction, walking by rowid. It returns how many rows it changed.
func (db *DB) reseal(ctx context.Context, t sealedTable, rekey bool, progress func(Progress)) (int, error) {
	cond, condArgs := db.needsResealing(t.columns, rekey)
	var total int
	if err := db.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t.table+` WHERE `+cond, condArgs...).Scan(&total); err != nil {
		return 0, fmt.Errorf("count the rows to seal: %w", err)
	}
	if total == 0 {
		return 0, nil
	}
	keyColumns := append([]string{t.couple}, t.key...)
	selectBatch := `SELECT rowid, ` + strings.Join(keyColumns, ", ") + `, ` + strings.Join(t.columns, ", ") + ` FROM ` + t.table +
		` WHERE rowid > ? AND ` + cond + ` ORDER BY rowid LIMIT ?`
	sets := make([]string, len(t.columns))
	for i, c := range t.columns {
		sets[i] = c + " = ?"
	}
	update := `UPDATE ` + t.table + ` SET ` + strings.Join(sets, ", ") + ` WHERE rowid = ?`

	done := 0
	var after int64
	for {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		var n int
		var last int64
		err := db.write(ctx, func(tx *sql.Tx) error {
			args := append(append([]any{after}, condArgs...), db.batch)
			batch, err := readBatch(ctx, tx, selectBatch, args, len(keyColumns)+len(t.columns))
			if err != nil {
				return err
			}
			st, err := tx.PrepareContext(ctx, update)
			if err != nil {
				return err
			}
			defer st.Close()
			for _, row := range batch {
				key := keyOf(row.values[:len(keyColumns)]...)
				values := make([]any, 0, len(t.columns)+1)
				for i, c := range t.columns {
					v, err := db.resealValue(t.table+"."+c, key, row.values[len(keyColumns)+i])
					if err != nil {
						return fmt.Errorf("row %d: %w", row.rowid, err)
					}
					values = append(values, v)
				}
				if _, err := st.ExecContext(ctx, append(values, row.rowid)...); err != nil {
					return fmt.Errorf("row %d: %w", row.rowid, err)
				}
				last = row.rowid
			}
			n = len(batch)
			return nil
		})
		if err != nil {
			return done, err
		}
		if n == 0 {
			return done, nil
		}
		after, done = last, done+n
		if progress != nil {
			progress(Progress{Table: t.table, Done: done, Total: max(total, done)})
		}
	}
}

type batchRow struct {
	rowid  int64
	values []any
}

// readBatch reads a batch whole before it is changed: SQLite does not
// promise what a query sees of rows changed while it is still stepping.
func readBatch(ctx context.Context, tx *sql.Tx, query string, args []any, columns int) ([]batchRow, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []batchRow
	for rows.Next() {
		r := batchRow{values: make([]any, columns)}
		dest := []any{&r.rowid}
		for i := range r.values {
			dest = append(dest, &r.values[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// resealValue opens a stored value (plain, of an older format, or sealed
// with any key given) and seals it with the current key, bound to its row;
// NULL stays NULL.
func (db *DB) resealValue(column string, key rowKey, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	text, err := db.keys.openPlainToo(column, key, v)
	if err != nil {
		return nil, err
	}
	return db.keys.seal(column, key, text), nil
}

// checkTriggers confirms that the triggers that keep plain values out of the
// sealed columns are in the file as the migrations wrote them: with one
// dropped or changed, a process without the key could write text that
// passes for a partner's answer.
func (db *DB) checkTriggers(ctx context.Context) error {
	want, err := sealingTriggers(migrationFS)
	if err != nil {
		return err
	}
	rows, err := db.reader.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`)
	if err != nil {
		return fmt.Errorf("read the triggers of database %s: %w", db.path, err)
	}
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var name, text string
		if err := rows.Scan(&name, &text); err != nil {
			return err
		}
		got[name] = text
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var wrong []string
	for _, name := range slices.Sorted(maps.Keys(want)) {
		if sameSQL(got[name], want[name]) {
			continue
		}
		state := "missing"
		if _, ok := got[name]; ok {
			state = "changed"
		}
		wrong = append(wrong, name+" ("+state+")")
	}
	if len(wrong) > 0 {
		return fmt.Errorf("database %s: the triggers that keep plain text out of its encrypted columns are not as Mend made them: %s. Something other than Mend changed the schema; nothing was changed. Restore a backup you trust",
			absolute(db.path), strings.Join(wrong, ", "))
	}
	return nil
}

// sealingTriggers reads from the migrations the last definition of the
// trigger on each event of each table of sealedTables.
func sealingTriggers(fsys fs.FS) (map[string]string, error) {
	migrations, err := loadMigrations(fsys)
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	want := map[string]string{}
	for _, t := range sealedTables {
		want[t.table+"_sealed_on_insert"] = ""
		want[t.table+"_sealed_on_update"] = ""
	}
	for _, m := range migrations {
		rest := m.sql
		for {
			i := strings.Index(rest, "CREATE TRIGGER ")
			if i < 0 {
				break
			}
			rest = rest[i:]
			end := strings.Index(rest, "END;")
			if end < 0 {
				return nil, fmt.Errorf("migration %s: a trigger without END;", m.name)
			}
			name := strings.Fields(rest)[2]
			if _, ok := want[name]; ok {
				want[name] = rest[:end+len("END")]
			}
			rest = rest[end:]
		}
	}
	for name, text := range want {
		if text == "" {
			return nil, fmt.Errorf("no migration creates the trigger %s", name)
		}
	}
	return want, nil
}

// sameSQL compares two statements, whatever their spacing.
func sameSQL(a, b string) bool {
	return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
}
