// Saving, autosaved drafts and quitting: what the root does with the
// document on disk.

package tui

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// draftDelay is how long after a change the draft is written: soon enough
// that a crash loses only the last keystroke or so, late enough that typing
// does not write on every key.
const draftDelay = 700 * time.Millisecond

// errChangedOnDisk refuses a save over a file someone else saved since.
var errChangedOnDisk = errors.New("the file changed on disk")

// afterChange re-validates the document when it changed and schedules the
// draft autosave.
func (a *App) afterChange() tea.Cmd {
	if a.doc == nil {
		return nil
	}
	a.doc.Revalidate()
	if a.doc.State() == a.seenState {
		return nil
	}
	a.seenState = a.doc.State()
	return a.scheduleDraft()
}

// writeDraft saves the current content as the draft, or removes the draft
// when the content matches the saved file.
func (a *App) writeDraft() tea.Cmd {
	a.draftPending = false
	if a.doc == nil {
		return nil
	}
	store, id, state := a.opts.Store, a.draftID, a.doc.State()
	if !a.doc.SettleSaved() {
		return func() tea.Msg { return draftSavedMsg{state: state, err: store.RemoveDraft(id)} }
	}
	if state == a.draftedState {
		return nil
	}
	d := a.draftNow()
	return func() tea.Msg {
		if store.draftHeldElsewhere(d.ID) {
			// Another window on the same file wrote this draft first: this
			// one keeps a draft of its own rather than overwrite it.
			d.ID = DraftID(d.Path, "") + "-" + newToken()
		}
		return draftSavedMsg{state: state, id: d.ID, err: store.SaveDraft(d)}
	}
}

// draftNow is the draft of the document as it is now.
func (a *App) draftNow() Draft {
	return Draft{ID: a.draftID, Path: a.opts.Store.Abs(a.doc.Path), Updated: a.opts.Now(), Config: a.doc.Config.Clone(), Base: a.draftBase}
}

func (a *App) scheduleDraft() tea.Cmd {
	if a.draftPending {
		return nil
	}
	a.draftPending = true
	return tea.Tick(draftDelay, func(time.Time) tea.Msg { return draftTickMsg{} })
}

func newToken() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// save writes the document to path (or its own path) in a command.
func (a *App) save(path string) tea.Cmd { return a.saveOver(path, nil) }

// saveOver is save, allowed to write over the file when it holds exactly
// over: the content the changed-on-disk question showed and the person
// chose to save over. A file changed since this window read it, and a
// draft's file that changed since its edits began, is otherwise not
// written over: the save asks.
func (a *App) saveOver(path string, over *diskSeen) tea.Cmd {
	if path == "" {
		path = a.doc.Path
	}
	if path == "" {
		return ui.Push(widget.NewSaveAsDialog(a.common, "", false))
	}
	// Credentials never go into a config file: a key that came in with the
	// file, wherever it is, is taken out (undoably) before writing, and the
	// person is told which.
	var removed []string
	a.doc.Revalidate() // the credential diagnostics name what is removed
	_ = a.doc.Edit("remove credentials from the config", func(c *flow.Config) error {
		stripped := flow.StripCredentials(c.Root())
		if stripped == c.Root() {
			return nil
		}
		for _, d := range a.doc.Diags {
			if d.Code == flow.CodeCredential {
				removed = append(removed, strings.TrimPrefix(d.Path, "/"))
			}
		}
		if len(removed) == 0 {
			removed = []string{"credentials"}
		}
		clean, err := flow.FromValue(stripped)
		if err != nil {
			return err
		}
		*c = *clean
		return nil
	})
	data, state := a.doc.Config.Bytes(), a.doc.State()
	note := ""
	if len(removed) > 0 {
		note = "; removed " + strings.Join(removed, ", ") + " from it (credentials belong in IDENTOMAT_COMPANY_KEY / IDENTOMAT_SECRET_KEY)"
	}
	expected, known := a.doc.OnDisk()
	overChange := a.overChange && path == a.doc.Path
	check := path == a.doc.Path && (known || overChange)
	base := a.draftBase            // with overChange: the file the draft's edits began from; nil: not known
	file := a.opts.Store.Abs(path) // a relative path names a file in the folder the wizard started in
	return func() tea.Msg {
		// Only a regular file can have changed under us: a device or a pipe
		// reads back something else (or waits for a writer).
		if check && isRegularFile(file) {
			now, err := os.ReadFile(file)
			changed := expected == nil || !bytes.Equal(now, expected)
			if overChange {
				changed = base == nil || *base != fileStateOf(now, true)
			}
			if err == nil && changed && !over.covers(now) {
				disk := compareOnDisk(expected, now)
				if overChange {
					disk = draftOverDisk(data, now)
					disk.maybe = base == nil
				}
				disk.seen = diskSeen{now}
				return savedMsg{path: path, state: state, err: errChangedOnDisk, disk: disk}
			}
		}
		return savedMsg{path: path, state: state, data: data, err: WriteFileAtomic(file, data, 0o644), note: note}
	}
}

func (a *App) saved(msg savedMsg) tea.Cmd {
	if msg.err != nil {
		if errors.Is(msg.err, errChangedOnDisk) {
			// The question carries the quit: answered with ctrl+s it saves
			// and quits; esc keeps editing.
			q := newDiskChangedQuestion(a.common, msg.path, msg.disk, a.quitting)
			a.quitting = false
			a.setStatus("not saved: "+filepath.Base(msg.path)+" changed on disk (ctrl+s shows what changed and asks again, ctrl+w saves elsewhere)", true)
			if _, asked := a.top().(*diskChangedQuestion); asked {
				return func() tea.Msg { return ui.ReplaceMsg{Screen: q} }
			}
			return ui.Push(q)
		}
		a.quitting = false // stay, so the work can be saved elsewhere
		a.setStatus(msg.err.Error(), true)
		return nil
	}
	// The question a refused save asked is answered.
	a.stack = slices.DeleteFunc(a.stack, func(s ui.Screen) bool { _, ok := s.(*diskChangedQuestion); return ok })
	oldDraft := a.draftID
	a.overChange = false
	a.doc.MarkSaved(msg.path, msg.state)
	a.doc.SetOnDisk(msg.data)
	base := fileStateOf(msg.data, true)
	a.draftBase = &base
	// The file's draft, unless this window keeps its own (the file is open
	// in another one too).
	if id := DraftID(a.opts.Store.Abs(msg.path), ""); a.draftID != id && !strings.HasPrefix(a.draftID, id+"-") {
		a.draftID = id
	}
	if a.draftID != oldDraft {
		a.draftedState = 0 // nothing written under the new name yet
	}
	note := msg.note
	if n := a.doc.Diags.Count(flow.SevError); n > 0 {
		note += fmt.Sprintf(" · %d error(s) left: see Problems", n)
	}
	a.setStatus("saved "+msg.path+note, false)
	store, path := a.opts.Store, msg.path
	remove := []string{oldDraft}
	if !a.doc.Dirty() {
		remove = append(remove, a.draftID)
	}
	cmd := func() tea.Msg {
		for _, id := range remove {
			_ = store.RemoveDraft(id)
		}
		_ = store.AddRecent(path)
		return nil
	}
	if a.quitting {
		a.quitChosen = true
		return tea.Sequence(cmd, tea.Quit)
	}
	return cmd
}

func (a *App) quit(discard bool) tea.Cmd {
	if a.doc != nil && a.doc.SettleSaved() && !discard {
		// Save first, then quit once the save is done. A new flow asks
		// where first; cancelling that question cancels the quit.
		if a.doc.Path == "" {
			return ui.Push(widget.NewSaveAsDialog(a.common, "", true))
		}
		a.quitting = true
		return a.save("")
	}
	store, id := a.opts.Store, a.draftID
	a.quitChosen = true
	return tea.Sequence(func() tea.Msg { _ = store.RemoveDraft(id); return nil }, tea.Quit)
}

// SaveDraftNow writes the draft of unsaved work at once. It is for a
// program stopped from outside (its terminal closed, a SIGTERM) before the
// draft timer fired: those edits would otherwise be lost. Nothing is
// written when the person chose to quit, or when nothing is unsaved.
func (a *App) SaveDraftNow() error {
	if a.doc == nil || a.quitChosen || a.doc.State() == a.draftedState || !a.doc.SettleSaved() {
		return nil
	}
	d := a.draftNow()
	if err := a.opts.Store.SaveDraft(d); err != nil {
		return fmt.Errorf("keeping the unsaved work as a draft: %w", err)
	}
	a.draftedState = a.doc.State()
	return nil
}

// savedMsg reports a finished save.
type savedMsg struct {
	path  string
	state int
	data  []byte // what was written
	err   error
	disk  diskChange // with errChangedOnDisk: what the other save changed
	note  string     // said after "saved PATH"
}

// draftTickMsg fires when it is time to autosave.
type draftTickMsg struct{}

// draftSavedMsg reports a finished draft write.
type draftSavedMsg struct {
	state int
	id    string // the draft written, when one was
	err   error
}
