package sandbox

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/flow"
)

// Limits and defaults.
const (
	// DefaultAddr is where the CLI serves by default.
	DefaultAddr = "127.0.0.1:8790"
	// DefaultTokenTTL is how long a session token is valid (the vendor's 15 minutes).
	DefaultTokenTTL = api.TokenLifetime
	// DefaultMaxSessions bounds the live sessions, and each of the tiers
	// of expired and finished ones kept in memory.
	DefaultMaxSessions = 10_000
	// DefaultMaxSessionsPerClient bounds the live sessions of one client
	// on the network, so that no one client can fill the sandbox.
	DefaultMaxSessionsPerClient = 100
	// MaxBodyBytes is the largest request body accepted (413 beyond).
	MaxBodyBytes = 1 << 20

	// expiredRetention is how long an expired, unfinished session is
	// remembered so that result/ can answer 410 rather than 404.
	expiredRetention = time.Hour
	// resultRetention is how long a finished session's result stays readable.
	resultRetention = 24 * time.Hour

	// Wire answers of the vendor for refused credentials.
	keyInvalidBody       = "COMPANY_KEY_INVALID"
	signatureInvalidBody = "SIGNATURE_INVALID"

	completePath = "/sandbox/complete"
)

// Options configure a Server. The zero value is a usable sandbox that
// accepts any non-empty company key and does not sign.
type Options struct {
	// CompanyKey, when set, is the only key accepted; empty accepts any
	// non-empty key. Surrounding whitespace is ignored.
	CompanyKey string
	// SecretKey, when set, requires a valid HMAC signature on begin/ and
	// result/ requests and signs every response. Surrounding whitespace is
	// ignored.
	SecretKey string
	// Now returns the current time; default time.Now. Tests inject a clock
	// to exercise expiry.
	Now func() time.Time
	// TokenTTL is how long a session can be completed; default DefaultTokenTTL.
	TokenTTL time.Duration
	// MaxSessions bounds the live sessions (in progress, token valid);
	// default DefaultMaxSessions. Past it, begin/ answers 503 until
	// sessions expire or finish. Up to as many expired and as many
	// finished sessions are remembered besides, each for its retention
	// (an hour, a day), the oldest dropped first when more come.
	MaxSessions int
	// MaxSessionsPerClient bounds the live sessions of one client reached
	// over the network (an IP address; for IPv6 its /64 network): past it,
	// begin/ answers 429 until one of its sessions expires or finishes.
	// Clients on this machine (loopback) are not limited. Default
	// DefaultMaxSessionsPerClient; negative means no limit.
	MaxSessionsPerClient int
	// Logger receives one line per request and per session event, never a
	// key, a request body or a query string; nil discards.
	Logger *slog.Logger
	// PublicURL, when set, is the URL the sandbox is reached at through a
	// tunnel or reverse proxy (see CheckPublicURL): session links carry
	// it, and forms from it are accepted.
	PublicURL string
}

// String describes the options without their keys.
func (o Options) String() string {
	pinned, signing := "any", "off"
	if strings.TrimSpace(o.CompanyKey) != "" {
		pinned = "pinned"
	}
	if strings.TrimSpace(o.SecretKey) != "" {
		signing = "on"
	}
	return "sandbox.Options{CompanyKey: " + pinned + ", HMAC: " + signing + ", TokenTTL: " + o.TokenTTL.String() + "}"
}

// GoString is String: keys never print.
func (o Options) GoString() string { return o.String() }

// Server is the sandbox. It is safe for concurrent use.
type Server struct {
	companyKey []byte // nil: any non-empty key
	secretKey  []byte // nil: no HMAC
	now        func() time.Time
	ttl        time.Duration
	log        *slog.Logger
	sessions   *store
	handler    http.Handler
	// checkpoint, when set, is called as a begin/ enters each phase of
	// its work; tests hold a request there.
	checkpoint func(ctx context.Context, phase string)
	cspAPI     string
	web        *web // the customer's pages
}

// New returns a sandbox with the given options.
func New(opts Options) *Server {
	s := &Server{
		now: opts.Now,
		ttl: opts.TokenTTL,
		log: opts.Logger,
	}
	if k := strings.TrimSpace(opts.CompanyKey); k != "" {
		s.companyKey = []byte(k)
	}
	if k := strings.TrimSpace(opts.SecretKey); k != "" {
		s.secretKey = []byte(k)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.ttl <= 0 {
		s.ttl = DefaultTokenTTL
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	maxSessions := opts.MaxSessions
	if maxSessions <= 0 {
		maxSessions = DefaultMaxSessions
	}
	perClient := opts.MaxSessionsPerClient
	if perClient == 0 {
		perClient = DefaultMaxSessionsPerClient
	}
	s.sessions = newStore(maxSessions, perClient)
	s.web = newWeb(opts.PublicURL, s.log)
	s.cspAPI = "default-src 'none'; frame-ancestors 'none'"
	s.handler = http.HandlerFunc(s.route)
	return s
}

// String describes the server without its keys.
func (s *Server) String() string {
	pinned, signing := "any", "off"
	if s.companyKey != nil {
		pinned = "pinned"
	}
	if s.secretKey != nil {
		signing = "on"
	}
	return "sandbox.Server{CompanyKey: " + pinned + ", HMAC: " + signing + "}"
}

// Handler returns the HTTP handler serving every sandbox path.
func (s *Server) Handler() http.Handler { return s.handler }

// Sessions returns how many sessions are held in memory (live, expired
// but remembered, and finished).
func (s *Server) Sessions() int { return s.sessions.len() }

// route dispatches by path, then method: unknown paths are 404 and known
// paths with another method 405, both with the same signed JSON answers
// as the rest of the API.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case api.BeginPath, api.BeginAliasPath, strings.TrimSuffix(api.BeginPath, "/"), strings.TrimSuffix(api.BeginAliasPath, "/"):
		if s.allow(w, r, http.MethodPost) {
			s.handleBegin(w, r)
		}
	case api.ResultPath, strings.TrimSuffix(api.ResultPath, "/"):
		if s.allow(w, r, http.MethodPost) {
			s.handleResult(w, r)
		}
	case "/":
		if s.allow(w, r, http.MethodGet, http.MethodHead) {
			s.handleWidget(w, r)
		}
	case completePath:
		if s.allow(w, r, http.MethodPost) {
			s.handleComplete(w, r)
		}
	case stepPath:
		if s.allow(w, r, http.MethodPost) {
			s.handleStep(w, r)
		}
	default:
		s.writeJSON(w, r, http.StatusNotFound, errorBody{Error: "not found", Message: "no such path in the sandbox: POST " + api.BeginPath + ", POST " + api.ResultPath + " or GET /?session_token=TOKEN"})
	}
}

func (s *Server) allow(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	s.writeJSON(w, r, http.StatusMethodNotAllowed, errorBody{Error: "method not allowed", Message: r.Method + " is not allowed here; use " + strings.Join(methods, " or ")})
	return false
}

// errorBody is every JSON error answer. The client shows Message when
// present, else Error.
type errorBody struct {
	Error       string `json:"error"`
	Message     string `json:"message,omitempty"`
	Diagnostics any    `json:"diagnostics,omitempty"`
}

// writeJSON encodes v (without HTML escaping, like the vendor) and sends it.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only sandbox-built values reach here; they always encode.
		s.log.Error("encoding an answer failed", "err", err)
		status = http.StatusInternalServerError
		b.Reset()
		b.WriteString(`{"error":"internal error"}`)
	}
	// Answers may hold a customer's or a config's text: no raw control or
	// bidi character reaches whoever reads them.
	s.send(w, r, status, "application/json; charset=utf-8", s.cspAPI, flow.EscapeJSON([]byte(strings.TrimSuffix(b.String(), "\n"))))
}

// writeCode sends a vendor error code as a JSON string, e.g. "COMPANY_KEY_INVALID".
func (s *Server) writeCode(w http.ResponseWriter, r *http.Request, status int, code string) {
	s.send(w, r, status, "application/json; charset=utf-8", s.cspAPI, []byte(`"`+code+`"`))
}

// send writes one complete answer: security headers, the signature over
// the body when a secret key is set, then the body. Every answer of the
// sandbox goes through here.
func (s *Server) send(w http.ResponseWriter, r *http.Request, status int, contentType, csp string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	if h.Get("Referrer-Policy") == "" { // pages set their own
		h.Set("Referrer-Policy", "no-referrer")
	}
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", csp)
	if s.secretKey != nil {
		h.Set("Authorization", api.AuthorizationHeader(api.Sign(s.secretKey, body)))
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
	if s.log.Enabled(r.Context(), slog.LevelDebug) {
		// The path only: a query-encoded begin/ carries the company key.
		s.log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", status)
	}
}

// keyAccepted checks a company key in constant time when one is pinned.
func (s *Server) keyAccepted(key string) bool {
	if key == "" {
		return false
	}
	if s.companyKey == nil {
		return true
	}
	return subtle.ConstantTimeCompare([]byte(key), s.companyKey) == 1
}

// clientOf names the client of a request for the limits on live sessions:
// its network (see networkOf), or "" for a client on this machine
// (loopback) or an address that is not IP, which are not limited.
func clientOf(r *http.Request) string {
	name, addr := networkOf(r)
	if addr.IsLoopback() {
		return ""
	}
	return name
}

// networkOf names the network client of a request: its IP address, for
// IPv6 its /64 network (which one host typically holds whole); "" and the
// zero address when RemoteAddr is not an IP address and port.
func networkOf(r *http.Request) (string, netip.Addr) {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return "", netip.Addr{}
	}
	addr := ap.Addr().Unmap()
	if addr.Is4() {
		return addr.String(), addr
	}
	return netip.PrefixFrom(addr.WithZone(""), 64).Masked().String(), addr
}

// keyDigest identifies the company that created a session without
// keeping its key in memory.
func keyDigest(key string) [sha256.Size]byte { return sha256.Sum256([]byte(key)) }
