package flow

import "testing"

func kybOrderWarnings(c *Config) int {
	n := 0
	for _, d := range Validate(c) {
		if d.Code == CodeKYBOrder {
			n++
		}
	}
	return n
}

func TestReorderKYBPutsKYBStepsInOrder(t *testing.T) {
	c := kybTestConfig(t, `{"flags": {}, "steps": [
		{"type": "kyb-review"},
		{"type": "language"},
		{"type": "beneficiaries", "roles": {}},
		{"type": "email", "flags": {"require_email": true}},
		{"type": "company", "fields": [], "x-kept": 1}
	]}`)
	if kybOrderWarnings(c) == 0 {
		t.Fatal("the test flow should start out of order")
	}
	if !c.ReorderKYB() {
		t.Fatal("ReorderKYB reported nothing moved")
	}
	if got, want := stepKeys(c), "company,language,beneficiaries,require_email,kyb-review"; got != want {
		t.Fatalf("order = %s, want %s", got, want)
	}
	if n := kybOrderWarnings(c); n != 0 {
		t.Errorf("still %d kyb-order warnings after reordering", n)
	}
	if !c.Steps()[0].V.Has("x-kept") {
		t.Error("the moved company step lost an unknown member")
	}
	if c.ReorderKYB() {
		t.Error("a second ReorderKYB moved steps again")
	}
}

func TestReorderKYBLeavesOrderedAndIncompleteFlowsAlone(t *testing.T) {
	for name, doc := range map[string]string{
		"ordered":         `{"steps": [{"type": "company"}, {"type": "liveness"}, {"type": "beneficiaries"}, {"type": "kyb-review"}]}`,
		"without company": `{"steps": [{"type": "beneficiaries"}, {"type": "kyb-review"}]}`,
		"no KYB":          `{"steps": [{"type": "liveness"}]}`,
		"no steps":        `{"flags": {}}`,
	} {
		t.Run(name, func(t *testing.T) {
			c := kybTestConfig(t, doc)
			before := c.Clone()
			if c.ReorderKYB() {
				t.Error("ReorderKYB reported a change")
			}
			if !Equal(before.Root(), c.Root()) {
				t.Errorf("the flow changed:\n%s", c.Bytes())
			}
		})
	}
}

func TestReorderKYBKeepsSameTypeOrderAndNestedSlots(t *testing.T) {
	c := kybTestConfig(t, `{"steps": [
		{"type": "beneficiaries", "key": "b1"},
		{"type": "video-call", "steps": [{"type": "company", "key": "c1"}, {"type": "liveness"}]},
		{"type": "beneficiaries", "key": "b2"}
	]}`)
	if !c.ReorderKYB() {
		t.Fatal("nothing moved")
	}
	if got, want := stepKeys(c), "c1,video-call,  b1,  liveness,b2"; got != want {
		t.Fatalf("order = %s, want %s", got, want)
	}
}

func kybTestConfig(t *testing.T, doc string) *Config {
	t.Helper()
	c, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
