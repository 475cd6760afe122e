package flow

import (
	"embed"
	"fmt"
	"slices"
)

//go:embed templates/*.json
var templateFiles embed.FS

// Template is a built-in flow to start from.
type Template struct {
	Name        string
	Description string
}

var templates = []Template{
	{"basic-kyc", "language, identity document, passive liveness"},
	{"kyc-uploads", "ID and liveness; uploads allowed, not just camera"},
	{"proof-of-address", "bank statement or utility bill as proof of address"},
	{"selfie-with-id", "identity document and a selfie holding it"},
	{"kyb", "company, beneficiaries in all five roles, review"},
	{"video-kyc", "video call with an operator: ID and liveness"},
	{"onboarding-questionnaire", "bilingual questions with conditions and a file"},
	{"operator-review", "video call, then the operator's review questions"},
	{"contact-check", "phone and email verified by code, plus location"},
}

// Templates returns the built-in flows in the order to offer them.
func Templates() []Template { return slices.Clone(templates) }

// TemplateConfig returns a fresh copy of a built-in flow.
func TemplateConfig(name string) (*Config, error) {
	i := slices.IndexFunc(templates, func(t Template) bool { return t.Name == name })
	if i < 0 {
		names := make([]string, len(templates))
		for j, t := range templates {
			names[j] = t.Name
		}
		return nil, fmt.Errorf("no template %q%s; templates: %s", name, didYouMean(name, names), quoteList(names))
	}
	data, err := templateFiles.ReadFile("templates/" + name + ".json")
	if err != nil {
		return nil, fmt.Errorf("template %q: %w", name, err)
	}
	c, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("template %q: %w", name, err)
	}
	return c, nil
}
