package export

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/identoflow/identoflow/flow"
)

// SessionLines are what begin says of a new session: token, link, expiry.
func SessionLines(token, url string, expires time.Time) []string {
	return []string{
		"session token  " + token,
		"widget URL     " + url,
		"expires        " + expires.Local().Format("15:04:05 MST") + " (in 15 minutes)",
	}
}

// SessionWithQR lays out the session's lines around a QR code for a w×h
// terminal, so that everything the operator needs is on one screen above
// the shell's prompt: the code, the link below it (whole, so terminals
// find it), the token, the expiry and the note (if any), which is the
// last line when there is room. It takes the first of these that fits:
// every line below the code; the caption and expiry beside the code and
// the link, token and note below; only the link below and the rest beside
// (at 80×24 a vendor link takes two rows and its code 21). Failing those,
// the link and the note go below and the rest above, where it may scroll
// away.
func SessionWithQR(lines []string, url, note string, opt QROptions, w, h int) string {
	const prompt = 1
	const caption = "Scan with the customer's phone to continue there:"
	rowsOf := func(ls []string) int {
		n := 0
		for _, l := range ls {
			n += max(1, (ansi.StringWidth(l)+w-1)/max(1, w))
		}
		return n
	}
	token, link, expiry := lines[0], lines[1], lines[2]
	if ansi.StringWidth(link) > w {
		link = url // without its label it may still fit one row
	}
	withNote := func(ls ...string) []string {
		if note != "" {
			return append(ls, note)
		}
		return ls
	}
	if qr, err := fitQR(url, opt, w, h-prompt-rowsOf([]string{caption})-rowsOf(withNote(lines[1], token, expiry))); err == nil {
		return caption + "\n" + qr + "\n" + strings.Join(withNote(lines[1], token, expiry), "\n") + "\n"
	}
	for _, p := range []struct{ beside, below []string }{
		{[]string{caption, expiry}, withNote(link, token)},
		{withNote(caption, token, expiry), []string{link}},
	} {
		if out, ok := besideQR(url, opt, p.beside, w, h-prompt-rowsOf(p.below)); ok {
			return out + strings.Join(p.below, "\n") + "\n"
		}
	}
	below := withNote(link)
	qr, err := fitQR(url, opt, w, h-prompt-rowsOf(below))
	if err == nil {
		return strings.Join([]string{token, expiry, caption}, "\n") + "\n" + qr + "\n" + strings.Join(below, "\n") + "\n"
	}
	text := strings.Join(withNote(lines...), "\n")
	var small *TooSmallError
	if errors.As(err, &small) {
		return text + fmt.Sprintf("\n\nThe terminal is too small for the QR code: it needs at least %d columns by %d rows (it is %d by %d).\nOpen the URL above on the phone, or enlarge the terminal and run again.\n",
			small.NeedCols, small.NeedRows+prompt+rowsOf([]string{link}), w, h)
	}
	return text + "\n\n" + flow.Visible(err.Error()) + "\nOpen the URL above on the phone.\n"
}

// wrapWords wraps s at spaces (one between words: the labels' padding is
// for a column of lines) into lines of at most limit cells. A word wider
// than that (a token) is cut into even pieces, a line each, not into a
// full line and a scrap.
func wrapWords(s string, limit int) []string {
	var lines []string
	line, width := "", 0
	for _, word := range strings.Fields(s) {
		ww := ansi.StringWidth(word)
		if ww > limit {
			if line != "" {
				lines = append(lines, line)
				line, width = "", 0
			}
			pieces := (ww + limit - 1) / limit
			size := (ww + pieces - 1) / pieces
			for at := 0; at < ww; at += size {
				lines = append(lines, ansi.Cut(word, at, at+size))
			}
			continue
		}
		switch {
		case line == "":
			line, width = word, ww
		case width+1+ww <= limit:
			line, width = line+" "+word, width+1+ww
		default:
			lines = append(lines, line)
			line, width = word, ww
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// fitQR draws the code of url in at most w×h cells.
func fitQR(url string, opt QROptions, w, h int) (string, error) {
	opt.MaxCols, opt.MaxRows = max(1, w), max(1, h)
	return RenderQR(url, opt)
}

// besideQR draws the code of url in at most w×h cells with texts beside
// it, each wrapped to the room on its right (blank lines between them
// when there are rows enough), one row below the code's top edge. ok is
// false when the texts do not fit beside the largest code that does.
func besideQR(url string, opt QROptions, texts []string, w, h int) (string, bool) {
	const gap, minBeside = 2, 24 // a narrower column would wrap every few words
	qr, err := fitQR(url, opt, w-gap-minBeside, h)
	if err != nil {
		return "", false
	}
	rows := strings.Split(qr, "\n")
	room := w - ansi.StringWidth(rows[0]) - gap
	var side []string
	for _, t := range texts {
		side = append(side, wrapWords(t, room)...)
		side = append(side, "")
	}
	side = side[:max(0, len(side)-1)]
	if len(side)+1 > len(rows) {
		side = slices.DeleteFunc(side, func(l string) bool { return l == "" })
	}
	if len(side) > len(rows) {
		return "", false
	}
	top := min(1, len(rows)-len(side))
	var b strings.Builder
	for i, r := range rows {
		b.WriteString(r)
		if j := i - top; j >= 0 && j < len(side) && side[j] != "" {
			b.WriteString(strings.Repeat(" ", gap) + side[j])
		}
		b.WriteByte('\n')
	}
	return b.String(), true
}
