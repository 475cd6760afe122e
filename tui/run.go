// Package tui is the interactive wizard: one root model (App) holding a
// stack of screens that edit a flow document, the home screen, the view of
// a file that does not parse, drafts and recent files, and desk mode's
// entry point. The screens live in its sub-packages: ui (what every screen
// shares), widget (reusable parts), editor (the flow and step editors) and
// session (launching, the handoff, desk mode); this package wires them
// together.
package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/signal"
	"syscall"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/tui/ui"
)

// RunOptions start the wizard.
type RunOptions struct {
	Options
	// File opens this file in the editor (created on save when missing);
	// "" starts at the home screen.
	File   string
	Input  io.Reader // nil: the terminal
	Output io.Writer // nil: the terminal
}

// Run runs the wizard until the person quits.
func Run(ctx context.Context, o RunOptions) error {
	app := New(o)
	// A closed terminal (SIGHUP) or a SIGTERM stops the program; what was
	// edited since the last draft is kept as a draft on the way out.
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGHUP, syscall.SIGTERM)
	defer stop()
	opts := []tea.ProgramOption{tea.WithContext(ctx)}
	if o.Input != nil {
		opts = append(opts, tea.WithInput(o.Input))
	}
	if o.Output != nil {
		opts = append(opts, tea.WithOutput(o.Output))
	}
	_, err := tea.NewProgram(app, opts...).Run()
	if derr := app.SaveDraftNow(); derr != nil {
		return derr
	}
	if err != nil && !(errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil) {
		return fmt.Errorf("running the wizard: %w", err)
	}
	return nil
}

// New builds the root model: the home screen, or a file being opened.
func New(o RunOptions) *App {
	if o.Now == nil {
		o.Now = time.Now
	}
	app := NewApp(o.Options, func(c *ui.Common) ui.Screen { return newHome(c, o.Store, o.Now) })
	if o.File != "" {
		app.startFile = o.File
	}
	return app
}
