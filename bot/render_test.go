package bot

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares v, as indented JSON (what Discord receives), with
// testdata/name.golden.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bot -run %s -update to create it)", err, t.Name())
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden file; if the change is intended, run go test ./bot -update and review the diff.\ngot:\n%s", path, got)
	}
}

var (
	renderNow    = time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC)
	renderCouple = conversations.Couple{
		ID: 7, GuildID: "100000000000000001", ChannelID: "200000000000000002", Status: conversations.CoupleActive, TimeZone: "Europe/Berlin",
		CreatedAt: renderNow.AddDate(0, -1, 0),
		Partners: [2]conversations.Partner{
			{UserID: "300000000000000003", Name: "Alex", ConsentedAt: renderNow},
			{UserID: "400000000000000004", Name: "Sam", ConsentedAt: renderNow},
		},
	}
	renderTemplate = func() conversations.Template {
		ts, err := conversations.NewTemplates(true, conversations.Template{ID: "evening", Prompts: []conversations.Prompt{
			{ID: "energy", Kind: conversations.KindChoice, Text: "How much energy do you have left?", Options: []string{"Plenty", "A little", "None"}},
		}})
		if err != nil {
			panic(err)
		}
		t, _ := ts.Get(conversations.RebuildingTrustID)
		// As for a couple who turned the question of the week off; a drawn
		// question has goldens of its own (path_render_test.go).
		t.Prompts = slices.DeleteFunc(slices.Clone(t.Prompts), func(p conversations.Prompt) bool { return p.Kind == conversations.KindRotating })
		evening, _ := ts.Get("evening")
		t.Prompts = append(t.Prompts, evening.Prompts...)
		return t
	}()
)

func renderCheckIn() conversations.CheckIn {
	return conversations.CheckIn{
		ID: 42, CoupleID: 7, Template: renderTemplate, Status: conversations.CheckInOpen,
		OpenedAt: renderNow, ClosesAt: renderNow.Add(48 * time.Hour),
		Subjects: []conversations.Subject{
			{PromptID: "commitment-review", Kind: conversations.SubjectCommitment, ID: 5, Text: "Home by 7 pm on weekdays", OwnerID: "300000000000000003"},
			{PromptID: "agreement-review", Kind: conversations.SubjectAgreement, ID: 9, Text: "We are open about money"},
		},
		Participants: [2]conversations.Participant{
			{UserID: "300000000000000003", Status: conversations.Done},
			{UserID: "400000000000000004", Status: conversations.Paused},
		},
	}
}

func TestRenderCouplesMessages(t *testing.T) {
	pending := renderCouple
	pending.Status = conversations.CouplePending
	pending.ExpiresAt = renderNow.Add(conversations.DefaultInvitationExpiry)
	golden(t, "invitation", invitationMessage(pending).responseData())
	golden(t, "invitation_accepted", invitationAnswered(renderCouple).responseData())
	golden(t, "welcome", welcomeMessage(renderCouple).send())
	ci := renderCheckIn()
	golden(t, "couple_info", coupleInfoMessage(renderCouple, &ci).responseData())
	golden(t, "leave_confirm", leaveConfirmMessage(renderCouple, "400000000000000004").responseData())
	golden(t, "help", helpMessage(conversations.SafetyNote{}.WithDefault()).responseData())
}

func TestRenderCheckInPostInEachState(t *testing.T) {
	ci := renderCheckIn()
	golden(t, "checkin_post_open", checkInPost(ci, renderCouple, renderNow).send())
	golden(t, "checkin_post_closed", checkInPost(ci, renderCouple, ci.ClosesAt).send())
	ci.Status = conversations.CheckInRevealed
	golden(t, "checkin_post_revealed", checkInPost(ci, renderCouple, renderNow).send())
}

func TestRenderEveryStepKind(t *testing.T) {
	ci := renderCheckIn()
	items := ci.Items()
	for i, it := range items {
		step := conversations.Step{CheckIn: ci, Couple: renderCouple, UserID: "400000000000000004", Item: it, Index: i, Total: len(items)}
		name := "step_" + strings.ReplaceAll(it.Key().String(), "/", "_")
		golden(t, name, stepMessage(step, renderCouple).responseData())
		switch it.Prompt.Kind {
		case conversations.KindText, conversations.KindNewCommitment:
			golden(t, name+"_modal", textModal(step, ""))
		case conversations.KindCommitmentReview:
			golden(t, name+"_note_modal", textModal(step, conversations.VerdictPartly))
		}
	}
	var answers []conversations.Answer
	for _, it := range items {
		a := conversations.Answer{CheckInID: ci.ID, UserID: "400000000000000004", PromptID: it.Prompt.ID, Skipped: it.Prompt.Optional}
		if it.Subject != nil {
			a.SubjectID = it.Subject.ID
		}
		switch it.Prompt.Kind {
		case conversations.KindScale:
			a.Scale = 4
		case conversations.KindChoice:
			a.Choice = it.Prompt.Options[0]
		case conversations.KindCommitmentReview:
			a.Verdict = conversations.VerdictPartly
		case conversations.KindAgreementReview:
			a.Verdict = conversations.VerdictKept
		default:
			a.Text = "Words for " + it.Prompt.ID
		}
		answers = append(answers, a)
	}
	reread := conversations.Step{CheckIn: ci, Couple: renderCouple, UserID: "400000000000000004", Done: true, Index: len(items), Total: len(items), Items: items, Answers: answers}
	golden(t, "step_reread", stepMessage(reread, renderCouple).responseData())
	revising := conversations.Step{CheckIn: ci, Couple: renderCouple, UserID: "400000000000000004", Item: items[1], Index: 1, Total: len(items), Revising: true, Previous: &answers[1]}
	golden(t, "step_revising", stepMessage(revising, renderCouple).responseData())
	sent := reread
	sent.Sent = true
	golden(t, "step_done", stepMessage(sent, renderCouple).responseData())
}

func TestRenderStepsStayWithinDiscordLimits(t *testing.T) {
	ci := renderCheckIn()
	// A copy: the template's prompts are shared with the other tests.
	ci.Template.Prompts = append([]conversations.Prompt(nil), ci.Template.Prompts...)
	long := strings.Repeat("x", conversations.MaxPromptTextLength)
	ci.Template.Prompts[0].Text = long
	ci.Template.Prompts[0].LowLabel = strings.Repeat("l", conversations.MaxLabelLength)
	items := ci.Items()
	for i, it := range items {
		step := conversations.Step{CheckIn: ci, Couple: renderCouple, UserID: "400000000000000004", Item: it, Index: i, Total: len(items)}
		m := stepMessage(step, renderCouple)
		checkLimits(t, it.Key().String(), m)
		modal := textModal(step, "")
		if n := len([]rune(modal.Title)); n > maxModalTitle {
			t.Errorf("%s: modal title %d characters", it.Key(), n)
		}
		for _, row := range modal.Components {
			for _, c := range row.(discordgo.ActionsRow).Components {
				in := c.(discordgo.TextInput)
				if len([]rune(in.Label)) > maxInputLabel || len([]rune(in.Placeholder)) > maxPlaceholder || in.MaxLength > 4000 {
					t.Errorf("%s: text input %+v breaks a limit", it.Key(), in)
				}
			}
		}
	}
}

func checkLimits(t *testing.T, what string, m message) {
	t.Helper()
	if len(m.Embeds) > maxEmbedsPerMessage {
		t.Errorf("%s: %d embeds", what, len(m.Embeds))
	}
	total := 0
	for _, e := range m.Embeds {
		total += embedChars(e)
		if len([]rune(e.Title)) > maxEmbedTitle || len([]rune(e.Description)) > maxEmbedDescription {
			t.Errorf("%s: embed title or description too long", what)
		}
		for _, f := range e.Fields {
			if len([]rune(f.Value)) > maxFieldValue || f.Value == "" {
				t.Errorf("%s: field %q has %d characters", what, f.Name, len([]rune(f.Value)))
			}
		}
	}
	if total > maxEmbedCharsTotal {
		t.Errorf("%s: embeds hold %d characters in all", what, total)
	}
	if len(m.Components) > 5 {
		t.Errorf("%s: %d component rows", what, len(m.Components))
	}
	for _, row := range m.Components {
		for _, c := range row.(discordgo.ActionsRow).Components {
			switch c := c.(type) {
			case discordgo.Button:
				if len([]rune(c.Label)) > maxButtonLabel || len(c.CustomID) > maxCustomIDLength {
					t.Errorf("%s: button %q breaks a limit", what, c.Label)
				}
			case discordgo.SelectMenu:
				if len(c.Options) > 25 {
					t.Errorf("%s: select with %d options", what, len(c.Options))
				}
			}
		}
	}
}

func revealFor(t *testing.T, answerText func(userID, promptID string) string) conversations.Reveal {
	t.Helper()
	ci := renderCheckIn()
	ci.Status = conversations.CheckInRevealed
	var answers []conversations.Answer
	for _, it := range ci.Items() {
		for i, p := range renderCouple.Partners {
			a := conversations.Answer{CheckInID: ci.ID, UserID: p.UserID, PromptID: it.Prompt.ID, SubjectID: it.Key().SubjectID}
			switch it.Prompt.Kind {
			case conversations.KindScale:
				a.Scale = 3 + i
			case conversations.KindChoice:
				a.Choice = it.Prompt.Options[i]
			case conversations.KindCommitmentReview:
				a.Verdict = []conversations.Verdict{conversations.VerdictKept, conversations.VerdictNotThisWeek}[i]
				if i == 0 {
					a.Note = "every day but Friday"
				}
			case conversations.KindAgreementReview:
				a.Verdict = conversations.VerdictKept
			default:
				a.Text = answerText(p.UserID, it.Prompt.ID)
				a.Skipped = a.Text == ""
			}
			answers = append(answers, a)
		}
	}
	r := conversations.NewReveal(ci, renderCouple, answers)
	return r
}

func TestRenderRevealSideBySide(t *testing.T) {
	r := revealFor(t, func(userID, promptID string) string {
		if promptID == "responsibility" && userID == "400000000000000004" {
			return ""
		}
		return "Words of " + userID[:1] + " for " + promptID
	})
	r.Acks = []conversations.Acknowledgement{{CheckInID: 42, PromptID: "hurt", AuthorID: "300000000000000003", ByUserID: "400000000000000004"}}
	pages := revealMessages(r)
	for i, p := range pages {
		checkLimits(t, "reveal page", p)
		golden(t, "reveal_page_"+string(rune('1'+i)), p.send())
	}
	if got := revealPageOf(pages, conversations.StepKey{PromptID: "hurt"}); got < 0 {
		t.Error("no reveal page carries the I hear you buttons")
	}
}

func TestRenderRevealOfLongestAnswersSplitsMessagesWithinLimits(t *testing.T) {
	r := revealFor(t, func(userID, promptID string) string {
		return strings.Repeat("ä", conversations.MaxTextLength)
	})
	pages := revealMessages(r)
	if len(pages) < 4 {
		t.Errorf("%d pages for answers of 4000 characters each; they cannot fit in fewer than 4", len(pages))
	}
	for i, p := range pages {
		checkLimits(t, "long reveal page "+string(rune('1'+i)), p)
		for _, e := range p.Embeds {
			if strings.Contains(e.Description, "…") {
				t.Errorf("page %d: an answer was cut: nothing a partner wrote may be lost in the reveal", i+1)
			}
		}
	}
}

func TestRenderConsentMessages(t *testing.T) {
	pending := renderCouple
	pending.Status, pending.ChannelID = conversations.CouplePending, ""
	pending.Partners[1].ConsentedAt = time.Time{}
	pending.ExpiresAt = renderNow.Add(conversations.DefaultInvitationExpiry)
	golden(t, "consent_invitee", consentMessage(pending, false, false, 500000000000000005).responseData())
	golden(t, "consent_invitee_encrypted", consentMessage(pending, false, true, 500000000000000005).responseData())
	golden(t, "consent_inviter", consentMessage(pending, true, false, 500000000000000005).responseData())
	golden(t, "invitation_closed", invitationClosedMessage().responseData())
	golden(t, "invitation_not_starting", notStartingMessage(pending).responseData())
	golden(t, "invitation_declined", declinedMessage(pending, 500000000000000005).responseData())
	golden(t, "invitation_dont_ask", dontAskMessage(pending).responseData())
	golden(t, "consent_not_now", notNowMessage(pending).responseData())
	golden(t, "consent_accepted", acceptedMessage(renderCouple).responseData())
	golden(t, "invitation_withdrawn", invitationWithdrawn(pending).responseData())
	golden(t, "pending_inviter", pendingMessage(pending, pending.Partners[0].UserID).responseData())
	golden(t, "pending_invitee", pendingMessage(pending, pending.Partners[1].UserID).responseData())
	for _, m := range []message{consentMessage(pending, false, true, 1), consentMessage(pending, true, false, 1), declinedMessage(pending, 1)} {
		checkLimits(t, "consent", m)
	}
}

func TestRenderTheSafetyCheckAndTheNoteAsPrivateSteps(t *testing.T) {
	ci := renderCheckIn()
	items := ci.Items()
	step := conversations.Step{CheckIn: ci, Couple: renderCouple, UserID: "400000000000000004", Item: items[0], Total: len(items), SafetyCheck: true}
	golden(t, "safety_check", safetyCheckMessage(step).responseData())
	safety := conversations.SafetyNote{Resources: []string{"Local helpline: call 0000 000 000, day and night", "Text SUPPORT to 00000"}}.WithDefault()
	golden(t, "safety_note_step", safetyNextStep(ci.ID, conversations.SafetyNotAlways, safety).responseData())
}

func TestTheLongestSafetyNoteStaysWithinDiscordLimits(t *testing.T) {
	ci := renderCheckIn()
	ci.Template.Prompts = append([]conversations.Prompt(nil), ci.Template.Prompts...)
	ci.Template.Prompts[1].Text = strings.Repeat("x", conversations.MaxPromptTextLength)
	ci.Template.Prompts[1].Hint = strings.Repeat("h", conversations.MaxPromptTextLength)
	var resources []string
	for range conversations.MaxSafetyResources {
		resources = append(resources, strings.Repeat("r", conversations.MaxSafetyResourceLength))
	}
	b := &Bot{cfg: Config{Safety: conversations.SafetyNote{Text: strings.Repeat("n", conversations.MaxSafetyNoteLength), Resources: resources}}}
	checkLimits(t, "the longest note as a step", safetyNextStep(ci.ID, conversations.SafetyNotAlways, b.cfg.Safety))
	checkLimits(t, "help with the longest note", helpMessage(b.cfg.Safety))
}
