package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"mend/bot"
	"mend/config"
	"mend/internal/testkit"
)

// runMend runs the command line as a person would and returns what it printed.
func runMend(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRunWithoutTokenExplainsHowToStart(t *testing.T) {
	t.Setenv(config.TokenEnv, "")
	t.Setenv(config.FileEnv, "")
	code, _, stderr := runMend(t, "")
	if code == 0 {
		t.Fatal("mend without a token exited 0")
	}
	// The test binary stands for a binary built by hand; TestSelfCommand
	// shows that go run's is told "go run . console".
	for _, want := range []string{"MEND_DISCORD_TOKEN", "export MEND_DISCORD_TOKEN=", "\n    " + os.Args[0] + " console\n"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not mention %q:\n%s", want, stderr)
		}
	}
}

func TestRunNeverPrintsTheToken(t *testing.T) {
	t.Setenv(config.TokenEnv, "super-secret-token-value")
	// Discord is a port nobody listens on, so the run fails connecting, and
	// that failure is where a token would leak; discord.com is never asked.
	dir := t.TempDir()
	configFile := filepath.Join(dir, "mend.toml")
	src := fmt.Sprintf("[database]\npath = %q\n\n[discord]\napi_url = \"http://127.0.0.1:1/api/v9/\"\ngateway_url = \"ws://127.0.0.1:1/\"\n", filepath.Join(dir, "mend.db"))
	if err := os.WriteFile(configFile, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(config.FileEnv, configFile)
	code, stdout, stderr := runMend(t, "")
	if code == 0 {
		t.Fatalf("mend run against no Discord exited 0:\n%s%s", stdout, stderr)
	}
	if !strings.Contains(stderr, "127.0.0.1:1") && !strings.Contains(stderr, "connect") {
		t.Errorf("the run did not fail connecting to Discord:\n%s", stderr)
	}
	if strings.Contains(stdout+stderr, "super-secret-token-value") {
		t.Fatalf("the token was printed:\n%s%s", stdout, stderr)
	}
}

func TestCheckConfig(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	dir := t.TempDir()
	good := filepath.Join(dir, "good.toml")
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(good, []byte("[checkins]\ntime_zone = \"Europe/Berlin\"\n"), 0o600)
	os.WriteFile(bad, []byte("[checkins]\n\ntime_zone = \"Europe/Atlantis\"\n"), 0o600)

	if code, stdout, stderr := runMend(t, "", "check-config", "--config", good); code != 0 || !strings.Contains(stdout, "valid") || !strings.Contains(stdout, "Europe/Berlin") || !strings.Contains(stdout, "check-ins open for 48 hours,") {
		t.Errorf("good config: exit %d\n%s%s", code, stdout, stderr)
	}
	code, _, stderr := runMend(t, "", "check-config", "--config", bad)
	if code == 0 || !strings.Contains(stderr, bad+":3:") || !strings.Contains(stderr, "Europe/Atlantis") {
		t.Errorf("bad config: exit %d, stderr %q", code, stderr)
	}
	if code, stdout, _ := runMend(t, "", "check-config"); code != 0 || !strings.Contains(stdout, "defaults") || !strings.Contains(stdout, "a talk's break lasts 20 minutes and an open talk ends after 24 hours.") {
		t.Errorf("no config: exit %d, %q", code, stdout)
	}
}

func TestCheckConfigValidatesTheTalk(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	dir := t.TempDir()
	good := filepath.Join(dir, "good.toml")
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(good, []byte("[talk]\nbreak = \"30m\"\nexpires = \"48h\"\n"), 0o600)
	os.WriteFile(bad, []byte("[talk]\nbreak = \"3h\"\nexpires = \"forever\"\n"), 0o600)
	if code, stdout, stderr := runMend(t, "", "check-config", "--config", good); code != 0 || !strings.Contains(stdout, "a talk's break lasts 30 minutes and an open talk ends after 48 hours.") {
		t.Errorf("good config: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr := runMend(t, "", "check-config", "--config", bad)
	if code != 1 || stdout != "" {
		t.Errorf("bad config: exit %d, stdout %q; want 1 and nothing on stdout", code, stdout)
	}
	for _, want := range []string{bad + ":2:", `talk.break "3h" must be a duration from 5 minutes to 2 hours`, bad + ":3:", `talk.expires "forever" must be a duration from 1 hour to 7 days`} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// commandLines are the lines of the command list that "mend help" prints,
// one a command.
var commandLines = []string{"\n  run ", "\n  console ", "\n  check-config ", "\n  library ", "\n  invite-url ", "\n  version ", "\n  healthcheck ", "\n  help "}

func TestHelpListsTheCommandsNotTheFlagsOfRun(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"-help"}, {"help"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, stdout, stderr := runMend(t, "", args...)
			if code != 0 || stderr != "" {
				t.Errorf("exit %d, stderr %q; want 0 and nothing", code, stderr)
			}
			testkit.MustContain(t, "stdout", stdout, commandLines...)
			if strings.Contains(stdout, "-config FILE\n") {
				t.Errorf("the help shows run's flags:\n%s", stdout)
			}
		})
	}
}

func TestHelpOfACommandShowsItsFlags(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"run", "--help"}, []string{"Usage: mend run", "-config FILE"}},
		{[]string{"console", "--help"}, []string{"Usage: mend console", "-db FILE", "-template ID", "-names NAMES", "-agreement TEXT"}},
		{[]string{"console", "-h"}, []string{"Usage: mend console", "-db FILE"}},
		{[]string{"help", "console"}, []string{"Usage: mend console", "-db FILE"}},
		{[]string{"check-config", "--help"}, []string{"Usage: mend check-config", "-config FILE"}},
		{[]string{"library", "--help"}, []string{"Usage: mend library", "-plan N"}},
		{[]string{"invite-url", "--help"}, []string{"Usage: mend invite-url", "-app-id ID"}},
		{[]string{"version", "--help"}, []string{"Usage: mend version"}},
		{[]string{"help", "--help"}, []string{"Usage: mend [COMMAND]", "\n  console "}},
		{[]string{"help", "-h"}, []string{"Usage: mend [COMMAND]"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := runMend(t, "", tt.args...)
			if code != 0 || stderr != "" {
				t.Errorf("exit %d, stderr %q; want 0 and nothing", code, stderr)
			}
			testkit.MustContain(t, "stdout", stdout, tt.want...)
		})
	}
}

func TestAWrongFlagShowsTheCommandsFlagsOnStderr(t *testing.T) {
	code, stdout, stderr := runMend(t, "", "console", "--bogus")
	if code != exitUsage || stdout != "" {
		t.Errorf("exit %d, stdout %q; want %d and nothing", code, stdout, exitUsage)
	}
	testkit.MustContain(t, "stderr", stderr, "-bogus", "Usage: mend console", "-db FILE")
}

func TestUnknownCommandListsTheCommandsOnStderr(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"help", "frobnicate"}} {
		code, stdout, stderr := runMend(t, "", args...)
		if code != exitUsage || stdout != "" {
			t.Errorf("mend %s: exit %d, stdout %q; want %d and nothing", args, code, stdout, exitUsage)
		}
		testkit.MustContain(t, "stderr", stderr, append([]string{`unknown command "frobnicate"`}, commandLines...)...)
	}
}

func TestInviteURLAsksForExactlyWhatMendNeeds(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	t.Setenv(config.TokenEnv, "")
	code, stdout, stderr := runMend(t, "", "invite-url", "--app-id", "123456789012345678")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := bot.WebURL + "/oauth2/authorize?client_id=123456789012345678&permissions=117776&scope=bot+applications.commands\n"
	if stdout != want {
		t.Errorf("invite-url printed %q, want %q", stdout, want)
	}
	// A bot token starts with the bot's ID in base64.
	t.Setenv(config.TokenEnv, "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.not-a-real-secret")
	if code, stdout, _ := runMend(t, "", "invite-url"); code != 0 || stdout != want {
		t.Errorf("invite-url from the token: exit %d, %q", code, stdout)
	}
	t.Setenv(config.TokenEnv, "")
	if code, _, stderr := runMend(t, "", "invite-url"); code != exitUsage || !strings.Contains(stderr, "--app-id") {
		t.Errorf("invite-url without an ID: exit %d, %q", code, stderr)
	}
}

// Whoever runs Mend is told, at start, that other users can read what couples
// wrote, and how to stop it.
func TestRunWarnsWhenOtherUsersCanReadTheDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "mend.db")
	if err := os.WriteFile(db, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(db, 0o644); err != nil {
		t.Fatal(err)
	}
	// Nothing listens on port 1, so the bot stops at once after starting.
	configFile := filepath.Join(dir, "mend.toml")
	toml := "[database]\npath = " + strconv.Quote(db) + "\n[discord]\napi_url = \"http://127.0.0.1:1\"\n"
	if err := os.WriteFile(configFile, []byte(toml), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(config.TokenEnv, "a.fake.token")
	t.Setenv(config.FileEnv, configFile)

	_, _, stderr := runMend(t, "", "run")

	if want := "chmod 600 " + db; !strings.Contains(stderr, want) {
		t.Fatalf("stderr does not give the command %q:\n%s", want, stderr)
	}
}

func TestVersionFlag(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"-version"}, {"-v"}, {"version"}} {
		code, stdout, stderr := runMend(t, "", args...)
		if code != 0 || stderr != "" || stdout != "mend "+buildVersion()+"\n" {
			t.Errorf("mend %s: exit %d, stdout %q, stderr %q", args[0], code, stdout, stderr)
		}
	}
}

// TestTheHelpSaysTrulyWhichCommandsReadAConfig: the help's claim about
// --config holds for every command.
func TestTheHelpSaysTrulyWhichCommandsReadAConfig(t *testing.T) {
	_, help, _ := runMend(t, "", "help")
	testkit.MustContain(t, "help", help, "Every command but keygen and version reads a config: --config FILE")
	without := map[string]bool{"keygen": true, "version": true}
	for _, c := range commands {
		_, stdout, _ := runMend(t, "", c.name, "--help")
		if has := strings.Contains(stdout, "-config FILE"); has == without[c.name] {
			t.Errorf("mend %s --help: takes --config %v, the help says %v:\n%s", c.name, has, !without[c.name], stdout)
		}
	}
}

func TestInviteURLDoesNotAskForATokenThatIsSet(t *testing.T) {
	t.Setenv(config.FileEnv, "")
	t.Setenv(config.TokenEnv, "not-a-token-mend-can-read")
	code, _, stderr := runMend(t, "", "invite-url")
	if code != exitUsage {
		t.Fatalf("exit %d", code)
	}
	want := "mend invite-url: MEND_DISCORD_TOKEN is set, but it holds no application ID that Mend can read (a bot token starts with it). Pass --app-id (Discord Developer Portal, your application, General Information, Application ID), or set discord.application_id.\n"
	if stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
}
