package session

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/api/sandbox"
	"github.com/identoflow/identoflow/export"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// handoffFlashTime is how long a confirmation such as "copied" stays.
const handoffFlashTime = 4 * time.Second

// handoffEventKind is what a key or an answer did to the handoff.
type handoffEventKind int

const (
	handoffNoEvent handoffEventKind = iota
	handoffRenew                    // r: replace the session with a new one
	handoffBack                     // esc
	handoffNext                     // n: next customer
	handoffFinal                    // the final result arrived
	handoffExpired                  // the token expired without a final result
)

type handoffEvent struct {
	kind   handoffEventKind
	result api.Result
}

// Messages of a handoff, tagged with its session's gen so that answers
// for a session no longer shown are dropped.
type (
	handoffTickMsg  struct{ gen int }
	handoffPollMsg  struct{ gen int }
	handoffFlashMsg struct{ gen, seq int }
)

// handoff shows one session to the customer: the QR code of the widget
// link, the link, a countdown to expiry, and the result, polled until it
// is final.
type handoff struct {
	common *ui.Common
	l      *Launcher
	keys   launchKeyMap
	desk   bool

	gen     int
	session api.Session
	cfg     *flow.Config // the flow sent, for the iframe snippet's permissions
	who     sessionWho

	result   *api.Result // set once final
	expired  bool        // the token ran out (or the server says so)
	expiring bool        // expiry reached: one last poll decides
	stopped  bool

	polling   bool
	pollDelay time.Duration
	cancel    context.CancelFunc
	checkedAt time.Time
	pollErr   string

	flash    string
	flashSeq int

	showQR bool // accessible mode: the code is drawn (q), else the texts alone

	progress customerProgress // a built-in sandbox session's customer

	qr            handoffQRCache
	width, height int
}

func newHandoff(c *ui.Common, l *Launcher, gen int, s api.Session, cfg *flow.Config, desk bool) *handoff {
	return &handoff{
		common: c, l: l, keys: newLaunchKeys(), desk: desk,
		gen: gen, session: s, cfg: cfg, who: whoOf(cfg),
		pollDelay: l.cfg.PollEvery,
	}
}

func (h *handoff) setSize(w, hh int) { h.width, h.height = w, hh }

// init starts the countdown and the result polling.
func (h *handoff) init() tea.Cmd {
	said := h.watchProgress()
	return tea.Batch(said, h.tick(), h.schedulePoll(), h.pollIfFinished())
}

func (h *handoff) done() bool { return h.stopped || h.result != nil || h.expired }

func (h *handoff) tick() tea.Cmd {
	gen := h.gen
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return handoffTickMsg{gen: gen} })
}

func (h *handoff) schedulePoll() tea.Cmd {
	gen := h.gen
	return tea.Tick(h.pollDelay, func(time.Time) tea.Msg { return handoffPollMsg{gen: gen} })
}

// poll asks for the result now.
func (h *handoff) poll() tea.Cmd {
	if h.polling || h.stopped || h.result != nil {
		return nil
	}
	h.polling = true
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	return h.l.result(ctx, h.gen, h.session.Token)
}

// pollIfFinished asks for the result at once when the built-in sandbox
// says the customer has finished, rather than at the next poll: the
// screen would say it waits for the customer meanwhile.
func (h *handoff) pollIfFinished() tea.Cmd {
	if !h.customerFinished() {
		return nil
	}
	return h.poll()
}

// customerFinished reports whether the built-in sandbox says the customer
// picked an outcome (the result may not be fetched yet).
func (h *handoff) customerFinished() bool {
	return h.progress.known && h.progress.at.Outcome != sandbox.OutcomeInProgress
}

// stop ends polling and cancels a request in flight.
func (h *handoff) stop() {
	h.stopped = true
	if h.cancel != nil {
		h.cancel()
		h.cancel = nil
	}
}

// iframeSnippet is the embedding snippet for this very session.
func (h *handoff) iframeSnippet() string {
	// Only in the link: the snippet's comment explains the placeholder.
	placeholder := "session_token=" + export.TokenPlaceholder
	return strings.ReplaceAll(export.Iframe(h.cfg, h.l.widgetBase()), placeholder, "session_token="+url.QueryEscape(h.session.Token))
}

func (h *handoff) remaining() time.Duration { return h.session.ExpiresAt.Sub(h.l.now()) }

func (h *handoff) update(msg tea.Msg) (tea.Cmd, handoffEvent) {
	switch msg := msg.(type) {
	case handoffTickMsg:
		if msg.gen != h.gen || h.done() {
			return nil, handoffEvent{}
		}
		said := h.watchProgress()
		if h.remaining() <= 0 && !h.expiring {
			// The customer may have finished in the last seconds: ask once more.
			h.expiring = true
			if h.polling {
				return said, handoffEvent{}
			}
			return tea.Batch(said, h.poll()), handoffEvent{}
		}
		if h.expiring {
			return said, handoffEvent{}
		}
		return tea.Batch(said, h.tick(), h.pollIfFinished()), handoffEvent{}
	case handoffPollMsg:
		if msg.gen != h.gen || h.done() || h.expiring {
			return nil, handoffEvent{}
		}
		return h.poll(), handoffEvent{}
	case launchResultMsg:
		if msg.gen != h.gen || h.stopped {
			return nil, handoffEvent{}
		}
		return h.answered(msg)
	case handoffFlashMsg:
		if msg.gen == h.gen && msg.seq == h.flashSeq {
			h.flash = ""
		}
		return nil, handoffEvent{}
	case widget.ClipboardDoneMsg:
		if msg.Gen != h.gen {
			return nil, handoffEvent{}
		}
		if msg.Fallback {
			return tea.Batch(tea.SetClipboard(msg.Text), h.setFlash("✓ "+msg.What+" copied (via terminal)")), handoffEvent{}
		}
		return h.setFlash("✓ " + msg.What + " copied"), handoffEvent{}
	case tea.KeyPressMsg:
		return h.key(msg)
	}
	return nil, handoffEvent{}
}

func (h *handoff) answered(msg launchResultMsg) (tea.Cmd, handoffEvent) {
	h.polling, h.cancel = false, nil
	h.checkedAt = h.l.now()
	var statusErr *api.StatusError
	switch {
	case msg.err == nil && msg.result.Final():
		res := msg.result
		h.result, h.pollErr = &res, ""
		return nil, handoffEvent{kind: handoffFinal, result: res}
	case errors.As(msg.err, &statusErr) && statusErr.Status == http.StatusGone:
		h.expired, h.pollErr = true, ""
		return nil, handoffEvent{kind: handoffExpired}
	case errors.Is(msg.err, context.Canceled):
		return nil, handoffEvent{}
	case h.expiring:
		h.expired = true
		return nil, handoffEvent{kind: handoffExpired}
	case msg.err != nil:
		h.pollErr = "Could not check the result: " + h.l.redact(msg.err.Error())
		h.pollDelay = min(2*h.pollDelay, h.l.cfg.PollEvery*launchPollErrorGrowth)
	default:
		h.pollErr = ""
		h.pollDelay = min(h.pollDelay*3/2, h.l.cfg.PollEvery*launchPollWaitGrowth/2)
	}
	return h.schedulePoll(), handoffEvent{}
}

func (h *handoff) setFlash(text string) tea.Cmd {
	h.flash = text
	h.flashSeq++
	gen, seq := h.gen, h.flashSeq
	return tea.Tick(handoffFlashTime, func(time.Time) tea.Msg { return handoffFlashMsg{gen: gen, seq: seq} })
}

func (h *handoff) key(msg tea.KeyPressMsg) (tea.Cmd, handoffEvent) {
	k := h.keys
	switch {
	case key.Matches(msg, k.Copy) && !h.done():
		return widget.ClipboardCopy(h.l.cfg.WriteClipboard, h.gen, h.session.URL, "Link"), handoffEvent{}
	case key.Matches(msg, k.CopyIframe) && !h.done():
		return widget.ClipboardCopy(h.l.cfg.WriteClipboard, h.gen, h.iframeSnippet(), "Snippet"), handoffEvent{}
	case key.Matches(msg, k.ShowQR) && h.common.Accessible && !h.done():
		h.showQR = !h.showQR
		return nil, handoffEvent{}
	case key.Matches(msg, k.Renew):
		return nil, handoffEvent{kind: handoffRenew}
	case key.Matches(msg, k.Next) && h.desk:
		return nil, handoffEvent{kind: handoffNext}
	case key.Matches(msg, k.Back):
		return nil, handoffEvent{kind: handoffBack}
	}
	return nil, handoffEvent{}
}

func (h *handoff) shortHelp() []key.Binding {
	k := h.keys
	if h.done() {
		return []key.Binding{k.Renew, k.Back}
	}
	var keys []key.Binding
	if h.desk { // the next customer first: it must survive a narrow help bar
		keys = []key.Binding{k.Next, k.Copy, k.Renew, k.Back, k.CopyIframe}
	} else {
		keys = []key.Binding{k.Copy, k.CopyIframe, k.Renew, k.Back}
	}
	if h.common.Accessible {
		show := k.ShowQR
		if h.showQR {
			show.SetHelp("q", "hide QR code")
		}
		keys = append([]key.Binding{show}, keys...)
	}
	return keys
}
