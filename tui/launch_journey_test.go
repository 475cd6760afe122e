package tui

import (
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/identoflow/identoflow/tui/internal/launchtest"
)

// launchRecorder keeps the last frame a running program drew, for a test
// to read while the program runs.
type launchRecorder struct {
	model tea.Model
	mu    sync.Mutex
	frame string
}

func (r *launchRecorder) Init() tea.Cmd { return r.model.Init() }

func (r *launchRecorder) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m, cmd := r.model.Update(msg)
	r.model = m
	return r, cmd
}

func (r *launchRecorder) View() tea.View {
	v := r.model.View()
	r.mu.Lock()
	r.frame = v.Content
	r.mu.Unlock()
	return v
}

func (r *launchRecorder) last() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.frame
}

// waitFor waits until the drawn frame holds every part; the bound is
// generous, it only keeps a broken program from hanging the test run.
func (r *launchRecorder) waitFor(t *testing.T, parts ...string) string {
	t.Helper()
	deadline := time.Now().Add(hangGuard)
	for {
		frame := r.last()
		plain := ansi.Strip(frame)
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(plain, p)
		}
		if ok {
			return frame
		}
		if time.Now().After(deadline) {
			t.Fatalf("the screen never showed %q; last frame:\n%s", parts, plain)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// The whole journey in a real program: launch from the editor, choose the
// built-in sandbox, scan the QR code, approve on the widget page, see the
// result.
func TestLaunchJourney(t *testing.T) {
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	lc := launchTestConfig(clock, clip)
	lc.Now = time.Now
	l := NewLauncher(lc)
	defer func() {
		if err := l.Close(); err != nil {
			t.Error(err)
		}
	}()
	rec := &launchRecorder{model: launchEditorApp(t, l, time.Now)}
	tm := teatest.NewTestModel(t, rec, teatest.WithInitialTermSize(100, 40))

	rec.waitFor(t, "Steps", "identity-document")
	tm.Send(launchtest.Press("L"))
	rec.waitFor(t, "Where should sessions be created?")
	tm.Send(launchtest.Press("enter"))
	frame := rec.waitFor(t, "SANDBOX", "Expires in")

	widget, err := launchtest.DecodeQR(frame)
	if err != nil {
		t.Fatalf("the QR code on screen does not decode: %v\n%s", err, ansi.Strip(frame))
	}
	// The built-in sandbox serves on loopback only.
	if !strings.HasPrefix(widget, "http://127.0.0.1:") || !strings.Contains(widget, "/?session_token=") || !strings.Contains(ansi.Strip(frame), widget) {
		t.Fatalf("QR code holds %q; want the session link shown under it", widget)
	}
	if page := launchtest.WidgetPage(t, widget); !strings.Contains(page, "SANDBOX") {
		t.Fatal("the QR code does not open the sandbox's widget page")
	}
	launchtest.CompleteInSandbox(t, widget, url.Values{"outcome": {"approved"}})
	rec.waitFor(t, "Approved", "████")

	tm.Send(launchtest.Press("esc"))
	rec.waitFor(t, "Steps")
	tm.Send(launchtest.Press("ctrl+c"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(hangGuard))
}
