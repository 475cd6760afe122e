package widget

import (
	"errors"
	"testing"
)

func TestClipboardCopy(t *testing.T) {
	var got string
	ok := func(s string) error { got = s; return nil }
	broken := func(string) error { return errors.New("no clipboard utilities available") }

	if msg := ClipboardCopy(ok, 7, "https://x/?session_token=t", "Link")().(ClipboardDoneMsg); msg.Fallback || msg.Text != "" || msg.Gen != 7 || got != "https://x/?session_token=t" {
		t.Errorf("working clipboard: %+v, wrote %q", msg, got)
	}
	for name, write := range map[string]func(string) error{"failing tool": broken, "no tool": nil} {
		msg := ClipboardCopy(write, 7, "snippet", "Snippet")().(ClipboardDoneMsg)
		if !msg.Fallback || msg.Text != "snippet" || msg.What != "Snippet" {
			t.Errorf("%s: %+v, want the OSC 52 fallback with the text", name, msg)
		}
	}
}
