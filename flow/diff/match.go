package diff

import (
	"hash/maphash"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/identoflow/identoflow/flow"
)

// item is one element of a keyed list (steps, questions, options, KYB
// fields) for matching.
type item struct {
	v     *flow.Value
	key   string
	index int // in its own list
}

// pairing is how the items of an old and a new list correspond.
type pairing struct {
	oldMatch, newMatch []int  // the other side's item, or -1
	renamed            []bool // by new item: matched as a rename
}

// pairItems matches old and new items: first by key (the n-th old item of
// a key with the n-th new one, so even repeated keys pair up in order),
// then, among the items left, an old and a new one equal but for their key
// (same(a, b)) as a rename. hash must agree with same: same(a, b) implies
// hash(a) == hash(b). The work is linear in the number of items.
func pairItems(old, new []item, same func(a, b *flow.Value) bool, hash func(*flow.Value) uint64) pairing {
	p := pairing{oldMatch: fill(len(old)), newMatch: fill(len(new)), renamed: make([]bool, len(new))}
	byKey := make(map[string][]int, len(old))
	for i, it := range old {
		byKey[it.key] = append(byKey[it.key], i)
	}
	for j, it := range new {
		if q := byKey[it.key]; len(q) > 0 {
			p.newMatch[j], p.oldMatch[q[0]] = q[0], j
			byKey[it.key] = q[1:]
		}
	}
	if same == nil {
		return p
	}
	var left map[uint64][]int
	for i, it := range old {
		if p.oldMatch[i] < 0 {
			if left == nil {
				left = map[uint64][]int{}
			}
			h := hash(it.v)
			left[h] = append(left[h], i)
		}
	}
	if left == nil {
		return p
	}
	for j, it := range new {
		if p.newMatch[j] >= 0 {
			continue
		}
		h := hash(it.v)
		for n, i := range left[h] {
			if same(old[i].v, it.v) {
				p.newMatch[j], p.oldMatch[i], p.renamed[j] = i, j, true
				left[h] = append(left[h][:n:n], left[h][n+1:]...)
				break
			}
		}
	}
	return p
}

func fill(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = -1
	}
	return s
}

// moved returns, for pairs of (old index, new index) within one list, which
// pairs moved: those outside a longest run that kept its order. So moving
// one item is one move, and inserting or removing items moves nothing. The
// pairs must be sorted by old index. O(n log n).
func moved(pairs [][2]int) []bool {
	out := make([]bool, len(pairs))
	// Patience sorting: tails[k] is the pair ending the best increasing
	// run of length k+1; prev links each pair to its predecessor.
	var tails []int
	prev := make([]int, len(pairs))
	for i, pr := range pairs {
		k := sort.Search(len(tails), func(k int) bool { return pairs[tails[k]][1] >= pr[1] })
		prev[i] = -1
		if k > 0 {
			prev[i] = tails[k-1]
		}
		if k == len(tails) {
			tails = append(tails, i)
		} else {
			tails[k] = i
		}
	}
	for i := range out {
		out[i] = true
	}
	if len(tails) > 0 {
		for i := tails[len(tails)-1]; i >= 0; i = prev[i] {
			out[i] = false
		}
	}
	return out
}

// hasher hashes JSON values the way flow.Equal compares them: member order
// does not count, numbers count by value.
type hasher struct{ seed maphash.Seed }

func newHasher() hasher { return hasher{seed: maphash.MakeSeed()} }

// value hashes v, leaving out the members of its top object that skip names.
func (h hasher) value(v *flow.Value, skip ...string) uint64 {
	var m maphash.Hash
	m.SetSeed(h.seed)
	switch v.Kind() {
	case flow.Null:
		m.WriteByte('n')
	case flow.Bool:
		b, _ := v.Bool()
		m.WriteByte('b')
		if b {
			m.WriteByte(1)
		}
	case flow.String:
		s, _ := v.Str()
		m.WriteByte('s')
		m.WriteString(s)
	case flow.Number:
		lit, _ := v.NumberLiteral()
		m.WriteByte('d')
		if f, err := strconv.ParseFloat(lit, 64); err == nil {
			if f == 0 {
				f = 0 // -0 equals 0
			}
			m.WriteString(strconv.FormatUint(math.Float64bits(f), 16))
		} else {
			m.WriteString(lit)
		}
	case flow.Array:
		m.WriteByte('a')
		for _, it := range v.Items() {
			m.WriteString(strconv.FormatUint(h.value(it), 16))
		}
	case flow.Object:
		// Members in any order: a sum of each member's hash.
		var sum uint64
	members:
		for _, mem := range v.Members() {
			if slices.Contains(skip, mem.Name) {
				continue members
			}
			sum += maphash.String(h.seed, mem.Name) ^ h.value(mem.Value)*0x9E3779B97F4A7C15
		}
		m.WriteByte('o')
		m.WriteString(strconv.FormatUint(sum, 16))
	}
	return m.Sum64()
}

// equalExcept reports whether two objects are equal leaving out the
// members named in skip. The objects have no repeated names.
func equalExcept(a, b *flow.Value, skip ...string) bool {
	if !a.Is(flow.Object) || !b.Is(flow.Object) {
		return false
	}
	n := 0
	for _, m := range a.Members() {
		if slices.Contains(skip, m.Name) {
			continue
		}
		n++
		if !b.Has(m.Name) || !flow.Equal(m.Value, b.Get(m.Name)) {
			return false
		}
	}
	for _, m := range b.Members() {
		if !slices.Contains(skip, m.Name) {
			n--
		}
	}
	return n == 0
}
