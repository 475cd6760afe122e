package tui

import (
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/makiuchi-d/gozxing"
	zxingqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/identoflow/identoflow/flow"
)

const (
	launchTestToken  = "47fjzxvvzapi4ztasth3c2ozfucli3l0qx13hisc"
	launchTestToken2 = "9aq2kd0x7c3m5n8b1v4z6l0p2r7t9w3y5u8e1g4h"
	// launchTestKey must never reach a screen.
	launchTestKey = "ck_live_Zq7pW3nR9xT2vB8mHk4"
)

// launchClock is a settable clock.
type launchClock struct {
	mu sync.Mutex
	t  time.Time
}

func newLaunchClock() *launchClock {
	return &launchClock{t: time.Date(2025, 6, 1, 9, 30, 0, 0, time.UTC)}
}

func (c *launchClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *launchClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// launchPress is the key event for a key name as the help bar writes it.
func launchPress(name string) tea.KeyPressMsg {
	switch name {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r, _ := utf8.DecodeRuneInString(name)
	return tea.KeyPressMsg{Code: r, Text: name}
}

// launchFakeVendor answers begin/ and result/ like the vendor, with
// answers a test can change.
type launchFakeVendor struct {
	mu           sync.Mutex
	key          string   // the accepted company key; "" accepts any
	tokens       []string // handed out in turn; default launchTestToken
	beginStatus  int      // when set, begin/ answers this status with beginBody
	beginBody    string
	resultStatus int // when set, result/ answers this status with resultBody
	resultBody   string
	outcome      map[string]string // token → result/ body
	begins       []map[string]any  // begin/ bodies received, company_key removed
	results      int
}

func (f *launchFakeVendor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var in map[string]any
	_ = json.Unmarshal(body, &in)
	f.mu.Lock()
	defer f.mu.Unlock()
	key, _ := in["company_key"].(string)
	w.Header().Set("Content-Type", "application/json")
	if f.key != "" && key != f.key {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `"COMPANY_KEY_INVALID"`)
		return
	}
	switch r.URL.Path {
	case "/begin/":
		delete(in, "company_key")
		f.begins = append(f.begins, in)
		if f.beginStatus != 0 {
			w.WriteHeader(f.beginStatus)
			_, _ = io.WriteString(w, f.beginBody)
			return
		}
		token := launchTestToken
		if n := len(f.begins); n <= len(f.tokens) {
			token = f.tokens[n-1]
		}
		_, _ = io.WriteString(w, strconv.Quote(token))
	case "/external-api/result/":
		f.results++
		if f.resultStatus != 0 {
			w.WriteHeader(f.resultStatus)
			_, _ = io.WriteString(w, f.resultBody)
			return
		}
		token, _ := in["session_token"].(string)
		if out, ok := f.outcome[token]; ok {
			_, _ = io.WriteString(w, out)
			return
		}
		_, _ = io.WriteString(w, `{"result":"in_progress","reject_reason":null}`)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

func (f *launchFakeVendor) set(fn func(f *launchFakeVendor)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

// launchHandlerTransport serves requests with a handler in process: the
// widget links keep the vendor's host, so screens are the same each run.
type launchHandlerTransport struct{ h http.Handler }

func (t launchHandlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// launchServer serves f on loopback for the tests of real connections.
func launchServer(tb testing.TB, f http.Handler) string {
	tb.Helper()
	srv := httptest.NewServer(f)
	tb.Cleanup(srv.Close)
	return srv.URL
}

// launchClosedURL is a loopback address where nothing listens.
func launchClosedURL(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return "http://" + addr
}

// launchTestConfig is a launcher configuration for tests: fixed clock, fast
// polling, no retries, a recorded clipboard.
func launchTestConfig(clock *launchClock, clip *launchClipboard) LaunchConfig {
	return LaunchConfig{
		Now:            clock.Now,
		PollEvery:      20 * time.Millisecond,
		RetryBudget:    -1,
		WriteClipboard: clip.write,
	}
}

// launchClipboard records copies; fail makes it behave like a machine
// without a clipboard tool.
type launchClipboard struct {
	mu     sync.Mutex
	fail   bool
	copies []string
}

func (c *launchClipboard) write(s string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fail {
		return fmt.Errorf("no clipboard utilities available")
	}
	c.copies = append(c.copies, s)
	return nil
}

// launchDriver runs a model synchronously: commands run at once, except
// timers, whose messages tests send themselves. Every frame is kept.
type launchDriver struct {
	tb     testing.TB
	model  tea.Model
	frames []string
	osc52  []string
	// keepOnlyLast keeps the last frame only (benchmarks).
	keepOnlyLast bool
	quit         bool
}

func newLaunchDriver(tb testing.TB, m tea.Model, init tea.Cmd, w, h int) *launchDriver {
	tb.Helper()
	d := &launchDriver{tb: tb, model: m}
	d.send(tea.WindowSizeMsg{Width: w, Height: h})
	d.exec(init)
	return d
}

// launchTimerFuncs name the commands that wait: tests fire their messages.
func launchIsTimer(cmd tea.Cmd) bool {
	name := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()).Name()
	for _, t := range []string{"bubbletea/v2.Tick.", "bubbletea/v2.Every.", "cursor.(*Model).Blink", "cursor.Model.Blink", "(*Model).blinkCmd"} {
		if strings.Contains(name, t) {
			return true
		}
	}
	return false
}

func (d *launchDriver) exec(cmd tea.Cmd) {
	if cmd == nil || launchIsTimer(cmd) {
		return
	}
	d.handle(cmd())
}

func (d *launchDriver) handle(msg tea.Msg) {
	if msg == nil {
		return
	}
	if batch, ok := msg.(tea.BatchMsg); ok {
		for _, c := range batch {
			d.exec(c)
		}
		return
	}
	v := reflect.ValueOf(msg)
	if v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
		for i := range v.Len() {
			d.exec(v.Index(i).Interface().(tea.Cmd))
		}
		return
	}
	if _, ok := msg.(tea.QuitMsg); ok {
		d.quit = true
		return
	}
	if fmt.Sprintf("%T", msg) == "tea.setClipboardMsg" {
		d.osc52 = append(d.osc52, v.String())
		return
	}
	d.send(msg)
}

func (d *launchDriver) send(msg tea.Msg) {
	d.tb.Helper()
	m, cmd := d.model.Update(msg)
	d.model = m
	if d.keepOnlyLast {
		d.frames = d.frames[:0]
	}
	d.frames = append(d.frames, d.raw())
	d.exec(cmd)
}

func (d *launchDriver) keys(names ...string) {
	d.tb.Helper()
	for _, n := range names {
		d.send(launchPress(n))
	}
}

func (d *launchDriver) typeText(s string) {
	d.tb.Helper()
	for _, r := range s {
		d.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func (d *launchDriver) raw() string    { return d.model.View().Content }
func (d *launchDriver) screen() string { return ansi.Strip(d.raw()) }

func (d *launchDriver) app() *App { return d.model.(*App) }

func (d *launchDriver) requireScreen(parts ...string) {
	d.tb.Helper()
	s := d.screen()
	for _, p := range parts {
		if !strings.Contains(s, p) {
			d.tb.Fatalf("screen lacks %q:\n%s", p, s)
		}
	}
}

// runner is the session runner of the top screen.
func (d *launchDriver) runner() *sessionRunner {
	d.tb.Helper()
	switch s := d.app().top().(type) {
	case *launchScreen:
		return s.run
	case *deskScreen:
		return s.run
	}
	d.tb.Fatalf("top screen is %T, not a launch or desk screen", d.app().top())
	return nil
}

// poll fires the shown session's result poll.
func (d *launchDriver) poll() {
	d.tb.Helper()
	r := d.runner()
	if r.hand == nil {
		d.tb.Fatalf("no session is shown:\n%s", d.screen())
	}
	d.send(handoffPollMsg{gen: r.hand.gen})
}

// tick fires the shown session's countdown tick.
func (d *launchDriver) tick() {
	d.tb.Helper()
	r := d.runner()
	if r.hand == nil {
		d.tb.Fatalf("no session is shown:\n%s", d.screen())
	}
	d.send(handoffTickMsg{gen: r.hand.gen})
}

// launchEditorApp is the wizard with a valid flow open in the editor.
func launchEditorApp(tb testing.TB, l *SessionLauncher, now func() time.Time) *App {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "kyc.json")
	cfg, err := flow.TemplateConfig("basic-kyc")
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, cfg.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	return New(RunOptions{Options: Options{Store: Store{Dir: tb.TempDir()}, Launcher: l, Now: now}, File: path})
}

// launchDeskApp is desk mode on a template flow.
func launchDeskApp(tb testing.TB, lc LaunchConfig) (*launchDriver, *SessionLauncher) {
	tb.Helper()
	return launchDeskAppSized(tb, lc, 80, 24)
}

func launchDeskAppSized(tb testing.TB, lc LaunchConfig, w, h int) (*launchDriver, *SessionLauncher) {
	tb.Helper()
	cfg, err := flow.TemplateConfig("basic-kyc")
	if err != nil {
		tb.Fatal(err)
	}
	app, l, err := newDesk(DeskOptions{LaunchConfig: lc, File: "kyc.json", Config: cfg})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = l.Close() })
	return newLaunchDriver(tb, app, initScreen(app.top()), w, h), l
}

// launchDecodeQR reads the QR code of a terminal frame. It rebuilds the
// picture (half blocks and their ANSI colours, each cell 4×8 px, on a
// dark theme) and first searches it for a code, the way a phone would.
// gozxing's search misses about one code in a hundred that zbar reads, so
// when it fails the block drawn in the code's colours is cut out and read
// as a pure code: the symbol must still be exactly right.
func launchDecodeQR(frame string) (string, error) {
	scr := launchParseFrame(frame)
	text, err := launchDecodeImage(scr.image(0, 0, scr.cols(), len(scr.cells), themeDefaultBG), nil)
	if err == nil {
		return text, nil
	}
	x0, y0, x1, y1, ok := scr.codeBox()
	if !ok {
		return "", err
	}
	pure := map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true}
	if text, perr := launchDecodeImage(scr.image(x0, y0, x1, y1, 255), pure); perr == nil {
		return text, nil
	}
	return "", err
}

const (
	themeDefaultFG, themeDefaultBG = 200, 40
	launchCellW, launchCellH       = 4, 8
	launchMargin                   = 16
)

// launchCell is a terminal cell: the grey of its top and bottom halves,
// and whether it was drawn in the QR code's own colours.
type launchCell struct {
	top, bottom uint8
	code        bool
}

// launchFrame is a frame as cells, row by row.
type launchFrame struct{ cells [][]launchCell }

func (f launchFrame) cols() int {
	n := 0
	for _, row := range f.cells {
		n = max(n, len(row))
	}
	return n
}

// codeBox is the cell rectangle drawn in the code's colours.
func (f launchFrame) codeBox() (x0, y0, x1, y1 int, ok bool) {
	x0, y0 = 1<<30, 1<<30
	for y, row := range f.cells {
		for x, c := range row {
			if c.code {
				x0, y0, x1, y1, ok = min(x0, x), min(y0, y), max(x1, x+1), max(y1, y+1), true
			}
		}
	}
	return x0, y0, x1, y1, ok
}

// image paints cells [x0,x1)×[y0,y1) with a margin of the given grey.
func (f launchFrame) image(x0, y0, x1, y1 int, around uint8) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, (x1-x0)*launchCellW+2*launchMargin, (y1-y0)*launchCellH+2*launchMargin))
	for i := range img.Pix {
		img.Pix[i] = around
	}
	for y := y0; y < y1 && y < len(f.cells); y++ {
		for x := x0; x < x1; x++ {
			c := launchCell{themeDefaultBG, themeDefaultBG, false}
			if x < len(f.cells[y]) {
				c = f.cells[y][x]
			}
			for dy := range launchCellH {
				v := c.top
				if dy >= launchCellH/2 {
					v = c.bottom
				}
				for dx := range launchCellW {
					img.SetGray(launchMargin+(x-x0)*launchCellW+dx, launchMargin+(y-y0)*launchCellH+dy, color.Gray{Y: v})
				}
			}
		}
	}
	return img
}

func launchDecodeImage(img image.Image, hints map[gozxing.DecodeHintType]interface{}) (string, error) {
	bitmap, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := zxingqr.NewQRCodeReader().Decode(bitmap, hints)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// launchParseFrame follows the SGR colours of a frame cell by cell.
func launchParseFrame(frame string) launchFrame {
	var f launchFrame
	fg, bg := uint8(themeDefaultFG), uint8(themeDefaultBG)
	codeFG, codeBG := false, false // set from the code's palette entries 16 and 231
	palette := func(n int) (uint8, bool) {
		switch n {
		case 16:
			return 0, true
		case 231:
			return 255, true
		}
		return 128, false
	}
	for _, line := range strings.Split(frame, "\n") {
		var row []launchCell
		for len(line) > 0 {
			if strings.HasPrefix(line, "\x1b[") {
				end := strings.IndexFunc(line[2:], func(r rune) bool { return r >= 0x40 && r <= 0x7e })
				if end < 0 {
					break
				}
				seq, final := line[2:2+end], line[2+end]
				line = line[3+end:]
				if final != 'm' {
					continue
				}
				params := strings.Split(seq, ";")
				for i := 0; i < len(params); i++ {
					p, _ := strconv.Atoi(params[i])
					switch {
					case p == 0:
						fg, bg, codeFG, codeBG = themeDefaultFG, themeDefaultBG, false, false
					case p == 39:
						fg, codeFG = themeDefaultFG, false
					case p == 49:
						bg, codeBG = themeDefaultBG, false
					case (p == 38 || p == 48) && i+2 < len(params) && params[i+1] == "5":
						n, _ := strconv.Atoi(params[i+2])
						if p == 38 {
							fg, codeFG = palette(n)
						} else {
							bg, codeBG = palette(n)
						}
						i += 2
					case (p == 38 || p == 48) && i+4 < len(params) && params[i+1] == "2":
						// True colour: the text around the code.
						if p == 38 {
							fg, codeFG = 128, false
						} else {
							bg, codeBG = 128, false
						}
						i += 4
					}
				}
				continue
			}
			r, size := utf8.DecodeRuneInString(line)
			line = line[size:]
			c := launchCell{bg, bg, codeBG}
			switch r {
			case '█':
				c = launchCell{fg, fg, codeFG}
			case '▀':
				c = launchCell{fg, bg, codeFG && codeBG}
			case '▄':
				c = launchCell{bg, fg, codeFG && codeBG}
			case ' ':
			default:
				c.code = false // text
			}
			for range max(1, ansi.StringWidth(string(r))) {
				row = append(row, c)
			}
		}
		f.cells = append(f.cells, row)
	}
	return f
}
