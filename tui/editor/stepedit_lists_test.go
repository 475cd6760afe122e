package editor

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// A step's list of countries says how many are chosen and which, cut with
// a count of the rest when long; a value that is not a list says so.
func TestStepCountriesRowCountsTheChosen(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"steps": [
		{"type": "identity-document", "key": "a", "flags": {"document_countries": ["GEO", "ARM", "AZE", "TUR", "UKR", "POL", "DEU", "FRA", "ITA", "ESP", "PRT", "NLD"]}},
		{"type": "identity-document", "key": "b", "flags": {"document_countries": "GEO"}}]}`))
	r.open(0)
	screen := ansi.Strip(r.screen())
	if !strings.Contains(screen, "document_countries        12 chosen: GEO, ARM, AZE, TUR, UKR, … +7 more") {
		t.Fatalf("the row does not count the countries:\n%s", screen)
	}
	r.keys("esc")
	r.open(1)
	if screen := ansi.Strip(r.screen()); !strings.Contains(screen, `not a list: "GEO"`) {
		t.Fatalf("a string for a list shows as something else:\n%s", screen)
	}
}

// The step list's keys stand in one column, a type in wide characters
// (a typo in the file) padded by display width like the others.
func TestStepListKeysAlignByDisplayWidth(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"steps": [{"type": "email", "key": "k1"}, {"type": "写真", "key": "k2"}, {"type": "liveness", "key": "k3"}]}`))
	l := newStepList(r.common, r.doc, nil)
	l.SetSize(80, 20)
	col := -1
	view := ansi.Strip(l.View())
	for i, line := range strings.Split(view, "\n")[:3] {
		at := strings.Index(line, "k"+string(rune('1'+i)))
		if at < 0 {
			t.Fatalf("row %d lacks its key:\n%s", i, view)
		}
		if w := ansi.StringWidth(line[:at]); col < 0 {
			col = w
		} else if w != col {
			t.Fatalf("keys do not stand in one column:\n%s", view)
		}
	}
}

// A questionnaire's question titles stand in one column, a type in wide
// characters (a typo in the file) padded by display width.
func TestQuestionTitlesAlignByDisplayWidth(t *testing.T) {
	r := newRichRig(t, rigConfig(t, `{"steps": [{"type": "user-questionnaire", "key": "q", "questions": [
		{"type": "string", "key": "a", "title": "TitleA"}, {"type": "選択肢", "key": "b", "title": "TitleB"}]}]}`))
	r.open(0)
	screen := ansi.Strip(r.screen())
	col := -1
	for _, title := range []string{"TitleA", "TitleB"} {
		for _, line := range strings.Split(screen, "\n") {
			if at := strings.Index(line, title); at >= 0 {
				if w := ansi.StringWidth(line[:at]); col < 0 {
					col = w
				} else if w != col {
					t.Fatalf("titles do not stand in one column:\n%s", screen)
				}
			}
		}
	}
	if col < 0 {
		t.Fatalf("no question listed:\n%s", screen)
	}
}
