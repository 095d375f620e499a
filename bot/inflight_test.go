package bot

import (
	"sync"
	"testing"
)

func TestInflightWaitsForWorkBegunAndCountsNoneAfterClosing(t *testing.T) {
	var f inflight
	if !f.begin() {
		t.Fatal("work was refused before closing")
	}
	done := f.close()
	select {
	case <-done:
		t.Fatal("close was done while work was still running")
	default:
	}
	if f.begin() {
		t.Fatal("work was counted after closing")
	}
	f.done()
	<-done
}

// Work arriving while shutdown begins is the case a bare WaitGroup gets
// wrong (go test -race reports it); here each arrival is either counted
// and waited for, or refused.
func TestInflightTakesWorkArrivingWhileItCloses(t *testing.T) {
	var f inflight
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if !f.begin() {
					return
				}
				f.done()
			}
		}()
	}
	<-f.close()
	wg.Wait()
	if f.begin() {
		t.Fatal("work was counted after closing")
	}
}
