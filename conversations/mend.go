package conversations

import "time"

// DefaultWindow is how long a check-in stays open for answers.
const DefaultWindow = 48 * time.Hour

// DefaultReminder is when a partner who has not finished is reminded.
const DefaultReminder = 24 * time.Hour

// Settings are what an operator may change about how Mend runs. A zero field
// means today's default, so Settings{} is Mend as it ships.
type Settings struct {
	// Window is how long a check-in stays open; 0 means DefaultWindow.
	Window time.Duration
	// DefaultTemplate is used when a check-in is opened without naming one;
	// "" means RebuildingTrustID.
	DefaultTemplate string
	// Grace is how late a scheduled run may still open after downtime; 0
	// means DefaultGrace, and a negative value none at all.
	Grace time.Duration
	// Reminders are offsets from a check-in's opening at which a partner who
	// has not finished is reminded. Nil means one at DefaultReminder; an
	// empty, non-nil slice means no reminders.
	Reminders []time.Duration
	// Announce queues the channel posts that welcome a new couple and
	// announce a check-in opened by hand. The Discord adapter sets it; the
	// console, which has no channel, does not.
	Announce bool
	// MaxOpenCommitments is how many open commitments one partner may have;
	// 0 means DefaultMaxOpenCommitments, and a negative value no limit.
	MaxOpenCommitments int
	// InvitationExpiry is how long an invitation waits for an answer; 0
	// means DefaultInvitationExpiry.
	InvitationExpiry time.Duration
	// SafetyCheckEvery: both partners are asked the private safety check in
	// their couple's first check-in and then in every SafetyCheckEvery-th;
	// 0 means DefaultSafetyCheckEvery.
	SafetyCheckEvery int
	// Library holds the packs questions of the week come from; nil means
	// none, and check-ins go without a question of the week. The built-in
	// packs are files the config package reads.
	Library *Library
	// TalkBreak is how long "We need a break" pauses a guided talk; 0 means
	// DefaultTalkBreak.
	TalkBreak time.Duration
	// TalkExpiry is how long a guided talk stays open before it ends by
	// itself; 0 means DefaultTalkExpiry.
	TalkExpiry time.Duration
	// EncryptedAtRest says whether the store encrypts what partners write;
	// the consent text tells them which, since it decides who can read it.
	EncryptedAtRest bool
}

// withDefaults fills the zero fields with today's defaults and turns the
// "none" values into the zero the rules work with.
func (st Settings) withDefaults() Settings {
	if st.Window <= 0 {
		st.Window = DefaultWindow
	}
	if st.DefaultTemplate == "" {
		st.DefaultTemplate = RebuildingTrustID
	}
	switch {
	case st.Grace == 0:
		st.Grace = DefaultGrace
	case st.Grace < 0:
		st.Grace = 0
	}
	if st.Reminders == nil {
		st.Reminders = []time.Duration{DefaultReminder}
	}
	switch {
	case st.MaxOpenCommitments == 0:
		st.MaxOpenCommitments = DefaultMaxOpenCommitments
	case st.MaxOpenCommitments < 0:
		st.MaxOpenCommitments = 0
	}
	if st.InvitationExpiry <= 0 {
		st.InvitationExpiry = DefaultInvitationExpiry
	}
	if st.SafetyCheckEvery <= 0 {
		st.SafetyCheckEvery = DefaultSafetyCheckEvery
	}
	if st.TalkBreak <= 0 {
		st.TalkBreak = DefaultTalkBreak
	}
	if st.TalkExpiry <= 0 {
		st.TalkExpiry = DefaultTalkExpiry
	}
	if st.Library == nil {
		st.Library = &Library{} // no packs: check-ins go without a question of the week
	}
	return st
}

// Mend is the domain, one value per aggregate. Every aggregate shares one
// core (the stores, the clock, the templates and the settings), so what one
// changes the others see at once.
type Mend struct {
	Couples     *Couples
	CheckIns    *CheckIns
	Turns       *Turns
	Commitments *Commitments
	Agreements  *Agreements
	Boundaries  *Boundaries
	Schedules   *Schedules
	Outbox      *Outbox
	Records     *Records
	GuidedPath  *GuidedPath
	Talks       *Talks

	core *core
}

// New returns the domain on stores, with settings' zero fields at their
// defaults.
func New(stores Stores, clock Clock, templates *Templates, settings Settings) *Mend {
	c := &core{stores: stores, clock: clock, templates: templates, settings: settings.withDefaults()}
	commitments, agreements := &Commitments{c}, &Agreements{c}
	talks := &Talks{core: c, commitments: commitments, agreements: agreements}
	return &Mend{
		Couples:     &Couples{c},
		CheckIns:    &CheckIns{c},
		Turns:       &Turns{c},
		Commitments: commitments,
		Agreements:  agreements,
		Boundaries:  &Boundaries{c},
		Schedules:   &Schedules{core: c, talks: talks},
		Outbox:      &Outbox{c},
		Records:     &Records{c},
		GuidedPath:  &GuidedPath{c},
		Talks:       talks,
		core:        c,
	}
}

// Templates returns the templates check-ins are opened from.
func (m *Mend) Templates() *Templates { return m.core.templates }

// Now returns the domain's clock reading.
func (m *Mend) Now() time.Time { return m.core.clock.Now() }

// Settings returns the settings in force, defaults filled in.
func (m *Mend) Settings() Settings { return m.core.settings }
