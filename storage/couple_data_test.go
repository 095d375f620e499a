package storage_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"mend/config"
	"mend/conversations"
	"mend/conversations/clocktest"
	"mend/internal/testkit"
	"mend/storage"
)

// notCoupleData lists the tables of the schema that hold nothing of any
// couple, and why. Every other table must lead to couples by foreign keys.
var notCoupleData = map[string]string{
	"sqlite_sequence":   "SQLite's own record of the last AUTOINCREMENT id per table",
	"pending_wipes":     "forgets whose words are still in the write-ahead log; it names no couple",
	"encryption":        "whether encryption at rest is on, for the whole file",
	"encryption_keys":   "the ids of the keys that sealed text in the file, for the whole file",
	"checkin_templates": "the templates check-ins opened with, the operator's questions, each text stored once for all the check-ins that share it; forget deletes those no check-in refers to any more",
	"invitation_blocks": "a person's \"Don't ask me again\" to another, two Discord IDs that outlive any couple; it holds nothing anyone wrote",
}

// pair is one couple of a world: users[0] invited users[1].
type pair struct {
	couple conversations.Couple
	users  [2]string
	// tag is in every text the couple wrote and in nothing of the other couple.
	tag string
	// secret is what users[1] wrote in the check-in that closed unrevealed.
	secret string
	// closed is that check-in; users[0] finished it and shared their answers.
	closed int64
}

// world is two couples on one database file, each with rows in every table.
type world struct {
	t     *testing.T
	ctx   context.Context
	path  string
	db    *storage.DB
	clock *clocktest.Clock
	app   *conversations.Mend
	a, b  *pair
	// keys is the keyring the store was opened with; nil for plain text.
	keys *storage.Keyring
}

func newWorld(t *testing.T) *world {
	t.Helper()
	return newWorldWith(t, nil)
}

// newWorldWith builds the world on a store opened with keys (nil: none).
func newWorldWith(t *testing.T, keys *storage.Keyring) *world {
	t.Helper()
	templates, err := conversations.NewTemplates(true)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{
		t:     t,
		ctx:   context.Background(),
		path:  filepath.Join(t.TempDir(), "mend.db"),
		clock: clocktest.New(t0),
		a:     &pair{users: [2]string{"alice", "bob"}, tag: "zebra", secret: "zebra-umbrella-secret"},
		b:     &pair{users: [2]string{"carol", "dave"}, tag: "quokka", secret: "quokka-lantern-secret"},
		keys:  keys,
	}
	w.db = MustOpenDBAt(t, w.path, storage.WithKeys(keys))
	t.Cleanup(w.close)
	w.app = conversations.New(w.db.Stores(), w.clock, templates, conversations.Settings{Library: builtinPacks(t)})
	w.populate()
	return w
}

// close closes the store, after which SQLite has folded the WAL into the file.
func (w *world) close() {
	if w.db != nil {
		MustCloseDB(w.t, w.db)
		w.db = nil
	}
}

func (w *world) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) runDue(check func(conversations.DueReport) bool) {
	w.t.Helper()
	r, err := w.app.Schedules.RunDue(w.ctx)
	w.must(err)
	if !check(r) {
		w.t.Fatalf("RunDue at %v: %+v", w.clock.Now(), r)
	}
}

// sendPosts marks every pending post sent, as the bot does once Discord has it.
func (w *world) sendPosts() {
	w.t.Helper()
	posts, err := w.app.Outbox.Pending(w.ctx, 100)
	w.must(err)
	for _, p := range posts {
		w.must(w.app.Outbox.Sent(w.ctx, p, fmt.Sprintf("message-%d", p.ID)))
	}
}

// answerSteps answers n steps of user (all when n < 0): the scale with 4,
// reviews with texts[prompt] as the verdict or else the best one, text with
// texts[prompt] or, for required
// prompts, a few words with the couple's tag; optional prompts without a
// text are skipped.
func (w *world) answerSteps(p *pair, checkInID int64, user string, texts map[string]string, n int) {
	w.t.Helper()
	step, err := w.app.Turns.Begin(w.ctx, partnerActor(w.t, w.db, checkInID, user), checkInID)
	w.must(err)
	for i := 0; !step.Done && i != n; i++ {
		it := step.Item
		var in conversations.AnswerInput
		text, given := texts[it.Prompt.ID]
		switch {
		case it.Prompt.Kind == conversations.KindScale:
			in.Scale = 4
		case it.Subject != nil && given:
			in.Verdict = conversations.Verdict(text)
		case it.Subject != nil:
			in.Verdict = conversations.Verdicts(it.Prompt.Kind)[0].Verdict
		case given:
			in.Text = text
		case it.Prompt.Optional:
			step, err = w.app.Turns.Skip(w.ctx, partnerActor(w.t, w.db, checkInID, user), checkInID, it.Key())
			w.must(err)
			continue
		default:
			in.Text = p.tag + ": " + user + " on " + it.Prompt.ID
		}
		step, err = w.app.Turns.Answer(w.ctx, partnerActor(w.t, w.db, checkInID, user), checkInID, it.Key(), in)
		w.must(err)
	}
	// A partner who answered everything sends, as after rereading; one
	// stopped part-way has not finished.
	if step.Done && n < 0 {
		_, err = w.app.Turns.Send(w.ctx, partnerActor(w.t, w.db, checkInID, user), checkInID)
		w.must(err)
	}
}

// populate gives both couples rows in every table: a schedule and its runs,
// a commitment falling due, a revealed check-in with acknowledgements of
// both kinds, a promise seen differently and talked about, and new
// commitments, and a check-in that closed unrevealed after a reminder,
// whose finished partner shared their answers; posts, sent and pending.
func (w *world) populate() {
	w.t.Helper()
	pairs := []*pair{w.a, w.b}
	for i, p := range pairs {
		inviter := conversations.Partner{UserID: p.users[0], Name: strings.ToUpper(p.users[0])}
		invitee := conversations.Partner{UserID: p.users[1], Name: strings.ToUpper(p.users[1])}
		c, err := w.app.Couples.Invite(w.ctx, conversations.Actor{UserID: inviter.UserID, GuildID: "g1"}, inviter.Name, invitee, "Europe/Berlin")
		w.must(err)
		p.couple, err = w.app.Couples.Accept(w.ctx, w.inGuild(c.ID, p.users[1]), c.ID, fmt.Sprintf("channel-%s-%d", p.tag, i))
		w.must(err)
		a, err := w.app.Agreements.Propose(w.ctx, w.actor(c.ID, p.users[0]), p.tag+": we are open about money")
		w.must(err)
		_, err = w.app.Agreements.AgreeTo(w.ctx, w.actor(c.ID, p.users[1]), a.ID, conversations.AgreementProposed)
		w.must(err)
		_, err = w.app.Boundaries.Set(w.ctx, w.actor(c.ID, p.users[1]), 0, p.tag+": I need a day's notice before plans with family")
		w.must(err)
		_, err = w.app.Commitments.Add(w.ctx, w.actor(c.ID, p.users[0]), p.tag+": call the bank together", "2025-03-11")
		w.must(err)
		s, err := conversations.NewWeeklySchedule(c.ID, conversations.WeeklyInput{Weekday: "Wednesday", Time: "20:00", TimeZone: "Europe/Berlin", EveryWeeks: 1}, w.clock.Now())
		w.must(err)
		_, err = w.app.Schedules.Set(w.ctx, w.actor(c.ID, p.users[0]), s)
		w.must(err)
	}

	// 23:30 UTC is 11 March in Berlin already: both commitments fall due.
	w.clock.Set(time.Date(2025, 3, 10, 23, 30, 0, 0, time.UTC))
	w.runDue(func(r conversations.DueReport) bool { return r.DueReminders == 2 })

	// Wednesday 12 March, 20:00 in Berlin: the first check-ins open.
	w.clock.Set(time.Date(2025, 3, 12, 19, 0, 0, 0, time.UTC))
	w.runDue(func(r conversations.DueReport) bool { return r.Opened == 2 })
	w.sendPosts()
	for _, p := range pairs {
		ci, err := w.app.CheckIns.Current(w.ctx, w.byFirst(p.couple.ID))
		w.must(err)
		w.answerSteps(p, ci.ID, p.users[0], map[string]string{"hurt": p.tag + ": the late text worried me", "responsibility": p.tag + ": I did not call"}, -1)
		w.answerSteps(p, ci.ID, p.users[1], map[string]string{"new-commitment": p.tag + ": phone away at dinner", "commitment-review": "not_this_week"}, -1)
		if got := w.mustCheckIn(ci.ID).Status; got != conversations.CheckInRevealed {
			w.t.Fatalf("first check-in of %s is %s, want revealed", p.tag, got)
		}
		by := partnerActor(w.t, w.db, ci.ID, p.users[1])
		_, err = w.app.CheckIns.Acknowledge(w.ctx, by, ci.ID, "hurt", 0)
		w.must(err)
		_, err = w.app.CheckIns.Acknowledge(w.ctx, by, ci.ID, "responsibility", 0)
		w.must(err)
		// users[0] felt the promise was kept, users[1] that it was not kept this week.
		_, err = w.app.CheckIns.MarkTalked(w.ctx, by, ci.ID, conversations.StepKey{PromptID: "commitment-review", SubjectID: w.mustCheckIn(ci.ID).Subjects[0].ID})
		w.must(err)
		w.talkThrough(ci.ID, by, partnerActor(w.t, w.db, ci.ID, p.users[0]), "hurt/hurt/0/"+p.users[0])
	}

	// A week later the second check-ins open; users[1] answers two steps.
	w.clock.Set(time.Date(2025, 3, 19, 19, 0, 0, 0, time.UTC))
	w.runDue(func(r conversations.DueReport) bool { return r.Opened == 2 })
	for _, p := range pairs {
		ci, err := w.app.CheckIns.Current(w.ctx, w.byFirst(p.couple.ID))
		w.must(err)
		p.closed = ci.ID
		w.answerSteps(p, ci.ID, p.users[0], nil, -1)
		w.answerSteps(p, ci.ID, p.users[1], map[string]string{"appreciation": p.secret}, 2)
	}
	w.clock.Advance(conversations.DefaultReminder)
	w.runDue(func(r conversations.DueReport) bool { return r.Reminded == 2 })
	w.clock.Advance(conversations.DefaultWindow - conversations.DefaultReminder)
	w.runDue(func(r conversations.DueReport) bool { return r.Closed == 2 })
	for _, p := range pairs {
		_, err := w.app.CheckIns.ShareAnyway(w.ctx, partnerActor(w.t, w.db, p.closed, p.users[0]), p.closed)
		w.must(err)
		_, err = w.app.CheckIns.AllowShare(w.ctx, partnerActor(w.t, w.db, p.closed, p.users[1]), p.closed)
		w.must(err)
	}
	w.clock.Advance(time.Hour)

	w.checkEveryTableIsFilled()
}

// talkThrough holds a whole guided talk about the reveal of checkInID:
// asker starts it, other joins, and the topic with the given key is
// talked through, with nothing to try at the end.
func (w *world) talkThrough(checkInID int64, asker, other conversations.Actor, topic string) {
	w.t.Helper()
	v, err := w.app.Talks.Start(w.ctx, asker, checkInID)
	w.must(err)
	id := v.Talk.ID
	steps := []func() (conversations.TalkView, error){
		func() (conversations.TalkView, error) { return w.app.Talks.Join(w.ctx, other, id) },
		func() (conversations.TalkView, error) { return w.app.Talks.Read(w.ctx, asker, id) },
		func() (conversations.TalkView, error) { return w.app.Talks.Read(w.ctx, other, id) },
		func() (conversations.TalkView, error) { return w.app.Talks.Choose(w.ctx, asker, id, topic) },
	}
	for _, step := range steps {
		_, err := step()
		w.must(err)
	}
	// Whoever raised the topic speaks first; then they swap.
	for range 2 {
		v, err := w.app.Talks.View(w.ctx, asker, id)
		w.must(err)
		speaker := asker
		if v.Speaker().UserID != asker.UserID {
			speaker = other
		}
		_, err = w.app.Talks.Heard(w.ctx, speaker, id)
		w.must(err)
		_, err = w.app.Talks.Swap(w.ctx, asker, id)
		w.must(err)
	}
	_, err = w.app.Talks.ToClosing(w.ctx, other, id)
	w.must(err)
	_, err = w.app.Talks.FinishWithNothing(w.ctx, other, id)
	w.must(err)
}

func (w *world) mustCheckIn(id int64) conversations.CheckIn {
	w.t.Helper()
	ci, err := w.db.CheckIns.CheckIn(w.ctx, id)
	w.must(err)
	return ci
}

// checkEveryTableIsFilled makes sure the world exercises the whole schema:
// a table with no rows could not show that export or forget misses it.
func (w *world) checkEveryTableIsFilled() {
	w.t.Helper()
	raw := mustRawDB(w.t, w.path)
	defer raw.Close()
	for table, where := range coupleWheres(w.t, raw) {
		for _, p := range []*pair{w.a, w.b} {
			if n := len(rowsWhere(w.t, raw, table, where, p.couple.ID)); n == 0 {
				w.t.Fatalf("table %s holds no row of couple %s: make the test world fill it", table, p.tag)
			}
		}
	}
}

// coupleWheres returns, for every table of the schema but notCoupleData, a
// condition on the couple id ?1 that selects the table's rows of that
// couple, found by following foreign keys from the table to couples. It
// reads the schema rather than storage.CoupleTables, so a table added later
// is checked whether or not it was added there.
func coupleWheres(t *testing.T, raw *sql.DB) map[string]string {
	t.Helper()
	tables := tableNames(t, raw)
	out := map[string]string{}
	for _, table := range tables {
		if _, ok := notCoupleData[table]; ok {
			continue
		}
		where, ok := ownedBy(t, raw, table, map[string]bool{})
		if !ok {
			t.Fatalf("table %s has no foreign key that leads to couples: if it holds a couple's data, export and forget must cover it; if not, list it in notCoupleData", table)
		}
		out[table] = where
	}
	return out
}

func tableNames(t *testing.T, raw *sql.DB) []string {
	t.Helper()
	rows, err := raw.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return names
}

// ownedBy builds the condition for one table: a row is the couple's if any
// of its foreign keys points at a row that is the couple's.
func ownedBy(t *testing.T, raw *sql.DB, table string, seen map[string]bool) (string, bool) {
	t.Helper()
	if table == "couples" {
		return "id = ?1", true
	}
	if seen[table] {
		return "", false
	}
	seen[table] = true
	rows, err := raw.Query(`SELECT id, "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq`, table)
	if err != nil {
		t.Fatal(err)
	}
	type key struct {
		parent   string
		from, to []string
	}
	var keys []*key
	byID := map[int]*key{}
	for rows.Next() {
		var id int
		var parent, from string
		var to sql.NullString
		if err := rows.Scan(&id, &parent, &from, &to); err != nil {
			t.Fatal(err)
		}
		if !to.Valid || to.String == "" {
			t.Fatalf("%s.%s refers to the primary key of %s without naming it; name the column", table, from, parent)
		}
		k := byID[id]
		if k == nil {
			k = &key{parent: parent}
			byID[id] = k
			keys = append(keys, k)
		}
		k.from, k.to = append(k.from, from), append(k.to, to.String)
	}
	rows.Close()
	var conds []string
	for _, k := range keys {
		parentWhere, ok := ownedBy(t, raw, k.parent, seen)
		if !ok {
			continue
		}
		conds = append(conds, fmt.Sprintf("(%s) IN (SELECT %s FROM %s WHERE %s)",
			strings.Join(k.from, ", "), strings.Join(k.to, ", "), k.parent, parentWhere))
	}
	if len(conds) == 0 {
		return "", false
	}
	return "(" + strings.Join(conds, " OR ") + ")", true
}

// rowsWhere reads rows as column name to value, the way an export holds them.
func rowsWhere(t *testing.T, raw *sql.DB, table, where string, args ...any) []map[string]any {
	t.Helper()
	rows, err := raw.Query(`SELECT * FROM `+table+` WHERE `+where, args...)
	if err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for rows.Next() {
		values := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range values {
			ptrs[i] = &values[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := map[string]any{}
		for i, c := range cols {
			if b, ok := values[i].([]byte); ok {
				values[i] = string(b)
			}
			row[c] = values[i]
		}
		out = append(out, row)
	}
	// A check-in's template is stored once for all the check-ins that share
	// it; the check-in holds it through template_hash, and an export holds
	// it where it always was, in template_json.
	for _, row := range out {
		if hash, ok := row["template_hash"].(string); ok {
			var text string
			if err := raw.QueryRow(`SELECT json FROM checkin_templates WHERE hash = ?`, hash).Scan(&text); err != nil {
				t.Fatalf("template %s: %v", hash, err)
			}
			row["template_json"] = text
		}
		delete(row, "template_hash")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// canonical turns rows into sorted JSON lines, to compare them in any order.
func canonical(t *testing.T, rows []map[string]any) []string {
	t.Helper()
	out := []string{}
	for _, r := range rows {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	slices.Sort(out)
	return out
}

// snapshot holds the rows of one couple in every table, as canonical lines.
type snapshot map[string][]string

func (w *world) snapshot(raw *sql.DB, wheres map[string]string, coupleID int64) snapshot {
	w.t.Helper()
	s := snapshot{}
	for table, where := range wheres {
		s[table] = canonical(w.t, rowsWhere(w.t, raw, table, where, coupleID))
	}
	return s
}

// wantExport compares an export with the rows expected, table by table.
func wantExport(t *testing.T, tables map[string][]map[string]any, want snapshot) {
	t.Helper()
	for table := range tables {
		if _, ok := want[table]; !ok {
			t.Errorf("the export has a table %s that the schema does not", table)
		}
	}
	for table, rows := range want {
		got, ok := tables[table]
		if !ok {
			t.Errorf("table %s is missing from the export (%d rows of the couple)", table, len(rows))
			continue
		}
		if g := canonical(t, got); !slices.Equal(g, rows) {
			t.Errorf("table %s: export has %d rows, the database %d:\nexport   %s\ndatabase %s", table, len(g), len(rows), strings.Join(g, "\n         "), strings.Join(rows, "\n         "))
		}
	}
}

func TestCoupleTablesCoverTheSchema(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mend.db")
	MustCloseDB(t, MustOpenDBAt(t, path))
	raw := mustRawDB(t, path)
	defer raw.Close()

	var fromSchema []string
	for table := range coupleWheres(t, raw) {
		fromSchema = append(fromSchema, table)
	}
	listed := storage.CoupleTables()

	slices.Sort(fromSchema)
	slices.Sort(listed)
	if !slices.Equal(listed, fromSchema) {
		t.Errorf("storage.CoupleTables() = %v\nthe schema's tables of a couple = %v", listed, fromSchema)
	}
}

func TestExportHoldsEveryRowOfTheCouple(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	raw := mustRawDB(t, w.path)
	defer raw.Close()
	// Bob sees all of it: his own answers, alice's shared ones, and the
	// revealed check-in; but not alice's review of his promise in the
	// check-in she shared, which the share left out.
	want := w.snapshot(raw, coupleWheres(t, raw), w.a.couple.ID)
	var bobsPromise any
	for _, c := range rowsWhere(t, raw, "commitments", "couple_id = ?", w.a.couple.ID) {
		if c["owner_id"] == "bob" {
			bobsPromise = c["id"]
		}
	}
	var answers []map[string]any
	for _, row := range rowsWhere(t, raw, "answers", "checkin_id IN (SELECT id FROM checkins WHERE couple_id = ?)", w.a.couple.ID) {
		if row["checkin_id"] == w.a.closed && row["user_id"] == "alice" && row["prompt_id"] == "commitment-review" && row["subject_id"] == bobsPromise {
			continue
		}
		answers = append(answers, row)
	}
	if len(answers) != len(want["answers"])-1 {
		t.Fatalf("%d answers of %d are alice's review of bob's promise in the shared check-in, want 1", len(want["answers"])-len(answers), len(want["answers"]))
	}
	want["answers"] = canonical(t, answers)

	export, err := w.db.Records.ExportCouple(w.ctx, w.a.couple.ID, "bob")
	if err != nil {
		t.Fatal(err)
	}

	wantExport(t, export, want)
}

func TestExportLeavesOutThePartnersUnrevealedAnswers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	raw := mustRawDB(t, w.path)
	defer raw.Close()
	want := w.snapshot(raw, coupleWheres(t, raw), w.a.couple.ID)
	// Everything but bob's answers to the check-in that closed unrevealed.
	var answers []map[string]any
	for _, row := range rowsWhere(t, raw, "answers", "checkin_id IN (SELECT id FROM checkins WHERE couple_id = ?)", w.a.couple.ID) {
		if row["checkin_id"] == w.a.closed && row["user_id"] == "bob" {
			continue
		}
		answers = append(answers, row)
	}
	if len(answers) == len(want["answers"]) {
		t.Fatal("bob has no unrevealed answers to leave out")
	}
	want["answers"] = canonical(t, answers)

	export, err := w.db.Records.ExportCouple(w.ctx, w.a.couple.ID, "alice")
	if err != nil {
		t.Fatal(err)
	}

	wantExport(t, export, want)
	if data, _ := json.Marshal(export); bytes.Contains(data, []byte(w.a.secret)) {
		t.Errorf("alice's export holds bob's unrevealed words %q", w.a.secret)
	}
}

func TestExportOfBobHoldsHisUnrevealedAnswers(t *testing.T) {
	t.Parallel()
	w := newWorld(t)

	export, err := w.db.Records.ExportCouple(w.ctx, w.a.couple.ID, "bob")
	if err != nil {
		t.Fatal(err)
	}

	data, err := json.Marshal(export)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(w.a.secret)) {
		t.Errorf("bob's export lacks his own unrevealed words %q", w.a.secret)
	}
}

func TestExportHoldsNothingOfAnotherCouple(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	raw := mustRawDB(t, w.path)
	defer raw.Close()
	ids := func(query string) map[int64]bool {
		out := map[int64]bool{}
		rows, err := raw.Query(query, w.b.couple.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out[id] = true
		}
		return out
	}
	theirs := struct{ couple, checkIns, commitments, agreements, posts map[int64]bool }{
		couple:      map[int64]bool{w.b.couple.ID: true},
		checkIns:    ids(`SELECT id FROM checkins WHERE couple_id = ?`),
		commitments: ids(`SELECT id FROM commitments WHERE couple_id = ?`),
		agreements:  ids(`SELECT id FROM agreements WHERE couple_id = ?`),
		posts:       ids(`SELECT id FROM posts WHERE couple_id = ?`),
	}
	export, err := w.db.Records.ExportCouple(w.ctx, w.a.couple.ID, "bob")
	if err != nil {
		t.Fatal(err)
	}
	// A subject id is a commitment's or an agreement's, as the check-in's
	// subjects say.
	subjectKinds := map[string]any{}
	for _, s := range export["checkin_subjects"] {
		subjectKinds[fmt.Sprint(s["checkin_id"], s["prompt_id"], s["subject_id"])] = s["kind"]
	}
	// forbidden says which of the other couple's ids a column may not hold.
	forbidden := func(table, column string, row map[string]any) map[int64]bool {
		switch column {
		case "couple_id":
			return theirs.couple
		case "checkin_id", "source_checkin_id":
			return theirs.checkIns
		case "commitment_id":
			return theirs.commitments
		case "subject_id":
			kind := row["kind"]
			if table == "answers" || table == "talks" {
				kind = subjectKinds[fmt.Sprint(row["checkin_id"], row["prompt_id"], row["subject_id"])]
			}
			switch kind {
			case string(conversations.SubjectCommitment):
				return theirs.commitments
			case string(conversations.SubjectAgreement):
				return theirs.agreements
			}
			if row["subject_id"] != int64(0) {
				t.Errorf("%s: subject %v is in none of the check-in's subjects", table, row["subject_id"])
			}
			return nil
		case "id":
			return map[string]map[int64]bool{"couples": theirs.couple, "checkins": theirs.checkIns, "commitments": theirs.commitments, "agreements": theirs.agreements, "posts": theirs.posts}[table]
		}
		return nil
	}

	for table, rows := range export {
		for _, row := range rows {
			for column, v := range row {
				if id, ok := v.(int64); ok && forbidden(table, column, row)[id] {
					t.Errorf("%s.%s = %d, an id of the other couple", table, column, id)
				}
				if s, ok := v.(string); ok {
					lower := strings.ToLower(s)
					for _, word := range []string{w.b.tag, w.b.users[0], w.b.users[1]} {
						if strings.Contains(lower, word) {
							t.Errorf("%s.%s = %q, which is the other couple's", table, column, s)
						}
					}
				}
			}
		}
	}
}

func TestServiceExportRoundTripsThroughJSON(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	stored, err := w.db.Records.ExportCouple(w.ctx, w.a.couple.ID, "alice")
	if err != nil {
		t.Fatal(err)
	}

	export, err := w.app.Records.Export(w.ctx, w.actor(w.a.couple.ID, "alice"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(export)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var back conversations.Export
	if err := dec.Decode(&back); err != nil {
		t.Fatal(err)
	}

	if export.Schema != "mend-export/1" || !bytes.Contains(data, []byte(`"schema":"mend-export/1"`)) {
		t.Errorf("schema = %q, want mend-export/1 in the JSON", export.Schema)
	}
	if back.Schema != export.Schema || back.ExportedFor != "alice" || !back.ExportedAt.Equal(w.clock.Now()) {
		t.Errorf("read back: schema %q, for %q, at %v; want %q, alice, %v", back.Schema, back.ExportedFor, back.ExportedAt, export.Schema, w.clock.Now())
	}
	mustEqual(t, "the service's export against the store's", export.Tables, stored)
	again, err := json.Marshal(back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, data) {
		t.Errorf("JSON read back and written again differs:\n%s\n%s", again, data)
	}
	for table, rows := range stored {
		if len(back.Tables[table]) != len(rows) {
			t.Errorf("table %s: %d rows read back, %d exported", table, len(back.Tables[table]), len(rows))
		}
	}
}

func TestServiceForgetCountsWhatItDeletes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	raw := mustRawDB(t, w.path)
	want := map[string]int{}
	for table, where := range coupleWheres(t, raw) {
		want[table] = len(rowsWhere(t, raw, table, where, w.a.couple.ID))
	}
	raw.Close()

	forgotten, err := w.app.Records.Forget(w.ctx, w.actor(w.a.couple.ID, "alice"), w.a.couple.ID)
	if err != nil {
		t.Fatal(err)
	}

	mustEqual(t, "rows deleted by table", forgotten.Rows, want)
}

func TestServiceForgetDeletesEveryRowOfTheCoupleAndNoOther(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	raw := mustRawDB(t, w.path)
	wheres := coupleWheres(t, raw)
	theirs := w.snapshot(raw, wheres, w.b.couple.ID)
	ours := w.snapshot(raw, wheres, w.a.couple.ID)
	for table := range wheres {
		all := rowsWhere(t, raw, table, "1")
		if len(all) != len(ours[table])+len(theirs[table]) {
			t.Fatalf("table %s: %d rows, of which %d are alice and bob's and %d carol and dave's", table, len(all), len(ours[table]), len(theirs[table]))
		}
	}
	raw.Close()

	if _, err := w.app.Records.Forget(w.ctx, w.actor(w.a.couple.ID, "bob"), w.a.couple.ID); err != nil {
		t.Fatal(err)
	}
	w.close()

	fresh, err := sql.Open("sqlite3", w.path)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	// Only carol and dave were left in the world, so every row left must be
	// one of theirs, as it was: a row of alice and bob's left behind, even
	// one whose parent is gone, shows up here.
	for table := range wheres {
		if got := canonical(t, rowsWhere(t, fresh, table, "1")); !slices.Equal(got, theirs[table]) {
			t.Errorf("table %s after forgetting alice and bob:\n%s\nwant carol and dave's rows only:\n%s", table, strings.Join(got, "\n"), strings.Join(theirs[table], "\n"))
		}
	}
	if n := len(rowsWhere(t, fresh, "pragma_foreign_key_check", "1")); n != 0 {
		t.Errorf("%d rows point at rows that are gone", n)
	}
}

func TestServiceForgetIsRefusedToAStranger(t *testing.T) {
	t.Parallel()
	w := newWorld(t)

	_, err := w.app.Records.Forget(w.ctx, w.actor(w.a.couple.ID, "carol"), w.a.couple.ID)

	wantCode(t, err, conversations.EUNAUTHORIZED)
	if _, err := w.db.Couples.Couple(w.ctx, w.a.couple.ID); err != nil {
		t.Errorf("alice and bob after a refused forget: %v", err)
	}
}

// fileHolds reports whether the database file or its WAL holds text.
func fileHolds(t *testing.T, path, text string) bool {
	t.Helper()
	for _, name := range []string{path, path + "-wal"} {
		data, err := os.ReadFile(name)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte(text)) {
			return true
		}
	}
	return false
}

// worldModes are the two ways a world keeps what partners wrote: forgetting
// must leave no trace in either.
var worldModes = []struct {
	name string
	keys func(tb testing.TB) *storage.Keyring
}{
	{"plain", func(testing.TB) *storage.Keyring { return nil }},
	{"encrypted", func(tb testing.TB) *storage.Keyring { return mustKeyring(tb, storage.GenerateKey()) }},
}

// storedSecret is p.secret as the file holds it: the words, or their sealed
// form.
func (w *world) storedSecret(p *pair) string {
	w.t.Helper()
	raw := mustRawDB(w.t, w.path)
	defer raw.Close()
	var stored any
	err := raw.QueryRow(`SELECT text FROM answers WHERE checkin_id = ? AND user_id = ? AND prompt_id = 'appreciation'`, p.closed, p.users[1]).Scan(&stored)
	if err != nil {
		w.t.Fatal(err)
	}
	switch v := stored.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	w.t.Fatalf("the secret is stored as %T", stored)
	return ""
}

// traces are what would show that the couple's words are still on disk: the
// words, and every value of theirs as stored (sealed, when encrypted: with
// the key, a sealed value left behind is the words).
func (w *world) traces(p *pair) []string {
	w.t.Helper()
	raw := mustRawDB(w.t, w.path)
	defer raw.Close()
	out := []string{p.secret, p.tag}
	wheres := coupleWheres(w.t, raw)
	for _, c := range []struct{ table, column string }{
		{"answers", "text"}, {"answers", "note"}, {"commitments", "text"}, {"agreements", "text"}, {"checkin_subjects", "text"},
	} {
		for _, row := range rowsWhere(w.t, raw, c.table, wheres[c.table]+` AND `+c.column+` IS NOT NULL`, p.couple.ID) {
			out = append(out, row[c.column].(string))
		}
	}
	return out
}

// wantNoTrace fails for every trace of the couple the file or its WAL holds.
func (w *world) wantNoTrace(traces []string, when string) {
	w.t.Helper()
	for _, trace := range traces {
		if fileHolds(w.t, w.path, trace) {
			w.t.Errorf("the database file or its WAL still holds %q %s", trace, when)
		}
	}
}

// wantWordsSealed fails if the words of either couple are on disk in the
// clear while the world is encrypted.
func (w *world) wantWordsSealed() {
	w.t.Helper()
	if w.keys == nil {
		return
	}
	for _, p := range []*pair{w.a, w.b} {
		if fileHolds(w.t, w.path, p.secret) {
			w.t.Fatalf("the encrypted database holds %q in the clear", p.secret)
		}
	}
}

func TestForgottenWordsAreNotInTheFileAfterClosing(t *testing.T) {
	t.Parallel()
	for _, mode := range worldModes {
		t.Run(mode.name, func(t *testing.T) {
			w := newWorldWith(t, mode.keys(t))
			w.wantWordsSealed()
			traces, other := w.traces(w.a), w.storedSecret(w.b)
			if !fileHolds(t, w.path, w.storedSecret(w.a)) {
				t.Fatalf("the file does not hold %q before forgetting: the search cannot see answers", w.storedSecret(w.a))
			}

			if _, err := w.app.Records.Forget(w.ctx, w.actor(w.a.couple.ID, "alice"), w.a.couple.ID); err != nil {
				t.Fatal(err)
			}
			w.close()

			w.wantNoTrace(traces, "after forgetting the couple")
			if !fileHolds(t, w.path, other) {
				t.Errorf("the database file lost the other couple's %q", other)
			}
		})
	}
}

// ForgetCouple folds the WAL into the file and empties it: what was forgotten
// is gone from the disk at once, not when Mend next stops.
func TestForgottenWordsAreNotInTheFileWhileItIsOpen(t *testing.T) {
	t.Parallel()
	for _, mode := range worldModes {
		t.Run(mode.name, func(t *testing.T) {
			w := newWorldWith(t, mode.keys(t))
			traces, other := w.traces(w.a), w.storedSecret(w.b)

			forgotten, err := w.app.Records.Forget(w.ctx, w.actor(w.a.couple.ID, "alice"), w.a.couple.ID)
			if err != nil {
				t.Fatal(err)
			}

			if !forgotten.Wiped {
				t.Error("Forget says the copy on disk is not wiped yet, with no other reader of the file")
			}
			w.wantNoTrace(traces, "right after forgetting the couple")
			if !fileHolds(t, w.path, other) {
				t.Errorf("the database file lost the other couple's %q", other)
			}
		})
	}
}

// holdSnapshot opens the file as another program would (a console, the
// sqlite3 shell, a backup) and keeps a read transaction open on it, which
// keeps the write-ahead log from being emptied. release ends it.
func holdSnapshot(t *testing.T, path string) (release func()) {
	t.Helper()
	raw := mustRawDB(t, path)
	tx, err := raw.Begin()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tx.QueryRow(`SELECT COUNT(*) FROM answers`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	released := false
	release = func() {
		if released {
			return
		}
		released = true
		if err := tx.Rollback(); err != nil {
			t.Error(err)
		}
		if err := raw.Close(); err != nil {
			t.Error(err)
		}
	}
	t.Cleanup(release)
	return release
}

// While another reader holds a snapshot, the checkpoint that empties the
// WAL cannot finish. Forget must neither wait for it (holding every writer)
// nor claim the words are gone from disk; the scheduler wipes them once the
// reader lets go.
func TestForgetWhileAnotherProgramReadsTheFileIsWipedOnceItLetsGo(t *testing.T) {
	t.Parallel()
	for _, mode := range worldModes {
		t.Run(mode.name, func(t *testing.T) {
			w := newWorldWith(t, mode.keys(t))
			traces, secret, other := w.traces(w.a), w.storedSecret(w.a), w.storedSecret(w.b)
			release := holdSnapshot(t, w.path)

			forgotten, err := w.app.Records.Forget(w.ctx, w.actor(w.a.couple.ID, "alice"), w.a.couple.ID)
			if err != nil {
				t.Fatal(err)
			}

			if forgotten.Wiped {
				t.Fatal("Forget says the words are wiped from disk while another program holds a snapshot of them")
			}
			if !fileHolds(t, w.path, secret) {
				t.Fatalf("the file no longer holds %q while a snapshot of it is held: this test does not see the WAL", secret)
			}
			w.runDue(func(r conversations.DueReport) bool { return r.WipePending })

			release()
			w.runDue(func(r conversations.DueReport) bool { return !r.WipePending })

			w.wantNoTrace(traces, "after the reader let go and the scheduler ran")
			if !fileHolds(t, w.path, other) {
				t.Errorf("the database file lost the other couple's %q", other)
			}
		})
	}
}

// The pending wipe is stored with the delete, so Mend stopping before the
// reader lets go does not leave the words on disk for good.
func TestAWipeLeftPendingIsFinishedAfterARestart(t *testing.T) {
	t.Parallel()
	for _, mode := range worldModes {
		t.Run(mode.name, func(t *testing.T) {
			w := newWorldWith(t, mode.keys(t))
			traces := w.traces(w.a)
			release := holdSnapshot(t, w.path)
			if forgotten, err := w.app.Records.Forget(w.ctx, w.actor(w.a.couple.ID, "alice"), w.a.couple.ID); err != nil || forgotten.Wiped {
				t.Fatalf("Forget with a reader holding a snapshot = %+v, %v; want it pending", forgotten, err)
			}
			w.close()
			release()

			db := MustOpenDBAt(t, w.path, storage.WithKeys(w.keys))
			defer MustCloseDB(t, db)
			pending, err := db.Records.FinishWipes(w.ctx)
			if err != nil {
				t.Fatal(err)
			}

			if pending {
				t.Error("FinishWipes says a wipe is still pending with no other reader left")
			}
			w.wantNoTrace(traces, "after the restart finished the wipe")
		})
	}
}

func TestFinishWipesWithNothingPendingSaysSo(t *testing.T) {
	t.Parallel()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)

	pending, err := db.Records.FinishWipes(context.Background())

	if err != nil || pending {
		t.Fatalf("FinishWipes on a fresh database = %v, %v; want false, nil", pending, err)
	}
}

func TestForgetOfAnUnknownCoupleIsNotFound(t *testing.T) {
	t.Parallel()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)

	_, err := db.Records.ForgetCouple(context.Background(), 404)

	wantCode(t, err, conversations.ENOTFOUND)
}

// --- the store's lists and changes ---

func TestDeleteAnswersOfKeepsThePartnersAnswersInAnotherCouple(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	// alice is in a couple on two servers.
	here := mustCreateCouple(t, db, "g1", "alice", "bob")
	there := mustCreateCouple(t, db, "g2", "alice", "carol")
	ciHere := mustOpenCheckIn(t, db, here, t0)
	ciThere := mustOpenCheckIn(t, db, there, t0)
	for _, a := range []struct {
		ci   int64
		user string
	}{{ciHere.ID, "alice"}, {ciHere.ID, "bob"}, {ciThere.ID, "alice"}, {ciThere.ID, "carol"}} {
		mustSaveAnswer(t, db, a.ci, a.user, "trust", 0, t0)
		mustSaveAnswer(t, db, a.ci, a.user, "need", 0, t0)
	}

	n, err := db.Records.DeleteAnswersOf(ctx, here.ID, "alice")
	if err != nil {
		t.Fatal(err)
	}

	if n != 2 {
		t.Errorf("deleted %d answers, want alice's 2 here", n)
	}
	left := map[int64]string{}
	for _, ci := range []int64{ciHere.ID, ciThere.ID} {
		answers, err := db.Answers.Answers(ctx, ci)
		if err != nil {
			t.Fatal(err)
		}
		var users []string
		for _, a := range answers {
			users = append(users, a.UserID)
		}
		slices.Sort(users)
		left[ci] = strings.Join(users, " ")
	}
	if left[ciHere.ID] != "bob bob" || left[ciThere.ID] != "alice alice carol carol" {
		t.Errorf("answers left = here %q, there %q; want bob's here and all there", left[ciHere.ID], left[ciThere.ID])
	}
}

func TestCheckInsAreNewestFirstUpToTheLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	other := mustCreateCouple(t, db, "g1", "carol", "dave")
	var ids []int64
	for i := range 3 {
		ci := mustOpenCheckIn(t, db, c, t0.Add(time.Duration(i)*conversations.DefaultWindow))
		ids = append(ids, ci.ID)
		mustOpenCheckIn(t, db, other, t0.Add(time.Duration(i)*conversations.DefaultWindow))
	}

	all, err := db.CheckIns.CheckIns(ctx, c.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	two, err := db.CheckIns.CheckIns(ctx, c.ID, 2)
	if err != nil {
		t.Fatal(err)
	}

	idsOf := func(cis []conversations.CheckIn) []int64 {
		var out []int64
		for _, ci := range cis {
			out = append(out, ci.ID)
		}
		return out
	}
	if got, want := idsOf(all), []int64{ids[2], ids[1], ids[0]}; !slices.Equal(got, want) {
		t.Errorf("check-ins = %v, want %v", got, want)
	}
	if got, want := idsOf(two), []int64{ids[2], ids[1]}; !slices.Equal(got, want) {
		t.Errorf("two check-ins = %v, want %v", got, want)
	}
}

func TestCloseCommitmentClosesOnlyAnOpenOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	cm := mustAddCommitment(t, db, c.ID, "alice", "home by 7 pm")
	at := t0.Add(time.Hour)

	if err := db.Commitments.CloseCommitment(ctx, cm.ID, conversations.CommitmentDone, at); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.Commitments.CloseCommitment(ctx, cm.ID, conversations.CommitmentDropped, at.Add(time.Hour)), conversations.ENOTFOUND)
	wantCode(t, db.Commitments.CloseCommitment(ctx, cm.ID+100, conversations.CommitmentDone, at), conversations.ENOTFOUND)

	all, err := db.Commitments.Commitments(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].Status != conversations.CommitmentDone || !all[0].ClosedAt.Equal(at) {
		t.Errorf("commitments = %+v, want the one, done at %v", all, at)
	}
}

func TestUpdateAgreementMovesItOnlyFromTheStatusGiven(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := MustOpenDB(t)
	defer MustCloseDB(t, db)
	c := mustCreateCouple(t, db, "g1", "alice", "bob")
	a := mustAddAgreement(t, db, c.ID, "we are open about money")
	at := t0.Add(time.Hour)

	retiring := a
	retiring.Status, retiring.RetireBy, retiring.RetireProposedAt = conversations.AgreementRetiring, "bob", at
	if err := db.Agreements.UpdateAgreement(ctx, retiring, conversations.AgreementActive); err != nil {
		t.Fatal(err)
	}
	retired := retiring
	retired.Status, retired.RetiredAt = conversations.AgreementRetired, at
	// The partner who answered second finds it moved on.
	wantCode(t, db.Agreements.UpdateAgreement(ctx, retired, conversations.AgreementActive), conversations.ECONFLICT)
	missing := retired
	missing.ID = 404
	wantCode(t, db.Agreements.UpdateAgreement(ctx, missing, conversations.AgreementRetiring), conversations.ENOTFOUND)

	all, err := db.Agreements.Agreements(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0] != retiring {
		t.Errorf("agreements = %+v, want %+v", all, retiring)
	}
	active, err := db.Agreements.ActiveAgreements(ctx, c.ID)
	if err != nil || len(active) != 1 {
		t.Errorf("agreements in force = %+v, %v; want the retiring one", active, err)
	}
}

// actor is userID acting from the own channel of the couple with coupleID.
func (w *world) actor(coupleID int64, userID string) conversations.Actor {
	w.t.Helper()
	return actorOf(w.t, w.db, coupleID, userID)
}

// inGuild is userID acting in the guild of the couple with coupleID.
func (w *world) inGuild(coupleID int64, userID string) conversations.Actor {
	w.t.Helper()
	return testkit.InGuild(w.t, w.db.Couples, coupleID, userID)
}

// byFirst is the inviting partner of the couple with coupleID, acting from
// the couple's channel.
func (w *world) byFirst(coupleID int64) conversations.Actor {
	w.t.Helper()
	return testkit.FirstPartner(w.t, w.db.Couples, coupleID)
}

// builtinPacks is the library a config that says nothing of packs has: the
// built-in packs and plan.
func builtinPacks(tb testing.TB) *conversations.Library {
	tb.Helper()
	l, err := config.BuiltinLibrary()
	if err != nil {
		tb.Fatalf("the built-in packs: %v", err)
	}
	return l
}
