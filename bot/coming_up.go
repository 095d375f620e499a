package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// A commitment due after a check-in opened is not asked about in it: asking
// how a promise went before its day comes would only be a test. It is listed
// as coming up instead, so that neither partner wonders where it went.

const comingUpTitle = "Coming up, not asked about yet"

// comingUpLines names each commitment coming up and its maker.
func comingUpLines(list []conversations.Commitment, c conversations.Couple) []string {
	var lines []string
	for _, cm := range list {
		lines = append(lines, fmt.Sprintf("%s: “%s” (due %s)", c.NameOf(cm.OwnerID), truncate(cm.Text, 80), cm.DueOn))
	}
	return lines
}

// withComingUp adds the commitments coming up to an open check-in's post.
func withComingUp(m message, ci conversations.CheckIn, now time.Time, list []conversations.Commitment, c conversations.Couple) message {
	if len(list) == 0 || len(m.Embeds) == 0 || ci.StatusAt(now) != conversations.CheckInOpen {
		return m
	}
	value := strings.Join(comingUpLines(list, c), "\n") + "\nEach is asked about at the first check-in on or after its due date."
	m.Embeds[0].Fields = append(m.Embeds[0].Fields, &discordgo.MessageEmbedField{Name: comingUpTitle, Value: truncate(value, maxFieldValue)})
	return m
}

// comingUpText is the same list for a plain-text reply.
func comingUpText(list []conversations.Commitment, c conversations.Couple) string {
	if len(list) == 0 {
		return ""
	}
	return "\n\n**" + comingUpTitle + "** (each at the first check-in on or after its due date):\n" + strings.Join(comingUpLines(list, c), "\n")
}
