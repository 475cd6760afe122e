package tui

import (
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/editor"
	"github.com/identoflow/identoflow/tui/ui"
)

// Opening a file: read and validated in commands, off the event loop, with
// keys typed meanwhile kept for the editor.

func (a *App) openDoc(msg openDocMsg) tea.Cmd {
	a.fullHelp = false
	a.doc = msg.doc
	a.draftID, a.draftBase, a.overChange = msg.draftID, msg.base, msg.overChange
	if a.draftID == "" {
		a.draftID = DraftID(a.opts.Store.Abs(msg.doc.Path), newToken())
	}
	a.seenState = a.doc.State()
	a.draftedState = 0
	ed := editor.New(a.common, a.doc, a.opts.Launcher)
	ed.SetSize(a.common.Width, a.bodyHeight())
	a.stack = []ui.Screen{ed}
	a.setStatus(msg.note, false) // said on the editor: it stays there
	var cmds []tea.Cmd
	if msg.doc.Path != "" {
		store, path := a.opts.Store, msg.doc.Path
		cmds = append(cmds, func() tea.Msg { _ = store.AddRecent(path); return nil })
	}
	if msg.doc.Dirty() {
		cmds = append(cmds, a.scheduleDraft())
	}
	return tea.Batch(cmds...)
}

// fileLoaded opens a loaded file: read-only when it does not parse, after
// asking about a draft when one was autosaved for it.
func (a *App) fileLoaded(msg fileLoadedMsg) tea.Cmd {
	var se *flow.SyntaxError
	a.loading = msg.err == nil && msg.draft == nil // still to validate
	if a.loading {
		return loadedDoc(a.opts.Store, msg, false)
	}
	// No editor opens (yet): what was typed meanwhile was meant for it.
	note := ""
	if n := len(a.typedAhead); n > 0 {
		note = fmt.Sprintf("%d key(s) typed while the file opened were not used", n)
		a.typedAhead = nil
	}
	switch {
	case errors.As(msg.err, &se):
		a.setStatus(note, false)
		a.doc = nil
		a.stack = []ui.Screen{newErrorView(a.common, msg.path, msg.data, se, a.opts.Getenv)}
		a.layout()
		return nil
	case msg.err != nil:
		a.setStatus(strings.TrimSuffix(msg.err.Error()+"; "+note, "; "), true)
		return nil
	}
	return tea.Sequence(ui.Push(newDraftPrompt(a.common, msg)), ui.Status(note))
}

// loadFileMsg asks to open the file at path; with create, a missing file
// opens as a new flow that will be written there.
type loadFileMsg struct {
	path   string
	create bool
}

// loadFile opens the file at path.
func loadFile(path string) tea.Cmd {
	return func() tea.Msg { return loadFileMsg{path: path} }
}

// replayKeys delivers keys typed ahead, in order.
func replayKeys(keys []tea.KeyPressMsg) tea.Cmd {
	cmds := make([]tea.Cmd, len(keys))
	for i, k := range keys {
		cmds[i] = func() tea.Msg { return k }
	}
	return tea.Sequence(cmds...)
}

// load reads the file in a command and says so meanwhile.
func (a *App) load(msg loadFileMsg) tea.Cmd {
	a.loading = true
	a.setStatus("opening "+msg.path+"…", false)
	return openFile(a.opts.Store, msg.path, msg.create)
}

// openDocMsg makes doc the document being edited and opens the editor.
type openDocMsg struct {
	doc     *ui.Doc
	draftID string     // the draft this document autosaves to
	base    *FileState // the file's content the edits start from; nil: none or not known
	note    string     // shown in the status bar
	// overChange: a draft recovered over a file that changed since (or
	// may have).
	overChange bool
}
