package export

import (
	"fmt"
	"slices"
	"strings"

	"github.com/identoflow/identoflow/flow"
)

// schemaDialect is the JSON Schema draft the config schema is written in.
const schemaDialect = "https://json-schema.org/draft/2020-12/schema"

// The range of a file question's filesMaxCount (SPEC §5).
const (
	minFilesMaxCount = 1
	maxFilesMaxCount = 10
)

// Schema returns the JSON Schema (draft 2020-12) of the config file,
// derived from flow's spec tables: field types, enums, defaults, the
// required members, and a description of every known field. It rejects
// what the validator reports as an error wherever a schema can say so:
// credentials at any depth, the KYB fields that are always mandatory,
// choice questions without options, blank keys, the capture/upload
// conflict, date-times outside RFC 3339. Like the tool, it allows members
// it does not know (the tool keeps them and warns). What a schema cannot
// express (unique keys, conditions naming other questions, KYB order,
// schedule order) is left to the validator. The output is the same for the
// same program: 2-space indented, with a trailing newline.
func Schema() []byte { return flow.Marshal(configSchema()) }

func configSchema() *flow.Value {
	props := flow.NewObject()
	for _, f := range flow.TopFields() {
		s := fieldSchema(f)
		switch f.Name {
		case "flags":
			s = object("description", text(f.Doc), "$ref", ref("globalFlags"))
		case "steps":
			put(s, "items", object("$ref", ref("step")))
		}
		put(props, f.Name, s)
	}
	for _, name := range []string{"company_key", "secret_key"} {
		put(props, name, object(
			"description", text(fmt.Sprintf("a credential: never in a config file; set IDENTOMAT_%s instead", strings.ToUpper(name))),
			"not", flow.NewObject(),
		))
	}
	// A config_id names a saved configuration only when it is not empty.
	configID := object("type", text("string"), "minLength", flow.NewInt(1))
	return object(
		"$schema", text(schemaDialect),
		"title", text("identoflow config"),
		"description", text("An Identomat verification flow: the begin/ request body without credentials. Members the tool does not know are allowed; it keeps them and warns."),
		"type", text("object"),
		"properties", props,
		"allOf", flow.NewArray(object("$ref", ref("noCredentials"))),
		// steps are required, and may not be empty, unless config_id names a
		// saved configuration.
		"if", object(
			"properties", object("config_id", configID),
			"required", flow.NewStrings([]string{"config_id"}),
		),
		"else", object(
			"required", flow.NewStrings([]string{"steps"}),
			"properties", object("steps", object("minItems", flow.NewInt(1))),
		),
		"$defs", object(
			"globalFlags", globalFlagsSchema(),
			"step", stepSchema(),
			"localizedText", localizedTextSchema(),
			"question", questionSchema(),
			"option", optionSchema(),
			"condition", specsObject("show the question only when another question of the questionnaire has this answer", flow.ConditionSpecs(), "questionKey", "answer"),
			"kybField", specsObject("a KYB field to collect", flow.KYBFieldSpecs(), "type"),
			"role", roleSchema(),
			"noCredentials", noCredentialsSchema(),
		),
	)
}

// credentialName matches the member names flow.IsCredentialName does:
// company_key, secret_key, companyKey, secretKey in any case (the Kelvin
// sign and the long s fold to k and s).
const credentialName = "^(?:[Cc][Oo][Mm][Pp][Aa][Nn][Yy]|[Ss\u017f][Ee][Cc][Rr][Ee][Tt])_?[Kk\u212a][Ee][Yy]$"

// noCredentialsSchema refuses a credential member at any depth.
func noCredentialsSchema() *flow.Value {
	return object(
		"description", text("no member anywhere may be a credential (company_key, secret_key, companyKey or secretKey, in any case): configs are shared and kept in version control"),
		"propertyNames", object("not", object("pattern", text(credentialName))),
		"additionalProperties", object("$ref", ref("noCredentials")),
		"items", object("$ref", ref("noCredentials")),
	)
}

// lockedFieldsSchema requires each locked field in a KYB field list, and
// "mandatory": true on every locked field there.
func lockedFieldsSchema(s *flow.Value, locked []string) {
	if len(locked) == 0 {
		return
	}
	contains := flow.NewArray()
	for _, f := range locked {
		contains.Append(object("contains", object(
			"properties", object("type", object("const", text(f))),
			"required", flow.NewStrings([]string{"type"}),
		)))
	}
	put(s, "allOf", contains)
	items := s.Get("items")
	if items == nil {
		items = flow.NewObject()
		put(s, "items", items)
	}
	put(items, "if", object(
		"properties", object("type", object("enum", flow.NewStrings(locked))),
		"required", flow.NewStrings([]string{"type"}),
	))
	put(items, "then", object(
		"properties", object("mandatory", object("const", flow.NewBool(true))),
		"required", flow.NewStrings([]string{"mandatory"}),
	))
}

func globalFlagsSchema() *flow.Value {
	props := flow.NewObject()
	for _, f := range flow.GlobalFlags() {
		if f.Name == "language" {
			// The validator only warns about "hy" here (SPEC §12), so the
			// schema accepts all 22 codes rather than reject a config the
			// tool would send.
			f.Enum = flow.Languages()
			f.Doc += ` ("hy" is accepted, but the tool warns that the widget may fall back to English)`
		}
		put(props, f.Name, fieldSchema(f))
	}
	return object(
		"description", text("global flags of the session"),
		"type", text("object"),
		"properties", props,
	)
}

// stepSchema is a step of any type: the common members, then one if/then
// per type adding that type's members and flags.
func stepSchema() *flow.Value {
	specs := flow.StepSpecs()
	all := specs[0].StepFields()
	common := all[:len(all)-len(specs[0].Props)]
	props := flow.NewObject()
	for _, f := range common {
		s := fieldSchema(f)
		if f.Name == "type" {
			put(s, "enum", flow.NewStrings(flow.StepTypes()))
		}
		put(props, f.Name, s)
	}
	byType := flow.NewArray()
	for _, spec := range specs {
		then := object("title", text(spec.Title), "description", text(spec.Summary))
		typeProps := flow.NewObject()
		for _, f := range spec.Props {
			put(typeProps, f.Name, stepPropSchema(f))
		}
		if len(spec.Flags) > 0 {
			flags := flow.NewObject()
			for _, f := range spec.Flags {
				s := fieldSchema(f)
				if f.Name == "document_countries" {
					put(s.Get("items"), "enum", flow.NewStrings(countryCodes()))
				}
				put(flags, f.Name, s)
			}
			put(typeProps, "flags", object("properties", flags))
		}
		if typeProps.Len() > 0 {
			put(then, "properties", typeProps)
		}
		switch spec.Type {
		case "company":
			// No "fields" collects none of the locked ones.
			put(then, "required", flow.NewStrings([]string{"fields"}))
		case "identity-document":
			// Capture disabled leaves only uploading, which must be allowed
			// (an absent allow_document_upload is false).
			put(then, "if", object(
				"properties", object("flags", object(
					"properties", object("disable_document_capture", object("const", flow.NewBool(true))),
					"required", flow.NewStrings([]string{"disable_document_capture"}),
				)),
				"required", flow.NewStrings([]string{"flags"}),
			))
			put(then, "then", object(
				"properties", object("flags", object(
					"properties", object("allow_document_upload", object("const", flow.NewBool(true))),
					"required", flow.NewStrings([]string{"allow_document_upload"}),
				)),
			))
		}
		byType.Append(object(
			"if", object(
				"properties", object("type", object("const", text(spec.Type))),
				"required", flow.NewStrings([]string{"type"}),
			),
			"then", then,
		))
	}
	return object(
		"description", text("one step of the flow; its type decides its other members"),
		"type", text("object"),
		"required", flow.NewStrings([]string{"type"}),
		"properties", props,
		"allOf", byType,
	)
}

// stepPropSchema is a type-specific step member, with the shape of the
// objects its arrays hold.
func stepPropSchema(f flow.FieldSpec) *flow.Value {
	s := fieldSchema(f)
	switch f.Name {
	case "fields":
		put(s, "items", object("$ref", ref("kybField")))
		lockedFieldsSchema(s, flow.LockedFields(""))
	case "roles":
		put(s, "propertyNames", object("enum", flow.NewStrings(flow.Roles())))
		roles := flow.NewObject()
		for _, role := range flow.Roles() {
			fields := flow.NewObject()
			if flow.IsIndividualRole(role) {
				// People have no company-only fields (role-field errors).
				put(fields, "items", object(
					"properties", object("type", object("enum", flow.NewStrings(flow.RoleFields(role))))))
			}
			// An enabled role without "fields" collects none of the locked ones.
			lockedFieldsSchema(fields, flow.LockedFields(role))
			put(roles, role, object(
				"$ref", ref("role"),
				"required", flow.NewStrings([]string{"fields"}),
				"properties", object("fields", fields),
			))
		}
		put(s, "properties", roles)
	case "steps":
		var inCall []string
		for _, t := range flow.StepTypes() {
			if flow.AllowedInVideoCall(t) {
				inCall = append(inCall, t)
			}
		}
		put(s, "items", object(
			"$ref", ref("step"),
			"properties", object("type", object("enum", flow.NewStrings(inCall))),
		))
	case "questions":
		put(s, "items", object("$ref", ref("question")))
	}
	return s
}

func questionSchema() *flow.Value {
	s := specsObject("a questionnaire question", flow.QuestionFields(), "type", "key")
	props := s.Get("properties")
	put(props.Get("options"), "items", object("$ref", ref("option")))
	put(props, "showConditions", object("description", props.Get("showConditions").Get("description"), "$ref", ref("condition")))
	put(props.Get("filesMaxCount"), "minimum", flow.NewInt(minFilesMaxCount))
	put(props.Get("filesMaxCount"), "maximum", flow.NewInt(maxFilesMaxCount))
	put(props.Get("key"), "pattern", text(notBlank))
	put(props.Get("answer"), "not", object("type", text("null")))
	// The preset answer's shape depends on the question type (SPEC §5);
	// dropdown and file questions ignore it, so any value passes there.
	answers := []struct {
		typ    string
		answer *flow.Value
	}{
		{"string", object("$ref", ref("localizedText"))},
		{"options", object("type", text("string"))},
		{"multiple-choice", object("type", text("array"), "items", object("type", text("string")))},
	}
	byType := flow.NewArray()
	for _, a := range answers {
		byType.Append(object(
			"if", object(
				"properties", object("type", object("const", text(a.typ))),
				"required", flow.NewStrings([]string{"type"}),
			),
			"then", object("properties", object("answer", a.answer)),
		))
	}
	// Choice questions need at least one option.
	var choices []string
	for _, t := range flow.QuestionTypes() {
		if flow.IsChoiceQuestion(t) {
			choices = append(choices, t)
		}
	}
	byType.Append(object(
		"if", object(
			"properties", object("type", object("enum", flow.NewStrings(choices))),
			"required", flow.NewStrings([]string{"type"}),
		),
		"then", object(
			"required", flow.NewStrings([]string{"options"}),
			"properties", object("options", object("minItems", flow.NewInt(1))),
		),
	))
	put(s, "allOf", byType)
	return s
}

// notBlank matches a text with a character that is not white space (as
// Go's unicode.IsSpace has it): a blank key names nothing.
const notBlank = "[^\\t\\n\\v\\f\\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"

func optionSchema() *flow.Value {
	s := specsObject("an option of a choice question", flow.OptionSpecs(), "key")
	put(s.Get("properties").Get("key"), "pattern", text(notBlank))
	return s
}

func roleSchema() *flow.Value {
	s := specsObject("a beneficiary role: the fields to collect and whether to verify", flow.RoleSpecs())
	put(s.Get("properties").Get("fields"), "items", object("$ref", ref("kybField")))
	return s
}

func localizedTextSchema() *flow.Value {
	return object(
		"description", text("a plain text, or an object from language code to text such as {\"en\": \"Title\", \"es\": \"Título\"}"),
		"anyOf", flow.NewArray(
			object("type", text("string")),
			object(
				"type", text("object"),
				"propertyNames", object("enum", flow.NewStrings(flow.Languages())),
				"additionalProperties", object("type", text("string")),
			),
		),
	)
}

// specsObject is an object schema with a property per spec.
func specsObject(doc string, specs []flow.FieldSpec, required ...string) *flow.Value {
	props := flow.NewObject()
	for _, f := range specs {
		put(props, f.Name, fieldSchema(f))
	}
	s := object("description", text(doc), "type", text("object"))
	if len(required) > 0 {
		put(s, "required", flow.NewStrings(required))
	}
	put(s, "properties", props)
	return s
}

// fieldSchema turns one field spec into a schema: its JSON type (with null
// when nullable), enum, format, default and description.
func fieldSchema(f flow.FieldSpec) *flow.Value {
	s := flow.NewObject()
	if f.Doc != "" {
		put(s, "description", text(f.Doc))
	}
	typ := ""
	switch f.Kind {
	case flow.KindString:
		typ = "string"
	case flow.KindBool:
		typ = "boolean"
	case flow.KindStringList:
		typ = "array"
	case flow.KindURL:
		typ = "string"
		f.Nullable = true // null means "not set" for every URL flag
	case flow.KindDateTime:
		typ = "string"
	case flow.KindObject:
		typ = "object"
	case flow.KindArray:
		typ = "array"
	case flow.KindInt:
		typ = "integer"
	case flow.KindText:
		if f.Nullable {
			put(s, "anyOf", flow.NewArray(object("$ref", ref("localizedText")), object("type", text("null"))))
		} else {
			put(s, "$ref", ref("localizedText"))
		}
	case flow.KindAny:
	}
	if typ != "" {
		if f.Nullable {
			put(s, "type", flow.NewStrings([]string{typ, "null"}))
		} else {
			put(s, "type", text(typ))
		}
	}
	switch {
	case f.Kind == flow.KindStringList:
		items := object("type", text("string"))
		if f.Enum != nil {
			put(items, "enum", flow.NewStrings(f.Enum))
		}
		put(s, "items", items)
	case f.Enum != nil:
		enum := flow.NewStrings(f.Enum)
		if f.Nullable {
			enum.Append(flow.NewNull())
		}
		put(s, "enum", enum)
	}
	if f.Kind == flow.KindDateTime {
		put(s, "format", text("date-time"))
		put(s, "pattern", text(rfc3339Pattern))
	}
	if f.Kind == flow.KindURL {
		// An absolute http(s) URL without spaces; for switch_device_url
		// "" too, which means "no QR code".
		pattern := `^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+[^\s]*$`
		if f.Name == "switch_device_url" {
			pattern = "^$|" + pattern
		}
		put(s, "pattern", text(pattern))
	}
	if f.Default != "" {
		def, err := flow.ParseValue([]byte(f.Default))
		if err != nil {
			// The spec tables are compiled in: a bad default is a bug that
			// the tests catch, like a bad template in template.Must.
			panic(fmt.Sprintf("flow spec: default of %q is not JSON: %v", f.Name, err))
		}
		put(s, "default", def)
	}
	return s
}

// rfc3339Pattern is RFC 3339 §5.6 as the validator reads it: "T" and "Z"
// in either case, any fraction, second 60 for a leap second, an offset of
// at most 23:59. The "date-time" format adds the calendar (no 30 February).
const rfc3339Pattern = `^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$`

// countryCodes returns the ISO 3166-1 alpha-3 codes, sorted.
func countryCodes() []string {
	var out []string
	for _, c := range flow.Countries() {
		out = append(out, c.Alpha3)
	}
	slices.Sort(out)
	return out
}

// object builds a JSON object from name, value pairs, in order.
func object(pairs ...any) *flow.Value {
	o := flow.NewObject()
	for i := 0; i+1 < len(pairs); i += 2 {
		put(o, pairs[i].(string), pairs[i+1].(*flow.Value))
	}
	return o
}

// put sets a member, appending new ones so the schema reads in the order
// it was built.
func put(o *flow.Value, name string, v *flow.Value) { o.Set(name, v, nil) }

func text(s string) *flow.Value { return flow.NewString(s) }

func ref(def string) *flow.Value { return flow.NewString("#/$defs/" + def) }
