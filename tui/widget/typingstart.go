package widget

import "charm.land/bubbles/v2/textinput"

// AlteredNote is what a field says while it shows a stored value it cannot
// hold exactly: enter alone keeps the value, typing replaces it.
const AlteredNote = "this value holds characters the field cannot show; typing replaces it"

// alteredTypedNote is the same once something is typed.
const alteredTypedNote = "enter stores the text as shown; esc keeps the value as it was"

// typingStart is where typing into a text input began. A text input
// cannot hold every text: it drops control characters, turns tabs and
// line breaks into spaces and cuts what passes its limit. What it holds
// is remembered, so that enter on an untouched field applies nothing
// rather than the altered text, and so is whether the stored text
// survived, so that the field can say when it did not.
type typingStart struct {
	stored string // the text as stored
	held   string // the same text, as the input holds it
	fresh  bool   // typing began from nothing: whatever is there is new
}

// startTyping puts text in the input, the cursor at its end, and
// remembers it as where typing began.
func startTyping(in *textinput.Model, text string) typingStart {
	in.SetValue(text)
	in.CursorEnd()
	return typingStart{stored: text, held: in.Value()}
}

// startFresh empties the input for a text that does not exist yet: even
// an empty line is then something typed.
func startFresh(in *textinput.Model) typingStart {
	in.SetValue("")
	return typingStart{fresh: true}
}

// edited reports whether the input holds anything but what typing began
// from.
func (s typingStart) edited(in *textinput.Model) bool { return s.fresh || in.Value() != s.held }

// altered reports whether the input could not hold the stored text as it
// is.
func (s typingStart) altered() bool { return !s.fresh && s.held != s.stored }

// note says, while the input shows a value it could not hold exactly,
// what enter will do with it; "" otherwise.
func (s typingStart) note(in *textinput.Model) string {
	switch {
	case !s.altered():
		return ""
	case !s.edited(in):
		return AlteredNote
	}
	return alteredTypedNote
}
