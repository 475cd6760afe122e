package ui

import (
	"github.com/identoflow/identoflow/flow"
)

// maxUndo is how many edits undo remembers.
const maxUndo = 200

// Doc is the flow being edited: the config, where it is saved, its
// diagnostics and its undo history. Screens edit it only through Edit,
// which records history; the root re-validates when Version changes.
type Doc struct {
	Config *flow.Config
	Path   string // "" until saved for the first time
	Diags  flow.Diagnostics

	undo, redo []snapshot
	state      int // id of the current content
	nextState  int
	savedState int
	validated  int // the state Diags belong to

	// onDisk is the file's content as this window last read or wrote it
	// (nil: there was no file), when diskKnown. A save that finds the file
	// changed since (another window or program saved it) asks first.
	onDisk    []byte
	diskKnown bool

	kybChecked     int // validated+1 that kybReorderable belongs to
	kybReorderable bool
}

// KYBReorderable reports whether putting the KYB steps in order would
// change the flow (they are out of order, not merely missing a company
// step). It is worked out on a copy once per content, since the editors
// ask on every frame.
func (d *Doc) KYBReorderable() bool {
	// Keyed by the content the diagnostics belong to (the root revalidates
	// after every change, so that is the content shown).
	if d.kybChecked != d.validated+1 {
		d.kybReorderable = false
		for _, diag := range d.Diags {
			if diag.Code == flow.CodeKYBOrder {
				d.kybReorderable = d.Config.Clone().ReorderKYB()
				break
			}
		}
		d.kybChecked = d.validated + 1 // 0: never checked
	}
	return d.kybReorderable
}

// SetOnDisk records the file's content as read or written here.
func (d *Doc) SetOnDisk(data []byte) { d.onDisk, d.diskKnown = data, true }

// OnDisk is the file's content as this window last read or wrote it (nil:
// there was no file); known is false when that is not known.
func (d *Doc) OnDisk() (data []byte, known bool) { return d.onDisk, d.diskKnown }

// DiagsState identifies the content Diags belong to: what a screen caching
// something worked out from the diagnostics keys it by.
func (d *Doc) DiagsState() int { return d.validated }

type snapshot struct {
	config *flow.Config
	state  int
	label  string
}

// NewDoc wraps a config; saved says whether it matches the file at path.
func NewDoc(c *flow.Config, path string, saved bool) *Doc {
	d := &Doc{Config: c, Path: path, state: 1, nextState: 2, validated: -1}
	if saved {
		d.savedState = d.state
	}
	d.Revalidate()
	return d
}

// Edit applies fn to the config as one undoable step. When fn fails the
// config is left as it was and the error returned.
func (d *Doc) Edit(label string, fn func(c *flow.Config) error) error {
	before := d.Config.Clone()
	if err := fn(d.Config); err != nil {
		d.Config = before
		return err
	}
	if flow.Equal(before.Root(), d.Config.Root()) {
		return nil // nothing changed: no history entry
	}
	d.undo = append(d.undo, snapshot{config: before, state: d.state, label: label})
	if len(d.undo) > maxUndo {
		d.undo = d.undo[len(d.undo)-maxUndo:]
	}
	d.redo = nil
	d.state = d.nextState
	d.nextState++
	return nil
}

// Undo restores the state before the last edit and names it.
func (d *Doc) Undo() (string, bool) { return d.travel(&d.undo, &d.redo) }

// Redo re-applies the last undone edit and names it.
func (d *Doc) Redo() (string, bool) { return d.travel(&d.redo, &d.undo) }

// travel restores the latest snapshot of from, keeping the current state
// on to under the same label, so that the other direction can return.
func (d *Doc) travel(from, to *[]snapshot) (string, bool) {
	if len(*from) == 0 {
		return "", false
	}
	snap := (*from)[len(*from)-1]
	*from = (*from)[:len(*from)-1]
	*to = append(*to, snapshot{config: d.Config, state: d.state, label: snap.label})
	d.Config, d.state = snap.config, snap.state
	return snap.label, true
}

// CanUndo and CanRedo report whether there is history to walk.
func (d *Doc) CanUndo() bool { return len(d.undo) > 0 }

// CanRedo reports whether an undone edit can be re-applied.
func (d *Doc) CanRedo() bool { return len(d.redo) > 0 }

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
	d.Diags = flow.Validate(d.Config)
	d.validated = d.state
	return true
}
