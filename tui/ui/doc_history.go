package ui

import "github.com/identoflow/identoflow/flow"

// The undo history keeps what each edit changed, not a copy of the flow,
// and is bounded both in edits and in memory: the oldest changes go first.
// The latest change always stays, however large, so that the last edit
// can be undone.
const (
	maxUndo      = 200
	maxUndoBytes = 64 << 20
)

// change is one step of the history: its patches, applied in order, give
// the content of state.
type change struct {
	patches []*flow.Patch
	state   int
	label   string
}

func (c change) size() int {
	n := 0
	for _, p := range c.patches {
		n += p.Size()
	}
	return n
}

// changes is a stack of changes with the bytes they keep.
type changes struct {
	list  []change
	bytes int
}

func (s *changes) len() int { return len(s.list) }

// push adds c on top, then drops the oldest changes while there are more
// than maxUndo or they keep more than maxUndoBytes.
func (s *changes) push(c change) {
	s.list = append(s.list, c)
	s.bytes += c.size()
	drop := 0
	for n := len(s.list); n-drop > 1 && (n-drop > maxUndo || s.bytes > maxUndoBytes); drop++ {
		s.bytes -= s.list[drop].size()
	}
	if drop > 0 {
		// Shift in place and clear the freed slots, so that nothing keeps
		// the dropped changes alive.
		n := copy(s.list, s.list[drop:])
		clear(s.list[n:])
		s.list = s.list[:n]
	}
}

// pop takes the latest change off.
func (s *changes) pop() (change, bool) {
	n := len(s.list)
	if n == 0 {
		return change{}, false
	}
	c := s.list[n-1]
	s.list[n-1] = change{}
	s.list = s.list[:n-1]
	s.bytes -= c.size()
	return c, true
}

// amend makes p part of the latest change, applied before the rest; with
// no change to amend, p is dropped.
func (s *changes) amend(p *flow.Patch) {
	if n := len(s.list); n > 0 {
		top := &s.list[n-1]
		top.patches = append([]*flow.Patch{p}, top.patches...)
		s.bytes += p.Size()
	}
}

func (s *changes) clear() {
	clear(s.list)
	s.list, s.bytes = s.list[:0], 0
}
