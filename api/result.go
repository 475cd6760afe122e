package api

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
)

// Outcome is the state of a session's verification.
type Outcome int

// Outcomes, from the "result" field:
//   - "approved" → OutcomeApproved; "rejected" → OutcomeRejected;
//   - empty or absent, "in_progress" / "in-progress", "pending", "started",
//     "processing" → OutcomeInProgress (the customer has not finished);
//   - any other value ("manual_check", "review", …) → OutcomeManualCheck:
//     finished, waiting for a person at the company.
//
// Matching ignores case and surrounding spaces.
const (
	OutcomeInProgress Outcome = iota
	OutcomeApproved
	OutcomeRejected
	OutcomeManualCheck
)

// String is a short lower-case name: "in progress", "approved", "rejected", "manual check".
func (o Outcome) String() string {
	switch o {
	case OutcomeApproved:
		return "approved"
	case OutcomeRejected:
		return "rejected"
	case OutcomeManualCheck:
		return "manual check"
	default:
		return "in progress"
	}
}

// Result is a session's result as returned by external-api/result/. Its
// texts (Status, RejectReason, Name) have the client's credentials masked;
// Raw is the body as sent.
type Result struct {
	// Status is the "result" field ("approved", "rejected", …).
	Status string
	// RejectReason is set when the answer has a non-null reject_reason.
	RejectReason *RejectReason
	// Name is the "name" field (the person's or session's name).
	Name string
	// Person and Questionnaires are kept as sent; nil when absent or null.
	Person         json.RawMessage
	Questionnaires json.RawMessage
	// Raw is the whole response body.
	Raw json.RawMessage
}

// RejectReason says why a session was rejected. A field the server sends
// as something other than a string (a localized object, say) is kept as
// its compact JSON text.
type RejectReason struct {
	Value       string
	Description string
}

// Outcome classifies Status (see the Outcome constants).
func (r Result) Outcome() Outcome {
	switch strings.ToLower(strings.TrimSpace(r.Status)) {
	case "approved":
		return OutcomeApproved
	case "rejected":
		return OutcomeRejected
	case "", "in_progress", "in-progress", "pending", "started", "processing":
		return OutcomeInProgress
	default:
		return OutcomeManualCheck
	}
}

// isManualCheck reports whether Status is "manual check" itself, however
// written: manual_check, Manual-Check, MANUAL CHECK.
func (r Result) isManualCheck() bool {
	s := strings.NewReplacer("_", " ", "-", " ").Replace(strings.ToLower(strings.TrimSpace(r.Status)))
	return strings.Join(strings.Fields(s), " ") == "manual check"
}

// Final reports whether the result will not change by itself any more:
// approved, rejected or waiting for a manual check.
func (r Result) Final() bool { return r.Outcome() != OutcomeInProgress }

// Label is a one-line human description, e.g. "Approved",
// "Rejected: document expired (DOC_EXPIRED)", "Manual check (review)",
// "In progress".
func (r Result) Label() string {
	switch r.Outcome() {
	case OutcomeApproved:
		return "Approved"
	case OutcomeRejected:
		label := "Rejected"
		if rr := r.RejectReason; rr != nil {
			switch {
			case rr.Description != "" && rr.Value != "":
				label += ": " + rr.Description + " (" + rr.Value + ")"
			case rr.Description != "":
				label += ": " + rr.Description
			case rr.Value != "":
				label += ": " + rr.Value
			}
		}
		return excerpt(label, maxMessageRunes)
	case OutcomeManualCheck:
		if r.isManualCheck() { // said once, not "Manual check (manual_check)"
			return "Manual check"
		}
		return excerpt("Manual check ("+r.Status+")", maxMessageRunes)
	default:
		return "In progress"
	}
}

// Result fetches the result of the session with the given token. Errors
// are as for Begin; an answer that is not a JSON object is an error.
func (c *Client) Result(ctx context.Context, token string) (Result, error) {
	const endpoint = "result/"
	req, err := c.BuildResultRequest(token)
	if err != nil {
		return Result{}, c.errorf("%s: %w", endpoint, err)
	}
	rep, err := c.send(ctx, endpoint, req)
	if err != nil {
		return Result{}, err
	}
	if err := c.checkReply(endpoint, rep); err != nil {
		return Result{}, err
	}
	return c.parseResult(endpoint, rep.body)
}

func (c *Client) parseResult(endpoint string, body []byte) (Result, error) {
	text := bytes.TrimSpace(body)
	if len(text) == 0 {
		return Result{}, c.unexpected(endpoint, "empty body")
	}
	var raw struct {
		Result         json.RawMessage `json:"result"`
		RejectReason   json.RawMessage `json:"reject_reason"`
		Name           json.RawMessage `json:"name"`
		Person         json.RawMessage `json:"person"`
		Questionnaires json.RawMessage `json:"questionnaires"`
	}
	if text[0] != '{' || json.Unmarshal(text, &raw) != nil {
		var s string
		if json.Unmarshal(text, &s) == nil && errorCode.MatchString(s) {
			return Result{}, c.unexpected(endpoint, c.quoteExcerpt(s)+" looks like an error code, not a result")
		}
		return Result{}, c.unexpected(endpoint, c.quoteExcerpt(string(text))+" is not a JSON object")
	}
	// The texts are kept, shown and written to the journal: a credential
	// the server echoes back in them is masked here, once for all.
	masked := func(raw json.RawMessage) string { return c.Redact(looseString(raw)) }
	res := Result{
		Status:         masked(raw.Result),
		Name:           masked(raw.Name),
		Person:         nonNull(raw.Person),
		Questionnaires: nonNull(raw.Questionnaires),
		Raw:            json.RawMessage(bytes.Clone(body)),
	}
	if rr := nonNull(raw.RejectReason); rr != nil {
		var fields struct {
			Value       json.RawMessage `json:"value"`
			Description json.RawMessage `json:"description"`
		}
		if rr[0] == '{' && json.Unmarshal(rr, &fields) == nil {
			res.RejectReason = &RejectReason{Value: masked(fields.Value), Description: masked(fields.Description)}
		} else {
			res.RejectReason = &RejectReason{Value: masked(rr)}
		}
	}
	return res, nil
}

// looseString is a field as text to show, on one line (see oneLine): a
// JSON string's value, "" for null or absent, or the compact JSON of any
// other value.
func looseString(raw json.RawMessage) string {
	raw = nonNull(raw)
	if raw == nil {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return oneLine(s)
	}
	var compact bytes.Buffer
	if json.Compact(&compact, raw) == nil {
		return oneLine(compact.String())
	}
	return oneLine(string(raw))
}

func nonNull(raw json.RawMessage) json.RawMessage {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return raw
}
