package session

import (
	"errors"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/api/sandbox"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// Asking where sessions are created (the built-in sandbox, on this computer
// or for phones on this network, or the vendor with a company key).

// sandboxLANChoice is the launch choice that serves phones on this network;
// the wizard's handoff names it.
const sandboxLANChoice = "Built-in sandbox for phones on this network"

// ask shows the company key prompt (with the sandbox as a choice when
// nothing names a server). thenBegin creates the session afterwards.
func (r *sessionRunner) ask(thenBegin bool) tea.Cmd {
	r.stopHandoff()
	r.phase, r.thenBegin = runnerAsking, thenBegin
	form, lines := r.keyForm()
	r.formRef = form
	r.form = widget.NewFormScreen(r.common, "company key", r.formRef, nil).AskInLines(lines...)
	r.form.SetSize(r.width, max(1, r.height-2))
	return r.form.Init()
}

// keyForm is the company key prompt, drawn and as lines for accessible
// mode; with the sandbox on offer it asks where sessions go first, and
// the key only for Identomat.
func (r *sessionRunner) keyForm() (*huh.Form, []widget.LineQuestion) {
	r.choice, r.keyText = choiceKey, ""
	keyTitle := "Company key"
	keyAbout := "For " + ui.Shown(r.l.server()) + ".\nKept in memory for this run only: never saved, never shown."
	keyCheck := func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New("enter the company key, or press esc to go back")
		}
		return nil
	}
	input := huh.NewInput().
		Title(keyTitle).
		Description(keyAbout).
		EchoMode(huh.EchoModePassword).
		Value(&r.keyText).
		Validate(keyCheck)
	askKey := widget.AskSecret(keyTitle, keyAbout, &r.keyText).Check(keyCheck)
	if !r.l.offersSandbox() {
		return huh.NewForm(huh.NewGroup(input)), []widget.LineQuestion{askKey}
	}
	r.choice = choiceSandbox
	whereTitle := "Where should sessions be created?"
	whereAbout := "No company key or base URL is configured (IDENTOMAT_COMPANY_KEY, IDENTOMAT_BASE_URL)."
	options := []huh.Option[string]{
		huh.NewOption("Built-in sandbox: offline, on this computer; you pick the outcome", choiceSandbox),
		huh.NewOption(sandboxLANChoice+" (open to the local network)", choiceSandboxLAN),
	}
	if pub := r.l.cfg.PublicURL; pub != "" {
		// Its links carry the public URL, wherever it listens.
		options = []huh.Option[string]{huh.NewOption(
			"Built-in sandbox behind "+flow.Visible(pub)+" (point the tunnel at http://"+sandbox.DefaultAddr+")", choiceSandbox)}
	}
	options = append(options, huh.NewOption("Identomat ("+api.DefaultBaseURL+") with a company key", choiceKey))
	where := huh.NewSelect[string]().
		Title(whereTitle).
		Description(whereAbout).
		Options(options...).
		Value(&r.choice)
	forKey := func() bool { return r.choice == choiceKey }
	return huh.NewForm(
			huh.NewGroup(where),
			huh.NewGroup(input).WithHideFunc(func() bool { return !forKey() }),
		), []widget.LineQuestion{
			widget.AskChoice(whereTitle, whereAbout, &r.choice, options),
			askKey.When(forKey),
		}
}

// answered applies the prompt's answer.
func (r *sessionRunner) answered() (tea.Cmd, runnerEvent) {
	choice, typed := r.choice, r.keyText
	r.keyText, r.form, r.formRef = "", nil, nil
	var err error
	switch {
	case (choice == choiceSandbox || choice == choiceSandboxLAN) && r.l.offersSandbox():
		err = r.l.useSandbox(choice == choiceSandboxLAN)
		if errors.Is(err, sandbox.ErrNoLANAddress) {
			r.fail(launchFailure{
				title:         "Phones cannot reach this computer: it has no address on a local network",
				detail:        r.l.redact(err.Error()),
				hint:          "Press s to use the sandbox on this computer only (a phone cannot open it), k to choose again, or esc to go back.",
				keyRefused:    true,
				offerLoopback: true,
			})
			return nil, runnerEvent{}
		}
	default:
		err = r.l.useKey(typed)
	}
	return r.chosen(err)
}

// chosen goes on once the launcher knows where sessions go (err: it
// could not be set up).
func (r *sessionRunner) chosen(err error) (tea.Cmd, runnerEvent) {
	if err != nil {
		r.fail(launchFailure{title: "The session cannot be created", detail: r.l.redact(err.Error()), hint: "Press k to answer again, or esc to go back.", keyRefused: true})
		return nil, runnerEvent{}
	}
	if !r.thenBegin {
		r.phase = runnerIdle
		return nil, runnerEvent{kind: runnerAsked}
	}
	return r.begin(), runnerEvent{}
}
