package bot

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// A calm teal that reads on Discord's dark and light themes alike.
const (
	colorCalm    = 0x4E9A8F
	colorQuieter = 0x8A8F98
	// colorTwoViews marks a review the partners saw differently: a quiet
	// blue, because amber with a flag read as an alarm, and two views are
	// not one.
	colorTwoViews = 0x7088B0
)

// twoViewsMark goes before "You see this one differently": two arrows that
// point both ways, not a flag.
const twoViewsMark = "⇄"

// Discord's limits on what one message can carry.
const (
	maxEmbedTitle       = 256
	maxEmbedDescription = 4096
	maxFieldValue       = 1024
	maxEmbedsPerMessage = 10
	maxRowsPerMessage   = 5
	maxEmbedCharsTotal  = 6000
	maxButtonLabel      = 80
	maxSelectLabel      = 100
	maxModalTitle       = 45
	maxInputLabel       = 45
	maxPlaceholder      = 100
	// maxQuotedCommitment is the longest a commitment is quoted; anything
	// longer (from before templates were held to it) is cut with an ellipsis.
	maxQuotedCommitment = conversations.MaxCommitmentLength
)

const privacyNote = "**Privacy.** This channel is visible only to the two of you and Mend, with one exception Discord does not let any bot change: a server member with the **Administrator** permission can read every channel. For full privacy, use a server that only the two of you and the bot are in."

const notATherapist = "Mend is a tool for the two of you, not a therapist. If things feel too heavy to carry alone, a couples counsellor can help."

func mention(userID string) string { return "<@" + userID + ">" }

func timestamp(t time.Time, style string) string {
	return fmt.Sprintf("<t:%d:%s>", t.Unix(), style)
}

// truncate cuts s to at most n characters, marking the cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func errorMessage(text string) message {
	return message{Ephemeral: true, Content: text}
}

// closedWithoutReveal is said wherever a check-in that closed unrevealed is
// shown in the channel.
const (
	closedWithoutReveal = "This check-in closed before your answers were shown side by side"
	closedKindly        = "Weeks like this happen. What each of you wrote is kept, and stays private."
)

func embedChars(e *discordgo.MessageEmbed) int {
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
	for _, f := range e.Fields {
		n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	if e.Footer != nil {
		n += utf8.RuneCountInString(e.Footer.Text)
	}
	if e.Author != nil {
		n += utf8.RuneCountInString(e.Author.Name)
	}
	return n
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func helpMessage(safety conversations.SafetyNote) message {
	return message{Ephemeral: true, Embeds: []*discordgo.MessageEmbed{{
		Title: "Mend",
		Color: colorCalm,
		Description: strings.Join([]string{
			"`/couple invite partner:` invite your partner; they must accept. Mend then makes a private channel for the two of you.",
			"`/couple info` shows your couple; `/couple leave` ends it, after asking you to confirm.",
			"`/schedule set` chooses when check-ins open by themselves (a day, a time and your time zone, every week or every few weeks); `/schedule show`, `/schedule pause until:`, `/schedule resume`.",
			"`/checkin now` starts a check-in in your channel; `/checkin status` shows where you both are.",
			"`/commitment add|list|done|drop`: concrete promises, reviewed by both of you at every check-in. `/agreement add|list|end`: agreements you make together; one of you proposes, and it counts once the other agrees. The ones that help protect you both and watch neither: \"Sunday evenings are for us\", \"We tell each other before plans that affect both of us\". `/boundary set|list|end`: your own boundaries, shown to your partner as information; nobody has to agree to them.",
			"`/path show` says where you are on your guided path: a theme and a fresh question each week, walking the six steps of rebuilding trust. `/path packs`, `/path skip`, `/path off` and `/path on` let you shape it.",
			"`/talk` asks your partner to talk through your latest check-in together, one step at a time: an appreciation each, one topic, one of you speaking while the other listens, and something small to try. The reveal's **Talk it through** does the same. Either of you can take a break or stop at any step; Mend keeps only which topic you talked about, when, and how it ended.",
			"`/history` lists past check-ins; `/progress` shows closeness and how promises and agreements went over the weeks, as each of you saw them, with a chart. There is no streak: weeks off are part of it.",
			"`/export` sends you everything Mend stores of you two; `/forget` deletes it all, after asking.",
			privacyNote,
			notATherapist,
		}, "\n\n"),
	}, safetyEmbed("If you ever feel unsafe", safety)}}
}
