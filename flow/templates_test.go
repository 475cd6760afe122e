package flow

import "testing"

func TestTemplatesHaveNoErrorsOrWarnings(t *testing.T) {
	if len(Templates()) < 8 {
		t.Fatalf("want at least 8 templates, have %d", len(Templates()))
	}
	for _, tpl := range Templates() {
		c, err := TemplateConfig(tpl.Name)
		if err != nil {
			t.Fatalf("%s: %v", tpl.Name, err)
		}
		for _, d := range Validate(c) {
			if d.Severity != SevInfo {
				t.Errorf("%s: %s", tpl.Name, d)
			}
		}
	}
}

func TestTemplateConfigUnknownName(t *testing.T) {
	_, err := TemplateConfig("basic-kcy")
	if err == nil || !contains(err.Error(), `did you mean "basic-kyc"`) {
		t.Fatalf("want a did-you-mean error, got %v", err)
	}
}

func TestTemplateConfigIsACopy(t *testing.T) {
	a, _ := TemplateConfig("basic-kyc")
	a.SetString("name", "changed")
	b, _ := TemplateConfig("basic-kyc")
	if b.String("name") != "" {
		t.Fatal("editing one template config changed the next one")
	}
}
