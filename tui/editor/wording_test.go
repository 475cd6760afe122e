package editor

import (
	"strings"
	"testing"
)

// The same thing reads the same everywhere: a property with no value is
// "— not set" whatever its kind, and a boolean at its default is marked
// so, whether the file leaves it out or writes it out.
func TestUnsetAndDefaultReadTheSameEverywhere(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"flags": {"language": "en"}, "steps": [
		{"type": "language", "flags": {"languages": ["en"]}},
		{"type": "user-questionnaire", "key": "q", "questions": [
			{"type": "options", "key": "color", "title": {"en": "Colour"}, "mandatory": false, "options": [{"key": "red", "title": {"en": "Red"}}]},
			{"type": "string", "key": "name", "title": {"en": "Name"}}]}]}`))
	r.open(0)
	requireRow(t, r.screen(), "title", "— not set")
	r.keys("esc")
	r.open(1)
	for qi := range 2 {
		r.openQuestion(qi)
		s := r.screen()
		requireRow(t, s, "answer", "— not set")
		requireRow(t, s, "mandatory", "[ ] (default)")
		requireRow(t, s, "readOnly", "[ ] (default)")
		r.keys("esc")
	}
}

// requireRow fails unless the property list on screen shows label with
// the value.
func requireRow(t *testing.T, screen, label, value string) {
	t.Helper()
	for _, line := range strings.Split(screen, "\n") {
		f := strings.Fields(strings.TrimLeft(line, "▸ "))
		if len(f) > 0 && f[0] == label {
			if got := strings.Join(f[1:], " "); !strings.HasPrefix(got, value) {
				t.Fatalf("%s reads %q, want %q:\n%s", label, got, value, screen)
			}
			return
		}
	}
	t.Fatalf("no %s row:\n%s", label, screen)
}
