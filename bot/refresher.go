package bot

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"mend/conversations"
)

// maxRefreshFailures is how many edits in a row may fail before the
// refresher gives up on a message until the next change.
const maxRefreshFailures = 6

// refresher keeps each check-in's channel message in step with the
// database. Requests for one check-in are serialized and coalesced: while
// one edit runs, more requests only mark the check-in dirty, and the worker
// reads the state again when it is done. So the last edit always shows the
// latest state, however the partners' changes interleave.
type refresher struct {
	outbox  *conversations.Outbox
	session *discordgo.Session
	log     *slog.Logger
	lost    lostChannels
	// life ends when the bot is done; edits run under it, beyond the
	// interaction or post that asked for them.
	life context.Context

	mu      sync.Mutex
	dirty   map[int64]bool
	running map[int64]bool
	// last is a digest of what each message shows, so that an edit that
	// would change nothing is not sent.
	last map[int64][sha256.Size]byte
	wg   sync.WaitGroup
	// retryDelay is the first wait after a failed edit; it doubles.
	retryDelay time.Duration
}

func newRefresher(life context.Context, outbox *conversations.Outbox, session *discordgo.Session, log *slog.Logger, lost lostChannels) *refresher {
	return &refresher{outbox: outbox, session: session, log: log, lost: lost, life: life, dirty: map[int64]bool{}, running: map[int64]bool{}, last: map[int64][sha256.Size]byte{}, retryDelay: 250 * time.Millisecond}
}

// request asks for the check-in's message to show the state in the
// database; it returns at once.
func (r *refresher) request(checkInID int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.dirty[checkInID] = true
	if r.running[checkInID] {
		return
	}
	r.running[checkInID] = true
	r.wg.Add(1)
	go r.run(checkInID)
}

// shown records what a message was posted with.
func (r *refresher) shown(checkInID int64, m message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.last[checkInID] = digest(m)
}

func (r *refresher) run(checkInID int64) {
	defer r.wg.Done()
	failures := 0
	for {
		r.mu.Lock()
		if !r.dirty[checkInID] {
			delete(r.running, checkInID)
			r.mu.Unlock()
			return
		}
		delete(r.dirty, checkInID)
		r.mu.Unlock()
		var err error
		if !safely(r.log, "refresh", func() { err = r.refreshOnce(checkInID) }, "checkin", checkInID) {
			err = errPanicked
		}
		if err == nil {
			failures = 0
			continue
		}
		failures++
		r.log.Warn("could not update a check-in's status message", "checkin", checkInID, "attempt", failures, "err", err)
		if failures >= maxRefreshFailures || r.life.Err() != nil {
			continue
		}
		// Try again, from the state as it is then.
		r.mu.Lock()
		r.dirty[checkInID] = true
		r.mu.Unlock()
		timer := time.NewTimer(conversations.Jitter(r.retryDelay << (failures - 1)))
		select {
		case <-r.life.Done():
		case <-timer.C:
		}
		timer.Stop()
	}
}

// refreshOnce edits the message to the state in the database, if it shows
// something else. A message not posted yet needs nothing: the outbox renders
// it from the state when it sends it, and asks again right after.
func (r *refresher) refreshOnce(checkInID int64) error {
	ctx := r.life
	d, err := r.outbox.StatusPost(ctx, checkInID)
	if err != nil {
		return err
	}
	if !d.Needed || d.Hold || d.CheckIn.PostID == "" {
		return nil
	}
	m := withComingUp(checkInPost(d.CheckIn, d.Couple, d.Now), d.CheckIn, d.Now, d.ComingUp, d.Couple)
	sum := digest(m)
	r.mu.Lock()
	same := r.last[checkInID] == sum
	r.mu.Unlock()
	if same {
		return nil
	}
	_, err = r.session.ChannelMessageEditComplex(m.channelEdit(d.Couple.ChannelID, d.CheckIn.PostID), discordgo.WithContext(ctx))
	if isUnknown(err, discordgo.ErrCodeUnknownChannel) {
		r.lost.report(ctx, d.Couple.ChannelID)
		return nil
	}
	if isUnknown(err, discordgo.ErrCodeUnknownMessage) {
		// Someone deleted the message; there is nothing to keep current.
		return nil
	}
	if err != nil {
		return err
	}
	r.mu.Lock()
	if d.CheckIn.StatusAt(d.Now) == conversations.CheckInOpen {
		r.last[checkInID] = sum
	} else {
		// Its last state is shown; nothing will change it again.
		delete(r.last, checkInID)
	}
	r.mu.Unlock()
	return nil
}

// wait blocks until every refresh has finished or ctx ends.
func (r *refresher) wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func digest(m message) [sha256.Size]byte {
	b, _ := json.Marshal(m.send())
	return sha256.Sum256(b)
}

// isUnknown reports whether err is Discord's 404 with the given code.
func isUnknown(err error, code int) bool {
	var rest *discordgo.RESTError
	return errors.As(err, &rest) && rest.Response != nil && rest.Response.StatusCode == http.StatusNotFound &&
		rest.Message != nil && rest.Message.Code == code
}
