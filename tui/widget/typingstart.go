package widget

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/textinput"

	"github.com/identoflow/identoflow/flow"
)

// AlteredNote begins what a field says while it shows a stored value it
// cannot hold exactly: which characters it cannot show, and that an edit
// keeps them where it leaves them alone.
const AlteredNote = "the field cannot show "

// typingStart is where typing into a text input began. A text input
// cannot hold every text: it drops control characters, turns tabs and
// line breaks into spaces and cuts what passes its limit. What it holds
// is remembered, so that enter on an untouched field applies nothing
// rather than the altered text, and so that an edit keeps the characters
// the input could not hold wherever the edit left them alone.
type typingStart struct {
	stored string // the text as stored
	held   string // the same text, as the input holds it
	fresh  bool   // typing began from nothing: whatever is there is new
}

// startTyping puts text in the input, the cursor at its end, and
// remembers it as where typing began.
func startTyping(in *textinput.Model, text string) typingStart {
	// The input's length limit guards against pasting a book, not against
	// a stored text: one longer than the limit would be cut, and with it
	// everything past the limit lost on the first edit.
	if n := utf8.RuneCountInString(text); in.CharLimit > 0 && n >= in.CharLimit {
		in.CharLimit = n + 1024
	}
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

// value is the text enter applies: the stored text when nothing was
// typed, else what was typed with the characters the input could not hold
// put back wherever the edit left them alone.
func (s typingStart) value(in *textinput.Model) string {
	if !s.edited(in) {
		return s.stored
	}
	v, _ := s.merge(in.Value())
	return v
}

// note says, while the input shows a value it could not hold exactly,
// which characters it cannot show and what enter does with them; ""
// otherwise.
func (s typingStart) note(in *textinput.Model) string {
	if !s.altered() {
		return ""
	}
	if !s.edited(in) {
		return AlteredNote + charNames(hiddenOf(heldPieces(s.stored))) + "; an edit keeps them where it leaves them alone"
	}
	if _, dropped := s.merge(in.Value()); len(dropped) > 0 {
		return "enter drops " + charNames(dropped) + " (the field cannot show them); esc keeps the value as it was"
	}
	return "enter keeps " + charNames(hiddenOf(heldPieces(s.stored))) + ", which the field cannot show"
}

// droppedNote is the status after applying an edit that covered
// characters the field could not show: what went, and how to get it back.
func droppedNote(dropped []string) string {
	return "applied without " + charNames(dropped) + ", which the field could not show · u undoes it"
}

// dropped lists, as they are written out, the stored characters the
// input could not hold that applying typed would lose: those inside the
// part the edit changed.
func (s typingStart) dropped(in *textinput.Model) []string {
	if !s.altered() || !s.edited(in) {
		return nil
	}
	_, dropped := s.merge(in.Value())
	return dropped
}

// piece is a character of the stored text and what the input holds for
// it: itself, a space (tab, line break) or nothing (other controls,
// invalid bytes).
type piece struct{ stored, held string }

// heldPieces splits stored as a text input's sanitizer treats it.
func heldPieces(stored string) []piece {
	var ps []piece
	for i := 0; i < len(stored); {
		r, size := utf8.DecodeRuneInString(stored[i:])
		p := piece{stored: stored[i : i+size], held: stored[i : i+size]}
		switch {
		case r == utf8.RuneError:
			p.held = ""
		case r == '\r' || r == '\n' || r == '\t':
			p.held = " "
		case unicode.IsControl(r):
			p.held = ""
		}
		ps = append(ps, p)
		i += size
	}
	return ps
}

// hiddenOf is the stored characters of ps the input does not hold as they
// are, written out.
func hiddenOf(ps []piece) []string {
	var out []string
	for _, p := range ps {
		if p.held != p.stored {
			out = append(out, flow.Visible(p.stored))
		}
	}
	return out
}

// charNames lists written-out characters once each, the first few.
func charNames(chars []string) string {
	const most = 5
	var seen []string
	for _, c := range chars {
		if !slices.Contains(seen, c) {
			seen = append(seen, c)
		}
	}
	if len(seen) > most {
		return strings.Join(seen[:most], " ") + " …"
	}
	return strings.Join(seen, " ")
}

// merge is typed with the stored characters the input could not hold put
// back where typed still holds the text around them: the edit is taken as
// the one stretch where typed differs from what the input held, and the
// hidden characters inside that stretch are dropped (and listed).
func (s typingStart) merge(typed string) (string, []string) {
	ps := heldPieces(s.stored)
	var joined strings.Builder
	for _, p := range ps {
		joined.WriteString(p.held)
	}
	if joined.String() != s.held {
		// The input cut the text (its length limit): where its pieces
		// went is not known, so none is put back.
		return typed, hiddenOf(ps)
	}
	held := s.held
	pre := 0
	for pre < len(held) && pre < len(typed) && held[pre] == typed[pre] {
		pre++
	}
	suf := 0
	for suf < len(held)-pre && suf < len(typed)-pre && held[len(held)-1-suf] == typed[len(typed)-1-suf] {
		suf++
	}
	first, off := 0, 0 // the pieces wholly inside the common start
	for first < len(ps) && off+len(ps[first].held) <= pre {
		off += len(ps[first].held)
		first++
	}
	last, offEnd := len(ps), 0 // ps[last:] wholly inside the common end
	for last > first && offEnd+len(ps[last-1].held) <= suf {
		offEnd += len(ps[last-1].held)
		last--
	}
	var b strings.Builder
	for _, p := range ps[:first] {
		b.WriteString(p.stored)
	}
	b.WriteString(typed[off : len(typed)-offEnd])
	for _, p := range ps[last:] {
		b.WriteString(p.stored)
	}
	return b.String(), hiddenOf(ps[first:last])
}
