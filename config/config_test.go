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

func TestConfigSetsHowOftenTheSafetyCheckComesBack(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want int
	}{
		{"", 4},
		{"[care]\nsafety_check_every = 1\n", 1},
		{"[care]\nsafety_check_every = 6\n", 6},
	} {
		cfg, err := ParseConfig("mend.toml", []byte(tt.src))
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.Service(conversations.Stores{}).Settings().SafetyCheckEvery; got != tt.want {
			t.Errorf("%q: the safety check comes back every %d check-ins, want %d", tt.src, got, tt.want)
		}
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

func TestConfigSetsTheLengthsOfATalkAndItsBreak(t *testing.T) {
	for _, tt := range []struct {
		src                string
		wantBreak, wantEnd time.Duration
	}{
		{"", 20 * time.Minute, 24 * time.Hour},
		{"[talk]\nbreak = \"30m\"\n", 30 * time.Minute, 24 * time.Hour},
		{"[talk]\nexpires = \"72h\"\n", 20 * time.Minute, 72 * time.Hour},
		{"[talk]\nbreak = \"5m\"\nexpires = \"1h\"\n", 5 * time.Minute, time.Hour},
	} {
		cfg, err := ParseConfig("mend.toml", []byte(tt.src))
		if err != nil {
			t.Fatalf("%q: %v", tt.src, err)
		}
		st := cfg.Service(conversations.Stores{}).Settings()
		if st.TalkBreak != tt.wantBreak || st.TalkExpiry != tt.wantEnd {
			t.Errorf("%q: a break of %s and talks of %s, want %s and %s", tt.src, st.TalkBreak, st.TalkExpiry, tt.wantBreak, tt.wantEnd)
		}
	}
}

func TestATemplateOfTheConfigMarksWhatItsAnswersAreToATalk(t *testing.T) {
	src := "[[template]]\nid = \"t1\"\nname = \"T\"\n[[template.prompt]]\nid = \"glad\"\nkind = \"text\"\ntext = \"Glad of\"\ntalk = \"appreciation\"\n[[template.prompt]]\nid = \"wish\"\nkind = \"text\"\ntext = \"I wish\"\ntalk = \"topic\"\n"
	cfg, err := ParseConfig("mend.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tmpl, ok := cfg.CheckInTemplates().Get("t1")
	if !ok {
		t.Fatal("template t1 is missing")
	}
	if got := tmpl.Prompts[0].Talk; got != conversations.TalkUseAppreciation {
		t.Errorf("glad is %q to a talk, want appreciation", got)
	}
	if got := tmpl.Prompts[1].Talk; got != conversations.TalkUseTopic {
		t.Errorf("wish is %q to a talk, want topic", got)
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
	if len(evening.Prompts) != 5 || evening.Prompts[1].Options[2] != "None, tomorrow please" || evening.Prompts[3].Talk != conversations.TalkUseAppreciation {
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
		{"a safety check every 0 check-ins", "[care]\nsafety_check_every = 0\n", []string{"bad.toml:2:", "care.safety_check_every is 0", "from 1 (every check-in) to 12"}},
		{"a safety check too rare", "[care]\n\nsafety_check_every = 13\n", []string{"bad.toml:3:", "care.safety_check_every is 13"}},
		{"an empty resource", "[care]\n\nsafety_resources = [\"Helpline 0000\", \" \"]\n", []string{"bad.toml:3:", "line 2 is empty"}},
		{"too many resources", "[care]\nsafety_resources = [\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]\n", []string{"bad.toml:2:", "at most 8"}},
		{"a talk break in words", "[talk]\nbreak = \"twenty minutes\"\n", []string{"bad.toml:2:", "talk.break \"twenty minutes\" must be a duration from 5 minutes to 2 hours"}},
		{"a talk break too short to settle", "[talk]\nbreak = \"1m\"\n", []string{"bad.toml:2:", "talk.break \"1m\" must be a duration from 5 minutes to 2 hours"}},
		{"a talk that expires too soon", "[talk]\n\nexpires = \"30m\"\n", []string{"bad.toml:3:", "talk.expires \"30m\" must be a duration from 1 hour to 7 days"}},
		{"a talk that never ends", "[talk]\nexpires = \"720h\"\n", []string{"bad.toml:2:", "talk.expires \"720h\" must be a duration from 1 hour to 7 days"}},
		{"a break that outlasts the talk", "[talk]\nbreak = \"2h\"\nexpires = \"1h\"\n", []string{"bad.toml:2:", "talk.break (2 hours) must be shorter than talk.expires (1 hour)"}},
		{"an unknown talk key", "[talk]\npause = \"20m\"\n", []string{"bad.toml:2:", "unknown key"}},
		{"a talk mark of the wrong kind", "[[template]]\nid = \"t1\"\n[[template.prompt]]\nid = \"q\"\nkind = \"scale\"\ntext = \"A\"\nlow_label = \"l\"\nhigh_label = \"h\"\ntalk = \"topic\"\n", []string{"bad.toml:4:", `prompt "q": talk only applies to text prompts`}},
		{"an unknown talk mark", "[[template]]\nid = \"t1\"\n[[template.prompt]]\nid = \"q\"\nkind = \"text\"\ntext = \"A\"\ntalk = \"gripe\"\n", []string{"bad.toml:4:", `prompt "q": talk is "gripe"; it is "appreciation"`}},
		{"invitation expiry too short", "[couples]\ninvitation_expires = \"10m\"\n", []string{"bad.toml:2:", "from 1 hour to 30 days"}},
		{"no open commitments at all", "[checkins]\nmax_open_commitments = 0\n", []string{"bad.toml:2:", "checkins.max_open_commitments 0 is out of range", "1 to 50"}},
		{"no requests at all", "[discord]\nrequests_per_second = 0\n", []string{"bad.toml:2:", "discord.requests_per_second 0 is out of range"}},
		{"a window in words", "[checkins]\nwindow = \"900h\"\n", []string{"bad.toml:2:", "between 1 hour and 14 days"}},
		{"a backup period in words", "[backup]\nevery = \"30m\"\n", []string{"bad.toml:2:", "from 1 hour to 366 days"}},
		{"a grace in words", "[checkins]\ncatch_up_grace = \"200h\"\n", []string{"bad.toml:2:", "from 0 seconds to 7 days"}},
		{"a number for a duration", "[checkins]\nwindow = 48\n", []string{"bad.toml:2: checkins.window is a whole number here, but it takes text in quotes"}},
		{"text for a number", "[backup]\nkeep = \"7\"\n", []string{"bad.toml:2: backup.keep is text in quotes here, but it takes a whole number, without quotes"}},
		{"text for true or false", "[checkins]\nbuiltin_templates = \"yes\"\n", []string{"bad.toml:2: checkins.builtin_templates is text in quotes here, but it takes true or false"}},
		{"one value for a list", "[discord]\nguild_ids = 5\n", []string{"bad.toml:2: discord.guild_ids is a whole number here, but it takes a list of texts in quotes"}},
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

// TestConfigTypeErrorsNameNoGoTypes: a value of the wrong type is explained
// in the words of the file, never in Go's.
func TestConfigTypeErrorsNameNoGoTypes(t *testing.T) {
	for _, src := range []string{"[checkins]\nwindow = 48\n", "[database]\npath = true\n", "[checkins]\nmax_open_commitments = 1.5\n", "[discord]\nguild_ids = 5\n"} {
		_, err := ParseConfig("bad.toml", []byte(src))
		if err == nil {
			t.Fatalf("%q was accepted", src)
		}
		for _, goWord := range []string{"struct", "config.", "of type", "[]string", "float64", "malformed", "TOML"} {
			if strings.Contains(err.Error(), goWord) {
				t.Errorf("%q: message %q speaks Go (%q)", src, err, goWord)
			}
		}
	}
}

// TestConfigProblemsOnceInLineOrder: problems come sorted by line whatever
// order they were found in, and one problem of several values is said once.
func TestConfigProblemsOnceInLineOrder(t *testing.T) {
	src := "[checkins]\nreminders = [\"100h\", \"200h\"]\n\n[backup]\nevery = \"30m\"\n"
	_, err := ParseConfig("bad.toml", []byte(src))
	if err == nil {
		t.Fatal("accepted")
	}
	want := `bad.toml:2: checkins.reminders: "100h", "200h" must each be a duration after a check-in opens and before it closes (48 hours after it opens), like "24h"
bad.toml:5: backup.every "30m" must be a duration from 1 hour to 366 days, like "24h"; for continuous copies, use Litestream (see the README)`
	if err.Error() != want {
		t.Errorf("got\n%s\nwant\n%s", err, want)
	}
}

func TestConfigChecksTheBackupDir(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	locked := filepath.Join(dir, "locked")
	if err := os.Mkdir(locked, 0o500); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		dir  string
		want string // "" for accepted
	}{
		{filepath.Join(dir, "backups"), ""},
		{filepath.Join(dir, "new", "deeper"), ""},
		{dir, ""},
		{file, `backup.dir "` + file + `" is a file, not a directory`},
		{filepath.Join(file, "backups"), `backup.dir "` + filepath.Join(file, "backups") + `" cannot be created: ` + file + ` is a file, not a directory`},
	}
	if os.Geteuid() != 0 { // root may write anywhere
		tests = append(tests,
			struct{ dir, want string }{locked, `backup.dir "` + locked + `" cannot be written to by this user`},
			struct{ dir, want string }{filepath.Join(locked, "b"), `backup.dir "` + filepath.Join(locked, "b") + `" does not exist and cannot be created: this user cannot write to ` + locked})
	}
	for _, tt := range tests {
		_, err := ParseConfig("mend.toml", []byte("[backup]\n\ndir = \""+tt.dir+"\"\n"))
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.dir, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), "mend.toml:3: "+tt.want)):
			t.Errorf("%s: got %v, want %q", tt.dir, err, tt.want)
		}
	}
}
