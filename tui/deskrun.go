package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/session"
	"github.com/identoflow/identoflow/tui/ui"
)

// DeskOptions start desk mode: session after session from one flow.
type DeskOptions struct {
	// LaunchConfig says where sessions are created; its ConfigID is
	// --config-id.
	LaunchConfig
	// File is the flow (a config file); "" with ConfigID alone, which
	// sends {"config_id": ID, "flags": {}}.
	File string
	// Config is File already loaded (or a built-in flow); nil reads File.
	Config *flow.Config
	// Name names Config on the ready screen when there is no File.
	Name       string
	Accessible bool
	NoColor    bool
	Input      io.Reader // nil: the terminal
	Output     io.Writer // nil: the terminal
}

// RunDesk runs desk mode until ctrl+c. A flow that cannot be read or has
// errors is refused before the screen opens. The built-in sandbox, when
// chosen, stops on return.
func RunDesk(ctx context.Context, o DeskOptions) (err error) {
	app, launcher, err := newDesk(o)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := launcher.Close(); err == nil {
			err = cerr
		}
	}()
	opts := []tea.ProgramOption{tea.WithContext(ctx)}
	if o.Input != nil {
		opts = append(opts, tea.WithInput(o.Input))
	}
	if o.Output != nil {
		opts = append(opts, tea.WithOutput(o.Output))
	}
	_, err = tea.NewProgram(app, opts...).Run()
	switch {
	case err == nil, errors.Is(err, tea.ErrInterrupted):
		return nil
	case errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil:
		return nil // stopped from outside (a signal): nothing to save
	}
	return fmt.Errorf("running desk mode: %w", err)
}

// newDesk builds desk mode's root model and its launcher (to Close).
func newDesk(o DeskOptions) (*App, *SessionLauncher, error) {
	cfg, source, err := deskConfig(o)
	if err != nil {
		return nil, nil, err
	}
	l := NewLauncher(o.LaunchConfig)
	// Nothing configured: desk mode starts on the built-in sandbox, so a
	// fresh machine is one enter away from a QR code. The ready screen says
	// so, and how to use Identomat instead.
	if err := l.UseSandboxUnlessConfigured(); err != nil {
		return nil, nil, err
	}
	// NewLauncher's clock, when none is given, is time.Now, as is NewApp's.
	app := NewApp(Options{Accessible: o.Accessible, NoColor: o.NoColor, Now: o.Now}, func(c *ui.Common) ui.Screen {
		return session.NewDeskScreen(c, l, cfg, source)
	})
	return app, l, nil
}

// deskConfig loads the desk's flow and says how to name it on screen.
func deskConfig(o DeskOptions) (*flow.Config, string, error) {
	id := strings.TrimSpace(o.ConfigID)
	var cfg *flow.Config
	source := "Flow"
	switch {
	case o.File != "":
		source = "Flow: " + filepath.Base(o.File)
	case o.Name != "":
		source = "Flow: " + o.Name
	}
	switch {
	case o.Config != nil:
		cfg = o.Config.Clone()
	case o.File != "":
		c, data, err := LoadFile(o.File)
		switch {
		case data == nil && err != nil: // could not read it (the error names it)
			return nil, "", fmt.Errorf("reading the flow: %w", err)
		case err != nil:
			return nil, "", fmt.Errorf("%s: %w", o.File, err)
		}
		cfg = c
	case id != "":
		cfg = flow.New()
		cfg.Set("steps", nil)
		source = "Saved configuration"
	default:
		return nil, "", errors.New("desk mode needs a flow file or --config-id")
	}
	if id != "" {
		cfg.SetString("config_id", id)
		source += " · config_id " + id
	}
	if n := flow.Validate(cfg).Count(flow.SevError); n > 0 {
		if o.File == "" {
			return nil, "", fmt.Errorf("the flow has %d error(s); fix them first", n)
		}
		return nil, "", fmt.Errorf("%s has %d error(s); fix them first (identoflow validate %s)", o.File, n, o.File)
	}
	return cfg, source, nil
}
