package ui

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/identoflow/identoflow/flow"
)

// Whatever the mix of edits inside a step, edits across steps, undo, redo
// and edits that change only a number's spelling, Diags after Revalidate
// are what validating the whole flow finds.
func TestDiagsFollowEveryChange(t *testing.T) {
	c, err := flow.Parse([]byte(`{"flags":{"language":"en"},"steps":[
		{"type":"liveness","key":"face"},
		{"type":"identity-document","key":"id","flags":{"document_types":["passport"]}},
		{"type":"user-questionnaire","key":"q","questions":[{"type":"text","key":"a","title":{"en":"A"}}]},
		{"type":"company"},{"type":"beneficiaries"},{"type":"liveness","key":"face2"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	d := NewDoc(c, "", true)
	r := rand.New(rand.NewPCG(3, 4))
	step := func(c *flow.Config) *flow.Value { return c.StepsValue().Item(r.IntN(c.StepsValue().Len())) }
	edits := []func(c *flow.Config) error{
		func(c *flow.Config) error { // a step's flag
			s := step(c)
			if s.Get("flags") == nil {
				s.Set("flags", flow.NewObject(), nil)
			}
			s.Get("flags").Set("allow_upload", flow.NewBool(r.IntN(2) == 0), nil)
			return nil
		},
		func(c *flow.Config) error { // a step's title, in a language the flow may lack
			step(c).Set("title", flow.ObjectOf(flow.Member{Name: []string{"en", "ka", "xx"}[r.IntN(3)], Value: flow.NewString("T")}), nil)
			return nil
		},
		func(c *flow.Config) error { // a step's key: unique or not
			step(c).Set("key", flow.NewString([]string{"face", "id", "new"}[r.IntN(3)]), nil)
			return nil
		},
		func(c *flow.Config) error { // a global flag
			c.SetFlag("skip_face", flow.NewBool(r.IntN(2) == 0))
			return nil
		},
		func(c *flow.Config) error { // the same number, spelled otherwise
			step(c).Set("retries", flow.NewNumber([]string{"1", "1.0", "10e-1"}[r.IntN(3)]), nil)
			return nil
		},
	}
	for i := range 400 {
		switch n := r.IntN(10); {
		case n == 0:
			d.Undo()
		case n == 1:
			d.Redo()
		default:
			if err := d.Edit("edit", edits[r.IntN(len(edits))]); err != nil {
				t.Fatal(err)
			}
		}
		if r.IntN(4) > 0 { // sometimes two changes come before a validation
			d.Revalidate()
			if want := flow.Validate(d.Config); !reflect.DeepEqual(d.Diags, want) {
				t.Fatalf("after change %d:\nDiags %v\nwant  %v", i, d.Diags, want)
			}
		}
	}
}

// An edit that changes nothing that counts (a name given again before its
// last, same-valued use) makes no history entry, but what is said about
// the flow follows it: the repeat and the credential it hides are found.
func TestEquivalentEditIsValidatedAgain(t *testing.T) {
	c, err := flow.Parse([]byte(`{"flags":{"skip_face":true},"steps":[{"type":"liveness"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	d := NewDoc(c, "", true)
	before := d.DiagsState()
	err = d.Edit("hide a repeat", func(c *flow.Config) error {
		c.Set("flags", flow.ObjectOf(
			flow.Member{Name: "skip_face", Value: flow.ObjectOf(flow.Member{Name: "secret_key", Value: flow.NewString("s3cr3t")})},
			flow.Member{Name: "skip_face", Value: flow.NewBool(true)}))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if d.CanUndo() {
		t.Fatal("the edit counts as a change")
	}
	d.Revalidate()
	if want := flow.Validate(d.Config); !reflect.DeepEqual(d.Diags, want) {
		t.Fatalf("Diags %v\nwant  %v", d.Diags, want)
	}
	if d.DiagsState() == before {
		t.Error("the diagnostics changed but DiagsState did not")
	}
	found := map[string]bool{}
	for _, diag := range d.Diags {
		found[diag.Code] = true
	}
	if !found[flow.CodeDuplicateMember] || !found[flow.CodeCredential] {
		t.Errorf("missing the repeat or the credential: %v", d.Diags)
	}
}
