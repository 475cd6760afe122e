package flow

import (
	"strconv"
	"strings"
)

// keySet is a multiset of keys that hands out fresh ones: a key that is
// taken gets -2, -3, ... It remembers where it stopped for each stem, so
// handing out n keys of one stem costs O(n) in all, not O(n²).
type keySet struct {
	count map[string]int // key → how many hold it
	next  map[string]int // stem → the first suffix worth trying
}

func newKeySet() *keySet { return &keySet{count: map[string]int{}} }

func (k *keySet) has(key string) bool { return k.count[key] > 0 }

func (k *keySet) add(key string) { k.count[key]++ }

func (k *keySet) remove(key string) {
	if k.count[key] <= 1 {
		delete(k.count, key)
		return
	}
	k.count[key]--
}

// fresh returns base when no one holds it, else its stem (base without a
// "-N" suffix) with the first free suffix from 2 on. It does not add the
// key.
func (k *keySet) fresh(base string) string {
	if !k.has(base) {
		return base
	}
	stem := keyStem(base)
	n := max(2, k.next[stem])
	for k.has(suffixed(stem, n)) {
		n++
	}
	if k.next == nil {
		k.next = map[string]int{}
	}
	k.next[stem] = n
	return suffixed(stem, n)
}

// uniqueName returns base, or its stem with the first suffix from -2 on
// that taken does not hold: fresh for a one-off set.
func uniqueName(base string, taken map[string]bool) string {
	if !taken[base] {
		return base
	}
	stem := keyStem(base)
	n := 2
	for taken[suffixed(stem, n)] {
		n++
	}
	return suffixed(stem, n)
}

// keyStem is a key without its "-N" suffix.
func keyStem(key string) string {
	if i := strings.LastIndexByte(key, '-'); i > 0 {
		if _, err := strconv.Atoi(key[i+1:]); err == nil {
			return key[:i]
		}
	}
	return key
}

func suffixed(stem string, n int) string { return stem + "-" + strconv.Itoa(n) }

// stepKeyIndex is the session's effective step keys, kept up to date by
// the edit operations of this package so that each costs O(1) amortised
// rather than a walk over every step. It describes one steps array; when
// the config's steps array is another one, or its length is not what the
// index last saw, the index is rebuilt.
type stepKeyIndex struct {
	steps *Value // the top-level steps array
	n     int    // its length after the last edit through the index
	keys  *keySet
}

// stepKeys returns the session's step keys, rebuilding the index when the
// step list changed behind its back.
func (c *Config) stepKeys() *keySet {
	steps := c.StepsValue()
	if c.keys == nil || c.keys.steps != steps || c.keys.n != steps.Len() {
		c.keys = &stepKeyIndex{steps: steps, n: steps.Len(), keys: c.freshStepKeySet()}
	}
	return c.keys.keys
}

func (c *Config) freshStepKeySet() *keySet {
	ks := newKeySet()
	c.WalkSteps(func(_ StepPath, s Step) { ks.add(s.EffectiveKey()) })
	return ks
}

// freshStepKey returns a step key like base that no step has. A key
// without a suffix is confirmed against the steps themselves, as a step
// whose type or key was changed directly may hold it without the index
// knowing; once confirmed taken it stays so, which keeps this O(1)
// amortised.
func (c *Config) freshStepKey(base string) string {
	ks := c.stepKeys()
	if !ks.has(base) {
		taken := false
		c.WalkSteps(func(_ StepPath, s Step) { taken = taken || s.EffectiveKey() == base })
		if !taken {
			return base
		}
		ks.add(base)
	}
	return ks.fresh(base)
}

// stepAdded and stepRemoved keep the index in step with an edit made
// after stepKeys checked it: top says whether the step is (or was) in the
// top-level list.
func (c *Config) stepAdded(s Step, top bool)   { c.stepCounted(s, top, 1) }
func (c *Config) stepRemoved(s Step, top bool) { c.stepCounted(s, top, -1) }

func (c *Config) stepCounted(s Step, top bool, delta int) {
	if c.keys == nil {
		return
	}
	count := c.keys.keys.add
	if delta < 0 {
		count = c.keys.keys.remove
	}
	count(s.EffectiveKey())
	for _, n := range s.nestedSteps() {
		count(n.EffectiveKey())
	}
	if top {
		c.keys.n += delta
	}
}

// nestedSteps returns a video call's nested steps, as WalkSteps visits them.
func (s Step) nestedSteps() []Step {
	if s.Type() != "video-call" {
		return nil
	}
	return s.Steps()
}
