package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// Mend's dependencies point inward, to the domain in conversations/: the
// adapters (bot, console, storage) import it, and it imports none of them.
// These tests read the import lines of every package's non-test files, so a
// change that breaks the layering fails here, not in a reviewer's head.

// imports returns the packages the non-test Go files of dir (and of its
// subfolders, when deep) import, each with the file that imports it.
func imports(t *testing.T, dir string, deep bool) map[string]string {
	t.Helper()
	found := map[string]string{}
	walk := func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != dir && (!deep || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, spec := range f.Imports {
			p, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				return err
			}
			found[p] = path
		}
		return nil
	}
	if err := filepath.WalkDir(dir, walk); err != nil {
		t.Fatalf("read the imports of %s: %v", dir, err)
	}
	if len(found) == 0 {
		t.Fatalf("%s imports nothing: this test no longer reads the package", dir)
	}
	return found
}

// refuse fails for every import of dir that forbidden matches.
func refuse(t *testing.T, dir string, deep bool, why string, forbidden func(string) bool) {
	t.Helper()
	var bad []string
	for p, file := range imports(t, dir, deep) {
		if forbidden(p) {
			bad = append(bad, file+" imports "+p)
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Errorf("%s: %s", why, b)
	}
}

func isMend(p string) bool { return p == "mend" || strings.HasPrefix(p, "mend/") }

func TestTheDomainImportsNothingOfMendNorDiscordNorSQL(t *testing.T) {
	refuse(t, "conversations", true, "the domain must stand alone", func(p string) bool {
		return isMend(p) || strings.Contains(p, "discordgo") || p == "database/sql" ||
			strings.HasPrefix(p, "database/") || strings.Contains(p, "sqlite") || strings.Contains(p, "toml")
	})
}

func TestTheAdaptersReachTheDatabaseOnlyThroughTheDomain(t *testing.T) {
	for _, dir := range []string{"bot", "console"} {
		refuse(t, dir, true, dir+" must not reach storage", func(p string) bool {
			return p == "mend/storage" || strings.HasPrefix(p, "mend/storage/") || p == "database/sql" || strings.Contains(p, "sqlite")
		})
	}
}

func TestTheConsoleAndTheBotAreStrangers(t *testing.T) {
	refuse(t, "console", true, "the console is a peer of the bot", func(p string) bool {
		return p == "mend/bot" || strings.HasPrefix(p, "mend/bot/")
	})
	refuse(t, "bot", false, "the bot is a peer of the console", func(p string) bool {
		return p == "mend/console"
	})
}

func TestConfigImportsNoAdapter(t *testing.T) {
	refuse(t, "config", true, "config reads files; it must not know the adapters", func(p string) bool {
		for _, adapter := range []string{"mend/bot", "mend/console", "mend/storage", "mend/ops"} {
			if p == adapter || strings.HasPrefix(p, adapter+"/") {
				return true
			}
		}
		return strings.Contains(p, "discordgo") || strings.Contains(p, "sqlite")
	})
}

func TestStorageImportsNoOtherAdapter(t *testing.T) {
	refuse(t, "storage", true, "storage is an adapter of the domain only", func(p string) bool {
		for _, adapter := range []string{"mend/bot", "mend/console", "mend/ops", "mend/config"} {
			if p == adapter || strings.HasPrefix(p, adapter+"/") {
				return true
			}
		}
		return strings.Contains(p, "discordgo")
	})
}
