package ui

import "testing"

func TestSpeakSaysMarksInWords(t *testing.T) {
	for in, want := range map[string]string{
		"✗ 2  ⚠ 1  ℹ 1":                    "2 errors  1 warning  1 info",
		"✓ valid  ℹ 0":                     "valid  0 info",
		"▸ skip_face   [x]":                "selected: skip_face   on",
		"  skip_desktop  [ ] (default)":    "  skip_desktop  off (default)",
		"✗▸ 2. liveness":                   "error, selected: 2. liveness",
		"Steps │ Flags │ JSON":             "Steps, Flags, JSON",
		"↑/k up • ↓/j down • enter choose": "up/k up, down/j down, enter choose",
		"company → beneficiaries":          "company then beneficiaries",
		"Why?  ⤷ if what = x":              "Why?  shown if what = x",
		"  title      —":                   "  title      not set",
		"Language — let the person pick":   "Language — let the person pick",
		"    5 │ {":                        "    5, {",
		"┌──┐":                             "    ",
		"▀▄█ the code's blocks stay":       "▀▄█ the code's blocks stay",
		"identoflow · desk · session":      "identoflow, desk, session",
	} {
		if got := Speak(in); got != want {
			t.Errorf("Speak(%q) = %q, want %q", in, got, want)
		}
	}
}
