package bot

import (
	"sync"

	"mend/conversations"
)

// drafts keeps what a partner typed into a modal that was refused (a due date
// Mend could not read, say), so reopening the modal shows it again instead of
// an empty box. It lives in memory: a draft is seconds old.
type drafts struct {
	mu     sync.Mutex
	byStep map[draftKey]map[string]string
}

type draftKey struct {
	checkIn int64
	user    string
	step    conversations.StepKey
}

const maxDrafts = 10000

func (d *drafts) put(k draftKey, values map[string]string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.byStep == nil {
		d.byStep = map[draftKey]map[string]string{}
	}
	if len(d.byStep) >= maxDrafts {
		for old := range d.byStep {
			delete(d.byStep, old)
			break
		}
	}
	d.byStep[k] = values
}

func (d *drafts) get(k draftKey) map[string]string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.byStep[k]
}

func (d *drafts) drop(k draftKey) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.byStep, k)
}
