package widget

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/identoflow/identoflow/tui/ui"
)

// PickItem is one choice of a picker.
type PickItem struct {
	Value   string
	Label   string // shown beside the value; "" shows only the value
	Detail  string // dim, after the label
	invalid bool   // a value the file holds that is not a valid choice
}

// Picker is a filterable single- or multi-select list. On enter it calls
// done with the chosen values and closes; esc closes without change.
type Picker struct {
	common *ui.Common
	title  string
	items  []PickItem
	multi  bool
	chosen map[string]bool
	order  []string // chosen values in the order they were already listed
	// hole marks the places in order of invalid values taken out: the
	// next value chosen takes the first such place, so fixing a typo in
	// the file keeps the list's order.
	hole   []bool
	cursor int
	offset int
	filter ListFilter
	width  int
	height int
	done   func(values []string) tea.Cmd
}

// NewPicker lists items to choose from, selected already chosen; multi
// allows several. A chosen value not among items (a typo in the file) is
// listed first, so that it can be taken out.
func NewPicker(c *ui.Common, title string, items []PickItem, selected []string, multi bool, done func([]string) tea.Cmd) *Picker {
	if multi {
		// A chosen value that is not among the choices (a typo in the
		// file) is listed first, so that it can be seen and taken out.
		var unknown []PickItem
		for _, v := range selected {
			if !slices.ContainsFunc(items, func(it PickItem) bool { return it.Value == v }) &&
				!slices.ContainsFunc(unknown, func(it PickItem) bool { return it.Value == v }) {
				unknown = append(unknown, PickItem{Value: v, Label: "✗ not a valid choice", invalid: true})
			}
		}
		items = append(unknown, items...)
	}
	p := &Picker{common: c, title: title, items: items, multi: multi, chosen: map[string]bool{}, filter: NewListFilter("type to filter"), done: done}
	for _, v := range selected {
		p.chosen[v] = true
		p.order = append(p.order, v)
		p.hole = append(p.hole, false)
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

func (p *Picker) Title() string { return p.title }

// Items are the choices, in the order listed (a chosen value that is not
// among them first).
func (p *Picker) Items() []PickItem { return p.items }

// Multi reports whether several values may be chosen.
func (p *Picker) Multi() bool { return p.multi }

// Chosen is what a multi picker has chosen so far, in the order enter
// reports it.
func (p *Picker) Chosen() []string {
	var out []string
	for i, v := range p.order {
		if !p.hole[i] {
			out = append(out, v)
		}
	}
	return out
}

func (p *Picker) SetSize(w, h int)          { p.width, p.height = w, h }
func (p *Picker) Capturing() bool           { return p.filter.On }
func (p *Picker) ShortHelp() []key.Binding  { return p.bindings() }
func (p *Picker) FullHelp() [][]key.Binding { return [][]key.Binding{p.bindings()} }

func (p *Picker) bindings() []key.Binding {
	k := p.common.Keys
	if p.filter.On {
		// Every key but these types into the filter, space included.
		enter := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose"))
		if p.multi {
			enter.SetHelp("enter", "keep filter")
		}
		return []key.Binding{enter,
			key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "to the list")),
			key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter"))}
	}
	enter := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose"))
	if p.multi {
		enter.SetHelp("enter", "done")
		return []key.Binding{k.Up, k.Down, k.Toggle, k.Filter, enter, k.Back}
	}
	return []key.Binding{k.Up, k.Down, k.Filter, enter, k.Back}
}

// visible returns the items matching the filter.
func (p *Picker) visible() []PickItem {
	return RankMatching(p.items, p.filter.Query(),
		func(it PickItem) string { return it.Value },
		func(it PickItem) string { return it.Value + " " + it.Label + " " + it.Detail })
}

func (p *Picker) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	km, isKey := msg.(tea.KeyPressMsg)
	if p.filter.On {
		cmd, res := p.filter.Handle(msg)
		switch {
		case res == FilterTyped && isKey:
			p.cursor = 0
		case res == FilterKept && km.String() == "enter" && !p.multi:
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
		return p, ui.Pop
	case key.Matches(km, k.Filter):
		return p, p.filter.Start()
	case key.Matches(km, k.Toggle) && p.multi:
		p.toggle(vis)
	case km.String() == "enter":
		return p.finish()
	default:
		p.cursor, _ = MoveCursor(k, km, p.cursor, len(vis))
	}
	return p, nil
}

func (p *Picker) toggle(vis []PickItem) {
	if p.cursor >= len(vis) {
		return
	}
	it := vis[p.cursor]
	v := it.Value
	if p.chosen[v] {
		delete(p.chosen, v)
		order, hole := p.order[:0], p.hole[:0]
		for i, o := range p.order {
			switch {
			case o != v || p.hole[i]:
			case it.invalid: // a typo's place is kept for what replaces it
				p.hole[i] = true
			default:
				continue
			}
			order, hole = append(order, o), append(hole, p.hole[i])
		}
		p.order, p.hole = order, hole
		return
	}
	p.chosen[v] = true
	if i := slices.Index(p.hole, true); i >= 0 {
		p.order[i], p.hole[i] = v, false
		return
	}
	p.order = append(p.order, v)
	p.hole = append(p.hole, false)
}

// finish reports the choice: for a single picker the item under the
// cursor; for a multi picker the chosen values in the order they were
// listed in the file, those chosen here after them.
func (p *Picker) finish() (ui.Screen, tea.Cmd) {
	var values []string
	if p.multi {
		values = p.Chosen()
	} else {
		vis := p.visible()
		if p.cursor >= len(vis) {
			return p, nil
		}
		values = []string{vis[p.cursor].Value}
	}
	return p, tea.Sequence(ui.Pop, p.done(values))
}

func (p *Picker) View() string {
	s := &p.common.Styles
	var b strings.Builder
	head := s.Title.Render(ui.Shown(p.title))
	hint := ""
	switch {
	case p.filter.On:
		hint = "typing filters · enter keeps it · esc clears it"
	case p.multi:
		hint = "space toggles · enter done · esc cancels"
	}
	lines := []string{head}
	switch {
	case hint == "":
	case lipgloss.Width(head)+2+lipgloss.Width(hint) <= p.width:
		lines[0] += s.Dim.Render("  " + hint)
	default: // a long title: the keys on a line of their own, not cut off
		lines = append(lines, s.Dim.Render(hint))
	}
	for _, l := range lines {
		b.WriteString(ui.Truncate(l, p.width) + "\n")
	}
	if p.multi {
		chosen := s.Dim.Render("none chosen")
		if c := p.Chosen(); len(c) > 0 {
			chosen = ChosenSummary(c, max(20, p.width))
		}
		b.WriteString(ui.Truncate(chosen, p.width) + "\n")
	}
	if p.filter.Shown() {
		b.WriteString(p.filter.View() + "\n")
	} else {
		b.WriteString(s.Dim.Render("/ to filter") + "\n")
	}
	vis := p.visible()
	avail := max(1, p.height-2-len(lines))
	if p.multi {
		avail = max(1, avail-1) // the line of what is chosen
	}
	p.offset = ScrollToCursor(p.cursor, p.offset, avail)
	if len(vis) == 0 {
		b.WriteString(s.Dim.Render("  nothing matches"))
	}
	// Names are padded to one width so the values and details after them
	// stand in columns (a very long name is let through rather than make
	// every row wide), whether or not a row has a label: widths are
	// display widths, wide characters counting two.
	// Values, labels and details may come from the config (a typo in it,
	// a question's key and title): they are measured and drawn shown.
	nameW, valueW := 0, 0
	for _, it := range vis {
		if w := lipgloss.Width(ui.Shown(it.displayName())); w <= max(10, p.width/2) {
			nameW = max(nameW, w)
		}
		if w := lipgloss.Width(ui.Shown(it.Value)); it.Label != "" && w <= 12 {
			valueW = max(valueW, w)
		}
	}
	for i := p.offset; i < len(vis) && i < p.offset+avail; i++ {
		it := vis[i]
		mark := ""
		if p.multi {
			mark = Checkbox(p.chosen[it.Value]) + " "
		}
		name := ui.Shown(it.displayName())
		value := "" // the value beside a label; a row without one shows it as its name
		if it.Label != "" {
			value = ui.Shown(it.Value)
		}
		detail := it.Detail
		if it.invalid {
			detail = "space takes it out"
			if !p.chosen[it.Value] {
				detail = "space puts it back"
			}
		}
		var cols []string // after the name; the last one is not padded
		if value != "" || (detail != "" && valueW > 0) {
			cols = append(cols, s.Dim.Render(value)+strings.Repeat(" ", max(0, valueW-lipgloss.Width(value))))
		}
		if detail != "" {
			cols = append(cols, s.Dim.Render(ui.Shown(detail)))
		}
		rest := ""
		if len(cols) > 0 {
			cols[len(cols)-1] = strings.TrimRight(cols[len(cols)-1], " ")
			rest = strings.Repeat(" ", max(0, nameW-lipgloss.Width(name))) + "  " + strings.Join(cols, "  ")
		}
		b.WriteString(ui.Truncate(CursorRow(s, i == p.cursor, mark+name, rest), p.width) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (it PickItem) displayName() string {
	if it.Label != "" {
		return it.Label
	}
	return it.Value
}
