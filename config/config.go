// Package config reads Mend's TOML config file and checks it, with the
// templates and question packs it may hold: TOML is read here and nowhere
// else. It knows none of Mend's adapters; they are handed what it read.
package config

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"mend/conversations"
)

// TokenEnv is where the Discord token comes from. It is never read from the
// config file, so a config can be shared or committed without leaking it.
const TokenEnv = "MEND_DISCORD_TOKEN"

// FileEnv names a config file when --config is not given.
const FileEnv = "MEND_CONFIG"

// Config is everything Mend reads from its TOML file. The zero file is valid:
// every field has a default.
type Config struct {
	Discord   discordConfig    `toml:"discord"`
	Log       LogConfig        `toml:"log"`
	Database  databaseConfig   `toml:"database"`
	Backup    backupConfig     `toml:"backup"`
	CheckIns  checkInsConfig   `toml:"checkins"`
	Metrics   metricsConfig    `toml:"metrics"`
	Couples   couplesConfig    `toml:"couples"`
	Care      careConfig       `toml:"care"`
	Talk      talkConfig       `toml:"talk"`
	Templates []templateConfig `toml:"template"`
	Library   libraryConfig    `toml:"library"`
	// Packs are question packs of the operator's own, beside the built-in ones.
	Packs []PackFile `toml:"pack"`

	// Path is the file the config came from, empty for the defaults.
	Path string `toml:"-"`
	// Token is the Discord bot token, from the environment only.
	Token string `toml:"-"`

	window    time.Duration
	reminders []time.Duration
	grace     time.Duration
	templates *conversations.Templates

	// backupEvery is backup.every, parsed.
	backupEvery time.Duration
	// replicaRetention is backup.replica_retention, parsed.
	replicaRetention time.Duration
	// maxPostDelay is metrics.max_post_delay, 0 for the default.
	maxPostDelay time.Duration
	library      *conversations.Library
	// invitationExpiry is how long an invitation waits for an answer.
	invitationExpiry time.Duration
	// talkBreak and talkExpiry are talk.break and talk.expires, parsed.
	talkBreak, talkExpiry time.Duration
}

type discordConfig struct {
	GuildIDs      []string `toml:"guild_ids"`
	CategoryID    string   `toml:"category_id"`
	APIURL        string   `toml:"api_url"`
	GatewayURL    string   `toml:"gateway_url"`
	ApplicationID string   `toml:"application_id"`
	// RequestsPerSecond limits every Discord request but interaction
	// responses; left out, the default applies.
	RequestsPerSecond float64 `toml:"requests_per_second"`
}

// LogConfig is how much Mend logs and in which format.
type LogConfig struct {
	Level  string `toml:"level"`
	Format string `toml:"format"`
}

// metricsConfig is where /healthz and /metrics are served, if anywhere.
type metricsConfig struct {
	Listen       string `toml:"listen"`
	MaxPostDelay string `toml:"max_post_delay"`
}

type databaseConfig struct {
	Path string `toml:"path"`
}

// backupConfig is where and how often the bot backs the database up; off
// while Dir is empty.
type backupConfig struct {
	Dir              string `toml:"dir"`
	Every            string `toml:"every"`
	Keep             int    `toml:"keep"`
	ReplicaRetention string `toml:"replica_retention"`
}

type checkInsConfig struct {
	Window           string   `toml:"window"`
	Reminders        []string `toml:"reminders"`
	RemindBy         string   `toml:"remind_by"`
	CatchUpGrace     string   `toml:"catch_up_grace"`
	DefaultTemplate  string   `toml:"default_template"`
	TimeZone         string   `toml:"time_zone"`
	BuiltinTemplates *bool    `toml:"builtin_templates"`
	// MaxOpenCommitments is per partner; left out, the default applies.
	MaxOpenCommitments int `toml:"max_open_commitments"`
}

type couplesConfig struct {
	InvitationExpires string `toml:"invitation_expires"`
}

// talkConfig is about the guided talk after a reveal.
type talkConfig struct {
	Break   string `toml:"break"`
	Expires string `toml:"expires"`
}

type careConfig struct {
	SafetyNote      string   `toml:"safety_note"`
	SafetyResources []string `toml:"safety_resources"`
	// SafetyCheckEvery: the private safety check comes back every this many
	// check-ins; nil (unset) means the default.
	SafetyCheckEvery *int `toml:"safety_check_every"`
}

type templateConfig struct {
	ID          string         `toml:"id"`
	Name        string         `toml:"name"`
	Description string         `toml:"description"`
	Prompts     []promptConfig `toml:"prompt"`
}

type promptConfig struct {
	ID          string   `toml:"id"`
	Kind        string   `toml:"kind"`
	Text        string   `toml:"text"`
	Hint        string   `toml:"hint"`
	Label       string   `toml:"label"`
	Optional    bool     `toml:"optional"`
	LowLabel    string   `toml:"low_label"`
	HighLabel   string   `toml:"high_label"`
	Options     []string `toml:"options"`
	MaxLength   int      `toml:"max_length"`
	Long        bool     `toml:"long"`
	Acknowledge bool     `toml:"acknowledge"`
	Owned       bool     `toml:"owned"`
	Tracked     bool     `toml:"tracked"`
	Talk        string   `toml:"talk"`
	Packs       []string `toml:"packs"`
}

func (t templateConfig) template() conversations.Template {
	out := conversations.Template{ID: t.ID, Name: t.Name, Description: t.Description}
	for _, p := range t.Prompts {
		out.Prompts = append(out.Prompts, conversations.Prompt{
			ID: p.ID, Kind: conversations.PromptKind(p.Kind), Text: p.Text, Hint: p.Hint, Label: p.Label, Optional: p.Optional,
			LowLabel: p.LowLabel, HighLabel: p.HighLabel, Options: p.Options,
			MaxLength: p.MaxLength, Long: p.Long, Acknowledge: p.Acknowledge, Owned: p.Owned, Tracked: p.Tracked, Packs: p.Packs,
			Talk: conversations.TalkUse(p.Talk),
		})
	}
	return out
}

// ConfigError is a problem in a config file, located where that is possible.
type ConfigError struct {
	Path    string
	Line    int
	Problem string
}

func (e *ConfigError) Error() string {
	name := e.Path
	if name == "" {
		name = "default config"
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", name, e.Line, e.Problem)
	}
	return fmt.Sprintf("%s: %s", name, e.Problem)
}

// ConfigErrors is every problem found in one file.
type ConfigErrors []*ConfigError

func (e ConfigErrors) Error() string {
	lines := make([]string, len(e))
	for i, c := range e {
		lines[i] = c.Error()
	}
	return strings.Join(lines, "\n")
}

// LoadConfig reads the config at path (none when path is empty), applies the
// defaults and the environment, and validates it.
func LoadConfig(path string) (*Config, error) {
	var src []byte
	if path != "" {
		var err error
		if src, err = os.ReadFile(path); err != nil {
			// The full path: a relative one run from the wrong directory
			// looks right as it was typed.
			abs, _ := filepath.Abs(path)
			return nil, &ConfigError{Path: cmp.Or(abs, path), Problem: fmt.Sprintf("cannot read the file: %v", errors.Unwrap(err))}
		}
	}
	cfg, err := ParseConfig(path, src)
	if err != nil {
		return nil, err
	}
	cfg.Token = strings.TrimSpace(os.Getenv(TokenEnv))
	return cfg, nil
}

// ParseConfig decodes and validates config text; path is used in messages.
func ParseConfig(path string, src []byte) (*Config, error) {
	cfg := &Config{Path: path}
	dec := toml.NewDecoder(bytes.NewReader(src)).DisallowUnknownFields()
	if err := dec.Decode(cfg); err != nil {
		return nil, decodeErrors(path, err)
	}
	var problems ConfigErrors
	fail := func(line int, format string, args ...any) {
		problems = append(problems, &ConfigError{Path: path, Line: line, Problem: fmt.Sprintf(format, args...)})
	}

	if cfg.Database.Path == "" {
		cfg.Database.Path = "mend.db"
	}
	cfg.validateDiscord(src, fail)
	cfg.validateLog(src, fail)
	cfg.validateBackup(src, fail)
	cfg.validateMetrics(src, fail)
	cfg.window = conversations.DefaultWindow
	if w := cfg.CheckIns.Window; w != "" {
		d, err := time.ParseDuration(w)
		switch {
		case err != nil:
			fail(keyLine(src, "window", w), "checkins.window %q is not a duration; write it like \"48h\" or \"36h30m\"", w)
		case d < time.Hour || d > 14*24*time.Hour:
			fail(keyLine(src, "window", w), "checkins.window %s is out of range; a check-in stays open between 1 hour and 14 days (336h)", w)
		default:
			cfg.window = d
		}
	}
	cfg.validateReminders(src, fail)
	// A key left out takes the default; written out, 0 is out of range.
	switch n, line := cfg.CheckIns.MaxOpenCommitments, findLine(src, 0, regexp.MustCompile(`^\s*max_open_commitments\s*=`)); {
	case n == 0 && line == 0:
		cfg.CheckIns.MaxOpenCommitments = conversations.DefaultMaxOpenCommitments
	case n < 1 || n > 50:
		fail(line, "checkins.max_open_commitments %d is out of range; each partner may keep from 1 to 50 open commitments", n)
	}
	cfg.validateCouples(src, fail)
	cfg.validateCare(src, fail)
	cfg.validateTalk(src, fail)
	if cfg.CheckIns.TimeZone == "" {
		cfg.CheckIns.TimeZone = "UTC"
	} else if _, err := conversations.LoadZone(cfg.CheckIns.TimeZone); err != nil {
		fail(keyLine(src, "time_zone", cfg.CheckIns.TimeZone), "checkins.time_zone: unknown time zone %q; use an IANA name such as Europe/Berlin or America/New_York", cfg.CheckIns.TimeZone)
	}

	builtins := cfg.CheckIns.BuiltinTemplates == nil || *cfg.CheckIns.BuiltinTemplates
	custom := make([]conversations.Template, len(cfg.Templates))
	for i, t := range cfg.Templates {
		custom[i] = t.template()
	}
	templates, err := conversations.NewTemplates(builtins, custom...)
	var terr conversations.TemplateError
	switch {
	case errors.As(err, &terr):
		lines := templateLines{src: src, repeats: map[[2]string]int{}}
		for _, p := range terr {
			fail(lines.of(p), "%s", p)
		}
	case err != nil:
		fail(0, "%v", err)
	default:
		cfg.templates = templates
		if cfg.CheckIns.DefaultTemplate == "" {
			cfg.CheckIns.DefaultTemplate = conversations.RebuildingTrustID
			if _, ok := templates.Get(conversations.RebuildingTrustID); !ok {
				cfg.CheckIns.DefaultTemplate = templates.List()[0].ID
			}
		}
		if _, ok := templates.Get(cfg.CheckIns.DefaultTemplate); !ok {
			fail(keyLine(src, "default_template", cfg.CheckIns.DefaultTemplate), "checkins.default_template %q is not a template; the templates are %s", cfg.CheckIns.DefaultTemplate, TemplateIDs(templates))
		}
	}
	cfg.validateLibrary(src, fail)
	if len(problems) > 0 {
		return nil, problems.sorted()
	}
	return cfg, nil
}

var snowflake = regexp.MustCompile(`^[0-9]{15,21}$`)

func (cfg *Config) validateDiscord(src []byte, fail func(int, string, ...any)) {
	d := &cfg.Discord
	for _, g := range d.GuildIDs {
		if !snowflake.MatchString(g) {
			fail(findLine(src, 0, regexp.MustCompile(`^\s*guild_ids\s*=`)), "discord.guild_ids: %q is not a Discord server ID (a number of 15 to 21 digits; in Discord, right-click the server and Copy Server ID)", g)
		}
	}
	if d.CategoryID != "" && !snowflake.MatchString(d.CategoryID) {
		fail(keyLine(src, "category_id", d.CategoryID), "discord.category_id: %q is not a Discord channel category ID", d.CategoryID)
	}
	if d.ApplicationID != "" && !snowflake.MatchString(d.ApplicationID) {
		fail(keyLine(src, "application_id", d.ApplicationID), "discord.application_id: %q is not a Discord application ID", d.ApplicationID)
	}
	if line := findLine(src, 0, regexp.MustCompile(`^\s*requests_per_second\s*=`)); d.RequestsPerSecond < 0 || d.RequestsPerSecond > 50 || (line > 0 && d.RequestsPerSecond == 0) {
		fail(line, "discord.requests_per_second %v is out of range; Discord allows 50 requests a second in all, so choose from 1 to 50", d.RequestsPerSecond)
	}
	if err := checkDiscordURLs(d.APIURL, d.GatewayURL); err != nil {
		key, value := "api_url", d.APIURL
		if strings.Contains(err.Error(), "gateway_url") {
			key, value = "gateway_url", d.GatewayURL
		}
		fail(keyLine(src, key, value), "%v", err)
	}
}

func (cfg *Config) validateLog(src []byte, fail func(int, string, ...any)) {
	switch cfg.Log.Level {
	case "":
		cfg.Log.Level = "info"
	case "debug", "info", "warn", "error":
	default:
		fail(keyLine(src, "level", cfg.Log.Level), "log.level %q is not one of debug, info, warn, error", cfg.Log.Level)
	}
	switch cfg.Log.Format {
	case "":
		cfg.Log.Format = "text"
	case "text", "json":
	default:
		fail(keyLine(src, "format", cfg.Log.Format), "log.format %q is not text or json", cfg.Log.Format)
	}
}

func (cfg *Config) validateBackup(src []byte, fail func(int, string, ...any)) {
	b := &cfg.Backup
	if b.Every == "" {
		b.Every = "24h"
	}
	d, err := time.ParseDuration(b.Every)
	if err != nil || d < time.Hour || d > 366*24*time.Hour {
		fail(keyLine(src, "every", b.Every), "backup.every %q must be a duration from 1 hour to 366 days, like \"24h\"; for continuous copies, use Litestream (see the README)", b.Every)
	}
	cfg.backupEvery = d
	if b.Dir != "" {
		if problem := backupDirProblem(b.Dir); problem != "" {
			fail(keyLine(src, "dir", b.Dir), "backup.dir %q %s", b.Dir, problem)
		}
	}
	line := findLine(src, 0, regexp.MustCompile(`^\s*keep\s*=`))
	switch {
	case b.Keep == 0 && line == 0:
		b.Keep = 7
	case b.Keep < 1 || b.Keep > 1000:
		fail(line, "backup.keep %d must be from 1 to 1000: how many backups are kept in backup.dir", b.Keep)
	}
	if b.ReplicaRetention != "" {
		r, err := time.ParseDuration(b.ReplicaRetention)
		if err != nil || r <= 0 || r > 366*24*time.Hour {
			fail(keyLine(src, "replica_retention", b.ReplicaRetention), "backup.replica_retention %q must be a duration up to 8784h, like \"72h\": how long your replica (Litestream's retention) keeps what was deleted", b.ReplicaRetention)
		}
		cfg.replicaRetention = r
	}
}

// CopiesKept is how long copies of the database made beside Mend (its
// automatic backups, a replica) may still hold what was deleted from it: a
// couple's /forget says so. 0 when neither is configured.
func (cfg *Config) CopiesKept() time.Duration {
	var backups time.Duration
	if cfg.Backup.Dir != "" {
		// The newest backup before the deletion is at most a period old,
		// and is removed once keep newer ones are taken.
		backups = cfg.backupEvery * time.Duration(cfg.Backup.Keep)
	}
	return max(backups, cfg.replicaRetention)
}

func (cfg *Config) validateReminders(src []byte, fail func(int, string, ...any)) {
	c := &cfg.CheckIns
	if c.Reminders == nil {
		cfg.reminders = []time.Duration{conversations.DefaultReminder}
	}
	var wrong []string
	for _, r := range c.Reminders {
		d, err := time.ParseDuration(r)
		if err != nil || d <= 0 || d >= cfg.window {
			wrong = append(wrong, fmt.Sprintf("%q", r))
			continue
		}
		cfg.reminders = append(cfg.reminders, d)
	}
	if len(wrong) > 0 {
		// One problem, said once, however many reminders have it.
		fail(findLine(src, 0, regexp.MustCompile(`^\s*reminders\s*=`)), "checkins.reminders: %s must each be a duration after a check-in opens and before it closes (%s after it opens), like \"24h\"", strings.Join(wrong, ", "), conversations.PlainDuration(cfg.window))
	}
	switch c.RemindBy {
	case "":
		c.RemindBy = "mention"
	case "mention", "dm":
	default:
		fail(keyLine(src, "remind_by", c.RemindBy), "checkins.remind_by %q is not mention or dm", c.RemindBy)
	}
	cfg.grace = conversations.DefaultGrace
	if g := c.CatchUpGrace; g != "" {
		d, err := time.ParseDuration(g)
		if err != nil || d < 0 || d > 7*24*time.Hour {
			fail(keyLine(src, "catch_up_grace", g), "checkins.catch_up_grace %q must be a duration from 0 seconds to 7 days, like \"6h\"", g)
		} else {
			cfg.grace = d
		}
	}
}

func (cfg *Config) validateCouples(src []byte, fail func(int, string, ...any)) {
	cfg.invitationExpiry = conversations.DefaultInvitationExpiry
	e := cfg.Couples.InvitationExpires
	if e == "" {
		return
	}
	d, err := time.ParseDuration(e)
	if err != nil || d < time.Hour || d > 30*24*time.Hour {
		fail(keyLine(src, "invitation_expires", e), "couples.invitation_expires %q must be a duration from 1 hour to 30 days, like \"168h\" for a week", e)
		return
	}
	cfg.invitationExpiry = d
}

// The bounds of [talk]: a break long enough to settle and short enough to
// come back from the same evening; a talk open for at least an hour and at
// most a week.
const (
	minTalkBreak  = 5 * time.Minute
	maxTalkBreak  = 2 * time.Hour
	minTalkExpiry = time.Hour
	maxTalkExpiry = 7 * 24 * time.Hour
)

func (cfg *Config) validateTalk(src []byte, fail func(int, string, ...any)) {
	cfg.talkBreak, cfg.talkExpiry = conversations.DefaultTalkBreak, conversations.DefaultTalkExpiry
	breakOK, expiresOK := true, true
	if b := cfg.Talk.Break; b != "" {
		d, err := time.ParseDuration(b)
		if breakOK = err == nil && d >= minTalkBreak && d <= maxTalkBreak; breakOK {
			cfg.talkBreak = d
		} else {
			fail(keyLine(src, "break", b), "talk.break %q must be a duration from 5 minutes to 2 hours, like \"20m\": long enough to settle, short enough to come back", b)
		}
	}
	if e := cfg.Talk.Expires; e != "" {
		d, err := time.ParseDuration(e)
		if expiresOK = err == nil && d >= minTalkExpiry && d <= maxTalkExpiry; expiresOK {
			cfg.talkExpiry = d
		} else {
			fail(keyLine(src, "expires", e), "talk.expires %q must be a duration from 1 hour to 7 days, like \"24h\"", e)
		}
	}
	if breakOK && expiresOK && cfg.talkBreak >= cfg.talkExpiry {
		fail(keyLine(src, "break", cfg.Talk.Break), "talk.break (%s) must be shorter than talk.expires (%s), or a break would outlast the talk", conversations.PlainDuration(cfg.talkBreak), conversations.PlainDuration(cfg.talkExpiry))
	}
}

// maxSafetyCheckEvery keeps the private safety check coming back at least
// every few months of weekly check-ins.
const maxSafetyCheckEvery = 12

func (cfg *Config) validateCare(src []byte, fail func(int, string, ...any)) {
	c := &cfg.Care
	if n := len([]rune(strings.TrimSpace(c.SafetyNote))); n > conversations.MaxSafetyNoteLength {
		fail(findLine(src, 0, regexp.MustCompile(`^\s*safety_note\s*=`)), "care.safety_note is %d characters long; keep it to %d, so it can be read at a glance", n, conversations.MaxSafetyNoteLength)
	}
	if n := c.SafetyCheckEvery; n != nil && (*n < 1 || *n > maxSafetyCheckEvery) {
		fail(findLine(src, 0, regexp.MustCompile(`^\s*safety_check_every\s*=`)), "care.safety_check_every is %d; it must be a whole number from 1 (every check-in) to %d, so that the check comes back often enough to matter", *n, maxSafetyCheckEvery)
	}
	line := findLine(src, 0, regexp.MustCompile(`^\s*safety_resources\s*=`))
	if len(c.SafetyResources) > conversations.MaxSafetyResources {
		fail(line, "care.safety_resources has %d lines; at most %d fit in the note", len(c.SafetyResources), conversations.MaxSafetyResources)
	}
	for i, r := range c.SafetyResources {
		r = strings.TrimSpace(r)
		switch n := len([]rune(r)); {
		case n == 0:
			fail(line, "care.safety_resources: line %d is empty; leave it out instead", i+1)
		case n > conversations.MaxSafetyResourceLength:
			fail(line, "care.safety_resources: line %d is %d characters long; at most %d", i+1, n, conversations.MaxSafetyResourceLength)
		}
		c.SafetyResources[i] = r
	}
}

// SafetyNote returns the note for a partner who answered the private safety
// check "Not always", with the operator's resources.
func (cfg *Config) SafetyNote() conversations.SafetyNote {
	return conversations.SafetyNote{Text: strings.TrimSpace(cfg.Care.SafetyNote), Resources: cfg.Care.SafetyResources}.WithDefault()
}

// Service returns the domain on stores with everything the config sets.
func (cfg *Config) Service(stores conversations.Stores) *conversations.Mend {
	return conversations.New(stores, conversations.SystemClock{}, cfg.templates, cfg.Settings())
}

// Settings returns what the config sets about how Mend runs: window, default
// template, reminders, grace, the limit of open commitments, how long
// invitations wait, the library, how often the safety check comes back, and
// how long a talk's break and a talk last.
func (cfg *Config) Settings() conversations.Settings {
	reminders, grace := cfg.reminders, cfg.grace
	if reminders == nil {
		reminders = []time.Duration{} // reminders = [] asks for none
	}
	if grace == 0 {
		grace = -1 // catch_up_grace = "0s": no catching up
	}
	return conversations.Settings{Window: cfg.window, DefaultTemplate: cfg.CheckIns.DefaultTemplate, Reminders: reminders, Grace: grace,
		MaxOpenCommitments: cfg.CheckIns.MaxOpenCommitments, InvitationExpiry: cfg.invitationExpiry, Library: cfg.library,
		SafetyCheckEvery: cfg.safetyCheckEvery(), TalkBreak: cfg.talkBreak, TalkExpiry: cfg.talkExpiry}
}

// safetyCheckEvery is care.safety_check_every, 0 for the default.
func (cfg *Config) safetyCheckEvery() int {
	if cfg.Care.SafetyCheckEvery == nil {
		return 0
	}
	return *cfg.Care.SafetyCheckEvery
}

// BackupEvery returns how often the bot backs the database up.
func (cfg *Config) BackupEvery() time.Duration { return cfg.backupEvery }

// MaxPostDelay returns metrics.max_post_delay, 0 for the default.
func (cfg *Config) MaxPostDelay() time.Duration { return cfg.maxPostDelay }

// CheckInTemplates returns the validated templates.
func (cfg *Config) CheckInTemplates() *conversations.Templates { return cfg.templates }

// Window returns how long a check-in stays open.
func (cfg *Config) Window() time.Duration { return cfg.window }

// TemplateIDs lists the ids of the templates, for a message that names them.
func TemplateIDs(ts *conversations.Templates) string {
	var ids []string
	for _, t := range ts.List() {
		ids = append(ids, t.ID)
	}
	return strings.Join(ids, ", ")
}

func decodeErrors(path string, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		var out ConfigErrors
		for _, e := range strict.Errors {
			row, _ := e.Position()
			key := strings.Join(e.Key(), ".")
			problem := fmt.Sprintf("unknown key %q; config.example.toml lists every key", key)
			if key == "discord.posts_per_second" {
				problem = "discord.posts_per_second is now discord.requests_per_second: one limit covers every request Mend makes to Discord, not only its posts (default 45)"
			}
			out = append(out, &ConfigError{Path: path, Line: row, Problem: problem})
		}
		return out
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		if problem := wrongType(de); problem != "" {
			return &ConfigError{Path: path, Line: row, Problem: problem}
		}
		return &ConfigError{Path: path, Line: row, Problem: "malformed TOML: " + de.Error()}
	}
	return &ConfigError{Path: path, Problem: "malformed TOML: " + err.Error()}
}

// keyLine finds the line that sets key to value, so a problem found after
// decoding can still point at the line; 0 when it cannot be found.
func keyLine(src []byte, key, value string) int {
	pattern := regexp.MustCompile(`^\s*` + regexp.QuoteMeta(key) + `\s*=\s*["']` + regexp.QuoteMeta(value) + `["']`)
	return findLine(src, 0, pattern)
}

// templateLines locates template problems in the config text: at the line
// of the prompt's id, else of the template's. An id used twice is reported at
// its second use, which is the mistake, and so is every later problem of
// that id: problems come in the order of the prompts.
type templateLines struct {
	src []byte
	// repeats counts the reports of an id used again so far, by template
	// and prompt id: the report of the nth repeat is at the id's (n+1)th use.
	repeats map[[2]string]int
}

func (l *templateLines) of(p conversations.TemplateProblem) int {
	key := [2]string{p.TemplateID, p.PromptID}
	if isRepeatedID(p) {
		l.repeats[key]++
	}
	if p.TemplateID == "" {
		return 0
	}
	nth := l.repeats[key]
	templateNth := 0
	if p.PromptID == "" {
		templateNth = nth
	}
	start := nthLine(l.src, 0, idPattern(p.TemplateID), templateNth)
	if start == 0 || p.PromptID == "" {
		return start
	}
	if line := nthLine(l.src, start, idPattern(p.PromptID), nth); line > 0 {
		return line
	}
	return start
}

// isRepeatedID reports the problem of an id used twice. Only its wording says
// so; TestConfigErrorsNameFileLineAndProblem notices when that changes.
func isRepeatedID(p conversations.TemplateProblem) bool {
	return strings.Contains(p.Problem, "used by an earlier prompt") || strings.Contains(p.Problem, "two templates have this id")
}

func idPattern(id string) *regexp.Regexp {
	return regexp.MustCompile(`^\s*id\s*=\s*["']` + regexp.QuoteMeta(id) + `["']`)
}

// nthLine finds the line of the match after the first n matches past line after.
func nthLine(src []byte, after int, pattern *regexp.Regexp, n int) int {
	line := findLine(src, after, pattern)
	for ; n > 0 && line > 0; n-- {
		line = findLine(src, line, pattern)
	}
	return line
}

func findLine(src []byte, after int, pattern *regexp.Regexp) int {
	for i, line := range strings.Split(string(src), "\n") {
		if i+1 > after && pattern.MatchString(line) {
			return i + 1
		}
	}
	return 0
}
