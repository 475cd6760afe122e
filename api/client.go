package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Defaults and wire constants.
const (
	DefaultBaseURL     = "https://widget.identomat.com"
	DefaultTimeout     = 15 * time.Second // per request
	DefaultRetryBudget = 30 * time.Second // total time of one call that retries
	TokenLifetime      = 15 * time.Minute // how long a session token is valid

	BeginPath      = "/begin/"
	BeginAliasPath = "/external-api/begin/" // seen in the vendor's own examples
	ResultPath     = "/external-api/result/"

	// redactedText replaces credentials wherever they would be shown.
	redactedText = "REDACTED"
)

// Options configure a Client. Only CompanyKey is required.
//
// Options print with the keys REDACTED (fmt verbs %v, %+v, %#v, %s).
type Options struct {
	// BaseURL of the vendor API; default DefaultBaseURL. A trailing slash
	// is ignored. Must be an absolute http or https URL without query.
	BaseURL string
	// CompanyKey is the account credential. Surrounding whitespace (a
	// trailing newline from a key file) is removed.
	CompanyKey string
	// SecretKey, when set, signs every request and requires a valid
	// signature on every successful response (HMAC-SHA256). Surrounding
	// whitespace is removed.
	SecretKey string
	// HTTPClient sends the requests; default a fresh http.Client. It is
	// copied and set never to follow redirects, so a redirect cannot carry
	// the company key to another address: a 3xx is reported as an error.
	HTTPClient *http.Client
	// Timeout bounds each request, reading the response included; default
	// DefaultTimeout.
	Timeout time.Duration
	// Version goes into the User-Agent "identoflow/<version>"; default "dev".
	Version string
	// RetryBudget bounds the total time of one call that retries, waits
	// and attempts included: a retry is made only when its wait and an
	// attempt as slow as the slowest so far fit in what is left, and its
	// timeout is cut to what is left. Default DefaultRetryBudget;
	// negative disables retries.
	RetryBudget time.Duration
	// Now returns the current time; default time.Now. Used for session
	// expiry, Retry-After dates and the retry budget.
	Now func() time.Time
	// Sleep waits d or until ctx is done (returning ctx's error); default a
	// timer. Tests inject it to avoid real waits.
	Sleep func(ctx context.Context, d time.Duration) error
	// OnRetry, when set, is told before each wait between attempts, so a
	// program can say why it is waiting. err is already redacted.
	OnRetry func(wait time.Duration, err error)
}

// Client talks to the vendor API. It is safe for concurrent use.
//
// A Client prints with its keys REDACTED (fmt verbs %v, %+v, %#v, %s).
type Client struct {
	baseURL     string // no trailing slash
	companyKey  string
	secretKey   []byte // nil when not signing
	httpClient  *http.Client
	timeout     time.Duration
	userAgent   string
	retryBudget time.Duration
	now         func() time.Time
	sleep       func(context.Context, time.Duration) error
	onRetry     func(time.Duration, error)
	redactor    *redactor
}

// New checks the options and returns a Client.
func New(opts Options) (*Client, error) {
	companyKey := strings.TrimSpace(opts.CompanyKey)
	secretKey := strings.TrimSpace(opts.SecretKey)
	redactor := newRedactor(companyKey, secretKey)
	if companyKey == "" {
		return nil, errors.New("company key is missing")
	}
	base, err := NormalizeBaseURL(opts.BaseURL)
	if err != nil {
		return nil, errors.New(redactor.Replace(err.Error()))
	}
	if opts.Timeout < 0 {
		return nil, fmt.Errorf("timeout %v is negative", opts.Timeout)
	}
	version := opts.Version
	if version == "" {
		version = "dev"
	}
	c := &Client{
		baseURL:     base,
		companyKey:  companyKey,
		timeout:     opts.Timeout,
		userAgent:   "identoflow/" + version,
		retryBudget: opts.RetryBudget,
		now:         opts.Now,
		sleep:       opts.Sleep,
		onRetry:     opts.OnRetry,
		redactor:    redactor,
	}
	if secretKey != "" {
		c.secretKey = []byte(secretKey)
	}
	if c.timeout == 0 {
		c.timeout = DefaultTimeout
	}
	if c.retryBudget == 0 {
		c.retryBudget = DefaultRetryBudget
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.sleep == nil {
		c.sleep = sleepContext
	}
	hc := http.Client{}
	if opts.HTTPClient != nil {
		hc = *opts.HTTPClient
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.httpClient = &hc
	return c, nil
}

// NormalizeBaseURL checks a vendor base URL and returns it without a
// trailing slash ("" is DefaultBaseURL). A base ending in /external-api,
// as the vendor's examples write begin/'s path, is taken as its host's
// root: the widget and begin/ live there, and result/ under external-api/.
func NormalizeBaseURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		s = DefaultBaseURL
	}
	s = strings.TrimRight(s, "/")
	s = strings.TrimSuffix(s, "/external-api")
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("base URL %q is not a URL", raw)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("base URL %q must be an absolute http or https URL", raw)
	}
	if u.User != nil { // not echoed: it would hold a password
		return "", errors.New("base URL must not contain user info (user:password@)")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("base URL %q must not have a query or fragment", raw)
	}
	return s, nil
}

// BaseURL returns the API base without a trailing slash.
func (c *Client) BaseURL() string { return c.baseURL }

// Signing reports whether a secret key is configured.
func (c *Client) Signing() bool { return c.secretKey != nil }

// SessionURL is the widget link for a session token:
// {base}/?session_token=TOKEN.
func (c *Client) SessionURL(token string) string {
	return c.baseURL + "/?session_token=" + url.QueryEscape(token)
}

// Redact replaces every occurrence of the company key and the secret key
// in s (raw, URL/form-escaped, JSON- and Go-quoted forms) with REDACTED.
func (c *Client) Redact(s string) string { return c.redactor.Replace(s) }

// String describes the client without its credentials.
func (c Client) String() string {
	secret := "none"
	if c.secretKey != nil {
		secret = redactedText
	}
	return fmt.Sprintf("api.Client{BaseURL: %q, CompanyKey: %s, SecretKey: %s, Timeout: %v}",
		c.baseURL, redactedText, secret, c.timeout)
}

// GoString is String: credentials never print.
func (c Client) GoString() string { return c.String() }

// Format makes every fmt verb print String, so reflection never reaches
// the unexported credential fields.
func (c Client) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// String describes the options without their credentials.
func (o Options) String() string {
	secret := "none"
	if o.SecretKey != "" {
		secret = redactedText
	}
	company := "none"
	if o.CompanyKey != "" {
		company = redactedText
	}
	return fmt.Sprintf("api.Options{BaseURL: %q, CompanyKey: %s, SecretKey: %s, Timeout: %v, Version: %q, RetryBudget: %v}",
		o.BaseURL, company, secret, o.Timeout, o.Version, o.RetryBudget)
}

// GoString is String: credentials never print.
func (o Options) GoString() string { return o.String() }

// Format makes every fmt verb print String.
func (o Options) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, o.String()) }

// minRedactLen is the shortest secret that is masked wherever it occurs.
// Real keys are long; a test key like "k" or "name" is masked only where
// it stands alone (see shortTokens), since masking it inside other words
// and JSON member names would garble every message.
const minRedactLen = 6

// Redactor returns the client's masking of secrets in text, for other
// places that must never show them (the sandbox's diagnostics).
func Redactor(secrets ...string) func(string) string { return newRedactor(secrets...).Replace }

// redactor masks secrets in text.
type redactor struct {
	long  *strings.Replacer // every form of each long secret
	short []string          // short secrets, masked where they stand alone
}

// newRedactor replaces each non-empty secret in every form it may take in
// a URL, a form body, JSON or a Go-quoted string. Longer forms come first
// so the replacer prefers them where forms overlap.
func newRedactor(secrets ...string) *redactor {
	seen := make(map[string]bool)
	var forms []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			forms = append(forms, s)
		}
	}
	r := &redactor{}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		if len(s) < minRedactLen {
			r.short = append(r.short, s)
			continue
		}
		add(s)
		q := url.QueryEscape(s)
		add(q)
		add(strings.ReplaceAll(q, "+", "%20"))
		add(url.PathEscape(s))
		add(strings.Trim(string(jsonString(s)), `"`))
		if b, err := json.Marshal(s); err == nil { // HTML-escaped JSON
			add(strings.Trim(string(b), `"`))
		}
		add(strings.Trim(strconv.Quote(s), `"`))
		add(strings.Trim(strconv.QuoteToASCII(s), `"`))
	}
	sort.SliceStable(forms, func(i, j int) bool { return len(forms[i]) > len(forms[j]) })
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, redactedText)
	}
	r.long = strings.NewReplacer(pairs...)
	return r
}

// Replace returns s with every secret masked.
func (r *redactor) Replace(s string) string {
	s = r.long.Replace(s)
	for _, k := range r.short {
		s = maskAlone(s, k)
	}
	return s
}

// maskAlone masks each occurrence of k in s that is not part of a longer
// word and not a JSON member name ("k": ...).
func maskAlone(s, k string) string {
	var b strings.Builder
	last := 0
	for i := 0; i+len(k) <= len(s); {
		j := strings.Index(s[i:], k)
		if j < 0 {
			break
		}
		at, end := i+j, i+j+len(k)
		before, _ := utf8.DecodeLastRuneInString(s[:at])
		after, _ := utf8.DecodeRuneInString(s[end:])
		alone := !isWordRune(before) && !isWordRune(after)
		member := before == '"' && after == '"' && strings.HasPrefix(strings.TrimLeft(s[end+1:], " \t\r\n"), ":")
		if alone && !member {
			b.WriteString(s[last:at])
			b.WriteString(redactedText)
			last = end
		}
		i = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-')
}

// sleepContext waits d, or less when ctx ends first.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
