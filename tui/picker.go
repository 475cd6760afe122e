package tui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// pickItem is one choice of a picker.
type pickItem struct {
	Value  string
	Label  string // shown beside the value; "" shows only the value
	Detail string // dim, after the label
}

// picker is a filterable single- or multi-select list. On enter it calls
// done with the chosen values and closes; esc closes without change.
type picker struct {
	common   *Common
	title    string
	items    []pickItem
	multi    bool
	chosen   map[string]bool
	order    []string // chosen values in the order they were already listed
	cursor   int
	offset   int
	filter   textinput.Model
	filterOn bool
	width    int
	height   int
	done     func(values []string) tea.Cmd
}

func newPicker(c *Common, title string, items []pickItem, selected []string, multi bool, done func([]string) tea.Cmd) *picker {
	fi := textinput.New()
	fi.Prompt = "/"
	fi.Placeholder = "type to filter"
	p := &picker{common: c, title: title, items: items, multi: multi, chosen: map[string]bool{}, filter: fi, done: done}
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
func (p *picker) Capturing() bool           { return p.filterOn }
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

// visible returns the indexes of items matching the filter.
func (p *picker) visible() []int {
	q := strings.ToLower(strings.TrimSpace(p.filter.Value()))
	var out []int
	for i, it := range p.items {
		if q == "" || strings.Contains(strings.ToLower(it.Value+" "+it.Label+" "+it.Detail), q) {
			out = append(out, i)
		}
	}
	return out
}

func (p *picker) Update(msg tea.Msg) (Screen, tea.Cmd) {
	km, ok := msg.(tea.KeyPressMsg)
	if !ok {
		if p.filterOn {
			var cmd tea.Cmd
			p.filter, cmd = p.filter.Update(msg)
			return p, cmd
		}
		return p, nil
	}
	k := p.common.Keys
	vis := p.visible()
	if p.filterOn {
		switch km.String() {
		case "esc":
			p.filterOn = false
			p.filter.SetValue("")
			p.filter.Blur()
			return p, nil
		case "enter", "down", "up":
			p.filterOn = false
			p.filter.Blur()
			if km.String() == "enter" && !p.multi {
				return p.finish()
			}
			return p, nil
		}
		var cmd tea.Cmd
		p.filter, cmd = p.filter.Update(msg)
		p.cursor = 0
		return p, cmd
	}
	switch {
	case key.Matches(km, k.Back):
		return p, pop
	case key.Matches(km, k.Filter):
		p.filterOn = true
		return p, p.filter.Focus()
	case key.Matches(km, k.Up):
		if p.cursor > 0 {
			p.cursor--
		}
	case key.Matches(km, k.Down):
		if p.cursor < len(vis)-1 {
			p.cursor++
		}
	case key.Matches(km, k.Home):
		p.cursor = 0
	case key.Matches(km, k.End):
		p.cursor = max(0, len(vis)-1)
	case key.Matches(km, k.Toggle) && p.multi:
		p.toggle(vis)
	case km.String() == "enter":
		return p.finish()
	}
	return p, nil
}

func (p *picker) toggle(vis []int) {
	if p.cursor >= len(vis) {
		return
	}
	v := p.items[vis[p.cursor]].Value
	if p.chosen[v] {
		delete(p.chosen, v)
		p.order = slices.DeleteFunc(p.order, func(o string) bool { return o == v })
	} else {
		p.chosen[v] = true
		p.order = append(p.order, v)
	}
}

// finish reports the choice: for a single picker the item under the
// cursor; for a multi picker the chosen values in the items' order.
func (p *picker) finish() (Screen, tea.Cmd) {
	var values []string
	if p.multi {
		for _, it := range p.items {
			if p.chosen[it.Value] {
				values = append(values, it.Value)
			}
		}
		// Keep chosen values that are not items (e.g. invalid ones from the
		// file) rather than silently dropping them.
		for _, v := range p.order {
			if !slices.ContainsFunc(p.items, func(it pickItem) bool { return it.Value == v }) {
				values = append(values, v)
			}
		}
	} else {
		vis := p.visible()
		if p.cursor >= len(vis) {
			return p, nil
		}
		values = []string{p.items[vis[p.cursor]].Value}
	}
	return p, tea.Sequence(pop, p.done(values))
}

func (p *picker) View() string {
	s := p.common.Styles
	var b strings.Builder
	head := s.Title.Render(p.title)
	if p.multi {
		head += s.Dim.Render("  space toggles · enter done · esc cancels")
	}
	b.WriteString(truncate(head, p.width) + "\n")
	if p.filterOn || p.filter.Value() != "" {
		b.WriteString(p.filter.View() + "\n")
	} else {
		b.WriteString(s.Dim.Render("/ to filter") + "\n")
	}
	vis := p.visible()
	avail := max(1, p.height-3)
	if p.cursor < p.offset {
		p.offset = p.cursor
	}
	if p.cursor >= p.offset+avail {
		p.offset = p.cursor - avail + 1
	}
	if len(vis) == 0 {
		b.WriteString(s.Dim.Render("  nothing matches"))
	}
	for i := p.offset; i < len(vis) && i < p.offset+avail; i++ {
		it := p.items[vis[i]]
		mark := ""
		if p.multi {
			mark = checkbox(p.chosen[it.Value]) + " "
		}
		text := it.Value
		if it.Label != "" {
			text = it.Label + "  " + s.Dim.Render(it.Value)
		}
		if it.Detail != "" {
			text += "  " + s.Dim.Render(it.Detail)
		}
		line := "  " + mark + text
		if i == p.cursor {
			line = s.Cursor.Render("▸ ") + s.Selected.Render(mark+it.displayName()) + strings.TrimPrefix(text, it.displayName())
		}
		b.WriteString(truncate(line, p.width) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (it pickItem) displayName() string {
	if it.Label != "" {
		return it.Label
	}
	return it.Value
}
