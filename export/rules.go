package export

import "github.com/identoflow/identoflow/flow"

// Rule describes a diagnostic code for dashboards that list the checks
// (SARIF): what it finds and how to fix it.
type Rule struct {
	Code     string
	Severity flow.Severity // the usual severity; a few codes are also reported as another
	Short    string
	Help     string
}

// Rules returns every diagnostic code the validator reports, in a fixed
// order.
func Rules() []Rule { return append([]Rule(nil), rules...) }

var rules = []Rule{
	{flow.CodeJSONSyntax, flow.SevError, "The file is not JSON, or not a JSON object.",
		"Fix the JSON syntax at the line and column given; a config is one JSON object."},
	{flow.CodeType, flow.SevError, "A field has the wrong JSON type.",
		"Give the field the type the message names (a string, true or false, an array, an object, a whole number)."},
	{flow.CodeRequired, flow.SevError, "A required field is missing.",
		"Add the field: steps (unless config_id is given), a step's type, a question's key and type, an option's key."},
	{flow.CodeEmpty, flow.SevError, "A list that must have items is empty.",
		"Add at least one step (or give a config_id), or an option to a choice question."},
	{flow.CodeUnknownStepType, flow.SevError, "A step's type is not one the vendor knows.",
		"Use one of the step types; the message suggests the nearest one."},
	{flow.CodeUnknownField, flow.SevWarning, "A field or flag the tool does not know.",
		"It is kept as written, but the vendor may ignore it; check its spelling (the message suggests the nearest name) and where it stands."},
	{flow.CodeDuplicateKey, flow.SevError, "A key is used twice.",
		"Step keys must be unique in the session (video-call steps included); question and option keys within their questionnaire and question."},
	{flow.CodeDuplicateMember, flow.SevWarning, "A name appears twice in one JSON object.",
		"Only the last one counts; remove the others."},
	{flow.CodeEnum, flow.SevError, "A value outside its allowed set.",
		"Use one of the values the message lists (languages, document types, file types, KYB field types, roles, entity types)."},
	{flow.CodeCountryCode, flow.SevError, "Not an ISO 3166-1 alpha-3 country code.",
		"Write the three-letter code, e.g. USA for US."},
	{flow.CodeURL, flow.SevError, "Not an absolute http(s) URL.",
		"Write an absolute https:// URL; plain http is a warning."},
	{flow.CodeDatetime, flow.SevError, "A schedule time that is not an RFC 3339 date-time.",
		"Write it like 2024-06-20T07:33:00Z."},
	{flow.CodeScheduleOrder, flow.SevError, "scheduleEndTime is not after scheduleStartTime.",
		"Make the end time later than the start time."},
	{flow.CodeRange, flow.SevError, "filesMaxCount outside 1–10.",
		"Give a whole number from 1 to 10."},
	{flow.CodeNestedStep, flow.SevError, "A step that cannot run inside a video call.",
		"Move language, operator-questionnaire and video-call steps out of the call's steps."},
	{flow.CodeLockedMandatory, flow.SevError, "A field that must be collected is missing or not mandatory.",
		"Company name, registration number and country, and people's first name, last name and date of birth (and position for other) must be mandatory."},
	{flow.CodeRoleField, flow.SevError, "A company-only field in a role for people.",
		"Remove the company field from the role, or use it in the shareholder role."},
	{flow.CodeConditionTarget, flow.SevError, "A condition names no question it can depend on.",
		"Name another question of the same questionnaire (not a file question, not itself)."},
	{flow.CodeConditionAnswer, flow.SevError, "A condition's answer is not an option of its question.",
		"Use one of the option keys of the question the condition names."},
	{flow.CodeConditionOrder, flow.SevWarning, "A condition names a question shown after this one.",
		"Move the question the condition names before this one."},
	{flow.CodeAnswer, flow.SevError, "A preset answer of the wrong form.",
		"Text for text questions, an option key for options, a list of option keys for multiple choice; none for dropdown and file."},
	{flow.CodeConflict, flow.SevError, "Flags that contradict each other.",
		"With disable_document_capture, set allow_document_upload to true."},
	{flow.CodeIgnoredFlag, flow.SevWarning, "A setting that has no effect where it is.",
		"Remove it, or change the setting it depends on."},
	{flow.CodeDuplicateStep, flow.SevWarning, "The vendor may add a second liveness or document step.",
		"Set skip_face (liveness) or skip_document (identity document) to true in the global flags."},
	{flow.CodeLocalize, flow.SevWarning, "A plain string where a localized text is wanted.",
		`Write the text as an object by language, e.g. {"en": "Title"}.`},
	{flow.CodeMissingTranslation, flow.SevWarning, "A text lacks a language the flow can show.",
		"Add the text in every language of flags.language and the language step's list."},
	{flow.CodeUnreachable, flow.SevWarning, "Something the person can never complete or that does nothing.",
		"Give a mandatory read-only question a preset answer; make a phone or email step require or check something."},
	{flow.CodeKYBOrder, flow.SevWarning, "KYB steps out of order.",
		"Run company, then beneficiaries, then kyb-review."},
	{flow.CodeConfigMissing, flow.SevWarning, "Verification without the configuration it runs.",
		"Give kycConfigId (people) or kybConfigId (shareholder companies)."},
	{flow.CodeCredential, flow.SevError, "A credential written into the config.",
		"Remove it and set IDENTOMAT_COMPANY_KEY or IDENTOMAT_SECRET_KEY in the environment instead."},
	{flow.CodeStepsOverride, flow.SevInfo, "config_id together with steps.",
		"The saved configuration is used and these steps replace its steps of the same key."},
	{flow.CodeIframeMode, flow.SevInfo, "No return_url: the flow runs in an iframe.",
		"Listen for the DONE message, or set return_url to redirect instead."},
}
