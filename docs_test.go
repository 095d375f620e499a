package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTheDocumentsStandOnTheirOwn keeps the repository from citing documents
// that are not in it: a reader of a clone has nothing else.
func TestTheDocumentsStandOnTheirOwn(t *testing.T) {
	// Spelled in two parts so that this file does not cite them itself.
	outside := []string{"DESIGN" + ".md", "../" + "shared"}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Name() == ".git" {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.IndexByte(src, 0) >= 0 {
			return nil // a database or another binary file
		}
		for _, ref := range outside {
			if bytes.Contains(src, []byte(ref)) {
				t.Errorf("%s cites %s, which is not in the repository", path, ref)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTheReadmeStatesThePerformanceTargets(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(readme)), " ")
	for _, target := range []string{
		"p99 under 20 ms at 200 interactions per second, with 100,000 couples stored",
		"10,000 check-ins due at the same minute are all opened in the database in under 1 s",
		"no less than 90% of the rate the Discord limit allows, with no duplicates",
		"Resident memory stays under 150 MB with 100,000 scheduled couples",
		"at least 45 posts per second against a limit of 50 per second, with no request turned away (429)",
	} {
		if !strings.Contains(text, target) {
			t.Errorf("the README does not state the target %q", target)
		}
	}
}

// TestTheReadmeAsksForTheGoVersionOfGoMod: a newcomer installs the Go the
// README names, so it is the one go.mod asks for.
func TestTheReadmeAsksForTheGoVersionOfGoMod(t *testing.T) {
	mod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	version := ""
	for _, line := range strings.Split(string(mod), "\n") {
		if v, ok := strings.CutPrefix(line, "go "); ok {
			version = strings.TrimSpace(v)
		}
	}
	if version == "" {
		t.Fatal("go.mod names no Go version")
	}
	text := strings.Join(strings.Fields(string(readme)), " ")
	for _, want := range []string{"with Go " + version + " or newer", "go build -o mend .", "compiles SQLite", "takes a few minutes"} {
		if !strings.Contains(text, want) {
			t.Errorf("the README does not say %q", want)
		}
	}
	if build, ops := strings.Index(text, "go build -o mend ."), strings.Index(text, "mend run --config"); build < 0 || ops < 0 || build > ops {
		t.Errorf("the README does not say how to build mend before it runs it")
	}
}

// The Docker "try it" runs the console on a volume of its own, never on the
// volume the bot keeps real couples on.
func TestTheDockerTryItUsesItsOwnVolume(t *testing.T) {
	for _, file := range []string{"README.md", "docker-compose.yml", "Dockerfile"} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if strings.Contains(line, "mend console") && strings.Contains(line, "mend-data") {
				t.Errorf("%s:%d runs the console on the bot's volume: %s", file, i+1, line)
			}
		}
	}
	readme, _ := os.ReadFile("README.md")
	if !strings.Contains(string(readme), "docker run --rm -it -v mend-try:/data mend console") {
		t.Error("the README's Docker section no longer shows the try-it on its own volume")
	}
}
