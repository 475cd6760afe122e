// The root's screens in words, for accessible mode (ui.Describer).

package tui

import (
	"fmt"
	"strings"

	"github.com/identoflow/identoflow/flow"
)

// Describe says the line under the cursor, its section and its place.
func (h *home) Describe() string {
	if h.opening {
		s := fmt.Sprintf("Open a file: typing the path %q. Tab completes, enter opens, esc goes back.", flow.Visible(h.path.Value()))
		if m := h.matches; len(m) > 0 && len(m) <= 6 && h.matchesFor == h.path.Value() {
			s += " It may be: " + flow.Visible(strings.Join(m, ", ")) + "."
		}
		return s
	}
	it := h.items[h.cursor]
	s := fmt.Sprintf("%s: %s, selected, %d of %d.", it.section, flow.Visible(it.label), h.cursor+1, len(h.items))
	if it.detail != "" {
		s = strings.TrimSuffix(s, ".") + ": " + flow.Visible(it.detail) + "."
	}
	return s + " Enter chooses it."
}

// Describe says where the file does not parse and what can be done.
func (v *errorView) Describe() string {
	return fmt.Sprintf("%s is not a valid config: line %d, column %d: %s. It is shown read-only. e opens it in your editor, r reads it again, esc goes home.",
		flow.Visible(v.path), v.err.Line, v.err.Column, strings.TrimSuffix(flow.Visible(v.err.Msg), "."))
}
