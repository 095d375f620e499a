package ops

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"mend/config"
	"mend/conversations/clocktest"
	"mend/internal/testkit"
	"mend/storage"
)

// loopDriver runs a backupLoop on a clock of its own: the loop's sleeps are
// handed to the test, which ends each one by advancing the clock.
type loopDriver struct {
	t      *testing.T
	loop   *backupLoop
	clock  *clocktest.Clock
	sleeps chan time.Duration
	wake   chan struct{}
	done   chan struct{}
	cancel context.CancelFunc
	logs   *testkit.LogBuffer
}

var loopStart = time.Date(2025, 3, 10, 18, 0, 0, 0, time.UTC)

// newLoopDriver makes a loop backing up a fresh database into dir every day
// and keeping two, with the clock at loopStart; start runs it.
func newLoopDriver(t *testing.T, dir string) *loopDriver {
	t.Helper()
	path := filepath.Join(t.TempDir(), "mend.db")
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	d := &loopDriver{t: t, clock: clocktest.New(loopStart), sleeps: make(chan time.Duration), wake: make(chan struct{}), done: make(chan struct{}), logs: &testkit.LogBuffer{}}
	d.loop = &backupLoop{
		db: path, dir: dir, every: 24 * time.Hour, keep: 2,
		log:    slog.New(slog.NewTextHandler(d.logs, nil)),
		now:    d.clock.Now,
		sleep:  d.sleep,
		backup: storage.Backup,
	}
	return d
}

func (d *loopDriver) sleep(ctx context.Context, dur time.Duration) error {
	select {
	case d.sleeps <- dur:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-d.wake:
		d.clock.Advance(dur)
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (d *loopDriver) start() {
	ctx, cancel := context.WithCancel(context.Background())
	d.cancel = cancel
	go func() {
		defer close(d.done)
		d.loop.run(ctx)
	}()
	d.t.Cleanup(d.stop)
}

// nextSleep waits until the loop is done with what it does now and asks to
// sleep, and returns for how long.
func (d *loopDriver) nextSleep() time.Duration {
	d.t.Helper()
	select {
	case dur := <-d.sleeps:
		return dur
	case <-d.done:
		d.t.Fatalf("the loop ended instead of sleeping; log:\n%s", d.logs)
		return 0
	}
}

// stop cancels the loop and waits for it to end.
func (d *loopDriver) stop() {
	d.cancel()
	<-d.done
}

func backupNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

func TestBackupLoopBacksUpAtOnceThenEveryPeriodKeepingTheNewest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "backups")
	d := newLoopDriver(t, dir)
	// Not one of the loop's: never pruned.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	d.start()

	if got := d.nextSleep(); got != 24*time.Hour {
		t.Errorf("after the first backup the loop sleeps %s, want 24h", got)
	}
	mustEqualNames(t, backupNames(t, dir), "mend-20250310T180000Z.db", "notes.txt")
	d.wake <- struct{}{}
	d.nextSleep()
	d.wake <- struct{}{}
	d.nextSleep()

	mustEqualNames(t, backupNames(t, dir), "mend-20250311T180000Z.db", "mend-20250312T180000Z.db", "notes.txt")
	testkit.MustContain(t, "log", d.logs.String(), "backup written", "removed_old=1")
	d.stop()
}

func mustEqualNames(t *testing.T, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("backups = %v, want %v", got, want)
	}
}

// After a restart the next backup is due a period after the newest one, not
// at once and not a whole period later.
func TestBackupLoopCarriesOnFromTheNewestBackupAfterARestart(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "mend-20250310T130000Z.db"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	d := newLoopDriver(t, dir)
	d.start()

	if got := d.nextSleep(); got != 19*time.Hour {
		t.Errorf("the first sleep is %s, want the 19h left of the day since the last backup", got)
	}
	mustEqualNames(t, backupNames(t, dir), "mend-20250310T130000Z.db")
}

// A backup that panics is logged with its stack and tried again soon; the
// loop, and the bot with it, go on.
func TestBackupLoopSurvivesAPanicAndTriesAgain(t *testing.T) {
	dir := t.TempDir()
	d := newLoopDriver(t, dir)
	panics := 1
	d.loop.backup = func(ctx context.Context, src, dst string) error {
		if panics > 0 {
			panics--
			var none []string
			_ = none[panics] // a runtime error, whose value is logged
		}
		return storage.Backup(ctx, src, dst)
	}
	d.start()

	if got := d.nextSleep(); got != backupRetry {
		t.Errorf("after a panic the loop sleeps %s, want %s", got, backupRetry)
	}
	testkit.MustContain(t, "log", d.logs.String(), "backup panicked", "index out of range", "goroutine ", "backups_test.go")
	d.wake <- struct{}{}
	d.nextSleep()
	mustEqualNames(t, backupNames(t, dir), "mend-20250310T181000Z.db")
}

// A panic's value is logged only when it is a runtime error: any other value
// could hold what a partner wrote.
func TestBackupLoopLogsTheTypeNotTheValueOfAnyOtherPanic(t *testing.T) {
	d := newLoopDriver(t, t.TempDir())
	d.loop.backup = func(ctx context.Context, src, dst string) error {
		panic("what a partner wrote")
	}
	d.start()

	d.nextSleep()
	logs := d.logs.String()
	testkit.MustContain(t, "log", logs, "backup panicked", "panic=string", "goroutine ")
	if strings.Contains(logs, "what a partner wrote") {
		t.Errorf("the panic's value reached the log:\n%s", logs)
	}
}

func TestBackupLoopLogsAFailureAndTriesAgainSoon(t *testing.T) {
	d := newLoopDriver(t, t.TempDir())
	d.loop.backup = func(context.Context, string, string) error { return errors.New("disk full") }
	d.start()

	got := d.nextSleep()

	if got != backupRetry {
		t.Errorf("after a failure the loop sleeps %s, want %s", got, backupRetry)
	}
	testkit.MustContain(t, "log", d.logs.String(), "backup failed", "disk full")
}

// Cancelling stops the loop whether it sleeps or backs up; a backup cut off
// by the stop is not logged as a failure.
func TestBackupLoopStopsWhenCancelled(t *testing.T) {
	d := newLoopDriver(t, t.TempDir())
	started := make(chan struct{})
	d.loop.backup = func(ctx context.Context, src, dst string) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	}
	d.start()
	<-started

	d.stop()

	if strings.Contains(d.logs.String(), "backup failed") {
		t.Errorf("a backup stopped by the shutdown was logged as failed:\n%s", d.logs)
	}
}

// signalWriter passes what is written to a channel, so a test can wait for
// a log line instead of for time.
type signalWriter chan string

func (w signalWriter) Write(p []byte) (int, error) {
	w <- string(p)
	return len(p), nil
}

// The bot starts the loop with [backup] dir set, and its stop returns once
// the loop has ended.
func TestStartBackupsRunsTheLoopUntilStopped(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "mend.db")
	s, err := storage.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cfg, err := config.ParseConfig("", []byte("[backup]\ndir = "+strconv.Quote(filepath.Join(dir, "backups"))+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	lines := make(signalWriter)
	stop := StartBackups(context.Background(), db, cfg, slog.New(slog.NewTextHandler(lines, nil)))

	for line := <-lines; !strings.Contains(line, "backup written"); line = <-lines {
		if strings.Contains(line, "level=ERROR") {
			t.Fatal(line)
		}
	}
	stopped := make(chan struct{})
	go func() {
		stop()
		close(stopped)
	}()
	for {
		select {
		case <-lines:
			continue
		case <-stopped:
		}
		break
	}

	if names := backupNames(t, filepath.Join(dir, "backups")); len(names) != 1 {
		t.Errorf("backups = %v, want one made at start", names)
	}
}

// A backup named with a future time is not taken as the newest: the loop
// warns about it and backs up at once, then a period later.
func TestBackupLoopIgnoresABackupDatedInTheFutureWithAWarning(t *testing.T) {
	dir := t.TempDir()
	planted := filepath.Join(dir, "mend-29991231T000000Z.db")
	if err := os.WriteFile(planted, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	d := newLoopDriver(t, dir)
	d.start()

	if got := d.nextSleep(); got != 24*time.Hour {
		t.Errorf("after the first backup the loop sleeps %s, want 24h", got)
	}
	mustEqualNames(t, backupNames(t, dir), "mend-20250310T180000Z.db", "mend-29991231T000000Z.db")
	testkit.MustContain(t, "log", d.logs.String(), "ignoring a backup dated in the future", planted, "dated=2999-12-31T00:00:00Z")
	// Nor does it count among the backups kept, nor is it removed.
	d.wake <- struct{}{}
	d.nextSleep()
	d.wake <- struct{}{}
	d.nextSleep()
	mustEqualNames(t, backupNames(t, dir), "mend-20250311T180000Z.db", "mend-20250312T180000Z.db", "mend-29991231T000000Z.db")
}

// A backup dated less than a period ahead (the clock was set back a few
// hours) is not ignored, but the next backup is still due within a period
// from now, not a period after that date.
func TestBackupLoopNeverWaitsLongerThanAPeriod(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "mend-20250311T060000Z.db"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	d := newLoopDriver(t, dir)
	d.start()

	if got := d.nextSleep(); got != 24*time.Hour {
		t.Errorf("the first sleep is %s, want 24h: no longer than a period", got)
	}
	mustEqualNames(t, backupNames(t, dir), "mend-20250311T060000Z.db")
	if strings.Contains(d.logs.String(), "ignoring") {
		t.Errorf("a backup dated within a period was ignored:\n%s", d.logs)
	}
}
