package export

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// At 80×24 the QR code and the link below it share the screen: the rows
// from the code's first line to the end fit above the shell's prompt,
// and so does a note about the link when there is one.
// localNote is the note begin prints under a link a phone cannot open.
const localNote = "A phone cannot open 127.0.0.1: use sandbox --lan's address or its --public-url."

func noteFor(url string) string {
	if strings.Contains(url, "127.0.0.1") {
		return localNote
	}
	return ""
}

func TestBeginLayoutKeepsTheLinkBelowTheCode(t *testing.T) {
	token := strings.Repeat("a1", 20)
	url := "https://widget.identomat.com/?session_token=" + token
	lines := SessionLines(token, url, time.Date(2026, 1, 2, 9, 45, 0, 0, time.UTC))
	local := "http://127.0.0.1:8791/s/" + token
	localLines := SessionLines(token, local, time.Date(2026, 1, 2, 9, 45, 0, 0, time.UTC))
	for _, size := range []struct{ w, h int }{{80, 24}, {100, 30}, {120, 40}} {
		out := SessionWithQR(localLines, local, localNote, QROptions{Plain: true}, size.w, size.h)
		if note := localNote; !strings.HasSuffix(out, "\n"+note+"\n") {
			t.Errorf("%dx%d: the note is not the last line:\n%s", size.w, size.h, out)
		}
		rows := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		first := slices.IndexFunc(rows, func(r string) bool { return strings.ContainsAny(r, "█▀▄") })
		shown := 0
		for _, r := range rows[max(first, 0):] {
			shown += max(1, (ansi.StringWidth(r)+size.w-1)/size.w)
		}
		if first < 0 || shown > size.h-1 {
			t.Errorf("%dx%d: with the note, the code and what follows take %d rows; only %d are on screen above the prompt:\n%s", size.w, size.h, shown, size.h-1, out)
		}
		out = SessionWithQR(lines, url, "", QROptions{Plain: true}, size.w, size.h)
		rows = strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		first = slices.IndexFunc(rows, func(r string) bool { return strings.ContainsAny(r, "█▀▄") })
		last := first
		for last+1 < len(rows) && strings.ContainsAny(rows[last+1], "█▀▄") {
			last++
		}
		if first < 0 {
			t.Fatalf("%dx%d: no code drawn:\n%s", size.w, size.h, out)
		}
		shown = 0
		for _, r := range rows[first:] {
			shown += max(1, (ansi.StringWidth(r)+size.w-1)/size.w)
		}
		if shown > size.h-1 {
			t.Errorf("%dx%d: the code and what follows take %d rows; only %d are on screen above the prompt:\n%s", size.w, size.h, shown, size.h-1, out)
		}
		after := strings.Join(rows[last+1:], "\n")
		if !strings.Contains(after, url) {
			t.Errorf("%dx%d: the link is not below the code:\n%s", size.w, size.h, out)
		}
		if size.h >= 30 && !strings.Contains(after, "expires") {
			t.Errorf("%dx%d: with room to spare, the expiry belongs below the code too:\n%s", size.w, size.h, out)
		}
		for _, l := range lines {
			if !strings.Contains(out, strings.Fields(l)[0]) {
				t.Errorf("%dx%d: %q is missing", size.w, size.h, l)
			}
		}
	}
}

// At 80×24 and up, everything begin shows fits one screen above the
// shell's prompt: the code (as RenderQR draws it), the link whole on a
// line of its own, the token, the expiry and the note when there is one.
func TestBeginLayoutFitsOneScreen(t *testing.T) {
	token := strings.Repeat("a1", 20)
	expires := time.Date(2026, 1, 2, 9, 45, 0, 0, time.UTC)
	vendor := "https://widget.identomat.com/?session_token=" + token
	local := "http://127.0.0.1:8791/?session_token=" + token
	for _, size := range []struct{ w, h int }{{80, 24}, {90, 25}, {100, 30}, {120, 40}} {
		for _, url := range []string{vendor, local} {
			note := noteFor(url)
			out := SessionWithQR(SessionLines(token, url, expires), url, note, QROptions{Plain: true}, size.w, size.h)
			rows := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			shown := 0
			for _, r := range rows {
				shown += max(1, (ansi.StringWidth(r)+size.w-1)/size.w)
			}
			if shown > size.h-1 {
				t.Errorf("%dx%d %s: %d rows; only %d fit above the prompt:\n%s", size.w, size.h, url, shown, size.h-1, out)
			}
			isCode := func(r string) bool { return strings.HasPrefix(r, "██") }
			first := slices.IndexFunc(rows, isCode)
			if first < 0 {
				t.Fatalf("%dx%d: no code:\n%s", size.w, size.h, out)
			}
			last := first
			for last+1 < len(rows) && isCode(rows[last+1]) {
				last++
			}
			qrCols := ansi.StringWidth(rows[first])
			var code, beside []string
			for _, r := range rows[first : last+1] {
				code = append(code, ansi.Cut(r, 0, qrCols))
				beside = append(beside, strings.TrimSpace(ansi.Cut(r, qrCols, ansi.StringWidth(r))))
			}
			want, err := RenderQR(url, QROptions{Plain: true, MaxCols: qrCols, MaxRows: len(code)})
			if err != nil || strings.Join(code, "\n") != want {
				t.Errorf("%dx%d %s: the code is not RenderQR's (%v):\n%s", size.w, size.h, url, err, out)
			}
			if !slices.ContainsFunc(rows[last+1:], func(r string) bool { return r == url || r == "widget URL     "+url }) {
				t.Errorf("%dx%d %s: the link is not whole on a line below the code:\n%s", size.w, size.h, url, out)
			}
			text := strings.Join(strings.Fields(strings.Join(append(append(rows[:first:first], beside...), rows[last+1:]...), " ")), " ")
			for _, want := range []string{"session token", "expires 09:45:00", "Scan with the customer's phone to continue there:", strings.Join(strings.Fields(note), " ")} {
				if !strings.Contains(text, want) {
					t.Errorf("%dx%d %s: %q is missing:\n%s", size.w, size.h, url, want, out)
				}
			}
			if !strings.Contains(strings.ReplaceAll(text, token[:20]+" "+token[20:], token), "session token "+token) {
				t.Errorf("%dx%d %s: the token is not after its label:\n%s", size.w, size.h, url, out)
			}
		}
	}
}

func TestWrapWords(t *testing.T) {
	token := strings.Repeat("a1", 20)
	for _, c := range []struct {
		in    string
		limit int
		want  []string
	}{
		{"session token  " + token, 37, []string{"session token", token[:20], token[20:]}},
		{"A phone cannot open 127.0.0.1: use sandbox --lan's address or its --public-url.", 37,
			[]string{"A phone cannot open 127.0.0.1: use", "sandbox --lan's address or its", "--public-url."}},
		{"expires        09:45:00 UTC (in 15 minutes)", 40, []string{"expires 09:45:00 UTC (in 15 minutes)"}},
		{"", 10, nil},
	} {
		if got := wrapWords(c.in, c.limit); !slices.Equal(got, c.want) {
			t.Errorf("wrapWords(%q, %d) = %q, want %q", c.in, c.limit, got, c.want)
		}
	}
}
