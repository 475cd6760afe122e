// Package cmdrun runs Bubble Tea commands the way a program does, but
// synchronously, for the wizard's tests: each message a command returns is
// handed on, batches and sequences expanded. Commands that wait on a clock
// are not run but counted, so tests deliver those messages themselves.
package cmdrun

import (
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// timerFuncs are the closures that wait on a clock.
var timerFuncs = []string{"bubbletea/v2.Tick.", "bubbletea/v2.Every.", "cursor.(*Model).Blink", "cursor.Blink"}

// IsTimer reports whether cmd waits on a clock (tea.Tick, tea.Every, a
// cursor blink).
func IsTimer(cmd tea.Cmd) bool {
	name := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()).Name()
	for _, t := range timerFuncs {
		if strings.Contains(name, t) {
			return true
		}
	}
	return false
}

var cmdType = reflect.TypeFor[tea.Cmd]()

// hangGuard bounds the wait for a command: no speed limit (a command may
// take long on a busy machine), only a stop for one that never returns.
const hangGuard = 5 * time.Minute

// Runner runs commands and hands their messages to Deliver.
type Runner struct {
	TB      testing.TB
	Stop    func() bool // nil: never stop
	Deliver func(tea.Msg)
	Timers  int // timer commands seen and not run
}

// Exec runs cmd and delivers what follows from it.
func (r *Runner) Exec(cmd tea.Cmd) {
	r.TB.Helper()
	if cmd == nil || (r.Stop != nil && r.Stop()) {
		return
	}
	if IsTimer(cmd) {
		r.Timers++
		return
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(hangGuard):
		r.TB.Fatalf("command %s did not return", runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()).Name())
	}
	r.handle(msg)
}

func (r *Runner) handle(msg tea.Msg) {
	r.TB.Helper()
	switch m := msg.(type) {
	case nil:
		return
	case tea.BatchMsg:
		for _, c := range m {
			r.Exec(c)
		}
		return
	}
	// tea.Sequence's message is an unexported []Cmd: run them in order.
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == cmdType {
		for i := range v.Len() {
			r.Exec(v.Index(i).Interface().(tea.Cmd))
		}
		return
	}
	r.Deliver(msg)
}
