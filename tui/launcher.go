package tui

import (
	"github.com/identoflow/identoflow/tui/editor"
	"github.com/identoflow/identoflow/tui/session"
)

// Launcher turns a valid flow into a session screen; the editor calls it
// on L. A *SessionLauncher is the one the program uses.
type Launcher = editor.Launcher

// Config says where and how sessions are created (session.Config).
type LaunchConfig = session.Config

// Launcher creates verification sessions and hands them over with
// a QR code (session.Launcher). Close it when the program ends.
type SessionLauncher = session.Launcher

// NewLauncher returns a launcher for cfg. A company key and base URL given
// here are used as they are; whatever is missing is asked for on launch.
func NewLauncher(cfg LaunchConfig) *SessionLauncher { return session.NewLauncher(cfg) }
