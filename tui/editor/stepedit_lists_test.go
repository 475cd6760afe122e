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
