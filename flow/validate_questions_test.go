package flow

import (
	"testing"
)

// Table tests of the questionnaire rules of SPEC §5 and §7.

func TestConditions(t *testing.T) {
	cond := func(key, questionKey, answer string) string {
		return `{"type": "string", "key": "` + key + `", "title": {"en": "Question"}, "showConditions": {"questionKey": "` + questionKey + `", "answer": "` + answer + `"}}`
	}
	runTables(t, []failCase{
		{"target names no question", flowOf(userQ(qEmployment, cond("business", "employment-stauts", "self-employed"))),
			[]wantDiag{errAt(CodeConditionTarget, "/steps/0/questions/1/showConditions/questionKey", `no question "employment-stauts" in this questionnaire (did you mean "employment-status"?)`)}},
		{"target names no question, nothing near", flowOf(userQ(qEmployment, cond("business", "job", "self-employed"))),
			[]wantDiag{errAt(CodeConditionTarget, "/steps/0/questions/1/showConditions/questionKey", `no question "job" in this questionnaire; other questions: employment-status`)}},
		{"target names no question, only itself near", flowOf(userQ(cond("business", "businesss", "x"))),
			[]wantDiag{errAt(CodeConditionTarget, "/steps/0/questions/0/showConditions/questionKey", `no question "businesss" in this questionnaire; it has no other question`)}},
		{"target in another questionnaire", flowOf(userQ(qEmployment),
			`{"type": "user-questionnaire", "key": "second", "title": {"en": "More"}, "questions": [`+cond("business", "employment-status", "self-employed")+`]}`),
			[]wantDiag{errAt(CodeConditionTarget, "/steps/1/questions/0/showConditions/questionKey", `no question "employment-status"`)}},
		{"target names itself", flowOf(userQ(cond("business", "business", "x"))),
			[]wantDiag{errAt(CodeConditionTarget, "/steps/0/questions/0/showConditions/questionKey", `names the question itself`)}},
		{"target is a file question", flowOf(userQ(qIncome, cond("business", "income-proof", "x"))),
			[]wantDiag{errAt(CodeConditionTarget, "/steps/0/questions/1/showConditions/questionKey", `"income-proof" is a file upload and cannot control another question`)}},
		{"answer not an option", flowOf(userQ(qEmployment, cond("business", "employment-status", "self-employd"))),
			[]wantDiag{errAt(CodeConditionAnswer, "/steps/0/questions/1/showConditions/answer", `"self-employd" is not an option of question "employment-status" (did you mean "self-employed"?)`)}},
		{"answer not an option of a dropdown", flowOf(operatorQ("", choiceQ("dropdown", "verdict", "", opt("approve"), opt("reject")), cond("reason", "verdict", "rejected"))),
			[]wantDiag{errAt(CodeConditionAnswer, "/steps/0/questions/1/showConditions/answer", `did you mean "reject"?`)}},
		{"answer is a title, not a key", flowOf(userQ(choiceQ("multiple-choice", "purpose", "", opt("savings"), opt("payments")), cond("amount", "purpose", "Savings account"))),
			[]wantDiag{errAt(CodeConditionAnswer, "/steps/0/questions/1/showConditions/answer", `options: "savings", "payments"`)}},
		{"target shown later", flowOf(userQ(cond("business", "employment-status", "self-employed"), qEmployment)),
			[]wantDiag{warnAt(CodeConditionOrder, "/steps/0/questions/0/showConditions/questionKey", `question "employment-status" comes after this one`)}},
	}, []passCase{
		{"target earlier, answer an option", CodeConditionTarget, flowOf(userQ(qEmployment, cond("business", "employment-status", "self-employed")))},
		{"any text for a string question", CodeConditionAnswer, flowOf(userQ(qName, cond("nickname", "full-name", "Anything at all")))},
		{"multiple-choice option", CodeConditionAnswer, flowOf(userQ(choiceQ("multiple-choice", "purpose", "", opt("savings"), opt("payments")), cond("amount", "purpose", "savings")))},
		{"target earlier", CodeConditionOrder, flowOf(userQ(qEmployment, qName, cond("business", "employment-status", "employed")))},
	})
}

func TestAnswer(t *testing.T) {
	q := func(typ, answer string) string {
		return choiceQ(typ, "pick", `, "answer": `+answer, opt("yes"), opt("no"), opt("maybe"))
	}
	runTables(t, []failCase{
		{"options answer not an option", flowOf(userQ(q("options", `"yess"`))),
			[]wantDiag{errAt(CodeAnswer, "/steps/0/questions/0/answer", `preset answer "yess" is not an option of this question (did you mean "yes"?)`)}},
		{"options answer as array", flowOf(userQ(q("options", `["yes"]`))),
			[]wantDiag{errAt(CodeAnswer, "/steps/0/questions/0/answer", `one option key (a string), not an array`)}},
		{"multiple-choice answer as string", flowOf(userQ(q("multiple-choice", `"yes"`))),
			[]wantDiag{errAt(CodeAnswer, "/steps/0/questions/0/answer", `an array of option keys, not a string`)}},
		{"multiple-choice item not an option", flowOf(userQ(q("multiple-choice", `["yes", "mayb"]`))),
			[]wantDiag{errAt(CodeAnswer, "/steps/0/questions/0/answer/1", `did you mean "maybe"?`)}},
		{"multiple-choice item not a string", flowOf(userQ(q("multiple-choice", `["yes", 2]`))),
			[]wantDiag{errAt(CodeAnswer, "/steps/0/questions/0/answer/1", `an option key (a string), not a number`)}},
		{"string answer as number", flowOf(userQ(`{"type": "string", "key": "age", "title": {"en": "Age"}, "answer": 42}`)),
			[]wantDiag{errAt(CodeAnswer, "/steps/0/questions/0/answer", `a text or a {language: text} object, not a number`)}},
	}, []passCase{
		{"options key", CodeAnswer, flowOf(userQ(q("options", `"yes"`)))},
		{"multiple-choice keys", CodeAnswer, flowOf(userQ(q("multiple-choice", `["yes", "maybe"]`)))},
		{"string text", CodeAnswer, flowOf(userQ(`{"type": "string", "key": "n", "title": {"en": "Name"}, "answer": "Jane"}`))},
		{"string localized", CodeAnswer, flowOf(userQ(`{"type": "string", "key": "n", "title": {"en": "Name"}, "answer": {"en": "Prefilled"}}`))},
	})
}

func TestIgnoredFlag(t *testing.T) {
	runTables(t, []failCase{
		{"allow_face_upload with active liveness", flowOf(`{"type": "liveness", "flags": {"liveness": true, "allow_face_upload": true}}`),
			[]wantDiag{warnAt(CodeIgnoredFlag, "/steps/0/flags/allow_face_upload", `allow_face_upload is ignored with active liveness`)}},
		{"multiple on an options question", flowOf(userQ(choiceQ("options", "pick", `, "multiple": true`, opt("a")))),
			[]wantDiag{warnAt(CodeIgnoredFlag, "/steps/0/questions/0/multiple", `"multiple" only applies to dropdown questions`)}},
		{"multiple on a string question", flowOf(userQ(`{"type": "string", "key": "n", "title": {"en": "Name"}, "multiple": false}`)),
			[]wantDiag{warnAt(CodeIgnoredFlag, "/steps/0/questions/0/multiple", `only applies to dropdown`)}},
		{"preset answer on a dropdown", flowOf(userQ(choiceQ("dropdown", "pick", `, "answer": "a"`, opt("a")))),
			[]wantDiag{warnAt(CodeIgnoredFlag, "/steps/0/questions/0/answer", `a dropdown question cannot have a preset answer`)}},
		{"preset answer on a file question", flowOf(userQ(`{"type": "file", "key": "doc", "title": {"en": "Doc"}, "answer": "scan.pdf"}`)),
			[]wantDiag{warnAt(CodeIgnoredFlag, "/steps/0/questions/0/answer", `a file question cannot have a preset answer`)}},
		{"successButtonTitle on an operator questionnaire", flowOf(operatorQ(`, "successButtonTitle": {"en": "Done"}`, qName)),
			[]wantDiag{warnAt(CodeIgnoredFlag, "/steps/0/successButtonTitle", `successButtonTitle is only used by user questionnaires`)}},
		{"file settings on a text question", flowOf(userQ(`{"type": "string", "key": "n", "title": {"en": "Name"}, "fileTypes": ["pdf"], "filesMaxCount": 2}`)),
			[]wantDiag{
				warnAt(CodeIgnoredFlag, "/steps/0/questions/0/fileTypes", `"fileTypes" only applies to file questions`),
				warnAt(CodeIgnoredFlag, "/steps/0/questions/0/filesMaxCount", `"filesMaxCount" only applies to file questions`),
			}},
		{"options on a file question", flowOf(userQ(`{"type": "file", "key": "doc", "title": {"en": "Doc"}, "options": [` + opt("a") + `]}`)),
			[]wantDiag{warnAt(CodeIgnoredFlag, "/steps/0/questions/0/options", `a file question has no options`)}},
	}, []passCase{
		{"allow_face_upload with passive liveness", CodeIgnoredFlag, flowOf(`{"type": "liveness", "flags": {"liveness": false, "allow_face_upload": true}}`)},
		{"multiple on a dropdown", CodeIgnoredFlag, flowOf(userQ(choiceQ("dropdown", "pick", `, "multiple": true`, opt("a"), opt("b"))))},
		{"preset answer on an options question", CodeIgnoredFlag, flowOf(userQ(choiceQ("options", "pick", `, "answer": "a"`, opt("a"), opt("b"))))},
		{"successButtonTitle on a user questionnaire", CodeIgnoredFlag, flowOf(`{"type": "user-questionnaire", "key": "survey", "title": {"en": "About you"}, "successButtonTitle": {"en": "Send"}, "questions": [` + qName + `]}`)},
		{"file settings on a file question", CodeIgnoredFlag, flowOf(userQ(`{"type": "file", "key": "doc", "title": {"en": "Doc"}, "fileTypes": ["image"], "filesMaxCount": 2}`))},
	})
}

func TestLocalize(t *testing.T) {
	runTables(t, []failCase{
		{"questionnaire title and description", flowOf(`{"type": "user-questionnaire", "key": "survey", "title": "About you", "description": "A few questions", "questions": [` + qName + `]}`),
			[]wantDiag{
				warnAt(CodeLocalize, "/steps/0/title", `"title" should be a localized object such as {"en": "About you"}`),
				warnAt(CodeLocalize, "/steps/0/description", `"description" should be a localized object`),
			}},
		{"operator questionnaire title (§12)", flowOf(`{"type": "operator-questionnaire", "key": "review", "title": "Review", "questions": [` + qName + `]}`),
			[]wantDiag{warnAt(CodeLocalize, "/steps/0/title", `should be a localized object`)}},
		{"question title and description", flowOf(userQ(`{"type": "file", "key": "doc", "title": "Document", "description": "A scan"}`)),
			[]wantDiag{
				warnAt(CodeLocalize, "/steps/0/questions/0/title", `"title" should be a localized object`),
				warnAt(CodeLocalize, "/steps/0/questions/0/description", `"description" should be`),
			}},
		{"option title", flowOf(userQ(choiceQ("options", "pick", "", `{"key": "yes", "title": "Yes"}`))),
			[]wantDiag{warnAt(CodeLocalize, "/steps/0/questions/0/options/0/title", `{"en": "Yes"}`)}},
		{"successButtonTitle", flowOf(`{"type": "user-questionnaire", "key": "survey", "title": {"en": "About you"}, "successButtonTitle": "Send", "questions": [` + qName + `]}`),
			[]wantDiag{warnAt(CodeLocalize, "/steps/0/successButtonTitle", `should be a localized object`)}},
		{"KYB titles and descriptions", flowOf(
			`{"type": "company", "key": "company", "title": "Company data", "fields": [{"type": "companyName", "mandatory": true}, {"type": "registrationNumber", "mandatory": true}, {"type": "registrationCountry", "mandatory": true}]}`,
			`{"type": "beneficiaries", "key": "beneficiaries", "title": {"en": "Beneficiaries"}, "description": "Owners and directors", "roles": {}}`,
			`{"type": "kyb-review", "key": "kyb-review", "title": "Check"}`),
			[]wantDiag{
				warnAt(CodeLocalize, "/steps/0/title", `localized`),
				warnAt(CodeLocalize, "/steps/1/description", `localized`),
				warnAt(CodeLocalize, "/steps/2/title", `localized`),
			}},
		{"localized object suggested in the flow's language", flowWith(`{"return_url": "https://example.com/done", "language": "ka"}`, `{"type": "kyb-review", "title": "შემოწმება"}`),
			[]wantDiag{warnAt(CodeLocalize, "/steps/0/title", `{"ka": "შემოწმება"}`)}},
	}, []passCase{
		{"localized objects everywhere", CodeLocalize, flowOf(`{"type": "user-questionnaire", "key": "survey", "title": {"en": "About you"}, "description": {"en": "A few questions"}, "successButtonTitle": {"en": "Send"}, "questions": [` + qEmployment + `]}`)},
	})
}

func TestMissingTranslation(t *testing.T) {
	runTables(t, []failCase{
		{"global language", flowWith(`{"return_url": "https://example.com/done", "language": "es"}`, `{"type": "kyb-review", "title": {"en": "Checking the data"}}`),
			[]wantDiag{warnAt(CodeMissingTranslation, "/steps/0/title", `no text for es`)}},
		{"language step's explicit list", flowOf(`{"type": "language", "flags": {"languages": ["en", "ka", "ru"]}}`, `{"type": "kyb-review", "title": {"en": "Checking the data", "ru": "Проверка данных"}}`),
			[]wantDiag{warnAt(CodeMissingTranslation, "/steps/1/title", `no text for ka, which the flow can show; add "ka"`)}},
		{"english missing under another global language", flowWith(`{"return_url": "https://example.com/done", "language": "de"}`, `{"type": "language", "flags": {"languages": ["de", "en"]}}`,
			`{"type": "kyb-review", "title": {"de": "Prüfung"}}`),
			[]wantDiag{warnAt(CodeMissingTranslation, "/steps/1/title", `no text for en`)}},
		{"option titles and preset answers too", flowOf(`{"type": "language", "flags": {"languages": ["en", "es"]}}`,
			`{"type": "user-questionnaire", "key": "survey", "title": {"en": "About you", "es": "Sobre usted"}, "questions": [`+
				`{"type": "options", "key": "pick", "title": {"en": "Pick", "es": "Elija"}, "options": [{"key": "a", "title": {"en": "A"}}]}, `+
				`{"type": "string", "key": "n", "title": {"en": "Name", "es": "Nombre"}, "answer": {"en": "Jane"}}]}`),
			[]wantDiag{
				warnAt(CodeMissingTranslation, "/steps/1/questions/0/options/0/title", `no text for es`),
				warnAt(CodeMissingTranslation, "/steps/1/questions/1/answer", `no text for es`),
			}},
	}, []passCase{
		{"every shown language present", CodeMissingTranslation, flowOf(`{"type": "language", "flags": {"languages": ["en", "ka"]}}`,
			`{"type": "user-questionnaire", "key": "survey", "title": {"en": "About you", "ka": "თქვენს შესახებ"}, "questions": [{"type": "string", "key": "n", "title": {"en": "Name", "ka": "სახელი"}}]}`)},
		{"a language step without a list adds nothing", CodeMissingTranslation, flowOf(`{"type": "language"}`, `{"type": "language", "key": "language-2", "flags": {"languages": []}}`, userQ(qName))},
	})
}

func TestUnreachable(t *testing.T) {
	runTables(t, []failCase{
		{"mandatory read-only question without preset", flowOf(userQ(`{"type": "string", "key": "ref", "title": {"en": "Reference"}, "mandatory": true, "readOnly": true}`)),
			[]wantDiag{warnAt(CodeUnreachable, "/steps/0/questions/0", `mandatory and read-only but has no preset answer`)}},
		{"mandatory read-only dropdown", flowOf(operatorQ("", choiceQ("dropdown", "verdict", `, "mandatory": true, "readOnly": true`, opt("ok")))),
			[]wantDiag{warnAt(CodeUnreachable, "/steps/0/questions/0", `nobody can answer it`)}},
		{"phone-number step asking for nothing", flowOf(`{"type": "phone-number"}`),
			[]wantDiag{warnAt(CodeUnreachable, "/steps/0", `this phone-number step neither requires nor checks anything`)}},
		{"email step with both flags false", flowOf(`{"type": "geolocation"}`, `{"type": "email", "flags": {"require_email": false, "require_email_check": false}}`),
			[]wantDiag{warnAt(CodeUnreachable, "/steps/1", `this email step neither requires nor checks anything; set require_email or require_email_check`)}},
		{"inside a video call", flowOf(`{"type": "video-call", "steps": [{"type": "email"}]}`),
			[]wantDiag{warnAt(CodeUnreachable, "/steps/0/steps/0", `email step`)}},
		{"mandatory read-only dropdown whose preset answer is ignored", flowOf(userQ(choiceQ("dropdown", "plan", `, "mandatory": true, "readOnly": true, "answer": "basic"`, opt("basic")))),
			[]wantDiag{warnAt(CodeUnreachable, "/steps/0/questions/0", `no preset answer`), warnAt(CodeIgnoredFlag, "/steps/0/questions/0/answer", `cannot have a preset answer`)}},
		{"mandatory read-only file question with an answer", flowOf(userQ(`{"type": "file", "key": "doc", "title": {"en": "Doc"}, "mandatory": true, "readOnly": true, "answer": "a.pdf"}`)),
			[]wantDiag{warnAt(CodeUnreachable, "/steps/0/questions/0", `nobody can answer it`)}},
	}, []passCase{
		{"read-only with a preset answer", CodeUnreachable, flowOf(userQ(`{"type": "string", "key": "ref", "title": {"en": "Reference"}, "mandatory": true, "readOnly": true, "answer": "R-123"}`))},
		{"read-only but optional", CodeUnreachable, flowOf(userQ(`{"type": "string", "key": "ref", "title": {"en": "Reference"}, "mandatory": false, "readOnly": true}`))},
		{"phone checked", CodeUnreachable, flowOf(`{"type": "phone-number", "flags": {"require_phone_number_check": true}}`)},
		{"email required", CodeUnreachable, flowOf(`{"type": "email", "flags": {"require_email": true}}`)},
	})
}
