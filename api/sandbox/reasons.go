package sandbox

import "slices"

// The reasons the outcome page offers for a rejection: those that fit the
// steps of the session's flow, in the order of its steps, then a generic
// one; the first is the default.

// genericReason fits any flow.
func genericReason() RejectReason {
	return RejectReason{"OTHER", "Rejected for another reason"}
}

// faceMismatch compares a face with a document's photo.
func faceMismatch() RejectReason {
	return RejectReason{"FACE_MISMATCH", "The face does not match the document photo"}
}

// stepReasons are the reasons that fit a step of type typ; withDocument:
// the flow has an identity document to compare a face with.
func stepReasons(typ string, withDocument bool) []RejectReason {
	switch typ {
	case "identity-document":
		return []RejectReason{
			{"DOCUMENT_EXPIRED", "The identity document has expired"},
			{"DOCUMENT_UNREADABLE", "The document could not be read"},
			{"SUSPECTED_FRAUD", "The document appears to be tampered with"},
		}
	case "liveness":
		if withDocument {
			return []RejectReason{{"LIVENESS_FAILED", "The liveness check failed"}, faceMismatch()}
		}
		return []RejectReason{{"LIVENESS_FAILED", "The liveness check failed"}}
	case "face-document":
		return []RejectReason{faceMismatch()}
	case "general-document":
		return []RejectReason{{"ADDRESS_PROOF_REJECTED", "The proof of address could not be accepted"}}
	case "phone-number":
		return []RejectReason{{"PHONE_NOT_VERIFIED", "The phone number could not be verified"}}
	case "email":
		return []RejectReason{{"EMAIL_NOT_VERIFIED", "The email address could not be verified"}}
	case "geolocation":
		return []RejectReason{{"LOCATION_NOT_ALLOWED", "The location is outside the allowed area"}}
	case "company", "beneficiaries", "kyb-review":
		return []RejectReason{{"COMPANY_DATA_MISMATCH", "The company data could not be verified"}}
	case "video-call", "operator-questionnaire":
		return []RejectReason{{"OPERATOR_REJECTED", "The operator rejected the session"}}
	case "user-questionnaire":
		return []RejectReason{{"ANSWERS_NOT_ACCEPTED", "The answers do not meet the requirements"}}
	}
	return nil
}

// reasonsFor are the reasons for a flow whose steps (a video call's own
// among them) have the types types: those that fit them, each once, in
// the order of the steps, then the generic one.
func reasonsFor(types []string) []RejectReason {
	withDocument := slices.Contains(types, "identity-document")
	var out []RejectReason
	for _, typ := range types {
		for _, r := range stepReasons(typ, withDocument) {
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return append(out, genericReason())
}

// RejectReasons are every reason an outcome page may offer. A session's
// page offers those that fit its flow's steps and the generic one; a
// session created from a saved configuration (steps the sandbox cannot
// see) is offered them all.
func RejectReasons() []RejectReason {
	return reasonsFor([]string{
		"identity-document", "liveness", "face-document", "general-document", "phone-number", "email",
		"geolocation", "company", "video-call", "user-questionnaire",
	})
}

// rejectReasons are the reasons the plan's outcome page offers, the
// default first.
func (p *plan) rejectReasons() []RejectReason {
	if len(p.pages) == 0 && p.configID != "" {
		return RejectReasons()
	}
	types := make([]string, len(p.pages))
	for i, pg := range p.pages {
		types[i] = pg.typ
	}
	return reasonsFor(types)
}

// rejectReason is the offered reason of the given value; the default
// (the first offered) when none has it.
func rejectReason(offered []RejectReason, value string) RejectReason {
	if i := slices.IndexFunc(offered, func(r RejectReason) bool { return r.Value == value }); i >= 0 {
		return offered[i]
	}
	return offered[0]
}
