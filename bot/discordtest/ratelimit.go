package discordtest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// unlimitedBucket is the per-route limit announced when the fake has no
// global limit: large enough that a client never waits on it.
const unlimitedBucket = 1_000_000

// limiter enforces the global limit in fixed one-second windows and tracks
// per-route buckets only to announce them in headers, as Discord does; it
// never answers a per-route 429.
type limiter struct {
	mu      sync.Mutex
	limit   int // global requests per second; 0 means unlimited
	start   time.Time
	used    int
	buckets map[string]*bucketWindow
}

type bucketWindow struct {
	reset time.Time
	used  int
}

func (l *limiter) init(perSecond int) {
	l.limit = perSecond
	l.buckets = map[string]*bucketWindow{}
}

// allow counts a request against the global limit, or says how long until
// the window resets.
func (l *limiter) allow(now time.Time) (bool, time.Duration) {
	if l.limit <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.start) >= time.Second {
		l.start, l.used = now, 0
	}
	if l.used < l.limit {
		l.used++
		return true, 0
	}
	return false, l.start.Add(time.Second).Sub(now)
}

// bucketHeaders sets Discord's X-RateLimit-* headers for the route's bucket.
func (l *limiter) bucketHeaders(h http.Header, method, rel string, now time.Time) {
	route, major := bucketRoute(rel)
	key := method + " " + route + " " + major
	limit := l.limit
	if limit <= 0 {
		limit = unlimitedBucket
	}
	l.mu.Lock()
	b := l.buckets[key]
	if b == nil || !now.Before(b.reset) {
		b = &bucketWindow{reset: now.Add(time.Second)}
		l.buckets[key] = b
	}
	b.used++
	remaining := limit - b.used
	reset := b.reset
	l.mu.Unlock()
	if remaining < 0 {
		remaining = 0
	}
	sum := sha256.Sum256([]byte(method + " " + route))
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", fmt.Sprintf("%.3f", float64(reset.UnixMilli())/1000))
	h.Set("X-RateLimit-Reset-After", fmt.Sprintf("%.3f", reset.Sub(now).Seconds()))
	h.Set("X-RateLimit-Bucket", hex.EncodeToString(sum[:8]))
}

// bucketRoute turns a path into its route template and major parameter:
// channel, guild and webhook IDs (and webhook tokens) are major parameters,
// other IDs are not.
func bucketRoute(rel string) (route, major string) {
	parts := strings.Split(strings.Trim(rel, "/"), "/")
	for i := 0; i < len(parts); i++ {
		prev := ""
		if i > 0 {
			prev = parts[i-1]
		}
		switch {
		case i == 1 && (prev == "channels" || prev == "guilds" || prev == "webhooks"):
			major = parts[i]
			parts[i] = ":major"
			if prev == "webhooks" && len(parts) > 2 {
				major += "/" + parts[2]
				parts[2] = ":token"
				i++
			}
		case prev == "interactions" && len(parts) > i+1:
			major = parts[i] + "/" + parts[i+1]
			parts[i], parts[i+1] = ":id", ":token"
			i++
		case isID(parts[i]):
			parts[i] = ":id"
		}
	}
	return "/" + strings.Join(parts, "/"), major
}

func isID(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// writeGlobalRateLimit answers a global 429 as Discord documents it.
func writeGlobalRateLimit(w http.ResponseWriter, retry time.Duration) {
	// Round up to the millisecond: discordgo truncates retry_after to
	// milliseconds, and a zero wait would hammer the fake.
	ms := math.Ceil(float64(retry) / float64(time.Millisecond))
	if ms < 1 {
		ms = 1
	}
	secs := ms / 1000
	h := w.Header()
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
	h.Set("X-RateLimit-Global", "true")
	h.Set("X-RateLimit-Scope", "global")
	writeJSON(w, http.StatusTooManyRequests, map[string]any{
		"message": "You are being rate limited.", "retry_after": secs, "global": true,
	})
}
