package tui

import (
	"errors"
	"testing"
)

func TestClipboardCopy(t *testing.T) {
	var got string
	ok := func(s string) error { got = s; return nil }
	broken := func(string) error { return errors.New("no clipboard utilities available") }

	if msg := clipboardCopy(ok, 7, "https://x/?session_token=t", "Link")().(clipboardDoneMsg); msg.fallback || msg.text != "" || msg.gen != 7 || got != "https://x/?session_token=t" {
		t.Errorf("working clipboard: %+v, wrote %q", msg, got)
	}
	for name, write := range map[string]func(string) error{"failing tool": broken, "no tool": nil} {
		msg := clipboardCopy(write, 7, "snippet", "Snippet")().(clipboardDoneMsg)
		if !msg.fallback || msg.text != "snippet" || msg.what != "Snippet" {
			t.Errorf("%s: %+v, want the OSC 52 fallback with the text", name, msg)
		}
	}
}
