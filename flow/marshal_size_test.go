package flow

import "testing"

// Marshal and MarshalCompact size their buffers once: textSize is the
// exact length of text without escapes, indented and compact.
func TestTextSizeIsTheLength(t *testing.T) {
	for _, tpl := range Templates() {
		c, err := TemplateConfig(tpl.Name)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := textSize(c.root, -1), len(MarshalCompact(c.root)); got != want {
			t.Errorf("%s: compact size %d, MarshalCompact wrote %d bytes", tpl.Name, got, want)
		}
		if got, want := textSize(c.root, 0)+1, len(Marshal(c.root)); got != want { // and the final line break
			t.Errorf("%s: indented size %d, Marshal wrote %d bytes", tpl.Name, got, want)
		}
	}
}
