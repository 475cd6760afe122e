// Line prompts: a dialog's questions asked one line at a time on the
// terminal, for accessible mode, where a screen reader follows plain text
// better than a drawn form. Each question says what to type and how to go
// back; esc (or ctrl+c, or the end of input) goes back at once.

package widget

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"charm.land/huh/v2"
	"github.com/charmbracelet/x/term"

	"github.com/identoflow/identoflow/flow"
)

// ErrLeft is what a line dialog returns when the person went back (esc,
// ctrl+c or the end of input) instead of answering.
var ErrLeft = errors.New("left the question without answering")

type lineKind int

const (
	lineText lineKind = iota
	lineSecret
	lineChoice
	lineYesNo
)

// LineQuestion is one question of a line dialog. Build it with AskText,
// AskSecret, AskChoice or AskYesNo.
type LineQuestion struct {
	kind        lineKind
	title       func() string // read when the question is reached
	description string
	text        huh.Accessor[string]
	options     []huh.Option[string]
	choice      *string
	yes         *bool
	validate    func(string) error
	complete    func(string) []string
	when        func() bool
	placeholder string
}

// AskText asks for a line of text; what is in value is kept on enter alone.
func AskText(title, description string, value huh.Accessor[string]) LineQuestion {
	return LineQuestion{kind: lineText, title: fixed(title), description: description, text: value}
}

// AskSecret asks for a text that is not shown while typed.
func AskSecret(title, description string, value *string) LineQuestion {
	return LineQuestion{kind: lineSecret, title: fixed(title), description: description, text: huh.NewPointerAccessor(value)}
}

// AskChoice asks for one of options by number; the option whose value is
// in value is the answer to enter alone.
func AskChoice(title, description string, value *string, options []huh.Option[string]) LineQuestion {
	return LineQuestion{kind: lineChoice, title: fixed(title), description: description, choice: value, options: options}
}

// AskYesNo asks a yes or no question; title is read when the question is
// reached, so that it can name an earlier answer.
func AskYesNo(title func() string, description string, value *bool) LineQuestion {
	return LineQuestion{kind: lineYesNo, title: title, description: description, yes: value}
}

// When asks the question only when asked returns true at its turn.
func (q LineQuestion) When(asked func() bool) LineQuestion { q.when = asked; return q }

// Check refuses answers validate returns an error for, saying why.
func (q LineQuestion) Check(validate func(string) error) LineQuestion {
	q.validate = validate
	return q
}

// Complete lets tab complete the typed text with what complete offers.
func (q LineQuestion) Complete(complete func(string) []string) LineQuestion {
	q.complete = complete
	return q
}

// Default names what enter alone gives for a text question with nothing in it.
func (q LineQuestion) Default(text string) LineQuestion { q.placeholder = text; return q }

func fixed(s string) func() string { return func() string { return s } }

// lineDialog asks its questions in order on the terminal; it is what
// tea.Exec runs while the wizard is suspended.
type lineDialog struct {
	questions []LineQuestion
	in        io.Reader
	out       io.Writer
}

func (d *lineDialog) SetStdin(r io.Reader)  { d.in = r }
func (d *lineDialog) SetStdout(w io.Writer) { d.out = w }
func (d *lineDialog) SetStderr(io.Writer)   {}

// Run asks the questions, with the terminal in raw mode when it is one so
// that esc goes back at once; it returns ErrLeft when the person went back.
func (d *lineDialog) Run() error {
	out := d.out
	echo := false
	if f, ok := d.in.(interface{ Fd() uintptr }); ok && term.IsTerminal(f.Fd()) {
		if state, err := term.MakeRaw(f.Fd()); err == nil {
			defer func() { _ = term.Restore(f.Fd(), state) }()
			out, echo = crlfWriter{d.out}, true
		}
	}
	return askLines(d.questions, d.in, out, echo)
}

// askLines asks questions, reading answers from in and writing to out;
// with echo, what is typed is written back (the terminal is in raw mode).
func askLines(questions []LineQuestion, in io.Reader, out io.Writer, echo bool) error {
	r := &lineReader{in: in, out: out, echo: echo}
	for _, q := range questions {
		if q.when != nil && !q.when() {
			continue
		}
		if err := q.ask(r, out); err != nil {
			fmt.Fprintln(out, "\nWent back without answering.")
			return err
		}
	}
	return nil
}

func (q LineQuestion) ask(r *lineReader, out io.Writer) error {
	fmt.Fprintf(out, "\n%s\n", flow.Visible(q.title()))
	if q.description != "" {
		fmt.Fprintln(out, flow.VisibleLines(q.description))
	}
	switch q.kind {
	case lineChoice:
		return q.askChoice(r, out)
	case lineYesNo:
		return q.askYesNo(r, out)
	}
	return q.askText(r, out)
}

func (q LineQuestion) askText(r *lineReader, out io.Writer) error {
	current := q.text.Get()
	how := "Type your answer and press enter"
	switch {
	case q.kind == lineSecret:
		how = "Type it and press enter; what you type is not shown"
	case current != "":
		how += " (enter alone keeps " + flow.Visible(current) + ")"
	case q.placeholder != "":
		how += " (enter alone: " + flow.Visible(q.placeholder) + ")"
	}
	if q.complete != nil {
		how += "; tab completes"
	}
	fmt.Fprintln(out, how+"; esc goes back.")
	for {
		fmt.Fprint(out, "> ")
		line, err := r.readLine(q.kind == lineSecret, q.complete)
		if err != nil {
			return err
		}
		if strings.TrimSpace(line) == "" {
			line = current
		}
		if q.validate != nil {
			if err := q.validate(line); err != nil {
				why := flow.Visible(err.Error())
				if !strings.Contains(why, "esc") {
					why += "; try again, or press esc to go back"
				}
				fmt.Fprintln(out, "Not accepted: "+why+".")
				continue
			}
		}
		q.text.Set(line)
		return nil
	}
}

func (q LineQuestion) askChoice(r *lineReader, out io.Writer) error {
	def := 0
	for i, o := range q.options {
		fmt.Fprintf(out, "%d. %s\n", i+1, flow.Visible(o.Key))
		if o.Value == *q.choice {
			def = i + 1
		}
	}
	how := fmt.Sprintf("Type a number from 1 to %d and press enter", len(q.options))
	if def > 0 {
		how += fmt.Sprintf(" (enter alone: %d)", def)
	}
	fmt.Fprintln(out, how+"; esc goes back.")
	for {
		fmt.Fprint(out, "> ")
		line, err := r.readLine(false, nil)
		if err != nil {
			return err
		}
		n, convErr := strconv.Atoi(strings.TrimSpace(line))
		if strings.TrimSpace(line) == "" && def > 0 {
			n, convErr = def, nil
		}
		if convErr != nil || n < 1 || n > len(q.options) {
			fmt.Fprintf(out, "Type a number from 1 to %d, or press esc to go back.\n", len(q.options))
			continue
		}
		*q.choice = q.options[n-1].Value
		fmt.Fprintln(out, "Chosen: "+flow.Visible(q.options[n-1].Key)+".")
		return nil
	}
}

func (q LineQuestion) askYesNo(r *lineReader, out io.Writer) error {
	def := "no"
	if *q.yes {
		def = "yes"
	}
	fmt.Fprintln(out, "Type y for yes or n for no and press enter (enter alone: "+def+"); esc goes back.")
	for {
		fmt.Fprint(out, "> ")
		line, err := r.readLine(false, nil)
		if err != nil {
			return err
		}
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "":
			return nil
		case "y", "yes":
			*q.yes = true
			return nil
		case "n", "no":
			*q.yes = false
			return nil
		}
		fmt.Fprintln(out, "Type y or n, or press esc to go back.")
	}
}

// lineReader reads typed lines byte by byte, so that esc, ctrl+c and
// ctrl+d act at once on a terminal in raw mode, and the same bytes from a
// pipe read the same way.
type lineReader struct {
	in      io.Reader
	out     io.Writer
	echo    bool
	pending []byte // read but not yet used: the next line's start
	skipLF  bool   // a \r ended the last line: a \n right after it is part of it
}

// next returns the next byte and whether it was the last one of what the
// terminal sent at once (a lone esc is a key, esc with more is a sequence).
func (r *lineReader) next() (b byte, last bool, err error) {
	if len(r.pending) == 0 {
		buf := make([]byte, 256)
		n, err := r.in.Read(buf)
		if n == 0 {
			if err == nil {
				err = io.ErrNoProgress
			}
			return 0, false, err
		}
		r.pending = buf[:n]
	}
	b, r.pending = r.pending[0], r.pending[1:]
	return b, len(r.pending) == 0, nil
}

// readLine reads one line; ErrLeft on esc, ctrl+c, ctrl+d on an empty
// line, or the end of input.
func (r *lineReader) readLine(secret bool, complete func(string) []string) (string, error) {
	var line []byte
	show := func(s string) {
		if r.echo && !secret {
			io.WriteString(r.out, s)
		}
	}
	for {
		b, last, err := r.next()
		if err != nil {
			return "", ErrLeft
		}
		if r.skipLF {
			r.skipLF = false
			if b == '\n' {
				continue
			}
		}
		switch {
		case b == '\r' || b == '\n':
			r.skipLF = b == '\r'
			if r.echo {
				io.WriteString(r.out, "\n")
			}
			return string(line), nil
		case b == 0x1b && last:
			return "", ErrLeft
		case b == 0x1b:
			r.skipSequence()
		case b == 0x03 || (b == 0x04 && len(line) == 0):
			return "", ErrLeft
		case b == 0x7f || b == 0x08:
			if len(line) > 0 {
				_, size := utf8.DecodeLastRune(line)
				line = line[:len(line)-size]
				show("\b \b")
			}
		case b == 0x15: // ctrl+u: start the line again
			show(strings.Repeat("\b \b", utf8.RuneCount(line)))
			line = line[:0]
		case b == '\t' && complete != nil:
			added := completion(string(line), complete(string(line)), r.out)
			line = append(line, added...)
			show(added)
		case b < 0x20:
			// Other control keys type nothing.
		default:
			line = append(line, b)
			if b < utf8.RuneSelf || utf8.FullRune(line[lastRuneStart(line):]) {
				show(string(line[lastRuneStart(line):]))
			}
		}
	}
}

// skipSequence drops the rest of an escape sequence (an arrow key, alt
// with a key) that a terminal sent at once.
func (r *lineReader) skipSequence() {
	if len(r.pending) == 0 {
		return
	}
	switch r.pending[0] {
	case '[', 'O':
		r.pending = r.pending[1:]
		for len(r.pending) > 0 {
			c := r.pending[0]
			r.pending = r.pending[1:]
			if c >= 0x40 && c <= 0x7e {
				return
			}
		}
	default:
		r.pending = r.pending[1:]
	}
}

// lastRuneStart is where the last (possibly unfinished) rune of b starts.
func lastRuneStart(b []byte) int {
	i := len(b) - 1
	for i > 0 && !utf8.RuneStart(b[i]) {
		i--
	}
	return max(i, 0)
}

// completion is what tab adds to typed: the longest common start of
// matches; with several and nothing to add, they are listed.
func completion(typed string, matches []string, out io.Writer) string {
	if len(matches) == 0 {
		return ""
	}
	prefix := matches[0]
	for _, m := range matches[1:] {
		for !strings.HasPrefix(m, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	if len(prefix) > len(typed) && strings.HasPrefix(prefix, typed) {
		return prefix[len(typed):]
	}
	if len(matches) > 1 {
		shown := make([]string, len(matches))
		for i, m := range matches {
			shown[i] = flow.Visible(m)
		}
		fmt.Fprintf(out, "\nIt may be: %s\n> %s", strings.Join(shown, ", "), flow.Visible(typed))
	}
	return ""
}

// crlfWriter ends lines with \r\n, as a terminal in raw mode needs.
type crlfWriter struct{ w io.Writer }

func (c crlfWriter) Write(p []byte) (int, error) {
	if _, err := c.w.Write([]byte(strings.ReplaceAll(string(p), "\n", "\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}
