package conversations

import (
	"fmt"
	"strings"
	"time"
)

// PlainDuration says a duration the way a person would ("3 days", "36 hours
// and 30 minutes"), not the way Go prints it ("48h0m0s"). Whole days are
// named as days from three days up; below that people count in hours. The
// config's messages and the domain's both say durations with it.
func PlainDuration(d time.Duration) string {
	if d < time.Minute {
		return unitCount(int(d/time.Second), "second")
	}
	if d%(24*time.Hour) == 0 && d >= 72*time.Hour {
		return unitCount(int(d/(24*time.Hour)), "day")
	}
	var parts []string
	if h := int(d / time.Hour); h > 0 {
		parts = append(parts, unitCount(h, "hour"))
	}
	if m := int(d % time.Hour / time.Minute); m > 0 {
		parts = append(parts, unitCount(m, "minute"))
	}
	return strings.Join(parts, " and ")
}

func unitCount(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
