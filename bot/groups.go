package bot

import (
	"context"

	"mend/conversations"
)

// groups are the handlers the routes are bound to, one group per aggregate
// of the domain, each holding only the aggregates it calls.
type groups struct {
	couples     *coupleHandlers
	checkIns    *checkInHandlers
	turns       *turnHandlers
	commitments *commitmentHandlers
	agreements  *agreementHandlers
	boundaries  *boundaryHandlers
	schedules   *scheduleHandlers
	records     *recordHandlers
	path        *pathHandlers
	talks       *talkHandlers
	// help needs nothing but the safety note it shows.
	help handler
}

// newGroups makes every handler group, sharing s.
func newGroups(app *conversations.Mend, cfg Config, s *shared, wakeScheduler func()) *groups {
	return &groups{
		couples:     &coupleHandlers{shared: s, couples: app.Couples, timeZone: cfg.TimeZone, categoryID: cfg.CategoryID},
		checkIns:    &checkInHandlers{shared: s, couples: app.Couples, checkIns: app.CheckIns},
		turns:       &turnHandlers{shared: s, turns: app.Turns, drafts: &drafts{}, safety: cfg.Safety},
		commitments: &commitmentHandlers{shared: s, couples: app.Couples, commitments: app.Commitments, agreements: app.Agreements},
		agreements:  &agreementHandlers{shared: s, couples: app.Couples, agreements: app.Agreements},
		boundaries:  &boundaryHandlers{shared: s, couples: app.Couples, boundaries: app.Boundaries},
		schedules:   &scheduleHandlers{shared: s, couples: app.Couples, schedules: app.Schedules, templates: app.Templates(), wakeScheduler: wakeScheduler},
		records:     &recordHandlers{shared: s, couples: app.Couples, records: app.Records, copiesKept: cfg.CopiesKept},
		path:        &pathHandlers{shared: s, path: app.GuidedPath},
		talks:       &talkHandlers{shared: s, talks: app.Talks, checkIns: app.CheckIns},
		help: func(ctx context.Context, it *interaction) error {
			return it.reply(helpMessage(cfg.Safety))
		},
	}
}
