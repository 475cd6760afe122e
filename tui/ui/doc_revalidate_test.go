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
