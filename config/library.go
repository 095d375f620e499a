package config

import (
	"errors"
	"regexp"

	"mend/conversations"
)

// libraryConfig chooses the packs questions of the week come from and the
// plan of weekly themes.
type libraryConfig struct {
	BuiltinPacks *bool    `toml:"builtin_packs"`
	Plan         []string `toml:"plan"`
}

// validateLibrary builds the library from the built-in packs and the
// config's [[pack]]s, and checks that the templates' rotating prompts name
// packs it has.
func (cfg *Config) validateLibrary(src []byte, fail func(int, string, ...any)) {
	packs := make([]conversations.Pack, len(cfg.Packs))
	for i, p := range cfg.Packs {
		packs[i] = p.Pack()
	}
	builtins := cfg.Library.BuiltinPacks == nil || *cfg.Library.BuiltinPacks
	library, err := NewLibrary(builtins, packs, cfg.Library.Plan)
	var lerr conversations.LibraryError
	switch {
	case errors.As(err, &lerr):
		for _, p := range lerr {
			fail(packLine(src, p), "%s", p)
		}
		return
	case err != nil:
		fail(0, "%v", err)
		return
	}
	cfg.library = library
	if cfg.templates == nil {
		return
	}
	lines := templateLines{src: src, repeats: map[[2]string]int{}}
	for _, p := range library.TemplateProblems(cfg.templates) {
		fail(lines.of(p), "%s", p)
	}
}

var (
	packHeader     = regexp.MustCompile(`^\s*\[\[\s*pack\s*\]\]`)
	questionHeader = regexp.MustCompile(`^\s*\[\[\s*pack\.question\s*\]\]`)
	anyHeader      = regexp.MustCompile(`^\s*\[`)
	idKey          = regexp.MustCompile(`^\s*id\s*=`)
	planKey        = regexp.MustCompile(`^\s*plan\s*=`)
)

// packLine locates a library problem in the config: the id of the pack or
// question it is about (found by position, so a repeated id is found at the
// right use), or the plan; 0 for a built-in pack, whose message names its
// own file.
func packLine(src []byte, p conversations.LibraryProblem) int {
	switch {
	case p.Plan:
		return findLine(src, 0, planKey)
	case p.PackIndex < 0:
		return 0
	}
	line := nthLine(src, 0, packHeader, p.PackIndex)
	if line > 0 && p.QuestionIndex >= 0 {
		if q := nthLine(src, line, questionHeader, p.QuestionIndex); q > 0 {
			line = q
		}
	}
	if line == 0 {
		return 0
	}
	// The id, when it is set inside this block.
	if id := findLine(src, line, idKey); id > 0 {
		if next := findLine(src, line, anyHeader); next == 0 || id < next {
			return id
		}
	}
	return line
}

// LibraryOf returns the validated library of questions of the week.
func (cfg *Config) LibraryOf() *conversations.Library { return cfg.library }
