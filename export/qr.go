package export

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/skip2/go-qrcode"
)

// QRStyle selects how QR modules map onto terminal cells.
type QRStyle int

const (
	// QRHalf, the default, draws two module rows per text row with the
	// half-block glyphs ▀ ▄ █ and space. A module is one column wide and
	// half a row tall, which is square on the usual 1:2 terminal cell.
	QRHalf QRStyle = iota
	// QRFull draws one module row per text row, each module two columns
	// wide ("██" for a light module, blanks for a dark one). It is four times
	// the area of QRHalf, for terminals whose fonts draw half blocks badly.
	QRFull
)

// String names the style as a user would type it.
func (s QRStyle) String() string {
	switch s {
	case QRHalf:
		return "half"
	case QRFull:
		return "full"
	default:
		return "QRStyle(" + strconv.Itoa(int(s)) + ")"
	}
}

// QROptions describes how to draw a QR code and how much room there is.
type QROptions struct {
	Style QRStyle
	// MaxCols and MaxRows are the room available in terminal cells;
	// 0 means unlimited in that direction.
	MaxCols, MaxRows int
	// Plain draws without any ANSI escape codes, for NO_COLOR. Without
	// explicit colours the code can only be drawn in the terminal's own
	// foreground and background, so the drawing follows the theme: on a
	// light-on-dark terminal (the default) the light modules and the quiet
	// zone are blocks in the foreground colour and dark modules are blank;
	// with LightBackground the dark modules are the blocks. Drawn for the
	// wrong theme, the code appears inverted and many scanners will not
	// read it.
	Plain bool
	// LightBackground says, for Plain, that the terminal draws dark text
	// on a light background.
	LightBackground bool
}

// QRLayout is the size and shape RenderQR would produce for some content
// within some room; see PlanQR.
type QRLayout struct {
	Cols, Rows int    // size of the rendered text in terminal cells
	Version    int    // QR version, 1–40
	Modules    int    // side of the symbol in modules, quiet zone excluded
	Quiet      int    // quiet-zone width in modules on each side
	Level      string // error-correction level: "L", "M", "Q" or "H"
}

// TooSmallError reports that a QR code cannot fit the room given, even with
// the smallest quiet zone and the lowest error correction. Callers show the
// content as text instead.
type TooSmallError struct {
	NeedCols, NeedRows int // the smallest room that would do
	HaveCols, HaveRows int // the room given; 0 means unlimited
}

func (e *TooSmallError) Error() string {
	return fmt.Sprintf("terminal too small for the QR code: need %d×%d, have %s×%s",
		e.NeedCols, e.NeedRows, budgetString(e.HaveCols), budgetString(e.HaveRows))
}

func budgetString(n int) string {
	if n == 0 {
		return "∞"
	}
	return strconv.Itoa(n)
}

const (
	qrQuietPreferred = 4 // the width ISO/IEC 18004 asks for
	qrQuietMinimum   = 2 // below this, phone scanners start to struggle

	// 256-colour cube entries 16 (#000000) and 231 (#ffffff): unlike the 16
	// basic colours, themes do not remap them, and unlike 24-bit colour,
	// every colour terminal in use supports them.
	//
	// Light modules are drawn as block glyphs in the light foreground, dark
	// ones as the dark background, so the quiet zone, which ends every line,
	// is ink and never blank: renderers turn trailing blanks into "erase to
	// end of line", and terminal captures then lose their colour.
	sgrLightOnDark = "\x1b[38;5;231;48;5;16m"
	sgrReset       = "\x1b[0m"
)

type qrLevel struct {
	level qrcode.RecoveryLevel
	name  string
}

// qrLevels lists the error-correction levels from lowest to highest.
func qrLevels() [4]qrLevel {
	return [4]qrLevel{
		{qrcode.Low, "L"},
		{qrcode.Medium, "M"},
		{qrcode.High, "Q"},
		{qrcode.Highest, "H"},
	}
}

// PlanQR chooses the layout RenderQR uses for content within opt's room.
//
// The quiet zone is 4 modules when that fits and is narrowed to 3, then 2,
// only when it must; for the chosen quiet zone the error correction is the
// highest level (L, M, Q, H) whose symbol fits. A wide quiet zone thus wins
// over stronger error correction: a terminal draws modules perfectly, while
// scanners depend on the quiet zone to find the code.
//
// When both MaxCols and MaxRows are 0 (unlimited), the quiet zone is 4 and
// the level is the highest that keeps the symbol as small as at level L, so
// the extra correction costs no room.
//
// When nothing fits, the error is a *TooSmallError.
func PlanQR(content string, opt QROptions) (QRLayout, error) {
	layout, _, err := planQR(content, opt)
	return layout, err
}

// RenderQR draws content as a QR code for a terminal, chosen as PlanQR
// describes. The result is layout.Rows lines joined by "\n" with no trailing
// newline, each exactly layout.Cols cells wide. Unless opt.Plain is set,
// each line sets its own colours (dark modules on a light background, so the
// code reads on dark and light themes alike) and ends with a reset.
func RenderQR(content string, opt QROptions) (string, error) {
	layout, code, err := planQR(content, opt)
	if err != nil {
		return "", err
	}
	code.DisableBorder = true // the quiet zone is drawn below, at the planned width
	bitmap := code.Bitmap()
	if len(bitmap) != layout.Modules {
		return "", fmt.Errorf("render QR code: symbol is %d modules, want %d", len(bitmap), layout.Modules)
	}
	grid := qrGrid{bitmap: bitmap, quiet: layout.Quiet}

	var b strings.Builder
	b.Grow(layout.Rows * (layout.Cols*3 + len(sgrLightOnDark) + len(sgrReset) + 1))
	// The ink is what the characters draw: the light modules, except in
	// plain mode on a light background, where the terminal's ink is dark.
	inkIsLight := !opt.Plain || !opt.LightBackground
	if opt.Style == QRFull {
		renderFull(&b, grid, layout, opt.Plain, inkIsLight)
	} else {
		renderHalf(&b, grid, layout, opt.Plain, inkIsLight)
	}
	return b.String(), nil
}

// planQR returns the layout and the not yet drawn symbol at the chosen level.
func planQR(content string, opt QROptions) (QRLayout, *qrcode.QRCode, error) {
	if opt.Style != QRHalf && opt.Style != QRFull {
		return QRLayout{}, nil, fmt.Errorf("plan QR code: unknown style %v", opt.Style)
	}
	if opt.MaxCols < 0 || opt.MaxRows < 0 {
		return QRLayout{}, nil, fmt.Errorf("plan QR code: negative room %d×%d", opt.MaxCols, opt.MaxRows)
	}

	// Encoding is cheap; drawing the symbol (Bitmap) is done once, later.
	levels := qrLevels()
	var codes [len(levels)]*qrcode.QRCode
	for i, l := range levels {
		code, err := qrcode.New(content, l.level)
		if err != nil {
			if i == 0 {
				// The content is not included: it may hold a session token.
				return QRLayout{}, nil, fmt.Errorf("encode QR code of %d bytes: %w", len(content), err)
			}
			break // too long for this level, so for every higher one too
		}
		codes[i] = code
	}

	layoutFor := func(i, quiet int) QRLayout {
		version := codes[i].VersionNumber
		modules := 17 + 4*version
		side := modules + 2*quiet
		l := QRLayout{Version: version, Modules: modules, Quiet: quiet, Level: levels[i].name}
		if opt.Style == QRFull {
			l.Cols, l.Rows = 2*side, side
		} else {
			l.Cols, l.Rows = side, (side+1)/2
		}
		return l
	}

	if opt.MaxCols == 0 && opt.MaxRows == 0 {
		best := 0
		for i := 1; i < len(codes) && codes[i] != nil; i++ {
			if codes[i].VersionNumber == codes[0].VersionNumber {
				best = i
			}
		}
		return layoutFor(best, qrQuietPreferred), codes[best], nil
	}

	fits := func(l QRLayout) bool {
		return (opt.MaxCols == 0 || l.Cols <= opt.MaxCols) && (opt.MaxRows == 0 || l.Rows <= opt.MaxRows)
	}
	for quiet := qrQuietPreferred; quiet >= qrQuietMinimum; quiet-- {
		for i := len(codes) - 1; i >= 0; i-- {
			if codes[i] == nil {
				continue
			}
			if l := layoutFor(i, quiet); fits(l) {
				return l, codes[i], nil
			}
		}
	}
	need := layoutFor(0, qrQuietMinimum)
	return QRLayout{}, nil, &TooSmallError{
		NeedCols: need.Cols, NeedRows: need.Rows,
		HaveCols: opt.MaxCols, HaveRows: opt.MaxRows,
	}
}

// qrGrid is the symbol surrounded by its quiet zone, addressed from the
// outer corner; anything outside the symbol is light.
type qrGrid struct {
	bitmap [][]bool
	quiet  int
}

func (g qrGrid) dark(x, y int) bool {
	x, y = x-g.quiet, y-g.quiet
	return y >= 0 && y < len(g.bitmap) && x >= 0 && x < len(g.bitmap[y]) && g.bitmap[y][x]
}

// renderHalf draws two module rows per line. The ink is the light modules
// (inkIsLight) or the dark ones: in colour mode white on a black
// background, in plain mode the terminal's own foreground.
func renderHalf(b *strings.Builder, g qrGrid, l QRLayout, plain, inkIsLight bool) {
	for row := 0; row < l.Rows; row++ {
		if row > 0 {
			b.WriteByte('\n')
		}
		if !plain {
			b.WriteString(sgrLightOnDark)
		}
		top, bottom := 2*row, 2*row+1 // on an odd side the last bottom half is extra quiet zone
		for x := 0; x < l.Cols; x++ {
			inkTop, inkBottom := g.dark(x, top) != inkIsLight, g.dark(x, bottom) != inkIsLight
			switch {
			case inkTop && inkBottom:
				b.WriteRune('█')
			case inkTop:
				b.WriteRune('▀')
			case inkBottom:
				b.WriteRune('▄')
			default:
				b.WriteByte(' ')
			}
		}
		if !plain {
			b.WriteString(sgrReset)
		}
	}
}

// renderFull draws each module two columns wide: ink modules as "██",
// the others as blanks, with the same colours and ink as renderHalf.
func renderFull(b *strings.Builder, g qrGrid, l QRLayout, plain, inkIsLight bool) {
	side := l.Rows
	for y := 0; y < side; y++ {
		if y > 0 {
			b.WriteByte('\n')
		}
		if !plain {
			b.WriteString(sgrLightOnDark)
		}
		for x := 0; x < side; x++ {
			if g.dark(x, y) == inkIsLight {
				b.WriteString("  ")
			} else {
				b.WriteString("██")
			}
		}
		if !plain {
			b.WriteString(sgrReset)
		}
	}
}
