package flow

import (
	"testing"
)

// Table tests of the KYB rules of SPEC §4 and §7.

func TestLockedMandatory(t *testing.T) {
	runTables(t, []failCase{
		{"companyName not mandatory", flowOf(companyWith(`{"type": "companyName", "mandatory": false}`, `{"type": "registrationNumber", "mandatory": true}`, `{"type": "registrationCountry", "mandatory": true}`)),
			[]wantDiag{errAt(CodeLockedMandatory, "/steps/0/fields/0/mandatory", `"companyName" is always mandatory in the company step`)}},
		{"registrationNumber without mandatory", flowOf(companyWith(`{"type": "companyName", "mandatory": true}`, `{"type": "registrationNumber"}`, `{"type": "registrationCountry", "mandatory": true}`)),
			[]wantDiag{errAt(CodeLockedMandatory, "/steps/0/fields/1/mandatory", `"registrationNumber" is always mandatory`)}},
		{"registrationCountry missing", flowOf(companyWith(`{"type": "companyName", "mandatory": true}`, `{"type": "registrationNumber", "mandatory": true}`, `{"type": "taxId", "mandatory": false}`)),
			[]wantDiag{errAt(CodeLockedMandatory, "/steps/0/fields", `"registrationCountry" is always collected in the company step`)}},
		{"empty company field list", flowOf(companyWith()),
			[]wantDiag{
				errAt(CodeLockedMandatory, "/steps/0/fields", `"companyName"`),
				errAt(CodeLockedMandatory, "/steps/0/fields", `"registrationNumber"`),
				errAt(CodeLockedMandatory, "/steps/0/fields", `"registrationCountry"`),
			}},
		{"ubo firstName not mandatory", flowOf(companyStep, beneficiariesStep("", role("ubo", "false", `{"type": "firstName", "mandatory": false}`, `{"type": "lastName", "mandatory": true}`, `{"type": "dateOfBirth", "mandatory": true}`))),
			[]wantDiag{errAt(CodeLockedMandatory, "/steps/1/roles/ubo/fields/0/mandatory", `"firstName" is always mandatory for the "ubo" role`)}},
		{"director without dateOfBirth", flowOf(companyStep, beneficiariesStep("", role("director", "false", `{"type": "firstName", "mandatory": true}`, `{"type": "lastName", "mandatory": true}`))),
			[]wantDiag{errAt(CodeLockedMandatory, "/steps/1/roles/director/fields", `"dateOfBirth" is always collected for the "director" role`)}},
		{"representative lastName mandatory missing", flowOf(companyStep, beneficiariesStep("", role("representative", "false", `{"type": "firstName", "mandatory": true}`, `{"type": "lastName"}`, `{"type": "dateOfBirth", "mandatory": true}`))),
			[]wantDiag{errAt(CodeLockedMandatory, "/steps/1/roles/representative/fields/1/mandatory", `"lastName"`)}},
		{"other without positionName", flowOf(companyStep, beneficiariesStep("", role("other", "false", person))),
			[]wantDiag{errAt(CodeLockedMandatory, "/steps/1/roles/other/fields", `"positionName" is always collected for the "other" role`)}},
		{"other positionName not mandatory", flowOf(companyStep, beneficiariesStep("", role("other", "false", `{"type": "positionName", "mandatory": false}`, person))),
			[]wantDiag{errAt(CodeLockedMandatory, "/steps/1/roles/other/fields/0/mandatory", `"positionName" is always mandatory`)}},
		{"shareholder's locked fields stay mandatory", flowOf(companyStep, beneficiariesStep("", role("shareholder", "false",
			`{"type": "companyName", "mandatory": false}`, `{"type": "registrationNumber", "mandatory": true}`, `{"type": "registrationCountry", "mandatory": true}`,
			`{"type": "firstName", "mandatory": false}`, `{"type": "lastName", "mandatory": true}`, `{"type": "dateOfBirth", "mandatory": true}`))),
			[]wantDiag{
				errAt(CodeLockedMandatory, "/steps/1/roles/shareholder/fields/0/mandatory", `"companyName" is always mandatory for the "shareholder" role`),
				errAt(CodeLockedMandatory, "/steps/1/roles/shareholder/fields/3/mandatory", `"firstName"`),
			}},
	}, []passCase{
		{"locked fields mandatory", CodeLockedMandatory, flowOf(companyStep,
			beneficiariesStep("", role("ubo", "false", person, `{"type": "ownershipPercentage", "mandatory": false}`)+", "+
				role("other", "false", `{"type": "positionName", "mandatory": true}`, person)+", "+
				role("shareholder", "false", shareholderFields, `{"type": "ownershipPercentage", "mandatory": false}`)), reviewStep)},
		{"optional fields may be optional", CodeLockedMandatory, flowOf(companyWith(`{"type": "companyName", "mandatory": true}`, `{"type": "registrationNumber", "mandatory": true}`, `{"type": "registrationCountry", "mandatory": true}`, `{"type": "companyEntityType"}`, `{"type": "website", "mandatory": false}`))},
	})
}

func TestRoleField(t *testing.T) {
	runTables(t, []failCase{
		{"companyName for a ubo", flowOf(companyStep, beneficiariesStep("", role("ubo", "false", person, `{"type": "companyName", "mandatory": true}`))),
			[]wantDiag{errAt(CodeRoleField, "/steps/1/roles/ubo/fields/3/type", `"companyName" describes a company, but the "ubo" role is always a person`)}},
		{"website for a director", flowOf(companyStep, beneficiariesStep("", role("director", "false", `{"type": "website", "mandatory": false}`, person))),
			[]wantDiag{errAt(CodeRoleField, "/steps/1/roles/director/fields/0/type", `"website"`)}},
		{"taxId for a representative", flowOf(companyStep, beneficiariesStep("", role("representative", "false", person, `{"type": "taxId", "mandatory": false}`))),
			[]wantDiag{errAt(CodeRoleField, "/steps/1/roles/representative/fields/3/type", `"taxId"`)}},
		{"registrationCountry for other", flowOf(companyStep, beneficiariesStep("", role("other", "false", `{"type": "positionName", "mandatory": true}`, person, `{"type": "registrationCountry", "mandatory": true}`))),
			[]wantDiag{errAt(CodeRoleField, "/steps/1/roles/other/fields/4/type", `"registrationCountry"`)}},
	}, []passCase{
		{"company fields for a shareholder", CodeRoleField, flowOf(companyStep, beneficiariesStep("", role("shareholder", "false",
			`{"type": "companyName", "mandatory": true}`, `{"type": "registrationNumber", "mandatory": true}`, `{"type": "registrationCountry", "mandatory": true}`,
			`{"type": "companyEntityType", "mandatory": false}`, `{"type": "website", "mandatory": false}`, person)), reviewStep)},
		{"shared fields for people", CodeRoleField, flowOf(companyStep, beneficiariesStep("", role("ubo", "false", person,
			`{"type": "ownershipPercentage", "mandatory": false}`, `{"type": "email", "mandatory": false}`, `{"type": "contactNumber", "mandatory": false}`)))},
	})
}

func TestKYBOrder(t *testing.T) {
	bens := beneficiariesStep("", role("ubo", "false", person))
	runTables(t, []failCase{
		{"beneficiaries without company", flowOf(bens, reviewStep),
			[]wantDiag{
				warnAt(CodeKYBOrder, "/steps/0", `a beneficiaries step without a company step`),
				warnAt(CodeKYBOrder, "/steps/1", `a kyb-review step without a company step`),
			}},
		{"kyb-review without company", flowOf(`{"type": "geolocation"}`, reviewStep),
			[]wantDiag{warnAt(CodeKYBOrder, "/steps/1", `a kyb-review step without a company step`)}},
		{"review before beneficiaries", flowOf(companyStep, reviewStep, bens),
			[]wantDiag{warnAt(CodeKYBOrder, "/steps/2", `this beneficiaries step comes after a kyb-review step`)}},
		{"company last", flowOf(bens, companyStep),
			[]wantDiag{warnAt(CodeKYBOrder, "/steps/1", `this company step comes after a beneficiaries step`)}},
	}, []passCase{
		{"company, beneficiaries, review", CodeKYBOrder, flowOf(`{"type": "language"}`, companyStep, bens, reviewStep)},
		{"company and review only", CodeKYBOrder, flowOf(companyStep, reviewStep)},
	})
}

func TestConfigMissing(t *testing.T) {
	ids := `, "kycConfigId": "687e0ba12cf633bd323cb0db", "kybConfigId": "687e0ba12cf633bd323cb0d2"`
	runTables(t, []failCase{
		{"individual role without kycConfigId", flowOf(companyStep, beneficiariesStep(`, "kybConfigId": "687e0ba12cf633bd323cb0d2"`, role("ubo", "true", person)+", "+role("director", "false", person))),
			[]wantDiag{warnAt(CodeConfigMissing, "/steps/1/roles/ubo/verification", `verification of the "ubo" role runs KYC, but the step has no kycConfigId`)}},
		{"each individual role", flowOf(companyStep, beneficiariesStep("", role("director", "true", person)+", "+role("other", "true", `{"type": "positionName", "mandatory": true}`, person))),
			[]wantDiag{
				warnAt(CodeConfigMissing, "/steps/1/roles/director/verification", `kycConfigId`),
				warnAt(CodeConfigMissing, "/steps/1/roles/other/verification", `kycConfigId`),
			}},
		{"shareholder without kybConfigId", flowOf(companyStep, beneficiariesStep(`, "kycConfigId": "687e0ba12cf633bd323cb0db"`, role("shareholder", "true", `{"type": "ownershipPercentage", "mandatory": false}`))),
			[]wantDiag{warnAt(CodeConfigMissing, "/steps/1/roles/shareholder/verification", `verification of shareholder companies runs KYB, but the step has no kybConfigId`)}},
		{"shareholder without either", flowOf(companyStep, beneficiariesStep("", role("shareholder", "true", `{"type": "ownershipPercentage", "mandatory": false}`))),
			[]wantDiag{
				warnAt(CodeConfigMissing, "/steps/1/roles/shareholder/verification", `kycConfigId`),
				warnAt(CodeConfigMissing, "/steps/1/roles/shareholder/verification", `kybConfigId`),
			}},
		{"empty ids count as missing", flowOf(companyStep, beneficiariesStep(`, "kycConfigId": ""`, role("representative", "true", person))),
			[]wantDiag{warnAt(CodeConfigMissing, "/steps/1/roles/representative/verification", `kycConfigId`)}},
	}, []passCase{
		{"both ids given", CodeConfigMissing, flowOf(companyStep, beneficiariesStep(ids, role("shareholder", "true", shareholderFields)+", "+role("ubo", "true", person)), reviewStep)},
		{"no verification needs no ids", CodeConfigMissing, flowOf(companyStep, beneficiariesStep("", role("shareholder", "false", shareholderFields)+", "+role("ubo", "false", person)))},
		{"individual roles need only kycConfigId", CodeConfigMissing, flowOf(companyStep, beneficiariesStep(`, "kycConfigId": "687e0ba12cf633bd323cb0db"`, role("ubo", "true", person)))},
	})
}
