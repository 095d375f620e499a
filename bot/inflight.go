package bot

import "sync"

// inflight counts the interactions and gateway events being handled, so
// that shutdown can wait for them. Once it is closed nothing more is
// counted: a sync.WaitGroup must not be added to while Wait may be running
// on a count of zero, and an interaction can arrive at any moment.
type inflight struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

// begin counts one more piece of work, unless shutdown has begun; done
// must follow a true.
func (f *inflight) begin() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return false
	}
	f.wg.Add(1)
	return true
}

func (f *inflight) done() { f.wg.Done() }

// close stops counting and returns a channel closed once the work counted
// so far is done.
func (f *inflight) close() <-chan struct{} {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	done := make(chan struct{})
	go func() { f.wg.Wait(); close(done) }()
	return done
}
