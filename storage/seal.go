package storage

import (
	"encoding/hex"
	"fmt"
)

// The columns that hold what partners wrote, named as sealed values are
// bound to them.
const (
	answerText     = "answers.text"
	answerNote     = "answers.note"
	commitmentText = "commitments.text"
	agreementText  = "agreements.text"
	boundaryText   = "boundaries.text"
	subjectText    = "checkin_subjects.text"
)

// sealedTables lists every column that holds what partners wrote, by table.
// With a key, each of them is stored sealed; everything else (ids, times,
// statuses, scores, the templates from the config) stays plain, so that
// Mend's queries can still compare and sort it. No query compares or
// searches these columns.
var sealedTables = []struct {
	table   string
	columns []string
}{
	{"answers", []string{"text", "note"}},
	{"commitments", []string{"text"}},
	{"agreements", []string{"text"}},
	{"boundaries", []string{"text"}},
	// The commitments and agreements as a check-in quoted them.
	{"checkin_subjects", []string{"text"}},
}

// isSealed reports whether table.column is one of sealedTables.
func isSealed(table, column string) bool {
	for _, t := range sealedTables {
		if t.table != table {
			continue
		}
		for _, c := range t.columns {
			if c == column {
				return true
			}
		}
	}
	return false
}

// A sealed value is a BLOB: one byte of format, the key's id, then what
// AES-GCM made of the text (nonce, ciphertext, tag). Plain text is stored as
// TEXT, so SQLite's typeof tells the two apart with no guessing about what
// a partner might have typed.
const (
	sealFormat = 1
	headerSize = 1 + keyIDSize
)

// seal returns s as it is stored in table.column: sealed with the current key,
// or s itself when there is no keyring (encryption is off).
func (kr *Keyring) seal(column, s string) any {
	if kr == nil {
		return s
	}
	k := kr.current
	out := make([]byte, headerSize, headerSize+len(s)+k.aead.Overhead())
	out[0] = sealFormat
	copy(out[1:], k.id[:])
	// The header and the column are authenticated too: a value cannot be
	// moved to another column, nor its key id changed, without Open noticing.
	return k.aead.Seal(out, nil, []byte(s), additionalData(out[:headerSize], column))
}

// sealNull is seal for a column that stores an empty text as NULL.
func (kr *Keyring) sealNull(column, s string) any {
	if s == "" {
		return nil
	}
	return kr.seal(column, s)
}

func additionalData(header []byte, column string) []byte {
	return append(append(make([]byte, 0, len(header)+len(column)), header...), column...)
}

// open returns the text of a value read from table.column: NULL is "", TEXT
// is text written before encryption was turned on, and a BLOB is opened
// with the key its header names.
func (kr *Keyring) open(column string, v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case []byte:
		return kr.openBytes(column, v)
	}
	return "", fmt.Errorf("%s holds %T, want text", column, v)
}

func (kr *Keyring) openBytes(column string, v []byte) (string, error) {
	if len(v) < headerSize || v[0] != sealFormat {
		return "", fmt.Errorf("%s holds a value that is not sealed text", column)
	}
	id := hex.EncodeToString(v[1:headerSize])
	if kr == nil {
		return "", fmt.Errorf("%s is encrypted (key %s) and no key was given", column, id)
	}
	k, ok := kr.byID[[keyIDSize]byte(v[1:headerSize])]
	if !ok {
		return "", fmt.Errorf("%s is encrypted with key %s, which was not given", column, id)
	}
	text, err := k.aead.Open(nil, nil, v[headerSize:], additionalData(v[:headerSize], column))
	if err != nil {
		return "", fmt.Errorf("%s does not open with key %s: it was changed after it was written", column, id)
	}
	return string(text), nil
}

// sealedColumn scans a column of sealedTables into a string, opening it.
type sealedColumn struct {
	kr     *Keyring
	column string
	dst    *string
}

func (c sealedColumn) Scan(src any) error {
	s, err := c.kr.open(c.column, src)
	if err != nil {
		return err
	}
	*c.dst = s
	return nil
}

// sealed returns a scanner that opens table.column into dst.
func (db *conns) sealed(column string, dst *string) sealedColumn {
	return sealedColumn{kr: db.keys, column: column, dst: dst}
}
