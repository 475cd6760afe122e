// Command identoflow builds Identomat verification flows in the terminal,
// checks them, and turns them into sessions.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/api/sandbox"
	"github.com/identoflow/identoflow/export"
	"github.com/identoflow/identoflow/flow"
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
			fmt.Fprintln(e.stderr, "identoflow:", ee.err)
		}
		return ee.code
	}
	// Cobra's own errors are about flags and arguments.
	fmt.Fprintln(e.stderr, "identoflow:", err)
	return 2
}

func newRootCmd(e env) *cobra.Command {
	root := &cobra.Command{
		Use:           "identoflow",
		Short:         "Build, check and launch Identomat verification flows",
		Long:          "identoflow builds Identomat identity-verification flows interactively, checks them,\nsaves them as JSON, creates sessions and hands them to a phone with a QR code.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       appVersion(),

		SuggestionsMinimumDistance: 2,
	}
	root.SetVersionTemplate("identoflow {{.Version}}\n") // as `identoflow version` prints it
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErr("%v", err) })
	var accessible bool
	var sf sessionFlags
	root.PersistentFlags().BoolVar(&accessible, "accessible", false, "screen-reader friendly forms (also ACCESSIBLE=1)")
	wizard := func(cmd *cobra.Command, file string) error {
		if err := e.needTerminal(); err != nil {
			return err
		}
		lc, err := launchConfig(e, sf, "")
		if err != nil {
			return err
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
		Args:  cobra.ExactArgs(1),
		RunE:  func(cmd *cobra.Command, args []string) error { return wizard(cmd, args[0]) },
	}
	sf.registerLaunch(edit)
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
	)
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

// isTerminal reports whether w is a terminal; tests replace it.
func (e env) isTerminal(w io.Writer) bool {
	if e.terminal != nil {
		return e.terminal(w)
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

func newValidateCmd(e env) *cobra.Command {
	var format string
	var strict bool
	cmd := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check configs against the rules (exit 0 valid, 1 errors, 2 unreadable)",
		Example: "  identoflow validate flow.json\n" +
			"  identoflow validate --strict --format json flows/*.json\n" +
			"  cat flow.json | identoflow validate -",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr("--format must be text or json, not %q", format)
			}
			if n := slices.Index(args, "-"); n >= 0 && slices.Contains(args[n+1:], "-") {
				return usageErr("standard input (-) can be read only once")
			}
			var reports []export.FileReport
			code := 0
			for _, name := range args {
				data, err := readConfig(e, name)
				var diags flow.Diagnostics
				if err == nil {
					_, diags, err = flow.Check(data)
				}
				if err != nil { // unreadable, or too large to read
					reports = append(reports, export.FileReport{File: displayName(name), Error: err.Error(), Diagnostics: flow.Diagnostics{}})
					code = 2
					continue
				}
				r := export.NewFileReport(displayName(name), diags, strict)
				if !r.Valid && code == 0 {
					code = 1
				}
				reports = append(reports, r)
			}
			var err error
			if format == "json" {
				err = export.WriteJSONReport(e.stdout, reports)
			} else {
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
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().BoolVar(&strict, "strict", false, "treat warnings as failures")
	return cmd
}

// loadValid reads and validates a config for commands that send or export
// it: errors are refused with the list, warnings pass.
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
	if diags.HasErrors() {
		var errs []flow.Diagnostic
		for _, d := range diags {
			if d.Severity == flow.SevError {
				errs = append(errs, d)
			}
		}
		_ = export.WriteTextReport(e.stderr, []export.FileReport{{File: displayName(name), Diagnostics: errs}}, useColor(e, e.stderr))
		return nil, &exitError{code: 1, err: fmt.Errorf("%s has %d error(s); fix them first", displayName(name), len(errs))}
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
		Use:   "export FILE --as payload|curl|iframe|schema",
		Short: "Print a config as a begin/ payload, a cURL command, an iframe snippet, or the JSON Schema",
		Example: "  identoflow export flow.json --as payload\n" +
			"  IDENTOMAT_COMPANY_KEY=... sh -c \"$(identoflow export flow.json --as curl)\"\n" +
			"  identoflow export flow.json --as iframe > widget.html",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if as == "schema" {
				// The schema is the same for every config; a FILE named
				// must still exist, so that a typo is not passed over.
				if len(args) > 0 {
					if _, err := readConfig(e, args[0]); err != nil {
						return &exitError{code: 2, err: fmt.Errorf("%s: %w", displayName(args[0]), err)}
					}
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
	cmd.Flags().StringVar(&as, "as", "payload", "payload, curl, iframe or schema")
	cmd.Flags().StringVar(&base, "base-url", "", "vendor base URL (default $IDENTOMAT_BASE_URL or "+api.DefaultBaseURL+")")
	return cmd
}

func newSchemaCmd(e env) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema (draft 2020-12) of the config file",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := e.stdout.Write(export.Schema())
			return err
		},
	}
}

func newTemplatesCmd(e env) *cobra.Command {
	return &cobra.Command{
		Use:     "templates [NAME]",
		Short:   "List the built-in flows, or print one as a config",
		Example: "  identoflow templates\n  identoflow templates basic-kyc > flow.json",
		Args:    cobra.MaximumNArgs(1),
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
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := fmt.Fprintln(e.stdout, "identoflow", appVersion())
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

// readKeyFile reads a key kept in a file (what names it in errors); an
// unreadable or empty file is a usage error.
func readKeyFile(path, what string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", usageErr("reading the %s file %s: %v", what, path, errors.Unwrap(err))
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
	baseURL string
	keyFile string
	timeout time.Duration
}

func (f *sessionFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.baseURL, "base-url", "", "vendor base URL (default $IDENTOMAT_BASE_URL or "+api.DefaultBaseURL+")")
	cmd.Flags().StringVar(&f.keyFile, "company-key-file", "", "read the company key from this file instead of $IDENTOMAT_COMPANY_KEY")
	cmd.Flags().DurationVar(&f.timeout, "timeout", api.DefaultTimeout, "timeout of each request")
}

// registerLaunch offers the session flags to a wizard command.
func (f *sessionFlags) registerLaunch(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.baseURL, "base-url", "", "vendor base URL for launching sessions (default $IDENTOMAT_BASE_URL; none: the built-in sandbox is offered)")
	cmd.Flags().StringVar(&f.keyFile, "company-key-file", "", "read the company key from this file instead of $IDENTOMAT_COMPANY_KEY")
}

// launchConfig gathers what the wizard and desk mode need to create
// sessions. With no key and no base URL they offer the built-in sandbox.
func launchConfig(e env, f sessionFlags, configID string) (tui.LaunchConfig, error) {
	key, secret, err := credentials(e, f.keyFile)
	if err != nil {
		return tui.LaunchConfig{}, err
	}
	base := f.baseURL
	if base == "" {
		base = e.getenv("IDENTOMAT_BASE_URL")
	}
	return tui.LaunchConfig{CompanyKey: key, SecretKey: secret, BaseURL: base, ConfigID: configID, Version: appVersion()}, nil
}

func newDeskCmd(e env, accessible *bool) *cobra.Command {
	var configID string
	var f sessionFlags
	cmd := &cobra.Command{
		Use:   "desk [FILE]",
		Short: "Desk mode: create a session per customer and hand it over with a QR code",
		Example: "  identoflow desk flow.json\n" +
			"  identoflow desk --config-id 687e0ba12cf633bd323cb0db",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("config-id") && strings.TrimSpace(configID) == "" {
				return usageErr("--config-id is empty; give the saved configuration's ID or leave the flag out")
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
			if err := e.needTerminal(); err != nil {
				return err
			}
			lc, err := launchConfig(e, f, configID)
			if err != nil {
				return err
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
	cmd.Flags().StringVar(&f.baseURL, "base-url", "", "vendor base URL (default $IDENTOMAT_BASE_URL; none: the built-in sandbox is offered)")
	cmd.Flags().StringVar(&f.keyFile, "company-key-file", "", "read the company key from this file instead of $IDENTOMAT_COMPANY_KEY")
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
			fmt.Fprintf(e.stderr, "identoflow: %v; trying again in %v\n", err, wait.Round(100*time.Millisecond))
		},
	})
	if err != nil {
		return nil, usageErr("%v", err)
	}
	return c, nil
}

func newBeginCmd(e env) *cobra.Command {
	var sf sessionFlags
	var configID, encoding, qrStyle string
	var asJSON, dryRun, noQR bool
	cmd := &cobra.Command{
		Use:   "begin FILE",
		Short: "Create a session from a config and print its token, URL, expiry and a QR code",
		Example: "  IDENTOMAT_COMPANY_KEY=... identoflow begin flow.json\n" +
			"  identoflow begin flow.json --json\n" +
			"  identoflow begin flow.json --dry-run --encoding form",
		Args: cobra.ExactArgs(1),
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
			if asJSON {
				return writeJSON(e.stdout, struct {
					Token     string `json:"session_token"`
					URL       string `json:"url"`
					ExpiresAt string `json:"expires_at"`
				}{sess.Token, sess.URL, sess.ExpiresAt.UTC().Format(time.RFC3339)})
			}
			fmt.Fprintf(e.stdout, "session token  %s\nwidget URL     %s\nexpires        %s (in 15 minutes)\n",
				sess.Token, sess.URL, sess.ExpiresAt.Local().Format("15:04:05 MST"))
			if !noQR {
				printQR(e, sess.URL, style)
			}
			return nil
		},
	}
	sf.register(cmd)
	cmd.Flags().StringVar(&configID, "config-id", "", "use this saved dashboard configuration (the file's steps replace its steps of the same key)")
	cmd.Flags().StringVar(&encoding, "encoding", "json", "request encoding: json, form, query or multipart")
	cmd.Flags().BoolVar(&asJSON, "json", false, `print only {"session_token","url","expires_at"}`)
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the exact request (secrets redacted) and send nothing")
	cmd.Flags().BoolVar(&noQR, "no-qr", false, "do not draw the QR code")
	cmd.Flags().StringVar(&qrStyle, "qr-style", "half", "QR drawing: half (half blocks) or full (full blocks)")
	return cmd
}

// printQR draws the QR code when standard output is a terminal, sized to
// it, with the caption above so nothing printed after it scrolls it away.
func printQR(e env, url string, style export.QRStyle) {
	f, ok := e.stdout.(*os.File)
	if !ok || !e.isTerminal(e.stdout) {
		return
	}
	w, h, err := term.GetSize(f.Fd())
	if err != nil {
		w, h = 80, 24
	}
	// One line for the caption, one for the shell prompt after the command.
	const reserved = 2
	opt := export.QROptions{Style: style, MaxCols: max(1, w), MaxRows: max(1, h-reserved)}
	if e.getenv("NO_COLOR") != "" {
		// Without colours the drawing must follow the terminal's theme.
		opt.Plain = true
		if in, ok := e.stdin.(*os.File); ok {
			opt.LightBackground = !lipgloss.HasDarkBackground(in, f)
		} // else: taken as dark, the common theme
	}
	qr, err := export.RenderQR(url, opt)
	var small *export.TooSmallError
	if errors.As(err, &small) {
		fmt.Fprintf(e.stdout, "\nThe terminal is too small for the QR code: it needs at least %d columns by %d rows (it is %d by %d).\nOpen the URL above on the phone, or enlarge the terminal and run again.\n",
			small.NeedCols, small.NeedRows+reserved, w, h)
		return
	}
	if err != nil {
		fmt.Fprintf(e.stdout, "\n%v\nOpen the URL above on the phone.\n", err)
		return
	}
	fmt.Fprintln(e.stdout, "Scan with the customer's phone to continue there:")
	fmt.Fprintln(e.stdout, qr)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func newResultCmd(e env) *cobra.Command {
	var sf sessionFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "result TOKEN",
		Short:   "Fetch a session's result",
		Example: "  identoflow result 47fjzxvvzapi4ztasth3c2ozfucli3l0qx13hisc\n  identoflow result TOKEN --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !api.ValidToken(args[0]) {
				return usageErr("%q is not a session token (begin prints it: letters and digits)", args[0])
			}
			client, err := sf.client(e, false)
			if err != nil {
				return err
			}
			res, err := client.Result(cmd.Context(), args[0])
			if err != nil {
				return &exitError{code: 1, err: err}
			}
			// The answer is printed as the server sent it, less any
			// credential it echoes back.
			if asJSON {
				_, err = fmt.Fprintln(e.stdout, client.Redact(strings.TrimSpace(string(res.Raw))))
				return err
			}
			fmt.Fprintln(e.stdout, client.Redact(res.Label()))
			if res.Name != "" {
				fmt.Fprintln(e.stdout, "name:", client.Redact(res.Name))
			}
			return nil
		},
	}
	sf.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the server's JSON answer")
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
		Args: cobra.NoArgs,
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
			if !cmd.Flags().Changed("public-url") {
				publicURL = e.getenv("IDENTOFLOW_PUBLIC_URL")
			}
			if strings.TrimSpace(publicURL) != "" {
				if publicURL, err = sandbox.CheckPublicURL(publicURL); err != nil {
					return usageErr("--public-url: %v", err)
				}
			}
			if lan && cmd.Flags().Changed("addr") && host != "" && host != "0.0.0.0" && host != "::" {
				return usageErr("--lan listens on every interface: give --addr as :PORT (e.g. :%s)", port)
			}
			logger := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
			srv := sandbox.New(sandbox.Options{CompanyKey: pinnedKey, SecretKey: secret, Logger: logger, PublicURL: publicURL})
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if lan {
				return serveSandboxLAN(ctx, e, srv, ":"+port)
			}
			if publicURL != "" {
				fmt.Fprintf(e.stdout, "Session links carry %s: point the tunnel at http://%s.\nCreate sessions through it: IDENTOMAT_BASE_URL=%s identoflow begin FLOW.json\n",
					publicURL, addr, publicURL)
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
	return cmd
}

// serveSandboxLAN serves the sandbox on every interface and says plainly
// where phones on the local network reach it.
func serveSandboxLAN(ctx context.Context, e env, srv *sandbox.Server, addr string) error {
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
		fmt.Fprintf(e.stdout, "Create sessions: IDENTOMAT_BASE_URL=%s IDENTOMAT_COMPANY_KEY=test identoflow begin FLOW.json\n", urls[0])
	}
	if r := srv.Reach(); r.Scope == sandbox.ScopePublic {
		fmt.Fprintf(e.stdout, "Session links carry %s.\n", r.URL)
	}
	if err := srv.Serve(ctx, ln); err != nil {
		return &exitError{code: 1, err: fmt.Errorf("sandbox: %w", err)}
	}
	return nil
}
