package session

import (
	"slices"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// testHost stands in for the wizard's root in these tests, as the root is
// with no document open: a stack of screens in the root's chrome, the
// messages screens send it (push, pop, status, quit), ctrl+c (asking first
// while a screen has work open), ? for the full help, and the timers of
// the screens under the top.
type testHost struct {
	common       *ui.Common
	stack        []ui.Screen
	status       string
	statusErr    bool
	statusScreen ui.Screen
	fullHelp     bool
}

// newTestHost shows first in an 80×24 terminal with colours on a dark
// background, as the root starts.
func newTestHost(first func(*ui.Common) ui.Screen) *testHost {
	c := &ui.Common{Keys: ui.DefaultKeyMap(), Width: 80, Height: 24}
	c.SetDark(true)
	h := &testHost{common: c}
	h.stack = []ui.Screen{first(c)}
	h.layout()
	return h
}

func (h *testHost) top() ui.Screen { return h.stack[len(h.stack)-1] }

func (h *testHost) layout() {
	for _, s := range h.stack {
		s.SetSize(h.common.Width, ui.BodyHeight(h.common.Height))
	}
}

// initTop is the top screen's Init, for screens that have one.
func (h *testHost) initTop() tea.Cmd {
	if i, ok := h.top().(interface{ Init() tea.Cmd }); ok {
		return i.Init()
	}
	return nil
}

func (h *testHost) Init() tea.Cmd { return h.initTop() }

func (h *testHost) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		h.common.Width, h.common.Height = msg.Width, msg.Height
		h.layout()
		return h, nil
	case tea.KeyPressMsg:
		if cmd, handled := h.globalKey(msg); handled {
			return h, cmd
		}
	case ui.PushMsg:
		h.fullHelp = false
		msg.Screen.SetSize(h.common.Width, ui.BodyHeight(h.common.Height))
		h.stack = append(h.stack, msg.Screen)
		return h, h.initTop()
	case ui.PopMsg:
		h.fullHelp = false
		if len(h.stack) > 1 {
			h.stack = h.stack[:len(h.stack)-1]
		}
		return h, nil
	case ui.StatusMsg:
		h.status, h.statusErr, h.statusScreen = msg.Text, msg.Err, h.top()
		return h, nil
	case ui.QuitMsg:
		return h, tea.Quit
	}
	var cmds []tea.Cmd
	switch msg.(type) {
	case tea.KeyMsg, tea.MouseMsg, tea.PasteMsg:
	default:
		for _, s := range h.stack[:len(h.stack)-1] {
			if w, ok := s.(interface{ Background(tea.Msg) tea.Cmd }); ok {
				cmds = append(cmds, w.Background(msg))
			}
		}
	}
	next, cmd := h.top().Update(msg)
	h.stack[len(h.stack)-1] = next
	return h, tea.Batch(append(cmds, cmd)...)
}

func (h *testHost) globalKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := h.common.Keys
	switch {
	case key.Matches(msg, k.Quit):
		if _, open := h.top().(*widget.QuitDialog); open {
			return ui.Pop, true
		}
		if w, ok := h.top().(interface{ OpenWork() string }); ok && w.OpenWork() != "" {
			return ui.Push(widget.NewOpenWorkDialog(h.common, w.OpenWork())), true
		}
		return tea.Quit, true
	case ui.Capturing(h.top()):
		return nil, false
	case key.Matches(msg, k.Help):
		h.fullHelp = !h.fullHelp
		return nil, true
	case h.fullHelp && key.Matches(msg, k.Back):
		h.fullHelp = false
		return nil, true
	}
	return nil, false
}

// currentStatus is the status, unless a screen was opened over the one it
// was said on.
func (h *testHost) currentStatus() string {
	if h.statusScreen != h.top() && slices.Contains(h.stack, h.statusScreen) {
		return ""
	}
	return h.status
}

func (h *testHost) View() tea.View {
	s, w, top := &h.common.Styles, h.common.Width, h.top()
	header := ui.Header(s, w, "", top.Title(), "")
	body := top.View()
	_, asking := top.(*widget.QuitDialog)
	var help string
	if h.fullHelp {
		help = ui.FullHelp(s.Help, top, ui.GlobalBindings(h.common.Keys, top, false, asking, true), w, h.common.Height)
	} else {
		help = ui.HelpBar(s.Help, top, ui.GlobalBindings(h.common.Keys, top, false, asking, false), w)
	}
	return tea.NewView(ui.Frame(s, w, h.common.Height, header, body, h.currentStatus(), h.statusErr, help))
}

// underScreen is what a session screen opens over (the editor, in the
// wizard): it shows and does nothing.
type underScreen struct{}

func (underScreen) Update(tea.Msg) (ui.Screen, tea.Cmd) { return underScreen{}, nil }
func (underScreen) View() string                        { return "the flow" }
func (underScreen) SetSize(int, int)                    {}
func (underScreen) ShortHelp() []key.Binding            { return nil }
func (underScreen) FullHelp() [][]key.Binding           { return nil }
func (underScreen) Title() string                       { return "Steps" }
