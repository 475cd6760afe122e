package sandbox

import (
	"encoding/json"
	"net/http"

	"github.com/identoflow/identoflow/api"
)

// resultBody is the result/ answer, shaped like the vendor's.
type resultBody struct {
	Result         Outcome       `json:"result"`
	RejectReason   *RejectReason `json:"reject_reason"`
	Name           string        `json:"name"`
	Person         struct{}      `json:"person"`
	Questionnaires []struct{}    `json:"questionnaires"`
}

// handleResult is POST /external-api/result/ with company_key and
// session_token (JSON or URL-encoded form).
//
// Answers: 200 with the result ("in_progress" until the tester picks an
// outcome); 404 {"error":"unknown session"} for a token the sandbox does
// not hold, or one created with another company key; 410 {"error":
// "session expired"} for a session whose token expired before an outcome
// was picked (remembered for an hour). A finished session's result stays
// readable for a day. The api client reports 404 and 410 as a
// *api.StatusError rather than as a result, so an expired session is
// never mistaken for an outcome.
func (s *Server) handleResult(w http.ResponseWriter, r *http.Request) {
	req, err := decodeRequest(w, r)
	if err != nil {
		s.refuse(w, r, "result", err)
		return
	}
	var key, token string
	switch req.encoding {
	case api.EncodingJSON:
		var in struct {
			CompanyKey   any `json:"company_key"`
			SessionToken any `json:"session_token"`
		}
		if err := json.Unmarshal(req.body, &in); err != nil {
			s.refuse(w, r, "result", badRequest("the body is not a JSON object with company_key and session_token"))
			return
		}
		key, _ = in.CompanyKey.(string)
		token, _ = in.SessionToken.(string)
	case api.EncodingForm, api.EncodingQuery, api.EncodingMultipart:
		if name, dup := duplicateField(req.fields); dup {
			s.refuse(w, r, "result", badRequest("field %q is given more than once", name))
			return
		}
		for _, f := range req.fields {
			switch f.name {
			case "company_key":
				key = f.value
			case "session_token":
				token = f.value
			}
		}
	}
	if !s.keyAccepted(key) {
		s.log.Info("result refused: company key invalid")
		s.writeCode(w, r, http.StatusUnauthorized, keyInvalidBody)
		return
	}
	if s.secretKey != nil {
		if err := req.verify(s.secretKey, r.Header.Get("Authorization")); err != nil {
			s.log.Info("result refused: " + err.Error())
			s.writeCode(w, r, http.StatusUnauthorized, signatureInvalidBody)
			return
		}
	}
	if token == "" {
		s.writeJSON(w, r, http.StatusBadRequest, errorBody{Error: "session_token is missing"})
		return
	}
	snap, ok := s.sessions.get(token, s.now())
	if !ok || snap.company != keyDigest(key) {
		s.writeJSON(w, r, http.StatusNotFound, errorBody{Error: "unknown session"})
		return
	}
	if snap.expired {
		s.writeJSON(w, r, http.StatusGone, errorBody{Error: "session expired", Message: "session expired: it was not completed within " + s.ttl.String()})
		return
	}
	s.writeJSON(w, r, http.StatusOK, resultBody{
		Result:         snap.outcome,
		RejectReason:   snap.reason,
		Name:           snap.name,
		Questionnaires: []struct{}{},
	})
}
