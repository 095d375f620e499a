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
