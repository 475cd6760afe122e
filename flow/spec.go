package flow

import "slices"

// This file is the one source of truth for what a config may say: the
// validator, the JSON Schema, the wizard's catalog and pickers all read it.

// ValueKind is the shape a known field takes.
type ValueKind int

// The shapes of known fields.
const (
	KindString     ValueKind = iota // a JSON string
	KindBool                        // a JSON boolean
	KindStringList                  // an array of strings
	KindText                        // a string or a {language: string} object
	KindURL                         // null or an absolute http(s) URL
	KindDateTime                    // an RFC 3339 date-time string
	KindObject                      // a JSON object with its own rules
	KindArray                       // a JSON array with its own rules
	KindInt                         // a whole number
	KindAny                         // checked by hand (preset answers)
)

// FieldSpec describes one known field or flag.
type FieldSpec struct {
	Name     string
	Kind     ValueKind
	Enum     []string // allowed values (of the string, or of each list item)
	Default  string   // the vendor's default, as JSON text; "" when none
	Nullable bool     // null is accepted (only the two URL flags: SPEC §12)
	Doc      string   // one line for people
}

// StepSpec describes one step type.
type StepSpec struct {
	Type       string
	DefaultKey string // "" when the client must choose one
	Title      string // the vendor's default title
	Summary    string // one line for the catalog
	Props      []FieldSpec
	Flags      []FieldSpec
	Localized  bool // title and description want {language: text} objects
}

// Languages is what a localized text and the language step accept.
var languages = []string{"en", "es", "ka", "uk", "ru", "uz", "it", "gr", "tr", "ro", "ar", "de", "pl", "hi", "bn", "az", "ja", "pt", "fr", "kk", "sv", "hy"}

// Languages returns the 22 language codes of the language step, the global
// language flag's 21 plus "hy".
func Languages() []string { return slices.Clone(languages) }

// UILanguages returns the 21 codes of the global "language" flag.
func UILanguages() []string { return slices.Clone(languages[:21]) }

// LanguageName returns the English name of a language code.
func LanguageName(code string) string {
	if n, ok := languageNames[code]; ok {
		return n
	}
	return code
}

// The vendor's codes are not all ISO 639-1 ("gr" is Greek), so their names
// are listed here rather than looked up.
var languageNames = map[string]string{
	"en": "English", "es": "Spanish", "ka": "Georgian", "uk": "Ukrainian", "ru": "Russian",
	"uz": "Uzbek", "it": "Italian", "gr": "Greek", "tr": "Turkish", "ro": "Romanian",
	"ar": "Arabic", "de": "German", "pl": "Polish", "hi": "Hindi", "bn": "Bengali",
	"az": "Azerbaijani", "ja": "Japanese", "pt": "Portuguese", "fr": "French",
	"kk": "Kazakh", "sv": "Swedish", "hy": "Armenian",
}

// Enumerations of SPEC §3–§5.
var (
	documentTypes        = []string{"id", "passport", "driver_license", "residence_license"}
	generalDocumentTypes = []string{"bank_statement", "utility_bill", "yellow_slip", "drivers_license", "vehicle_registration_certificate"}
	questionTypes        = []string{"string", "multiple-choice", "options", "dropdown", "file"}
	fileTypes            = []string{"pdf", "image"}
	roles                = []string{"shareholder", "ubo", "director", "representative", "other"}
	fieldTypes           = []string{"companyName", "registrationNumber", "registrationCountry", "companyEntityType", "legalAddress", "taxId", "dateOfIncorporation", "contactNumber", "email", "website", "ownershipPercentage", "firstName", "lastName", "dateOfBirth", "positionName"}
	companyOnlyFields    = []string{"companyName", "registrationNumber", "registrationCountry", "companyEntityType", "legalAddress", "taxId", "dateOfIncorporation", "website"}
	companyLockedFields  = []string{"companyName", "registrationNumber", "registrationCountry"}
	personLockedFields   = []string{"firstName", "lastName", "dateOfBirth"}
	otherLockedFields    = []string{"firstName", "lastName", "dateOfBirth", "positionName"}
	// shareholderLockedFields are both sets: a shareholder may be a person
	// or a company (SPEC §12).
	shareholderLockedFields = []string{"companyName", "registrationNumber", "registrationCountry", "firstName", "lastName", "dateOfBirth"}
	entityTypes             = []string{"Limited liability company", "Publicly listed company", "Sole proprietor", "Partnership", "Corporation", "Trust", "Private foundation", "Charity", "Nonprofit organization", "Other"}
)

// DocumentTypes returns the identity-document step's document types.
func DocumentTypes() []string { return slices.Clone(documentTypes) }

// GeneralDocumentTypes returns the proof-of-address document types.
func GeneralDocumentTypes() []string { return slices.Clone(generalDocumentTypes) }

// QuestionTypes returns the questionnaire question types.
func QuestionTypes() []string { return slices.Clone(questionTypes) }

// FileTypes returns the file types a file question may accept.
func FileTypes() []string { return slices.Clone(fileTypes) }

// Roles returns the beneficiary roles in the order the wizard shows them.
func Roles() []string { return slices.Clone(roles) }

// FieldTypes returns every KYB field type.
func FieldTypes() []string { return slices.Clone(fieldTypes) }

// EntityTypes returns the companyEntityType options.
func EntityTypes() []string { return slices.Clone(entityTypes) }

// IsCompanyOnlyField reports whether a field describes only companies.
func IsCompanyOnlyField(f string) bool { return slices.Contains(companyOnlyFields, f) }

// IsIndividualRole reports whether a role is always a person.
func IsIndividualRole(role string) bool { return role != "shareholder" && slices.Contains(roles, role) }

// RoleFields returns the field types a role may have: shareholders may be
// companies or people; the other roles are people.
func RoleFields(role string) []string {
	if !IsIndividualRole(role) {
		return FieldTypes()
	}
	var out []string
	for _, f := range fieldTypes {
		if !IsCompanyOnlyField(f) {
			out = append(out, f)
		}
	}
	return out
}

// LockedFields returns the fields that must be present and mandatory in a
// company step (role "") or in a role's field list. A shareholder may be
// a person or a company, so both locked sets apply to it.
func LockedFields(role string) []string { return slices.Clone(lockedFields(role)) }

// lockedFields is LockedFields without the copy: do not change it.
func lockedFields(role string) []string {
	switch {
	case role == "":
		return companyLockedFields
	case role == "shareholder":
		return shareholderLockedFields
	case role == "other":
		return otherLockedFields
	case IsIndividualRole(role):
		return personLockedFields
	}
	return nil
}

// MustBeMandatory reports whether field t, where it appears in the company
// step (role "") or a role, must have "mandatory": true.
func MustBeMandatory(role, t string) bool { return slices.Contains(lockedFields(role), t) }

// The top level of a config.
var topFields = []FieldSpec{
	{Name: "$schema", Kind: KindString, Doc: "JSON Schema reference for editors; never sent"},
	{Name: "config_id", Kind: KindString, Doc: "a configuration saved in the dashboard"},
	{Name: "name", Kind: KindString, Doc: "session label in the dashboard"},
	{Name: "clientUserId", Kind: KindString, Doc: "your user id for this person"},
	{Name: "groupId", Kind: KindString, Doc: "group that may take the session (video calls)"},
	{Name: "parent_session_id", Kind: KindString, Doc: "joins a multi-participant session"},
	{Name: "scheduleStartTime", Kind: KindDateTime, Doc: "when the session opens (RFC 3339)"},
	{Name: "scheduleEndTime", Kind: KindDateTime, Doc: "when the session closes (RFC 3339)"},
	{Name: "flags", Kind: KindObject, Doc: "global flags"},
	{Name: "steps", Kind: KindArray, Doc: "the flow"},
}

// topOrder is the order new top-level members are written in.
var topOrder = []string{"$schema", "config_id", "name", "clientUserId", "groupId", "parent_session_id", "scheduleStartTime", "scheduleEndTime", "flags", "steps"}

var globalFlags = []FieldSpec{
	{Name: "skip_face", Kind: KindBool, Default: "false", Doc: "avoid a duplicate liveness step when steps has one"},
	{Name: "skip_document", Kind: KindBool, Default: "false", Doc: "avoid a duplicate identity-document step when steps has one"},
	{Name: "return_url", Kind: KindURL, Nullable: true, Default: "null", Doc: "where the browser goes when done; absent means an iframe"},
	{Name: "language", Kind: KindString, Enum: languages[:21], Default: `"en"`, Doc: "interface language"},
	{Name: "skip_desktop", Kind: KindBool, Default: "false", Doc: "mobile only; desktop shows a QR code"},
	{Name: "switch_device_url", Kind: KindURL, Nullable: true, Default: "null", Doc: "URL shown as a QR code when the camera is unavailable"},
	{Name: "restrict_url_sharing", Kind: KindBool, Default: "false", Doc: "bind the session URL to the first browser or device"},
	{Name: "optional_continue_on_another_device", Kind: KindBool, Default: "false", Doc: "let people move to another device"},
	{Name: "requireHdMedia", Kind: KindBool, Default: "false", Doc: "require a 1080p camera for liveness and documents"},
}

// GlobalFlags returns the global flags' specs in the wizard's order.
func GlobalFlags() []FieldSpec { return slices.Clone(globalFlags) }

// TopFields returns the specs of the config's top-level fields.
func TopFields() []FieldSpec { return slices.Clone(topFields) }

func textField(name, doc string) FieldSpec { return FieldSpec{Name: name, Kind: KindText, Doc: doc} }

var stepCommon = []FieldSpec{
	{Name: "type", Kind: KindString, Doc: "step type"},
	{Name: "key", Kind: KindString, Doc: "unique in the session"},
	textField("title", "title shown to the person"),
	{Name: "flags", Kind: KindObject, Doc: "step flags"},
}

// stepOrder is the order new step members are written in.
var stepOrder = []string{"type", "key", "title", "description", "flags", "fields", "roles", "kycConfigId", "kybConfigId", "steps", "questions", "successButtonTitle"}

func boolFlag(name, doc string) FieldSpec {
	return FieldSpec{Name: name, Kind: KindBool, Default: "false", Doc: doc}
}

var stepSpecs = []StepSpec{
	{Type: "language", DefaultKey: "language", Title: "Language", Summary: "let the person pick the interface language",
		Flags: []FieldSpec{{Name: "languages", Kind: KindStringList, Enum: languages, Doc: "languages to offer; empty means all"}}},
	{Type: "identity-document", DefaultKey: "identity-document", Title: "ID verification", Summary: "scan or upload an identity document",
		Flags: []FieldSpec{
			boolFlag("disable_document_capture", "no live scanning: upload only"),
			boolFlag("allow_document_upload", "allow uploading a photo instead of scanning"),
			{Name: "document_types", Kind: KindStringList, Enum: documentTypes, Doc: "accepted document types; empty means all"},
			{Name: "document_countries", Kind: KindStringList, Doc: "issuing countries (ISO 3166-1 alpha-3); empty means all"},
		}},
	{Type: "liveness", DefaultKey: "liveness", Title: "Liveness", Summary: "check that a live person is in front of the camera",
		Flags: []FieldSpec{
			boolFlag("liveness", "true: active liveness; false: passive"),
			boolFlag("allow_face_upload", "allow a selfie upload (ignored when active)"),
		}},
	{Type: "general-document", DefaultKey: "select_general_document", Title: "Proof of address", Summary: "proof of address and other documents",
		Flags: []FieldSpec{{Name: "general_document_types", Kind: KindStringList, Enum: generalDocumentTypes, Doc: "accepted documents; empty means all"}}},
	{Type: "face-document", DefaultKey: "capture_face_document", Title: "Selfie with ID", Summary: "a selfie holding the identity document",
		Flags: []FieldSpec{
			boolFlag("allow_face_doc_upload", "allow uploading the selfie"),
			boolFlag("require_face_document", "require a live capture"),
		}},
	{Type: "phone-number", DefaultKey: "phone_number", Title: "Phone number", Summary: "collect or verify (OTP) a phone number",
		Flags: []FieldSpec{
			boolFlag("require_phone_number_check", "verify the number with a one-time code"),
			boolFlag("require_phone_number", "ask for a number without verifying it"),
		}},
	{Type: "email", DefaultKey: "require_email", Title: "Email", Summary: "collect or verify (OTP) an email address",
		Flags: []FieldSpec{
			boolFlag("require_email_check", "verify the address with a one-time code"),
			boolFlag("require_email", "ask for an address without verifying it"),
		}},
	{Type: "geolocation", DefaultKey: "require_geolocation", Title: "Geolocation", Summary: "ask the browser for the person's location",
		Flags: []FieldSpec{{Name: "require_geolocation", Kind: KindBool, Default: "true", Doc: "location access is needed to go on"}}},
	{Type: "company", DefaultKey: "company", Title: "Company data", Summary: "KYB: collect the company's data", Localized: true,
		Props: []FieldSpec{textField("description", "text under the title"), {Name: "fields", Kind: KindArray, Doc: "company fields to collect"}}},
	{Type: "beneficiaries", DefaultKey: "beneficiaries", Title: "Beneficiaries", Summary: "KYB: shareholders, UBOs, directors, representatives", Localized: true,
		Props: []FieldSpec{
			textField("description", "text under the title"),
			{Name: "roles", Kind: KindObject, Doc: "roles to collect, with their fields"},
			{Name: "kycConfigId", Kind: KindString, Doc: "KYC configuration for people (verification)"},
			{Name: "kybConfigId", Kind: KindString, Doc: "KYB configuration for shareholder companies (verification)"},
		}},
	{Type: "kyb-review", DefaultKey: "kyb-review", Title: "Checking the data", Summary: "KYB: let the person review the company data", Localized: true,
		Props: []FieldSpec{textField("description", "text under the title")}},
	{Type: "video-call", DefaultKey: "video-call", Title: "Video call", Summary: "a live call with an operator, with its own steps",
		Props: []FieldSpec{{Name: "steps", Kind: KindArray, Doc: "steps run during the call"}},
		Flags: []FieldSpec{
			boolFlag("resetSteps", "reset the person's data when they rejoin"),
			boolFlag("hideCameraOption", "hide the camera on/off button"),
			boolFlag("nameRequired", "ask for a name before joining"),
			boolFlag("multiple_participants", "a call with several people"),
		}},
	{Type: "user-questionnaire", Title: "Questionnaire", Summary: "questions the person answers (text, choices, files)", Localized: true,
		Props: []FieldSpec{
			textField("description", "text under the title"),
			{Name: "questions", Kind: KindArray, Doc: "the questions"},
			textField("successButtonTitle", "label of the confirm button"),
		}},
	{Type: "operator-questionnaire", Title: "Operator questionnaire", Summary: "questions the operator fills in during or after a call", Localized: true,
		Props: []FieldSpec{
			textField("description", "text under the title"),
			{Name: "questions", Kind: KindArray, Doc: "the questions"},
		}},
}

// StepSpecs returns every step type's spec, in catalog order.
func StepSpecs() []StepSpec { return slices.Clone(stepSpecs) }

// StepTypes returns the 14 step type names.
func StepTypes() []string {
	out := make([]string, len(stepSpecs))
	for i, s := range stepSpecs {
		out[i] = s.Type
	}
	return out
}

// LookupStep returns the spec of a step type.
func LookupStep(typ string) (StepSpec, bool) {
	for _, s := range stepSpecs {
		if s.Type == typ {
			return s, true
		}
	}
	return StepSpec{}, false
}

// StepFields returns every top-level field of a step type (the common ones
// first).
func (s StepSpec) StepFields() []FieldSpec { return append(slices.Clone(stepCommon), s.Props...) }

// AllowedInVideoCall reports whether a step type may run inside a call.
func AllowedInVideoCall(typ string) bool {
	return typ != "language" && typ != "operator-questionnaire" && typ != "video-call"
}

// IsQuestionnaire reports whether a step type holds questions.
func IsQuestionnaire(typ string) bool {
	return typ == "user-questionnaire" || typ == "operator-questionnaire"
}

// IsChoiceQuestion reports whether a question type has options.
func IsChoiceQuestion(typ string) bool {
	return typ == "multiple-choice" || typ == "options" || typ == "dropdown"
}

// QuestionUses reports whether a question of type typ uses the property
// prop; the others mean nothing for it (the validator warns of the ones
// SPEC names: multiple, fileTypes, filesMaxCount, options, answer).
// Properties every type has are used.
func QuestionUses(typ, prop string) bool {
	switch prop {
	case "multiple":
		return typ == "dropdown"
	case "fileTypes", "filesMaxCount", "description":
		return typ == "file"
	case "options":
		return IsChoiceQuestion(typ)
	case "answer", "readOnly": // read-only means nothing without a preset answer
		return typ != "dropdown" && typ != "file"
	}
	return true
}

var questionFields = []FieldSpec{
	{Name: "type", Kind: KindString, Enum: questionTypes, Doc: "question type"},
	{Name: "key", Kind: KindString, Doc: "unique in the questionnaire"},
	textField("title", "the question"),
	textField("description", "text under the question"),
	{Name: "mandatory", Kind: KindBool, Default: "false", Doc: "an answer is required"},
	{Name: "readOnly", Kind: KindBool, Default: "false", Doc: "shown but not editable"},
	{Name: "answer", Kind: KindAny, Doc: "preset answer"},
	{Name: "options", Kind: KindArray, Doc: "choices (choice types)"},
	{Name: "multiple", Kind: KindBool, Default: "false", Doc: "several choices (dropdown)"},
	{Name: "fileTypes", Kind: KindStringList, Enum: fileTypes, Default: `["pdf","image"]`, Doc: "accepted files (file)"},
	{Name: "filesMaxCount", Kind: KindInt, Default: "10", Doc: "at most this many files, 1–10 (file)"},
	{Name: "showConditions", Kind: KindObject, Doc: "show only when another question has an answer"},
}

// QuestionFields returns the specs of a question's fields.
func QuestionFields() []FieldSpec { return slices.Clone(questionFields) }

var questionOrder = []string{"type", "key", "title", "description", "mandatory", "readOnly", "multiple", "fileTypes", "filesMaxCount", "options", "answer", "showConditions"}

var optionOrder = []string{"key", "title"}

var fieldOrder = []string{"type", "mandatory"}

var roleOrder = []string{"fields", "verification"}

var conditionOrder = []string{"questionKey", "answer"}
