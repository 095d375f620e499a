package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"

	"github.com/pelletier/go-toml/v2"
)

// sorted returns the problems in the order of their lines, each said once;
// problems without a line come last.
func (e ConfigErrors) sorted() ConfigErrors {
	seen := map[string]bool{}
	var out ConfigErrors
	for _, p := range e {
		if key := p.Error(); !seen[key] {
			seen[key] = true
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Line, out[j].Line
		if a == 0 || b == 0 {
			return a != 0 && b == 0
		}
		return a < b
	})
	return out
}

// typeMismatch reads the decoder's report of a value of the wrong type,
// which names Go types: "cannot decode TOML integer into struct field
// config.checkInsConfig.Window of type string".
var typeMismatch = regexp.MustCompile(`cannot decode TOML (\w+) into struct field \S+ of type (\S+)`)

// tomlKinds and goKinds say a TOML value's type and a key's in plain words.
var (
	tomlKinds = map[string]string{
		"integer": "a whole number", "float": "a decimal number", "string": "text in quotes",
		"boolean": "true or false", "array": "a list", "inline table": "a table", "datetime": "a date and time",
		"local-datetime": "a date and time", "local-date": "a date", "local-time": "a time",
	}
	goKinds = map[string]string{
		"string": "text in quotes, like \"...\"", "int": "a whole number, without quotes", "float64": "a number, without quotes",
		"bool": "true or false, without quotes", "*bool": "true or false, without quotes",
		"[]string": "a list of texts in quotes, like [\"a\", \"b\"]",
	}
)

// wrongType says in plain words which key has a value of the wrong type and
// what it takes, or "" when the error is of another kind.
func wrongType(de *toml.DecodeError) string {
	m := typeMismatch.FindStringSubmatch(de.Error())
	if m == nil {
		return ""
	}
	got, ok := tomlKinds[m[1]]
	if !ok {
		got = "a " + m[1]
	}
	want, ok := goKinds[m[2]]
	if !ok {
		want = "another kind of value (config.example.toml shows each key)"
	}
	return fmt.Sprintf("%s is %s here, but it takes %s", strings.Join(de.Key(), "."), got, want)
}

// backupDirProblem says what keeps backups from being made in dir, which is
// created when it does not exist yet, or "" when nothing does.
func backupDirProblem(dir string) string {
	info, err := os.Stat(dir)
	switch {
	case err == nil && !info.IsDir():
		return "is a file, not a directory"
	case err == nil && !writable(dir):
		return "cannot be written to by this user; the backups need to create files in it"
	case err == nil:
		return ""
	case !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
		return fmt.Sprintf("cannot be read: %v", errors.Unwrap(err))
	}
	// The backups create it, and whatever is missing above it, inside the
	// nearest directory that exists.
	for parent := filepath.Dir(filepath.Clean(dir)); ; parent = filepath.Dir(parent) {
		info, err := os.Stat(parent)
		switch {
		case err == nil && !info.IsDir():
			return fmt.Sprintf("cannot be created: %s is a file, not a directory", parent)
		case err == nil && !writable(parent):
			return fmt.Sprintf("does not exist and cannot be created: this user cannot write to %s", parent)
		case err == nil:
			return ""
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Sprintf("cannot be created: %s cannot be read: %v", parent, errors.Unwrap(err))
		}
		if parent == filepath.Dir(parent) {
			return ""
		}
	}
}
