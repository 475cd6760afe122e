package tui

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// homeItem is one line of the home screen.
type homeItem struct {
	section string
	label   string
	detail  string
	act     func() tea.Cmd
}

// home offers: recover a draft, a new flow from a template, open a file,
// or a recent file.
type home struct {
	common  *ui.Common
	store   Store
	items   []homeItem
	cursor  int
	offset  int
	opening bool
	path    textinput.Model
	// Completion of the typed path: the .json files and folders it may
	// name, listed by a command whenever it changes.
	matches    []string
	matchesFor string   // the path they were listed for
	cycle      []string // what repeated tabs go through when no prefix is common
	width      int
	height     int
	now        func() time.Time
}

func newHome(c *ui.Common, store Store, now func() time.Time) *home {
	ti := textinput.New()
	ti.Prompt = "path: "
	ti.Placeholder = "flow.json"
	h := &home{common: c, store: store, path: ti, now: now}
	h.reload(nil, nil)
	return h
}

// homeListsMsg carries the drafts and recent files read from the store.
type homeListsMsg struct {
	drafts []Draft
	recent []string
}

// Init reads the drafts and recent files off the UI loop; the templates
// show at once.
func (h *home) Init() tea.Cmd {
	store := h.store
	return func() tea.Msg { return homeListsMsg{drafts: store.Drafts(), recent: store.Recent()} }
}

// reload builds the lines: drafts to recover, new flows, open, recent.
func (h *home) reload(drafts []Draft, recent []string) {
	h.items = nil
	for _, d := range drafts {
		name := "new flow"
		switch {
		case !d.Located():
			name = ui.Shown(d.Path) + " (folder not recorded)"
		case d.Path != "":
			name = ui.Shown(d.Path)
		}
		h.items = append(h.items, homeItem{section: "Recover unsaved work", label: name,
			detail: "draft from " + humanTime(d.Updated, h.now()),
			act:    func() tea.Cmd { return recoverDraft(d) }})
	}
	h.items = append(h.items, homeItem{section: "New flow", label: "empty", detail: "start from nothing",
		act: func() tea.Cmd {
			doc := ui.NewDoc(flow.New(), "", true)
			return func() tea.Msg { return openDocMsg{doc: doc, note: "new flow: press a to add a step"} }
		}})
	for _, t := range flow.Templates() {
		h.items = append(h.items, homeItem{section: "New flow", label: t.Name, detail: t.Description,
			act: func() tea.Cmd {
				c, err := flow.TemplateConfig(t.Name)
				if err != nil {
					return ui.StatusErr(err)
				}
				doc := ui.NewDoc(c, "", true)
				return func() tea.Msg { return openDocMsg{doc: doc, note: "new flow from " + t.Name + "; ctrl+s to save"} }
			}})
	}
	h.items = append(h.items, homeItem{section: "Open", label: "open a file…", detail: "type a path; tab completes",
		act: func() tea.Cmd {
			h.opening = true
			h.path.SetValue("")
			h.matches, h.matchesFor, h.cycle = nil, "", nil
			return tea.Batch(h.path.Focus(), listPaths("", false))
		}})
	for _, p := range recent {
		h.items = append(h.items, homeItem{section: "Recent files", label: ui.Shown(p),
			act: func() tea.Cmd { return loadFile(p) }})
	}
}

func humanTime(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case t.IsZero():
		return "an unknown time"
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	}
	return t.Local().Format("2006-01-02 15:04")
}

func (h *home) Title() string     { return "home" }
func (h *home) Capturing() bool   { return h.opening }
func (h *home) SetSize(w, hh int) { h.width, h.height = w, hh; h.path.SetWidth(max(10, w-10)) }

func (h *home) ShortHelp() []key.Binding {
	k := h.common.Keys
	if h.opening {
		return []key.Binding{
			key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete")),
			key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")), k.Back}
	}
	return []key.Binding{k.Up, k.Down, key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")), k.Quit}
}

func (h *home) FullHelp() [][]key.Binding { return [][]key.Binding{h.ShortHelp()} }

// pathMatchesMsg carries the .json files and folders that a typed path
// may name (complete: tab was pressed and waits for them).
type pathMatchesMsg struct {
	prefix   string
	matches  []string
	complete bool
}

// listPaths lists, off the UI loop, what prefix may complete to.
func listPaths(prefix string, complete bool) tea.Cmd {
	return func() tea.Msg {
		return pathMatchesMsg{prefix: prefix, matches: widget.CompletePath(prefix), complete: complete}
	}
}

func (h *home) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	if m, ok := msg.(homeListsMsg); ok {
		// Keep the cursor on the line it was on, unless it was still on
		// the first: then a draft to recover, if any, comes first.
		label := h.items[h.cursor].label
		moved := h.cursor != 0
		h.reload(m.drafts, m.recent)
		h.cursor = 0
		if moved {
			h.cursor = max(0, slices.IndexFunc(h.items, func(it homeItem) bool { return it.label == label }))
		}
		return h, nil
	}
	km, ok := msg.(tea.KeyPressMsg)
	if h.opening {
		return h, h.updatePath(msg)
	}
	if !ok {
		return h, nil
	}
	k := h.common.Keys
	if next, ok := widget.MoveCursor(k, km, h.cursor, len(h.items)); ok {
		h.cursor = next
		return h, nil
	}
	switch {
	case key.Matches(km, k.Enter):
		return h, h.items[h.cursor].act()
	}
	return h, nil
}

// updatePath handles the path input of "open a file…".
func (h *home) updatePath(msg tea.Msg) tea.Cmd {
	if m, ok := msg.(pathMatchesMsg); ok {
		if m.prefix != h.path.Value() {
			return nil // typed on since: a newer listing is on its way
		}
		h.matches, h.matchesFor = m.matches, m.prefix
		if m.complete {
			return h.complete()
		}
		return nil
	}
	if km, ok := msg.(tea.KeyPressMsg); ok {
		switch km.String() {
		case "esc":
			h.opening = false
			h.path.Blur()
			return nil
		case "enter":
			p := strings.TrimSpace(h.path.Value())
			if p == "" {
				return ui.Status("type the path of a .json file")
			}
			return loadFile(p)
		case "tab":
			if h.matchesFor != h.path.Value() {
				return listPaths(h.path.Value(), true)
			}
			return h.complete()
		}
	}
	before := h.path.Value()
	var cmd tea.Cmd
	h.path, cmd = h.path.Update(msg)
	if h.path.Value() != before {
		h.cycle = nil
		cmd = tea.Batch(cmd, listPaths(h.path.Value(), false))
	}
	return cmd
}

// complete extends the typed path with the longest common prefix of its
// matches; when that adds nothing, repeated tabs go through the matches
// one by one, as in a shell.
func (h *home) complete() tea.Cmd {
	value := h.path.Value()
	if len(h.cycle) > 1 {
		next := h.cycle[0]
		if i := slices.Index(h.cycle, value); i >= 0 {
			next = h.cycle[(i+1)%len(h.cycle)]
		}
		return h.setPath(next)
	}
	if len(h.matches) == 0 {
		return nil
	}
	prefix := h.matches[0]
	for _, m := range h.matches[1:] {
		for !strings.HasPrefix(m, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	if len(prefix) > len(value) {
		return h.setPath(prefix)
	}
	if len(h.matches) > 1 {
		h.cycle = slices.Clone(h.matches)
		return h.setPath(h.cycle[0])
	}
	return nil
}

// setPath puts p in the input, keeping a tab cycle going, and lists what
// p may complete to.
func (h *home) setPath(p string) tea.Cmd {
	h.path.SetValue(p)
	h.path.CursorEnd()
	return listPaths(p, false)
}

func (h *home) View() string {
	s := &h.common.Styles
	var lines []string
	cursorLine := 0
	section := ""
	for i, it := range h.items {
		if it.section != section {
			section = it.section
			if len(lines) > 0 {
				lines = append(lines, "")
			}
			lines = append(lines, s.Title.Render(section))
		}
		if i == h.cursor {
			cursorLine = len(lines)
		}
		label := fmt.Sprintf("%-*s", 26, it.label)
		line := widget.CursorRow(s, i == h.cursor, label, "  ", s.Dim.Render(it.detail))
		lines = append(lines, ui.Truncate(line, h.width))
	}
	avail := h.height
	if h.opening {
		avail -= 3
	}
	avail = max(1, avail)
	if cursorLine < h.offset {
		h.offset = max(0, cursorLine-1) // the section's title above stays in view
	}
	h.offset = widget.ScrollToCursor(cursorLine, h.offset, avail)
	end := min(len(lines), h.offset+avail)
	out := strings.Join(lines[h.offset:end], "\n")
	if h.opening {
		hint := ""
		m := h.matches
		if len(h.cycle) > 1 {
			m = h.cycle
		}
		if len(m) > 0 && len(m) <= 6 && h.matchesFor == h.path.Value() {
			names := make([]string, len(m))
			for i, p := range m {
				names[i] = ui.Shown(filepath.Base(p))
				if strings.HasSuffix(p, string(filepath.Separator)) {
					names[i] += string(filepath.Separator) // a folder
				}
				if p == h.path.Value() {
					names[i] = s.Selected.Render(names[i]) // where the tab cycle is
				} else {
					names[i] = s.Dim.Render(names[i])
				}
			}
			hint = "  " + strings.Join(names, "  ")
		}
		out += "\n\n" + ui.ShownInput(h.path.View()) + "\n" + hint
	}
	return out
}

// fileLoadedMsg is the result of reading a file to edit.
type fileLoadedMsg struct {
	path   string
	config *flow.Config
	data   []byte
	err    error
	draft  *Draft    // an autosaved draft of this file, if any
	isNew  bool      // the file does not exist yet
	shared bool      // another running window is editing it
	disk   FileState // the file's content as read
}

// openFile reads path in a command. With create, a missing file opens as
// a new flow that will be written there.
func openFile(store Store, path string, create bool) tea.Cmd {
	return func() tea.Msg {
		msg := fileLoadedMsg{path: path}
		if d, ok := store.DraftFor(path); ok {
			msg.draft = &d
		}
		msg.shared = store.HeldElsewhere(path)
		c, data, err := LoadFile(store.Abs(path))
		if err != nil && create && data == nil && isNotExist(err) {
			msg.config, msg.isNew, msg.disk = flow.New(), true, fileStateOf(nil, false)
			return msg
		}
		msg.config, msg.data, msg.err, msg.disk = c, data, err, fileStateOf(data, true)
		return msg
	}
}
