package flow

import (
	"slices"
	"testing"
)

// Countries come sorted by name as people read it: Åland Islands among
// the A's, not after Zimbabwe.
func TestCountriesSortedByName(t *testing.T) {
	cs := Countries()
	at := slices.IndexFunc(cs, func(c Country) bool { return c.Alpha3 == "ALA" })
	zw := slices.IndexFunc(cs, func(c Country) bool { return c.Alpha3 == "ZWE" })
	if at < 0 || zw < 0 || at > 5 || zw != len(cs)-1 {
		t.Fatalf("Åland Islands at %d, Zimbabwe at %d of %d", at, zw, len(cs))
	}
	if n := len(cs); n < 240 {
		t.Fatalf("%d countries", n)
	}
}
