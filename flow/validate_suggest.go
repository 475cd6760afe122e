package flow

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// A suggester finds, for a name that is not in a list, the name of the
// list that was probably meant (the did-you-mean of messages). Its cost
// per query is bounded whatever the list and the name hold: short lists
// are compared one by one with an edit distance that stops early; long
// ones (a questionnaire's keys, a question's options) are looked up in an
// index of one-edit neighbours; answers are remembered per distinct name.
type suggester struct {
	cands []string
	lower []string // cands in lower case
	norm  []string // cands without case, '-', '_' and ' '

	// For lists longer than scanLimit: candidate indexes by normalized
	// name, by lower-case name, and by each lower-case name with one rune
	// deleted.
	byNorm, byLower, byDel map[string][]int32

	memo     map[suggestQuery]string
	row      []int    // scratch for distance
	maxRunes int      // the longest candidate, in runes
	runes    [][]rune // lower, as runes, for short lists
}

type suggestQuery struct{ name, exclude string }

const (
	scanLimit       = 64 // longer lists are indexed
	maxIndexedRunes = 48 // longer names are matched only without case and separators
	maxBucket       = 16 // candidates kept per index entry
)

func newSuggester(cands []string) *suggester {
	s := &suggester{cands: cands, lower: make([]string, len(cands)), norm: make([]string, len(cands))}
	for i, c := range cands {
		s.lower[i] = strings.ToLower(c)
		s.norm[i] = separators.Replace(s.lower[i])
		s.maxRunes = max(s.maxRunes, utf8.RuneCountInString(c))
	}
	if len(cands) <= scanLimit {
		s.runes = make([][]rune, len(cands))
		for i, l := range s.lower {
			s.runes[i] = []rune(l)
		}
	} else {
		s.byNorm, s.byLower, s.byDel = map[string][]int32{}, map[string][]int32{}, map[string][]int32{}
		for i := range cands {
			addBucket(s.byNorm, s.norm[i], i)
			if utf8.RuneCountInString(s.lower[i]) > maxIndexedRunes {
				continue
			}
			addBucket(s.byLower, s.lower[i], i)
			forEachDeletion(s.lower[i], func(d string) { addBucket(s.byDel, d, i) })
		}
	}
	return s
}

func addBucket(m map[string][]int32, k string, i int) {
	if b := m[k]; len(b) < maxBucket && (len(b) == 0 || b[len(b)-1] != int32(i)) {
		m[k] = append(b, int32(i))
	}
}

// forEachDeletion calls fn with s less one rune, for each rune of s.
func forEachDeletion(s string, fn func(string)) {
	for i, r := range s {
		fn(s[:i] + s[i+utf8.RuneLen(r):])
	}
}

// suggest returns the candidate nearest to name, other than name itself
// and exclude, or "" when none is near enough to be what was meant. A
// candidate equal to name but for case, '-', '_' and ' ' wins; otherwise
// the nearest within suggestLimit edits (an adjacent swap is one edit),
// the earliest in the list on a tie.
func (s *suggester) suggest(name, exclude string) string {
	q := suggestQuery{name, exclude}
	if r, ok := s.memo[q]; ok {
		return r
	}
	r := s.find(name, exclude)
	if s.memo == nil {
		s.memo = map[suggestQuery]string{}
	}
	s.memo[q] = r
	return r
}

func (s *suggester) find(name, exclude string) string {
	skip := func(i int) bool { return s.cands[i] == name || s.cands[i] == exclude }
	ln := strings.ToLower(name)
	nn := separators.Replace(ln)
	limit := suggestLimit(name)
	// Only candidates within limit+1 runes of the name's length can be
	// within reach by edits: a name longer than all of them is compared
	// without case and separators only.
	rn := []rune(ln)
	far := len(rn) > s.maxRunes+limit+1
	if s.byNorm == nil {
		for i := range s.cands {
			if !skip(i) && s.norm[i] == nn {
				return s.cands[i]
			}
		}
		best, bestDist := -1, limit+1
		for i := range s.cands {
			if far || skip(i) {
				continue
			}
			if d := s.distance(rn, s.runes[i], limit); d < bestDist {
				best, bestDist = i, d
			}
		}
		if best < 0 {
			return ""
		}
		return s.cands[best]
	}

	for _, i := range s.byNorm[nn] {
		if !skip(int(i)) {
			return s.cands[i]
		}
	}
	if far || len(rn) > maxIndexedRunes+1 {
		return ""
	}
	// Every candidate one edit away shares ln or one of its deletions
	// with the index; verify each and keep the nearest.
	var near []int32
	near = append(near, s.byDel[ln]...)
	forEachDeletion(ln, func(d string) {
		near = append(near, s.byLower[d]...)
		near = append(near, s.byDel[d]...)
	})
	slices.Sort(near)
	best, bestDist := -1, limit+1
	for k, i := range near {
		if (k > 0 && near[k-1] == i) || skip(int(i)) {
			continue
		}
		if d := s.distance(rn, []rune(s.lower[i]), limit); d < bestDist {
			best, bestDist = int(i), d
		}
	}
	if best < 0 {
		return ""
	}
	return s.cands[best]
}

// suggestLimit is how many edits a name may be from what was meant: one
// for short names, up to three for long ones.
func suggestLimit(name string) int { return max(1, min(3, utf8.RuneCountInString(name)/3)) }

// distance returns the edit distance of a and b, counting an adjacent swap
// as one edit, or a number above limit when they are further apart. It
// only fills the band of the table within limit+1 of the diagonal, so its
// cost is bounded by the shorter string, not the product of the two.
func (s *suggester) distance(a, b []rune, limit int) int {
	bound := limit + 1 // a swap is two Levenshtein edits: look one further
	if abs(len(a)-len(b)) > bound {
		return bound + 1
	}
	d := bandedLevenshtein(a, b, bound, &s.row)
	if d == 2 && isAdjacentSwap(string(a), string(b)) {
		d = 1 // "tpye" is one slip of the fingers from "type", not two
	}
	return d
}

// bandedLevenshtein is the Levenshtein distance of a and b when it is at
// most bound, else bound+1. row is scratch space, grown as needed.
func bandedLevenshtein(a, b []rune, bound int, row *[]int) int {
	n := len(b)
	if cap(*row) < 2*(n+1) {
		*row = make([]int, 2*(n+1))
	}
	prev, cur := (*row)[:n+1], (*row)[n+1:2*(n+1)]
	big := bound + 1
	for j := range prev {
		prev[j] = min(j, big)
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-bound), min(n, i+bound)
		cur[lo-1] = big
		if lo == 1 {
			cur[0] = min(i, big)
		}
		rowMin := cur[lo-1]
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := prev[j-1] + cost
			if prev[j]+1 < v && j <= i-1+bound {
				v = prev[j] + 1
			}
			if cur[j-1]+1 < v {
				v = cur[j-1] + 1
			}
			v = min(v, big)
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if hi < n {
			cur[hi+1] = big
		}
		if rowMin >= big {
			return big
		}
		prev, cur = cur, prev
	}
	return min(prev[n], big)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
