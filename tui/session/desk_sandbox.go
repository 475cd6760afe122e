// Desk mode on the built-in sandbox: where it can be reached from, and
// ctrl+p switching it between this computer and phones on this network.

package session

import (
	"errors"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/api/sandbox"
	"github.com/identoflow/identoflow/tui/ui"
)

// sandboxLines say where sessions go and who can open them, and how to
// switch between this computer and phones on this network.
func (d *deskScreen) sandboxLines() []string {
	s, b, w := &d.common.Styles, d.l.sandbox, d.width
	var lines []string
	if b.scope() == sandbox.ScopeLoopback {
		lines = append(lines, s.Dim.Render(ui.Truncate("Sessions go to "+ui.Shown(b.detail()), w)))
	} else {
		// Said in full: anyone nearby can open the pages.
		lines = append(lines, strings.Split(s.Info.Render(wrapText("Sessions go to "+ui.Shown(b.detail()), w)), "\n")...)
	}
	if b.note != "" {
		lines = append(lines, strings.Split(s.Warning.Render(wrapText("Phones cannot reach this computer: "+b.note+".", w)), "\n")...)
	}
	if d.l.canSwitchSandbox() {
		hint := "ctrl+p serves phones on this network instead."
		if b.scope() == sandbox.ScopeLAN {
			hint = "ctrl+p serves this computer only again."
		}
		lines = append(lines, s.Dim.Render(ui.Truncate(hint, w)))
	}
	return lines
}

// phonesKey is ctrl+p as the help bar offers it now.
func (d *deskScreen) phonesKey() key.Binding {
	k := d.keys.Phones
	if d.l.sandboxMode() && d.l.sandbox.scope() == sandbox.ScopeLAN {
		k.SetHelp("ctrl+p", "this computer")
	}
	return k
}

// switchSandbox switches the sandbox between this computer and phones on
// this network, and says where it can be reached now.
func (d *deskScreen) switchSandbox() tea.Cmd {
	lan := d.l.sandbox.scope() != sandbox.ScopeLAN
	err := d.l.switchSandbox(lan)
	switch {
	case errors.Is(err, sandbox.ErrNoLANAddress):
		d.l.sandbox.note = sandbox.ErrNoLANAddress.Error()
		return ui.Status("No LAN address: the sandbox still serves this computer only")
	case err != nil:
		return ui.StatusErr(err)
	}
	if lan {
		return ui.Status("Phones on this network can open the sandbox's links now")
	}
	return ui.Status("The sandbox serves this computer only again")
}
