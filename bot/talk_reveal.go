package bot

import (
	"context"
	"slices"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// revealPages is how many messages after a reveal's first are looked
// through for the page that carries a button: a reveal has a few.
const revealPages = 20

// markTalkedOnReveal shows on the reveal that a promise or agreement seen
// differently was talked through in a guided talk, as a press of "We
// talked about it" would: the page of the reveal that carries its button
// is edited. A reveal no longer in the channel is left as it is.
func markTalkedOnReveal(ctx context.Context, s *shared, checkIns *conversations.CheckIns, by conversations.Actor, v conversations.TalkView) {
	topic := v.Talk.Topic
	if topic == nil || topic.Kind != conversations.TopicReview || v.CheckIn.RevealPostID == "" {
		return
	}
	reveal, err := checkIns.Reveal(ctx, by, v.Talk.CheckInID)
	if err != nil {
		s.log.Warn("could not mark a talk on its reveal", "talk", v.Talk.ID, "err", err)
		return
	}
	key := conversations.StepKey{PromptID: topic.PromptID, SubjectID: topic.SubjectID}
	pages := revealMessages(reveal)
	page := revealPageOf(pages, key)
	if page < 0 {
		return
	}
	channelID, messageID := v.Couple.ChannelID, v.CheckIn.RevealPostID
	if page > 0 {
		button := customID{Action: actTalk, ID: reveal.CheckIn.ID, Prompt: key.PromptID, Subject: key.SubjectID}.String()
		later, err := s.session.ChannelMessages(channelID, revealPages, "", v.CheckIn.RevealPostID, "", discordgo.WithContext(ctx))
		if err != nil && !isUnknown(err, discordgo.ErrCodeUnknownChannel) {
			s.log.Warn("could not find the reveal of a talk", "talk", v.Talk.ID, "err", s.redact(err))
		}
		messageID = ""
		for _, m := range later {
			if slices.Contains(componentIDs(m.Components), button) {
				messageID = m.ID
			}
		}
		if messageID == "" {
			return
		}
	}
	_, err = s.session.ChannelMessageEditComplex(pages[page].channelEdit(channelID, messageID), discordgo.WithContext(ctx))
	if err != nil && !isUnknown(err, discordgo.ErrCodeUnknownMessage) && !isUnknown(err, discordgo.ErrCodeUnknownChannel) {
		s.log.Warn("could not mark a talk on its reveal", "talk", v.Talk.ID, "err", s.redact(err))
	}
}
