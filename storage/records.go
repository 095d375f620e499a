package storage

import (
	"context"
	"database/sql"
	"fmt"
	"mend/conversations"
	"strconv"
)

var _ conversations.RecordStore = (*Records)(nil)

// Records takes out and deletes a couple's data.
type Records struct{ *conns }

// ofCheckIns selects the rows of a table keyed by check-in that belong to a couple.
const ofCheckIns = `checkin_id IN (SELECT id FROM checkins WHERE couple_id = ?)`

// coupleTables lists every table with rows of a couple and how to find them.
// Export and forget both walk it, so a table added to the schema and not
// here is caught by their tests (which compare with sqlite_master).
var coupleTables = []struct{ name, where string }{
	{"couples", "id = ?"},
	{"partners", "couple_id = ?"},
	{"schedules", "couple_id = ?"},
	{"schedule_runs", "couple_id = ?"},
	{"checkins", "couple_id = ?"},
	{"checkin_participants", ofCheckIns},
	{"checkin_subjects", ofCheckIns},
	{"answers", ofCheckIns},
	{"acknowledgements", ofCheckIns},
	{"talks", ofCheckIns},
	{"checkin_reminders", ofCheckIns},
	{"checkin_shares", ofCheckIns},
	{"checkin_share_asks", ofCheckIns},
	{"commitments", "couple_id = ?"},
	{"agreements", "couple_id = ?"},
	{"boundaries", "couple_id = ?"},
	{"posts", "couple_id = ?"},
	{"paths", "couple_id = ?"},
	{"guided_talks", "couple_id = ?"},
}

// CoupleTables names the tables that hold a couple's rows, in export order.
func CoupleTables() []string {
	out := make([]string, len(coupleTables))
	for i, t := range coupleTables {
		out[i] = t.name
	}
	return out
}

// ExportCouple returns every row of the couple, table by table, as column
// name to value, for viewerID. The other partner's answers to a check-in that
// was never revealed (nor shared) are left out: they are theirs alone. So is
// the other partner's passing over a look at their own boundary, of which the
// reveal shows nothing either. Of a shared check-in, what the share left out
// is left out too: the sharer's reviews of the viewer's promises.
func (st *Records) ExportCouple(ctx context.Context, coupleID int64, viewerID string) (map[string][]map[string]any, error) {
	out := map[string][]map[string]any{}
	err := st.read(ctx, func(tx *sql.Tx) error {
		for _, t := range coupleTables {
			query := `SELECT * FROM ` + t.name + ` WHERE ` + t.where
			args := []any{coupleID}
			if t.name == "answers" {
				query += ` AND (user_id = ?
					OR ((checkin_id IN (SELECT id FROM checkins WHERE status = 'revealed')
					     OR (EXISTS (SELECT 1 FROM checkin_shares s WHERE s.checkin_id = answers.checkin_id AND s.user_id = answers.user_id)
					         AND NOT EXISTS (SELECT 1 FROM checkin_subjects cs WHERE cs.checkin_id = answers.checkin_id
					             AND cs.prompt_id = answers.prompt_id AND cs.subject_id = answers.subject_id
					             AND cs.kind = 'commitment' AND cs.owner_id <> answers.user_id)))
					    AND NOT (prompt_id = ? AND skipped = 1)))`
				args = append(args, viewerID, conversations.BoundaryReviewID)
			}
			rows, err := tx.QueryContext(ctx, query+` ORDER BY rowid`, args...)
			if err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			records, err := st.scanMaps(t.name, coupleID, rows)
			if err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
			if t.name == "checkins" {
				if err := withTemplates(ctx, tx, records); err != nil {
					return err
				}
			}
			out[t.name] = records
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("export couple %d: %w", coupleID, err)
	}
	return out, nil
}

// withTemplates puts each check-in's template, stored once for all the
// check-ins that share it, back in its record's template_json, where the
// export has always held it.
func withTemplates(ctx context.Context, tx *sql.Tx, records []map[string]any) error {
	for _, r := range records {
		hash, ok := r["template_hash"].(string)
		delete(r, "template_hash")
		if !ok {
			continue
		}
		var text string
		if err := tx.QueryRowContext(ctx, `SELECT json FROM checkin_templates WHERE hash = ?`, hash).Scan(&text); err != nil {
			return fmt.Errorf("template of check-in %v: %w", r["id"], err)
		}
		r["template_json"] = text
	}
	return nil
}

// scanMaps reads the rows of table as column name to value, with what
// partners wrote opened: an export is for the partners, not for the disk.
func (st *Records) scanMaps(table string, coupleID int64, rows *sql.Rows) ([]map[string]any, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	records := []map[string]any{}
	for rows.Next() {
		values := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range values {
			ptrs[i] = &values[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		record := map[string]any{}
		for i, c := range cols {
			record[c] = values[i]
		}
		if err := st.openRecord(table, coupleID, record); err != nil {
			return nil, err
		}
		records = append(records, record)
	}
	return records, rows.Err()
}

// ForgetCouple deletes every row of the couple and reports how many rows of
// each table went. Foreign keys cascade from the couple; the counts are taken
// in the same transaction, so they are what was deleted. Wiped says whether
// the deleted pages are also gone from the write-ahead log; when not, the
// wipe is recorded and FinishWipes completes it.
func (st *Records) ForgetCouple(ctx context.Context, coupleID int64) (conversations.Forgotten, error) {
	counts := map[string]int{}
	err := st.write(ctx, func(tx *sql.Tx) error {
		for _, t := range coupleTables {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t.name+` WHERE `+t.where, coupleID).Scan(&n); err != nil {
				return fmt.Errorf("count %s: %w", t.name, err)
			}
			counts[t.name] = n
		}
		if counts["couples"] == 0 {
			return notFound("couple")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM couples WHERE id = ?`, coupleID); err != nil {
			return err
		}
		// A template only the couple's check-ins used (which question of
		// their path they were at) goes with them.
		if _, err := tx.ExecContext(ctx, `DELETE FROM checkin_templates
			WHERE hash NOT IN (SELECT template_hash FROM checkins WHERE template_hash IS NOT NULL)`); err != nil {
			return fmt.Errorf("delete unused templates: %w", err)
		}
		return requestWipe(ctx, tx)
	})
	if err != nil {
		return conversations.Forgotten{}, fmt.Errorf("forget couple %d: %w", coupleID, err)
	}
	return conversations.Forgotten{Rows: counts, Wiped: st.tryWipe(ctx)}, nil
}

// DeleteAnswersOf deletes a partner's answers (and the acknowledgements of
// them) in every check-in of the couple. The wipe of the write-ahead log is
// recorded with it and finished as for ForgetCouple.
func (st *Records) DeleteAnswersOf(ctx context.Context, coupleID int64, userID string) (int, error) {
	var n int64
	err := st.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM acknowledgements WHERE author_id = ? AND `+ofCheckIns, userID, coupleID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM answers WHERE user_id = ? AND `+ofCheckIns, userID, coupleID)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		return requestWipe(ctx, tx)
	})
	if err != nil {
		return 0, fmt.Errorf("delete answers of a partner of couple %d: %w", coupleID, err)
	}
	st.tryWipe(ctx)
	return int(n), nil
}

// FinishWipes empties the write-ahead log if a forget is waiting for it, and
// reports whether one still is (see finishWipes).
func (st *Records) FinishWipes(ctx context.Context) (pending bool, err error) {
	return st.finishWipes(ctx)
}

// openRecord opens the sealed columns of a row of table read whole, and
// turns the other bytes into text.
func (st *Records) openRecord(table string, coupleID int64, record map[string]any) error {
	t, sealed := sealedTableOf(table)
	var key rowKey
	if sealed {
		key = keyOf(coupleID)
		for _, c := range t.key {
			key = append(key, keyOf(record[c])...)
		}
	}
	for c, v := range record {
		if !isSealed(table, c) {
			if b, ok := v.([]byte); ok {
				record[c] = string(b)
			}
			continue
		}
		column := table + "." + c
		text, err := st.keys.open(column, key, v)
		switch {
		case err != nil:
			return err
		case v == nil:
			record[c] = nil
		case intColumns[column]:
			n, err := strconv.ParseInt(text, 10, 64)
			if err != nil {
				return fmt.Errorf("%s holds %q, want a number", column, text)
			}
			record[c] = n
		default:
			record[c] = text
		}
	}
	return nil
}
