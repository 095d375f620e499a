package conversations

import "time"

// Talk records that a review the partners saw differently was talked about.
type Talk struct {
	CheckInID int64
	PromptID  string
	SubjectID int64
	ByUserID  string
	At        time.Time
}

// Key is the review the talk was about.
func (t Talk) Key() StepKey { return StepKey{PromptID: t.PromptID, SubjectID: t.SubjectID} }
