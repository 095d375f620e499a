package config

import (
	"os"
	"strings"
	"testing"

	"mend/conversations"
)

// goodPack is a valid [[pack]]; the tests of mend library read it too.
var goodPack = func() string {
	src, err := os.ReadFile("testdata/good_pack.toml")
	if err != nil {
		panic(err)
	}
	return string(src)
}()

func TestLibraryProblemsInTheConfigNameFileLineAndProblem(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"a label over 45 characters", goodPack + `
  [[pack.question]]
  id = "mine-b"
  label = "` + strings.Repeat("l", 46) + `"
  kind = "text"
  text = "Another thing I would like is…"
  hint = "A hint."
`, []string{"bad.toml:14:", `pack "mine", question "mine-b": the label is 46 characters long; at most 45`}},
		{"an unknown kind", strings.Replace(goodPack, `kind = "text"`, `kind = "essay"`, 1), []string{"bad.toml:7:", `kind "essay" is not one a library question can have`}},
		{"a scale without labels", strings.Replace(goodPack, `kind = "text"`, `kind = "scale"`, 1), []string{"bad.toml:7:", "a scale needs both low_label"}},
		{"a question id used twice", goodPack + strings.Replace(strings.Replace(goodPack, `id = "mine"`, `id = "other"`, 1), "my theme", "other theme", 1),
			[]string{"bad.toml:18:", `pack "other", question "mine-a": the id is used by an earlier question`}},
		{"a pack id used twice", goodPack + strings.Replace(goodPack, `id = "mine-a"`, `id = "mine-c"`, 1), []string{"bad.toml:13:", `pack "mine": two packs have this id`}},
		{"an unknown step", strings.Replace(goodPack, `step = "boundaries"`, `step = "forgive"`, 1), []string{"bad.toml:2:", `unknown step "forgive"`}},
		{"a plan naming an unknown pack", "[library]\nplan = [\"acknowledging-the-hurt\", \"nope\"]\n", []string{"bad.toml:2:", `the plan: week 2 names pack "nope"`}},
		{"a plan out of step order", "[library]\nplan = [\"looking-ahead\", \"acknowledging-the-hurt\"]\n", []string{"bad.toml:2:", "walks the six steps in order"}},
		{"a rotating prompt naming an unknown pack", "[[template]]\nid = \"t1\"\n[[template.prompt]]\nid = \"extra\"\nkind = \"rotating\"\npacks = [\"nope\"]\n",
			[]string{"bad.toml:4:", `template "t1", prompt "extra": pack "nope" is not in the library`}},
		{"a rotating prompt with text", "[[template]]\nid = \"t1\"\n[[template.prompt]]\nid = \"extra\"\nkind = \"rotating\"\ntext = \"Anything?\"\n",
			[]string{"bad.toml:4:", "a rotating prompt takes its question"}},
		{"an unknown acknowledge", strings.Replace(goodPack, `hint = "A hint."`, "hint = \"A hint.\"\nacknowledge = \"agree\"", 1),
			[]string{`pack "mine", question "mine-a": acknowledge "agree" is not one Mend knows; use "hear" ("I hear you") or "own" ("Thank you for owning this")`}},
		{"acknowledge on a scale", strings.Replace(strings.Replace(goodPack, `kind = "text"`, "kind = \"scale\"\nlow_label = \"Low\"\nhigh_label = \"High\"", 1), `hint = "A hint."`, "hint = \"A hint.\"\nacknowledge = \"hear\"", 1),
			[]string{`pack "mine", question "mine-a": acknowledge only applies to text prompts`}},
		{"an unknown key in a pack", strings.Replace(goodPack, `step = "boundaries"`, "step = \"boundaries\"\ncolour = \"blue\"", 1), []string{"bad.toml:5:", `unknown key "pack.colour"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("bad.toml", []byte(tt.src))
			if err == nil {
				t.Fatal("ParseConfig accepted a bad config")
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("message %q does not contain %q", err.Error(), want)
				}
			}
		})
	}
}

func TestAPackOfTheConfigCanJoinThePlanAndARotatingPrompt(t *testing.T) {
	src := goodPack + `
[library]
plan = ["acknowledging-the-hurt", "mine"]

[[template]]
id = "t1"
  [[template.prompt]]
  id = "extra"
  kind = "rotating"
  packs = ["mine"]
`
	cfg, err := ParseConfig("good.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	plan := cfg.LibraryOf().Plan()
	if len(plan) != 2 || plan[1].ID != "mine" || plan[1].Questions[0].Label != "A" {
		t.Errorf("plan = %+v", plan)
	}
	if _, ok := cfg.LibraryOf().Pack("boundaries-money"); !ok {
		t.Error("the built-in packs are gone although builtin_packs was left out")
	}
}

func TestAPackQuestionCarriesItsAcknowledgementAndTheCorePromptsItEchoes(t *testing.T) {
	src := strings.Replace(goodPack, `hint = "A hint."`, "hint = \"A hint.\"\nacknowledge = \"own\"\nechoes = [\"responsibility\"]", 1) + `
  [[pack.question]]
  id = "mine-b"
  label = "B"
  kind = "text"
  text = "Something I'd like you to understand is…"
  hint = "A hint."
  acknowledge = "hear"
`
	cfg, err := ParseConfig("good.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := cfg.LibraryOf().Pack("mine")
	a, b := p.Questions[0], p.Questions[1]
	if a.Acknowledge != conversations.AckThanked || len(a.Echoes) != 1 || a.Echoes[0] != "responsibility" {
		t.Errorf("mine-a: acknowledge %q, echoes %v; want thanked and [responsibility]", a.Acknowledge, a.Echoes)
	}
	if b.Acknowledge != conversations.AckHeard || len(b.Echoes) != 0 {
		t.Errorf("mine-b: acknowledge %q, echoes %v; want heard and none", b.Acknowledge, b.Echoes)
	}
}

func TestWithoutAnyPackCheckInsGoWithoutAQuestionOfTheWeek(t *testing.T) {
	cfg, err := ParseConfig("none.toml", []byte("[library]\nbuiltin_packs = false\n"))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(cfg.LibraryOf().Packs()); n != 0 {
		t.Errorf("%d packs, want none", n)
	}
}

func TestWithoutBuiltinPacksOnlyTheConfigsPacksAreOffered(t *testing.T) {
	cfg, err := ParseConfig("good.toml", []byte("[library]\nbuiltin_packs = false\n\n"+goodPack))
	if err != nil {
		t.Fatal(err)
	}
	if packs := cfg.LibraryOf().Packs(); len(packs) != 1 || packs[0].ID != "mine" {
		t.Errorf("packs = %+v, want only mine", packs)
	}
}
