package editor

import (
	"fmt"
	"strings"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// The JSON beside the list on wide terminals: only the lines shown.

// sidePreview is the JSON of the selected step (Steps pane) or of the
// whole flow, beside the pane on wide terminals.
func (e *Editor) sidePreview() string {
	s := &e.common.Styles
	w := e.width - e.width*3/5 - 3
	var title string
	p := e.steps.selected()
	if e.pane == paneSteps && p != nil {
		title = "JSON of " + p.Pointer()
	} else {
		title = "JSON to be saved"
	}
	if cacheKey := fmt.Sprintf("%d %d %s", e.doc.State(), e.height, title); cacheKey != e.sideKey {
		v := e.doc.Config.Root()
		if e.pane == paneSteps && p != nil {
			st, _ := e.doc.Config.StepAt(p)
			v = st.V
		}
		e.sideKey, e.sideText = cacheKey, firstLines(flow.Marshal(maskCredentials(previewHead(v, e.height))), e.height)
	}
	lines := e.sideText[:min(len(e.sideText), e.height)]
	lines = append([]string{s.Dim.Render(title), ""}, lines...)
	return ui.FitBlock(strings.Join(lines, "\n"), w, e.height)
}

// previewHead is v cut down to what the first n lines of its JSON show:
// the values after the first n (in the order they are written) are left
// out and long strings clipped (ui.Clip), so that a screenful of a large
// flow or a huge text does not cost marshalling all of it. Up to line n
// the JSON is v's, but for the clipped strings, which a line cuts anyway.
func previewHead(v *flow.Value, n int) *flow.Value {
	budget := n + 1 // the first line opens v itself
	var head func(v *flow.Value) *flow.Value
	head = func(v *flow.Value) *flow.Value {
		budget--
		switch v.Kind() {
		case flow.String:
			if s, _ := v.Str(); len(ui.Clip(s)) < len(s) {
				return flow.NewString(ui.Clip(s))
			}
		case flow.Array:
			var items []*flow.Value
			for _, it := range v.Items() {
				if budget <= 0 {
					break
				}
				items = append(items, head(it))
			}
			return flow.NewArray(items...)
		case flow.Object:
			var members []flow.Member
			for _, m := range v.Members() {
				if budget <= 0 {
					break
				}
				members = append(members, flow.Member{Name: ui.Clip(m.Name), Value: head(m.Value)})
			}
			return flow.ObjectOf(members...)
		}
		return v
	}
	return head(v)
}

// firstLines returns up to n lines of text, without line ends.
func firstLines(text []byte, n int) []string {
	lines := make([]string, 0, n)
	rest := string(text)
	for len(lines) < n && rest != "" {
		line, after, _ := strings.Cut(rest, "\n")
		lines = append(lines, ui.Clip(line)) // a 16 MiB text is one line

		rest = after
	}
	return lines
}
