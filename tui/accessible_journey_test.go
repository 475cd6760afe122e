package tui

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/internal/launchtest"
)

// The whole of accessible mode in a real program, questions answered on
// the terminal: a template from home, saved under the typed name (an
// unrelated flow.json in the folder is left alone), then launched on the
// built-in sandbox without a company key, the link said in words, the QR
// code on q, the outcome, and quitting.
func TestAccessibleJourneyToSavedFileAndSessionLink(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	unrelated := []byte("{\"steps\": []}\n")
	if err := os.WriteFile("flow.json", unrelated, 0o644); err != nil {
		t.Fatal(err)
	}
	clock, clip := launchtest.NewClock(), &launchtest.Clipboard{}
	lc := launchTestConfig(clock, clip)
	lc.Now = time.Now
	l := NewLauncher(lc)
	t.Cleanup(func() { _ = l.Close() })
	app := New(RunOptions{Options: Options{
		Store: Store{Dir: t.TempDir()}, Accessible: true, NoColor: true, Launcher: l,
		Getenv: func(string) string { return "" },
	}})
	lp := startProgram(t, app, 80, 24)
	said := func(parts ...string) string {
		t.Helper()
		frame := lp.rec.waitFor(t, parts[0])
		requireSaid(t, frame, parts...)
		requireSpoken(t, frame, false)
		return frame
	}

	said("identoflow, home.", "New flow: empty, selected, 1 of ")
	lp.keys("down")
	said("New flow: basic-kyc, selected, 2 of ")
	lp.keys("enter")
	said("identoflow, new flow, Steps.", "Step 1 of 3: language, key language, selected.")

	mark := lp.mark()
	lp.keys("ctrl+w")
	asked := lp.answer(t, mark, "Save as", "mine")
	if !strings.Contains(asked, "Path of the JSON file") || !strings.Contains(asked, "esc goes back") {
		t.Fatalf("the question does not say what to type or how to go back:\n%s", asked)
	}
	said("identoflow, mine.json, Steps.", "saved mine.json")
	if strings.Contains(ansi.Strip(lp.out.String()[mark:]), "already exists") {
		t.Fatal("asked whether to replace a file that did not exist")
	}
	saved, err := flow.Parse(mustRead(t, filepath.Join(dir, "mine.json")))
	if err != nil || len(saved.Steps()) != 3 {
		t.Fatalf("mine.json holds %v (%v), want the basic-kyc flow", saved, err)
	}
	if got := mustRead(t, "flow.json"); !bytes.Equal(got, unrelated) {
		t.Fatalf("flow.json was overwritten:\n%s", got)
	}

	mark = lp.mark()
	lp.keys("L")
	lp.answer(t, mark, "Where should sessions be created?", "1")
	frame := said("Session ready. Open the link in a browser on this computer.", "q shows the QR code",
		"Waiting for the customer to finish.", "in about 15 minutes.")
	if asked := ansi.Strip(lp.out.String()[mark:]); strings.Contains(asked, "Company key") || !strings.Contains(asked, "No company key or base URL is configured") {
		t.Fatalf("choosing the sandbox asked for a key, or the question lost its explanation:\n%s", asked)
	}
	link := linkIn(ansi.Strip(frame))
	if !strings.HasPrefix(link, "http://127.0.0.1:") || !strings.Contains(link, "/?session_token=") {
		t.Fatalf("no session link in words:\n%s", ansi.Strip(frame))
	}

	lp.keys("q")
	// The code is read from the frames drawn from then on: one drawn while
	// the screen was still changing (a size, a progress line) may not be
	// the last.
	for deadline := time.Now().Add(hangGuard); ; time.Sleep(10 * time.Millisecond) {
		frame = lp.rec.waitFor(t, "q hide QR code")
		requireSpoken(t, frame, true)
		got, err := launchtest.DecodeQR(frame)
		if err == nil && got == link {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the QR code holds %q (%v), want the link said in words %q", got, err, link)
		}
	}
	launchtest.CompleteInSandbox(t, link, url.Values{"outcome": {"approved"}})
	frame = said("The session ended: approved.", "APPROVED")
	if strings.Contains(frame, "█") {
		t.Fatalf("the outcome is drawn in block letters:\n%s", ansi.Strip(frame))
	}

	lp.keys("esc")
	said("identoflow, mine.json, Steps.")
	lp.keys("ctrl+c")
	lp.finished(t)
}

// linkIn is the session link of a frame: the line it starts on and those
// it wraps onto.
func linkIn(frame string) string {
	lines := strings.Split(frame, "\n")
	for i, l := range lines {
		if start := strings.Index(l, "http://"); start >= 0 {
			link := strings.TrimSpace(l[start:])
			for _, more := range lines[i+1:] {
				more = strings.TrimSpace(more)
				if more == "" || strings.Contains(more, " ") {
					break
				}
				link += more
			}
			return link
		}
	}
	return ""
}

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}
