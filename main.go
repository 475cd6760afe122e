// Command identoflow builds Identomat verification flows in the terminal,
// checks them, and turns them into sessions.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/api/journal"
	"github.com/identoflow/identoflow/api/sandbox"
	"github.com/identoflow/identoflow/export"
	"github.com/identoflow/identoflow/export/i18n"
	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/flow/diff"
	"github.com/identoflow/identoflow/tui"
)

// version is set at build time with -ldflags "-X main.version=..."; a
// `go install` build reports its module version instead.
var version = ""

func appVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// versionLine is what `identoflow version` prints after the name: the
// version and, for a build from a VCS checkout (go install or go build in
// a clone), the revision it was built from.
func versionLine() string {
	bi, _ := debug.ReadBuildInfo()
	return describeBuild(appVersion(), bi)
}

// describeBuild adds to version the VCS revision recorded in bi, if any,
// and whether the work tree had changes.
func describeBuild(version string, bi *debug.BuildInfo) string {
	if bi == nil {
		return version
	}
	var revision string
	var modified bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if revision == "" {
		return version
	}
	if modified {
		return version + " (revision " + revision + ", modified)"
	}
	return version + " (revision " + revision + ")"
}

// exitError carries a process exit code through cobra.
type exitError struct {
	code int
	err  error // nil: the command already said what went wrong
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErr marks an error in how the command was called (exit 2).
func usageErr(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

// argsInWords checks a command's number of arguments, min to max (max < 0:
// no limit; min is 0 or 1), and says in words what it takes, with a call
// that works, rather than cobra's "accepts 1 arg(s), received 0". arg
// names one argument ("FILE").
func argsInWords(min, max int, arg, try string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		n := len(args)
		var want string
		switch {
		case n < min && max < 0:
			want = "needs at least one " + arg
		case n < min:
			want = "needs a " + arg
		case max < 0 || n <= max:
			return nil
		case max == 0:
			want = "takes no arguments, but was given " + quoteArgs(args)
		case min == max:
			want = fmt.Sprintf("takes one %s, but was given %d: %s", arg, n, quoteArgs(args))
		default:
			want = fmt.Sprintf("takes at most one %s, but was given %d: %s", arg, n, quoteArgs(args))
		}
		name := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
		return usageErr("%s %s; try: %s", name, want, try)
	}
}

// quoteArgs lists arguments as Go-quoted strings, the first few only.
func quoteArgs(args []string) string {
	const shown = 3
	quoted := make([]string, 0, shown+1)
	for i, a := range args {
		if i == shown {
			quoted = append(quoted, "…")
			break
		}
		quoted = append(quoted, strconv.Quote(a))
	}
	return strings.Join(quoted, " ")
}

// flagError turns a flag error into a usage error; a key given as a flag
// is told why there is no such flag and what to use instead.
func flagError(cmd *cobra.Command, err error) error {
	var unknown *pflag.NotExistError
	if errors.As(err, &unknown) {
		name := unknown.GetSpecifiedName()
		const why = "a key typed on the command line is seen by other users in the process list and kept in the shell history"
		keyFile := cmd.Flags().Lookup("company-key-file") != nil
		switch {
		case name == "company-key" && keyFile:
			return usageErr("there is no --company-key flag: %s; set IDENTOMAT_COMPANY_KEY or pass --company-key-file FILE", why)
		case name == "company-key":
			return usageErr("there is no --company-key flag: %s; %s needs no key (begin, result, desk and the wizard read it from IDENTOMAT_COMPANY_KEY or --company-key-file FILE)", why, cmd.Name())
		case name == "secret-key" && cmd.Flags().Lookup("secret-key-file") != nil:
			return usageErr("there is no --secret-key flag: %s; set IDENTOMAT_SECRET_KEY or pass --secret-key-file FILE", why)
		case name == "secret-key" && keyFile:
			return usageErr("there is no --secret-key flag: %s; set IDENTOMAT_SECRET_KEY", why)
		case name == "accessible":
			return usageErr("%s has no --accessible flag: it is for the screens of the wizard, edit and desk; %s writes plain text", cmd.Name(), cmd.Name())
		}
	}
	return usageErr("%v", err)
}

// subcommandsOnly makes a command that only groups others say which ones
// it has when given anything else, rather than print its help and exit 0.
func subcommandsOnly(cmd *cobra.Command, names string) {
	cmd.Args = cobra.ArbitraryArgs
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usageErr("unknown command %q for %s; use %s", args[0], cmd.Name(), names)
		}
		return cmd.Help()
	}
}

// registerAccessible offers --accessible on a command with forms or
// screens (the wizard, edit, desk).
func registerAccessible(cmd *cobra.Command, accessible *bool) {
	cmd.Flags().BoolVar(accessible, "accessible", false, "screen-reader friendly forms (also ACCESSIBLE=1)")
}

// completeFlag makes the shell complete the flag's value from choices
// ("value\tdescription"); with none, it completes nothing (no file names).
func completeFlag(cmd *cobra.Command, name string, choices ...string) {
	if err := cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(choices, cobra.ShellCompDirectiveNoFileComp)); err != nil {
		panic(err) // a flag that does not exist: a programming error
	}
}

// completeFlowFiles completes the arguments of a command that takes up to
// max (max < 0: any number) flow files with the names of .json files.
func completeFlowFiles(max int) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if max >= 0 && len(args) >= max {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return []cobra.Completion{"json"}, cobra.ShellCompDirectiveFilterFileExt
	}
}

// completeRootArgs completes `identoflow …`: the commands (cobra lists
// them), or a .json file to open when no command starts with what is typed.
func completeRootArgs(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	for _, sub := range cmd.Commands() {
		if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
	}
	return []cobra.Completion{"json"}, cobra.ShellCompDirectiveFilterFileExt
}

// completeTemplateNames completes `templates NAME` with the built-in flows.
func completeTemplateNames(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var names []cobra.Completion
	for _, t := range flow.Templates() {
		names = append(names, cobra.CompletionWithDesc(t.Name, t.Description))
	}
	return names, cobra.ShellCompDirectiveNoFileComp
}

// shownSafely refuses a base URL that holds characters a terminal would
// act on (C1 controls, bidirectional overrides): it is printed in the
// widget URL, the dry run and the exports.
func shownSafely(baseURL string) error {
	if flow.Visible(baseURL) != baseURL {
		return fmt.Errorf("base URL %s holds control or bidirectional-formatting characters", flow.Visible(baseURL))
	}
	return nil
}

// The exit codes of `result --exit-status`.
const (
	resultRejected    = 1
	resultManualCheck = 3
	resultNotFinished = 4
	resultUnknown     = 5 // the request failed: no outcome to report
)

// outcomeExitCode is the exit code of `result --exit-status` for an outcome.
func outcomeExitCode(o api.Outcome) int {
	switch o {
	case api.OutcomeApproved:
		return 0
	case api.OutcomeRejected:
		return resultRejected
	case api.OutcomeManualCheck:
		return resultManualCheck
	default:
		return resultNotFinished
	}
}

// env holds the process's streams and environment so commands can be
// tested in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	terminal       func(io.Writer) bool // nil: the real check
}

func main() {
	os.Exit(run(os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}))
}

func run(args []string, e env) int {
	root := newRootCmd(e)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(e.stderr, "identoflow:", flow.Visible(ee.err.Error()))
		}
		return ee.code
	}
	// Cobra's own errors are about flags and arguments. Messages name
	// files, arguments and servers' texts: shown, never acted on.
	fmt.Fprintln(e.stderr, "identoflow:", flow.Visible(err.Error()))
	return 2
}

func newRootCmd(e env) *cobra.Command {
	root := &cobra.Command{
		Use:           "identoflow",
		Short:         "Build, check and launch Identomat verification flows",
		Long:          "identoflow builds Identomat identity-verification flows interactively, checks them,\nsaves them as JSON, creates sessions and hands them to a phone with a QR code.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       versionLine(),

		SuggestionsMinimumDistance: 2,
	}
	root.SetVersionTemplate("identoflow {{.Version}}\n") // as `identoflow version` prints it
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetFlagErrorFunc(flagError)
	var accessible bool
	var sf sessionFlags
	var jf journalFlags
	// Only the commands with forms and screens take --accessible.
	registerAccessible(root, &accessible)
	wizard := func(cmd *cobra.Command, file string) error {
		if err := jf.check(e); err != nil {
			return err
		}
		if err := e.needTerminal(); err != nil {
			return err
		}
		lc, err := launchConfig(e, cmd, sf, "")
		if err != nil {
			return err
		}
		j := jf.openForScreens(cmd.Context(), e, &lc)
		if j != nil {
			defer j.Close() // after the launcher's Close (deferred later, run first)
		}
		launcher := tui.NewLauncher(lc)
		defer launcher.Close()
		return tui.Run(cmd.Context(), tui.RunOptions{
			Options: tui.Options{
				Store:      tui.DefaultStore(e.getenv),
				Accessible: accessible || e.getenv("ACCESSIBLE") != "",
				NoColor:    e.getenv("NO_COLOR") != "",
				Getenv:     e.getenv,
				Launcher:   launcher,
			},
			File: file,
		})
	}
	sf.registerLaunch(root)
	jf.register(root, true)
	root.ValidArgsFunction = completeRootArgs
	// `identoflow flow.json` is taken as `identoflow edit flow.json`;
	// anything else is an unknown command, with cobra's suggestions.
	root.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 || (len(args) == 1 && strings.HasSuffix(args[0], ".json")) {
			return nil
		}
		msg := fmt.Sprintf("unknown command %q", args[0])
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			msg += fmt.Sprintf(" (did you mean %q?)", s[0])
		}
		return usageErr("%s; see identoflow --help", msg)
	}
	root.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 1 {
			return wizard(cmd, args[0])
		}
		return wizard(cmd, "")
	}
	edit := &cobra.Command{
		Use:   "edit FILE",
		Short: "Open FILE in the wizard (created when you save if it does not exist)",
		Args:  argsInWords(1, 1, "FILE", "identoflow edit flow.json"),
		RunE:  func(cmd *cobra.Command, args []string) error { return wizard(cmd, args[0]) },
	}
	edit.ValidArgsFunction = completeFlowFiles(1)
	sf.registerLaunch(edit)
	jf.register(edit, true)
	registerAccessible(edit, &accessible)
	root.AddCommand(edit)
	root.AddCommand(newDeskCmd(e, &accessible))
	root.AddCommand(
		newValidateCmd(e),
		newExportCmd(e),
		newSchemaCmd(e),
		newTemplatesCmd(e),
		newVersionCmd(e),
		newBeginCmd(e),
		newResultCmd(e),
		newSandboxCmd(e),
		newDiffCmd(e),
		newFmtCmd(e),
	)
	// Cobra's completion command, added now so that its shell
	// subcommands say what they take as the others do.
	root.InitDefaultCompletionCmd()
	if completion, _, err := root.Find([]string{"completion"}); err == nil && completion != root {
		subcommandsOnly(completion, "bash, zsh, fish or powershell")
		for _, shell := range completion.Commands() {
			shell.Args = argsInWords(0, 0, "", "identoflow completion "+shell.Name())
		}
	}
	root.AddCommand(newJournalCmd(e))
	root.AddCommand(newI18nCmd(e))
	return root
}

// readConfig reads a config file ("-" is standard input). Errors here mean
// the file cannot be read at all (exit 2); they do not repeat the name.
func readConfig(e env, name string) ([]byte, error) {
	if name == "-" {
		return flow.ReadAll(e.stdin)
	}
	f, err := os.Open(name)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, errors.New("no such file")
		case errors.Is(err, fs.ErrPermission):
			return nil, errors.New("permission denied")
		}
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, errors.New("is a directory, not a config file")
	}
	return flow.ReadAll(f)
}

func displayName(name string) string {
	if name == "-" {
		return "<stdin>"
	}
	return name
}

// useColor reports whether w is a terminal that wants colour.
func useColor(e env, w io.Writer) bool {
	return e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb" && e.isTerminal(w)
}

// needTerminal refuses to start a full-screen program without a terminal
// on both ends.
func (e env) needTerminal() error {
	in, ok := e.stdin.(*os.File)
	if !ok || !e.isTerminal(e.stdout) || !term.IsTerminal(in.Fd()) {
		return usageErr("the wizard and desk mode need an interactive terminal; in scripts use validate, export or begin")
	}
	return nil
}

// terminalSize is the size of the terminal w is, 80×24 when it cannot be
// read; ok is false when w is not a terminal.
func (e env) terminalSize(w io.Writer) (cols, rows int, ok bool) {
	if !e.isTerminal(w) {
		return 0, 0, false
	}
	if f, isFile := w.(*os.File); isFile {
		if cols, rows, err := term.GetSize(f.Fd()); err == nil && cols > 0 && rows > 0 {
			return cols, rows, true
		}
	}
	return 80, 24, true
}

// isTerminal reports whether w is a terminal; tests replace it.
func (e env) isTerminal(w io.Writer) bool {
	if e.terminal != nil {
		return e.terminal(w)
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

func newValidateCmd(e env) *cobra.Command {
	var format, severity string
	var strict, quiet bool
	cmd := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check configs against the rules (exit 0 valid, 1 errors, 2 unreadable)",
		Example: "  identoflow validate flow.json\n" +
			"  identoflow validate --strict --format json flows/*.json\n" +
			"  identoflow validate --format github flows/*.json   # annotations in GitHub Actions\n" +
			"  identoflow validate --format sarif flows/*.json > identoflow.sarif\n" +
			"  cat flow.json | identoflow validate -",
		Args:              argsInWords(1, -1, "FILE", "identoflow validate flow.json"),
		ValidArgsFunction: completeFlowFiles(-1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains([]string{"text", "json", "github", "sarif"}, format) {
				return usageErr("--format must be text, json, github or sarif, not %q", format)
			}
			least := flow.SevInfo
			switch {
			case quiet && cmd.Flags().Changed("severity"):
				return usageErr("--quiet and --severity do not go together: --quiet is --severity warning")
			case quiet:
				least = flow.SevWarning
			case severity == "error" || severity == "warning" || severity == "info":
				least = flow.Severity(severity)
			default:
				return usageErr("--severity must be error, warning or info, not %q", severity)
			}
			if n := slices.Index(args, "-"); n >= 0 && slices.Contains(args[n+1:], "-") {
				return usageErr("standard input (-) can be read only once")
			}
			var reports []export.FileReport
			code := 0
			for _, name := range args {
				data, err := readConfig(e, name)
				var c *flow.Config
				var diags flow.Diagnostics
				if err == nil {
					c, diags, err = flow.Check(data)
				}
				if err != nil { // unreadable, or too large to read
					reports = append(reports, export.FileReport{File: displayName(name), Error: err.Error(), Diagnostics: flow.Diagnostics{}})
					code = 2
					continue
				}
				diags.Locate(data, c)
				r := export.NewFileReport(displayName(name), diags, strict)
				if !r.Valid && code == 0 {
					code = 1
				}
				reports = append(reports, r.AtLeast(least))
			}
			var err error
			switch format {
			case "json":
				err = export.WriteJSONReport(e.stdout, reports)
			case "github":
				err = export.WriteGitHubAnnotations(e.stdout, reports)
			case "sarif":
				err = export.WriteSARIF(e.stdout, reports, appVersion())
			default:
				err = export.WriteTextReport(e.stdout, reports, useColor(e, e.stdout))
			}
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			if code != 0 {
				return &exitError{code: code}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json, github (workflow annotations) or sarif (SARIF 2.1.0)")
	cmd.Flags().BoolVar(&strict, "strict", false, "treat warnings as failures")
	completeFlag(cmd, "format", "text\tone line per problem", "json\tfor programs", "github\tworkflow annotations", "sarif\tSARIF 2.1.0 for code scanning")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "hide infos (the same as --severity warning)")
	cmd.Flags().StringVar(&severity, "severity", "info", "show only diagnostics of this severity or worse: error, warning or info")
	completeFlag(cmd, "severity", "error", "warning", "info")
	return cmd
}

// loadValid reads and validates a config for commands that send or export
// it: errors are refused, listed as validate lists them (warnings after
// them); warnings pass, with a line on stderr saying how many there are.
func loadValid(e env, name string) (*flow.Config, error) {
	return loadValidWith(e, name, nil)
}

// loadValidWith is loadValid on the config as changed by adjust (overrides
// from the command line, like --config-id), so that it is the config to be
// sent that is judged: a file without steps is fine with a config ID.
func loadValidWith(e env, name string, adjust func(*flow.Config)) (*flow.Config, error) {
	data, err := readConfig(e, name)
	if err != nil {
		return nil, &exitError{code: 2, err: fmt.Errorf("%s: %w", displayName(name), err)}
	}
	c, diags, err := flow.CheckAdjusted(data, adjust)
	if err != nil {
		return nil, &exitError{code: 2, err: fmt.Errorf("%s: %w", displayName(name), err)}
	}
	diags.Locate(data, c)
	problems := export.NewFileReport(displayName(name), diags, false).AtLeast(flow.SevWarning).Diagnostics
	switch {
	case problems.HasErrors():
		_ = export.WriteProblems(e.stderr, displayName(name), problems, useColor(e, e.stderr))
		return nil, &exitError{code: 1, err: fmt.Errorf("%s has %s; fix the errors first", displayName(name), export.SeverityCounts(problems))}
	case len(problems) > 0:
		fmt.Fprintf(e.stderr, "%s has %s (not blocking; identoflow validate lists them)\n",
			flow.Visible(displayName(name)), export.SeverityCounts(problems))
	}
	return c, nil
}

func baseURL(e env, flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := e.getenv("IDENTOMAT_BASE_URL"); v != "" {
		return v
	}
	return api.DefaultBaseURL
}

func newExportCmd(e env) *cobra.Command {
	var as, base string
	cmd := &cobra.Command{
		Use:   "export [FILE] --as payload|curl|iframe|schema",
		Short: "Print a config as a begin/ payload, a cURL command, an iframe snippet, or the JSON Schema",
		Example: "  identoflow export flow.json --as payload\n" +
			"  IDENTOMAT_COMPANY_KEY=... sh -c \"$(identoflow export flow.json --as curl)\"\n" +
			"  identoflow export flow.json --as iframe > widget.html\n" +
			"  identoflow export --as schema > identoflow.schema.json",
		Args:              argsInWords(0, 1, "FILE", "identoflow export flow.json --as payload"),
		ValidArgsFunction: completeFlowFiles(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if as == "schema" {
				// The schema is the same for every config; a FILE named
				// must still exist, so that a typo is not passed over.
				if len(args) > 0 {
					if _, err := readConfig(e, args[0]); err != nil {
						return &exitError{code: 2, err: fmt.Errorf("%s: %w", displayName(args[0]), err)}
					}
					fmt.Fprintf(e.stderr, "identoflow: note: %s is not used with --as schema: the schema is the same for every config\n", flow.Visible(displayName(args[0])))
				}
				_, err := e.stdout.Write(export.Schema())
				return err
			}
			if len(args) == 0 {
				return usageErr("export needs the FILE to export (--as %s)", as)
			}
			if as != "payload" && as != "curl" && as != "iframe" {
				return usageErr("--as must be payload, curl, iframe or schema, not %q", as)
			}
			var vendor string // the base URL, for the outputs that name it
			if as != "payload" {
				v, err := api.NormalizeBaseURL(baseURL(e, base))
				if err == nil {
					err = shownSafely(v)
				}
				if err != nil {
					return usageErr("%v", err)
				}
				vendor = v
			}
			c, err := loadValid(e, args[0])
			if err != nil {
				return err
			}
			var out string
			switch as {
			case "payload":
				out = string(export.Payload(c))
			case "curl":
				out = export.Curl(c, vendor)
			case "iframe":
				out = export.Iframe(c, vendor)
			}
			if !strings.HasSuffix(out, "\n") {
				out += "\n"
			}
			_, err = io.WriteString(e.stdout, out)
			return err
		},
	}
	cmd.Flags().StringVar(&as, "as", "payload", "payload, curl, iframe or schema (schema needs no FILE)")
	cmd.Flags().StringVar(&base, "base-url", "", "vendor base URL (default $IDENTOMAT_BASE_URL or "+api.DefaultBaseURL+")")
	completeFlag(cmd, "as", "payload\tthe begin/ request body", "curl\ta shell command that sends it",
		"iframe\tan HTML snippet embedding the widget", "schema\tthe JSON Schema of the config file")
	completeFlag(cmd, "base-url")
	return cmd
}

func newSchemaCmd(e env) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema (draft 2020-12) of the config file",
		Args:  argsInWords(0, 0, "", "identoflow schema > identoflow.schema.json"),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := e.stdout.Write(export.Schema())
			return err
		},
	}
}

func newTemplatesCmd(e env) *cobra.Command {
	return &cobra.Command{
		Use:               "templates [NAME]",
		Short:             "List the built-in flows, or print one as a config",
		Example:           "  identoflow templates\n  identoflow templates basic-kyc > flow.json",
		Args:              argsInWords(0, 1, "NAME", "identoflow templates basic-kyc"),
		ValidArgsFunction: completeTemplateNames,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				c, err := flow.TemplateConfig(args[0])
				if err != nil {
					return usageErr("%v", err)
				}
				_, err = e.stdout.Write(c.Bytes())
				return err
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			for _, t := range flow.Templates() {
				fmt.Fprintf(tw, "%s\t%s\n", t.Name, t.Description)
			}
			return tw.Flush()
		},
	}
}

func newVersionCmd(e env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version (and the VCS revision of a build from source)",
		Args:  argsInWords(0, 0, "", "identoflow version"),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprintln(e.stdout, "identoflow", versionLine())
			return err
		},
	}
}

// credentials reads the company key (IDENTOMAT_COMPANY_KEY or a key file)
// and the optional HMAC secret (IDENTOMAT_SECRET_KEY). Keys are never
// taken from the command line, where other users can see them.
func credentials(e env, keyFile string) (companyKey, secretKey string, err error) {
	companyKey = e.getenv("IDENTOMAT_COMPANY_KEY")
	if keyFile != "" {
		if companyKey, err = readKeyFile(keyFile, "company key"); err != nil {
			return "", "", err
		}
	}
	return strings.TrimSpace(companyKey), strings.TrimSpace(e.getenv("IDENTOMAT_SECRET_KEY")), nil
}

// maxKeyFileSize bounds what is read from a key file: keys are tens of
// characters, and a wrong path (a disk image, /dev/zero) must not be read
// whole into memory.
const maxKeyFileSize = 4 << 10

// readKeyFile reads a key kept in a file (what names it in errors); an
// unreadable, empty or oversized file is a usage error.
func readKeyFile(path, what string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", usageErr("reading the %s file %s: %v", what, path, errors.Unwrap(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return "", usageErr("reading the %s file %s: %v", what, path, errors.Unwrap(err))
	}
	if len(data) > maxKeyFileSize {
		return "", usageErr("the %s file %s is larger than %d KiB; a key file holds only the key", what, path, maxKeyFileSize>>10)
	}
	key := strings.TrimSpace(string(data))
	if key == "" {
		return "", usageErr("the %s file %s is empty", what, path)
	}
	return key, nil
}

var errNoKey = errors.New("no company key: set IDENTOMAT_COMPANY_KEY or pass --company-key-file " +
	"(no account? run `identoflow sandbox` and point IDENTOMAT_BASE_URL at it)")

// sessionFlags are the flags begin and result share.
type sessionFlags struct {
	baseURL   string
	keyFile   string
	timeout   time.Duration
	publicURL string // the wizard's and desk's built-in sandbox behind a tunnel
}

func (f *sessionFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.baseURL, "base-url", "", "vendor base URL (default $IDENTOMAT_BASE_URL or "+api.DefaultBaseURL+")")
	cmd.Flags().StringVar(&f.keyFile, "company-key-file", "", "read the company key from this file instead of $IDENTOMAT_COMPANY_KEY")
	cmd.Flags().DurationVar(&f.timeout, "timeout", api.DefaultTimeout, "timeout of each request")
	completeFlag(cmd, "base-url")
	completeFlag(cmd, "timeout")
}

// registerLaunch offers the session flags to a command with screens (the
// wizard, edit, desk).
func (f *sessionFlags) registerLaunch(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.baseURL, "base-url", "", "vendor base URL for launching sessions (default $IDENTOMAT_BASE_URL; none: the built-in sandbox is offered)")
	cmd.Flags().StringVar(&f.keyFile, "company-key-file", "", "read the company key from this file instead of $IDENTOMAT_COMPANY_KEY")
	f.registerPublicURL(cmd)
	completeFlag(cmd, "base-url")
}

// registerPublicURL offers --public-url for the built-in sandbox of the
// wizard and desk mode.
func (f *sessionFlags) registerPublicURL(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.publicURL, "public-url", "", "the URL the built-in sandbox's links carry behind a tunnel or reverse proxy pointed at http://"+sandbox.DefaultAddr+" (default $IDENTOFLOW_PUBLIC_URL)")
}

// checkedPublicURL is the sandbox's public URL: --public-url's value when
// given on cmd (an empty one turns it off), else IDENTOFLOW_PUBLIC_URL;
// checked, "" when neither is set.
func checkedPublicURL(e env, cmd *cobra.Command, flag string) (string, error) {
	raw, from := flag, "--public-url"
	if !cmd.Flags().Changed("public-url") {
		raw, from = e.getenv("IDENTOFLOW_PUBLIC_URL"), "IDENTOFLOW_PUBLIC_URL"
	}
	if strings.TrimSpace(raw) == "" {
		return "", nil
	}
	u, err := sandbox.CheckPublicURL(raw)
	if err != nil {
		return "", usageErr("%s: %v", from, err)
	}
	return u, nil
}

// launchConfig gathers what the wizard and desk mode need to create
// sessions. With no key and no base URL they offer the built-in sandbox.
func launchConfig(e env, cmd *cobra.Command, f sessionFlags, configID string) (tui.LaunchConfig, error) {
	key, secret, err := credentials(e, f.keyFile)
	if err != nil {
		return tui.LaunchConfig{}, err
	}
	base := f.baseURL
	if base == "" {
		base = e.getenv("IDENTOMAT_BASE_URL")
	}
	if err := shownSafely(base); err != nil {
		return tui.LaunchConfig{}, usageErr("%v", err)
	}
	public, err := checkedPublicURL(e, cmd, f.publicURL)
	if err != nil {
		return tui.LaunchConfig{}, err
	}
	return tui.LaunchConfig{CompanyKey: key, SecretKey: secret, BaseURL: base, ConfigID: configID, Version: appVersion(), PublicURL: public}, nil
}

func newDeskCmd(e env, accessible *bool) *cobra.Command {
	var configID string
	var f sessionFlags
	var jf journalFlags
	var quiet, lan bool
	var lockAfter time.Duration
	cmd := &cobra.Command{
		Use:   "desk [FILE]",
		Short: "Desk mode: create a session per customer and hand it over with a QR code",
		Long: "Desk mode: create a session per customer and hand it over with a QR code.\n\n" +
			"With no company key and no base URL, sessions go to the built-in sandbox,\n" +
			"which only this computer can open. --lan (or ctrl+p on the desk) serves\n" +
			"phones on this network instead: the sandbox listens on every interface, and\n" +
			"its links and QR codes carry this machine's LAN address. Behind a tunnel,\n" +
			"--public-url is the URL they carry, the tunnel pointing at\n" +
			"http://" + sandbox.DefaultAddr + ".",
		Example: "  identoflow desk flow.json\n" +
			"  identoflow desk --lan                                   # phones on this network\n" +
			"  identoflow desk --public-url https://abc.ngrok.app      # behind a tunnel\n" +
			"  identoflow desk --config-id 687e0ba12cf633bd323cb0db",
		Args:              argsInWords(0, 1, "FILE", "identoflow desk flow.json"),
		ValidArgsFunction: completeFlowFiles(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("config-id") && strings.TrimSpace(configID) == "" {
				return usageErr("--config-id is empty; give the saved configuration's ID or leave the flag out")
			}
			if lockAfter < 0 {
				return usageErr("--lock-after %v is negative; give a duration such as 5m, or 0 to never lock", lockAfter)
			}
			if err := jf.check(e); err != nil {
				return err
			}
			opts := tui.DeskOptions{}
			if len(args) == 1 {
				if args[0] == "-" {
					return usageErr("desk mode reads keys from the terminal, so its flow cannot come from standard input; give a file")
				}
				// Read and checked once, here, with the errors listed.
				c, err := loadValidWith(e, args[0], func(c *flow.Config) {
					if configID != "" {
						c.SetString("config_id", configID)
					}
				})
				if err != nil {
					return err
				}
				opts.File, opts.Config = args[0], c
			}
			lc, err := launchConfig(e, cmd, f, configID)
			if err != nil {
				return err
			}
			if lan {
				switch {
				case lc.PublicURL != "":
					return usageErr("--lan and a public URL (--public-url or IDENTOFLOW_PUBLIC_URL) both say how phones reach the sandbox; give one")
				case lc.CompanyKey != "" || lc.BaseURL != "":
					return usageErr("--lan is for the built-in sandbox, but a company key or base URL is configured, so sessions go to that server")
				}
			}
			if err := e.needTerminal(); err != nil {
				return err
			}
			lc.FlowFile, lc.Quiet, lc.LockAfter, lc.SandboxLAN = opts.File, quiet, lockAfter, lan
			if j := jf.openForScreens(cmd.Context(), e, &lc); j != nil {
				defer j.Close() // RunDesk has closed the launcher by then
			}
			opts.LaunchConfig = lc
			file := opts.File
			if file == "" && configID == "" {
				// Nothing named: start at once with the basic KYC flow, so a
				// fresh machine can try desk mode on the sandbox.
				c, err := flow.TemplateConfig("basic-kyc")
				if err != nil {
					return err
				}
				opts.Config, opts.Name = c, "basic-kyc (built-in; pass a FILE to use your own)"
			}
			opts.Accessible = *accessible || e.getenv("ACCESSIBLE") != ""
			opts.NoColor = e.getenv("NO_COLOR") != ""
			if err := tui.RunDesk(cmd.Context(), opts); err != nil {
				return &exitError{code: 1, err: err}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&configID, "config-id", "", "use this saved dashboard configuration (with FILE: its steps replace the saved ones of the same key)")
	f.registerLaunch(cmd)
	jf.register(cmd, true)
	cmd.Flags().BoolVar(&lan, "lan", false, "the built-in sandbox serves phones on this network: it listens on every interface, links carry this machine's LAN address")
	cmd.Flags().BoolVar(&quiet, "quiet", false, "no terminal bell when a session finishes")
	cmd.Flags().DurationVar(&lockAfter, "lock-after", 0, "lock the desk after this long without a key press (5m, …), hiding names and the QR code; 0: never")
	registerAccessible(cmd, accessible)
	completeFlag(cmd, "config-id")
	completeFlag(cmd, "lock-after")
	return cmd
}

func (f *sessionFlags) client(e env, allowNoKey bool) (*api.Client, error) {
	key, secret, err := credentials(e, f.keyFile)
	if err != nil {
		return nil, err
	}
	if key == "" {
		if !allowNoKey {
			return nil, &exitError{code: 2, err: errNoKey}
		}
		key = export.KeyPlaceholder // a dry run shows the request without a key
	}
	c, err := api.New(api.Options{
		BaseURL: baseURL(e, f.baseURL), CompanyKey: key, SecretKey: secret, Timeout: f.timeout, Version: appVersion(),
		OnRetry: func(wait time.Duration, err error) {
			fmt.Fprintf(e.stderr, "identoflow: %s; trying again in %v\n", flow.Visible(err.Error()), wait.Round(100*time.Millisecond))
		},
	})
	if err == nil {
		err = shownSafely(c.BaseURL())
	}
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return c, nil
}

func newBeginCmd(e env) *cobra.Command {
	var sf sessionFlags
	var jf journalFlags
	var configID, encoding, qrStyle string
	var asJSON, dryRun, noQR bool
	cmd := &cobra.Command{
		Use:   "begin FILE",
		Short: "Create a session from a config and print its token, URL, expiry and a QR code",
		Example: "  IDENTOMAT_COMPANY_KEY=... identoflow begin flow.json\n" +
			"  identoflow begin flow.json --json\n" +
			"  identoflow begin flow.json --dry-run --encoding form",
		Args:              argsInWords(1, 1, "FILE", "identoflow begin flow.json"),
		ValidArgsFunction: completeFlowFiles(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			enc, err := api.ParseEncoding(encoding)
			if err != nil {
				return usageErr("%v", err)
			}
			if asJSON && dryRun {
				return usageErr("--json and --dry-run do not go together: a dry run prints the request, not a session")
			}
			if cmd.Flags().Changed("config-id") && strings.TrimSpace(configID) == "" {
				return usageErr("--config-id is empty; give the saved configuration's ID or leave the flag out")
			}
			style := export.QRHalf
			switch qrStyle {
			case "half":
			case "full":
				style = export.QRFull
			default:
				return usageErr("--qr-style must be half or full, not %q", qrStyle)
			}
			var setConfigID func(*flow.Config)
			if configID != "" {
				setConfigID = func(c *flow.Config) { c.SetString("config_id", configID) }
			}
			c, err := loadValidWith(e, args[0], setConfigID)
			if err != nil {
				return err
			}
			if err := jf.check(e); err != nil {
				return err
			}
			client, err := sf.client(e, dryRun)
			if err != nil {
				return err
			}
			body := c.RequestBody()
			if dryRun {
				req, err := client.BuildBeginRequest(body, enc)
				if err != nil {
					return &exitError{code: 1, err: err}
				}
				_, err = fmt.Fprintln(e.stdout, req.Redacted())
				return err
			}
			sess, err := client.Begin(cmd.Context(), body, enc)
			if err != nil {
				return &exitError{code: 1, err: err}
			}
			flowFile := args[0]
			if flowFile == "-" {
				flowFile = ""
			}
			// Recorded before anything is shown, so a crash loses nothing
			// the customer may already have scanned.
			jf.record(cmd.Context(), e, journal.NewSession{
				Token: sess.Token, URL: sess.URL, Server: client.BaseURL(), Source: "begin", FlowFile: flowFile,
				Payload: body, ConfigID: c.String("config_id"), Customer: c.String("name"), ClientUserID: c.String("clientUserId"),
				StartedAt: sess.ExpiresAt.Add(-api.TokenLifetime), ExpiresAt: sess.ExpiresAt,
			})
			if asJSON {
				return flow.WriteJSON(e.stdout, struct {
					Token     string `json:"session_token"`
					URL       string `json:"url"`
					ExpiresAt string `json:"expires_at"`
				}{sess.Token, sess.URL, sess.ExpiresAt.UTC().Format(time.RFC3339)})
			}
			lines := export.SessionLines(sess.Token, sess.URL, sess.ExpiresAt)
			if noQR || !printWithQR(e, lines, sess.URL, phoneNote(sess.URL), style) {
				fmt.Fprintln(e.stdout, strings.Join(lines, "\n"))
			}
			return nil
		},
	}
	sf.register(cmd)
	jf.register(cmd, true)
	cmd.Flags().StringVar(&configID, "config-id", "", "use this saved dashboard configuration (the file's steps replace its steps of the same key)")
	cmd.Flags().StringVar(&encoding, "encoding", "json", "request encoding: json, form, query or multipart")
	cmd.Flags().BoolVar(&asJSON, "json", false, `print only {"session_token","url","expires_at"}`)
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the exact request (secrets redacted) and send nothing")
	cmd.Flags().BoolVar(&noQR, "no-qr", false, "do not draw the QR code")
	cmd.Flags().StringVar(&qrStyle, "qr-style", "half", "QR drawing: half (half blocks) or full (full blocks)")
	var encodings []string
	for _, enc := range api.Encodings() {
		encodings = append(encodings, enc.String())
	}
	completeFlag(cmd, "encoding", encodings...)
	completeFlag(cmd, "qr-style", "half\ttwo module rows per line", "full\tone module row per line, for fonts that draw half blocks badly")
	completeFlag(cmd, "config-id")
	return cmd
}

// phoneNote is what to tell an operator about to scan a link a phone
// cannot open (its host is this machine: localhost or a loopback
// address), or "".
func phoneNote(link string) string {
	host, loopback := sandbox.LoopbackLink(link)
	if !loopback {
		return ""
	}
	// One row of an 80-column terminal.
	return "A phone cannot open " + flow.Visible(host) + ": use sandbox --lan's address or its --public-url."
}

// printWithQR prints the session's lines and note (if any) with a QR
// code sized to the terminal, when standard output is one (see
// export.SessionWithQR); it reports whether it printed.
func printWithQR(e env, lines []string, url, note string, style export.QRStyle) bool {
	f, ok := e.stdout.(*os.File)
	w, h, isTerminal := e.terminalSize(e.stdout)
	if !ok || !isTerminal {
		return false
	}
	opt := export.QROptions{Style: style}
	if e.getenv("NO_COLOR") != "" {
		// Without colours the drawing must follow the terminal's theme.
		opt.Plain = true
		if in, ok := e.stdin.(*os.File); ok {
			opt.LightBackground = !lipgloss.HasDarkBackground(in, f)
		} // else: taken as dark, the common theme
	}
	fmt.Fprint(e.stdout, export.SessionWithQR(lines, url, note, opt, w, h))
	return true
}

func newResultCmd(e env) *cobra.Command {
	var sf sessionFlags
	var jf journalFlags
	var asJSON, exitStatus bool
	cmd := &cobra.Command{
		Use:   "result TOKEN",
		Short: "Fetch a session's result",
		Example: "  identoflow result 47fjzxvvzapi4ztasth3c2ozfucli3l0qx13hisc\n  identoflow result TOKEN --json\n" +
			"  identoflow result TOKEN --exit-status   # 0 approved, 1 rejected, 3 manual check, 4 not finished",
		Args:              argsInWords(1, 1, "session TOKEN", "identoflow result TOKEN (the token begin printed)"),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !api.ValidToken(args[0]) {
				return usageErr("%q is not a session token (begin prints it: letters and digits)", args[0])
			}
			if err := jf.check(e); err != nil {
				return err
			}
			client, err := sf.client(e, false)
			if err != nil {
				return err
			}
			res, err := client.Result(cmd.Context(), args[0])
			if err != nil {
				if exitStatus {
					return &exitError{code: resultUnknown, err: err}
				}
				return &exitError{code: 1, err: err}
			}
			jf.update(cmd.Context(), e, args[0], res)
			// The answer is printed as the server sent it, less any
			// credential it echoes back and with what a terminal would act
			// on escaped.
			if asJSON {
				raw := client.Redact(strings.TrimSpace(string(res.Raw)))
				_, err = fmt.Fprintf(e.stdout, "%s\n", flow.EscapeJSON([]byte(raw)))
			} else {
				_, err = fmt.Fprintln(e.stdout, flow.Visible(client.Redact(res.Label())))
				if res.Name != "" && err == nil {
					_, err = fmt.Fprintln(e.stdout, "name:", flow.Visible(client.Redact(res.Name)))
				}
			}
			if err != nil || !exitStatus {
				return err
			}
			if code := outcomeExitCode(res.Outcome()); code != 0 {
				return &exitError{code: code}
			}
			return nil
		},
	}
	sf.register(cmd)
	jf.register(cmd, true)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the server's JSON answer")
	cmd.Flags().BoolVar(&exitStatus, "exit-status", false,
		"exit with the outcome: 0 approved, 1 rejected, 3 manual check, 4 not finished (5: no result could be fetched)")
	return cmd
}

func newSandboxCmd(e env) *cobra.Command {
	var addr, pinnedKey, secretFile, publicURL string
	var allowRemote, lan bool
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run the offline emulator of the vendor API (begin/, result/ and the customer's pages)",
		Example: "  identoflow sandbox\n" +
			"  IDENTOMAT_BASE_URL=http://127.0.0.1:8790 IDENTOMAT_COMPANY_KEY=test identoflow begin flow.json\n" +
			"  identoflow sandbox --lan                                  # phones on this network\n" +
			"  identoflow sandbox --public-url https://abc.ngrok.app     # behind a tunnel",
		Args: argsInWords(0, 0, "", "identoflow sandbox --lan"),
		RunE: func(cmd *cobra.Command, args []string) error {
			secret := strings.TrimSpace(e.getenv("IDENTOMAT_SECRET_KEY"))
			if secretFile != "" {
				var err error
				if secret, err = readKeyFile(secretFile, "secret key"); err != nil {
					return err
				}
			}
			host, port, err := net.SplitHostPort(addr)
			if err != nil {
				return usageErr("--addr %q is not host:port (e.g. %s)", addr, sandbox.DefaultAddr)
			}
			if publicURL, err = checkedPublicURL(e, cmd, publicURL); err != nil {
				return err
			}
			if lan && cmd.Flags().Changed("addr") && !sandbox.EveryInterface(host) {
				return usageErr("--lan listens on every interface: give --addr as :PORT (e.g. :%s)", port)
			}
			logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
			srv := sandbox.New(sandbox.Options{CompanyKey: pinnedKey, SecretKey: secret, Logger: logger, PublicURL: publicURL})
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if lan {
				return serveSandboxLAN(ctx, e, srv, ":"+port, pinnedKey)
			}
			if publicURL != "" {
				fmt.Fprintf(e.stdout, "Session links carry %s: point the tunnel at http://%s.\nCreate sessions through it: %s\n",
					publicURL, addr, sandboxBeginHint(publicURL, pinnedKey))
			}
			if err := srv.ListenAndServe(ctx, addr, allowRemote); err != nil {
				var nonLoopback *sandbox.NonLoopbackError
				if errors.As(err, &nonLoopback) {
					return &exitError{code: 2, err: fmt.Errorf("sandbox: %w", err)}
				}
				return &exitError{code: 1, err: fmt.Errorf("sandbox: %w", err)}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", sandbox.DefaultAddr, "address to listen on (loopback unless --allow-non-loopback)")
	cmd.Flags().StringVar(&pinnedKey, "company-key", "", "accept only this test key (default: any non-empty key)")
	cmd.Flags().StringVar(&secretFile, "secret-key-file", "", "check and sign HMAC signatures with the secret in this file (default: $IDENTOMAT_SECRET_KEY, if set)")
	cmd.Flags().BoolVar(&allowRemote, "allow-non-loopback", false, "allow listening on an address other machines can reach")
	cmd.Flags().BoolVar(&lan, "lan", false, "serve phones on the local network: listen on every interface, links carry this machine's LAN address")
	cmd.Flags().StringVar(&publicURL, "public-url", "", "the URL session links carry when a tunnel or reverse proxy forwards to the sandbox (default $IDENTOFLOW_PUBLIC_URL)")
	completeFlag(cmd, "addr")
	completeFlag(cmd, "company-key")
	completeFlag(cmd, "public-url")
	return cmd
}

// journalFlags choose the session journal and how long it keeps names.
type journalFlags struct {
	path   string
	retain string
	off    bool
}

// register adds --journal and --retain, and --no-journal to commands that
// can do without it.
func (f *journalFlags) register(cmd *cobra.Command, canSkip bool) {
	cmd.Flags().StringVar(&f.path, "journal", "", "the session journal, in a folder that exists (default $IDENTOFLOW_JOURNAL or $XDG_STATE_HOME/identoflow/journal.db)")
	cmd.Flags().StringVar(&f.retain, "retain", "7d", "keep customer names and clientUserIds in the journal this long (12h, 7d, …; 0: until the session ends)")
	completeFlag(cmd, "retain")
	if canSkip {
		cmd.Flags().BoolVar(&f.off, "no-journal", false, "do not record sessions in the journal")
	}
}

// check refuses a bad --retain, and a journal path given in a folder that
// does not exist, before anything is sent.
func (f *journalFlags) check(e env) error {
	if f.off {
		return nil
	}
	if _, err := journal.ParseDuration(f.retain); err != nil {
		return usageErr("--retain: %v", err)
	}
	if path, from := f.given(e); path != "" {
		if err := journal.CheckFolder(path); err != nil {
			return usageErr("%s %s: %v", from, path, err)
		}
	}
	return nil
}

// given is the journal path the user gave and where ("--journal" or
// "$IDENTOFLOW_JOURNAL"); "" for the default.
func (f *journalFlags) given(e env) (path, from string) {
	if f.path != "" {
		return f.path, "--journal"
	}
	if p := e.getenv("IDENTOFLOW_JOURNAL"); p != "" {
		return p, "$IDENTOFLOW_JOURNAL"
	}
	return "", ""
}

// open opens the journal; with mustExist a missing one is
// journal.ErrNoJournal rather than created.
func (f *journalFlags) open(ctx context.Context, e env, mustExist bool) (*journal.Journal, error) {
	retain, err := journal.ParseDuration(f.retain)
	if err != nil {
		return nil, usageErr("--retain: %v", err)
	}
	// Only the default location's folders are made: a folder missing
	// from a path the user gave is more likely a typo than a wish.
	path, _ := f.given(e)
	createFolder := path == ""
	if createFolder {
		if path, err = journal.DefaultPath(e.getenv); err != nil {
			return nil, err
		}
	}
	return journal.Open(ctx, journal.Options{Path: path, Retain: retain, MustExist: mustExist, CreateFolder: createFolder})
}

// openForScreens opens the journal for the wizard or desk mode, which
// write to it as sessions go, and sets it in lc with its retention. A
// journal that cannot be opened is not a failure: lc says why, and the
// screens show it. nil with --no-journal or on failure.
func (f *journalFlags) openForScreens(ctx context.Context, e env, lc *tui.LaunchConfig) *journal.Journal {
	if f.off {
		return nil
	}
	lc.Retain, _ = journal.ParseDuration(f.retain) // check has refused a bad one
	j, err := f.open(ctx, e, false)
	if err != nil {
		lc.JournalProblem = err.Error()
		return nil
	}
	lc.Journal = j
	return j
}

// record writes a session just begun to the journal. The session exists
// whatever happens here, so a failure is a warning, not an error.
func (f *journalFlags) record(ctx context.Context, e env, s journal.NewSession) {
	if f.off {
		return
	}
	j, err := f.open(ctx, e, false)
	if err == nil {
		_, err = j.Record(ctx, s)
		if cerr := j.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "identoflow: warning: the session is not in the journal: %s\n", flow.Visible(err.Error()))
	}
}

// update writes a fetched result to the journal when the session is in
// it; a journal that does not exist, or does not know the token, is left
// as it is.
func (f *journalFlags) update(ctx context.Context, e env, token string, res api.Result) {
	if f.off {
		return
	}
	j, err := f.open(ctx, e, true)
	if errors.Is(err, journal.ErrNoJournal) {
		return
	}
	if err == nil {
		err = j.Update(ctx, token, res)
		if cerr := j.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil && !errors.Is(err, journal.ErrNotFound) {
		fmt.Fprintf(e.stderr, "identoflow: warning: the result is not in the journal: %s\n", flow.Visible(err.Error()))
	}
}

func newJournalCmd(e env) *cobra.Command {
	var jf journalFlags
	var since string
	var results []string
	var asJSON, asCSV bool
	// list prints the sessions (or only their summary) that the flags select.
	list := func(cmd *cobra.Command, summaryOnly bool) error {
		if asJSON && asCSV {
			return usageErr("--json and --csv do not go together")
		}
		if err := jf.check(e); err != nil {
			return err
		}
		var l journal.Listing
		if since != "all" {
			t, err := journal.ParseTime(since, time.Now())
			if err != nil {
				return usageErr("--since: %v", err)
			}
			l.Since = t
		}
		filter := journal.Filter{Since: l.Since}
		for _, r := range results {
			res, err := journal.ParseResult(r)
			if err != nil {
				return usageErr("--result: %v", err)
			}
			filter.Results = append(filter.Results, res)
		}
		j, err := jf.open(cmd.Context(), e, true)
		switch {
		case errors.Is(err, journal.ErrNoJournal):
			fmt.Fprintf(e.stderr, "identoflow: %s: begin, desk and the wizard record their sessions there\n", flow.Visible(err.Error()))
		case err != nil:
			return &exitError{code: 1, err: err}
		default:
			defer j.Close()
			// As a desk does when it starts: the sandbox sessions of a
			// program that has stopped (quit, crashed, killed) can get no
			// result any more, so they are listed as ended, not open.
			if _, err := j.EndSandboxSessions(cmd.Context()); err != nil {
				fmt.Fprintf(e.stderr, "identoflow: warning: %s\n", flow.Visible(err.Error()))
			}
			if l.Sessions, err = j.List(cmd.Context(), filter); err != nil {
				return &exitError{code: 1, err: err}
			}
		}
		switch {
		case asJSON:
			return l.WriteJSON(e.stdout, !summaryOnly)
		case asCSV:
			return l.WriteCSV(e.stdout)
		case summaryOnly:
			return l.WriteSummary(e.stdout)
		}
		width, _, _ := e.terminalSize(e.stdout) // 0 when piped
		return l.WriteText(e.stdout, width)
	}
	var resultNames []string
	for _, r := range journal.Results() {
		resultNames = append(resultNames, string(r))
	}
	listFlags := func(cmd *cobra.Command, csv bool) {
		jf.register(cmd, false)
		cmd.Flags().StringVar(&since, "since", "today", `sessions started since: today, yesterday, a date (2006-01-02), "2006-01-02 15:04", an RFC 3339 time, a duration ago (8h, 7d), or all`)
		cmd.Flags().StringSliceVar(&results, "result", nil, "only sessions with this result: approved, rejected, manual_check, open, expired, ended (repeat or separate with commas)")
		cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
		completeFlag(cmd, "since", "today", "yesterday", "all")
		completeFlag(cmd, "result", resultNames...)
		if csv {
			cmd.Flags().BoolVar(&asCSV, "csv", false, "print CSV, one session a line")
		}
	}
	const tableNote = "The table fits the terminal: long names, tokens and flows are cut with \"…\", and on a narrow\n" +
		"terminal the token, flow and time columns leave; piped, only very long cells are cut.\n" +
		"--json and --csv print every value whole."
	cmd := &cobra.Command{
		Use:   "journal",
		Short: "List the sessions begun here, with a shift summary (and purge old ones)",
		Long: "Lists the sessions begun here (begin, desk and the wizard record them), then a shift summary.\n" +
			tableNote,
		Example: "  identoflow journal\n" +
			"  identoflow journal --since 7d --result rejected\n" +
			"  identoflow journal --since all --csv > sessions.csv\n" +
			"  identoflow journal purge --before 2026-01-01",
		Args: argsInWords(0, 0, "", "identoflow journal --since 7d"),
		RunE: func(cmd *cobra.Command, args []string) error { return list(cmd, false) },
	}
	listFlags(cmd, true)
	listCmd := &cobra.Command{
		Use:   "list",
		Short: "List the sessions and the summary (the same as journal alone)",
		Long:  "Lists the sessions and the summary, as journal alone does.\n" + tableNote,
		Args:  argsInWords(0, 0, "", "identoflow journal list --since 7d"),
		RunE:  func(cmd *cobra.Command, args []string) error { return list(cmd, false) },
	}
	listFlags(listCmd, true)
	summaryCmd := &cobra.Command{
		Use:   "summary",
		Short: "Print the shift summary: sessions by result, median time to result, expired unused",
		Args:  argsInWords(0, 0, "", "identoflow journal summary --since today"),
		RunE:  func(cmd *cobra.Command, args []string) error { return list(cmd, true) },
	}
	listFlags(summaryCmd, false)
	cmd.AddCommand(listCmd, summaryCmd, newJournalPurgeCmd(e))
	return cmd
}

func newJournalPurgeCmd(e env) *cobra.Command {
	var jf journalFlags
	var before string
	cmd := &cobra.Command{
		Use:     "purge --before WHEN",
		Short:   "Remove the sessions started before a date (those still open stay)",
		Example: "  identoflow journal purge --before 2026-01-01\n  identoflow journal purge --before 30d",
		Args:    argsInWords(0, 0, "", "identoflow journal purge --before 30d"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if before == "" {
				return usageErr("purge needs --before: a date (2006-01-02) or a duration ago (30d)")
			}
			t, err := journal.ParseTime(before, time.Now())
			if err != nil {
				return usageErr("--before: %v", err)
			}
			if err := jf.check(e); err != nil {
				return err
			}
			j, err := jf.open(cmd.Context(), e, true)
			if errors.Is(err, journal.ErrNoJournal) {
				_, err = fmt.Fprintf(e.stdout, "Nothing to purge: %s.\n", flow.Visible(err.Error()))
				return err
			}
			if err != nil {
				return &exitError{code: 1, err: err}
			}
			defer j.Close()
			p, err := j.Purge(cmd.Context(), t)
			if err != nil && !errors.Is(err, journal.ErrLingering) {
				return &exitError{code: 1, err: err}
			}
			fmt.Fprintf(e.stdout, "Removed %d session(s) started before %s.\n", p.Removed, t.Local().Format("2006-01-02 15:04"))
			if p.KeptOpen > 0 {
				fmt.Fprintf(e.stdout, "Kept %d still open.\n", p.KeptOpen)
			}
			if err != nil {
				fmt.Fprintf(e.stderr, "identoflow: warning: %s\n", flow.Visible(err.Error()))
			}
			return nil
		},
	}
	jf.register(cmd, false)
	cmd.Flags().StringVar(&before, "before", "", "remove sessions started before: a date (2006-01-02), a time, or a duration ago (30d)")
	completeFlag(cmd, "before")
	return cmd
}

// newI18nCmd groups the translation commands.
func newI18nCmd(e env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "i18n",
		Short: "Translations: export a flow's texts for translators, import their work, count what is missing",
		Long: "Every text of a flow has an ID, its JSON Pointer (e.g. /steps/1/questions/0/title).\n" +
			"export writes the texts of one language pair as XLIFF 2.0, gettext PO or CSV; import applies a\n" +
			"translated file, reporting texts whose source changed since the export; status counts per language.",
	}
	subcommandsOnly(cmd, "export, import or status")
	cmd.AddCommand(newI18nExportCmd(e), newI18nImportCmd(e), newI18nStatusCmd(e))
	return cmd
}

// loadFlow reads and parses a flow for the i18n commands, which work on
// flows with validation errors too: a file that is not a config is exit 1
// (as in validate), said as diff and fmt say it, one that cannot be read
// exit 2.
func loadFlow(e env, name string) ([]byte, *flow.Config, error) {
	data, err := readConfig(e, name)
	if err != nil {
		return nil, nil, &exitError{code: 2, err: fmt.Errorf("%s: %w", displayName(name), err)}
	}
	c, err := parseConfig(displayName(name), data)
	if err != nil {
		return nil, nil, &exitError{code: 1, err: err}
	}
	return data, c, nil
}

func newI18nExportCmd(e env) *cobra.Command {
	var lang, source, format, out string
	var missing bool
	cmd := &cobra.Command{
		Use:   "export FLOW --lang LANG [--source LANG] [--format xliff|po|csv] [--missing] [-o FILE]",
		Short: "Write a flow's texts, with their translations into LANG, for translators",
		Example: "  identoflow i18n export flow.json --lang ru -o flow.ru.xlf\n" +
			"  identoflow i18n export flow.json --lang ka --source en --format po --missing > ka.po",
		Args:              argsInWords(1, 1, "FLOW", "identoflow i18n export flow.json --lang ru -o flow.ru.xlf"),
		ValidArgsFunction: completeFlowFiles(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if lang == "" {
				return usageErr("--lang is required: the language to translate into (e.g. --lang ru)")
			}
			f, err := exportFormat(format, out)
			if err != nil {
				return err
			}
			_, c, err := loadFlow(e, args[0])
			if err != nil {
				return err
			}
			file, noSource, err := i18n.Extract(c, i18n.ExportOptions{Source: source, Target: lang, MissingOnly: missing, Original: filepath.Base(displayName(args[0]))})
			if err != nil {
				return usageErr("%v", err)
			}
			var b bytes.Buffer
			if err := i18n.Write(&b, file, f); err != nil {
				return &exitError{code: 1, err: err}
			}
			if out != "" && out != "-" {
				if err := tui.WriteFileAtomic(out, b.Bytes(), 0o644); err != nil {
					return &exitError{code: 1, err: err}
				}
			} else if _, err := e.stdout.Write(b.Bytes()); err != nil { // every format escapes what a terminal acts on
				return err
			}
			fmt.Fprintf(e.stderr, "identoflow: %s", file.Summary())
			if len(noSource) > 0 {
				fmt.Fprintf(e.stderr, "; %d without a %s text left out (try --source)", len(noSource), file.SourceLang)
			}
			fmt.Fprintln(e.stderr)
			if !slices.Contains(c.ShownLanguages(), lang) {
				fmt.Fprintf(e.stderr, "identoflow: note: the flow does not show %s yet; add it to the language step's languages\n", lang)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&lang, "lang", "", "language to translate into (a language code such as ru)")
	cmd.Flags().StringVar(&source, "source", "", "language to translate from (default: the flow's language)")
	cmd.Flags().StringVar(&format, "format", "", "xliff, po or csv (default: from -o's extension, else xliff)")
	cmd.Flags().BoolVar(&missing, "missing", false, "only the texts without a translation into --lang")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to FILE (atomically); without -o, or with -o -, to standard output")
	completeFlag(cmd, "lang", flow.Languages()...)
	completeFlag(cmd, "source", flow.Languages()...)
	completeFlag(cmd, "format", "xliff\tXLIFF 2.0, for CAT tools", "po\tgettext PO", "csv\tCSV, for spreadsheets")
	return cmd
}

// exportFormat picks the format from --format, else -o's extension, else
// XLIFF.
func exportFormat(flag, out string) (i18n.Format, error) {
	if flag != "" {
		f, err := i18n.ParseFormat(flag)
		if err != nil {
			return "", usageErr("--format: %v", err)
		}
		return f, nil
	}
	if out != "" && out != "-" && filepath.Ext(out) != "" {
		if f, err := i18n.FormatOf(out, nil); err == nil {
			return f, nil
		}
	}
	return i18n.XLIFF, nil
}

func newI18nImportCmd(e env) *cobra.Command {
	var write bool
	var format string
	cmd := &cobra.Command{
		Use:   "import FLOW FILE [-w]",
		Short: "Apply a translated file (XLIFF, PO or CSV) to a flow; print the result, or write it with -w",
		Long: "Applies the translations in FILE to FLOW. Units whose ID the flow does not have, whose source text\n" +
			"changed since the export, or that have no translation are reported and not applied. The result is\n" +
			"validated; everything but the translated texts stays as it was.",
		Example: "  identoflow i18n import flow.json flow.ru.xlf -w\n" +
			"  identoflow i18n import flow.json ka.po > flow.new.json",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usageErr("i18n import takes a FLOW and a translated FILE, but was given %d argument(s); try: identoflow i18n import flow.json flow.ru.xlf -w", len(args))
			}
			return nil
		},
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			switch len(args) {
			case 0:
				return []cobra.Completion{"json"}, cobra.ShellCompDirectiveFilterFileExt
			case 1:
				return []cobra.Completion{"xlf", "xliff", "po", "csv"}, cobra.ShellCompDirectiveFilterFileExt
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			flowName, fileName := args[0], args[1]
			if write && flowName == "-" {
				return usageErr("-w writes the flow back to its file: give a file, not standard input")
			}
			if flowName == "-" && fileName == "-" {
				return usageErr("standard input (-) can be read only once")
			}
			flowData, _, err := loadFlow(e, flowName)
			if err != nil {
				return err
			}
			fileData, err := readConfig(e, fileName)
			if err != nil {
				return &exitError{code: 2, err: fmt.Errorf("%s: %w", displayName(fileName), err)}
			}
			var f i18n.Format
			if format != "" {
				f, err = i18n.ParseFormat(format)
			} else {
				f, err = i18n.FormatOf(fileName, fileData)
			}
			if err != nil {
				return usageErr("%s: %v", displayName(fileName), err)
			}
			im, err := i18n.Import(flowData, fileData, f)
			if err != nil {
				return &exitError{code: 1, err: fmt.Errorf("%s: %w", displayName(fileName), err)}
			}
			if err := i18n.WriteReport(e.stderr, displayName(fileName), im); err != nil {
				return err
			}
			_ = export.WriteTextReport(e.stderr, []export.FileReport{export.NewFileReport(displayName(flowName), im.Diagnostics, false)}, useColor(e, e.stderr))
			switch {
			case !write:
				_, err = e.stdout.Write(flow.EscapeJSON(im.Flow))
				return err
			case !im.Changed():
				fmt.Fprintf(e.stderr, "identoflow: nothing to change; %s is left as it was\n", flow.Visible(flowName))
				return nil
			}
			if err := tui.WriteFileAtomic(flowName, im.Flow, 0o644); err != nil {
				return &exitError{code: 1, err: err}
			}
			fmt.Fprintf(e.stderr, "identoflow: wrote %s\n", flow.Visible(flowName))
			return nil
		},
	}
	cmd.Flags().BoolVarP(&write, "write", "w", false, "write the result to FLOW (atomically) instead of standard output")
	cmd.Flags().StringVar(&format, "format", "", "xliff, po or csv (default: from FILE's extension or contents)")
	completeFlag(cmd, "format", "xliff", "po", "csv")
	return cmd
}

func newI18nStatusCmd(e env) *cobra.Command {
	var asJSON, strict bool
	cmd := &cobra.Command{
		Use:   "status FLOW [--json] [--strict]",
		Short: "Count each language's translated and missing texts (--strict: exit 1 when any is missing)",
		Example: "  identoflow i18n status flow.json\n" +
			"  identoflow i18n status --strict --json flow.json",
		Args:              argsInWords(1, 1, "FLOW", "identoflow i18n status flow.json"),
		ValidArgsFunction: completeFlowFiles(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, c, err := loadFlow(e, args[0])
			if err != nil {
				return err
			}
			s := i18n.NewStatus(displayName(args[0]), c)
			if asJSON {
				err = i18n.WriteStatusJSON(e.stdout, s)
			} else {
				err = i18n.WriteStatus(e.stdout, s)
			}
			if err != nil {
				return err
			}
			if strict && s.Missing() {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"file","texts","operator_texts","plain_texts","flow_language","languages":[{"lang","translated","missing"}]}`)
	cmd.Flags().BoolVar(&strict, "strict", false, "exit 1 when a language the flow shows lacks a text")
	return cmd
}

// parseConfig parses a config, saying where a syntax error is the way
// compilers do: `file:line:column: message`.
func parseConfig(display string, data []byte) (*flow.Config, error) {
	c, err := flow.Parse(data)
	var se *flow.SyntaxError
	if errors.As(err, &se) {
		return nil, fmt.Errorf("%s:%d:%d: %s", display, se.Line, se.Column, se.Msg)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", display, err)
	}
	return c, nil
}

// gitDiffArgs recognises the arguments git passes an external diff
// program: `path old-file old-hex old-mode new-file new-hex new-mode`, and
// two more (the new path and a note) for a rename. A hex is a blob name or
// "." and a mode six octal digits or ".", where git has no such file.
func gitDiffArgs(args []string) bool {
	if len(args) != 7 && len(args) != 9 {
		return false
	}
	hex := func(s string) bool {
		return s == "." || (len(s) >= 40 && strings.Trim(s, "0123456789abcdef") == "")
	}
	mode := func(s string) bool { return s == "." || (len(s) == 6 && strings.Trim(s, "01234567") == "") }
	return hex(args[2]) && mode(args[3]) && hex(args[5]) && mode(args[6])
}

func newDiffCmd(e env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Compare two flows step by step, with the problems each change brings or fixes (exit 0 same, 1 different, 2 trouble)",
		Long: "diff compares two flows semantically: steps, questions and options are matched by key, so a moved\n" +
			"step is one change and a renamed key a rename; member order and formatting are no change. Each\n" +
			"change lists the diagnostics it introduces or fixes. It also works as a git diff driver (see README).",
		Example: "  identoflow diff main.flow.json flow.json\n" +
			"  identoflow diff --format markdown old.json new.json > comment.md\n" +
			"  git config diff.identoflow.command 'identoflow diff'   # with *.flow.json diff=identoflow in .gitattributes",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 2 || gitDiffArgs(args) || (len(args) == 1 && e.getenv("GIT_DIFF_PATH_TOTAL") != "") {
				return nil
			}
			return usageErr("diff needs two files, OLD and NEW, but was given %d; try: identoflow diff old.flow.json new.flow.json", len(args))
		},
		ValidArgsFunction: completeFlowFiles(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" && format != "markdown" {
				return usageErr("--format must be text, json or markdown, not %q", format)
			}
			git := len(args) != 2
			if len(args) == 1 { // git: an unmerged path has nothing to compare
				_, err := fmt.Fprintf(e.stdout, "%s: unmerged; resolve the conflict, then compare\n", flow.Visible(args[0]))
				return err
			}
			oldName, newName := args[0], args[1]
			report := export.DiffReport{Old: export.DiffSide{File: displayName(oldName)}, New: export.DiffSide{File: displayName(newName)}}
			if git {
				oldName, newName = args[1], args[4]
				report.Old.File, report.New.File = args[0], args[0]
				if len(args) == 9 {
					report.New.File = args[7]
				}
			} else if oldName == "-" && newName == "-" {
				return usageErr("standard input (-) can be read only once")
			}
			// Trouble with a file: exit 2 alone, but 0 under git, which
			// stops at an external diff that fails; the message says it.
			fail := func(err error) error {
				if git {
					_, werr := fmt.Fprintf(e.stdout, "%s: cannot compare: %s\n", flow.Visible(args[0]), flow.Visible(err.Error()))
					return werr
				}
				return &exitError{code: 2, err: errors.New(flow.Visible(err.Error()))}
			}
			load := func(name, display string, side *export.DiffSide) (*flow.Config, *flow.Source, error) {
				if git && name == "/dev/null" {
					side.Missing = true
					return nil, nil, nil
				}
				data, err := readConfig(e, name)
				if err != nil {
					return nil, nil, fmt.Errorf("%s: %w", display, err)
				}
				c, err := parseConfig(display, data)
				if err != nil {
					return nil, nil, err
				}
				return c, flow.NewSource(data), nil
			}
			// Under git both sides have the path's name: say which it is.
			oldDisplay, newDisplay := report.Old.File, report.New.File
			if git {
				oldDisplay, newDisplay = "old version of "+oldDisplay, "new version of "+newDisplay
			}
			oldCfg, oldSrc, err := load(oldName, oldDisplay, &report.Old)
			if err != nil {
				return fail(err)
			}
			newCfg, newSrc, err := load(newName, newDisplay, &report.New)
			if err != nil {
				return fail(err)
			}
			report.Result = diff.Compare(oldCfg, newCfg)
			report.Result.Locate(oldSrc, oldCfg, newSrc, newCfg)
			color := useColor(e, e.stdout) ||
				(git && e.getenv("GIT_PAGER_IN_USE") != "" && e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb")
			switch format {
			case "json":
				err = export.WriteDiffJSON(e.stdout, report)
			case "markdown":
				err = export.WriteDiffMarkdown(e.stdout, report)
			default:
				err = export.WriteDiffText(e.stdout, report, color)
			}
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			if !git && !report.Result.Same() {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json or markdown")
	completeFlag(cmd, "format", "text\tfor people", "json\tfor programs", "markdown\tfor a pull-request comment")
	return cmd
}

func newFmtCmd(e env) *cobra.Command {
	var check, write bool
	cmd := &cobra.Command{
		Use:   "fmt [--check] [-w] FILE...",
		Short: "Print configs in the canonical form the wizard saves, rewrite them (-w), or list those that differ (--check)",
		Long: "fmt writes a config the way the wizard saves it: two-space indent, members in the order they were\n" +
			"written, a trailing newline. Nothing is lost: unknown fields and number literals stay as written.",
		Example: "  identoflow fmt flow.json\n" +
			"  identoflow fmt -w flows/*.json\n" +
			"  identoflow fmt --check flows/*.json   # in CI or a pre-commit hook: exit 1 and the names when any differs",
		Args:              argsInWords(1, -1, "FILE", "identoflow fmt -w flow.json"),
		ValidArgsFunction: completeFlowFiles(-1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if check && write {
				return usageErr("--check and -w do not go together: --check only lists the files -w would rewrite")
			}
			if n := slices.Index(args, "-"); n >= 0 && (write || slices.Contains(args[n+1:], "-")) {
				if write {
					return usageErr("-w cannot rewrite standard input; leave -w out to print the result")
				}
				return usageErr("standard input (-) can be read only once")
			}
			code := 0
			trouble := func(err error) {
				fmt.Fprintln(e.stderr, "identoflow:", flow.Visible(err.Error()))
				code = 2
			}
			for _, name := range args {
				data, err := readConfig(e, name)
				if err != nil {
					trouble(fmt.Errorf("%s: %w", displayName(name), err))
					continue
				}
				c, err := parseConfig(displayName(name), data)
				if err != nil {
					trouble(err)
					continue
				}
				out := c.Bytes()
				switch {
				case check:
					if !bytes.Equal(out, data) {
						fmt.Fprintln(e.stdout, flow.Visible(displayName(name)))
						code = max(code, 1)
					}
				case write:
					if bytes.Equal(out, data) {
						continue
					}
					// Through a symbolic link to the file it names, so
					// the link stays a link.
					if err := tui.WriteFileAtomic(name, out, 0o644); err != nil {
						trouble(err)
					}
				default:
					if flow.HasCredential(c.Root()) {
						trouble(fmt.Errorf("%s holds a credential (company or secret key), which is never printed; remove it, or rewrite the file in place with -w", displayName(name)))
						continue
					}
					if _, err := e.stdout.Write(out); err != nil {
						return &exitError{code: 2, err: err}
					}
				}
			}
			if code != 0 {
				return &exitError{code: code}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&check, "check", false, "list the files that are not in canonical form and exit 1 if any; change nothing")
	cmd.Flags().BoolVarP(&write, "write", "w", false, "rewrite the files in canonical form (atomically; through symbolic links)")
	return cmd
}

// serveSandboxLAN serves the sandbox on every interface and says plainly
// where phones on the local network reach it.
// sandboxBeginHint is the command that creates a session through a
// sandbox at base: any non-empty company key will do unless one was
// pinned, which is a key and so not shown.
func sandboxBeginHint(base, pinnedKey string) string {
	key := "test"
	if pinnedKey != "" {
		key = "..."
	}
	return "IDENTOMAT_BASE_URL=" + base + " IDENTOMAT_COMPANY_KEY=" + key + " identoflow begin FLOW.json"
}

func serveSandboxLAN(ctx context.Context, e env, srv *sandbox.Server, addr, pinnedKey string) error {
	ln, urls, err := srv.ListenLAN(addr)
	if err != nil {
		return &exitError{code: 1, err: fmt.Errorf("sandbox: %w", err)}
	}
	port := ln.Addr().(*net.TCPAddr).Port
	fmt.Fprintf(e.stdout, "The sandbox listens on every interface, port %d.\n", port)
	if len(urls) == 0 {
		fmt.Fprintf(e.stdout, "No network interface has a local-network address (is Wi-Fi or Ethernet connected?): phones cannot reach it yet.\n")
	} else {
		fmt.Fprintf(e.stdout, "It is reachable from the local network at %s\n", urls[0])
		if len(urls) > 1 {
			fmt.Fprintf(e.stdout, "(also at %s)\n", strings.Join(urls[1:], ", "))
		}
		fmt.Fprintf(e.stdout, "Anyone on this network can open its pages; each session still needs its own link.\n")
		fmt.Fprintf(e.stdout, "Create sessions: %s\n", sandboxBeginHint(urls[0], pinnedKey))
	}
	if r := srv.Reach(); r.Scope == sandbox.ScopePublic {
		fmt.Fprintf(e.stdout, "Session links carry %s.\n", r.URL)
	}
	if err := srv.Serve(ctx, ln); err != nil {
		return &exitError{code: 1, err: fmt.Errorf("sandbox: %w", err)}
	}
	return nil
}
