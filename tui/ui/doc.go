package ui

import (
	"bytes"

	"github.com/identoflow/identoflow/flow"
)

// Doc is the flow being edited: the config, where it is saved, its
// diagnostics and its undo history. Screens edit it only through Edit,
// which records history; the root re-validates when Version changes.
type Doc struct {
	Config *flow.Config
	Path   string // "" until saved for the first time
	Diags  flow.Diagnostics

	// tracker holds the content as last recorded, to find what an edit
	// changed; undo and redo keep those changes (doc_history.go).
	tracker    *flow.Tracker
	undo, redo changes
	state      int // id of the current content
	nextState  int
	savedState int
	validated  int // the state Diags belong to; -1: none, or out of date
	// diagsRun counts validations: what is worked out from Diags is
	// keyed by it (an edit that keeps the state can change Diags).
	diagsRun int

	// Every change of the content counts, those that keep its meaning
	// too. The latest edit's patch lets Revalidate check again only what
	// it changed, when Diags belong to the content just before it.
	content        int
	diagsContent   int
	pending        *flow.Patch
	pendingContent int

	// onDisk is the file's content as this window last read or wrote it
	// (nil: there was no file), when diskKnown. A save that finds the file
	// changed since (another window or program saved it) asks first.
	onDisk    []byte
	diskKnown bool
	// settled is the state SettleSaved last compared with the file;
	// diskForm is the file's content as this window writes it, made from
	// diskOf (the same slice as onDisk while it is current).
	settled  int
	diskForm []byte
	diskOf   []byte

	kybChecked     int // the diagsRun that kybReorderable belongs to
	kybReorderable bool
	kybProblem     *flow.Diagnostic // the first kyb-order finding, if any

	// Worked out once per content or validation (doc_derived.go).
	problems   problemIndex // Diags by the path they are about
	shown      []string     // ShownLanguages of shownFor at shownState
	shownFor   *flow.Config
	shownState int
}

// KYBReorderable reports whether putting the KYB steps in order would
// change the flow (they are out of order, not merely missing a company
// step). It is worked out on a copy once per content, since the editors
// ask on every frame.
func (d *Doc) KYBReorderable() bool {
	d.checkKYB()
	return d.kybReorderable
}

// KYBOrderProblem is the first kyb-order finding, if any, found once per
// validation: the step editors show it on every frame.
func (d *Doc) KYBOrderProblem() (flow.Diagnostic, bool) {
	d.checkKYB()
	if d.kybProblem == nil {
		return flow.Diagnostic{}, false
	}
	return *d.kybProblem, true
}

func (d *Doc) checkKYB() {
	// Keyed by the content the diagnostics belong to (the root revalidates
	// after every change, so that is the content shown).
	if d.kybChecked == d.diagsRun {
		return
	}
	d.kybReorderable, d.kybProblem = false, nil
	for i, diag := range d.Diags {
		if diag.Code == flow.CodeKYBOrder {
			d.kybProblem = &d.Diags[i]
			d.kybReorderable = d.Config.Clone().ReorderKYB()
			break
		}
	}
	d.kybChecked = d.diagsRun // 0: never checked
}

// SetOnDisk records the file's content as read or written here.
func (d *Doc) SetOnDisk(data []byte) { d.onDisk, d.diskKnown = data, true }

// OnDisk is the file's content as this window last read or wrote it (nil:
// there was no file); known is false when that is not known.
func (d *Doc) OnDisk() (data []byte, known bool) { return d.onDisk, d.diskKnown }

// SettleSaved counts the content as saved when it is the file's as read
// or last written here, byte for byte as a save would write it: edits
// that lead back to it (a step moved away and put back by a fix) leave
// nothing unsaved. It marshals the flow (and the file once per read), so
// it is asked when that is worth it: before quitting, by the autosave, by
// the Changes tab when it finds no changes. It reports whether the
// document is unsaved.
func (d *Doc) SettleSaved() (dirty bool) {
	if !d.Dirty() || d.settled == d.state || !d.diskKnown || d.onDisk == nil {
		return d.Dirty()
	}
	d.settled = d.state
	if !SameSlice(d.diskOf, d.onDisk) {
		d.diskForm, d.diskOf = nil, d.onDisk
		if c, err := flow.Parse(d.onDisk); err == nil {
			d.diskForm = c.Bytes()
		}
	}
	if d.diskForm != nil && bytes.Equal(d.Config.Bytes(), d.diskForm) {
		d.savedState = d.state
	}
	return d.Dirty()
}

// SameSlice reports whether a and b are the same slice, not merely equal
// contents: what is worked out from a file's content is keyed by it, as
// every read or write of the file gives a new one.
func SameSlice(a, b []byte) bool {
	return len(a) == len(b) && (a == nil) == (b == nil) && (len(a) == 0 || &a[0] == &b[0])
}

// DiagsState identifies the content Diags belong to: what a screen caching
// something worked out from the diagnostics keys it by.
func (d *Doc) DiagsState() int { return d.diagsRun }

// NewDoc wraps a config; saved says whether it matches the file at path.
func NewDoc(c *flow.Config, path string, saved bool) *Doc {
	d := &Doc{Config: c, Path: path, state: 1, nextState: 2, validated: -1, tracker: flow.NewTracker(c)}
	if saved {
		d.savedState = d.state
	}
	d.Revalidate()
	return d
}

// Edit applies fn to the config as one undoable step. When fn fails the
// config is left as it was and the error returned.
func (d *Doc) Edit(label string, fn func(c *flow.Config) error) error {
	err := fn(d.Config)
	p := d.tracker.Record(d.Config)
	switch {
	case err != nil:
		if p != nil {
			d.tracker.Apply(d.Config, p)
		}
		return err
	case p == nil:
		return nil // nothing changed: no history entry
	}
	d.content++
	d.pending = nil
	if p.Equivalent() {
		// Nothing that counts changed (a number spelled otherwise): no
		// history entry, but undoing the edit before goes back through it.
		// What is said about the flow may still change (a name given twice
		// whose last value is the same), so it is worked out again.
		d.undo.amend(p)
		d.validated = -1
		return nil
	}
	d.pending, d.pendingContent = p, d.content
	d.undo.push(change{patches: []*flow.Patch{p}, state: d.state, label: label})
	d.redo.clear()
	d.state = d.nextState
	d.nextState++
	return nil
}

// Undo restores the state before the last edit and names it.
func (d *Doc) Undo() (string, bool) { return d.travel(&d.undo, &d.redo) }

// Redo re-applies the last undone edit and names it.
func (d *Doc) Redo() (string, bool) { return d.travel(&d.redo, &d.undo) }

// travel applies the latest change of from, keeping the way back on to
// under the same label, so that the other direction can return.
func (d *Doc) travel(from, to *changes) (string, bool) {
	ch, ok := from.pop()
	if !ok {
		return "", false
	}
	if p := d.tracker.Record(d.Config); p != nil {
		// Made outside Edit: it goes back with the change.
		ch.patches = append([]*flow.Patch{p}, ch.patches...)
	}
	back := change{patches: make([]*flow.Patch, len(ch.patches)), state: d.state, label: ch.label}
	for i, p := range ch.patches {
		back.patches[len(ch.patches)-1-i] = d.tracker.Apply(d.Config, p)
	}
	to.push(back)
	d.content++
	d.pending = nil
	if len(back.patches) == 1 {
		d.pending, d.pendingContent = back.patches[0], d.content
	}
	d.state = ch.state
	return ch.label, true
}

// CanUndo and CanRedo report whether there is history to walk.
func (d *Doc) CanUndo() bool { return d.undo.len() > 0 }

// CanRedo reports whether an undone edit can be re-applied.
func (d *Doc) CanRedo() bool { return d.redo.len() > 0 }

// Dirty reports unsaved changes.
func (d *Doc) Dirty() bool { return d.state != d.savedState }

// State identifies the current content; it changes with every edit, undo
// and redo.
func (d *Doc) State() int { return d.state }

// MarkSaved records that the current content is on disk at path.
func (d *Doc) MarkSaved(path string, state int) {
	d.Path = path
	d.savedState = state
}

// Revalidate refreshes Diags when the content changed since the last run.
func (d *Doc) Revalidate() bool {
	if d.validated == d.state {
		return false
	}
	if d.pending != nil && d.pendingContent == d.content && d.diagsContent == d.content-1 {
		d.Diags = flow.Revalidate(d.Config, d.Diags, d.pending)
	} else {
		d.Diags = flow.Validate(d.Config)
	}
	d.validated, d.diagsContent, d.pending = d.state, d.content, nil
	d.diagsRun++
	return true
}
