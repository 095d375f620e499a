package bot

import (
	"context"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// The repair moments of a reveal: "I hear you" on words about a hurt,
// "Thank you for owning this" on a responsibility taken, "We talked about
// it" on a review seen differently. Each button changes, for both to see,
// once it has been pressed, and a second press changes nothing.

// repairButtons are the buttons under one row of a reveal.
func repairButtons(r conversations.Reveal, row conversations.RevealRow, names [2]string) []discordgo.MessageComponent {
	if row.Divergent {
		return []discordgo.MessageComponent{talkButton(r, row)}
	}
	kind := row.Item.Prompt.AckKind()
	if kind == "" {
		return nil
	}
	var buttons []discordgo.MessageComponent
	for i, a := range row.Answers {
		if a == nil || a.Skipped {
			continue
		}
		buttons = append(buttons, ackButton(r, row, kind, i, names))
	}
	return buttons
}

// ackButton is the other partner's answer to the words of the partner at
// position author: pressable by them until they have pressed it, then saying
// that they did.
func ackButton(r conversations.Reveal, row conversations.RevealRow, kind conversations.AckKind, author int, names [2]string) discordgo.Button {
	action, label, given := actHear, "I hear you, %[2]s", "%[1]s heard you, %[2]s"
	if kind == conversations.AckThanked {
		action, label, given = actThank, "Thank you for owning this, %[2]s", "%[1]s thanked you for owning this, %[2]s"
	}
	b := discordgo.Button{
		Label:    truncate(fmt.Sprintf(label, names[1-author], names[author]), maxButtonLabel),
		Style:    discordgo.SuccessButton,
		CustomID: customID{Action: action, ID: r.CheckIn.ID, Prompt: row.Item.Prompt.ID, Number: author}.String(),
	}
	if r.Acknowledged(row.Item.Prompt.ID, row.Answers[author].UserID) {
		b.Label = truncate(fmt.Sprintf(given, names[1-author], names[author]), maxButtonLabel)
		b.Disabled, b.Style = true, discordgo.SecondaryButton
	}
	return b
}

// talkButton lets either partner mark a review they saw differently as
// talked about. It is quiet (secondary) because nobody owes that talk on a
// schedule.
func talkButton(r conversations.Reveal, row conversations.RevealRow) discordgo.Button {
	key := row.Item.Key()
	b := discordgo.Button{
		Label:    "We talked about it",
		Style:    discordgo.SecondaryButton,
		CustomID: customID{Action: actTalk, ID: r.CheckIn.ID, Prompt: key.PromptID, Subject: key.SubjectID}.String(),
	}
	if r.TalkedAbout(key) {
		b.Label, b.Disabled = "You talked about it", true
	}
	return b
}

// thankNote goes under a responsibility someone took, so that neither
// partner reads the thank-you as a settling of accounts.
func thankNote(row conversations.RevealRow) string {
	if row.Item.Prompt.AckKind() != conversations.AckThanked {
		return ""
	}
	for _, a := range row.Answers {
		if a != nil && !a.Skipped {
			return "A thank-you for owning something says it was seen. It does not ask for forgiveness, and nobody has to hurry toward that."
		}
	}
	return ""
}

// revealPageOf returns the index of the reveal message that carries the
// repair buttons of the row with the given key, or -1.
func revealPageOf(pages []message, key conversations.StepKey) int {
	for i, m := range pages {
		for _, row := range m.Components {
			for _, c := range row.(discordgo.ActionsRow).Components {
				b, ok := c.(discordgo.Button)
				if !ok {
					continue
				}
				id, err := parseCustomID(b.CustomID)
				if err != nil || id.Prompt != key.PromptID {
					continue
				}
				switch id.Action {
				case actHear, actThank:
					return i
				case actTalk:
					if id.Subject == key.SubjectID {
						return i
					}
				}
			}
		}
	}
	return -1
}

// acknowledge answers a press of "I hear you" or "Thank you for owning
// this": the domain records it, if the presser may give it, and the page
// of the reveal that carries the button is shown again with it changed.
func (h *checkInHandlers) acknowledge(ctx context.Context, it *interaction, id customID) error {
	reveal, err := h.checkIns.Acknowledge(ctx, it.actor(), id.ID, id.Prompt, id.Number)
	if err != nil {
		return err
	}
	return h.showRevealPage(it, reveal, conversations.StepKey{PromptID: id.Prompt})
}

// talked answers a press of "We talked about it".
func (h *checkInHandlers) talked(ctx context.Context, it *interaction, id customID) error {
	reveal, err := h.checkIns.MarkTalked(ctx, it.actor(), id.ID, id.step())
	if err != nil {
		return err
	}
	return h.showRevealPage(it, reveal, id.step())
}

func (h *checkInHandlers) showRevealPage(it *interaction, reveal conversations.Reveal, key conversations.StepKey) error {
	pages := revealMessages(reveal)
	page := revealPageOf(pages, key)
	if page < 0 {
		return fmt.Errorf("no reveal page carries the buttons of %s in check-in %d", key, reveal.CheckIn.ID)
	}
	return it.update(pages[page])
}
