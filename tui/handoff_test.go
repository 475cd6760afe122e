package tui

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/export"
)

const launchVendorURL = api.DefaultBaseURL + "/?session_token=" + launchTestToken

// launchVendorConfig talks to vendor in process, under the vendor's own
// base URL, so links and codes are the same on every run.
func launchVendorConfig(clock *launchClock, clip *launchClipboard, vendor *launchFakeVendor) LaunchConfig {
	lc := launchTestConfig(clock, clip)
	lc.CompanyKey = launchTestKey
	lc.HTTPClient = &http.Client{Transport: launchHandlerTransport{vendor}}
	return lc
}

// launchHandoffAt launches from the editor in a terminal of w×h.
func launchHandoffAt(t *testing.T, w, h int) (*launchDriver, *launchFakeVendor, *launchClock, *launchClipboard) {
	t.Helper()
	clock, clip, vendor := newLaunchClock(), &launchClipboard{}, &launchFakeVendor{}
	l := NewLauncher(launchVendorConfig(clock, clip, vendor))
	app := launchEditorApp(t, l, clock.Now)
	d := newLaunchDriver(t, app, app.Init(), w, h)
	d.keys("L")
	d.requireScreen("Expires in")
	return d, vendor, clock, clip
}

// The code is as large as the terminal allows and always decodes: beside
// the text at 80×24, above it at 100×40, in full blocks on a big screen.
func TestHandoffQRSizes(t *testing.T) {
	for _, tc := range []struct {
		w, h      int
		style     export.QRStyle
		side      bool
		wantQuiet int
	}{
		{80, 24, export.QRHalf, true, 2},
		{100, 40, export.QRHalf, false, 4},
		{120, 35, export.QRHalf, false, 4},
		{200, 50, export.QRFull, true, 4},
		{130, 60, export.QRFull, false, 4},
	} {
		t.Run(fmt.Sprintf("%dx%d", tc.w, tc.h), func(t *testing.T) {
			d, _, _, _ := launchHandoffAt(t, tc.w, tc.h)
			got, err := launchDecodeQR(d.raw())
			if err != nil {
				t.Fatalf("QR code does not decode: %v\n%s", err, d.screen())
			}
			if got != launchVendorURL {
				t.Fatalf("decoded %q, want %q", got, launchVendorURL)
			}
			h := d.runner().hand
			var used *handoffQR
			for k, q := range h.qr.entries {
				if q.err == nil && strings.Contains(d.raw(), strings.SplitN(q.text, "\n", 2)[0]) && k.style == tc.style {
					used = &q
				}
			}
			if used == nil {
				t.Fatalf("no %v code of the cache is on screen", tc.style)
			}
			if used.layout.Quiet != tc.wantQuiet {
				t.Errorf("quiet zone %d, want %d", used.layout.Quiet, tc.wantQuiet)
			}
			lines := strings.Split(d.screen(), "\n")
			if len(lines) != tc.h {
				t.Errorf("frame is %d lines, want %d", len(lines), tc.h)
			}
			for i, l := range lines {
				if w := lipgloss.Width(l); w > tc.w {
					t.Errorf("line %d is %d wide, more than %d", i, w, tc.w)
				}
			}
			side := false
			for _, l := range strings.Split(d.raw(), "\n") {
				if strings.Contains(l, "widget.identomat.com") && strings.Contains(l, "48;5;16") {
					side = true
				}
			}
			if side != tc.side {
				t.Errorf("text beside the code: %v, want %v\n%s", side, tc.side, d.screen())
			}
		})
	}
}

func TestHandoffTooSmallShowsLinkAndNeededSize(t *testing.T) {
	d, _, _, _ := launchHandoffAt(t, 60, 18)
	d.requireScreen("Terminal too small for the QR code.", "Make the terminal at least 73 columns by 24 rows")
	if !strings.Contains(strings.ReplaceAll(d.screen(), "\n", ""), launchVendorURL) {
		t.Fatalf("the link is not shown:\n%s", d.screen())
	}
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	if _, err := launchDecodeQR(d.raw()); err != nil {
		t.Fatalf("after enlarging, no code: %v", err)
	}
}

func TestHandoffQRRenderedOncePerSize(t *testing.T) {
	d, _, clock, _ := launchHandoffAt(t, 100, 40)
	h := d.runner().hand
	before := len(h.qr.entries)
	for range 5 {
		clock.advance(time.Second)
		d.tick()
	}
	if len(h.qr.entries) != before {
		t.Fatalf("countdown redraws rendered %d new codes", len(h.qr.entries)-before)
	}
	d.requireScreen("Expires in 14:55")
}

func TestHandoffCopy(t *testing.T) {
	d, _, _, clip := launchHandoffAt(t, 100, 40)
	d.keys("c")
	d.requireScreen("✓ Link copied")
	if len(clip.copies) != 1 || clip.copies[0] != launchVendorURL {
		t.Fatalf("copied %q, want the link", clip.copies)
	}
	d.keys("i")
	d.requireScreen("✓ Snippet copied")
	if len(clip.copies) != 2 || !strings.Contains(clip.copies[1], `e.origin !== "https://widget.identomat.com"`) {
		t.Fatalf("iframe snippet %q", clip.copies)
	}
	if !strings.Contains(clip.copies[1], `src="`+launchVendorURL+`"`) {
		t.Fatalf("iframe snippet does not embed this session's link %s:\n%s", launchVendorURL, clip.copies[1])
	}
	if strings.Count(clip.copies[1], launchTestToken) != 1 {
		t.Fatalf("the token is put anywhere but the link:\n%s", clip.copies[1])
	}
	if len(d.osc52) != 0 {
		t.Fatal("OSC 52 used although the clipboard worked")
	}
	// The confirmation goes away by itself.
	h := d.runner().hand
	d.send(handoffFlashMsg{gen: h.gen, seq: h.flashSeq})
	if strings.Contains(d.screen(), "copied") {
		t.Fatal("confirmation stays")
	}
}

// Without a clipboard tool (CI, SSH) the copy goes through the terminal.
func TestHandoffCopyFallsBackToOSC52(t *testing.T) {
	d, _, _, clip := launchHandoffAt(t, 100, 40)
	clip.fail = true
	d.keys("c")
	d.requireScreen("✓ Link copied (via terminal)")
	if len(d.osc52) != 1 || d.osc52[0] != launchVendorURL {
		t.Fatalf("OSC 52 got %q, want the link", d.osc52)
	}
}

func TestHandoffIframeUsesSandboxBase(t *testing.T) {
	clock, clip := newLaunchClock(), &launchClipboard{}
	d, l := launchFromEditor(t, launchTestConfig(clock, clip))
	d.keys("enter", "i")
	if len(clip.copies) != 1 || !strings.Contains(clip.copies[0], `"`+l.sandboxBase+`"`) {
		t.Fatalf("iframe snippet does not name the sandbox %s:\n%s", l.sandboxBase, clip.copies)
	}
}

func TestHandoffResultLarge(t *testing.T) {
	for _, tc := range []struct {
		body  string
		want  []string
		width int
	}{
		{`{"result":"approved"}`, []string{"Approved"}, 100},
		{`{"result":"rejected","reject_reason":{"value":"DOCUMENT_EXPIRED","description":"The identity document has expired"}}`,
			[]string{"Rejected: The identity document has expired (DOCUMENT_EXPIRED)"}, 100},
		{`{"result":"manual_check"}`, []string{"Manual check (manual_check)"}, 100},
	} {
		d, vendor, _, _ := launchHandoffAt(t, tc.width, 40)
		d.poll()
		d.requireScreen("Waiting for the customer")
		vendor.set(func(f *launchFakeVendor) { f.outcome = map[string]string{launchTestToken: tc.body} })
		d.poll()
		d.requireScreen(tc.want...)
		if !strings.Contains(d.screen(), "████") {
			t.Errorf("result not drawn large:\n%s", d.screen())
		}
		if strings.Contains(d.screen(), "session_token") {
			t.Error("the QR code stays after the result")
		}
		n := vendor.results
		d.poll()
		if vendor.results != n {
			t.Error("polling goes on after the final result")
		}
	}
}

// At expiry one last poll decides; then the screen says so and r renews.
func TestHandoffExpiryAndRenew(t *testing.T) {
	d, vendor, clock, _ := launchHandoffAt(t, 100, 40)
	vendor.set(func(f *launchFakeVendor) { f.tokens = []string{launchTestToken, launchTestToken2} })
	clock.advance(api.TokenLifetime - 90*time.Second)
	d.tick()
	d.requireScreen("Expires in 1:30")
	clock.advance(90 * time.Second)
	d.tick()
	if !strings.Contains(d.screen(), "████ █   █ ███") || !strings.Contains(d.screen(), "expired before the customer finished") {
		t.Fatalf("expiry not shown:\n%s", d.screen())
	}
	n := vendor.results
	d.poll()
	d.tick()
	if vendor.results != n {
		t.Fatal("still polling an expired session")
	}
	d.keys("r")
	d.requireScreen("?session_token="+launchTestToken2, "Expires in 15:00")
}

func TestHandoffServerSaysExpired(t *testing.T) {
	d, vendor, _, _ := launchHandoffAt(t, 100, 40)
	vendor.set(func(f *launchFakeVendor) {
		f.resultStatus, f.resultBody = http.StatusGone, `{"error":"session expired"}`
	})
	d.poll()
	d.requireScreen("expired before the customer finished")
}

func TestHandoffPollBacksOff(t *testing.T) {
	d, vendor, _, _ := launchHandoffAt(t, 100, 40)
	h := d.runner().hand
	first := h.pollDelay
	d.poll()
	if h.pollDelay <= first || h.pollDelay > first*5/2 {
		t.Fatalf("delay after an unfinished result %v (first %v)", h.pollDelay, first)
	}
	vendor.set(func(f *launchFakeVendor) { f.resultStatus, f.resultBody = 500, `{"message":"busy"}` })
	for range 10 {
		d.poll()
	}
	if h.pollDelay != first*launchPollErrorGrowth {
		t.Fatalf("delay after errors %v, want %v", h.pollDelay, first*launchPollErrorGrowth)
	}
	d.requireScreen("Could not check the result", "busy")
	vendor.set(func(f *launchFakeVendor) { f.resultStatus = 0 })
	d.poll()
	if strings.Contains(d.screen(), "Could not check") || h.pollDelay > first*5/2 {
		t.Fatalf("did not recover: delay %v\n%s", h.pollDelay, d.screen())
	}
}

// Answers for a session no longer shown are dropped.
func TestHandoffIgnoresStaleAnswers(t *testing.T) {
	d, vendor, _, _ := launchHandoffAt(t, 100, 40)
	vendor.set(func(f *launchFakeVendor) { f.tokens = []string{launchTestToken, launchTestToken2} })
	old := d.runner().hand.gen
	d.keys("r")
	d.send(launchResultMsg{gen: old, result: api.Result{Status: "approved"}})
	d.requireScreen("?session_token=" + launchTestToken2)
	if strings.Contains(d.screen(), "Approved") {
		t.Fatal("a stale result replaced the new session")
	}
}

func TestBlockLetters(t *testing.T) {
	for _, w := range []string{"APPROVED", "REJECTED", "MANUAL CHECK", "EXPIRED", "IN PROGRESS"} {
		rows := blockLetters(w)
		if w == "IN PROGRESS" {
			if rows != nil {
				t.Error("a word with a missing letter drew anyway")
			}
			continue
		}
		if len(rows) != 5 || lipgloss.Width(rows[0]) > 76 {
			t.Errorf("%s: %d rows, %d wide", w, len(rows), lipgloss.Width(rows[0]))
		}
		for _, r := range rows[1:] {
			if lipgloss.Width(r) != lipgloss.Width(rows[0]) {
				t.Errorf("%s: ragged rows", w)
			}
		}
	}
	if got := bigWord("APPROVED", lipgloss.NewStyle(), 20); len(got) != 1 {
		t.Errorf("narrow screen: %d rows, want one line", len(got))
	}
}

// The decoding the tests rely on must notice a damaged code.
func TestLaunchDecodeQRCatchesDamage(t *testing.T) {
	d, _, _, _ := launchHandoffAt(t, 100, 40)
	lines := strings.Split(d.raw(), "\n")
	swap := strings.NewReplacer("█", " ", " ", "█", "▀", "▄", "▄", "▀")
	damaged := 0
	for i, l := range lines {
		if strings.Contains(l, "48;5;16") && i%2 == 0 {
			lines[i] = swap.Replace(l)
			damaged++
		}
	}
	if damaged < 5 {
		t.Fatalf("only %d code lines found", damaged)
	}
	if got, err := launchDecodeQR(strings.Join(lines, "\n")); err == nil && got == launchVendorURL {
		t.Fatal("a code with every other line inverted still reads as the link")
	}
}
