package sandbox

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/identoflow/identoflow/api"
	"github.com/identoflow/identoflow/flow"
)

// jsonFields are the begin/ fields that travel as JSON text in the form,
// query and multipart encodings; every other field is a plain string.
var jsonFields = map[string]bool{"flags": true, "steps": true}

// handleBegin is POST /begin/: check the key, the signature and the
// room for a session before the costly part, validating the flow; then
// create the session and answer its token as a JSON string. Between
// phases it stops when the client has gone.
func (s *Server) handleBegin(w http.ResponseWriter, r *http.Request) {
	req, err := decodeRequest(w, r)
	if err != nil {
		s.refuse(w, r, "begin", err)
		return
	}
	if !s.proceed(r, "parse") {
		return
	}
	var (
		key   string
		cfg   *flow.Config
		diags flow.Diagnostics
	)
	if req.encoding == api.EncodingJSON {
		key, cfg, diags = configFromJSON(req.body)
	} else {
		key, cfg, diags, err = configFromFields(req.fields)
		if err != nil {
			s.refuse(w, r, "begin", err)
			return
		}
	}
	if cfg == nil { // not JSON: neither the key nor the flow can be read
		s.refuseFlow(w, r, diags, "", req.encoding)
		return
	}
	if !s.keyAccepted(key) {
		s.log.Info("begin refused: company key invalid", "encoding", req.encoding.String())
		s.writeCode(w, r, http.StatusUnauthorized, keyInvalidBody)
		return
	}
	if s.secretKey != nil {
		if err := req.verify(s.secretKey, r.Header.Get("Authorization")); err != nil {
			s.log.Info("begin refused: "+err.Error(), "encoding", req.encoding.String())
			s.writeCode(w, r, http.StatusUnauthorized, signatureInvalidBody)
			return
		}
	}
	client := clientOf(r)
	if wait, err := s.sessions.room(client, s.now()); err != nil {
		s.refuseFull(w, r, wait, err)
		return
	}
	if !s.proceed(r, "validate") {
		return
	}
	if len(diags) == 0 { // a field that is not JSON would only echo as "missing"
		diags = flow.Validate(cfg)
	}
	if diags.HasErrors() {
		s.refuseFlow(w, r, diags, key, req.encoding)
		return
	}
	if !s.proceed(r, "store") {
		return
	}
	now := s.now()
	sess := newSession(cfg, key)
	sess.createdAt = now
	sess.expiresAt = now.Add(s.ttl)
	sess.client = client
	token, wait, err := s.sessions.add(sess, now)
	if errors.Is(err, errStoreFull) || errors.Is(err, errClientFull) {
		s.refuseFull(w, r, wait, err)
		return
	}
	if err != nil {
		s.log.Error("begin failed", "err", err)
		s.writeJSON(w, r, http.StatusInternalServerError, errorBody{Error: "internal error", Message: err.Error()})
		return
	}
	s.log.Info("session created", "token", token, "encoding", req.encoding.String(), "steps", cfg.Get("steps").Len())
	s.send(w, r, http.StatusOK, "application/json; charset=utf-8", s.cspAPI, []byte(strconv.Quote(token)))
}

// proceed reports whether a begin/ goes on into phase: not when its
// client has gone (the request's context has ended), as nobody would
// read the answer.
func (s *Server) proceed(r *http.Request, phase string) bool {
	if s.checkpoint != nil {
		s.checkpoint(r.Context(), phase)
	}
	if err := r.Context().Err(); err != nil {
		s.log.Info("begin abandoned: the client has gone", "before", phase)
		return false
	}
	return true
}

// refuseFull answers a begin/ for which there is no room: 503 when the
// sandbox holds its most live sessions, 429 when the client holds its
// most; Retry-After says when the oldest session in the way expires.
func (s *Server) refuseFull(w http.ResponseWriter, r *http.Request, wait time.Duration, err error) {
	w.Header().Set("Retry-After", retryAfter(wait))
	if errors.Is(err, errClientFull) {
		s.log.Warn("begin refused: too many live sessions from one client")
		s.writeJSON(w, r, http.StatusTooManyRequests, errorBody{
			Error:   "too many sessions",
			Message: "this client holds too many live sessions in the sandbox; retry when some expire or finish",
		})
		return
	}
	s.log.Warn("begin refused: too many live sessions")
	s.writeJSON(w, r, http.StatusServiceUnavailable, errorBody{
		Error:   "too many sessions",
		Message: "the sandbox holds too many live sessions; retry when some expire or finish",
	})
}

// refuseFlow answers 400 with the diagnostics of a flow with errors.
func (s *Server) refuseFlow(w http.ResponseWriter, r *http.Request, diags flow.Diagnostics, key string, enc api.Encoding) {
	s.log.Info("begin refused: invalid flow", "errors", diags.Count(flow.SevError), "encoding", enc.String())
	diags = redactDiagnostics(diags, key, string(s.secretKey), string(s.companyKey))
	s.writeJSON(w, r, http.StatusBadRequest, errorBody{
		Error:       "invalid flow",
		Message:     invalidFlowMessage(diags),
		Diagnostics: diags,
	})
}

// refuse answers a request that could not be read.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, endpoint string, err error) {
	status := http.StatusBadRequest
	var re *requestError
	if errors.As(err, &re) {
		status = re.status
	}
	s.log.Info(endpoint+" refused: "+err.Error(), "status", status)
	s.writeJSON(w, r, status, errorBody{Error: "invalid request", Message: err.Error()})
}

// configFromJSON reads a JSON begin/ body: the company key, and the
// config that is the body minus the key. A body that is not a JSON
// object yields one json-syntax diagnostic and no config.
func configFromJSON(body []byte) (key string, cfg *flow.Config, diags flow.Diagnostics) {
	cfg, err := flow.Parse(body)
	if err != nil {
		// The body is at most MaxBodyBytes, so only a syntax error is possible.
		return "", nil, flow.Diagnostics{{Severity: flow.SevError, Code: flow.CodeJSONSyntax, Message: err.Error()}}
	}
	key, _ = cfg.Get("company_key").Str()
	cfg.Root().Delete("company_key")
	return key, cfg, nil
}

// configFromFields rebuilds the config object from form, query or
// multipart fields, in their order and without the company key: flags
// and steps are parsed as JSON, every other field is a string.
func configFromFields(fields []formField) (key string, cfg *flow.Config, diags flow.Diagnostics, err error) {
	if name, dup := duplicateField(fields); dup {
		return "", nil, nil, badRequest("field %q is given more than once", name)
	}
	root := flow.NewObject()
	for _, f := range fields {
		if f.name == "company_key" {
			key = f.value
			continue
		}
		if !jsonFields[f.name] {
			root.Set(f.name, flow.NewString(f.value), nil)
			continue
		}
		v, err := flow.ParseValue([]byte(f.value))
		if err != nil {
			diags = append(diags, flow.Diagnostic{
				Severity: flow.SevError,
				Code:     flow.CodeJSONSyntax,
				Path:     flow.Pointer(f.name),
				Message:  fmt.Sprintf("%q must be JSON text in this encoding: %v", f.name, err),
			})
			continue
		}
		root.Set(f.name, v, nil)
	}
	cfg, err = flow.FromValue(root)
	if err != nil { // root is an object: cannot happen
		return "", nil, nil, err
	}
	return key, cfg, diags, nil
}

// newSession takes from a valid config what the page and result/ show.
// The pages themselves are planned when first opened (see walk.getPlan).
func newSession(cfg *flow.Config, key string) *session {
	sess := &session{
		company: keyDigest(key),
		name:    cfg.String("name"),
		walk:    newWalk(cfg),
	}
	if u, ok := cfg.Flag("return_url").Str(); ok {
		sess.returnURL = u
	}
	return sess
}

// redactDiagnostics masks the keys wherever a message quotes a value, in
// case the caller pasted one into another field, as the client masks them.
func redactDiagnostics(diags flow.Diagnostics, keys ...string) flow.Diagnostics {
	redact := api.Redactor(keys...)
	out := make(flow.Diagnostics, len(diags))
	for i, d := range diags {
		d.Message = redact(d.Message)
		d.Path = redact(d.Path) // a key used as a member name
		out[i] = d
	}
	return out
}

// invalidFlowMessage is the one-line summary the client shows: the first
// error and how many more there are.
func invalidFlowMessage(diags flow.Diagnostics) string {
	errs := diags.Count(flow.SevError)
	for _, d := range diags {
		if d.Severity != flow.SevError {
			continue
		}
		msg := "invalid flow: " + d.String()
		switch {
		case errs == 2:
			msg += " (and 1 more error)"
		case errs > 2:
			msg += fmt.Sprintf(" (and %d more errors)", errs-1)
		}
		return msg
	}
	return "invalid flow"
}
