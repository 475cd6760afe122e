package flow

import "testing"

// MarshalCompact sizes its buffer once: compactSize is the exact length
// of text without escapes.
func TestCompactSizeIsTheLength(t *testing.T) {
	for _, tpl := range Templates() {
		c, err := TemplateConfig(tpl.Name)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := compactSize(c.root), len(MarshalCompact(c.root)); got != want {
			t.Errorf("%s: compactSize %d, MarshalCompact wrote %d bytes", tpl.Name, got, want)
		}
	}
}
