package session

import (
	"github.com/identoflow/identoflow/api/sandbox"
	"github.com/identoflow/identoflow/flow"
)

// phoneNote is what to tell an operator about to hand a phone a link it
// cannot open (its host is this computer: localhost or a loopback
// address), and where links a phone can open come from; "" for any other
// link. The desk and the wizard each name their own way to the sandbox
// for phones: the desk's ctrl+p, the wizard's launch choice.
func phoneNote(l *Launcher, link string, desk bool) string {
	host, ok := sandbox.LoopbackLink(link)
	if !ok {
		return ""
	}
	note := "A phone cannot open " + flow.Visible(host) + ": "
	switch {
	case l.sandboxMode() && desk:
		return note + "for phones on this network, ctrl+p on the desk's ready screen, or identoflow desk --lan."
	case l.sandboxMode():
		return note + "for phones on this network, start identoflow again and choose \"" + sandboxLANChoice + "\" when launching."
	}
	return note + "for phones, run identoflow sandbox --lan and give --base-url the address it prints."
}
