package conversations

// The built-in templates. The wording follows the six steps of rebuilding trust:
// each prompt is in the first person, about one's own experience, never a
// verdict on the other; "you" is always the partner who will read it. Only
// the reviews of promises and agreements are required.

// RebuildingTrustID is the template a couple uses unless they pick another.
const RebuildingTrustID = "rebuilding-trust"

// PulseID is the light daily template.
const PulseID = "pulse"

// WeekPromptID is the prompt of the rebuilding-trust template that holds the
// question of the week.
const WeekPromptID = "week"

// Builtins returns fresh copies of the built-in templates.
func Builtins() []Template {
	return []Template{rebuildingTrust(), pulse()}
}

func rebuildingTrust() Template {
	return Template{
		ID:          RebuildingTrustID,
		Name:        "Rebuilding trust",
		Description: "The weekly check-in: how close you felt, what you appreciated, how promises and agreements held, what hurt, what you own, this week's question, and what you need next.",
		Prompts: []Prompt{
			{
				// Only closeness, and skippable: no revealed answer may be
				// the way to say that one feels unsafe (see SafetyAnswer).
				ID: "trust", Kind: KindScale, Tracked: true, Optional: true,
				Label:    "How close I felt",
				Text:     "This week, I felt close to you",
				Hint:     "Far apart is common in these weeks. Any number is okay.",
				LowLabel: "Far apart", HighLabel: "Close",
			},
			{
				// Optional: forced appreciation in a week of hurt
				// invalidates the hurt.
				ID: "appreciation", Kind: KindText, Optional: true, MaxLength: 1000, Talk: TalkUseAppreciation,
				Label: "Something you did that I appreciated",
				Text:  "Something you did this week that I appreciated, however small, was…",
				Hint:  "Something small counts too. If nothing comes to mind this week, skip it.",
			},
			{
				ID: "commitment-review", Kind: KindCommitmentReview,
				Label: "How this promise went",
				Text:  "How did this promise go this week?",
				Hint:  ReviewHint,
			},
			{
				ID: "agreement-review", Kind: KindAgreementReview,
				Label: "How this agreement held up",
				Text:  "How did this agreement hold up this week?",
				Hint:  ReviewHint + " Agreements protect you both and watch neither: \"Sunday evenings are for us\", \"We tell each other before plans that affect both of us\". If one no longer fits, either of you can end it.",
			},
			{
				ID: "hurt", Kind: KindText, Optional: true, Long: true, Acknowledge: true,
				Label: "A moment that hurt or worried you",
				Text:  "A moment this week that hurt or worried me, if there was one, was…",
				Hint:  "Say what happened and how it felt for you (\"I felt…\"). Once your answers are shown side by side, your partner can answer with \"I hear you\".",
			},
			{
				ID: "responsibility", Kind: KindText, Optional: true, Long: true, Owned: true,
				Label: "Something I take responsibility for",
				Text:  "Something I'd like to take responsibility for, if there is something, is…",
				Hint:  "Only if you want to. Naming it is a strong step, and nobody is keeping score. Once your answers are shown side by side, your partner can answer with \"Thank you for owning this\", which asks for nothing more.",
			},
			{
				// The question of the week: drawn from the pack of the
				// couple's place on the guided path when the check-in opens.
				ID: WeekPromptID, Kind: KindRotating,
			},
			{
				ID: "need", Kind: KindText, Optional: true, Long: true, Talk: TalkUseTopic,
				Label: "What I'd like from you next week",
				Text:  "Something I'd like from you next week, that you could actually do, is…",
				Hint:  "One or two things at most. If there is nothing this week, skip it.",
			},
			{
				ID: "new-commitment", Kind: KindNewCommitment, Optional: true,
				Label: "One thing I will do next week",
				Text:  "One concrete thing I will do next week is…",
				Hint:  "Small and checkable works best, like \"home by 7 pm on weekdays\". Add a due date if it has one. You will both look back at it next time.",
			},
		},
	}
}

func pulse() Template {
	return Template{
		ID:          PulseID,
		Name:        "Pulse",
		Description: "A light daily touch: one number and, if you like, a few words.",
		Prompts: []Prompt{
			{
				ID: "feeling", Kind: KindScale, Tracked: true, Optional: true,
				Label:    "How I feel about us today",
				Text:     "How are you feeling about us today?",
				LowLabel: "Struggling", HighLabel: "Really good",
			},
			{
				ID: "note", Kind: KindText, Optional: true, MaxLength: 500,
				Label: "Something for my partner to know",
				Text:  "Anything you would like your partner to know?",
			},
		},
	}
}
