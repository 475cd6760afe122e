package flow

import (
	"strings"
	"testing"
)

// Table tests of the readings SPEC §12 added after the first release: for
// each, configs that must get the finding and near misses that must not.

// runAbsent checks only that a config does not get code: for near misses
// that rightly get other findings.
func runAbsent(t *testing.T, name, code, config string) {
	t.Helper()
	t.Run("pass/"+name, func(t *testing.T) {
		_, ds := check(t, config)
		for _, d := range ds {
			if d.Code == code {
				t.Errorf("unexpected %s", d)
			}
		}
	})
}

func TestReadingCredentialsAnywhere(t *testing.T) {
	const key = "ck_live_5e6f7a8b9c0d1e2f3a4b5c6d"
	cred := `"` + key + `"`
	runTables(t, []failCase{
		{"company_key among the global flags", flowWith(`{"return_url": "https://example.com/done", "company_key": `+cred+`}`, `{"type": "geolocation"}`),
			[]wantDiag{errAt(CodeCredential, "/flags/company_key", `"company_key" is a credential and must not be in a config file (here it would even be sent with the flow); remove it and set IDENTOMAT_COMPANY_KEY`)}},
		{"secret_key in a step", flowOf(`{"type": "geolocation", "secret_key": ` + cred + `}`),
			[]wantDiag{errAt(CodeCredential, "/steps/0/secret_key", `IDENTOMAT_SECRET_KEY`)}},
		{"companyKey in upper case at the top", `{"COMPANYKEY": ` + cred + `, "flags": ` + cleanFlags + `, "steps": [{"type": "geolocation"}]}`,
			[]wantDiag{errAt(CodeCredential, "/COMPANYKEY", `"COMPANYKEY" is a credential`)}},
		{"secretKey in mixed case in a question", flowOf(userQ(`{"type": "string", "key": "n", "title": {"en": "Name"}, "SecretKey": ` + cred + `}`)),
			[]wantDiag{errAt(CodeCredential, "/steps/0/questions/0/SecretKey", `IDENTOMAT_SECRET_KEY`)}},
		{"deep inside an unknown member", flowOf(`{"type": "geolocation", "x-vendor": {"auth": [{"Company_Key": ` + cred + `}]}}`),
			[]wantDiag{errAt(CodeCredential, "/steps/0/x-vendor/auth/0/Company_Key", `credential`)}},
		{"inside a localized text", flowOf(`{"type": "kyb-review", "title": {"en": "Review", "company_key": ` + cred + `}}`),
			[]wantDiag{errAt(CodeCredential, "/steps/0/title/company_key", `credential`)}},
		{"inside a nested step, holding an object", flowOf(`{"type": "video-call", "steps": [{"type": "liveness", "flags": {"secretkey": {"value": ` + cred + `}}}]}`),
			[]wantDiag{errAt(CodeCredential, "/steps/0/steps/0/flags/secretkey", `credential`)}},
		{"the Kelvin sign folds to k", flowOf(`{"type": "geolocation", "company_\u212aey": ` + cred + `}`),
			[]wantDiag{errAt(CodeCredential, "/steps/0/company_\u212aey", `credential`)}},
		{"a role named like a credential", flowOf(companyStep, beneficiariesStep("", `"secret_key": {"fields": []}`)),
			[]wantDiag{errAt(CodeCredential, "/steps/1/roles/secret_key", `credential`)}},
	}, nil)
	runAbsent(t, "names that only contain a credential's name", CodeCredential,
		flowOf(`{"type": "geolocation", "company_key_hint": "ask the admin", "my_secret_key": 1, "companyKeys": [], "secret": "x", "key": "geo"}`))
	runAbsent(t, "a credential's name as a value", CodeCredential,
		flowOf(`{"type": "geolocation", "key": "company_key", "title": {"en": "secret_key"}}`))

	t.Run("the value never reaches a message, and the member gets no other finding", func(t *testing.T) {
		for _, cfg := range []string{
			flowOf(`{"type": "kyb-review", "title": {"en": "Review", "company_key": ` + cred + `}}`),
			flowOf(companyStep, beneficiariesStep("", `"secretKey": `+cred)),
			flowOf(`{"type": "geolocation", "flags": {"companyKey": ` + cred + `, "companyKey": ` + cred + `}}`),
			`{"company_key": ` + cred + `, "company_key": {"k": ` + cred + `}, "steps": [{"type": "geolocation"}]}`,
		} {
			_, ds := check(t, cfg)
			credentials := 0
			for _, d := range ds {
				if strings.Contains(d.String(), key) {
					t.Errorf("the key reached a diagnostic: %s", d)
				}
				if d.Code == CodeCredential {
					credentials++
					for _, other := range ds {
						if other.Path == d.Path && other.Code != CodeCredential && other.Code != CodeDuplicateMember {
							t.Errorf("a credential member got another finding: %s", other)
						}
					}
				}
			}
			if credentials != 1 {
				t.Errorf("want one credential finding, got:%s", dump(ds))
			}
		}
	})
}

func TestReadingMissingFieldsAreLockedMandatory(t *testing.T) {
	runTables(t, []failCase{
		{"company step without fields", flowOf(`{"type": "company", "key": "company", "title": {"en": "Company"}}`),
			[]wantDiag{
				errAt(CodeLockedMandatory, "/steps/0/fields", `"companyName" is always collected in the company step`),
				errAt(CodeLockedMandatory, "/steps/0/fields", `"registrationNumber"`),
				errAt(CodeLockedMandatory, "/steps/0/fields", `"registrationCountry"`),
			}},
		{"enabled role without fields", flowOf(companyStep, beneficiariesStep("", `"director": {"verification": false}`)),
			[]wantDiag{
				errAt(CodeLockedMandatory, "/steps/1/roles/director/fields", `"firstName" is always collected for the "director" role`),
				errAt(CodeLockedMandatory, "/steps/1/roles/director/fields", `"lastName"`),
				errAt(CodeLockedMandatory, "/steps/1/roles/director/fields", `"dateOfBirth"`),
			}},
		{"other without fields", flowOf(companyStep, beneficiariesStep("", `"other": {}`)),
			[]wantDiag{
				errAt(CodeLockedMandatory, "/steps/1/roles/other/fields", `"firstName"`),
				errAt(CodeLockedMandatory, "/steps/1/roles/other/fields", `"lastName"`),
				errAt(CodeLockedMandatory, "/steps/1/roles/other/fields", `"dateOfBirth"`),
				errAt(CodeLockedMandatory, "/steps/1/roles/other/fields", `"positionName"`),
			}},
	}, []passCase{
		{"fields given", CodeLockedMandatory, flowOf(companyStep, beneficiariesStep("", role("director", "false", person)), reviewStep)},
		{"a role that is not there needs no fields", CodeLockedMandatory, flowOf(companyStep, beneficiariesStep("", role("ubo", "false", person)), reviewStep)},
	})
}

func TestReadingShareholderHasBothLockedSets(t *testing.T) {
	runTables(t, []failCase{
		{"a person's fields only", flowOf(companyStep, beneficiariesStep("", role("shareholder", "false", person))),
			[]wantDiag{
				errAt(CodeLockedMandatory, "/steps/1/roles/shareholder/fields", `"companyName" is always collected for the "shareholder" role`),
				errAt(CodeLockedMandatory, "/steps/1/roles/shareholder/fields", `"registrationNumber"`),
				errAt(CodeLockedMandatory, "/steps/1/roles/shareholder/fields", `"registrationCountry"`),
			}},
		{"a company's fields only", flowOf(companyStep, beneficiariesStep("", role("shareholder", "false",
			`{"type": "companyName", "mandatory": true}`, `{"type": "registrationNumber", "mandatory": true}`, `{"type": "registrationCountry", "mandatory": true}`))),
			[]wantDiag{
				errAt(CodeLockedMandatory, "/steps/1/roles/shareholder/fields", `"firstName"`),
				errAt(CodeLockedMandatory, "/steps/1/roles/shareholder/fields", `"lastName"`),
				errAt(CodeLockedMandatory, "/steps/1/roles/shareholder/fields", `"dateOfBirth"`),
			}},
		{"dateOfBirth optional", flowOf(companyStep, beneficiariesStep("", role("shareholder", "false",
			`{"type": "companyName", "mandatory": true}`, `{"type": "registrationNumber", "mandatory": true}`, `{"type": "registrationCountry", "mandatory": true}`,
			`{"type": "firstName", "mandatory": true}`, `{"type": "lastName", "mandatory": true}`, `{"type": "dateOfBirth", "mandatory": false}`))),
			[]wantDiag{errAt(CodeLockedMandatory, "/steps/1/roles/shareholder/fields/5/mandatory", `"dateOfBirth" is always mandatory for the "shareholder" role`)}},
	}, []passCase{
		{"both sets, mandatory", CodeLockedMandatory, flowOf(companyStep, beneficiariesStep("", role("shareholder", "false", shareholderFields)), reviewStep)},
		{"person fields in the company step are allowed", CodeLockedMandatory, flowOf(companyWith(
			`{"type": "companyName", "mandatory": true}`, `{"type": "registrationNumber", "mandatory": true}`, `{"type": "registrationCountry", "mandatory": true}`, person))},
	})
}

func TestReadingNestingIsFlattened(t *testing.T) {
	call := func(inner ...string) string {
		return `{"type": "video-call", "steps": [` + strings.Join(inner, ", ") + `]}`
	}
	bens := beneficiariesStep("", role("ubo", "false", person))
	runTables(t, []failCase{
		{"kyb-review in a call before the company step", flowOf(call(reviewStep), companyStep),
			[]wantDiag{
				warnAt(CodeKYBOrder, "/steps/1", `this company step comes after a kyb-review step`),
			}},
		{"company only inside a call still counts; order follows the call's place", flowOf(bens, call(companyStep)),
			[]wantDiag{warnAt(CodeKYBOrder, "/steps/1/steps/0", `this company step comes after a beneficiaries step`)}},
		{"duplicate-step for a nested liveness", flowWith(`{"return_url": "https://example.com/done", "skip_document": true}`, call(`{"type": "liveness"}`)),
			[]wantDiag{warnAt(CodeDuplicateStep, "/steps/0/steps/0", `skip_face`)}},
		{"a nested key against a later top-level one", flowOf(call(`{"type": "email", "key": "mail", "flags": {"require_email": true}}`), `{"type": "email", "key": "mail", "flags": {"require_email": true}}`),
			[]wantDiag{errAt(CodeDuplicateKey, "/steps/1/key", `step key "mail" is already used in this session`)}},
	}, []passCase{
		{"company in a call, the rest after it", CodeKYBOrder, flowOf(call(companyStep), bens, reviewStep)},
		{"nested keys distinct from the top level", CodeDuplicateKey, flowOf(call(`{"type": "liveness", "key": "call-liveness"}`), `{"type": "liveness"}`)},
	})
}

func TestReadingConflictDefaults(t *testing.T) {
	doc := func(flags string) string { return flowOf(`{"type": "identity-document", "flags": {` + flags + `}}`) }
	runTables(t, []failCase{
		{"allow_document_upload absent is false", doc(`"disable_document_capture": true`),
			[]wantDiag{errAt(CodeConflict, "/steps/0/flags/disable_document_capture", `allow_document_upload is not true`)}},
	}, []passCase{
		{"upload allowed", CodeConflict, doc(`"disable_document_capture": true, "allow_document_upload": true`)},
		{"capture not disabled", CodeConflict, doc(`"allow_document_upload": false`)},
	})
}

func TestReadingEmptyLists(t *testing.T) {
	runTables(t, []failCase{
		{"questions: []", flowOf(`{"type": "user-questionnaire", "key": "survey", "title": {"en": "About you"}, "questions": []}`),
			[]wantDiag{warnAt(CodeEmpty, "/steps/0/questions", `"questions" is empty: the step collects nothing`)}},
		{"operator questions: []", flowOf(operatorQ("")),
			[]wantDiag{warnAt(CodeEmpty, "/steps/0/questions", `collects nothing`)}},
		{"roles: {}", flowOf(companyStep, `{"type": "beneficiaries", "key": "beneficiaries", "title": {"en": "Owners"}, "roles": {}}`),
			[]wantDiag{warnAt(CodeEmpty, "/steps/1/roles", `"roles" is empty: the step collects nothing`)}},
		{"answer \"\" is no preset answer", flowOf(userQ(`{"type": "string", "key": "ref", "title": {"en": "Reference"}, "mandatory": true, "readOnly": true, "answer": ""}`)),
			[]wantDiag{warnAt(CodeUnreachable, "/steps/0/questions/0", `no preset answer`)}},
		{"answer [] is no preset answer", flowOf(userQ(choiceQ("multiple-choice", "pick", `, "mandatory": true, "readOnly": true, "answer": []`, opt("a")))),
			[]wantDiag{warnAt(CodeUnreachable, "/steps/0/questions/0", `no preset answer`)}},
	}, []passCase{
		{"an empty answer names no option", CodeAnswer, flowOf(userQ(choiceQ("options", "pick", `, "answer": ""`, opt("a"))))},
		{"an empty answer on a dropdown is no answer to ignore", CodeIgnoredFlag, flowOf(userQ(choiceQ("dropdown", "pick", `, "answer": []`, opt("a")), `{"type": "file", "key": "doc", "title": {"en": "Doc"}, "answer": ""}`))},
		{"other empty lists mean the default", CodeEmpty, flowOf(`{"type": "language", "flags": {"languages": []}}`,
			`{"type": "identity-document", "flags": {"document_types": [], "document_countries": []}}`, `{"type": "general-document", "flags": {"general_document_types": []}}`,
			`{"type": "video-call", "key": "call", "steps": []}`, userQ(`{"type": "file", "key": "doc", "title": {"en": "Doc"}, "fileTypes": []}`))},
		{"questions and roles given", CodeEmpty, flowOf(userQ(qName), companyStep, beneficiariesStep("", role("ubo", "false", person)), reviewStep)},
	})
}

func TestReadingFilesMaxCountIsWhole(t *testing.T) {
	file := func(n string) string {
		return flowOf(userQ(`{"type": "file", "key": "docs", "title": {"en": "Documents"}, "filesMaxCount": ` + n + `}`))
	}
	runTables(t, []failCase{
		{"2.5", file("2.5"), []wantDiag{errAt(CodeType, "/steps/0/questions/0/filesMaxCount", `"filesMaxCount" must be a whole number, not a number`)}},
		{"10.5", file("10.5"), []wantDiag{errAt(CodeType, "/steps/0/questions/0/filesMaxCount", `a whole number`)}},
	}, []passCase{
		{"10.0 is 10", CodeType, file("10.0")},
		{"2.0e0 is 2", CodeType, file("2.0e0")},
	})
	runAbsent(t, "10.0 is within range", CodeRange, file("10.0"))
}

func TestReadingPropertiesOfOtherTypes(t *testing.T) {
	runTables(t, []failCase{
		{"fileTypes on a string question", flowOf(userQ(`{"type": "string", "key": "n", "title": {"en": "Name"}, "fileTypes": ["pdf"]}`)),
			[]wantDiag{warnAt(CodeIgnoredFlag, "/steps/0/questions/0/fileTypes", `"fileTypes" only applies to file questions; a string question ignores it`)}},
		{"description on an options question", flowOf(userQ(choiceQ("options", "pick", `, "description": {"en": "Pick one"}`, opt("a")))),
			[]wantDiag{warnAt(CodeIgnoredFlag, "/steps/0/questions/0/description", `"description" only applies to file questions; an options question ignores it`)}},
		{"options on a string question", flowOf(userQ(`{"type": "string", "key": "n", "title": {"en": "Name"}, "options": [` + opt("a") + `]}`)),
			[]wantDiag{warnAt(CodeIgnoredFlag, "/steps/0/questions/0/options", `only multiple-choice, options and dropdown questions have them`)}},
		{"a preset answer on a file question", flowOf(userQ(`{"type": "file", "key": "doc", "title": {"en": "Doc"}, "answer": "a.pdf"}`)),
			[]wantDiag{warnAt(CodeIgnoredFlag, "/steps/0/questions/0/answer", `only string, multiple-choice and options questions take one`)}},
		{"questions on a liveness step", flowOf(`{"type": "liveness", "questions": []}`),
			[]wantDiag{warnAt(CodeIgnoredFlag, "/steps/0/questions", `"questions" is used by "user-questionnaire" and "operator-questionnaire" steps; a "liveness" step ignores it`)}},
		{"fields on a beneficiaries step", flowOf(companyStep, beneficiariesStep(`, "fields": []`, role("ubo", "false", person))),
			[]wantDiag{warnAt(CodeIgnoredFlag, "/steps/1/fields", `"fields" is used by "company" steps`)}},
		{"description on a KYC step", flowOf(`{"type": "email", "description": {"en": "Your address"}, "flags": {"require_email": true}}`),
			[]wantDiag{warnAt(CodeIgnoredFlag, "/steps/0/description", `"company", "beneficiaries", "kyb-review", "user-questionnaire" and "operator-questionnaire" steps`)}},
		{"another step's flag", flowOf(`{"type": "liveness", "flags": {"document_types": ["passport"]}}`),
			[]wantDiag{warnAt(CodeIgnoredFlag, "/steps/0/flags/document_types", `"document_types" is a flag of "identity-document" steps; a "liveness" step ignores it: remove it`)}},
		{"the other contact step's flag", flowOf(`{"type": "phone-number", "flags": {"require_phone_number": true, "require_email": true}}`),
			[]wantDiag{warnAt(CodeIgnoredFlag, "/steps/0/flags/require_email", `"require_email" is a flag of "email" steps; a "phone-number" step ignores it`)}},
	}, []passCase{
		{"each property on its own type", CodeIgnoredFlag, flowOf(
			userQ(`{"type": "file", "key": "doc", "title": {"en": "Doc"}, "description": {"en": "A scan"}, "fileTypes": ["pdf"], "filesMaxCount": 2}`,
				choiceQ("dropdown", "pick", `, "multiple": true`, opt("a"))),
			`{"type": "identity-document", "flags": {"document_types": ["passport"]}}`,
			companyStep, `{"type": "kyb-review", "description": {"en": "Check"}}`)},
	})
	runAbsent(t, "a misplaced own flag stays an unknown field", CodeIgnoredFlag, flowOf(`{"type": "language", "languages": ["en"]}`))
}

func TestReadingAllowFaceUploadFalse(t *testing.T) {
	runTables(t, []failCase{
		{"allow_face_upload true with liveness on", flowOf(`{"type": "liveness", "flags": {"liveness": true, "allow_face_upload": true}}`),
			[]wantDiag{warnAt(CodeIgnoredFlag, "/steps/0/flags/allow_face_upload", `ignored with active liveness`)}},
	}, []passCase{
		{"allow_face_upload false with liveness on", CodeIgnoredFlag, flowOf(`{"type": "liveness", "flags": {"liveness": true, "allow_face_upload": false}}`)},
	})
}

func TestReadingCountries(t *testing.T) {
	countries := func(codes string) string {
		return flowOf(`{"type": "identity-document", "flags": {"document_countries": [` + codes + `]}}`)
	}
	var refused []wantDiag
	var codes []string
	for i, c := range []string{"AAA", "QMA", "QTX", "QZZ", "XAA", "XXX", "XZZ", "ZZZ"} {
		codes = append(codes, `"`+c+`"`)
		refused = append(refused, errAt(CodeCountryCode, "/steps/0/flags/document_countries/"+itoa(i), `"`+c+`" is not an ISO 3166-1 alpha-3 country code; it is a user-assigned code`))
	}
	runTables(t, []failCase{
		{"user-assigned codes", countries(strings.Join(codes, ", ")), refused},
		{"withdrawn codes", countries(`"SUN", "YUG", "ANT"`),
			[]wantDiag{
				errAt(CodeCountryCode, "/steps/0/flags/document_countries/0", `it was withdrawn: it stood for the Soviet Union`),
				errAt(CodeCountryCode, "/steps/0/flags/document_countries/1", `it stood for Yugoslavia`),
				errAt(CodeCountryCode, "/steps/0/flags/document_countries/2", `"CUW" (Curaçao)`),
			}},
		{"Kosovo's alpha-2", countries(`"XK"`),
			[]wantDiag{errAt(CodeCountryCode, "/steps/0/flags/document_countries/0", `use the alpha-3 code "XKX" (Kosovo)`)}},
	}, []passCase{
		{"XKX, Kosovo", CodeCountryCode, countries(`"XKX", "SRB", "RUS", "CUW"`)},
	})
	if c, ok := LookupCountry("XKX"); !ok || c.Alpha2 != "XK" {
		t.Errorf("LookupCountry(XKX) = %v, %v", c, ok)
	}
}

func itoa(i int) string { return string(rune('0' + i)) }

func TestReadingURLsAndNull(t *testing.T) {
	withFlags := func(flags string) string { return flowWith(flags, `{"type": "geolocation"}`) }
	top := func(member string) string {
		return `{` + member + `, "flags": ` + cleanFlags + `, "steps": [{"type": "geolocation"}]}`
	}
	runTables(t, []failCase{
		{"return_url empty", withFlags(`{"return_url": ""}`), []wantDiag{errAt(CodeURL, "/flags/return_url", `"return_url" is empty`)}},
		{"name null", top(`"name": null`), []wantDiag{errAt(CodeType, "/name", `"name" must be a string, not null`)}},
		{"config_id null", top(`"config_id": null`), []wantDiag{errAt(CodeType, "/config_id", `not null`)}},
		{"clientUserId, groupId and parent_session_id null", top(`"clientUserId": null, "groupId": null, "parent_session_id": null`),
			[]wantDiag{errAt(CodeType, "/clientUserId", `not null`), errAt(CodeType, "/groupId", `not null`), errAt(CodeType, "/parent_session_id", `not null`)}},
		{"schedule null", top(`"scheduleStartTime": null`), []wantDiag{errAt(CodeType, "/scheduleStartTime", `not null`)}},
		{"global flags null", withFlags(`{"return_url": "https://example.com/done", "language": null, "skip_desktop": null}`),
			[]wantDiag{errAt(CodeType, "/flags/language", `not null`), errAt(CodeType, "/flags/skip_desktop", `not null`)}},
		{"flags null", `{"flags": null, "steps": [{"type": "geolocation"}]}`, []wantDiag{errAt(CodeType, "/flags", `not null`)}},
		{"step members null", flowOf(`{"type": "geolocation", "key": null, "title": null, "flags": {"require_geolocation": null}}`),
			[]wantDiag{errAt(CodeType, "/steps/0/key", `not null`), errAt(CodeType, "/steps/0/title", `not null`), errAt(CodeType, "/steps/0/flags/require_geolocation", `not null`)}},
		{"a preset answer null", flowOf(userQ(`{"type": "string", "key": "n", "title": {"en": "Name"}, "answer": null}`)),
			[]wantDiag{errAt(CodeType, "/steps/0/questions/0/answer", `not null`)}},
	}, []passCase{
		{"switch_device_url empty means no QR code", CodeURL, withFlags(`{"return_url": "https://example.com/done", "switch_device_url": ""}`)},
		{"the two URLs may be null", CodeType, withFlags(`{"return_url": null, "switch_device_url": null}`)},
	})
}

func TestReadingRFC3339(t *testing.T) {
	runTables(t, []failCase{
		{"a space instead of T", sched("2024-06-20 07:33:00Z", "2024-06-21T07:33:00Z"),
			[]wantDiag{errAt(CodeDatetime, "/scheduleStartTime", `"2024-06-20 07:33:00Z" is not an RFC 3339 date-time`)}},
		{"no offset", sched("2024-06-20T07:33:00", "2024-06-21T07:33:00Z"),
			[]wantDiag{errAt(CodeDatetime, "/scheduleStartTime", `not an RFC 3339 date-time`)}},
		{"ISO 8601 basic format", sched("20240620T073300Z", "2024-06-21T07:33:00Z"),
			[]wantDiag{errAt(CodeDatetime, "/scheduleStartTime", `not an RFC 3339 date-time`)}},
		{"no such day", sched("2024-02-30T07:33:00Z", "2024-06-21T07:33:00Z"),
			[]wantDiag{errAt(CodeDatetime, "/scheduleStartTime", `day out of range`)}},
		{"a leap second off the end of a UTC day", sched("2024-06-20T07:33:60Z", "2024-06-21T07:33:00Z"),
			[]wantDiag{errAt(CodeDatetime, "/scheduleStartTime", `only ever falls at 23:59:60 UTC`)}},
		{"the leap second is before the next day", sched("2017-01-01T00:00:00Z", "2016-12-31T23:59:60Z"),
			[]wantDiag{errAt(CodeScheduleOrder, "/scheduleEndTime", `is not after scheduleStartTime`)}},
	}, []passCase{
		{"t and z in lower case", CodeDatetime, sched("2024-06-20t07:33:00z", "2024-06-21t07:33:00.5z")},
		{"-00:00", CodeDatetime, sched("2024-06-20T07:33:00-00:00", "2024-06-21T07:33:00+00:00")},
		{"leap seconds", CodeDatetime, sched("1990-12-31T23:59:60Z", "1990-12-31T15:59:60.25-08:00")},
	})
}

func TestReadingOperatorQuestionnairesNeedNoTranslation(t *testing.T) {
	ka := `{"return_url": "https://example.com/done", "language": "ka"}`
	runTables(t, []failCase{
		{"a user questionnaire in English under ka", flowWith(ka, `{"type": "user-questionnaire", "key": "q", "title": {"en": "About you"}, "questions": [`+qName+`]}`),
			[]wantDiag{
				warnAt(CodeMissingTranslation, "/steps/0/title", `no text for ka`),
				warnAt(CodeMissingTranslation, "/steps/0/questions/0/title", `no text for ka`),
			}},
	}, []passCase{
		{"an operator questionnaire in English under ka", CodeMissingTranslation, flowWith(ka,
			operatorQ(`, "description": {"en": "For the operator"}`, choiceQ("options", "verdict", `, "answer": "ok"`, opt("ok"), opt("no")), `{"type": "string", "key": "n", "title": {"en": "Notes"}, "answer": {"en": "none"}}`))},
	})
}

func TestReadingLocalizeScope(t *testing.T) {
	runTables(t, []failCase{
		{"titles and descriptions of steps, questions and options, and successButtonTitle", flowOf(
			`{"type": "liveness", "title": "Face check"}`,
			`{"type": "kyb-review", "title": {"en": "Review"}, "description": "Check it"}`,
			`{"type": "user-questionnaire", "key": "q", "title": "About you", "description": "Questions", "successButtonTitle": "Send", "questions": [`+
				`{"type": "file", "key": "doc", "title": "Document", "description": "A scan"}, `+
				`{"type": "options", "key": "pick", "title": {"en": "Pick"}, "options": [{"key": "a", "title": "A"}]}]}`),
			[]wantDiag{
				warnAt(CodeLocalize, "/steps/0/title", `"title" should be a localized object such as {"en": "Face check"}`),
				warnAt(CodeLocalize, "/steps/1/description", `localized`),
				warnAt(CodeLocalize, "/steps/2/title", `localized`),
				warnAt(CodeLocalize, "/steps/2/description", `localized`),
				warnAt(CodeLocalize, "/steps/2/successButtonTitle", `localized`),
				warnAt(CodeLocalize, "/steps/2/questions/0/title", `localized`),
				warnAt(CodeLocalize, "/steps/2/questions/0/description", `localized`),
				warnAt(CodeLocalize, "/steps/2/questions/1/options/0/title", `localized`),
			}},
	}, []passCase{
		{"a preset text answer may be plain", CodeLocalize, flowOf(userQ(`{"type": "string", "key": "n", "title": {"en": "Name"}, "answer": "Jane"}`))},
		{"localized objects", CodeLocalize, flowOf(`{"type": "liveness", "title": {"en": "Face check"}}`)},
	})
	// A plain string is never missing a translation: it is one text for all.
	runAbsent(t, "a plain title lacks no language", CodeMissingTranslation,
		flowWith(`{"return_url": "https://example.com/done", "language": "es", "skip_face": true}`, `{"type": "liveness", "title": "Prueba de vida"}`))
}

func TestReadingKeyNamespaces(t *testing.T) {
	runTables(t, []failCase{
		{"a question key twice", flowOf(userQ(qName, `{"type": "string", "key": "full-name", "title": {"en": "Again"}}`)),
			[]wantDiag{errAt(CodeDuplicateKey, "/steps/0/questions/1/key", `question key "full-name" is already used in this questionnaire`)}},
		{"an option key twice in one question", flowOf(userQ(choiceQ("options", "pick", "", opt("yes"), opt("yes")))),
			[]wantDiag{errAt(CodeDuplicateKey, "/steps/0/questions/0/options/1/key", `option key "yes" is already used in this question`)}},
		{"keys compare byte for byte: a condition in another case names nothing", flowOf(userQ(qEmployment, `{"type": "string", "key": "b", "title": {"en": "B"}, "showConditions": {"questionKey": "Employment-Status", "answer": "employed"}}`)),
			[]wantDiag{errAt(CodeConditionTarget, "/steps/0/questions/1/showConditions/questionKey", `no question "Employment-Status" in this questionnaire (did you mean "employment-status"?)`)}},
	}, []passCase{
		{"the same option key in two questions", CodeDuplicateKey, flowOf(userQ(choiceQ("options", "smoker", "", opt("yes"), opt("no")), choiceQ("options", "drinker", "", opt("yes"), opt("no"))))},
		{"an option key equal to a question key", CodeDuplicateKey, flowOf(userQ(choiceQ("options", "consent", "", opt("consent"), opt("no"))))},
		{"step keys differing in Unicode normalization only", CodeDuplicateKey, flowOf(`{"type": "email", "key": "caf\u00e9", "flags": {"require_email": true}}`, `{"type": "email", "key": "cafe\u0301", "flags": {"require_email": true}}`)},
		{"question keys differing in case only", CodeDuplicateKey, flowOf(userQ(`{"type": "string", "key": "name", "title": {"en": "Name"}}`, `{"type": "string", "key": "Name", "title": {"en": "Name"}}`))},
	})
}

func TestReadingOverrideStepsNeedType(t *testing.T) {
	override := func(step string) string {
		return `{"config_id": "64b7f0c2a1d3e4f5a6b7c8d9", "flags": ` + cleanFlags + `, "steps": [` + step + `]}`
	}
	runTables(t, []failCase{
		{"an override step without type", override(`{"key": "liveness", "flags": {"liveness": true}}`),
			[]wantDiag{errAt(CodeRequired, "/steps/0/type", `the step has no "type"`)}},
	}, []passCase{
		{"an override step with its type", CodeRequired, override(`{"type": "liveness", "key": "liveness", "flags": {"liveness": true}}`)},
		{"config_id is opaque", CodeRequired, `{"config_id": "not hex at all", "flags": ` + cleanFlags + `}`},
	})
}

func TestHasCredential(t *testing.T) {
	for doc, want := range map[string]bool{
		`{"steps":[{"type":"liveness"}]}`:                            false,
		`{"steps":[{"type":"liveness","flags":{"SECRET_KEY":"s"}}]}`: true,
		`{"a":[{"b":{"companyKey":"k"}}]}`:                           true,
		`{"company_keys":"not one","title":{"en":"company_key"}}`:    false,
	} {
		v, err := ParseValue([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		if got := HasCredential(v); got != want {
			t.Errorf("HasCredential(%s) = %v, want %v", doc, got, want)
		}
	}
}
