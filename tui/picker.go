package tui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// pickItem is one choice of a picker.
type pickItem struct {
	Value   string
	Label   string // shown beside the value; "" shows only the value
	Detail  string // dim, after the label
	invalid bool   // a value the file holds that is not a valid choice
}

// picker is a filterable single- or multi-select list. On enter it calls
// done with the chosen values and closes; esc closes without change.
type picker struct {
	common *Common
	title  string
	items  []pickItem
	multi  bool
	chosen map[string]bool
	order  []string // chosen values in the order they were already listed
	cursor int
	offset int
	filter listFilter
	width  int
	height int
	done   func(values []string) tea.Cmd
}

func newPicker(c *Common, title string, items []pickItem, selected []string, multi bool, done func([]string) tea.Cmd) *picker {
	if multi {
		// A chosen value that is not among the choices (a typo in the
		// file) is listed first, so that it can be seen and taken out.
		var unknown []pickItem
		for _, v := range selected {
			if !slices.ContainsFunc(items, func(it pickItem) bool { return it.Value == v }) &&
				!slices.ContainsFunc(unknown, func(it pickItem) bool { return it.Value == v }) {
				unknown = append(unknown, pickItem{Value: v, Label: "✗ not a valid choice", invalid: true})
			}
		}
		items = append(unknown, items...)
	}
	p := &picker{common: c, title: title, items: items, multi: multi, chosen: map[string]bool{}, filter: newListFilter("type to filter"), done: done}
	for _, v := range selected {
		p.chosen[v] = true
		p.order = append(p.order, v)
	}
	if !multi && len(selected) == 1 {
		for i, it := range items {
			if it.Value == selected[0] {
				p.cursor = i
			}
		}
	}
	return p
}

func (p *picker) Title() string             { return p.title }
func (p *picker) SetSize(w, h int)          { p.width, p.height = w, h }
func (p *picker) Capturing() bool           { return p.filter.on }
func (p *picker) ShortHelp() []key.Binding  { return p.bindings() }
func (p *picker) FullHelp() [][]key.Binding { return [][]key.Binding{p.bindings()} }

func (p *picker) bindings() []key.Binding {
	k := p.common.Keys
	enter := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose"))
	if p.multi {
		enter.SetHelp("enter", "done")
		return []key.Binding{k.Up, k.Down, k.Toggle, k.Filter, enter, k.Back}
	}
	return []key.Binding{k.Up, k.Down, k.Filter, enter, k.Back}
}

// visible returns the items matching the filter.
func (p *picker) visible() []pickItem {
	return rankMatching(p.items, p.filter.query(),
		func(it pickItem) string { return it.Value },
		func(it pickItem) string { return it.Value + " " + it.Label + " " + it.Detail })
}

func (p *picker) Update(msg tea.Msg) (Screen, tea.Cmd) {
	km, isKey := msg.(tea.KeyPressMsg)
	if p.filter.on {
		cmd, res := p.filter.update(msg)
		switch {
		case res == filterTyped && isKey:
			p.cursor = 0
		case res == filterKept && km.String() == "enter" && !p.multi:
			return p.finish()
		}
		return p, cmd
	}
	if !isKey {
		return p, nil
	}
	k := p.common.Keys
	vis := p.visible()
	switch {
	case key.Matches(km, k.Back):
		return p, pop
	case key.Matches(km, k.Filter):
		return p, p.filter.start()
	case key.Matches(km, k.Toggle) && p.multi:
		p.toggle(vis)
	case km.String() == "enter":
		return p.finish()
	default:
		p.cursor, _ = moveCursor(k, km, p.cursor, len(vis))
	}
	return p, nil
}

func (p *picker) toggle(vis []pickItem) {
	if p.cursor >= len(vis) {
		return
	}
	v := vis[p.cursor].Value
	if p.chosen[v] {
		delete(p.chosen, v)
		p.order = slices.DeleteFunc(p.order, func(o string) bool { return o == v })
	} else {
		p.chosen[v] = true
		p.order = append(p.order, v)
	}
}

// finish reports the choice: for a single picker the item under the
// cursor; for a multi picker the chosen values in the order they were
// listed in the file, those chosen here after them.
func (p *picker) finish() (Screen, tea.Cmd) {
	var values []string
	if p.multi {
		values = slices.Clone(p.order)
	} else {
		vis := p.visible()
		if p.cursor >= len(vis) {
			return p, nil
		}
		values = []string{vis[p.cursor].Value}
	}
	return p, tea.Sequence(pop, p.done(values))
}

func (p *picker) View() string {
	s := &p.common.Styles
	var b strings.Builder
	head := s.Title.Render(p.title)
	if p.multi {
		head += s.Dim.Render("  space toggles · enter done · esc cancels")
	}
	b.WriteString(truncate(head, p.width) + "\n")
	if p.filter.shown() {
		b.WriteString(p.filter.View() + "\n")
	} else {
		b.WriteString(s.Dim.Render("/ to filter") + "\n")
	}
	vis := p.visible()
	avail := max(1, p.height-3)
	p.offset = scrollToCursor(p.cursor, p.offset, avail)
	if len(vis) == 0 {
		b.WriteString(s.Dim.Render("  nothing matches"))
	}
	for i := p.offset; i < len(vis) && i < p.offset+avail; i++ {
		it := vis[i]
		mark := ""
		if p.multi {
			mark = checkbox(p.chosen[it.Value]) + " "
		}
		rest := ""
		if it.Label != "" {
			rest = "  " + s.Dim.Render(it.Value)
		}
		detail := it.Detail
		if it.invalid {
			detail = "space takes it out"
			if !p.chosen[it.Value] {
				detail = "space puts it back"
			}
		}
		if detail != "" {
			rest += "  " + s.Dim.Render(detail)
		}
		b.WriteString(truncate(cursorRow(s, i == p.cursor, mark+it.displayName(), rest), p.width) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (it pickItem) displayName() string {
	if it.Label != "" {
		return it.Label
	}
	return it.Value
}
