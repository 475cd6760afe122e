package session

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/api/sandbox"
	"github.com/identoflow/identoflow/export"
	"github.com/identoflow/identoflow/tui/internal/launchtest"
)

const launchVendorURL = api.DefaultBaseURL + "/?session_token=" + launchtest.Token

// launchVendorConfig talks to vendor in process, under the vendor's own
// base URL, so links and codes are the same on every run.
func launchVendorConfig(clock *launchtest.Clock, clip *launchtest.Clipboard, vendor *launchtest.FakeVendor) Config {
	lc := launchTestConfig(clock, clip)
	lc.CompanyKey = launchtest.Key
	lc.HTTPClient = &http.Client{Transport: launchtest.HandlerTransport{Handler: vendor}}
	return lc
}

// launchHandoffAt launches from the editor in a terminal of w×h.
func launchHandoffAt(t *testing.T, w, h int) (*launchtest.Driver, *launchtest.FakeVendor, *launchtest.Clock, *launchtest.Clipboard) {
	t.Helper()
	clock, clip, vendor := launchtest.NewClock(), &launchtest.Clipboard{}, &launchtest.FakeVendor{}
	l := NewLauncher(launchVendorConfig(clock, clip, vendor))
	d := launchOver(t, l, w, h)
	d.RequireScreen("Expires in")
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
			got, err := launchtest.DecodeQR(d.Raw())
			if err != nil {
				t.Fatalf("QR code does not decode: %v\n%s", err, d.Screen())
			}
			if got != launchVendorURL {
				t.Fatalf("decoded %q, want %q", got, launchVendorURL)
			}
			h := runnerOf(d).hand
			var used *handoffQR
			for k, q := range h.qr.entries {
				if q.err == nil && strings.Contains(d.Raw(), strings.SplitN(q.text, "\n", 2)[0]) && k.style == tc.style {
					used = &q
				}
			}
			if used == nil {
				t.Fatalf("no %v code of the cache is on screen", tc.style)
			}
			if used.layout.Quiet != tc.wantQuiet {
				t.Errorf("quiet zone %d, want %d", used.layout.Quiet, tc.wantQuiet)
			}
			lines := strings.Split(d.Screen(), "\n")
			if len(lines) != tc.h {
				t.Errorf("frame is %d lines, want %d", len(lines), tc.h)
			}
			for i, l := range lines {
				if w := lipgloss.Width(l); w > tc.w {
					t.Errorf("line %d is %d wide, more than %d", i, w, tc.w)
				}
			}
			side := false
			for _, l := range strings.Split(d.Raw(), "\n") {
				if strings.Contains(l, "widget.identomat.com") && strings.Contains(l, "48;5;16") {
					side = true
				}
			}
			if side != tc.side {
				t.Errorf("text beside the code: %v, want %v\n%s", side, tc.side, d.Screen())
			}
		})
	}
}

func TestHandoffTooSmallShowsLinkAndNeededSize(t *testing.T) {
	d, _, _, _ := launchHandoffAt(t, 60, 18)
	d.RequireScreen("Terminal too small for the QR code.", "Make the terminal at least 73 columns by 24 rows")
	// No code: the link, longer than the terminal is wide, is shown whole
	// over lines, for a clipboard may be out of reach.
	requireWrappedLink(t, d.Screen(), launchVendorURL)
	if strings.Contains(d.Screen(), "cut to fit") {
		t.Fatalf("the link is cut where no code is drawn:\n%s", d.Screen())
	}
	d.Send(tea.WindowSizeMsg{Width: 80, Height: 24})
	if _, err := launchtest.DecodeQR(d.Raw()); err != nil {
		t.Fatalf("after enlarging, no code: %v", err)
	}
}

// requireLinkLine fails unless the screen shows url on one line of its own
// (whole, or cut with "…" where there is no room, then saying that c
// copies it; whole when wholeFits), and no line holds a piece of it
// broken off.
func requireLinkLine(t *testing.T, screen, url string, wholeFits bool) {
	t.Helper()
	whole, cut := false, false
	for _, l := range strings.Split(screen, "\n") {
		l = strings.TrimSpace(l)
		if i := strings.Index(l, "https://"); i >= 0 {
			l = l[i:]
		}
		switch {
		case strings.HasPrefix(l, url):
			whole = true
		case strings.HasSuffix(l, "…") && strings.HasPrefix(url, strings.TrimSuffix(l, "…")) && len(l) > len("https://"):
			cut = true
		case len(l) >= 8 && strings.Contains(url, l[len(l)-8:]) && !strings.HasPrefix(url, l):
			t.Fatalf("a piece of the link on its own line, %q:\n%s", l, screen)
		}
	}
	switch {
	case wholeFits && !whole:
		t.Fatalf("the link %s does not stand whole on one line:\n%s", url, screen)
	case !whole && !cut:
		t.Fatalf("the link is not shown:\n%s", screen)
	case cut && !strings.Contains(screen, "c copies the whole link"):
		t.Fatalf("the link is cut without saying c copies it:\n%s", screen)
	}
}

// requireWrappedLink fails unless the screen shows url whole from the
// start of a line, broken at the line's end into the lines under it with
// nothing added inside it (a selection across them copies it).
func requireWrappedLink(t *testing.T, screen, url string) {
	t.Helper()
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, url[:len("https://")]) {
			continue
		}
		joined := strings.TrimRight(l, " ")
		for j := i + 1; len(joined) < len(url) && j < len(lines); j++ {
			joined += strings.TrimRight(lines[j], " ")
		}
		if joined == url {
			return
		}
		t.Fatalf("the link's lines join into %q, want %q:\n%s", joined, url, screen)
	}
	t.Fatalf("the link %s is not shown:\n%s", url, screen)
}

func TestHandoffLinkNeverBreaksAcrossLines(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {100, 30}, {200, 60}} {
		d, _, _, _ := launchHandoffAt(t, size[0], size[1])
		requireLinkLine(t, d.Screen(), launchVendorURL, size[0] >= 200)
	}
}

func TestHandoffQRRenderedOncePerSize(t *testing.T) {
	d, _, clock, _ := launchHandoffAt(t, 100, 40)
	h := runnerOf(d).hand
	before := len(h.qr.entries)
	for range 5 {
		clock.Advance(time.Second)
		tickNow(d)
	}
	if len(h.qr.entries) != before {
		t.Fatalf("countdown redraws rendered %d new codes", len(h.qr.entries)-before)
	}
	d.RequireScreen("Expires in 14:55")
}

func TestHandoffCopy(t *testing.T) {
	d, _, _, clip := launchHandoffAt(t, 100, 40)
	d.Keys("c")
	d.RequireScreen("✓ Link copied")
	if len(clip.Copies) != 1 || clip.Copies[0] != launchVendorURL {
		t.Fatalf("copied %q, want the link", clip.Copies)
	}
	d.Keys("i")
	d.RequireScreen("✓ Snippet copied")
	if len(clip.Copies) != 2 || !strings.Contains(clip.Copies[1], `e.origin !== "https://widget.identomat.com"`) {
		t.Fatalf("iframe snippet %q", clip.Copies)
	}
	if !strings.Contains(clip.Copies[1], `src="`+launchVendorURL+`"`) {
		t.Fatalf("iframe snippet does not embed this session's link %s:\n%s", launchVendorURL, clip.Copies[1])
	}
	if strings.Count(clip.Copies[1], launchtest.Token) != 1 {
		t.Fatalf("the token is put anywhere but the link:\n%s", clip.Copies[1])
	}
	if len(d.OSC52) != 0 {
		t.Fatal("OSC 52 used although the clipboard worked")
	}
	// The confirmation goes away by itself.
	h := runnerOf(d).hand
	d.Send(handoffFlashMsg{gen: h.gen, seq: h.flashSeq})
	if strings.Contains(d.Screen(), "copied") {
		t.Fatal("confirmation stays")
	}
}

// Without a clipboard tool (CI, SSH) the copy goes through the terminal.
func TestHandoffCopyFallsBackToOSC52(t *testing.T) {
	d, _, _, clip := launchHandoffAt(t, 100, 40)
	clip.Fail = true
	d.Keys("c")
	d.RequireScreen("✓ Link copied (via terminal)")
	if len(d.OSC52) != 1 || d.OSC52[0] != launchVendorURL {
		t.Fatalf("OSC 52 got %q, want the link", d.OSC52)
	}
}

func TestHandoffIframeUsesSandboxBase(t *testing.T) {
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	d, l := launchFromEditor(t, launchTestConfig(clock, clip))
	d.Keys("enter", "i")
	if len(clip.Copies) != 1 || !strings.Contains(clip.Copies[0], `"`+sandboxURL(l)+`"`) {
		t.Fatalf("iframe snippet does not name the sandbox %s:\n%s", sandboxURL(l), clip.Copies)
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
		{`{"result":"manual_check"}`, []string{"Manual check"}, 100},
	} {
		d, vendor, _, _ := launchHandoffAt(t, tc.width, 40)
		pollNow(d)
		d.RequireScreen("Waiting for the customer")
		vendor.Set(func(f *launchtest.FakeVendor) { f.Outcome = map[string]string{launchtest.Token: tc.body} })
		pollNow(d)
		d.RequireScreen(tc.want...)
		if strings.Contains(d.Screen(), "(manual_check)") {
			t.Errorf("the status is said twice:\n%s", d.Screen())
		}
		if !strings.Contains(d.Screen(), "████") {
			t.Errorf("result not drawn large:\n%s", d.Screen())
		}
		if strings.Contains(d.Screen(), "session_token") {
			t.Error("the QR code stays after the result")
		}
		n := vendor.Results
		pollNow(d)
		if vendor.Results != n {
			t.Error("polling goes on after the final result")
		}
	}
}

// At expiry one last poll decides; then the screen says so and r renews.
func TestHandoffExpiryAndRenew(t *testing.T) {
	d, vendor, clock, _ := launchHandoffAt(t, 100, 40)
	vendor.Set(func(f *launchtest.FakeVendor) { f.Tokens = []string{launchtest.Token, launchtest.Token2} })
	clock.Advance(api.TokenLifetime - 90*time.Second)
	tickNow(d)
	d.RequireScreen("Expires in 1:30")
	clock.Advance(90 * time.Second)
	tickNow(d)
	if !strings.Contains(d.Screen(), "████ █   █ ███") || !strings.Contains(d.Screen(), "expired before the customer finished") {
		t.Fatalf("expiry not shown:\n%s", d.Screen())
	}
	n := vendor.Results
	pollNow(d)
	tickNow(d)
	if vendor.Results != n {
		t.Fatal("still polling an expired session")
	}
	d.Keys("r")
	d.RequireScreen("?session_token="+launchtest.Token2, "Expires in 15:00")
}

func TestHandoffServerSaysExpired(t *testing.T) {
	d, vendor, _, _ := launchHandoffAt(t, 100, 40)
	vendor.Set(func(f *launchtest.FakeVendor) {
		f.ResultStatus, f.ResultBody = http.StatusGone, `{"error":"session expired"}`
	})
	pollNow(d)
	d.RequireScreen("expired before the customer finished")
}

func TestHandoffPollBacksOff(t *testing.T) {
	d, vendor, _, _ := launchHandoffAt(t, 100, 40)
	h := runnerOf(d).hand
	first := h.pollDelay
	pollNow(d)
	if h.pollDelay <= first || h.pollDelay > first*5/2 {
		t.Fatalf("delay after an unfinished result %v (first %v)", h.pollDelay, first)
	}
	vendor.Set(func(f *launchtest.FakeVendor) { f.ResultStatus, f.ResultBody = 500, `{"message":"busy"}` })
	for range 10 {
		pollNow(d)
	}
	if h.pollDelay != first*launchPollErrorGrowth {
		t.Fatalf("delay after errors %v, want %v", h.pollDelay, first*launchPollErrorGrowth)
	}
	d.RequireScreen("Could not check the result", "busy")
	vendor.Set(func(f *launchtest.FakeVendor) { f.ResultStatus = 0 })
	pollNow(d)
	if strings.Contains(d.Screen(), "Could not check") || h.pollDelay > first*5/2 {
		t.Fatalf("did not recover: delay %v\n%s", h.pollDelay, d.Screen())
	}
}

// Answers for a session no longer shown are dropped.
func TestHandoffIgnoresStaleAnswers(t *testing.T) {
	d, vendor, _, _ := launchHandoffAt(t, 100, 40)
	vendor.Set(func(f *launchtest.FakeVendor) { f.Tokens = []string{launchtest.Token, launchtest.Token2} })
	old := runnerOf(d).hand.gen
	d.Keys("r")
	d.Send(launchResultMsg{gen: old, result: api.Result{Status: "approved"}})
	d.RequireScreen("?session_token=" + launchtest.Token2)
	if strings.Contains(d.Screen(), "Approved") {
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
	lines := strings.Split(d.Raw(), "\n")
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
	if got, err := launchtest.DecodeQR(strings.Join(lines, "\n")); err == nil && got == launchVendorURL {
		t.Fatal("a code with every other line inverted still reads as the link")
	}
}

// A copy's confirmation shows however long the customer's name is: beside
// the code, without a code, and in words (where the state sentence takes
// rows above the screen).
func TestHandoffCopyConfirmedWithALongName(t *testing.T) {
	long := strings.Repeat("Giorgi Kapanadze ", 12)
	for _, tc := range []struct {
		w, h       int
		accessible bool
	}{{80, 24, false}, {50, 20, false}, {80, 14, true}} {
		d, _, clip := loopbackDeskWithCustomer(t, tc.w, tc.h,
			sandbox.Progress{Opened: true, Step: 1, Steps: 2, Title: "Location", Language: "en", Outcome: sandbox.OutcomeInProgress})
		hostOf(d).common.Accessible = tc.accessible
		d.TypeText(long)
		d.Keys("tab")
		d.TypeText("cu-1234567")
		d.Keys("enter")
		pollNow(d) // checked: one more line
		d.RequireScreen("Expires")
		clip.Fail = true
		d.Keys("c")
		if !strings.Contains(d.Screen(), "Link copied (via terminal)") {
			t.Fatalf("%d×%d accessible %v: the copy is not confirmed:\n%s", tc.w, tc.h, tc.accessible, d.Screen())
		}
	}
}
