package widget

import "testing"

// A property with no value is said "not set", once, however it is shown.
func TestSpokenValueSaysNotSetOnce(t *testing.T) {
	for _, v := range []string{"", "—", NotSet} {
		if got := spokenValue(v); got != "not set" {
			t.Errorf("spokenValue(%q) = %q, want %q", v, got, "not set")
		}
	}
}
