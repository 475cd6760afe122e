package flow

import (
	"strings"
	"testing"
)

func mustTemplate(t *testing.T, name string) *Config {
	t.Helper()
	c, err := TemplateConfig(name)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func stepKeys(c *Config) string {
	var keys []string
	c.WalkSteps(func(p StepPath, s Step) {
		k := s.EffectiveKey()
		if p.Nested() {
			k = "  " + k
		}
		keys = append(keys, k)
	})
	return strings.Join(keys, ",")
}

func TestInsertStepMakesKeysUniqueAndSetsSkipFlags(t *testing.T) {
	c := New()
	p, err := c.InsertStep(nil, 0, "liveness")
	if err != nil || p[0] != 0 {
		t.Fatalf("InsertStep = %v, %v", p, err)
	}
	if _, err := c.InsertStep(nil, 1, "liveness"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.InsertStep(nil, 1, "liveness"); err != nil {
		t.Fatal(err)
	}
	if got := stepKeys(c); got != "liveness,liveness-3,liveness-2" {
		t.Fatalf("keys = %s", got)
	}
	if !c.BoolFlag("skip_face") {
		t.Error("adding liveness must set skip_face")
	}
	if _, err := c.InsertStep(nil, 0, "livenes"); err == nil || !strings.Contains(err.Error(), `"liveness"`) {
		t.Errorf("unknown type: want a did-you-mean error, got %v", err)
	}
}

func TestNewStepsAreValid(t *testing.T) {
	for _, typ := range StepTypes() {
		c := New()
		if _, err := c.InsertStep(nil, 0, typ); err != nil {
			t.Fatal(err)
		}
		for _, d := range Validate(c) {
			if d.Severity == SevError {
				t.Errorf("a new %s step has an error: %s", typ, d)
			}
		}
	}
}

func TestNestedStepEdits(t *testing.T) {
	c := mustTemplate(t, "video-kyc")
	if _, err := c.InsertStep(StepPath{0}, 0, "language"); err == nil {
		t.Error("a language step must not go inside a video call")
	}
	p, err := c.InsertStep(StepPath{0}, 2, "email")
	if err != nil || len(p) != 2 || p[1] != 2 {
		t.Fatalf("InsertStep nested = %v, %v", p, err)
	}
	// A nested key collides with a top-level one: suffixed.
	top, err := c.InsertStep(nil, 1, "identity-document")
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := c.StepAt(top); s.Key() != "identity-document-2" {
		t.Errorf("top-level key = %q, want identity-document-2", s.Key())
	}
	moved, ok := c.MoveStep(p, -1)
	if !ok || moved[1] != 1 {
		t.Fatalf("MoveStep = %v, %v", moved, ok)
	}
	if got := stepKeys(c); got != "video-call,  identity-document,  require_email,  liveness,identity-document-2" {
		t.Fatalf("keys = %s", got)
	}
	if _, ok := c.MoveStep(StepPath{0, 0}, -1); ok {
		t.Error("moving the first nested step up must fail")
	}
	if _, err := c.RemoveStep(StepPath{0, 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RemoveStep(StepPath{0, 9}); err == nil {
		t.Error("removing a missing step must fail")
	}
	dup, err := c.DuplicateStep(StepPath{0})
	if err != nil || dup[0] != 1 {
		t.Fatalf("DuplicateStep = %v, %v", dup, err)
	}
	if got := stepKeys(c); got != "video-call,  identity-document,  liveness,video-call-2,  identity-document-3,  liveness-2,identity-document-2" {
		t.Fatalf("keys after duplicate = %s", got)
	}
	if Validate(c).Count(SevError) != 0 {
		t.Fatalf("edits left errors: %v", Validate(c))
	}
}

func TestSetStepKeyRefusesDuplicates(t *testing.T) {
	c := mustTemplate(t, "basic-kyc")
	if err := c.SetStepKey(StepPath{1}, "liveness"); err == nil {
		t.Error("renaming onto a used key must fail")
	}
	if err := c.SetStepKey(StepPath{1}, "id"); err != nil {
		t.Fatal(err)
	}
	if s, _ := c.StepAt(StepPath{1}); s.Key() != "id" {
		t.Errorf("key = %q", s.Key())
	}
}

func TestQuestionnaireEditsKeepReferences(t *testing.T) {
	c := mustTemplate(t, "onboarding-questionnaire")
	s, _ := c.StepAt(StepPath{1})
	if err := s.RenameQuestion(0, "status"); err != nil {
		t.Fatal(err)
	}
	if k, _, _ := s.Questions()[1].Condition(); k != "status" {
		t.Errorf("condition not renamed: %q", k)
	}
	if err := s.RenameOption(0, 1, "freelance"); err != nil {
		t.Fatal(err)
	}
	if _, a, _ := s.Questions()[1].Condition(); a != "freelance" {
		t.Errorf("condition answer not renamed: %q", a)
	}
	if err := s.RenameOption(0, 0, "freelance"); err == nil {
		t.Error("an option key already used must be refused")
	}
	q := s.Questions()[2]
	q.Set("answer", NewStrings([]string{"savings", "payments"}))
	if err := s.RenameOption(2, 0, "save"); err != nil {
		t.Fatal(err)
	}
	if got := Strings(q.V.Get("answer")); strings.Join(got, ",") != "save,payments" {
		t.Errorf("preset answer not renamed: %v", got)
	}
	i, err := s.DuplicateQuestion(2)
	if err != nil || i != 3 {
		t.Fatalf("DuplicateQuestion = %d, %v", i, err)
	}
	dup := s.Questions()[3]
	// Option keys are unique within their question only: the copy keeps them.
	if dup.Key() != "purpose-2" || strings.Join(dup.OptionKeys(), ",") != "save,payments,investments" {
		t.Errorf("duplicate keys: %s %v", dup.Key(), dup.OptionKeys())
	}
	qi, err := s.AddQuestion(0, "dropdown", "en")
	if err != nil || qi != 0 || len(s.Questions()[0].OptionKeys()) != 1 {
		t.Fatalf("AddQuestion = %d, %v", qi, err)
	}
	if _, err := s.AddOption(0, 1, "Yes, please!", "en"); err != nil {
		t.Fatal(err)
	}
	if got := s.Questions()[0].OptionKeys()[1]; got != "yes-please" {
		t.Errorf("suggested key = %q", got)
	}
	if _, ok := s.MoveQuestion(0, 1); !ok {
		t.Error("MoveQuestion failed")
	}
	for _, d := range Validate(c) {
		if d.Severity == SevError {
			t.Errorf("edits left an error: %s", d)
		}
	}
}

func TestKYBEditsRespectLocks(t *testing.T) {
	c := New()
	p, _ := c.InsertStep(nil, 0, "beneficiaries")
	s, _ := c.StepAt(p)
	if err := s.SetRoleEnabled("other", true); err != nil {
		t.Fatal(err)
	}
	if err := s.AddField("other", "taxId", false); err == nil {
		t.Error("a company field must be refused for a person role")
	}
	if err := s.AddField("other", "email", false); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveField("other", 0); err == nil {
		t.Error("a locked field must not be removable")
	}
	if err := s.SetFieldMandatory("other", 0, false); err == nil {
		t.Error("a locked field must stay mandatory")
	}
	if err := s.RemoveField("other", 4); err != nil {
		t.Fatal(err)
	}
	if err := s.AddField("shareholder", "taxId", false); err != nil {
		t.Fatal(err)
	}
	if !s.RoleEnabled("shareholder") {
		t.Error("adding a field must enable its role")
	}
	if err := s.SetRoleEnabled("ceo", true); err == nil {
		t.Error("unknown role must be refused")
	}
	if Validate(c).Count(SevError) != 0 {
		t.Fatalf("edits left errors: %v", Validate(c))
	}
}

func TestKeyFromTitle(t *testing.T) {
	for in, want := range map[string]string{"Self-employed": "self-employed", "  Yes, please! ": "yes-please", "???": "option", "Über 18": "uber-18", "დანაზოგი": "danazogi"} {
		if got := KeyFromTitle(in); got != want {
			t.Errorf("KeyFromTitle(%q) = %q, want %q", in, got, want)
		}
	}
}

// A shareholder may be a person or a company: both locked sets come with
// the role, stay mandatory and cannot be removed (SPEC §12).
func TestShareholderLocksMatchTheValidator(t *testing.T) {
	c := New()
	p, _ := c.InsertStep(nil, 0, "beneficiaries")
	s, _ := c.StepAt(p)
	if err := s.AddField("shareholder", "email", false); err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, f := range s.FieldsValue("shareholder").Items() {
		typ, _ := f.Get("type").Str()
		types = append(types, typ)
	}
	if got := strings.Join(types, ","); got != "companyName,registrationNumber,registrationCountry,firstName,lastName,dateOfBirth,email" {
		t.Fatalf("shareholder fields = %s", got)
	}
	for i := range 6 {
		if err := s.SetFieldMandatory("shareholder", i, false); err == nil {
			t.Errorf("shareholder field %s must stay mandatory", types[i])
		}
		if err := s.RemoveField("shareholder", i); err == nil {
			t.Errorf("shareholder field %s must not be removable", types[i])
		}
	}
	if err := s.RemoveField("shareholder", 6); err != nil {
		t.Fatalf("an optional field may be removed: %v", err)
	}
	for _, d := range Validate(c) {
		if d.Code == CodeLockedMandatory {
			t.Fatalf("edits produced %s", d)
		}
	}
}

func TestOperatorSuccessButtonIsReportedOnce(t *testing.T) {
	c, err := Parse([]byte(`{"steps":[{"type":"operator-questionnaire","key":"o","title":{"en":"x"},"questions":[],"successButtonTitle":{"en":"ok"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range Validate(c) {
		if d.Path == "/steps/0/successButtonTitle" {
			n++
			if d.Code != CodeIgnoredFlag {
				t.Errorf("unexpected %s", d)
			}
		}
	}
	if n != 1 {
		t.Fatalf("want one diagnostic for successButtonTitle, got %d", n)
	}
}
