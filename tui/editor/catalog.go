package editor

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// catalog lists the step types to add, filterable with /. Enter inserts
// the chosen type at the given place and selects it.
type catalog struct {
	common *ui.Common
	doc    *ui.Doc
	parent flow.StepPath
	at     int
	specs  []flow.StepSpec
	cursor int
	filter widget.ListFilter
	width  int
	height int
}

func newCatalog(c *ui.Common, doc *ui.Doc, parent flow.StepPath, at int) *catalog {
	var specs []flow.StepSpec
	for _, s := range flow.StepSpecs() {
		if parent == nil || flow.AllowedInVideoCall(s.Type) {
			specs = append(specs, s)
		}
	}
	return &catalog{common: c, doc: doc, parent: parent, at: at, specs: specs, filter: widget.NewListFilter("type to filter")}
}

func (c *catalog) Title() string {
	if c.parent != nil {
		return "add a step to the video call"
	}
	return "add a step"
}

func (c *catalog) SetSize(w, h int) { c.width, c.height = w, h }
func (c *catalog) Capturing() bool  { return c.filter.On }

func (c *catalog) ShortHelp() []key.Binding {
	k := c.common.Keys
	add := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "add"))
	return []key.Binding{k.Up, k.Down, k.Filter, add, k.Back}
}

func (c *catalog) FullHelp() [][]key.Binding { return [][]key.Binding{c.ShortHelp()} }

func (c *catalog) visible() []flow.StepSpec {
	return widget.RankMatching(c.specs, c.filter.Query(),
		func(s flow.StepSpec) string { return s.Type },
		func(s flow.StepSpec) string { return s.Type + " " + s.Title + " " + s.Summary })
}

func (c *catalog) Update(msg tea.Msg) (ui.Screen, tea.Cmd) {
	km, isKey := msg.(tea.KeyPressMsg)
	if c.filter.On {
		// enter adds at once, leaving the filter typed when nothing matches.
		if isKey && km.String() == "enter" {
			return c, c.insert()
		}
		cmd, res := c.filter.Handle(msg)
		switch res {
		case widget.FilterTyped:
			if isKey {
				c.cursor = 0
			}
			return c, cmd
		case widget.FilterCleared:
			c.cursor = 0
			return c, nil
		}
		// up and down leave the filter and move in the same keystroke.
	}
	if !isKey {
		return c, nil
	}
	k := c.common.Keys
	switch {
	case key.Matches(km, k.Back):
		return c, ui.Pop
	case key.Matches(km, k.Filter):
		return c, c.filter.Start()
	case key.Matches(km, k.Enter):
		return c, c.insert()
	default:
		c.cursor, _ = widget.MoveCursor(k, km, c.cursor, len(c.visible()))
	}
	return c, nil
}

// insert adds the step under the cursor, closes the catalog and tells the
// list below to select the new step.
func (c *catalog) insert() tea.Cmd {
	vis := c.visible()
	if c.cursor >= len(vis) {
		return ui.Status("nothing matches the filter")
	}
	typ := vis[c.cursor].Type
	var added flow.StepPath
	err := c.doc.Edit("add "+typ+" step", func(cfg *flow.Config) error {
		var err error
		added, err = cfg.InsertStep(c.parent, c.at, typ)
		return err
	})
	if err != nil {
		return ui.StatusErr(err)
	}
	note := fmt.Sprintf("added %s step", typ)
	switch typ {
	case "liveness":
		note += " (skip_face set so the vendor does not add a second one)"
	case "identity-document":
		note += " (skip_document set so the vendor does not add a second one)"
	}
	return tea.Sequence(ui.Pop, func() tea.Msg { return stepAddedMsg{added} }, ui.Status(note))
}

func (c *catalog) View() string {
	s := &c.common.Styles
	var b strings.Builder
	if c.filter.Shown() {
		b.WriteString(c.filter.View() + "\n")
	} else {
		b.WriteString(s.Dim.Render("/ to filter · enter adds after the selected step") + "\n")
	}
	vis := c.visible()
	if len(vis) == 0 {
		b.WriteString(s.Dim.Render("  no step type matches"))
	}
	c.cursor = min(c.cursor, max(0, len(vis)-1))
	start := max(0, c.cursor-(c.height-2)+1)
	for i := start; i < len(vis) && i < start+max(1, c.height-1); i++ {
		sp := vis[i]
		line := widget.CursorRow(s, i == c.cursor, fmt.Sprintf("%-24s", sp.Type), s.Dim.Render(sp.Summary))
		b.WriteString(ui.Truncate(line, c.width) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
