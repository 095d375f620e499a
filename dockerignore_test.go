package main

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dockerignored reports whether a path (slash-separated, relative to the
// build context) is left out by patterns. It follows Docker's rules as far as
// .dockerignore uses them: a pattern matches from the root of the context,
// **/ matches any number of directories, and a pattern that matches a
// directory leaves out everything in it. Exceptions (!) are not used there.
func dockerignored(patterns []string, path string) bool {
	parts := strings.Split(path, "/")
	for i := range parts {
		prefix := strings.Join(parts[:i+1], "/")
		for _, p := range patterns {
			if matchDockerPattern(p, prefix) {
				return true
			}
		}
	}
	return false
}

func matchDockerPattern(pattern, path string) bool {
	pattern = strings.TrimPrefix(pattern, "/")
	if rest, ok := strings.CutPrefix(pattern, "**/"); ok {
		for {
			if ok, _ := filepath.Match(rest, path); ok {
				return true
			}
			_, after, found := strings.Cut(path, "/")
			if !found {
				return false
			}
			path = after
		}
	}
	ok, _ := filepath.Match(pattern, path)
	return ok
}

func dockerignorePatterns(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(".dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var patterns []string
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		line := strings.TrimSpace(lines.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "!") {
			t.Fatalf(".dockerignore uses an exception (%s), which this test does not follow", line)
		}
		patterns = append(patterns, line)
	}
	return patterns
}

// TestTheImageGetsNoPrivateData: a database, its -wal and -shm, a backup or
// the token's environment file never reaches `docker build`'s context.
func TestTheImageGetsNoPrivateData(t *testing.T) {
	t.Parallel()
	patterns := dockerignorePatterns(t)
	for _, path := range []string{
		"mend.db", "mend.db-wal", "mend.db-shm", "mend.db-journal",
		"tmp/try.db", "tmp/try.db-wal", "data/mend.db-shm", "preview.sqlite",
		"backups/mend-2026-01-01.db", "backups/latest.tar.gz",
		".env", "mend.env", "deploy/mend.env", ".git/config", ".git", "mend.key",
	} {
		if !dockerignored(patterns, path) {
			t.Errorf(".dockerignore lets %s into the image", path)
		}
	}
}

// TestTheImageGetsWhatTheBuildNeeds: every Go source, module file and
// embedded file in the repository stays in the build context.
func TestTheImageGetsWhatTheBuildNeeds(t *testing.T) {
	t.Parallel()
	patterns := dockerignorePatterns(t)
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".go", ".sql", ".txt", ".mod", ".sum":
			if dockerignored(patterns, filepath.ToSlash(path)) {
				t.Errorf(".dockerignore leaves out %s, which the build needs", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
