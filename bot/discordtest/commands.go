package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// Commands returns copies of the application commands registered for a
// guild, or the global ones for "".
func (s *Server) Commands(guildID string) []*discordgo.ApplicationCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneCommands(s.commands[guildID])
}

func cloneCommands(cmds []*discordgo.ApplicationCommand) []*discordgo.ApplicationCommand {
	out := []*discordgo.ApplicationCommand{}
	b, _ := json.Marshal(cmds)
	json.Unmarshal(b, &out)
	return out
}

// commandScope resolves the app and guild of a commands route; it answers
// the error itself and returns ok false then.
func (s *Server) commandScope(w http.ResponseWriter, r *http.Request) (guildID string, ok bool) {
	if r.PathValue("app") != s.opts.AppID {
		writeError(w, http.StatusForbidden, discordgo.ErrCodeMissingAccess, "Missing Access")
		return "", false
	}
	guildID = r.PathValue("guild")
	if guildID != "" && s.guilds[guildID] == nil {
		writeError(w, http.StatusForbidden, discordgo.ErrCodeMissingAccess, "Missing Access")
		return "", false
	}
	return guildID, true
}

func (s *Server) handleCommandsGet(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	guildID, ok := s.commandScope(w, r)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, cloneCommands(s.commands[guildID]))
}

// handleCommandsPut is the bulk overwrite: the body replaces every command in
// the scope; a command keeps its ID when one of the same name and type
// existed, as on Discord.
func (s *Server) handleCommandsPut(w http.ResponseWriter, r *http.Request) {
	var cmds []*discordgo.ApplicationCommand
	if err := json.Unmarshal(payloadOf(r).json, &cmds); err != nil {
		writeFormError(w, map[string]string{"": err.Error()})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	guildID, ok := s.commandScope(w, r)
	if !ok {
		return
	}
	problems := map[string]string{}
	seen := map[string]bool{}
	for i, c := range cmds {
		at := fmt.Sprint(i)
		if c == nil {
			problems[at] = "This field is required"
			continue
		}
		validateCommand(at, c, problems)
		key := fmt.Sprint(commandType(c), "/", c.Name)
		if seen[key] {
			problems[at+".name"] = "Application command names must be unique"
		}
		seen[key] = true
	}
	if len(cmds) > 100 {
		problems[""] = maxLen(100)
	}
	if len(problems) > 0 {
		writeFormError(w, problems)
		return
	}
	old := s.commands[guildID]
	next := make([]*discordgo.ApplicationCommand, 0, len(cmds))
	for _, c := range cmds {
		next = append(next, s.storedCommand(c, guildID, old))
	}
	s.commands[guildID] = next
	s.notifyLocked()
	writeJSON(w, http.StatusOK, cloneCommands(next))
}

func (s *Server) handleCommandCreate(w http.ResponseWriter, r *http.Request) {
	var c discordgo.ApplicationCommand
	if err := json.Unmarshal(payloadOf(r).json, &c); err != nil {
		writeFormError(w, map[string]string{"": err.Error()})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	guildID, ok := s.commandScope(w, r)
	if !ok {
		return
	}
	problems := map[string]string{}
	validateCommand("", &c, problems)
	if len(problems) > 0 {
		writeFormError(w, problems)
		return
	}
	old := s.commands[guildID]
	stored := s.storedCommand(&c, guildID, old)
	status := http.StatusCreated
	next := []*discordgo.ApplicationCommand{}
	for _, o := range old {
		if o.ID == stored.ID {
			status = http.StatusOK
			continue
		}
		next = append(next, o)
	}
	s.commands[guildID] = append(next, stored)
	s.notifyLocked()
	writeJSON(w, status, stored)
}

func (s *Server) handleCommandDelete(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	guildID, ok := s.commandScope(w, r)
	if !ok {
		return
	}
	id := r.PathValue("command")
	cmds := s.commands[guildID]
	for i, c := range cmds {
		if c.ID == id {
			s.commands[guildID] = append(cmds[:i:i], cmds[i+1:]...)
			s.notifyLocked()
			writeNoContent(w)
			return
		}
	}
	writeError(w, http.StatusNotFound, discordgo.ErrCodeUnknownApplicationCommand, "Unknown application command")
}

func commandType(c *discordgo.ApplicationCommand) discordgo.ApplicationCommandType {
	if c.Type == 0 {
		return discordgo.ChatApplicationCommand
	}
	return c.Type
}

func (s *Server) storedCommand(c *discordgo.ApplicationCommand, guildID string, old []*discordgo.ApplicationCommand) *discordgo.ApplicationCommand {
	out := cloneCommands([]*discordgo.ApplicationCommand{c})[0]
	out.Type = commandType(c)
	out.ID = ""
	for _, o := range old {
		if o.Name == c.Name && o.Type == out.Type {
			out.ID = o.ID
		}
	}
	if out.ID == "" {
		out.ID = s.snowflake()
	}
	out.ApplicationID = s.opts.AppID
	out.GuildID = guildID
	out.Version = s.snowflake()
	if out.Options == nil {
		out.Options = []*discordgo.ApplicationCommandOption{}
	}
	return out
}

var commandName = regexp.MustCompile(`^[-_'\p{L}\p{N}]{1,32}$`)

// validateCommand checks the rules Discord applies to a command definition.
func validateCommand(at string, c *discordgo.ApplicationCommand, problems map[string]string) {
	path := func(field string) string {
		if at == "" {
			return field
		}
		return at + "." + field
	}
	chat := commandType(c) == discordgo.ChatApplicationCommand
	if chat {
		if !commandName.MatchString(c.Name) || strings.ToLower(c.Name) != c.Name {
			problems[path("name")] = "Command name is invalid"
		}
		if c.Description == "" || tooLong(c.Description, 100) {
			problems[path("description")] = "Must be between 1 and 100 in length."
		}
	} else if c.Name == "" || tooLong(c.Name, 32) {
		problems[path("name")] = "Must be between 1 and 32 in length."
	}
	validateCommandOptions(path("options"), c.Options, 0, problems)
}

func validateCommandOptions(at string, opts []*discordgo.ApplicationCommandOption, depth int, problems map[string]string) {
	if len(opts) > 25 {
		problems[at] = maxLen(25)
	}
	seen := map[string]bool{}
	optional := false
	for i, o := range opts {
		op := fmt.Sprintf("%s.%d", at, i)
		if o == nil {
			problems[op] = "This field is required"
			continue
		}
		if !commandName.MatchString(o.Name) || strings.ToLower(o.Name) != o.Name {
			problems[op+".name"] = "Option name is invalid"
		}
		if seen[o.Name] {
			problems[op+".name"] = "Option names must be unique"
		}
		seen[o.Name] = true
		if o.Description == "" || tooLong(o.Description, 100) {
			problems[op+".description"] = "Must be between 1 and 100 in length."
		}
		if len(o.Choices) > 25 {
			problems[op+".choices"] = maxLen(25)
		}
		if len(o.Choices) > 0 && o.Autocomplete {
			problems[op+".autocomplete"] = "Autocomplete and choices are mutually exclusive"
		}
		switch o.Type {
		case discordgo.ApplicationCommandOptionSubCommand, discordgo.ApplicationCommandOptionSubCommandGroup:
			if depth >= 2 || (o.Type == discordgo.ApplicationCommandOptionSubCommandGroup && depth >= 1) {
				problems[op+".type"] = "Subcommands nest at most two levels"
			}
			validateCommandOptions(op+".options", o.Options, depth+1, problems)
		default:
			if o.Required && optional {
				problems[op+".required"] = "Required options must be placed before non-required options"
			}
			optional = optional || !o.Required
		}
	}
}
