package storage

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strconv"
)

// The columns that hold what partners wrote or chose, named as sealed values
// are bound to them.
const (
	answerText     = "answers.text"
	answerNote     = "answers.note"
	answerScale    = "answers.scale"
	answerChoice   = "answers.choice"
	answerVerdict  = "answers.verdict"
	commitmentText = "commitments.text"
	agreementText  = "agreements.text"
	boundaryText   = "boundaries.text"
	subjectText    = "checkin_subjects.text"
)

// sealedTable is a table with columns that hold what partners wrote or
// chose. Each of its sealed values is bound to its row by the row's natural
// key: the couple (couple, an SQL expression on the row) and then the
// columns of key. Row ids are not used: VACUUM may renumber them.
type sealedTable struct {
	table   string
	columns []string
	couple  string
	key     []string
}

// coupleOfCheckIn is the couple of a row keyed by check-in, as SQL.
func coupleOfCheckIn(table string) string {
	return `(SELECT couple_id FROM checkins WHERE checkins.id = ` + table + `.checkin_id)`
}

// sealedTables lists every column that holds what partners wrote or chose,
// by table. With a key, each of them is stored sealed; everything else (ids,
// times, statuses, the templates from the config) stays plain, so that
// Mend's queries can still compare and sort it. No query compares or
// searches these columns: progress and history are computed in Go.
var sealedTables = []sealedTable{
	{"answers", []string{"text", "note", "scale", "choice", "verdict"}, coupleOfCheckIn("answers"),
		[]string{"checkin_id", "user_id", "prompt_id", "subject_id"}},
	{"commitments", []string{"text"}, "couple_id", []string{"id"}},
	{"agreements", []string{"text"}, "couple_id", []string{"id"}},
	{"boundaries", []string{"text"}, "couple_id", []string{"id"}},
	// The commitments and agreements as a check-in quoted them.
	{"checkin_subjects", []string{"text"}, coupleOfCheckIn("checkin_subjects"),
		[]string{"checkin_id", "prompt_id", "subject_id"}},
}

// sealedTableOf returns the entry of sealedTables for table.
func sealedTableOf(table string) (sealedTable, bool) {
	for _, t := range sealedTables {
		if t.table == table {
			return t, true
		}
	}
	return sealedTable{}, false
}

// isSealed reports whether table.column is one of sealedTables.
func isSealed(table, column string) bool {
	t, _ := sealedTableOf(table)
	for _, c := range t.columns {
		if c == column {
			return true
		}
	}
	return false
}

// intColumns are the sealed columns that hold a number.
var intColumns = map[string]bool{answerScale: true}

// rowKey names the row a sealed value belongs to: the couple, then the
// natural key of the row in its table. Its values are int64 or string.
type rowKey []any

// keyOf makes a rowKey of ids and texts.
func keyOf(values ...any) rowKey {
	k := make(rowKey, len(values))
	for i, v := range values {
		switch v := v.(type) {
		case int:
			k[i] = int64(v)
		case []byte:
			k[i] = string(v)
		default:
			k[i] = v
		}
	}
	return k
}

// appendTo writes the key unambiguously: each value with its type, texts
// quoted.
func (k rowKey) appendTo(b []byte) []byte {
	for _, v := range k {
		switch v := v.(type) {
		case int64:
			b = strconv.AppendInt(append(b, 'i'), v, 10)
		case string:
			b = strconv.AppendQuote(append(b, 's'), v)
		default:
			b = fmt.Appendf(append(b, '?'), "%v", v)
		}
		b = append(b, 0)
	}
	return b
}

// A sealed value is a BLOB: one byte of format, the key's id, then what
// AES-GCM made of the text (nonce, ciphertext, tag). Plain text is stored as
// TEXT, so SQLite's typeof tells the two apart with no guessing about what
// a partner might have typed.
//
// Format 1 authenticated the column only; format 2 also authenticates the
// row (its table, natural key and couple), so a value copied into another
// row or another couple's row does not open. A start reseals format 1
// values in format 2, and from then on refuses them.
const (
	sealFormatColumn = 1
	sealFormat       = 2
	headerSize       = 1 + keyIDSize
)

// seal returns s as it is stored in table.column of the row key: sealed with
// the current key, or s itself when there is no keyring (encryption is off).
func (kr *Keyring) seal(column string, key rowKey, s string) any {
	if kr == nil {
		return s
	}
	k := kr.current
	out := make([]byte, headerSize, headerSize+len(s)+k.aead.Overhead())
	out[0] = sealFormat
	copy(out[1:], k.id[:])
	// The header, the column and the row are authenticated too: a value
	// cannot be moved to another column or row, nor its key id changed,
	// without open noticing.
	return k.aead.Seal(out, nil, []byte(s), additionalData(out[:headerSize], column, key))
}

// sealNull is seal for a column that stores an empty text as NULL.
func (kr *Keyring) sealNull(column string, key rowKey, s string) any {
	if s == "" {
		return nil
	}
	return kr.seal(column, key, s)
}

// sealInt is seal for a number, 0 stored as NULL.
func (kr *Keyring) sealInt(column string, key rowKey, n int) any {
	if n == 0 {
		return nil
	}
	if kr == nil {
		return int64(n)
	}
	return kr.seal(column, key, strconv.Itoa(n))
}

func additionalData(header []byte, column string, key rowKey) []byte {
	ad := append(append(make([]byte, 0, len(header)+len(column)+64), header...), column...)
	if header[0] == sealFormatColumn {
		return ad
	}
	return key.appendTo(append(ad, 0))
}

// open returns the text of a value read from table.column of the row key:
// NULL is "", and a BLOB is opened with the key its header names. A plain
// value is returned as is only when encryption is off: with a key, every
// value was sealed at start, so a plain one was written around Mend.
func (kr *Keyring) open(column string, key rowKey, v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case []byte:
		return kr.openBytes(column, key, v, false)
	case string, int64:
		if kr != nil {
			return "", fmt.Errorf("%s holds a value that is not encrypted, in an encrypted database: it was written by something other than Mend, and is not shown", column)
		}
		return fmt.Sprint(v), nil
	}
	return "", fmt.Errorf("%s holds %T, want text", column, v)
}

// openPlainToo is open for resealing: plain values and the older format are
// read too, to be sealed again.
func (kr *Keyring) openPlainToo(column string, key rowKey, v any) (string, error) {
	switch v := v.(type) {
	case string, int64:
		return fmt.Sprint(v), nil
	case []byte:
		return kr.openBytes(column, key, v, true)
	}
	return kr.open(column, key, v)
}

// openInt is open for a number; NULL is 0.
func (kr *Keyring) openInt(column string, key rowKey, v any) (int, error) {
	s, err := kr.open(column, key, v)
	if err != nil || s == "" {
		return 0, err
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%s holds %q, want a number", column, s)
	}
	return n, nil
}

func (kr *Keyring) openBytes(column string, key rowKey, v []byte, olderFormat bool) (string, error) {
	if len(v) < headerSize || (v[0] != sealFormat && v[0] != sealFormatColumn) {
		return "", fmt.Errorf("%s holds a value that is not sealed text", column)
	}
	id := hex.EncodeToString(v[1:headerSize])
	if kr == nil {
		return "", fmt.Errorf("%s is encrypted (key %s) and no key was given", column, id)
	}
	if v[0] == sealFormatColumn && !olderFormat {
		return "", fmt.Errorf("%s holds a value in the older format, which this database no longer has: it was copied in from elsewhere, and is not shown", column)
	}
	k, ok := kr.byID[[keyIDSize]byte(v[1:headerSize])]
	if !ok {
		return "", fmt.Errorf("%s is encrypted with key %s, which was not given", column, id)
	}
	text, err := k.aead.Open(nil, nil, v[headerSize:], additionalData(v[:headerSize], column, key))
	if err != nil {
		return "", fmt.Errorf("%s does not open with key %s: it was changed, or moved from another row or couple, after it was written, and is not shown", column, id)
	}
	return string(text), nil
}

// sealedColumn scans a column of sealedTables into a string, opening it.
// The row's key is asked for when the column is scanned, so the columns of
// the key come before it in the query.
type sealedColumn struct {
	kr     *Keyring
	column string
	key    func() rowKey
	dst    *string
}

func (c sealedColumn) Scan(src any) error {
	s, err := c.kr.open(c.column, c.key(), src)
	if err != nil {
		return err
	}
	*c.dst = s
	return nil
}

// sealed returns a scanner that opens table.column into dst.
func (db *conns) sealed(column string, key func() rowKey, dst *string) sealedColumn {
	return sealedColumn{kr: db.keys, column: column, key: key, dst: dst}
}

// sealedByID is sealed for a table keyed by its id (commitments,
// agreements), with the couple and the id scanned before the column.
func (db *conns) sealedByID(column string, coupleID, id *int64, dst *string) sealedColumn {
	return db.sealed(column, func() rowKey { return keyOf(*coupleID, *id) }, dst)
}

// nextID is the id AUTOINCREMENT would give the next row of table, read in
// the write transaction that inserts it: a sealed value is bound to its row
// before the row exists. It is one more than any id the table ever had, so
// an id freed by a deleted couple is still never handed out again.
func nextID(ctx context.Context, tx *sql.Tx, table string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT MAX(
		IFNULL((SELECT seq FROM sqlite_sequence WHERE name = ?), 0),
		IFNULL((SELECT MAX(id) FROM `+table+`), 0)) + 1`, table).Scan(&id)
	return id, err
}
