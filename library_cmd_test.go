package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"mend/config"
	"mend/internal/testkit"
)

func TestLibraryListsThePacksWithTheirCountsAndATotal(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	code, stdout, stderr := runMend(t, "", "library")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 14 {
		t.Fatalf("%d lines, want 13 packs and the total:\n%s", len(lines), stdout)
	}
	count := regexp.MustCompile(`^(\S+) .* (\d+) questions \(`)
	sum := 0
	for _, l := range lines[:13] {
		m := count.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("%q is not a pack line", l)
		}
		n, _ := strconv.Atoi(m[2])
		sum += n
	}
	if !strings.HasPrefix(lines[0], "acknowledging-the-hurt ") {
		t.Errorf("the first pack is not the path's first: %q", lines[0])
	}
	if want := "total: " + strconv.Itoa(sum) + " questions in 13 packs"; lines[13] != want || sum < 150 {
		t.Errorf("last line %q, want %q (and at least 150 questions)", lines[13], want)
	}
}

func TestLibraryPlanOfFiftyTwoWeeksPrintsFiftyTwoDifferentQuestions(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	code, stdout, stderr := runMend(t, "", "library", "--plan", "52")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 52 {
		t.Fatalf("%d lines, want 52", len(lines))
	}
	seen := map[string]bool{}
	for i, l := range lines {
		f := strings.Split(l, "\t")
		if len(f) != 4 || f[0] != strconv.Itoa(i+1) || f[1] == "" || f[3] == "" {
			t.Fatalf("line %d is not week, theme, question id and text: %q", i+1, l)
		}
		if seen[f[2]] {
			t.Errorf("week %d asks %s again", i+1, f[2])
		}
		seen[f[2]] = true
	}
	// The plan gives acknowledging the hurt two weeks a round, of 14 weeks.
	for _, w := range []int{1, 2, 15, 16} {
		if want := strconv.Itoa(w) + "\tacknowledging the hurt\t"; !strings.HasPrefix(lines[w-1], want) {
			t.Errorf("week %d is %q; want the path to give the hurt two weeks and come round to it", w, lines[w-1])
		}
	}
	if !strings.HasPrefix(lines[2], "3\ttaking responsibility\town-ready\t") {
		t.Errorf("week 3 is %q, want taking responsibility's readiness question", lines[2])
	}
}

func TestLibraryShowsThePacksOfTheConfigToo(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	path := filepath.Join(t.TempDir(), "mend.toml")
	goodPack, err := os.ReadFile("config/testdata/good_pack.toml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(string(goodPack)+"\n[library]\nplan = [\"acknowledging-the-hurt\", \"mine\"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := runMend(t, "", "library", "--config", path)
	testkit.MustContain(t, "library", stdout, "total: 157 questions in 14 packs", "(set boundaries)", "(be patient, not on the plan)")
	if code != 0 {
		t.Errorf("exit %d", code)
	}
	_, stdout, _ = runMend(t, "", "library", "--config", path, "--plan", "3")
	if want := "1\tacknowledging the hurt\thurt-what-helps\tWhen the hurt comes up, what helps me most is…\n2\tmy theme\tmine-a\tSomething I would like is…\n3\tacknowledging the hurt\thurt-want-understood\t"; !strings.HasPrefix(stdout, want) {
		t.Errorf("plan:\n%s\nwant it to start:\n%s", stdout, want)
	}
}

func TestLibraryRefusesABadNumberOfWeeks(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	for _, n := range []string{"0", "-1", "5000", "many"} {
		code, stdout, stderr := runMend(t, "", "library", "--plan", n)
		if code != exitUsage || stdout != "" || !strings.Contains(stderr, "plan") {
			t.Errorf("--plan %s: exit %d, stdout %q, stderr %q", n, code, stdout, stderr)
		}
	}
}

// TestTheReadmeShowsTheBuiltinPlan keeps the README's table of the guided
// path in step with the plan Mend walks.
func TestTheReadmeShowsTheBuiltinPlan(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.ParseConfig("", nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range cfg.LibraryOf().Plan() {
		row := "| " + strconv.Itoa(i+1) + " | " + p.Name
		if !strings.Contains(string(readme), row) {
			t.Errorf("the README's plan has no row %q", row)
		}
	}
	for _, section := range []string{"## The guided path", "### Writing a pack"} {
		if !strings.Contains(string(readme), "\n"+section+"\n") {
			t.Errorf("the README has no section %q", section)
		}
	}
}
