package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"mend/conversations"
	"strings"
)

var _ conversations.PathStore = (*Paths)(nil)

// Paths keeps each couple's guided path.
type Paths struct{ *conns }

const pathColumns = `couple_id, version, slot, off, packs_off, asked, rotations, changed_by, changed_at, proposed_off, proposed_by`

// errPathMoved refuses a change of a couple's path made from a version that
// is no longer the stored one.
var errPathMoved = conversations.Errorf(conversations.ECONFLICT, "Your guided path changed at this very moment, by your partner or a check-in opening. Nothing was changed; please try again.")

func scanPath(row interface{ Scan(...any) error }) (conversations.Path, error) {
	var p conversations.Path
	var packsOff, asked, rotations, proposedOff string
	err := row.Scan(&p.CoupleID, &p.Version, &p.Slot, &p.Off, &packsOff, &asked, &rotations, &p.ChangedBy, timeColumn{&p.ChangedAt}, &proposedOff, &p.ProposedBy)
	if err != nil {
		return conversations.Path{}, err
	}
	if err := json.Unmarshal([]byte(proposedOff), &p.ProposedOff); err != nil {
		return conversations.Path{}, fmt.Errorf("decode packs proposed off: %w", err)
	}
	if err := json.Unmarshal([]byte(packsOff), &p.PacksOff); err != nil {
		return conversations.Path{}, fmt.Errorf("decode packs off: %w", err)
	}
	if err := json.Unmarshal([]byte(asked), &p.Asked); err != nil {
		return conversations.Path{}, fmt.Errorf("decode questions asked: %w", err)
	}
	if err := json.Unmarshal([]byte(rotations), &p.Rotations); err != nil {
		return conversations.Path{}, fmt.Errorf("decode rotations: %w", err)
	}
	return p, nil
}

// GuidedPath returns the couple's place on the guided path; a couple without one
// stored yet is at the start.
func (st *Paths) GuidedPath(ctx context.Context, coupleID int64) (conversations.Path, error) {
	p := conversations.Path{CoupleID: coupleID}
	err := st.read(ctx, func(tx *sql.Tx) error {
		stored, err := scanPath(tx.QueryRowContext(ctx, `SELECT `+pathColumns+` FROM paths WHERE couple_id = ?`, coupleID))
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		p = stored
		return err
	})
	if err != nil {
		return conversations.Path{}, fmt.Errorf("load path of couple %d: %w", coupleID, err)
	}
	return p, nil
}

// SavePath stores p over the version it was made from and sets its new
// version; ECONFLICT when the stored one has moved on.
func (st *Paths) SavePath(ctx context.Context, p *conversations.Path) error {
	var version int64
	err := st.write(ctx, func(tx *sql.Tx) error {
		var err error
		version, err = savePath(ctx, tx, *p)
		return err
	})
	if err != nil {
		return fmt.Errorf("save path of couple %d: %w", p.CoupleID, err)
	}
	p.Version = version
	return nil
}

// savePath writes p if the stored version is still p.Version (no row for
// 0) and returns the new version. It only executes statements, so that it
// runs inside a batch of schedule plans too.
func savePath(ctx context.Context, tx execer, p conversations.Path) (int64, error) {
	row, err := pathRow(p)
	if err != nil {
		return 0, err
	}
	var res sql.Result
	if p.Version == 0 {
		res, err = execPathInserts(ctx, tx, [][]any{row})
	} else {
		res, err = execPathUpdates(ctx, tx, [][]any{row})
	}
	switch {
	case isForeignKeyViolation(err):
		return 0, notFound("couple")
	case err != nil:
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, errPathMoved
	}
	return p.Version + 1, nil
}

// pathRow is p as stored: the couple, the version it was made from, then
// the rest of pathColumns.
func pathRow(p conversations.Path) ([]any, error) {
	packsOff, err := json.Marshal(orEmpty(p.PacksOff))
	if err != nil {
		return nil, err
	}
	asked, err := json.Marshal(orEmptyMap(p.Asked))
	if err != nil {
		return nil, err
	}
	rotations, err := json.Marshal(orEmptyMap(p.Rotations))
	if err != nil {
		return nil, err
	}
	proposedOff, err := json.Marshal(orEmpty(p.ProposedOff))
	if err != nil {
		return nil, err
	}
	return []any{p.CoupleID, p.Version, p.Slot, p.Off, string(packsOff), string(asked), string(rotations), p.ChangedBy,
		dbTime(p.ChangedAt), string(proposedOff), p.ProposedBy}, nil
}

// execPathInserts stores the paths of rows (from pathRow, each made from
// version 0) at version 1, those of couples that have none yet.
func execPathInserts(ctx context.Context, tx execer, rows [][]any) (sql.Result, error) {
	for _, row := range rows {
		row[1] = 1
	}
	n, err := execRows(ctx, tx, `INSERT INTO paths (`+pathColumns+`) VALUES %s ON CONFLICT (couple_id) DO NOTHING`, rows)
	return rowsChanged(n), err
}

// execPathUpdates writes the paths of rows (from pathRow) over the stored
// ones still at the version each was made from, moving the version on.
func execPathUpdates(ctx context.Context, tx execer, rows [][]any) (sql.Result, error) {
	n, err := execRows(ctx, tx, `UPDATE paths SET version = paths.version + 1, slot = v.column3, off = v.column4,
		packs_off = v.column5, asked = v.column6, rotations = v.column7, changed_by = v.column8, changed_at = v.column9,
		proposed_off = v.column10, proposed_by = v.column11
		FROM (VALUES %s) AS v WHERE paths.couple_id = v.column1 AND paths.version = v.column2`, rows)
	return rowsChanged(n), err
}

// rowsChanged is a result that only counts rows.
type rowsChanged int64

func (n rowsChanged) LastInsertId() (int64, error) { return 0, errors.New("no insert ID") }
func (n rowsChanged) RowsAffected() (int64, error) { return int64(n), nil }

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func orEmptyMap[V any](m map[string]V) map[string]V {
	if m == nil {
		return map[string]V{}
	}
	return m
}

// loadDuePaths fills in the paths of the couples of due schedules with one
// query for the batch; a couple without one is at the start.
func loadDuePaths(ctx context.Context, tx *sql.Tx, due []conversations.DueSchedule) error {
	if len(due) == 0 {
		return nil
	}
	index := map[int64]*conversations.DueSchedule{}
	ids := make([]any, len(due))
	for i := range due {
		d := &due[i]
		d.Path = conversations.Path{CoupleID: d.Schedule.CoupleID}
		index[d.Schedule.CoupleID] = d
		ids[i] = d.Schedule.CoupleID
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + ")"
	rows, err := tx.QueryContext(ctx, `SELECT `+pathColumns+` FROM paths WHERE couple_id IN `+in, ids...)
	if err != nil {
		return fmt.Errorf("paths: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPath(rows)
		if err != nil {
			return fmt.Errorf("paths: %w", err)
		}
		index[p.CoupleID].Path = p
	}
	return rows.Err()
}
