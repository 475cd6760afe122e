package journal

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseDuration reads a period as people write it for retention or "since":
// Go's durations ("8h", "90m") with days in front ("7d", "1d12h").
func ParseDuration(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	var days time.Duration
	if i := strings.IndexByte(t, 'd'); i > 0 {
		n, err := strconv.ParseUint(t[:i], 10, 16)
		if err != nil {
			return 0, fmt.Errorf("%q is not a duration (like 12h, 7d or 1d12h)", s)
		}
		days, t = time.Duration(n)*24*time.Hour, t[i+1:]
		if t == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(t)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration (like 12h, 7d or 1d12h)", s)
	}
	return days + d, nil
}

// ParseTime reads a point in time as the journal command takes it: "today"
// or "yesterday" (midnight, local time), a date (2006-01-02, local
// midnight), a date and time (2006-01-02 15:04, local), an RFC 3339 time,
// or a duration ago (8h, 7d).
func ParseTime(s string, now time.Time) (time.Time, error) {
	t := strings.TrimSpace(s)
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	switch strings.ToLower(t) {
	case "today":
		return midnight, nil
	case "yesterday":
		return midnight.AddDate(0, 0, -1), nil
	}
	for _, layout := range []string{"2006-01-02", "2006-01-02 15:04", "2006-01-02T15:04"} {
		if v, err := time.ParseInLocation(layout, t, now.Location()); err == nil {
			return v, nil
		}
	}
	if v, err := time.Parse(time.RFC3339, t); err == nil {
		return v, nil
	}
	if d, err := ParseDuration(t); err == nil {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date (2006-01-02), a time (2006-01-02 15:04 or RFC 3339), a duration ago (8h, 7d) or today", s)
}
