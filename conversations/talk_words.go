package conversations

// The words of a guided talk, the same on Discord and at the console. They
// speak to both partners at once and never blame either: nobody "failed"
// to go on, "refused" or "walked away".

// TalkIntro says what a talk is when one partner asks the other.
const TalkIntro = "A guided talk goes one step at a time: an appreciation each, one topic, one of you speaking while the other listens and says back what they heard, then you swap. Either of you can ask for a break or stop at any step."

// TalkNoAppreciation invites one spoken appreciation when neither partner
// answered the appreciation prompt; nothing is quoted then.
const TalkNoAppreciation = "Neither of you wrote an appreciation this time, and that's okay. If you can, start by saying one out loud: something small your partner did lately that you were glad of."

// TalkOneTopic says why only one topic is talked about.
const TalkOneTopic = "One topic is enough for one talk. The others stay for another day: they are still in the reveal."

// SpeakerPrompts are shown only to the partner speaking.
const SpeakerPrompts = "Speak about your own experience, one piece at a time:\n• \"I felt …\"\n• \"when …\"\n• \"What I need is …\"\nThere's no clock on your turn. When you feel heard, say so."

// ListenerPrompts are shown only to the partner listening.
const ListenerPrompts = "Say back what you heard, without answering it yet:\n\"What I heard is … Did I get that right?\"\nIf it wasn't quite right, ask and listen again."

// ListenerSpeaksNext goes with the listener's prompts while the listener
// has not had a turn to speak yet.
const ListenerSpeaksNext = "Your turn to speak comes after the swap."

// ListenerWords are the prompts of this turn's listener, promising a turn
// of their own while they have not had one.
func (v TalkView) ListenerWords() string {
	if v.Talk.Heard[v.Talk.Listener()] {
		return ListenerPrompts
	}
	return ListenerPrompts + " " + ListenerSpeaksNext
}

// TalkBreakWhy says why a break helps.
const TalkBreakWhy = "When feelings run high, a real break helps more than pushing on. Do something calming, apart, rather than going over what to say next."

// TalkComeBack is the one message after a break.
const TalkComeBack = "Ready to come back? Your talk is where you left it. There's no rush: come back when you both are."

// TalkStopped ends a talk without naming who stopped it.
const TalkStopped = "You stopped here, and that's okay. You can come back to this another time."

// TalkNotNow ends a talk that did not begin.
const TalkNotNow = "Not now, and that's okay. Either of you can start a talk again whenever you are both ready."

// TalkExpired is what a talk's message reads once its time ran out.
const TalkExpired = "This talk has ended. Either of you can start another whenever you are both ready."

// TalkClosingAsk asks for one small thing to try, or none.
const TalkClosingAsk = "Is there one small thing you'll try? It can be a promise one of you makes, or an agreement you propose to each other. Nothing at all is fine too: the talk itself counts."

// TalkHeldWords closes a talk that was held.
const TalkHeldWords = "You talked it through. That's recorded as talked about, and your progress counts it."
