package conversations

import (
	"context"
	"fmt"
	"time"
)

// TalkView is a guided talk as the partners see it: its state, and from the
// reveal it is about, the appreciations it quotes and the topics it offers.
type TalkView struct {
	Talk    GuidedTalk
	Couple  Couple
	CheckIn CheckIn
	Now     time.Time
	// Appreciations are each partner's appreciation from the reveal, by
	// partner position; "" where there is none.
	Appreciations [2]string
	// Topics are what the reveal raised, while a topic is being chosen.
	Topics []TalkTopic
	// Topic is the chosen topic, with its words.
	Topic *TalkTopic
	// Break and Expiry are the operator's lengths of a break and of a talk.
	Break, Expiry time.Duration
}

// Speaker and Listener name the partners in this turn.
func (v TalkView) Speaker() Partner  { return v.Couple.Partners[v.Talk.Speaker] }
func (v TalkView) Listener() Partner { return v.Couple.Partners[v.Talk.Listener()] }

// Asked is the partner asked to join: the one who did not start the talk.
func (v TalkView) Asked() Partner { return v.Couple.Other(v.Talk.AskedBy) }

// talkView builds the view of t from the reveal it is about. An ended talk
// needs nothing of the reveal.
func talkView(ctx context.Context, c *core, t GuidedTalk, couple Couple) (TalkView, error) {
	v := TalkView{Talk: t, Couple: couple, Now: c.clock.Now(), Break: c.settings.TalkBreak, Expiry: c.settings.TalkExpiry}
	if !t.Open() {
		return v, nil
	}
	r, err := c.reveal(ctx, t.CheckInID, couple.Partners[0].UserID)
	if err != nil {
		return v, fmt.Errorf("load the reveal of %s: %w", t, err)
	}
	v.CheckIn = r.CheckIn
	v.Appreciations = Appreciations(r)
	if t.Stage == TalkChoosing {
		v.Topics = TalkTopics(r, "")
	}
	if t.Topic != nil {
		topic := topicOf(r, *t.Topic)
		v.Topic = &topic
	}
	return v, nil
}
