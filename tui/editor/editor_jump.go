package editor

import (
	"strconv"

	tea "charm.land/bubbletea/v2"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
)

// Going to the place a JSON Pointer names (from Problems, Changes, the
// translation table).

// jump shows the place a path names: a step (and its field), a global
// flag, or a session field. After a jump from the Problems pane, esc comes
// back to it: a step's editor opens over it, and a pane shown in its place
// remembers it.
func (e *Editor) jump(path string) tea.Cmd {
	e.refreshProps()
	from := e.pane
	cmd := e.jumpTo(path)
	if from == paneProblems {
		if cmd != nil {
			e.pane = paneProblems // under the step's editor: closing it comes back here
		} else if e.pane != paneProblems {
			e.fromProblems = true
		}
	}
	return cmd
}

func (e *Editor) jumpTo(path string) tea.Cmd {
	toks := flow.SplitPointer(path)
	switch {
	case len(toks) >= 2 && toks[0] == "steps":
		i, err := strconv.Atoi(toks[1])
		if err != nil {
			break
		}
		p := flow.StepPath{i}
		if len(toks) >= 4 && toks[2] == "steps" {
			if j, err := strconv.Atoi(toks[3]); err == nil {
				p = flow.StepPath{i, j}
			}
		}
		if _, ok := e.doc.Config.StepAt(p); !ok {
			break
		}
		e.pane = paneSteps
		e.steps.selectPath(p)
		return ui.Push(openStepEditor(e.common, e.doc, p, path))
	case len(toks) >= 1 && toks[0] == "flags":
		e.pane = paneFlags
		e.flags.FocusPath(path)
		return nil
	case len(toks) >= 1 && toks[0] == "steps":
		e.pane = paneSteps
		return nil
	}
	e.pane = paneSession
	e.session.FocusPath(path)
	return nil
}

// jumpMsg asks the editor to show the place a JSON Pointer names.
type jumpMsg struct{ path string }
