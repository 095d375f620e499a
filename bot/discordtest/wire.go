package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// discordgo leaves Message.Components and ModalSubmitInteractionData.Components
// out of its JSON (they are `json:"-"`, decoded by hand), so everything the
// fake sends that holds components goes through these wire types.

type wireMessage struct {
	*discordgo.Message
	Components    []discordgo.MessageComponent `json:"components"`
	Nonce         string                       `json:"nonce,omitempty"`
	ApplicationID string                       `json:"application_id,omitempty"`
}

func marshalMessage(m *discordgo.Message, nonce, appID string) []byte {
	comps := m.Components
	if comps == nil {
		comps = []discordgo.MessageComponent{}
	}
	b, err := json.Marshal(wireMessage{Message: m, Components: comps, Nonce: nonce, ApplicationID: appID})
	if err != nil {
		panic(fmt.Sprintf("discordtest: marshal message: %v", err))
	}
	return b
}

// cloneMessage deep-copies a message through its wire form, so callers never
// share memory with the fake's state.
func cloneMessage(m *discordgo.Message) *discordgo.Message {
	if m == nil {
		return nil
	}
	var out discordgo.Message
	if err := json.Unmarshal(marshalMessage(m, "", ""), &out); err != nil {
		panic(fmt.Sprintf("discordtest: clone message: %v", err))
	}
	return &out
}

func cloneChannel(c *discordgo.Channel) *discordgo.Channel {
	b, err := json.Marshal(c)
	if err != nil {
		panic(fmt.Sprintf("discordtest: clone channel: %v", err))
	}
	var out discordgo.Channel
	if err := json.Unmarshal(b, &out); err != nil {
		panic(fmt.Sprintf("discordtest: clone channel: %v", err))
	}
	return &out
}

func sortChannels(cs []*discordgo.Channel) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].Position != cs[j].Position {
			return cs[i].Position < cs[j].Position
		}
		return snowflakeLess(cs[i].ID, cs[j].ID)
	})
}

func snowflakeLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

type wireInteraction struct {
	*discordgo.Interaction
	Data    any             `json:"data"`
	Message json.RawMessage `json:"message,omitempty"`
}

type wireModalData struct {
	CustomID   string                       `json:"custom_id"`
	Components []discordgo.MessageComponent `json:"components"`
}

// marshalInteraction encodes an interaction as Discord sends it.
func marshalInteraction(i *discordgo.Interaction) ([]byte, error) {
	w := wireInteraction{Interaction: i, Data: i.Data}
	switch d := i.Data.(type) {
	case discordgo.ModalSubmitInteractionData:
		w.Data = wireModalData{CustomID: d.CustomID, Components: d.Components}
	case *discordgo.ModalSubmitInteractionData:
		w.Data = wireModalData{CustomID: d.CustomID, Components: d.Components}
	}
	if i.Message != nil {
		w.Message = marshalMessage(i.Message, "", "")
	}
	return json.Marshal(w)
}

// payload is a decoded message body: a channel message, a webhook message, or
// the data of an interaction callback. has records which keys were present
// and not null, because edits only change what they name.
type payload struct {
	has          map[string]bool
	Content      string
	Embeds       []*discordgo.MessageEmbed
	Components   []discordgo.MessageComponent
	Flags        discordgo.MessageFlags
	TTS          bool
	Nonce        string
	EnforceNonce bool
	Attachments  []partialAttachment
	Reference    *discordgo.MessageReference
	Choices      []*discordgo.ApplicationCommandOptionChoice
	CustomID     string
	Title        string
	AllowedMent  *discordgo.MessageAllowedMentions
}

type partialAttachment struct {
	ID          string
	Filename    string
	Description string
}

func parsePayload(raw []byte) (*payload, map[string]string) {
	p := &payload{has: map[string]bool{}}
	if len(bytes.TrimSpace(raw)) == 0 {
		return p, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, map[string]string{"": "body is not a JSON object: " + err.Error()}
	}
	problems := map[string]string{}
	for k, v := range fields {
		if string(bytes.TrimSpace(v)) == "null" {
			continue
		}
		p.has[k] = true
		var err error
		switch k {
		case "content":
			err = json.Unmarshal(v, &p.Content)
		case "embeds":
			err = json.Unmarshal(v, &p.Embeds)
		case "components":
			p.Components, err = decodeComponents(v)
		case "flags":
			err = json.Unmarshal(v, &p.Flags)
		case "tts":
			err = json.Unmarshal(v, &p.TTS)
		case "nonce":
			p.Nonce, err = decodeNonce(v)
		case "enforce_nonce":
			err = json.Unmarshal(v, &p.EnforceNonce)
		case "attachments":
			p.Attachments, err = decodeAttachments(v)
		case "message_reference":
			err = json.Unmarshal(v, &p.Reference)
		case "choices":
			err = json.Unmarshal(v, &p.Choices)
		case "custom_id":
			err = json.Unmarshal(v, &p.CustomID)
		case "title":
			err = json.Unmarshal(v, &p.Title)
		case "allowed_mentions":
			err = json.Unmarshal(v, &p.AllowedMent)
		}
		if err != nil {
			problems[k] = err.Error()
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return p, nil
}

func decodeComponents(raw json.RawMessage) ([]discordgo.MessageComponent, error) {
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, err
	}
	out := make([]discordgo.MessageComponent, 0, len(list))
	for _, c := range list {
		mc, err := discordgo.MessageComponentFromJSON(c)
		if err != nil {
			return nil, err
		}
		out = append(out, mc)
	}
	return out, nil
}

// decodeNonce accepts Discord's nonce: a string or an integer.
func decodeNonce(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var n json.Number
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&n); err != nil {
		return "", fmt.Errorf("nonce must be a string or an integer")
	}
	if _, err := n.Int64(); err != nil {
		return "", fmt.Errorf("nonce must be a string or an integer")
	}
	return n.String(), nil
}

func decodeAttachments(raw json.RawMessage) ([]partialAttachment, error) {
	var list []struct {
		ID          any    `json:"id"`
		Filename    string `json:"filename"`
		Description string `json:"description"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, err
	}
	out := make([]partialAttachment, len(list))
	for i, a := range list {
		switch id := a.ID.(type) {
		case string:
			out[i].ID = id
		case float64:
			out[i].ID = fmt.Sprint(int64(id))
		}
		out[i].Filename, out[i].Description = a.Filename, a.Description
	}
	return out, nil
}

// decodeCallback decodes an interaction callback body.
func decodeCallback(raw []byte) (*discordgo.InteractionResponse, *payload, map[string]string) {
	var top struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data json.RawMessage                   `json:"data"`
	}
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, nil, map[string]string{"": "body is not a JSON object: " + err.Error()}
	}
	p := &payload{has: map[string]bool{}}
	resp := &discordgo.InteractionResponse{Type: top.Type}
	if len(top.Data) > 0 && string(top.Data) != "null" {
		var problems map[string]string
		p, problems = parsePayload(top.Data)
		if problems != nil {
			return nil, nil, prefixProblems("data", problems)
		}
		resp.Data = &discordgo.InteractionResponseData{
			TTS: p.TTS, Content: p.Content, Components: p.Components, Embeds: p.Embeds,
			AllowedMentions: p.AllowedMent, Flags: p.Flags, Choices: p.Choices,
			CustomID: p.CustomID, Title: p.Title,
		}
	}
	return resp, p, nil
}

func prefixProblems(prefix string, problems map[string]string) map[string]string {
	out := make(map[string]string, len(problems))
	for k, v := range problems {
		if k == "" {
			out[prefix] = v
		} else {
			out[prefix+"."+k] = v
		}
	}
	return out
}

// ---- Discord's limits ----

func tooLong(s string, max int) bool { return utf8.RuneCountInString(s) > max }

func maxLen(max int) string { return fmt.Sprintf("Must be %d or fewer in length.", max) }

// validateMessage checks the limits Discord enforces on a message body.
func validateMessage(p *payload, problems map[string]string) {
	if tooLong(p.Content, 2000) {
		problems["content"] = maxLen(2000)
	}
	if tooLong(p.Nonce, 25) {
		problems["nonce"] = maxLen(25)
	}
	validateEmbeds(p.Embeds, problems)
	if p.Flags&discordgo.MessageFlagsIsComponentsV2 == 0 {
		validateComponents(p.Components, problems)
	}
}

func validateEmbeds(embeds []*discordgo.MessageEmbed, problems map[string]string) {
	if len(embeds) > 10 {
		problems["embeds"] = maxLen(10)
		return
	}
	total := 0
	check := func(path, s string, max int) {
		total += utf8.RuneCountInString(s)
		if tooLong(s, max) {
			problems[path] = maxLen(max)
		}
	}
	for i, e := range embeds {
		if e == nil {
			continue
		}
		at := fmt.Sprintf("embeds.%d.", i)
		check(at+"title", e.Title, 256)
		check(at+"description", e.Description, 4096)
		if len(e.Fields) > 25 {
			problems[at+"fields"] = maxLen(25)
		}
		for j, f := range e.Fields {
			check(fmt.Sprintf("%sfields.%d.name", at, j), f.Name, 256)
			check(fmt.Sprintf("%sfields.%d.value", at, j), f.Value, 1024)
			if f.Name == "" || f.Value == "" {
				problems[fmt.Sprintf("%sfields.%d", at, j)] = "Embed field name and value are required."
			}
		}
		if e.Footer != nil {
			check(at+"footer.text", e.Footer.Text, 2048)
		}
		if e.Author != nil {
			check(at+"author.name", e.Author.Name, 256)
		}
	}
	if total > 6000 {
		problems["embeds"] = "Embed size exceeds maximum size of 6000"
	}
}

func validateComponents(comps []discordgo.MessageComponent, problems map[string]string) {
	if len(comps) > 5 {
		problems["components"] = maxLen(5)
	}
	seen := map[string]bool{}
	customID := func(path, id string) {
		if id == "" {
			problems[path] = "This field is required"
		} else if tooLong(id, 100) {
			problems[path] = maxLen(100)
		} else if seen[id] {
			problems[path] = "Component custom id cannot be duplicated"
		}
		seen[id] = true
	}
	for i, c := range comps {
		at := fmt.Sprintf("components.%d", i)
		row, ok := asRow(c)
		if !ok {
			problems[at] = "Top-level components must be action rows"
			continue
		}
		if len(row.Components) == 0 || len(row.Components) > 5 {
			problems[at+".components"] = "Must be between 1 and 5 in length."
		}
		selects := 0
		for j, inner := range row.Components {
			ip := fmt.Sprintf("%s.components.%d", at, j)
			switch v := inner.(type) {
			case *discordgo.Button, discordgo.Button:
				b := asButton(v)
				if tooLong(b.Label, 80) {
					problems[ip+".label"] = maxLen(80)
				}
				switch b.Style {
				case discordgo.LinkButton:
					if b.URL == "" {
						problems[ip+".url"] = "This field is required"
					}
				case discordgo.PremiumButton:
				default:
					customID(ip+".custom_id", b.CustomID)
				}
			case *discordgo.SelectMenu, discordgo.SelectMenu:
				sm := asSelect(v)
				selects++
				customID(ip+".custom_id", sm.CustomID)
				if tooLong(sm.Placeholder, 150) {
					problems[ip+".placeholder"] = maxLen(150)
				}
				if sm.MenuType == 0 || sm.MenuType == discordgo.StringSelectMenu {
					if len(sm.Options) == 0 || len(sm.Options) > 25 {
						problems[ip+".options"] = "Must be between 1 and 25 in length."
					}
					for k, o := range sm.Options {
						op := fmt.Sprintf("%s.options.%d", ip, k)
						if o.Label == "" || tooLong(o.Label, 100) {
							problems[op+".label"] = "Must be between 1 and 100 in length."
						}
						if o.Value == "" || tooLong(o.Value, 100) {
							problems[op+".value"] = "Must be between 1 and 100 in length."
						}
						if tooLong(o.Description, 100) {
							problems[op+".description"] = maxLen(100)
						}
					}
				}
			default:
				problems[ip] = fmt.Sprintf("Component type %d is not valid in a message action row", inner.Type())
			}
		}
		if selects > 0 && len(row.Components) > 1 {
			problems[at+".components"] = "A select menu must be alone in its action row"
		}
	}
}

// validateModal checks a MODAL callback's data.
func validateModal(p *payload, problems map[string]string) {
	if p.Title == "" || tooLong(p.Title, 45) {
		problems["data.title"] = "Must be between 1 and 45 in length."
	}
	if p.CustomID == "" || tooLong(p.CustomID, 100) {
		problems["data.custom_id"] = "Must be between 1 and 100 in length."
	}
	if len(p.Components) == 0 || len(p.Components) > 5 {
		problems["data.components"] = "Must be between 1 and 5 in length."
	}
	seen := map[string]bool{}
	for i, c := range p.Components {
		at := fmt.Sprintf("data.components.%d", i)
		row, ok := asRow(c)
		if !ok || len(row.Components) != 1 {
			problems[at] = "A modal row holds exactly one text input"
			continue
		}
		var ti discordgo.TextInput
		switch v := row.Components[0].(type) {
		case *discordgo.TextInput:
			ti = *v
		case discordgo.TextInput:
			ti = v
		default:
			problems[at+".components.0"] = "A modal row holds exactly one text input"
			continue
		}
		ip := at + ".components.0"
		if ti.CustomID == "" || tooLong(ti.CustomID, 100) {
			problems[ip+".custom_id"] = "Must be between 1 and 100 in length."
		} else if seen[ti.CustomID] {
			problems[ip+".custom_id"] = "Component custom id cannot be duplicated"
		}
		seen[ti.CustomID] = true
		if ti.Label == "" || tooLong(ti.Label, 45) {
			problems[ip+".label"] = "Must be between 1 and 45 in length."
		}
		if ti.Style != discordgo.TextInputShort && ti.Style != discordgo.TextInputParagraph {
			problems[ip+".style"] = "Value must be one of {1, 2}."
		}
		if tooLong(ti.Value, 4000) {
			problems[ip+".value"] = maxLen(4000)
		}
		if tooLong(ti.Placeholder, 100) {
			problems[ip+".placeholder"] = maxLen(100)
		}
		if ti.MinLength > 4000 || ti.MaxLength > 4000 {
			problems[ip] = "min_length and max_length must be 4000 or fewer"
		}
	}
}

// validateChoices checks an autocomplete result.
func validateChoices(choices []*discordgo.ApplicationCommandOptionChoice, problems map[string]string) {
	if len(choices) > 25 {
		problems["data.choices"] = maxLen(25)
	}
	for i, c := range choices {
		if c == nil || c.Name == "" || tooLong(c.Name, 100) {
			problems[fmt.Sprintf("data.choices.%d.name", i)] = "Must be between 1 and 100 in length."
			continue
		}
		if v, ok := c.Value.(string); ok && tooLong(v, 100) {
			problems[fmt.Sprintf("data.choices.%d.value", i)] = maxLen(100)
		}
	}
}

func asRow(c discordgo.MessageComponent) (discordgo.ActionsRow, bool) {
	switch v := c.(type) {
	case *discordgo.ActionsRow:
		return *v, true
	case discordgo.ActionsRow:
		return v, true
	}
	return discordgo.ActionsRow{}, false
}

func asButton(c discordgo.MessageComponent) discordgo.Button {
	if b, ok := c.(*discordgo.Button); ok {
		return *b
	}
	return c.(discordgo.Button)
}

func asSelect(c discordgo.MessageComponent) discordgo.SelectMenu {
	if b, ok := c.(*discordgo.SelectMenu); ok {
		return *b
	}
	return c.(discordgo.SelectMenu)
}
