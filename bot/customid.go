package bot

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// Custom IDs travel to the Discord client and come back on every button press,
// select and modal. They are parsed strictly and only ever name things; who may
// act on those things is decided by the domain, never by the ID.

type argKind int

const (
	argID      argKind = iota // a check-in or couple ID
	argPrompt                 // a prompt ID
	argSubject                // a reviewed commitment or agreement ID, 0 for none
	argNumber                 // a scale value or a partner position
	argVerdict                // a review verdict
	argFlag                   // 0 or 1: which of two buttons Mend offered
	argMessage                // a Discord message ID, 0 for none
	argKey                    // 8 hex digits naming a proposal (see Path.ProposalKey)
)

// Component and modal actions.
const (
	actStart     = "ci.start"
	actPause     = "ci.pause"
	actScale     = "ci.scale"
	actChoice    = "ci.choice"
	actVerdict   = "ci.verdict"
	actNote      = "ci.note"
	actWrite     = "ci.write"
	actSkip      = "ci.skip"
	actTextModal = "ci.text"
	// Writing about one's own boundary: a text step that names its subject.
	actBoundaryWrite = "ci.bwrite"
	actBoundaryText  = "ci.btext"
	actNoteModal     = "ci.notetext"
	actHear          = "ci.hear"
	actThank         = "ci.thank"
	actTalk          = "ci.talk"
	actShare         = "ci.share"
	// The private safety check's answer; every answer takes this one route.
	actSafe     = "ci.safe"
	actShareYes = "ci.shareyes"
	actPacksOff = "path.packsoff"
	actShareNo  = "ci.shareno"
	actAccept   = "couple.accept"
	actDecline  = "couple.decline"
	actLeave    = "couple.leave"
	actStay     = "couple.stay"
	actForget   = "couple.forget"
	actKeep     = "couple.keep"
	actRemake   = "couple.remake"
	actRepost   = "ci.repost"
	actRevise   = "ci.revise"
	actSend     = "ci.send"
	// An agreement's ID and what was asked: 0 its proposal, 1 its retirement.
	actAgree         = "agreement.yes"
	actTalkFirst     = "agreement.talk"
	actWithdrawAgree = "agreement.withdraw"
	actNotForMe      = "agreement.no"
	actPathPacks     = "path.packs"
	// How many weeks of progress to post to the channel.
	actPostProgress = "progress.post"
	actConfirm      = "couple.confirm"
	actNotNow       = "couple.notnow"
	actWithdraw     = "couple.withdraw"
	actDontAsk      = "couple.dontask"
	// A guided talk: talk.start carries the revealed check-in's ID, every
	// other one the talk's ID; talk.prompts carries 0 for the speaker's
	// prompts, 1 for the listener's.
	actTalkStart   = "talk.start"
	actTalkJoin    = "talk.join"
	actTalkNotNow  = "talk.notnow"
	actTalkRead    = "talk.read"
	actTalkTopic   = "talk.topic"
	actTalkPrompts = "talk.prompts"
	actTalkHeard   = "talk.heard"
	actTalkSwap    = "talk.swap"
	actTalkClosing = "talk.closing"
	actTalkPause   = "talk.pause"
	actTalkBack    = "talk.back"
	actTalkStop    = "talk.stop"
	actTalkNothing = "talk.nothing"
	actTalkPromise = "talk.promise"
	actTalkAgree   = "talk.agree"
	// The forms of a promise and of an agreement made at a talk's close.
	actTalkPromiseText = "talk.promisetext"
	actTalkAgreeText   = "talk.agreetext"
)

// action is everything Mend knows about one kind of custom ID: the arguments
// it carries in order, the interaction type it comes back on, the handler,
// and how it is acknowledged when the handler is slow. Declaring them
// together is what keeps a button's ID from ever reaching a modal's handler
// (discordgo panics when a handler reads the wrong kind of interaction
// data): the router routes by the type and the action.
type action struct {
	args     []argKind
	accepts  discordgo.InteractionType
	handle   func(g *groups) componentHandler
	deferral deferral
}

// componentHandler answers a component or a modal, given its parsed custom ID.
type componentHandler func(ctx context.Context, it *interaction, id customID) error

// actions is filled in init: its handlers render custom IDs, which read the
// table, and Go refuses that cycle in a variable's initializer.
var actions map[string]action

func init() {
	actions = map[string]action{
		actStart:         {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.turns.start }, answerInTime},
		actPause:         {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.turns.pause }, answerInTime},
		actScale:         {[]argKind{argID, argPrompt, argNumber}, onComponent, func(g *groups) componentHandler { return g.turns.answerScale }, answerInTime},
		actChoice:        {[]argKind{argID, argPrompt}, onComponent, func(g *groups) componentHandler { return g.turns.answerChoice }, answerInTime},
		actVerdict:       {[]argKind{argID, argPrompt, argSubject, argVerdict}, onComponent, func(g *groups) componentHandler { return g.turns.answerVerdict }, answerInTime},
		actNote:          {[]argKind{argID, argPrompt, argSubject, argVerdict}, onComponent, func(g *groups) componentHandler { return g.turns.openNote }, answerInTime},
		actWrite:         {[]argKind{argID, argPrompt}, onComponent, func(g *groups) componentHandler { return g.turns.openWrite }, answerInTime},
		actSkip:          {[]argKind{argID, argPrompt, argSubject}, onComponent, func(g *groups) componentHandler { return g.turns.skip }, answerInTime},
		actTextModal:     {[]argKind{argID, argPrompt}, onModal, func(g *groups) componentHandler { return g.turns.submitText }, answerInTime},
		actBoundaryWrite: {[]argKind{argID, argPrompt, argSubject}, onComponent, func(g *groups) componentHandler { return g.turns.openWrite }, answerInTime},
		actBoundaryText:  {[]argKind{argID, argPrompt, argSubject}, onModal, func(g *groups) componentHandler { return g.turns.submitText }, answerInTime},
		actNoteModal:     {[]argKind{argID, argPrompt, argSubject, argVerdict}, onModal, func(g *groups) componentHandler { return g.turns.submitNote }, answerInTime},
		actHear:          {[]argKind{argID, argPrompt, argNumber}, onComponent, func(g *groups) componentHandler { return g.checkIns.acknowledge }, answerInTime},
		actThank:         {[]argKind{argID, argPrompt, argNumber}, onComponent, func(g *groups) componentHandler { return g.checkIns.acknowledge }, answerInTime},
		actTalk:          {[]argKind{argID, argPrompt, argSubject}, onComponent, func(g *groups) componentHandler { return g.checkIns.talked }, answerInTime},
		actShare:         {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.checkIns.share }, answerInTime},
		actShareYes:      {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.checkIns.shareAllowed }, answerInTime},
		actShareNo:       {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.checkIns.shareDeclined }, answerInTime},
		actAccept:        {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.couples.accept }, answerInTime},
		actDecline:       {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.couples.decline }, answerInTime},
		actLeave:         {[]argKind{argID, argFlag}, onComponent, func(g *groups) componentHandler { return g.couples.leaveConfirmed }, answerInTime},
		actStay:          {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.couples.stay }, answerInTime},
		actForget:        {[]argKind{argID, argFlag}, onComponent, func(g *groups) componentHandler { return g.records.forgetConfirmed }, answerInTime},
		actKeep:          {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.records.forgetCancelled }, answerInTime},
		actRemake:        {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.couples.remakeChannel }, deferUpdate},
		actRepost:        {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.checkIns.repostReveal }, answerInTime},
		actSafe:          {[]argKind{argID, argNumber}, onComponent, func(g *groups) componentHandler { return g.turns.safetyAnswered }, answerInTime},
		actRevise:        {[]argKind{argID, argNumber}, onComponent, func(g *groups) componentHandler { return g.turns.revise }, answerInTime},
		actSend:          {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.turns.send }, answerInTime},
		actAgree:         {[]argKind{argID, argFlag}, onComponent, func(g *groups) componentHandler { return g.agreements.agree }, answerInTime},
		actTalkFirst:     {[]argKind{argID, argFlag}, onComponent, func(g *groups) componentHandler { return g.agreements.talkFirst }, answerInTime},
		actWithdrawAgree: {[]argKind{argID, argFlag}, onComponent, func(g *groups) componentHandler { return g.agreements.withdraw }, answerInTime},
		actPathPacks:     {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.path.packsChosen }, answerInTime},
		actNotForMe:      {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.agreements.notForMe }, answerInTime},
		actPostProgress:  {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.records.postProgress }, deferInChannel},
		actPacksOff:      {[]argKind{argID, argFlag, argKey}, onComponent, func(g *groups) componentHandler { return g.path.packsOffAnswered }, answerInTime},
		// Confirming and withdrawing name the public invitation, which is
		// then edited to say what became of it.
		actConfirm:  {[]argKind{argID, argMessage}, onComponent, func(g *groups) componentHandler { return g.couples.confirm }, deferUpdate},
		actNotNow:   {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.couples.notNow }, answerInTime},
		actWithdraw: {[]argKind{argID, argMessage}, onComponent, func(g *groups) componentHandler { return g.couples.withdraw }, answerInTime},
		actDontAsk:  {[]argKind{argID, argMessage}, onComponent, func(g *groups) componentHandler { return g.couples.dontAsk }, answerInTime},

		actTalkStart:       {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.talks.startFromReveal }, answerInTime},
		actTalkJoin:        {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.talks.join }, answerInTime},
		actTalkNotNow:      {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.talks.notNow }, answerInTime},
		actTalkRead:        {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.talks.read }, answerInTime},
		actTalkTopic:       {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.talks.choose }, answerInTime},
		actTalkPrompts:     {[]argKind{argID, argFlag}, onComponent, func(g *groups) componentHandler { return g.talks.prompts }, answerInTime},
		actTalkHeard:       {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.talks.heard }, answerInTime},
		actTalkSwap:        {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.talks.swap }, answerInTime},
		actTalkClosing:     {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.talks.toClosing }, answerInTime},
		actTalkPause:       {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.talks.pause }, answerInTime},
		actTalkBack:        {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.talks.back }, answerInTime},
		actTalkStop:        {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.talks.stop }, answerInTime},
		actTalkNothing:     {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.talks.finishWithNothing }, answerInTime},
		actTalkPromise:     {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.talks.openPromise }, answerInTime},
		actTalkAgree:       {[]argKind{argID}, onComponent, func(g *groups) componentHandler { return g.talks.openAgreement }, answerInTime},
		actTalkPromiseText: {[]argKind{argID}, onModal, func(g *groups) componentHandler { return g.talks.promised }, answerInTime},
		actTalkAgreeText:   {[]argKind{argID}, onModal, func(g *groups) componentHandler { return g.talks.proposed }, answerInTime},
	}
}

// maxCustomIDLength is Discord's limit on a custom ID.
const maxCustomIDLength = 100

var keyPattern = regexp.MustCompile(`^[0-9a-f]{8}$`)

var promptIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// customID is a parsed custom ID. Which fields mean something depends on Action.
type customID struct {
	Action  string
	ID      int64
	Prompt  string
	Subject int64
	Number  int
	Verdict conversations.Verdict
	Message int64
	Key     string
}

func (c customID) String() string {
	parts := []string{c.Action}
	for _, kind := range actions[c.Action].args {
		switch kind {
		case argID:
			parts = append(parts, strconv.FormatInt(c.ID, 10))
		case argPrompt:
			parts = append(parts, c.Prompt)
		case argSubject:
			parts = append(parts, strconv.FormatInt(c.Subject, 10))
		case argNumber, argFlag:
			parts = append(parts, strconv.Itoa(c.Number))
		case argVerdict:
			parts = append(parts, string(c.Verdict))
		case argMessage:
			parts = append(parts, strconv.FormatInt(c.Message, 10))
		case argKey:
			parts = append(parts, c.Key)
		}
	}
	return strings.Join(parts, ":")
}

// step returns the check-in step the ID names.
func (c customID) step() conversations.StepKey {
	return conversations.StepKey{PromptID: c.Prompt, SubjectID: c.Subject}
}

// knownVerdicts are the review answers a button can carry; a button from
// before the answers changed ("missed") is refused like any stale one.
var knownVerdicts = map[conversations.Verdict]bool{
	conversations.VerdictKept: true, conversations.VerdictPartly: true,
	conversations.VerdictNotThisWeek: true, conversations.VerdictCantSay: true,
}

// parseCustomID accepts exactly the IDs that String produces.
func parseCustomID(s string) (customID, error) {
	if len(s) > maxCustomIDLength {
		return customID{}, fmt.Errorf("custom id is %d bytes long", len(s))
	}
	parts := strings.Split(s, ":")
	act, ok := actions[parts[0]]
	kinds := act.args
	if !ok {
		return customID{}, fmt.Errorf("unknown action %q", parts[0])
	}
	if len(parts) != len(kinds)+1 {
		return customID{}, fmt.Errorf("action %s takes %d arguments, got %d", parts[0], len(kinds), len(parts)-1)
	}
	c := customID{Action: parts[0]}
	for i, kind := range kinds {
		arg := parts[i+1]
		var err error
		switch kind {
		case argID:
			c.ID, err = parseCanonicalInt(arg, 1)
		case argSubject:
			c.Subject, err = parseCanonicalInt(arg, 0)
		case argMessage:
			c.Message, err = parseCanonicalInt(arg, 0)
		case argNumber:
			var n int64
			n, err = parseCanonicalInt(arg, 0)
			if err == nil && n > 99 {
				err = fmt.Errorf("number %d out of range", n)
			}
			c.Number = int(n)
		case argFlag:
			var n int64
			n, err = parseCanonicalInt(arg, 0)
			if err == nil && n > 1 {
				err = fmt.Errorf("flag %d is neither 0 nor 1", n)
			}
			c.Number = int(n)
		case argKey:
			if !keyPattern.MatchString(arg) {
				err = fmt.Errorf("bad key %q", arg)
			}
			c.Key = arg
		case argPrompt:
			if !promptIDPattern.MatchString(arg) {
				err = fmt.Errorf("bad prompt id %q", arg)
			}
			c.Prompt = arg
		case argVerdict:
			c.Verdict = conversations.Verdict(arg)
			if !knownVerdicts[c.Verdict] {
				err = fmt.Errorf("bad verdict %q", arg)
			}
		}
		if err != nil {
			return customID{}, fmt.Errorf("argument %d of %s: %w", i+1, c.Action, err)
		}
	}
	return c, nil
}

// parseCanonicalInt reads a decimal written the one way String writes it, so
// that each ID has exactly one spelling.
func parseCanonicalInt(s string, min int64) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != s || n < min {
		return 0, fmt.Errorf("bad number %q", s)
	}
	return n, nil
}
