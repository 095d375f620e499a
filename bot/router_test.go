package bot

import (
	"sort"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestTheRegisteredCommandsAreExactlyTheRoutedOnes: every command and
// subcommand Discord was given has a route, and so does every option it
// suggests values for; the router has no command or suggestion route
// Discord was not given, and no component or modal route without its
// custom ID's action.
func TestTheRegisteredCommandsAreExactlyTheRoutedOnes(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var registered []*discordgo.ApplicationCommand
	h.waitFor("the commands to be registered", func() bool {
		registered = h.srv.Commands(testGuild)
		return len(registered) == len(commands)
	})
	want := map[routeKey]bool{}
	var walk func(path string, opts []*discordgo.ApplicationCommandOption)
	walk = func(path string, opts []*discordgo.ApplicationCommandOption) {
		leaf := true
		for _, o := range opts {
			switch {
			case o.Type == discordgo.ApplicationCommandOptionSubCommand:
				leaf = false
				walk(path+" "+o.Name, o.Options)
			case o.Type == discordgo.ApplicationCommandOptionSubCommandGroup:
				t.Errorf("%s: the router does not route subcommand groups", path+" "+o.Name)
			case o.Autocomplete:
				want[routeKey{onAutocomplete, path + " " + o.Name}] = true
			}
		}
		if leaf {
			want[routeKey{onCommand, path}] = true
		}
	}
	for _, c := range registered {
		walk(c.Name, c.Options)
	}
	for name, act := range actions {
		want[routeKey{act.accepts, name}] = true
	}

	for key := range want {
		if h.bot.router.routes[key] == nil {
			t.Errorf("%s (interaction type %d) is registered but has no route", key.name, key.kind)
		}
	}
	var extra []string
	for key := range h.bot.router.routes {
		if !want[key] {
			extra = append(extra, key.name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		t.Errorf("%s is routed but Discord was never given it", name)
	}
}

// TestACommandDeclaresEachOptionItSuggestsFor: a suggester for an option
// that does not say Autocomplete would never be asked, and an option that
// says it without one would always be offered nothing.
func TestACommandDeclaresEachOptionItSuggestsFor(t *testing.T) {
	t.Parallel()
	var check func(path string, c command)
	check = func(path string, c command) {
		if (c.handle == nil) == (len(c.subcommands) == 0) {
			t.Errorf("/%s has %d subcommands and a handler %v: it needs one or the other", path, len(c.subcommands), c.handle != nil)
		}
		suggested := map[string]bool{}
		for _, o := range c.options {
			if o.Autocomplete {
				suggested[o.Name] = true
				if c.suggest[o.Name] == nil {
					t.Errorf("/%s %s is autocompleted but nothing suggests for it", path, o.Name)
				}
			}
		}
		for name := range c.suggest {
			if !suggested[name] {
				t.Errorf("/%s suggests for %s, which is not an autocompleted option", path, name)
			}
		}
		for _, sub := range c.subcommands {
			check(path+" "+sub.name, sub)
		}
	}
	for _, c := range commands {
		check(c.name, c)
	}
}
