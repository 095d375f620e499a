package config

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"mend/conversations"
)

// The built-in packs are TOML files like the config's own packs, so they are
// read here too.
func init() { conversations.SetPackDecoder(decodePack) }

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
