package journal

import (
	"slices"
	"time"
)

// Summary is a shift at a glance.
type Summary struct {
	Total    int
	ByResult map[Result]int // every result of Results(), zeros included
	// MedianTimeToResult is the median of TimeToResult over the sessions
	// that have a result from the server (Timed of them); 0 when none.
	MedianTimeToResult time.Duration
	Timed              int
	// ExpiredUnused counts the sessions whose token expired with no
	// result: the customer did not finish (or never started).
	ExpiredUnused int
}

// Summarize sums up sessions (as List returns them).
func Summarize(sessions []Session) Summary {
	sum := Summary{Total: len(sessions), ByResult: make(map[Result]int, len(Results()))}
	for _, r := range Results() {
		sum.ByResult[r] = 0
	}
	times := make([]time.Duration, 0, len(sessions))
	for _, s := range sessions {
		sum.ByResult[s.Result]++
		if d, ok := s.TimeToResult(); ok {
			times = append(times, d)
		}
	}
	sum.ExpiredUnused = sum.ByResult[ResultExpired]
	sum.Timed = len(times)
	sum.MedianTimeToResult = median(times)
	return sum
}

// median of ds (sorted in place); the mean of the two middle values for an
// even count; 0 for none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	m := len(ds) / 2
	if len(ds)%2 == 1 {
		return ds[m]
	}
	return ds[m-1] + (ds[m]-ds[m-1])/2
}
