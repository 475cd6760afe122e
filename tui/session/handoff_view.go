package session

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/api/sandbox"
	"github.com/identoflow/identoflow/export"
	"github.com/identoflow/identoflow/tui/ui"
)

const (
	handoffGap     = 2  // columns between the QR code and the text beside it
	handoffSideMin = 30 // narrowest text column beside the QR code
	handoffQRKept  = 32 // rendered codes kept (one per room size and style)
)

// handoffQRKey is what a rendered code depends on.
type handoffQRKey struct {
	content    string
	style      export.QRStyle
	cols, rows int
	plain      bool
	light      bool // plain, on a light background
}

type handoffQR struct {
	text   string
	layout export.QRLayout
	err    error
}

// handoffQRCache keeps rendered codes so a redraw (every second, for the
// countdown) does not encode the code again.
type handoffQRCache struct{ entries map[handoffQRKey]handoffQR }

func (c *handoffQRCache) get(k handoffQRKey) handoffQR {
	if q, ok := c.entries[k]; ok {
		return q
	}
	if c.entries == nil || len(c.entries) >= handoffQRKept {
		c.entries = make(map[handoffQRKey]handoffQR)
	}
	opt := export.QROptions{Style: k.style, MaxCols: k.cols, MaxRows: k.rows, Plain: k.plain, LightBackground: k.light}
	var q handoffQR
	q.layout, q.err = export.PlanQR(k.content, opt)
	if q.err == nil {
		q.text, q.err = export.RenderQR(k.content, opt)
	}
	c.entries[k] = q
	return q
}

func (h handoffLayout) qrFor(style export.QRStyle, cols, rows int) handoffQR {
	if cols <= 0 || rows <= 0 {
		return handoffQR{err: &export.TooSmallError{HaveCols: max(cols, 0), HaveRows: max(rows, 0)}}
	}
	return h.qr.get(handoffQRKey{content: h.session.URL, style: style, cols: cols, rows: rows,
		plain: h.common.NoColor, light: h.common.NoColor && !h.common.IsDark})
}

// handoffLayout draws a handoff: the code and the texts beside or under
// it, the code-less fallback, and how the session ended.
type handoffLayout struct{ *handoff }

func (h *handoff) view() string {
	layout := handoffLayout{h}
	switch {
	case h.result != nil:
		return layout.endView(outcomeWord(*h.result), outcomeStyle(&h.common.Styles, h.result.Outcome()), ui.Shown(h.l.redact(h.result.Label())))
	case h.expired:
		return layout.endView("EXPIRED", h.common.Styles.Warning, "The session expired before the customer finished.")
	case h.common.Accessible && !h.showQR:
		return layout.spokenView()
	}
	return layout.liveView()
}

// liveView is the QR code, as large as the room allows, with the link and
// the countdown under it or beside it; or the link alone with the size the
// terminal needs when the code cannot fit.
func (h handoffLayout) liveView() string {
	banner := launchBanner(h.common, h.l)
	bannerRows := 0
	if banner != "" {
		bannerRows = 1
	}
	w := h.width
	head, tail := h.infoParts(w, false)
	stackedRows := h.height - bannerRows - len(head) - len(tail)
	for _, style := range []export.QRStyle{export.QRFull, export.QRHalf} {
		// Of the two places for the text, the one leaving the wider quiet
		// zone wins (scanners need it); on a tie, the text goes under.
		below := h.qrFor(style, w, stackedRows)
		beside := h.qrFor(style, w-handoffGap-handoffSideMin, h.height)
		switch {
		case below.err == nil && (beside.err != nil || below.layout.Quiet >= beside.layout.Quiet):
			return joinLines(banner, h.stacked(below, head, tail))
		case beside.err == nil:
			return h.side(beside, banner)
		}
	}
	return joinLines(banner, h.tooSmall(h.height-bannerRows))
}

func (h handoffLayout) stacked(q handoffQR, head, tail []string) string {
	pad := strings.Repeat(" ", max(0, (h.width-q.layout.Cols)/2))
	lines := append([]string(nil), head...)
	for _, l := range strings.Split(q.text, "\n") {
		lines = append(lines, pad+l)
	}
	return strings.Join(append(lines, tail...), "\n")
}

func (h handoffLayout) side(q handoffQR, banner string) string {
	panelW := h.width - q.layout.Cols - handoffGap
	head, tail := h.infoParts(panelW, false)
	var info []string
	if banner != "" {
		info = append(info, banner, "")
	}
	info = append(append(append(info, head...), ""), tail...)
	info = h.keepFlash(info, h.height, panelW)
	panel := ui.FitBlock(strings.Join(info, "\n"), panelW, h.height)
	gap := strings.TrimRight(strings.Repeat(strings.Repeat(" ", handoffGap)+"\n", q.layout.Rows), "\n")
	return lipgloss.JoinHorizontal(lipgloss.Top, q.text, gap, panel)
}

// tooSmall is the link and the size the terminal needs, in rows.
func (h handoffLayout) tooSmall(rows int) string {
	s := &h.common.Styles
	msg := "Terminal too small for the QR code."
	need := "Enlarge the terminal to show it, or open the link below."
	q := h.qrFor(export.QRHalf, h.width-handoffGap-handoffSideMin, h.height)
	var small *export.TooSmallError
	if errors.As(q.err, &small) && small.NeedCols > 0 {
		// The whole terminal's size, as the person can change it; the
		// code's own room excludes the text beside it and the chrome.
		chrome := max(0, h.common.Height-h.height)
		need = fmt.Sprintf("Make the terminal at least %d columns by %d rows (it is %d by %d) to show it, or open the link below.",
			small.NeedCols+handoffGap+handoffSideMin, small.NeedRows+chrome, h.common.Width, h.common.Height)
	}
	_, tail := h.infoParts(h.width, true)
	lines := append(h.titleLines(h.width), "")
	lines = append(lines, strings.Split(s.Warning.Render(wrapText(msg, h.width)), "\n")...)
	lines = append(lines, strings.Split(s.Dim.Render(wrapText(need, h.width)), "\n")...)
	return strings.Join(h.keepFlash(append(append(lines, ""), tail...), rows, h.width), "\n")
}

// keepFlash keeps a confirmation (a copy's) in sight on a screen of lines
// taller than rows: it takes the last row shown, for the few seconds it
// stays, rather than fall off the foot with the texts over it.
func (h handoffLayout) keepFlash(lines []string, rows, width int) []string {
	if h.flash == "" || rows < 1 || len(lines) <= rows {
		return lines
	}
	return append(lines[:rows-1:rows-1], h.common.Styles.OK.Render(ui.Truncate(h.flash, width)))
}

// infoParts are the texts that go with the code, wrapped to width: above
// it (or first) a title and the instruction; below it (or after) the
// link, the countdown, the polling state and a confirmation line (kept
// even when empty, so the code does not jump when it appears).
//
// wholeLink: no code is drawn, so the link is shown whole, broken over
// lines at the width; beside or under a code it stays on one line.
func (h handoffLayout) infoParts(width int, wholeLink bool) (head, tail []string) {
	s := &h.common.Styles
	instruction := "Scan the code with the phone's camera, or open the link:"
	reach := ""
	if h.l.sandboxMode() {
		switch h.l.sandbox.scope() {
		case sandbox.ScopeLoopback:
			// The link's note says that a phone cannot open it.
		case sandbox.ScopeLAN:
			instruction = "Scan the code with a phone on this network, or open the link:"
			fallthrough
		default:
			reach = "The sandbox is " + h.l.sandbox.reach() + "."
		}
	}
	split := func(texts ...string) []string {
		var out []string
		for _, t := range texts {
			out = append(out, strings.Split(t, "\n")...)
		}
		return out
	}
	note := phoneNote(h.l, h.session.URL, h.desk)
	if note != "" { // the note says why a phone cannot
		instruction = "Open the link in a browser on this computer:"
	}
	head = append(h.titleLines(width), split(s.Dim.Render(wrapText(instruction, width)))...)
	if note != "" {
		head = append(head, split(s.Warning.Render(wrapText(note, width)))...)
	}
	if reach != "" {
		head = append(head, split(s.Info.Render(wrapText(reach, width)))...)
	}
	link := h.linkLines(width)
	if wholeLink {
		link = wholeLinkLines(&h.common.Styles, h.session.URL, width)
	}
	tail = split(
		link,
		h.countdown(),
		h.pollLine(width),
	)
	if h.progress.known {
		tail = append(tail, split(s.Info.Render(wrapText(progressLine(h.progress.at), width)))...)
	}
	tail = append(tail, s.OK.Render(ui.Truncate(h.flash, width)))
	return head, tail
}

// linkLines show the widget link on one line, never broken inside.
func (h handoffLayout) linkLines(width int) string {
	return linkLines(&h.common.Styles, h.session.URL, width)
}

// linkLines show a session's link on one line, never broken inside: a
// link wrapped onto several lines cannot be selected and copied whole.
// Where it does not fit it is cut, and a line says that c copies it.
func linkLines(s *ui.Styles, url string, width int) string {
	link := ui.Shown(url) // the server's token is in it
	if ansi.StringWidth(link) <= width {
		return s.Key.Render(link)
	}
	return s.Key.Render(ansi.Truncate(link, width, "…")) + "\n" +
		s.Dim.Render(wrapText("(cut to fit: c copies the whole link)", width))
}

// wholeLinkLines show a session's link whole where no code is drawn
// beside it (a clipboard may be out of reach): broken at the width with
// nothing added inside it, so that a selection across its lines copies
// the link.
func wholeLinkLines(s *ui.Styles, url string, width int) string {
	link := ui.Shown(url) // the server's token is in it
	rows := strings.Split(ansi.Hardwrap(link, max(1, width), false), "\n")
	for i, r := range rows {
		rows[i] = s.Key.Render(r)
	}
	return strings.Join(rows, "\n")
}

// titleLines name the customer, when the session names one.
func (h handoffLayout) titleLines(width int) []string {
	title := h.who.line()
	if title == "" {
		title = "Verification session"
	}
	return strings.Split(h.common.Styles.Title.Render(wrapText(title, width)), "\n")
}

func (h handoffLayout) countdown() string {
	s := &h.common.Styles
	left := h.remaining()
	at := h.session.ExpiresAt.Format("15:04:05")
	switch {
	case left <= 0:
		return s.Warning.Render("Expired at " + at)
	case left < 2*time.Minute:
		return s.Warning.Render("Expires in " + clockDuration(left) + " (at " + at + ")")
	}
	return "Expires in " + clockDuration(left) + " (at " + at + ")"
}

// customerFinishedWords say that the built-in sandbox's customer has
// finished, between that and the result's arrival.
const customerFinishedWords = "The customer has finished: fetching the result…"

func (h handoffLayout) pollLine(width int) string {
	s := &h.common.Styles
	switch {
	case h.pollErr != "":
		return s.Error.Render(wrapText(ui.Shown(h.pollErr), width))
	case h.expiring:
		return s.Dim.Render("Time is up: checking for a last result…")
	case h.customerFinished():
		return s.Dim.Render(wrapText(customerFinishedWords, width))
	case !h.checkedAt.IsZero():
		return s.Dim.Render(wrapText("Waiting for the customer to finish… (checked "+h.checkedAt.Format("15:04:05")+")", width))
	}
	return s.Dim.Render("Waiting for the customer to finish…")
}

// endView shows how the session ended, large.
func (h handoffLayout) endView(word string, style lipgloss.Style, label string) string {
	s := &h.common.Styles
	var lines []string
	if banner := launchBanner(h.common, h.l); banner != "" {
		lines = append(lines, banner)
	}
	lines = append(lines, "")
	bigW := h.width
	if h.common.Accessible {
		bigW = 0 // the word, not block letters
	}
	lines = append(lines, bigWord(word, style, bigW)...)
	lines = append(lines, "", s.Title.Render(wrapText(label, h.width)))
	if who := h.who.line(); who != "" {
		lines = append(lines, who)
	}
	lines = append(lines, s.Dim.Render("Session …"+ui.Shown(tokenSuffix(h.session.Token))), "",
		s.Dim.Render("r creates a new session for this flow · esc goes back"))
	return strings.Join(lines, "\n")
}

// bigWord renders word in block letters when it fits width, else as one
// bold line.
func bigWord(word string, style lipgloss.Style, width int) []string {
	rows := blockLetters(word)
	if rows == nil || lipgloss.Width(rows[0])+2 > width {
		return []string{style.Render("■ " + word)}
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = "  " + style.Render(r)
	}
	return out
}

// outcomeWord is a result's outcome in capitals.
func outcomeWord(r api.Result) string { return strings.ToUpper(r.Outcome().String()) }

func outcomeStyle(s *ui.Styles, o api.Outcome) lipgloss.Style {
	switch o {
	case api.OutcomeApproved:
		return s.OK
	case api.OutcomeRejected:
		return s.Error
	}
	return s.Warning
}

// clockDuration renders a countdown as m:ss.
func clockDuration(d time.Duration) string {
	secs := int(d.Round(time.Second) / time.Second)
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}

// tokenSuffix is the end of a token, enough to tell sessions apart.
func tokenSuffix(token string) string {
	const n = 6
	if len(token) <= n {
		return token
	}
	return token[len(token)-n:]
}

// joinLines joins the non-empty head to the body.
func joinLines(head, body string) string {
	if head == "" {
		return body
	}
	return head + "\n" + body
}

// blockGlyph is a letter of a 5-row font for the outcome words; '#' is a
// block.
func blockGlyph(r rune) ([5]string, bool) {
	switch r {
	case 'A':
		return [5]string{".##.", "#..#", "####", "#..#", "#..#"}, true
	case 'C':
		return [5]string{".###", "#...", "#...", "#...", ".###"}, true
	case 'D':
		return [5]string{"###.", "#..#", "#..#", "#..#", "###."}, true
	case 'E':
		return [5]string{"####", "#...", "###.", "#...", "####"}, true
	case 'H':
		return [5]string{"#..#", "#..#", "####", "#..#", "#..#"}, true
	case 'I':
		return [5]string{"###", ".#.", ".#.", ".#.", "###"}, true
	case 'J':
		return [5]string{"..##", "...#", "...#", "#..#", ".##."}, true
	case 'K':
		return [5]string{"#..#", "#.#.", "##..", "#.#.", "#..#"}, true
	case 'L':
		return [5]string{"#...", "#...", "#...", "#...", "####"}, true
	case 'M':
		return [5]string{"#...#", "##.##", "#.#.#", "#...#", "#...#"}, true
	case 'N':
		return [5]string{"#...#", "##..#", "#.#.#", "#..##", "#...#"}, true
	case 'O':
		return [5]string{".##.", "#..#", "#..#", "#..#", ".##."}, true
	case 'P':
		return [5]string{"###.", "#..#", "###.", "#...", "#..."}, true
	case 'R':
		return [5]string{"###.", "#..#", "###.", "#.#.", "#..#"}, true
	case 'T':
		return [5]string{"#####", "..#..", "..#..", "..#..", "..#.."}, true
	case 'U':
		return [5]string{"#..#", "#..#", "#..#", "#..#", ".##."}, true
	case 'V':
		return [5]string{"#...#", "#...#", "#...#", ".#.#.", "..#.."}, true
	case 'X':
		return [5]string{"#...#", ".#.#.", "..#..", ".#.#.", "#...#"}, true
	case ' ':
		return [5]string{"..", "..", "..", "..", ".."}, true
	}
	return [5]string{}, false
}

// blockLetters draws word in block letters, nil when a letter is missing.
func blockLetters(word string) []string {
	ink := strings.NewReplacer("#", "█", ".", " ")
	rows := make([]string, 5)
	for i, r := range word {
		glyph, ok := blockGlyph(r)
		if !ok {
			return nil
		}
		for y := range rows {
			if i > 0 {
				rows[y] += " "
			}
			rows[y] += ink.Replace(glyph[y])
		}
	}
	return rows
}
