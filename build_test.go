package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"mend/config"
)

// TestABuildWithoutCgoSaysWhatMendNeeds: without a C compiler the build
// stops on a sentence that says so, before any undefined name of the driver.
func TestABuildWithoutCgoSaysWhatMendNeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Mend")
	}
	cmd := exec.Command("go", "build", "-o", os.DevNull, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatal("Mend built without cgo")
	}
	first := ""
	for _, line := range strings.Split(string(out), "\n") {
		if !strings.HasPrefix(line, "#") && line != "" {
			first = line
			break
		}
	}
	for _, want := range []string{"storage/needs_cgo.go", "Mend needs cgo and a C compiler: install gcc", "CGO_ENABLED=1"} {
		if !strings.Contains(first, want) {
			t.Errorf("the first error does not say %q:\n%s", want, out)
		}
	}
}

var built struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

// buildMend builds the mend binary once for the tests that run it as an
// operator does.
func buildMend(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds Mend")
	}
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "mend-build")
		if err != nil {
			built.err = err
			return
		}
		built.path = filepath.Join(dir, "mend")
		built.out, built.err = exec.Command("go", "build", "-o", built.path, ".").CombinedOutput()
	})
	if built.err != nil {
		t.Fatalf("go build: %v\n%s", built.err, built.out)
	}
	return built.path
}

// TestABuiltBinaryNamesItself: the binary an operator built says to run
// itself, not "go run .", which only works in the source folder.
func TestABuiltBinaryNamesItself(t *testing.T) {
	mend := buildMend(t)
	cmd := exec.Command(mend)
	cmd.Env = append(os.Environ(), config.TokenEnv+"=", config.FileEnv+"=")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("mend without a token exited 0:\n%s", out)
	}
	if !strings.Contains(string(out), "\n    "+mend+" console\n") || strings.Contains(string(out), "go run") {
		t.Errorf("the binary does not say to run itself (%s console):\n%s", mend, out)
	}
	for _, args := range [][]string{{"--version"}, {"version"}} {
		out, err := exec.Command(mend, args...).CombinedOutput()
		if err != nil || !strings.HasPrefix(string(out), "mend ") || strings.Count(string(out), "\n") != 1 {
			t.Errorf("mend %s: %v\n%s", args[0], err, out)
		}
	}
}

func TestSelfCommand(t *testing.T) {
	for arg0, want := range map[string]string{
		"/tmp/go-build1234567/b001/exe/mend": "go run .",
		"./mend":                             "./mend",
		"mend":                               "mend",
		"/usr/local/bin/mend":                "/usr/local/bin/mend",
		"/home/sam/exe/mend":                 "/home/sam/exe/mend",
	} {
		if got := selfCommand(arg0); got != want {
			t.Errorf("selfCommand(%q) = %q, want %q", arg0, got, want)
		}
	}
}
