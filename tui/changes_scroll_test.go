package tui

import (
	"strings"
	"testing"

	"github.com/identoflow/identoflow/flow"
)

// At 80×24 a change that introduces more problems than the Changes tab
// has rows says how many lines are below, and down scrolls to them.
func TestChangesTabScrollsATallChange(t *testing.T) {
	d := driverOnFlow(t, `{"flags":{"language":"ka"},"steps":[{"type":"language","flags":{"languages":["ka","en","ru"]}},
{"type":"user-questionnaire","key":"q","title":{"ka":"კითხვები","en":"Questions","ru":"Вопросы"},
"questions":[{"type":"string","key":"a","title":{"ka":"ა","en":"A","ru":"А"}},{"type":"string","key":"b","title":{"ka":"ბ","en":"B","ru":"Б"}},
{"type":"options","key":"c","title":{"ka":"გ","en":"C","ru":"В"},"options":[{"key":"x","title":{"ka":"x","en":"x","ru":"x"}},{"key":"y","title":{"ka":"y","en":"y","ru":"y"}}]}]}]}`)
	err := d.app.doc.Edit("add de", func(c *flow.Config) error {
		c.Steps()[0].SetFlag("languages", flow.NewStrings([]string{"ka", "en", "ru", "de"}))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	d.keys("tab", "tab", "tab", "tab", "tab")
	d.requireScreen("1 change; introduces 6 warnings", "more lines · ↓ scrolls")
	for range 3 {
		d.keys("down")
	}
	d.requireScreen("at /steps/1/title: no text")
	if strings.Contains(d.screen(), "more line") {
		t.Fatalf("at the change's end it still says lines are below:\n%s", d.screen())
	}
	d.requireFits()
}
