package config

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2"

	"mend/conversations"
)

// PackFile is a pack as written in TOML: one file of the built-in library,
// or one [[pack]] of the config.
type PackFile struct {
	ID          string         `toml:"id"`
	Name        string         `toml:"name"`
	Step        string         `toml:"step"`
	Description string         `toml:"description"`
	Questions   []QuestionFile `toml:"question"`
}

// QuestionFile is a question as written in TOML.
type QuestionFile struct {
	ID        string   `toml:"id"`
	Label     string   `toml:"label"`
	Kind      string   `toml:"kind"`
	Text      string   `toml:"text"`
	Hint      string   `toml:"hint"`
	Step      string   `toml:"step"`
	LowLabel  string   `toml:"low_label"`
	HighLabel string   `toml:"high_label"`
	Options   []string `toml:"options"`
	MaxLength int      `toml:"max_length"`
	Long      bool     `toml:"long"`
	// Acknowledge is "hear" for "I hear you" after the reveal, "own" for
	// "Thank you for owning this"; text questions only.
	Acknowledge string `toml:"acknowledge"`
	// Echoes names the check-in prompts that ask the same thing, like
	// "responsibility" or "appreciation"; a check-in with one of them does
	// not draw this question.
	Echoes []string `toml:"echoes"`
}

// ackKinds are the words of acknowledge in a pack file.
var ackKinds = map[string]conversations.AckKind{"": "", "hear": conversations.AckHeard, "own": conversations.AckThanked}

// ackKind reads acknowledge; a word it does not know is passed on as it is,
// for the library to report.
func ackKind(word string) conversations.AckKind {
	if k, ok := ackKinds[word]; ok {
		return k
	}
	return conversations.AckKind(word)
}

// Pack turns the file into a pack; a question without a step of its own
// serves the pack's.
func (f PackFile) Pack() conversations.Pack {
	p := conversations.Pack{ID: f.ID, Name: strings.TrimSpace(f.Name), Step: conversations.TrustStep(f.Step), Description: f.Description}
	for _, q := range f.Questions {
		step := conversations.TrustStep(q.Step)
		if q.Step == "" {
			step = p.Step
		}
		p.Questions = append(p.Questions, conversations.Question{
			ID: q.ID, Pack: f.ID, Step: step, Kind: conversations.PromptKind(q.Kind), Text: strings.TrimSpace(q.Text),
			Hint: strings.TrimSpace(q.Hint), Label: strings.TrimSpace(q.Label), LowLabel: q.LowLabel, HighLabel: q.HighLabel,
			Options: q.Options, MaxLength: q.MaxLength, Long: q.Long,
			Acknowledge: ackKind(strings.TrimSpace(q.Acknowledge)), Echoes: q.Echoes,
		})
	}
	return p
}

// decodeProblem locates a decoding error in a built-in pack file.
func decodeProblem(file string, err error) conversations.LibraryProblem {
	p := conversations.LibraryProblem{File: file, PackIndex: -1, QuestionIndex: -1, Problem: "malformed TOML: " + err.Error()}
	var strict *toml.StrictMissingError
	var de *toml.DecodeError
	switch {
	case errors.As(err, &strict) && len(strict.Errors) > 0:
		p.Line, _ = strict.Errors[0].Position()
		p.Problem = fmt.Sprintf("unknown key %q", strings.Join(strict.Errors[0].Key(), "."))
	case errors.As(err, &de):
		p.Line, _ = de.Position()
	}
	return p
}

// decodePack reads a built-in pack file, strictly: a key it does not know is
// a mistake in the file.
func decodePack(file string, src []byte) (conversations.Pack, error) {
	var f PackFile
	dec := toml.NewDecoder(bytes.NewReader(src)).DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return conversations.Pack{}, conversations.LibraryError{decodeProblem(file, err)}
	}
	return f.Pack(), nil
}

// packFiles holds the built-in packs, one TOML file each, like the config's
// own [[pack]]s: TOML is read in this package only.
//
//go:embed packs/*.toml
var packFiles embed.FS

// builtinPack is a built-in pack with the file it was read from, to locate
// its problems.
type builtinPack struct {
	file string
	src  []byte
	pack conversations.Pack
}

var builtinPacks = sync.OnceValues(func() ([]builtinPack, error) {
	names, err := fs.Glob(packFiles, "packs/*.toml")
	if err != nil {
		return nil, fmt.Errorf("list the built-in packs: %w", err)
	}
	sort.Strings(names)
	var out []builtinPack
	var problems conversations.LibraryError
	for _, name := range names {
		src, err := fs.ReadFile(packFiles, name)
		if err != nil {
			return nil, fmt.Errorf("read built-in pack %s: %w", name, err)
		}
		pack, err := decodePack(name, src)
		var lerr conversations.LibraryError
		switch {
		case errors.As(err, &lerr):
			problems = append(problems, lerr...)
			continue
		case err != nil:
			return nil, fmt.Errorf("read built-in pack %s: %w", name, err)
		}
		out = append(out, builtinPack{file: name, src: src, pack: pack})
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return out, nil
})

// BuiltinLibrary returns the built-in packs and the guided path's plan, as
// a config that says nothing of packs has them.
func BuiltinLibrary() (*conversations.Library, error) { return NewLibrary(true, nil, nil) }

// NewLibrary builds the library from the built-in packs (when withBuiltins)
// and the config's own, locating a built-in pack's problems in its file.
func NewLibrary(withBuiltins bool, custom []conversations.Pack, plan []string) (*conversations.Library, error) {
	var builtins []builtinPack
	if withBuiltins {
		var err error
		if builtins, err = builtinPacks(); err != nil {
			return nil, err
		}
	}
	packs := make([]conversations.Pack, len(builtins))
	for i, b := range builtins {
		packs[i] = b.pack
	}
	library, err := conversations.NewLibrary(packs, custom, plan)
	var lerr conversations.LibraryError
	if errors.As(err, &lerr) {
		for i, p := range lerr {
			if p.PackIndex >= 0 || p.File != "" {
				continue
			}
			for _, b := range builtins {
				if b.pack.ID == p.Pack {
					lerr[i].File, lerr[i].Line = b.file, questionLine(b.src, p.QuestionIndex)
				}
			}
		}
		return nil, lerr
	}
	return library, err
}

var builtinQuestionHeader = regexp.MustCompile(`^\s*\[\[\s*question\s*\]\]`)

// questionLine is the line of a built-in file where question qi begins, or
// 1 for the pack as a whole.
func questionLine(src []byte, qi int) int {
	if qi < 0 {
		return 1
	}
	n := -1
	for i, line := range strings.Split(string(src), "\n") {
		if builtinQuestionHeader.MatchString(line) {
			if n++; n == qi {
				return i + 1
			}
		}
	}
	return 0
}
