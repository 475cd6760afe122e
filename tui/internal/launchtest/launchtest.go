// Package launchtest is the kit of the launch, handoff and desk tests: a
// settable clock, a fake vendor API, a recorded clipboard, a synchronous
// driver of a Bubble Tea model, a reader of the QR code in a terminal
// frame, and hostile texts with the check that none of their controls
// reaches a frame. Tests only; it imports no package of the wizard.
package launchtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
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

	"github.com/identoflow/identoflow/api/sandbox/sandboxtest"
)

// The tokens the fake vendor hands out and the company key it accepts.
const (
	Token  = "47fjzxvvzapi4ztasth3c2ozfucli3l0qx13hisc"
	Token2 = "9aq2kd0x7c3m5n8b1v4z6l0p2r7t9w3y5u8e1g4h"
	// Key must never reach a screen.
	Key = "ck_live_Zq7pW3nR9xT2vB8mHk4"
)

// Clock is a settable clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock is a clock at 2025-06-01 09:30 UTC.
func NewClock() *Clock {
	return &Clock{t: time.Date(2025, 6, 1, 9, 30, 0, 0, time.UTC)}
}

func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Press is the key event for a key name as the help bar writes it.
func Press(name string) tea.KeyPressMsg {
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
	case "left":
		return tea.KeyPressMsg{Code: tea.KeyLeft}
	case "right":
		return tea.KeyPressMsg{Code: tea.KeyRight}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	}
	r, _ := utf8.DecodeRuneInString(name)
	return tea.KeyPressMsg{Code: r, Text: name}
}

// FakeVendor answers begin/ and result/ like the vendor, with
// answers a test can change.
type FakeVendor struct {
	mu           sync.Mutex
	Key          string   // the accepted company key; "" accepts any
	Tokens       []string // handed out in turn; default launchTestToken
	BeginStatus  int      // when set, begin/ answers this status with beginBody
	BeginBody    string
	ResultStatus int // when set, result/ answers this status with resultBody
	ResultBody   string
	Outcome      map[string]string // token → result/ body
	Begins       []map[string]any  // begin/ bodies received, company_key removed
	Results      int
}

func (f *FakeVendor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var in map[string]any
	_ = json.Unmarshal(body, &in)
	f.mu.Lock()
	defer f.mu.Unlock()
	key, _ := in["company_key"].(string)
	w.Header().Set("Content-Type", "application/json")
	if f.Key != "" && key != f.Key {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `"COMPANY_KEY_INVALID"`)
		return
	}
	switch r.URL.Path {
	case "/begin/":
		delete(in, "company_key")
		f.Begins = append(f.Begins, in)
		if f.BeginStatus != 0 {
			w.WriteHeader(f.BeginStatus)
			_, _ = io.WriteString(w, f.BeginBody)
			return
		}
		token := Token
		if n := len(f.Begins); n <= len(f.Tokens) {
			token = f.Tokens[n-1]
		}
		_, _ = io.WriteString(w, strconv.Quote(token))
	case "/external-api/result/":
		f.Results++
		if f.ResultStatus != 0 {
			w.WriteHeader(f.ResultStatus)
			_, _ = io.WriteString(w, f.ResultBody)
			return
		}
		token, _ := in["session_token"].(string)
		if out, ok := f.Outcome[token]; ok {
			_, _ = io.WriteString(w, out)
			return
		}
		_, _ = io.WriteString(w, `{"result":"in_progress","reject_reason":null}`)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

func (f *FakeVendor) Set(fn func(f *FakeVendor)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

// HandlerTransport serves requests with a handler in process: the
// widget links keep the vendor's host, so screens are the same each run.
type HandlerTransport struct{ Handler http.Handler }

func (t HandlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.Handler.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// Server serves f on loopback for the tests of real connections.
func Server(tb testing.TB, f http.Handler) string {
	tb.Helper()
	srv := httptest.NewServer(f)
	tb.Cleanup(srv.Close)
	return srv.URL
}

// ClosedURL is a loopback address where nothing listens.
func ClosedURL(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return "http://" + addr
}

// Clipboard records copies; Fail makes it behave like a machine
// without a clipboard tool.
type Clipboard struct {
	mu     sync.Mutex
	Fail   bool
	Copies []string
}

// Write records s, or fails as a machine without a clipboard tool does.
func (c *Clipboard) Write(s string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Fail {
		return fmt.Errorf("no clipboard utilities available")
	}
	c.Copies = append(c.Copies, s)
	return nil
}

// Driver runs a model synchronously: commands run at once, except
// timers, whose messages tests send themselves. Every frame is kept.
type Driver struct {
	TB     testing.TB
	Model  tea.Model
	Frames []string
	OSC52  []string
	// Written is what the model printed to the terminal as it is
	// (tea.Raw), such as the bell.
	Written []string
	// KeepOnlyLast keeps the last frame only (benchmarks).
	KeepOnlyLast bool
	Quit         bool
}

// NewDriver sizes m to w×h, runs init and keeps the frame.
func NewDriver(tb testing.TB, m tea.Model, init tea.Cmd, w, h int) *Driver {
	tb.Helper()
	d := &Driver{TB: tb, Model: m}
	d.Send(tea.WindowSizeMsg{Width: w, Height: h})
	d.Exec(init)
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

// Exec runs cmd, unless it waits on a clock, and handles its message.
func (d *Driver) Exec(cmd tea.Cmd) {
	if cmd == nil || launchIsTimer(cmd) {
		return
	}
	d.handle(cmd())
}

func (d *Driver) handle(msg tea.Msg) {
	if msg == nil {
		return
	}
	if batch, ok := msg.(tea.BatchMsg); ok {
		for _, c := range batch {
			d.Exec(c)
		}
		return
	}
	v := reflect.ValueOf(msg)
	if v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
		for i := range v.Len() {
			d.Exec(v.Index(i).Interface().(tea.Cmd))
		}
		return
	}
	if _, ok := msg.(tea.QuitMsg); ok {
		d.Quit = true
		return
	}
	if raw, ok := msg.(tea.RawMsg); ok {
		d.Written = append(d.Written, fmt.Sprint(raw.Msg))
		return
	}
	if fmt.Sprintf("%T", msg) == "tea.setClipboardMsg" {
		d.OSC52 = append(d.OSC52, v.String())
		return
	}
	d.Send(msg)
}

// Send delivers msg to the model, keeps the frame and runs the command.
func (d *Driver) Send(msg tea.Msg) {
	d.TB.Helper()
	m, cmd := d.Model.Update(msg)
	d.Model = m
	if d.KeepOnlyLast {
		d.Frames = d.Frames[:0]
	}
	d.Frames = append(d.Frames, d.Raw())
	d.Exec(cmd)
}

// Keys presses keys by name.
func (d *Driver) Keys(names ...string) {
	d.TB.Helper()
	for _, n := range names {
		d.Send(Press(n))
	}
}

// TypeText types s one character at a time.
func (d *Driver) TypeText(s string) {
	d.TB.Helper()
	for _, r := range s {
		d.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// Raw is the current frame.
func (d *Driver) Raw() string { return d.Model.View().Content }

// Screen is the current frame without styling.
func (d *Driver) Screen() string { return ansi.Strip(d.Raw()) }

// RequireScreen fails unless the frame contains every part.
func (d *Driver) RequireScreen(parts ...string) {
	d.TB.Helper()
	s := d.Screen()
	for _, p := range parts {
		if !strings.Contains(s, p) {
			d.TB.Fatalf("screen lacks %q:\n%s", p, s)
		}
	}
}

// CompleteInSandbox walks the sandbox's pages from the widget link as a
// customer's browser would (form posts, scripts off) and picks the outcome
// form names on the last one.
func CompleteInSandbox(t *testing.T, widgetURL string, form url.Values) {
	t.Helper()
	u, err := url.Parse(widgetURL)
	if err != nil {
		t.Fatal(err)
	}
	w := sandboxtest.NewWalker(sandboxtest.NewBrowser(t, u.Scheme+"://"+u.Host), u.Query().Get("session_token"))
	w.Finish(w.Run(), form.Get("outcome"), form.Get("reason"))
}

// WidgetPage is the page a widget link opens.
func WidgetPage(t *testing.T, widgetURL string) string {
	t.Helper()
	resp, err := http.Get(widgetURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}
