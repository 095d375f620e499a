package ops

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"mend/config"
	"mend/conversations"
	"mend/storage"
)

// backupLoop backs the database up into a directory every so often, and
// removes all but the newest few of its backups there.
type backupLoop struct {
	db    string
	dir   string
	every time.Duration
	keep  int
	log   *slog.Logger
	// now, sleep and backup are replaced by tests, which drive the loop
	// through them instead of waiting.
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	backup func(ctx context.Context, src, dst string) error
}

func newBackupLoop(db string, cfg *config.Config, log *slog.Logger) *backupLoop {
	return &backupLoop{
		db: db, dir: cfg.Backup.Dir, every: cfg.BackupEvery(), keep: cfg.Backup.Keep, log: log,
		now: time.Now, sleep: sleep, backup: storage.Backup,
	}
}

// StartBackups runs the loop of automatic backups, when [backup] dir is set,
// until the returned stop is called; stop returns once the loop has ended.
func StartBackups(ctx context.Context, db string, cfg *config.Config, log *slog.Logger) (stop func()) {
	if cfg.Backup.Dir == "" {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		newBackupLoop(db, cfg, log).run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// backupRetry is how soon a failed backup is tried again, unless backups
// are more frequent than that anyway.
const backupRetry = 10 * time.Minute

// run makes backups until ctx is done. The first is due a period after the
// newest backup already in the directory, at once if there is none, so that
// restarting Mend neither skips a backup nor makes an extra one.
func (l *backupLoop) run(ctx context.Context) {
	l.log.Info("automatic backups on", "dir", absPath(l.dir), "every", l.every.String(), "keep", l.keep)
	now := l.now()
	next := now
	if newest, ok := l.newest(now); ok {
		// Never later than a period from now, whatever the names say.
		next = newest.Add(l.every)
		if latest := now.Add(l.every); next.After(latest) {
			next = latest
		}
	}
	for {
		if wait := next.Sub(l.now()); wait > 0 {
			if err := l.sleep(ctx, wait); err != nil {
				return
			}
		}
		if ctx.Err() != nil {
			return
		}
		if l.round(ctx) {
			next = l.now().Add(l.every)
		} else {
			next = l.now().Add(min(l.every, backupRetry))
		}
	}
}

// round makes one backup and prunes the old ones. A panic is logged with its
// stack and counts as a failed backup: a bug here must not stop the bot. It
// is logged as the domain's loops log theirs, so no value that could carry
// what a partner wrote reaches the log.
func (l *backupLoop) round(ctx context.Context) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			pe := conversations.Recovered(r)
			l.log.Error("backup panicked", "panic", pe.Value, "stack", string(pe.Stack))
			ok = false
		}
	}()
	start := l.now()
	if err := os.MkdirAll(l.dir, 0o700); err != nil {
		l.log.Error("backup failed", "err", err)
		return false
	}
	path := filepath.Join(l.dir, l.name(start))
	if err := l.backup(ctx, l.db, path); err != nil {
		if ctx.Err() == nil {
			l.log.Error("backup failed", "err", err, "retry_in", min(l.every, backupRetry).String())
		}
		return false
	}
	removed, err := l.prune()
	if err != nil {
		l.log.Error("cannot remove old backups", "err", err)
	}
	l.log.Info("backup written", "path", absPath(path), "took", l.now().Sub(start).Round(time.Millisecond).String(), "removed_old", removed)
	return true
}

// backupLayout names a backup after the moment it was taken, in UTC, so the
// names sort in time order.
const backupLayout = "20060102T150405Z"

// name is the backup file for time t: mend.db becomes mend-20250310T180000Z.db.
func (l *backupLoop) name(t time.Time) string {
	return l.prefix() + t.UTC().Format(backupLayout) + ".db"
}

func (l *backupLoop) prefix() string {
	base := filepath.Base(l.db)
	return strings.TrimSuffix(base, filepath.Ext(base)) + "-"
}

type backupFile struct {
	name string
	at   time.Time
}

// backups lists the loop's backups in the directory, newest first. Only
// names it makes itself count: nothing else in the directory is touched.
func (l *backupLoop) backups() ([]backupFile, error) {
	entries, err := os.ReadDir(l.dir)
	if err != nil {
		return nil, err
	}
	var out []backupFile
	for _, e := range entries {
		stamp, ok := strings.CutPrefix(e.Name(), l.prefix())
		if !ok || !e.Type().IsRegular() {
			continue
		}
		stamp, ok = strings.CutSuffix(stamp, ".db")
		at, err := time.Parse(backupLayout, stamp)
		if !ok || err != nil {
			continue
		}
		out = append(out, backupFile{e.Name(), at})
	}
	slices.SortFunc(out, func(a, b backupFile) int { return b.at.Compare(a.at) })
	return out, nil
}

// newest is the time of the newest backup in the directory at now. A name
// dated after now plus a period (planted, stray, or left by a clock that
// jumped back) is ignored with a warning: taken as the newest, it would stop
// automatic backups until that date.
func (l *backupLoop) newest(now time.Time) (time.Time, bool) {
	files, err := l.backups()
	if err != nil {
		return time.Time{}, false
	}
	limit := now.Add(l.every)
	for _, f := range files {
		if f.at.After(limit) {
			l.log.Warn("ignoring a backup dated in the future; remove or rename it if it is not a backup", "path", absPath(filepath.Join(l.dir, f.name)), "dated", f.at.Format(time.RFC3339))
			continue
		}
		return f.at, true
	}
	return time.Time{}, false
}

// prune removes all but the newest keep backups.
func (l *backupLoop) prune() (int, error) {
	all, err := l.backups()
	if err != nil {
		return 0, err
	}
	// One dated in the future is neither counted nor removed: it may not
	// be a backup of ours at all.
	limit := l.now().Add(l.every)
	files := slices.DeleteFunc(all, func(f backupFile) bool { return f.at.After(limit) })
	removed := 0
	var errs []error
	for _, f := range files[min(l.keep, len(files)):] {
		if err := os.Remove(filepath.Join(l.dir, f.name)); err != nil {
			errs = append(errs, err)
			continue
		}
		removed++
	}
	return removed, errors.Join(errs...)
}

// absPath is the path logged, so an operator finds the file whatever the
// bot's working directory.
func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}
