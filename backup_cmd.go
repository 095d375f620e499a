package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"mend/storage"
)

func runBackup(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs, configPath := newFlagSet("backup", "backup [--config FILE] [--db FILE] FILE", stderr)
	dbPath := fs.String("db", "", "SQLite database `FILE` to copy (default: database.path from the config, else mend.db)")
	file, code, done := parseFlagsAndFile(fs, args, stdout)
	if done {
		return code
	}
	cfg, ok := loadConfigFor(*configPath, stderr)
	if !ok {
		return exitUsage
	}
	path := cfg.Database.Path
	if *dbPath != "" {
		path = *dbPath
	}
	if err := storage.Backup(ctx, path, file); err != nil {
		fmt.Fprintf(stderr, "mend backup: %v\n", err)
		return 1
	}
	info, err := os.Stat(file)
	if err != nil {
		fmt.Fprintf(stderr, "mend backup: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: a copy of %s, %d bytes, passed PRAGMA integrity_check.\n", absPath(file), absPath(path), info.Size())
	return 0
}

// parseFlagsAndFile is parseFlags for a command that takes one FILE after
// its flags.
func parseFlagsAndFile(fs *flag.FlagSet, args []string, stdout io.Writer) (string, int, bool) {
	if code, done := parseOptions(fs, args, stdout); done {
		return "", code, true
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(fs.Output(), "mend %s: give one FILE to write, after the options\n", fs.Name())
		fs.Usage()
		return "", exitUsage, true
	}
	return fs.Arg(0), 0, false
}

func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}
