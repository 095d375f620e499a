package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // zones in tests, on a machine without zone data too

	"mend/conversations"
)

func TestConfigDefaultsWithoutFile(t *testing.T) {
	cfg, err := ParseConfig("", nil)
	if err != nil {
		t.Fatalf("ParseConfig without a file: %v", err)
	}
	if cfg.Database.Path != "mend.db" {
		t.Errorf("database path = %q, want mend.db", cfg.Database.Path)
	}
	if cfg.Window() != 48*time.Hour {
		t.Errorf("window = %s, want 48h", cfg.Window())
	}
	if cfg.CheckIns.TimeZone != "UTC" || cfg.CheckIns.DefaultTemplate != "rebuilding-trust" {
		t.Errorf("time zone %q, default template %q", cfg.CheckIns.TimeZone, cfg.CheckIns.DefaultTemplate)
	}
	if got := TemplateIDs(cfg.CheckInTemplates()); got != "rebuilding-trust, pulse" {
		t.Errorf("templates = %s", got)
	}
	if got := cfg.Service(conversations.Stores{}).Settings().MaxOpenCommitments; got != 10 {
		t.Errorf("open commitments per partner = %d, want 10", got)
	}
	if got := cfg.Service(conversations.Stores{}).Settings().InvitationExpiry; got != 7*24*time.Hour {
		t.Errorf("invitations wait %s, want a week", got)
	}
}

func TestConfigSetsHowLongInvitationsWait(t *testing.T) {
	cfg, err := ParseConfig("mend.toml", []byte("[couples]\ninvitation_expires = \"72h\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Service(conversations.Stores{}).Settings().InvitationExpiry; got != 72*time.Hour {
		t.Errorf("invitations wait %s, want 72h", got)
	}
}

func TestConfigExampleIsValid(t *testing.T) {
	src, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig("config.example.toml", src)
	if err != nil {
		t.Fatalf("config.example.toml: %v", err)
	}
	evening, ok := cfg.CheckInTemplates().Get("evening")
	if !ok {
		t.Fatalf("the example template is missing; templates: %s", TemplateIDs(cfg.CheckInTemplates()))
	}
	if len(evening.Prompts) != 4 || evening.Prompts[1].Options[2] != "None, tomorrow please" {
		t.Errorf("evening template decoded wrongly: %+v", evening)
	}
}

func TestConfigErrorsNameFileLineAndProblem(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // substrings of the message, the first one being "file:line"
	}{
		{"malformed TOML", "[database]\npath = \"a.db\"\nwindow = = 3\n", []string{"bad.toml:3:", "malformed TOML"}},
		{"unknown key", "[database]\npath = \"a.db\"\n\n[checkins]\nwindwo = \"3h\"\n", []string{"bad.toml:5:", `unknown key "checkins.windwo"`}},
		{"unknown time zone", "[checkins]\n\ntime_zone = \"Mars/Olympus\"\n", []string{"bad.toml:3:", `"Mars/Olympus"`}},
		{"window not a duration", "[checkins]\nwindow = \"two days\"\n", []string{"bad.toml:2:", "not a duration"}},
		{"window too long", "[checkins]\nwindow = \"900h\"\n", []string{"bad.toml:2:", "out of range"}},
		{"the old outbox pace", "[discord]\nposts_per_second = 40\n", []string{"bad.toml:2:", "now discord.requests_per_second"}},
		{"a limit over Discord's", "[discord]\nrequests_per_second = 60\n", []string{"bad.toml:2:", "out of range"}},
		{"unknown default template", "[checkins]\ndefault_template = \"nope\"\n", []string{"bad.toml:2:", `"nope" is not a template`}},
		{"scale without labels", "[[template]]\nid = \"t1\"\n[[template.prompt]]\nid = \"mood\"\nkind = \"scale\"\ntext = \"How?\"\n",
			[]string{"bad.toml:4:", `template "t1", prompt "mood"`, "low_label"}},
		{"unknown kind", "[[template]]\nid = \"t1\"\n[[template.prompt]]\nid = \"q\"\nkind = \"essay\"\ntext = \"How?\"\n",
			[]string{"bad.toml:4:", `unknown kind "essay"`}},
		{"duplicate prompt id", "[[template]]\nid = \"t1\"\n[[template.prompt]]\nid = \"q\"\nkind = \"text\"\ntext = \"A\"\n[[template.prompt]]\nid = \"q\"\nkind = \"text\"\ntext = \"B\"\n",
			[]string{"bad.toml:8:", `prompt "q"`, "unique"}},
		{"duplicate prompt id after a prompt with a problem", "[[template]]\nid = \"t1\"\n[[template.prompt]]\nid = \"q\"\nkind = \"text\"\ntext = \" \"\n[[template.prompt]]\nid = \"q\"\nkind = \"text\"\ntext = \"\"\n",
			[]string{`bad.toml:4: template "t1", prompt "q": the text is empty`, `bad.toml:8: template "t1", prompt "q": the id is used by an earlier prompt`, `bad.toml:8: template "t1", prompt "q": the text is empty`}},
		{"duplicate template id", "[[template]]\nid = \"t1\"\n[[template.prompt]]\nid = \"q\"\nkind = \"text\"\ntext = \"A\"\n[[template]]\nid = \"t1\"\n[[template.prompt]]\nid = \"q\"\nkind = \"text\"\ntext = \"B\"\n",
			[]string{"bad.toml:8:", `template "t1": two templates have this id`}},
		{"empty text", "[[template]]\nid = \"t1\"\n[[template.prompt]]\nid = \"q\"\nkind = \"text\"\ntext = \"  \"\n",
			[]string{"bad.toml:4:", "the text is empty"}},
		{"label longer than a form's box", "[[template]]\nid = \"t1\"\n[[template.prompt]]\nid = \"q\"\nkind = \"text\"\ntext = \"A\"\nlabel = \"" + strings.Repeat("l", 46) + "\"\n",
			[]string{"bad.toml:4:", `prompt "q": the label is 46 characters long; at most 45`}},
		{"wrong value type", "[database]\npath = 3\n", []string{"bad.toml:2:"}},
		{"reminder after the window", "[checkins]\nwindow = \"24h\"\nreminders = [\"30h\"]\n", []string{"bad.toml:3:", "before it closes (24 hours after it opens)"}},
		{"unknown remind_by", "[checkins]\nremind_by = \"pigeon\"\n", []string{"bad.toml:2:", "mention or dm"}},
		{"bad grace", "[checkins]\ncatch_up_grace = \"soon\"\n", []string{"bad.toml:2:", "catch_up_grace"}},
		{"too many open commitments", "[checkins]\nmax_open_commitments = 100\n", []string{"bad.toml:2:", "max_open_commitments", "1 to 50"}},
		{"bad guild id", "[discord]\nguild_ids = [\"my server\"]\n", []string{"bad.toml:2:", "not a Discord server ID"}},
		{"bad api url", "[discord]\napi_url = \"ftp://x\"\n", []string{"bad.toml:2:", "api_url"}},
		{"invitation expiry not a duration", "[couples]\ninvitation_expires = \"a week\"\n", []string{"bad.toml:2:", "couples.invitation_expires", "168h"}},
		{"a safety note too long", "[care]\nsafety_note = \"" + strings.Repeat("a", 1001) + "\"\n", []string{"bad.toml:2:", "care.safety_note is 1001 characters long"}},
		{"an empty resource", "[care]\n\nsafety_resources = [\"Helpline 0000\", \" \"]\n", []string{"bad.toml:3:", "line 2 is empty"}},
		{"too many resources", "[care]\nsafety_resources = [\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]\n", []string{"bad.toml:2:", "at most 8"}},
		{"invitation expiry too short", "[couples]\ninvitation_expires = \"10m\"\n", []string{"bad.toml:2:", "from 1h to 720h"}},
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

func TestConfigTokenComesFromEnvironmentOnly(t *testing.T) {
	t.Setenv(TokenEnv, "  secret-token  ")
	cfg, err := LoadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Token != "secret-token" {
		t.Errorf("token = %q", cfg.Token)
	}
	path := filepath.Join(t.TempDir(), "mend.toml")
	if err := os.WriteFile(path, []byte("[discord]\ntoken = \"in-file\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfig(path); err == nil || !strings.Contains(err.Error(), "unknown key") {
		t.Errorf("a token in the file should be refused as an unknown key, got %v", err)
	}
}

func TestLoadConfigMissingFileNamesIt(t *testing.T) {
	_, err := LoadConfig(filepath.Join(t.TempDir(), "nowhere.toml"))
	var ce *ConfigError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "nowhere.toml: cannot read the file") {
		t.Fatalf("err = %v", err)
	}
}

// TestConfigExampleDocumentsEveryKey keeps config.example.toml honest: a key
// added to Config without documentation fails here.
func TestConfigExampleDocumentsEveryKey(t *testing.T) {
	src, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	var walk func(typ reflect.Type, prefix string)
	walk = func(typ reflect.Type, prefix string) {
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			tag := strings.Split(f.Tag.Get("toml"), ",")[0]
			if tag == "" || tag == "-" {
				continue
			}
			ft := f.Type
			if ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if !regexp.MustCompile(`(?m)^\s*\[\[?` + regexp.QuoteMeta(prefix+tag) + `\]\]?`).Match(src) {
					t.Errorf("config.example.toml has no [%s] section", prefix+tag)
				}
				walk(ft, prefix+tag+".")
				continue
			}
			if !regexp.MustCompile(`(?m)^\s*#?\s*` + regexp.QuoteMeta(tag) + `\b`).Match(src) {
				t.Errorf("config.example.toml does not document %s%s", prefix, tag)
			}
		}
	}
	walk(reflect.TypeOf(Config{}), "")
}

func TestTheExampleSafetyNoteIsTheDefault(t *testing.T) {
	src, err := os.ReadFile("../config.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig("config.example.toml", src)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Care.SafetyNote != conversations.DefaultSafetyNote {
		t.Errorf("config.example.toml shows a safety note that is not the default:\n%s\nwant:\n%s", cfg.Care.SafetyNote, conversations.DefaultSafetyNote)
	}
	defaults, err := ParseConfig("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := defaults.SafetyNote(); got.Text != conversations.DefaultSafetyNote || len(got.Resources) != 0 {
		t.Errorf("without a file the note is %+v", got)
	}
}

func TestConfigSetsTheSafetyNoteAndResources(t *testing.T) {
	cfg, err := ParseConfig("mend.toml", []byte("[care]\nsafety_note = \"  Our words.  \"\nsafety_resources = [\" Helpline 0000 \"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := cfg.SafetyNote()
	if got.Text != "Our words." || len(got.Resources) != 1 || got.Resources[0] != "Helpline 0000" {
		t.Errorf("note = %+v", got)
	}
}
