package widget

import (
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/tui/internal/launchtest"
	"github.com/identoflow/identoflow/tui/ui"
)

func pickerCommon() *ui.Common {
	c := &ui.Common{Keys: ui.DefaultKeyMap(), Width: 80, Height: 24}
	c.SetDark(true)
	return c
}

// press presses keys by name (" " is space, "g" goes to the first row).
func press(p *Picker, keys ...string) {
	for _, k := range keys {
		p.Update(launchtest.Press(k))
	}
}

func typeInto(p *Picker, s string) {
	for _, r := range s {
		p.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

var countries = []PickItem{
	{Value: "DEU", Label: "Germany", Detail: "DE"},
	{Value: "GEO", Label: "Georgia", Detail: "GE"},
	{Value: "SGS", Label: "South Georgia & South Sandwich Islands", Detail: "GS"},
	{Value: "USA", Label: "United States", Detail: "US"},
}

// A value chosen after a typo was taken out takes the typo's place, so
// fixing GE keeps the list's order; other new choices go at the end.
func TestPickerPutsTheFixInTheTyposPlace(t *testing.T) {
	var got []string
	p := NewPicker(pickerCommon(), "countries", countries, []string{"USA", "GE", "DEU"}, true, func(v []string) tea.Cmd { got = v; return nil })
	p.SetSize(80, 20)
	press(p, "g", " ") // GE, listed first, taken out
	press(p, "/")
	typeInto(p, "geo")
	press(p, "enter", "g", " ") // Georgia chosen
	if c := p.Chosen(); !slices.Equal(c, []string{"USA", "GEO", "DEU"}) {
		t.Fatalf("chosen %v, want GEO in GE's place", c)
	}
	press(p, "/", "esc") // clears the filter
	press(p, "/")
	typeInto(p, "united")
	press(p, "enter", "g", " ")
	if c := p.Chosen(); !slices.Equal(c, []string{"GEO", "DEU"}) {
		t.Fatalf("chosen %v after taking USA out", c)
	}
	press(p, " ") // back in: a valid value goes at the end
	press(p, "enter")
	if !slices.Equal(got, []string{"GEO", "DEU", "USA"}) {
		t.Fatalf("done with %v", got)
	}
}

// Taking a typo out and putting it back leaves the list as it was.
func TestPickerTypoPutBackKeepsItsPlace(t *testing.T) {
	p := NewPicker(pickerCommon(), "countries", countries, []string{"USA", "GE", "DEU"}, true, func([]string) tea.Cmd { return nil })
	p.SetSize(80, 20)
	press(p, "g", " ", " ")
	if c := p.Chosen(); !slices.Equal(c, []string{"USA", "GE", "DEU"}) {
		t.Fatalf("chosen %v", c)
	}
}

// Labels, values and details stand in columns whatever the labels' widths.
func TestPickerColumnsAligned(t *testing.T) {
	p := NewPicker(pickerCommon(), "countries", countries, []string{"GE"}, true, func([]string) tea.Cmd { return nil })
	p.SetSize(80, 20)
	valueCol, detailCol := -1, -1
	for _, l := range strings.Split(ansi.Strip(p.View()), "\n") {
		f := strings.Fields(l)
		if len(f) < 3 || !strings.HasPrefix(strings.TrimLeft(l, " ▸"), "[") {
			continue
		}
		// The last two fields are the value and the detail.
		value, detail := f[len(f)-2], f[len(f)-1]
		if strings.Contains(l, "not a valid choice") {
			value, detail = "GE", "space"
		}
		// Columns in cells: the marks before them take more bytes than cells.
		v := ansi.StringWidth(l[:strings.Index(l, " "+value+" ")+1])
		d := ansi.StringWidth(l[:strings.LastIndex(l, detail)])
		if valueCol < 0 {
			valueCol, detailCol = v, d
		}
		if v != valueCol || d != detailCol {
			t.Errorf("row %q: value at %d, detail at %d; want %d and %d", l, v, d, valueCol, detailCol)
		}
	}
	if valueCol < 0 {
		t.Fatalf("no rows:\n%s", ansi.Strip(p.View()))
	}
}

// While "/" filters, space types into the filter and the help says what
// the keys do there, not that space toggles.
func TestPickerSpaceTypesIntoTheFilter(t *testing.T) {
	p := NewPicker(pickerCommon(), "countries", countries, nil, true, func([]string) tea.Cmd { return nil })
	p.SetSize(80, 20)
	press(p, "/")
	typeInto(p, "south")
	press(p, " ")
	typeInto(p, "georgia")
	if v := p.filter.Value(); v != "south georgia" {
		t.Fatalf("filter %q, want the space typed into it", v)
	}
	if len(p.Chosen()) != 0 {
		t.Fatalf("space chose %v while filtering", p.Chosen())
	}
	for _, b := range p.ShortHelp() {
		if b.Help().Key == "space" {
			t.Fatalf("the help offers space (%s) while filtering", b.Help().Desc)
		}
	}
	if view := ansi.Strip(p.View()); strings.Contains(view, "space toggles") {
		t.Fatalf("the heading says space toggles while filtering:\n%s", view)
	}
	press(p, "enter") // keeps the filter, back to the list
	if !slices.ContainsFunc(p.ShortHelp(), func(b key.Binding) bool { return b.Help().Key == "space" }) {
		t.Fatal("space is not offered once the filter is kept")
	}
}

// A multiple choice picker says how many are chosen and which, as they
// change; a long choice is cut with a count of the rest.
func TestMultiPickerSaysWhatIsChosen(t *testing.T) {
	p := NewPicker(pickerCommon(), "choose document_countries", countries, []string{"GEO"}, true, func([]string) tea.Cmd { return nil })
	p.SetSize(80, 20)
	if v := ansi.Strip(p.View()); !strings.Contains(v, "1 chosen: GEO") {
		t.Fatalf("the picker does not say what is chosen:\n%s", v)
	}
	press(p, " ") // the cursor is on the first row: DEU
	if v := ansi.Strip(p.View()); !strings.Contains(v, "2 chosen: GEO, DEU") {
		t.Fatalf("a value chosen here is not counted:\n%s", v)
	}
	press(p, " ")
	press(p, "down", " ")
	if v := ansi.Strip(p.View()); !strings.Contains(v, "none chosen") {
		t.Fatalf("nothing chosen is not said:\n%s", v)
	}
	for _, line := range strings.Split(ansi.Strip(p.View()), "\n") {
		if ansi.StringWidth(line) > 80 {
			t.Fatalf("line wider than the picker: %q", line)
		}
	}
}

func TestChosenSummaryCutsWithACount(t *testing.T) {
	many := []string{"GEO", "ARM", "AZE", "TUR", "UKR", "POL", "DEU", "FRA", "ITA", "ESP", "PRT", "NLD"}
	for _, tc := range []struct {
		values []string
		width  int
		want   string
	}{
		{[]string{"GEO"}, 40, "1 chosen: GEO"},
		{many[:3], 40, "3 chosen: GEO, ARM, AZE"},
		{many, 40, "12 chosen: GEO, ARM, AZE, TUR, … +8 more"},
		{many, 10, "12 chosen: GEO, … +11 more"}, // one value at least
		{[]string{"GE\x1bO"}, 40, "1 chosen: GE\\x1bO"},
	} {
		got := ChosenSummary(tc.values, tc.width)
		if got != tc.want {
			t.Errorf("ChosenSummary(%d values, %d) = %q, want %q", len(tc.values), tc.width, got, tc.want)
		}
		if len(tc.values) > 1 && tc.width >= 30 && ansi.StringWidth(got) > tc.width {
			t.Errorf("%q is wider than %d", got, tc.width)
		}
	}
}

// The details of a picker stand in one column, measured in display width:
// rows without a label (option keys, question types) as much as rows with
// one, wide characters and all.
func TestPickerColumnsAlignByDisplayWidth(t *testing.T) {
	items := []PickItem{
		{Value: "", Label: "no condition", Detail: "always shown"},
		{Value: "yes", Detail: "single-choice · Yes"},
		{Value: "მისამართი", Detail: "text · Address"},
		{Value: "住所", Detail: "text · Home"},
		{Value: "a-much-longer-key", Detail: "multiple-choice · Which"},
	}
	p := NewPicker(pickerCommon(), "show when", items, nil, false, func([]string) tea.Cmd { return nil })
	p.SetSize(80, 20)
	lines := strings.Split(ansi.Strip(p.View()), "\n")[2:]
	col := -1
	for i, line := range lines {
		at := strings.Index(line, items[i].Detail)
		if at < 0 {
			t.Fatalf("row %d lacks its detail: %q", i, line)
		}
		if w := ansi.StringWidth(line[:at]); col < 0 {
			col = w
		} else if w != col {
			t.Fatalf("details do not stand in one column:\n%s", strings.Join(lines, "\n"))
		}
	}
}

// A title too long to share its line with the keys leaves them a line of
// their own rather than cutting them off; the list still fits the height.
func TestPickerKeysAreNotCutByALongTitle(t *testing.T) {
	p := NewPicker(pickerCommon(), "choose document_countries (none chosen means all)", countries, nil, true, func([]string) tea.Cmd { return nil })
	p.SetSize(80, 6)
	press(p, "down", "down", "down")
	view := ansi.Strip(p.View())
	lines := strings.Split(view, "\n")
	if len(lines) > 6 || !strings.Contains(view, "space toggles · enter done · esc cancels") || !strings.Contains(view, "▸ ") {
		t.Fatalf("keys cut, cursor row lost or list too tall:\n%s", view)
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > 80 {
			t.Fatalf("line wider than 80: %q", l)
		}
	}
}
