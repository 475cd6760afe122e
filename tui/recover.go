// Recovering a draft: which file it will be saved to, and whether that
// file changed on disk since the draft's edits began.

package tui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/flow/diff"
	"github.com/identoflow/identoflow/tui/ui"
)

// recoverDraft opens a draft chosen on the home screen, in a command: a
// file's draft is checked against the file as it is now.
func recoverDraft(d Draft) tea.Cmd {
	return func() tea.Msg {
		switch {
		case d.Path == "":
			return openDocMsg{doc: ui.NewDoc(d.Config, "", false), draftID: d.ID, note: "recovered the draft; ctrl+s saves it"}
		case !d.Located():
			// Written before drafts recorded absolute paths: the same name
			// in this folder may well be another file.
			return openDocMsg{doc: ui.NewDoc(d.Config, "", false), draftID: d.ID,
				note: "recovered a draft of " + d.Path + " that does not say which folder it is in: ctrl+s asks where to save it"}
		}
		data, exists, err := readCurrent(d.Path)
		doc := ui.NewDoc(d.Config, d.Path, false)
		note, over := recoveredOnto(doc, d, d.Path, data, exists, err)
		return openDocMsg{doc: doc, draftID: d.ID, base: d.Base, note: note, overChange: over}
	}
}

// readCurrent reads the file at path as it is now; exists is false when
// there is none.
func readCurrent(path string) (data []byte, exists bool, err error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	data, err = flow.ReadAll(f)
	return data, err == nil, err
}

// recoveredOnto sets what doc, a draft of the file at path (as the person
// named it), takes the file on disk to hold, and returns what to tell. The
// file as it is now (data; exists false: none) is compared with the one
// the draft's edits started from: when it changed since, or that is not
// known (over), the save asks before writing over it. The file as it is
// now is what the draft is compared with (the Changes tab); one that
// cannot be read is left not known.
func recoveredOnto(doc *ui.Doc, d Draft, path string, data []byte, exists bool, readErr error) (note string, over bool) {
	if readErr != nil {
		return fmt.Sprintf("recovered the draft of %s, which cannot be read now (%v): ctrl+s asks before writing over it", path, readErr), true
	}
	now := fileStateOf(data, exists)
	if !exists {
		data = nil // no file
	}
	doc.SetOnDisk(data)
	switch {
	case d.Base != nil && *d.Base == now:
		return "recovered the draft; ctrl+s writes it to " + path, false
	case !exists:
		return "recovered the draft; " + path + " is no longer on disk: ctrl+s writes it again", false
	case d.Base == nil:
		return "recovered the draft; whether " + path + " changed since is not known: ctrl+s asks before writing over it", true
	}
	return "recovered the draft; " + path + " changed on disk since: ctrl+s asks before writing over it", true
}

// draftOverDisk is what the save of a draft recovered over a changed file
// would do to the file as it is now (now): what the file was when the
// draft's edits began is not kept, so the file now is compared with the
// draft (data). It parses and validates both: it runs in a command.
func draftOverDisk(data, now []byte) diskChange {
	cur, err := flow.Parse(now)
	if err != nil {
		return diskChange{overDraft: true, err: err}
	}
	mine, _ := flow.Parse(data)
	return diskChange{overDraft: true, result: diff.Compare(cur, mine)}
}

// changedSince reports whether the file as loaded is not the one a draft's
// edits started from (or that is not known).
func changedSince(d *Draft, msg fileLoadedMsg) bool {
	return d.Base == nil || *d.Base != msg.disk
}
