package export

import (
	"errors"
	"image"
	"image/color"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/makiuchi-d/gozxing"
	zxingqr "github.com/makiuchi-d/gozxing/qrcode"
	"github.com/skip2/go-qrcode"
)

const (
	testToken      = "47fjzxvvzapi4ztasth3c2ozfucli3l0qx13hisc" // 40 lowercase alphanumerics
	testWidgetURL  = "https://widget.identomat.com/?session_token=" + testToken
	testSandboxURL = "http://127.0.0.1:8790/?session_token=" + testToken
	// 120 bytes: still fits 80×23, as version 6 with a quiet zone of 2.
	testLongURL = testWidgetURL + "&return_url=https%3A%2F%2Fshop.example.com%2Fdone"
)

// termTheme is a terminal's default foreground and background grey. The
// values are deliberately not pure black or white, so a capture shows where
// the renderer relied on the theme instead of setting colours.
type termTheme struct {
	name   string
	fg, bg uint8
}

func darkTheme() termTheme  { return termTheme{"dark", 200, 40} }
func lightTheme() termTheme { return termTheme{"light", 40, 220} }

// A captured terminal cell is 4×8 px, so a half-block module is 4×4 px and
// a full-style module (two cells) is 8×8 px.
const (
	cellW, cellH  = 4, 8
	captureMargin = 16 // px of theme background around the text
)

// captureTerminal paints text as a terminal with theme would show it and
// returns the screenshot. It fails the test on anything the renderer is not
// expected to emit: unknown escape codes, colours or glyphs.
func captureTerminal(t testing.TB, text string, theme termTheme) *image.Gray {
	t.Helper()
	type cell struct{ top, bottom uint8 }
	var screen [][]cell
	fg, bg := theme.fg, theme.bg // SGR state carries across lines, as in a terminal
	palette := func(param string) uint8 {
		switch param {
		case "16":
			return 0
		case "231":
			return 255
		}
		t.Fatalf("unexpected palette colour %q", param)
		return 0
	}
	for _, line := range strings.Split(text, "\n") {
		var row []cell
		for len(line) > 0 {
			if strings.HasPrefix(line, "\x1b[") {
				end := strings.IndexByte(line, 'm')
				if end < 0 {
					t.Fatalf("unterminated escape sequence in %q", line)
				}
				params := strings.Split(line[2:end], ";")
				for i := 0; i < len(params); i++ {
					switch p := params[i]; {
					case p == "0" || p == "":
						fg, bg = theme.fg, theme.bg
					case (p == "38" || p == "48") && i+2 < len(params) && params[i+1] == "5":
						if p == "38" {
							fg = palette(params[i+2])
						} else {
							bg = palette(params[i+2])
						}
						i += 2
					default:
						t.Fatalf("unexpected SGR parameters %q", line[:end+1])
					}
				}
				line = line[end+1:]
				continue
			}
			r, size := utf8.DecodeRuneInString(line)
			line = line[size:]
			switch r {
			case ' ':
				row = append(row, cell{bg, bg})
			case '█':
				row = append(row, cell{fg, fg})
			case '▀':
				row = append(row, cell{fg, bg})
			case '▄':
				row = append(row, cell{bg, fg})
			default:
				t.Fatalf("unexpected character %q", r)
			}
		}
		screen = append(screen, row)
	}

	cols := 0
	for _, row := range screen {
		cols = max(cols, len(row))
	}
	img := image.NewGray(image.Rect(0, 0, cols*cellW+2*captureMargin, len(screen)*cellH+2*captureMargin))
	for i := range img.Pix {
		img.Pix[i] = theme.bg
	}
	for y, row := range screen {
		for x, c := range row {
			for dy := range cellH {
				v := c.top
				if dy >= cellH/2 {
					v = c.bottom
				}
				for dx := range cellW {
					img.SetGray(captureMargin+x*cellW+dx, captureMargin+y*cellH+dy, color.Gray{Y: v})
				}
			}
		}
	}
	return img
}

// decodeCapture reads a QR code from a screenshot the way a phone would:
// locating it, not assuming where it is.
func decodeCapture(img image.Image) (text, level string, err error) {
	bitmap, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", "", err
	}
	result, err := zxingqr.NewQRCodeReader().Decode(bitmap, nil)
	if err != nil {
		return "", "", err
	}
	level, _ = result.GetResultMetadata()[gozxing.ResultMetadataType_ERROR_CORRECTION_LEVEL].(string)
	return result.GetText(), level, nil
}

// captureModules samples the centre of every module of a capture, quiet zone
// included; true is dark.
func captureModules(img *image.Gray, layout QRLayout, style QRStyle) [][]bool {
	w, h := cellW, cellH/2
	if style == QRFull {
		w, h = 2*cellW, cellH
	}
	side := layout.Modules + 2*layout.Quiet
	modules := make([][]bool, side)
	for y := range modules {
		modules[y] = make([]bool, side)
		for x := range modules[y] {
			modules[y][x] = img.GrayAt(captureMargin+x*w+w/2, captureMargin+y*h+h/2).Y < 128
		}
	}
	return modules
}

func invert(img *image.Gray) *image.Gray {
	out := image.NewGray(img.Rect)
	for i, v := range img.Pix {
		out.Pix[i] = 255 - v
	}
	return out
}

func TestRenderQRDecodes(t *testing.T) {
	contents := map[string]string{
		"widget":  testWidgetURL,
		"sandbox": testSandboxURL,
		"short":   "https://widget.identomat.com/",
		"long":    testLongURL,
	}
	cases := []struct {
		name  string
		opt   QROptions
		theme termTheme
	}{
		{"half-80x23-dark", QROptions{MaxCols: 80, MaxRows: 23}, darkTheme()},
		{"half-80x23-light", QROptions{MaxCols: 80, MaxRows: 23}, lightTheme()},
		{"half-unlimited-light", QROptions{}, lightTheme()},
		// Full style needs at least 82×41 for the widget URL, so never 80×23.
		{"full-unlimited-dark", QROptions{Style: QRFull}, darkTheme()},
		{"full-unlimited-light", QROptions{Style: QRFull}, lightTheme()},
		{"full-100x50-dark", QROptions{Style: QRFull, MaxCols: 100, MaxRows: 50}, darkTheme()},
		{"plain-half-80x23-dark", QROptions{Plain: true, MaxCols: 80, MaxRows: 23}, darkTheme()},
		{"plain-full-unlimited-dark", QROptions{Style: QRFull, Plain: true}, darkTheme()},
		{"plain-half-80x23-light", QROptions{Plain: true, LightBackground: true, MaxCols: 80, MaxRows: 23}, lightTheme()},
		{"plain-full-unlimited-light", QROptions{Style: QRFull, Plain: true, LightBackground: true}, lightTheme()},
	}
	for contentName, content := range contents {
		for _, c := range cases {
			t.Run(contentName+"/"+c.name, func(t *testing.T) {
				layout, err := PlanQR(content, c.opt)
				if err != nil {
					t.Fatalf("PlanQR: %v", err)
				}
				out, err := RenderQR(content, c.opt)
				if err != nil {
					t.Fatalf("RenderQR: %v", err)
				}
				got, level, err := decodeCapture(captureTerminal(t, out, c.theme))
				if err != nil {
					t.Fatalf("decode %+v on %s theme: %v\n%s", layout, c.theme.name, err, out)
				}
				if got != content {
					t.Errorf("decoded %q, want %q", got, content)
				}
				if level != layout.Level {
					t.Errorf("decoded level %q, planned %q", level, layout.Level)
				}
			})
		}
	}
}

// SPEC §11: the 84-byte widget URL is version 5 at level L and must fit an
// 80×24 terminal with a caption line: 37 + 2×4 = 45 modules, 45×23 cells.
func TestRenderQRWidgetURLFits80x24(t *testing.T) {
	if len(testWidgetURL) != 84 {
		t.Fatalf("widget URL is %d bytes, want 84", len(testWidgetURL))
	}
	atL, err := qrcode.New(testWidgetURL, qrcode.Low)
	if err != nil {
		t.Fatal(err)
	}
	if atL.VersionNumber != 5 {
		t.Errorf("widget URL at level L is version %d, want 5", atL.VersionNumber)
	}

	opt := QROptions{MaxCols: 80, MaxRows: 24 - 1}
	layout, err := PlanQR(testWidgetURL, opt)
	if err != nil {
		t.Fatalf("PlanQR: %v", err)
	}
	// Version 5 at M holds exactly 84 bytes, so M comes at no extra room.
	want := QRLayout{Cols: 45, Rows: 23, Version: 5, Modules: 37, Quiet: 4, Level: "M"}
	if layout != want {
		t.Errorf("layout %+v, want %+v", layout, want)
	}
	out, err := RenderQR(testWidgetURL, opt)
	if err != nil {
		t.Fatalf("RenderQR: %v", err)
	}
	lines := strings.Split(out, "\n")
	if len(lines) != want.Rows {
		t.Errorf("%d lines, want %d", len(lines), want.Rows)
	}
	for i, line := range lines {
		if w := ansi.StringWidth(line); w != want.Cols {
			t.Errorf("line %d is %d cells wide, want %d", i, w, want.Cols)
		}
	}
}

func TestPlanQRQuietZone(t *testing.T) {
	cases := []struct {
		content          string
		style            QRStyle
		maxCols, maxRows int
		want             QRLayout
	}{
		{testWidgetURL, QRHalf, 80, 23, QRLayout{Cols: 45, Rows: 23, Version: 5, Modules: 37, Quiet: 4, Level: "M"}},
		{testWidgetURL, QRHalf, 45, 23, QRLayout{Cols: 45, Rows: 23, Version: 5, Modules: 37, Quiet: 4, Level: "M"}},
		{testWidgetURL, QRHalf, 44, 23, QRLayout{Cols: 43, Rows: 22, Version: 5, Modules: 37, Quiet: 3, Level: "M"}},
		{testWidgetURL, QRHalf, 80, 22, QRLayout{Cols: 43, Rows: 22, Version: 5, Modules: 37, Quiet: 3, Level: "M"}},
		{testWidgetURL, QRHalf, 42, 80, QRLayout{Cols: 41, Rows: 21, Version: 5, Modules: 37, Quiet: 2, Level: "M"}},
		{testWidgetURL, QRHalf, 41, 21, QRLayout{Cols: 41, Rows: 21, Version: 5, Modules: 37, Quiet: 2, Level: "M"}},
		{testWidgetURL, QRHalf, 0, 21, QRLayout{Cols: 41, Rows: 21, Version: 5, Modules: 37, Quiet: 2, Level: "M"}},
		{testWidgetURL, QRFull, 82, 0, QRLayout{Cols: 82, Rows: 41, Version: 5, Modules: 37, Quiet: 2, Level: "M"}},
		{testWidgetURL, QRFull, 0, 0, QRLayout{Cols: 90, Rows: 45, Version: 5, Modules: 37, Quiet: 4, Level: "M"}},
		{testLongURL, QRHalf, 80, 23, QRLayout{Cols: 45, Rows: 23, Version: 6, Modules: 41, Quiet: 2, Level: "L"}},
	}
	for _, c := range cases {
		opt := QROptions{Style: c.style, MaxCols: c.maxCols, MaxRows: c.maxRows}
		t.Run(c.style.String()+"-"+strconv.Itoa(c.maxCols)+"x"+strconv.Itoa(c.maxRows)+"-"+strconv.Itoa(len(c.content)), func(t *testing.T) {
			layout, err := PlanQR(c.content, opt)
			if err != nil {
				t.Fatalf("PlanQR: %v", err)
			}
			if layout != c.want {
				t.Fatalf("layout %+v, want %+v", layout, c.want)
			}
			out, err := RenderQR(c.content, opt)
			if err != nil {
				t.Fatalf("RenderQR: %v", err)
			}
			// The drawing must be the library's symbol, exactly, inside a
			// light ring as wide as the planned quiet zone.
			code, err := qrcode.New(c.content, levelByName(t, layout.Level))
			if err != nil {
				t.Fatal(err)
			}
			code.DisableBorder = true
			symbol := code.Bitmap()
			modules := captureModules(captureTerminal(t, out, darkTheme()), layout, c.style)
			q := layout.Quiet
			for y, row := range modules {
				for x, dark := range row {
					inSymbol := x >= q && y >= q && x < q+layout.Modules && y < q+layout.Modules
					switch {
					case !inSymbol && dark:
						t.Fatalf("quiet-zone module (%d,%d) is dark", x, y)
					case inSymbol && dark != symbol[y-q][x-q]:
						t.Fatalf("module (%d,%d) dark=%v, symbol has %v", x, y, dark, symbol[y-q][x-q])
					}
				}
			}
			if !modules[q][q] {
				t.Errorf("finder pattern corner (%d,%d) is not dark", q, q)
			}
		})
	}
}

func levelByName(t *testing.T, name string) qrcode.RecoveryLevel {
	t.Helper()
	for _, l := range qrLevels() {
		if l.name == name {
			return l.level
		}
	}
	t.Fatalf("unknown level %q", name)
	return 0
}

func TestPlanQRLevel(t *testing.T) {
	// The widget URL is version 5 at L and M, 7 at Q (45 modules), 8 at H
	// (49 modules); 85 bytes no longer fit version 5 at M.
	url85 := testWidgetURL + "x"
	cases := []struct {
		name    string
		content string
		opt     QROptions
		level   string
		version int
		quiet   int
	}{
		{"unlimited takes M at no extra room", testWidgetURL, QROptions{}, "M", 5, 4},
		{"unlimited stays at L when M would grow", url85, QROptions{}, "L", 5, 4},
		{"80x23", testWidgetURL, QROptions{MaxCols: 80, MaxRows: 23}, "M", 5, 4},
		{"80x23 85 bytes", url85, QROptions{MaxCols: 80, MaxRows: 23}, "L", 5, 4},
		{"room for Q", testWidgetURL, QROptions{MaxCols: 53, MaxRows: 27}, "Q", 7, 4},
		{"room for H", testWidgetURL, QROptions{MaxCols: 57, MaxRows: 29}, "H", 8, 4},
		{"unlimited columns, rows for H", testWidgetURL, QROptions{MaxRows: 29}, "H", 8, 4},
		{"quiet zone wins over Q", testWidgetURL, QROptions{MaxCols: 49, MaxRows: 25}, "M", 5, 4},
		{"full style room for Q", testWidgetURL, QROptions{Style: QRFull, MaxCols: 106, MaxRows: 53}, "Q", 7, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			layout, err := PlanQR(c.content, c.opt)
			if err != nil {
				t.Fatalf("PlanQR: %v", err)
			}
			if layout.Level != c.level || layout.Version != c.version || layout.Quiet != c.quiet {
				t.Fatalf("layout %+v, want level %s version %d quiet %d", layout, c.level, c.version, c.quiet)
			}
			out, err := RenderQR(c.content, c.opt)
			if err != nil {
				t.Fatalf("RenderQR: %v", err)
			}
			got, level, err := decodeCapture(captureTerminal(t, out, lightTheme()))
			if err != nil || got != c.content || level != c.level {
				t.Errorf("decoded %q at level %q (%v), want %q at %q", got, level, err, c.content, c.level)
			}
		})
	}
}

func TestRenderQRTooSmall(t *testing.T) {
	cases := []struct {
		opt                QROptions
		needCols, needRows int
		message            string
	}{
		{QROptions{MaxCols: 40, MaxRows: 20}, 41, 21, "terminal too small for the QR code: need 41×21, have 40×20"},
		{QROptions{MaxCols: 41, MaxRows: 20}, 41, 21, "terminal too small for the QR code: need 41×21, have 41×20"},
		{QROptions{MaxCols: 40}, 41, 21, "terminal too small for the QR code: need 41×21, have 40×∞"},
		{QROptions{Style: QRFull, MaxCols: 80, MaxRows: 23}, 82, 41, "terminal too small for the QR code: need 82×41, have 80×23"},
	}
	for _, c := range cases {
		t.Run(c.message, func(t *testing.T) {
			out, err := RenderQR(testWidgetURL, c.opt)
			if out != "" {
				t.Errorf("RenderQR drew %d bytes despite the error", len(out))
			}
			var tooSmall *TooSmallError
			if !errors.As(err, &tooSmall) {
				t.Fatalf("error %v (%T), want *TooSmallError", err, err)
			}
			if tooSmall.NeedCols != c.needCols || tooSmall.NeedRows != c.needRows {
				t.Errorf("need %d×%d, want %d×%d", tooSmall.NeedCols, tooSmall.NeedRows, c.needCols, c.needRows)
			}
			if err.Error() != c.message {
				t.Errorf("message %q, want %q", err.Error(), c.message)
			}
			if _, planErr := PlanQR(testWidgetURL, c.opt); !errors.As(planErr, &tooSmall) {
				t.Errorf("PlanQR error %v, want *TooSmallError", planErr)
			}
			// The size the error names must be enough.
			if _, err := RenderQR(testWidgetURL, QROptions{Style: c.opt.Style, MaxCols: c.needCols, MaxRows: c.needRows}); err != nil {
				t.Errorf("RenderQR in the needed %d×%d: %v", c.needCols, c.needRows, err)
			}
		})
	}
}

func TestRenderQRLineShape(t *testing.T) {
	for _, opt := range []QROptions{
		{MaxCols: 80, MaxRows: 23},
		{MaxCols: 43, MaxRows: 22},
		{MaxCols: 41, MaxRows: 21},
		{Plain: true, MaxCols: 80, MaxRows: 23},
		{Style: QRFull},
		{Style: QRFull, MaxCols: 84, MaxRows: 60},
		{Style: QRFull, Plain: true},
	} {
		for _, content := range []string{testWidgetURL, testSandboxURL, "x"} {
			layout, err := PlanQR(content, opt)
			if err != nil {
				t.Fatalf("PlanQR(%q, %+v): %v", content, opt, err)
			}
			out, err := RenderQR(content, opt)
			if err != nil {
				t.Fatalf("RenderQR(%q, %+v): %v", content, opt, err)
			}
			if strings.HasSuffix(out, "\n") {
				t.Errorf("%+v: output ends with a newline", opt)
			}
			lines := strings.Split(out, "\n")
			if len(lines) != layout.Rows || (opt.MaxRows > 0 && len(lines) > opt.MaxRows) {
				t.Errorf("%+v: %d lines, planned %d", opt, len(lines), layout.Rows)
			}
			for i, line := range lines {
				w := ansi.StringWidth(line)
				if w != layout.Cols || (opt.MaxCols > 0 && w > opt.MaxCols) {
					t.Errorf("%+v: line %d is %d cells wide, planned %d", opt, i, w, layout.Cols)
				}
				if opt.Plain {
					if strings.ContainsRune(line, '\x1b') {
						t.Errorf("%+v: plain line %d has an escape code: %q", opt, i, line)
					}
				} else if !strings.HasPrefix(line, "\x1b[") || !strings.HasSuffix(line, sgrReset) {
					t.Errorf("%+v: line %d does not set colours and end with a reset: %q", opt, i, line)
				}
			}
		}
	}
}

// The decoder check above must be able to fail: a damaged or inverted
// capture does not decode.
func TestCorruptedRenderDoesNotDecode(t *testing.T) {
	opt := QROptions{MaxCols: 80, MaxRows: 23}
	out, err := RenderQR(testWidgetURL, opt)
	if err != nil {
		t.Fatal(err)
	}
	img := captureTerminal(t, out, darkTheme())
	if got, _, err := decodeCapture(img); err != nil || got != testWidgetURL {
		t.Fatalf("intact capture decoded to %q (%v)", got, err)
	}
	// Paint over the top-left finder pattern: half-block rows 2–5, columns 4–11.
	for y := captureMargin + 2*cellH; y < captureMargin+6*cellH; y++ {
		for x := captureMargin + 4*cellW; x < captureMargin+12*cellW; x++ {
			img.SetGray(x, y, color.Gray{Y: 255})
		}
	}
	if got, _, err := decodeCapture(img); err == nil {
		t.Errorf("capture without a finder pattern decoded to %q", got)
	}
}

// Plain output is drawn for one theme: on the other it is the exact
// negative, which a standard decoder does not read.
func TestRenderQRPlainIsInvertedOnTheOtherTheme(t *testing.T) {
	for _, c := range []struct {
		light bool
		shown termTheme
	}{{false, lightTheme()}, {true, darkTheme()}} {
		out, err := RenderQR(testWidgetURL, QROptions{Plain: true, LightBackground: c.light, MaxCols: 80, MaxRows: 23})
		if err != nil {
			t.Fatal(err)
		}
		img := captureTerminal(t, out, c.shown)
		if got, _, err := decodeCapture(img); err == nil {
			t.Errorf("plain output for LightBackground=%v on a %s theme decoded to %q; it should be the negative", c.light, c.shown.name, got)
		}
		if got, _, err := decodeCapture(invert(img)); err != nil || got != testWidgetURL {
			t.Errorf("negative of the %s-theme capture decoded to %q (%v), want %q", c.shown.name, got, err, testWidgetURL)
		}
	}
}

func TestRenderQRErrors(t *testing.T) {
	const marker = "SECRET-LOOKING-TOKEN"
	cases := []struct {
		name    string
		content string
		opt     QROptions
	}{
		{"empty content", "", QROptions{}},
		{"content too long", marker + strings.Repeat("x", 3000), QROptions{}},
		{"unknown style", testWidgetURL, QROptions{Style: QRStyle(7)}},
		{"negative columns", testWidgetURL, QROptions{MaxCols: -1, MaxRows: 23}},
		{"negative rows", testWidgetURL, QROptions{MaxCols: 80, MaxRows: -1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := RenderQR(c.content, c.opt)
			if err == nil {
				t.Fatalf("no error; drew %d bytes", len(out))
			}
			var tooSmall *TooSmallError
			if errors.As(err, &tooSmall) {
				t.Errorf("error %v is a TooSmallError", err)
			}
			if strings.Contains(err.Error(), marker) || strings.Contains(err.Error(), testToken) {
				t.Errorf("error %q repeats the content", err)
			}
		})
	}
}

func TestQRStyleString(t *testing.T) {
	for style, want := range map[QRStyle]string{QRHalf: "half", QRFull: "full", QRStyle(9): "QRStyle(9)"} {
		if got := style.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(style), got, want)
		}
	}
}
