package conversations

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// TalkUse is what a prompt's answers are to the guided talk.
type TalkUse string

const (
	// TalkUseAppreciation answers are quoted when a talk starts.
	TalkUseAppreciation TalkUse = "appreciation"
	// TalkUseTopic answers are offered as what to talk about.
	TalkUseTopic TalkUse = "topic"
)

// TalkUse is what the prompt's answers are to a guided talk, or "" when
// nothing. Check-ins stored before prompts carried the mark know the
// built-in appreciation and need by their IDs.
func (p Prompt) TalkUse() TalkUse {
	switch {
	case p.Kind != KindText:
		return ""
	case p.Talk != "":
		return p.Talk
	case p.Acknowledge:
		return TalkUseTopic
	case p.ID == "appreciation":
		return TalkUseAppreciation
	case p.ID == "need":
		return TalkUseTopic
	}
	return ""
}

// maxTopicWords is how much of a partner's words a topic quotes: enough to
// know which answer it is, short enough for a list.
const maxTopicWords = 80

// TalkTopic is one thing the reveal raised, offered as the topic of a talk,
// in the words of the partner who wrote it, shortened.
type TalkTopic struct {
	Ref TopicRef
	// Words are the answer's words, or the promise's or agreement's.
	Words string
}

// Key names the topic among those of its reveal, for a select's value:
// whose words it is when they are a partner's, not who would pick it.
func (t TalkTopic) Key() string {
	author := ""
	if t.Ref.Kind == TopicHurt || t.Ref.Kind == TopicNeed {
		author = t.Ref.RaisedBy
	}
	return strings.Join([]string{string(t.Ref.Kind), t.Ref.PromptID, strconv.FormatInt(t.Ref.SubjectID, 10), author}, "/")
}

// Describe names the topic for both partners: whose words and what about.
func (t TalkTopic) Describe(c Couple) string {
	switch t.Ref.Kind {
	case TopicHurt:
		return fmt.Sprintf("%s's hurt or worry: “%s”", c.NameOf(t.Ref.RaisedBy), t.Words)
	case TopicNeed:
		return fmt.Sprintf("What %s needs: “%s”", c.NameOf(t.Ref.RaisedBy), t.Words)
	case TopicReview:
		return fmt.Sprintf("Seen differently: “%s”", t.Words)
	}
	return t.Words
}

// aloudWords describes the topic offered when the reveal raised nothing.
const aloudWords = "Something on your minds that the check-in didn't ask about, named aloud"

// TalkTopics lists what a reveal raised, in its order: each partner's
// words about a hurt or a need, and the promises and agreements the two
// saw differently. A boundary is never a topic (its words are its owner's
// alone), and neither is the private safety check, which is no step of a
// reveal. raisedBy is who picks a topic that has no author (a review, or
// something named aloud): they raised it, so they speak first.
func TalkTopics(r Reveal, raisedBy string) []TalkTopic {
	var out []TalkTopic
	for _, row := range r.Rows {
		it := row.Item
		if row.Divergent && it.Subject != nil && it.Subject.Kind != SubjectBoundary {
			out = append(out, TalkTopic{
				Ref:   TopicRef{Kind: TopicReview, PromptID: it.Prompt.ID, SubjectID: it.Subject.ID, RaisedBy: raisedBy},
				Words: shortWords(it.Subject.Text, maxTopicWords),
			})
			continue
		}
		if it.Subject != nil || it.Prompt.TalkUse() != TalkUseTopic {
			continue
		}
		kind := TopicNeed
		if it.Prompt.Acknowledge {
			kind = TopicHurt
		}
		for _, a := range row.Answers {
			if a == nil || a.Skipped || strings.TrimSpace(a.Text) == "" {
				continue
			}
			out = append(out, TalkTopic{
				Ref:   TopicRef{Kind: kind, PromptID: it.Prompt.ID, RaisedBy: a.UserID},
				Words: shortWords(a.Text, maxTopicWords),
			})
		}
	}
	if len(out) == 0 {
		out = append(out, TalkTopic{Ref: TopicRef{Kind: TopicAloud, RaisedBy: raisedBy}, Words: aloudWords})
	}
	return out
}

// topicOf returns the words of a chosen topic, as far as the reveal still
// has them.
func topicOf(r Reveal, ref TopicRef) TalkTopic {
	for _, t := range TalkTopics(r, ref.RaisedBy) {
		if t.Ref == ref {
			return t
		}
	}
	if ref.Kind == TopicAloud {
		return TalkTopic{Ref: ref, Words: aloudWords}
	}
	return TalkTopic{Ref: ref, Words: "the topic you chose"}
}

// Appreciations are each partner's answer to the appreciation prompt of a
// reveal, by partner position; "" where there is none.
func Appreciations(r Reveal) [2]string {
	var out [2]string
	for _, row := range r.Rows {
		if row.Item.Subject != nil || row.Item.Prompt.TalkUse() != TalkUseAppreciation {
			continue
		}
		for i, a := range row.Answers {
			if a != nil && !a.Skipped && out[i] == "" {
				out[i] = strings.TrimSpace(a.Text)
			}
		}
	}
	return out
}

// shortWords cuts text to at most n characters at a word, marking the cut
// with an ellipsis, and folds it onto one line.
func shortWords(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	runes := []rune(text)[:n-1]
	cut := string(runes)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}
