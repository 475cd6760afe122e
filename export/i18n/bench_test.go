package i18n

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/flow"
)

// scaleFlow returns a trilingual flow (ka, en, ru) of questionnaires with
// 22 texts each, about n texts in all, Russian missing in most of them.
func scaleFlow(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"flags":{"language":"ka","return_url":"https://example.com/done"},"steps":[{"type":"language","flags":{"languages":["ka","en","ru"]}}`)
	for i := range (n + 21) / 22 {
		fmt.Fprintf(&b, `,{"type":"user-questionnaire","key":"q%d","title":{"ka":"კითხვარი %d","en":"Questionnaire %d"},"questions":[`, i, i, i)
		for j := range 5 {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"type":"options","key":"k%d","title":{"ka":"კითხვა %d","en":"Question %d","ru":"Вопрос %d"},"options":[`, j, j, j, j)
			for k := range 3 {
				if k > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, `{"key":"o%d-%d","title":{"ka":"პასუხი %d","en":"Answer %d of question %d"}}`, j, k, k, k, j)
			}
			b.WriteString(`]}`)
		}
		b.WriteString(`],"successButtonTitle":{"ka":"გაგრძელება","en":"Continue"}}`)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

func TestScaleFlowSize(t *testing.T) {
	c := mustParse(t, scaleFlow(5000))
	if n := len(c.Texts()); n < 5000 || n > 5100 {
		t.Fatalf("scaleFlow(5000) has %d texts", n)
	}
	if diags := flow.Validate(c); diags.HasErrors() {
		t.Fatalf("scaleFlow has errors: %v", diags[:1])
	}
}

// BenchmarkScaleExport exports the 5,000 texts of a flow, from its bytes.
func BenchmarkScaleExport(b *testing.B) {
	data := scaleFlow(5000)
	for _, format := range Formats() {
		b.Run(string(format), func(b *testing.B) {
			b.ReportAllocs()
			var out bytes.Buffer
			for b.Loop() {
				out.Reset()
				c, err := flow.Parse(data)
				if err != nil {
					b.Fatal(err)
				}
				f, _, err := Extract(c, ExportOptions{Target: "ru"})
				if err != nil {
					b.Fatal(err)
				}
				if err := Write(&out, f, format); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScaleImport imports a file translating the 5,000 texts' missing
// Russian: read the file, apply, save and validate the flow.
func BenchmarkScaleImport(b *testing.B) {
	data := scaleFlow(5000)
	c, err := flow.Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	for _, format := range Formats() {
		f, _, err := Extract(c, ExportOptions{Target: "ru", MissingOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		for i := range f.Units {
			f.Units[i].Target = "перевод " + f.Units[i].Source
		}
		var file bytes.Buffer
		if err := Write(&file, f, format); err != nil {
			b.Fatal(err)
		}
		b.Run(string(format), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				got, err := Import(data, file.Bytes(), format)
				if err != nil || got.Report.Count(Applied) != len(f.Units) {
					b.Fatalf("import: %v, %d applied", err, got.Report.Count(Applied))
				}
			}
		})
	}
}
