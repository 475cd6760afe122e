package flow_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/flow/diff"
)

func mustParse(tb testing.TB, data []byte) *flow.Config {
	tb.Helper()
	c, err := flow.Parse(data)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// scatteredChanges makes ten changes of different kinds spread over a
// generated flow of 1,000 steps, and returns the changed flow's text.
func scatteredChanges(tb testing.TB, data []byte) []byte {
	c := mustParse(tb, data)
	steps := c.Steps()
	steps[55].SetFlag("document_types", flow.NewStrings([]string{"passport"}))
	steps[150].Questions()[7].Set("mandatory", flow.NewBool(true))
	steps[331].V.Get("fields").Item(3).Set("mandatory", flow.NewBool(true), nil)
	steps[412].V.Get("roles").Get("ubo").Set("verification", flow.NewBool(false), nil)
	steps[507].Set("key", flow.NewString("phone-507"))
	steps[604].Steps()[1].SetFlag("allow_face_upload", flow.NewBool(false))
	steps[700].Questions()[0].OptionsValue().RemoveAt(1)
	steps[888].Set("title", flow.NewString("Proof of address"))
	c.StepsValue().RemoveAt(999)
	c.StepsValue().Move(246, 800)
	return c.Bytes()
}

func changeLines(r diff.Result) []string {
	var out []string
	for _, c := range r.Changes {
		out = append(out, c.String())
	}
	return out
}

// TestDiffOfLargeFlows: in a flow of 1,000 steps, a move, a rename and a
// reformat come out as one change each (the reformat as none), and ten
// scattered changes as ten.
func TestDiffOfLargeFlows(t *testing.T) {
	data := flow.GenerateFlow(1000)
	base := mustParse(t, data)
	one := func(name string, edit func(c *flow.Config), want string) {
		t.Helper()
		c := mustParse(t, data)
		edit(c)
		got := changeLines(diff.Compare(base, mustParse(t, c.Bytes())))
		if want == "" && len(got) != 0 || want != "" && !slices.Equal(got, []string{want}) {
			t.Errorf("%s: %d changes:\n%s\nwant: %s", name, len(got), strings.Join(got, "\n"), want)
		}
	}
	one("move", func(c *flow.Config) { c.StepsValue().Move(10, 900) }, `moved step "q10" from 11 to 901`)
	one("rename", func(c *flow.Config) { c.Steps()[42].Set("key", flow.NewString("review")) }, `renamed step "b42" to "review"`)
	one("reformat", func(c *flow.Config) { *c = *mustParse(t, flow.MarshalCompact(c.Root())) }, "")

	got := changeLines(diff.Compare(base, mustParse(t, scatteredChanges(t, data))))
	want := []string{
		`removed step "e999" (email) at 1000`,
		`step "i55" › flag document_types: removed "id"`,
		`step "q150" › question "k7" › mandatory added: true`,
		`step "c331" › field "taxId" › mandatory: false → true`,
		`step "b412" › role "ubo" › verification: true → false`,
		`renamed step "p507" to "phone-507"`,
		`step "v604" › step "vl604" › flag allow_face_upload added: false`,
		`step "q700" › question "k0" › removed option "b0" at 2`,
		`moved step "l246" from 247 to 801`,
		`step "g888" › title: {"en":"Proof"} → "Proof of address"`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("ten scattered changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// BenchmarkDiff compares two 1 MB flows (1,000 steps) ten changes apart,
// as `identoflow diff` does (load both, validate both, compare, place the
// diagnostics), against loading both (the goal: under 3×) and loading and
// validating both.
func BenchmarkDiff(b *testing.B) {
	oldData := flow.GenerateFlow(1000)
	newData := scatteredChanges(b, oldData)
	b.Run("load-both", func(b *testing.B) {
		b.SetBytes(int64(len(oldData) + len(newData)))
		b.ReportAllocs()
		for b.Loop() {
			mustParse(b, oldData)
			mustParse(b, newData)
		}
	})
	b.Run("check-both", func(b *testing.B) {
		b.SetBytes(int64(len(oldData) + len(newData)))
		b.ReportAllocs()
		for b.Loop() {
			_, _, _ = flow.Check(oldData)
			_, _, _ = flow.Check(newData)
		}
	})
	// The comparison alone, for a caller that holds both flows and their
	// diagnostics (an editor): matching, changes, attribution.
	o, n := mustParse(b, oldData), mustParse(b, newData)
	od, nd := flow.Validate(o), flow.Validate(n)
	b.Run("compare-only", func(b *testing.B) {
		b.SetBytes(int64(len(oldData) + len(newData)))
		b.ReportAllocs()
		for b.Loop() {
			if r := diff.CompareDiagnosed(o, n, od, nd); len(r.Changes) != 10 {
				b.Fatalf("%d changes", len(r.Changes))
			}
		}
	})
	b.Run("diff", func(b *testing.B) {
		b.SetBytes(int64(len(oldData) + len(newData)))
		b.ReportAllocs()
		for b.Loop() {
			o, n := mustParse(b, oldData), mustParse(b, newData)
			r := diff.Compare(o, n)
			r.Locate(flow.NewSource(oldData), o, flow.NewSource(newData), n)
			if len(r.Changes) != 10 {
				b.Fatalf("%d changes", len(r.Changes))
			}
		}
	})
}

// BenchmarkFmt formats a 1 MB flow (load, write back), for comparison with
// decoding it: BenchmarkParse/steps=1000 (the tool's loader) and
// BenchmarkDecodeOnly/steps=1000 (encoding/json). The goal: under 2×.
func BenchmarkFmt(b *testing.B) {
	data := flow.GenerateFlow(1000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		_ = mustParse(b, data).Bytes()
	}
}
