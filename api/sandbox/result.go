package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/identoflow/identoflow/api"
)

// resultBody is the result/ answer: the vendor's fields (result,
// reject_reason, name, person, questionnaires) and, in the sandbox's own
// shape, what the customer entered on the pages. Only pages the customer
// completed count; questions hidden by their conditions are left out;
// files are described, never kept.
type resultBody struct {
	Result         Outcome               `json:"result"`
	RejectReason   *RejectReason         `json:"reject_reason"`
	Name           string                `json:"name"`
	Language       string                `json:"language"`
	Person         resultPerson          `json:"person"`
	Documents      []resultDocument      `json:"documents"`
	Questionnaires []resultQuestionnaire `json:"questionnaires"`
	Company        map[string]string     `json:"company"` // null without a company step done
	Beneficiaries  []resultBeneficiary   `json:"beneficiaries"`
}

// resultPerson is what the contact and identity steps collected.
type resultPerson struct {
	Name                string `json:"name,omitempty"` // asked before a video call
	PhoneNumber         string `json:"phone_number,omitempty"`
	PhoneNumberVerified bool   `json:"phone_number_verified,omitempty"`
	Email               string `json:"email,omitempty"`
	EmailVerified       bool   `json:"email_verified,omitempty"`
	Liveness            string `json:"liveness,omitempty"`    // "passed": simulated
	Geolocation         string `json:"geolocation,omitempty"` // "shared" (simulated) or "declined"
}

// resultDocument is a document, selfie or liveness step's capture.
type resultDocument struct {
	Step         string       `json:"step"` // the step's key
	Type         string       `json:"type"` // the step's type
	DocumentType string       `json:"document_type,omitempty"`
	Country      string       `json:"country,omitempty"`
	Files        []resultFile `json:"files"`
}

type resultFile struct {
	Field string `json:"field"` // front, back, selfie, document, …; _upload when uploaded rather than taken
	fileInfo
}

type resultQuestionnaire struct {
	Key     string         `json:"key"`
	Type    string         `json:"type"`
	Answers []resultAnswer `json:"answers"`
}

// resultAnswer is one answered question: value is a string (string and
// options questions, single dropdowns) or a list of option keys
// (multiple-choice, multiple dropdowns); a file question has files.
type resultAnswer struct {
	Key   string     `json:"key"`
	Type  string     `json:"type"`
	Value any        `json:"value,omitempty"`
	Files []fileInfo `json:"files,omitempty"`
}

type resultBeneficiary struct {
	Role   string            `json:"role"`
	Type   string            `json:"type"` // individual or company
	Fields map[string]string `json:"fields"`
}

// handleResult is POST /external-api/result/ with company_key and
// session_token (JSON or URL-encoded form).
//
// Answers: 200 with the result ("in_progress" until the tester picks an
// outcome) and what was entered so far; 404 {"error":"unknown session"}
// for a token the sandbox does not hold, or one created with another
// company key; 410 {"error": "session expired"} for a session whose token
// expired before an outcome was picked (remembered for an hour, its
// answers already dropped). A finished session's result stays readable
// for a day. The api client reports 404 and 410 as a *api.StatusError
// rather than as a result, so an expired session is never mistaken for an
// outcome. Naming unknown tokens counts towards the client's limit, as on
// the pages.
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
	now := s.now()
	s.web.expiring.sweep(now)
	client := guessClient(r)
	if wait := s.web.guesses.wait(client, now); wait > 0 {
		w.Header().Set("Retry-After", retryAfter(wait))
		s.writeJSON(w, r, http.StatusTooManyRequests, errorBody{Error: "too many requests", Message: "too many unknown session tokens from this client; retry later"})
		return
	}
	snap, ok := s.sessions.get(token, now)
	if !ok || snap.company != keyDigest(key) {
		s.web.guesses.failed(client, now)
		s.writeJSON(w, r, http.StatusNotFound, errorBody{Error: "unknown session"})
		return
	}
	if snap.expired {
		s.writeJSON(w, r, http.StatusGone, errorBody{Error: "session expired", Message: "session expired: it was not completed within " + s.ttl.String()})
		return
	}
	body := resultBody{
		Result:         snap.outcome,
		RejectReason:   snap.reason,
		Name:           snap.name,
		Documents:      []resultDocument{},
		Questionnaires: []resultQuestionnaire{},
		Beneficiaries:  []resultBeneficiary{},
	}
	if snap.walk != nil {
		snap.walk.entered(&body)
	}
	s.writeJSON(w, r, http.StatusOK, body)
}

// entered fills in what the customer entered on the pages they completed.
func (w *walk) entered(b *resultBody) {
	p := w.getPlan()
	w.mu.Lock()
	defer w.mu.Unlock()
	b.Language = w.lang
	if b.Language == "" {
		b.Language = p.main
	}
	for i, e := range w.entries {
		if e == nil || !e.done {
			continue
		}
		spec := p.pages[i]
		switch spec.typ {
		case "identity-document", "general-document", "face-document", "liveness":
			if spec.typ == "liveness" {
				b.Person.Liveness = "passed"
			}
			doc := resultDocument{Step: spec.key, Type: spec.typ, DocumentType: e.accepted("doc_type"), Country: e.accepted("country"), Files: []resultFile{}}
			for _, field := range []string{"front", "front_upload", "back", "back_upload", "document", "selfie", "selfie_upload"} {
				for _, f := range e.files[field] {
					doc.Files = append(doc.Files, resultFile{Field: field, fileInfo: f})
				}
			}
			if spec.typ != "liveness" || len(doc.Files) > 0 {
				b.Documents = append(b.Documents, doc)
			}
		case "phone-number":
			b.Person.PhoneNumber, b.Person.PhoneNumberVerified = e.accepted("value"), e.accepted("verified") == "true"
		case "email":
			b.Person.Email, b.Person.EmailVerified = e.accepted("value"), e.accepted("verified") == "true"
		case "geolocation":
			b.Person.Geolocation = e.accepted("location")
		case "video-call":
			if n := e.accepted("name"); n != "" {
				b.Person.Name = n
			}
		case "user-questionnaire", "operator-questionnaire":
			b.Questionnaires = append(b.Questionnaires, questionnaireResult(spec, e))
		case "company":
			b.Company = map[string]string{}
			for name, v := range e.values {
				if t, ok := strings.CutPrefix(name, "f_"); ok && len(v) > 0 && v[0] != "" {
					b.Company[t] = v[0]
				}
			}
		case "beneficiaries":
			for _, pr := range e.people {
				fields := map[string]string{}
				for name, v := range pr.Fields {
					fields[strings.TrimPrefix(name, "f_")] = v
				}
				b.Beneficiaries = append(b.Beneficiaries, resultBeneficiary{Role: pr.Role, Type: pr.Kind, Fields: fields})
			}
		}
	}
}

func questionnaireResult(spec pageSpec, e *entry) resultQuestionnaire {
	qr := resultQuestionnaire{Key: spec.key, Type: spec.typ, Answers: []resultAnswer{}}
	for i, q := range spec.step.Questions() {
		field := questionField(i)
		a := resultAnswer{Key: q.Key(), Type: q.Type()}
		vals := e.values[field]
		switch {
		case q.Type() == "file":
			if len(e.files[field]) == 0 {
				continue
			}
			a.Files = e.files[field]
		case len(vals) == 0:
			continue
		case q.Type() == "multiple-choice" || (q.Type() == "dropdown" && q.Bool("multiple")):
			a.Value = vals
		default:
			a.Value = vals[0]
		}
		qr.Answers = append(qr.Answers, a)
	}
	return qr
}
