package conversations

// Left is what leaving a couple did.
type Left struct {
	Couple Couple
	// AnswersDeleted counts the leaver's answers deleted, when they asked.
	AnswersDeleted int
	// Again is set when the couple had already ended: a press again after
	// deleting the answers failed, which tried the deletion once more.
	Again bool
}
