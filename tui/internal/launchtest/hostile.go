package launchtest

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Hostile is text that acts on a terminal shown raw: SGR colours with
// blink, a bell, an OSC 52 clipboard write, an OSC 8 link, a C1 CSI
// (U+009B) clearing the screen, a cursor-position request, a right-to-left
// override and an isolate. Tests put it wherever a config, a server or a
// file name puts text, and check frames with UnsafeInFrame.
const Hostile = "\x1b[5;31mRED\x1b[0m\a\x1b]52;c;SGVsbG8=\a\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\\u009b2J\x1b[6n\u202eevil\u2066iso\u2069"

// HostileName is Hostile as a file name can hold it (no slash).
const HostileName = "\x1b[5;31mf\a\x1b]52;c;SGVsbG8=\a\u009b2J\u202e\u2066"

// UnsafeInFrame describes the first thing in a frame that did not come
// from the wizard's own styling, "" when there is none. The wizard styles
// with SGR sequences only and never blinks (SGR 5 or 6), so any other
// escape sequence, a blinking SGR, a bell or other control character (a
// line end aside), a C1 control, DEL or a bidirectional formatting
// character came from the content.
func UnsafeInFrame(frame string) string {
	for i := 0; i < len(frame); {
		c := frame[i]
		if c == 0x1b {
			n, bad := sgrAt(frame[i:])
			if bad != "" {
				return fmt.Sprintf("%s at byte %d: %q", bad, i, excerptAt(frame, i))
			}
			i += n
			continue
		}
		r, size := utf8.DecodeRuneInString(frame[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return fmt.Sprintf("invalid UTF-8 byte %#x at byte %d: %q", c, i, excerptAt(frame, i))
		case r == '\n':
		case r < 0x20, r >= 0x7f && r <= 0x9f,
			r == '\u061c', r == '\u200e', r == '\u200f',
			r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069',
			r == '\u2028', r == '\u2029':
			return fmt.Sprintf("%U at byte %d: %q", r, i, excerptAt(frame, i))
		}
		i += size
	}
	return ""
}

// sgrAt reads the escape sequence at the start of s: its length when it is
// an SGR that does not blink, else what is wrong with it.
func sgrAt(s string) (int, string) {
	if len(s) < 2 || s[1] != '[' {
		return 0, "an escape sequence that is not SGR"
	}
	end := 2
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == ';' || s[end] == ':') {
		end++
	}
	if end == len(s) || s[end] != 'm' {
		return 0, "a CSI sequence that is not SGR"
	}
	params := strings.Split(s[2:end], ";")
	for j := 0; j < len(params); j++ {
		p := params[j]
		if strings.Contains(p, ":") {
			continue // a colour in the colon form carries its own arguments
		}
		n, _ := strconv.Atoi(p)
		switch n {
		case 38, 48, 58: // colours: 5;N or 2;R;G;B follow
			if j+1 < len(params) && params[j+1] == "5" {
				j += 2
			} else if j+1 < len(params) && params[j+1] == "2" {
				j += 4
			}
		case 5, 6:
			return 0, "a blinking SGR"
		}
	}
	return end + 1, ""
}

func excerptAt(s string, i int) string {
	from, to := max(0, i-20), min(len(s), i+20)
	return s[from:to]
}
