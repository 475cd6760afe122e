package widget

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// BoolValue renders a boolean property, marking the default whether it is
// left out or written out ("mandatory": false reads as an absent one does).
func BoolValue(s *ui.Styles, v *flow.Value, def bool) string {
	b, ok := v.Bool()
	switch {
	case !ok && v != nil:
		return s.Error.Render("not a boolean: " + string(flow.MarshalCompact(v)))
	case !ok, b == def:
		return Checkbox(def) + s.Dim.Render(" (default)")
	}
	return Checkbox(b)
}

// NotSet is how every property shows that it has no value.
const NotSet = "— not set"

// Checkbox is "[x]" or "[ ]".
func Checkbox(on bool) string {
	if on {
		return "[x]"
	}
	return "[ ]"
}

// ListValue renders a list of strings, "all" when empty or absent.
func ListValue(s *ui.Styles, v *flow.Value, empty string) string {
	items := flow.Strings(v)
	if len(items) == 0 {
		return s.Dim.Render(empty)
	}
	return ui.Shown(strings.Join(items, ", "))
}

// ChosenValue renders a multiple choice property: how many are chosen and
// which, cut with a count of the rest when long ("12 chosen: GEO, ARM, …
// +10 more"); empty when none is.
func ChosenValue(s *ui.Styles, v *flow.Value, empty string) string {
	items := flow.Strings(v)
	if len(items) == 0 {
		if v != nil && !v.Is(flow.Null) && !v.Is(flow.Array) {
			return s.Error.Render("not a list: " + string(flow.MarshalCompact(v)))
		}
		return s.Dim.Render(empty)
	}
	return ChosenSummary(items, chosenRoom)
}

// ChosenSummary is "N chosen: A, B, C", as many values as fit in width
// (one at least), then "… +K more" for the rest. Values are shown safe.
func ChosenSummary(values []string, width int) string {
	head := fmt.Sprintf("%d chosen: ", len(values))
	var b strings.Builder
	b.WriteString(head)
	for i, v := range values {
		item := ui.Shown(v)
		if i > 0 {
			item = ", " + item
		}
		rest := len(values) - i - 1
		tail := ""
		if rest > 0 {
			tail = fmt.Sprintf(", … +%d more", rest)
		}
		if i > 0 && lipgloss.Width(b.String())+lipgloss.Width(item)+lipgloss.Width(tail) > width {
			fmt.Fprintf(&b, ", … +%d more", len(values)-i)
			return b.String()
		}
		b.WriteString(item)
	}
	return b.String()
}

// TextValue renders a string property, dim NotSet when unset.
func TextValue(s *ui.Styles, v *flow.Value) string {
	switch {
	case v == nil || v.Is(flow.Null):
		return s.Dim.Render(NotSet)
	case v.Is(flow.String):
		str, _ := v.Str()
		return ui.Shown(str)
	case v.Is(flow.Object):
		t := flow.Text{V: v}
		return fmt.Sprintf("%s %s", OneLine(t.In("en")), s.Dim.Render(fmt.Sprintf("(%d languages)", len(t.Langs()))))
	}
	return s.Error.Render(string(flow.MarshalCompact(v)))
}
