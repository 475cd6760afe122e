package flow

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// generateFlow builds a config of n steps in the proportions of a large
// real flow: one in ten a questionnaire of 50 questions, KYB steps with all
// roles, video calls with nested steps, and KYC steps. n = 1000 is ≈1 MB.
func generateFlow(n int) []byte { return generateFlowIn(n, "en") }

// generateFlowIn is generateFlow with flags.language set to lang; its texts
// are all in English, so any other language gives every text a
// missing-translation warning.
func generateFlowIn(n int, lang string) []byte {
	var b strings.Builder
	b.WriteString(`{"flags":{"language":"` + lang + `","skip_face":true,"skip_document":true,"return_url":"https://example.com/done"},"steps":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		switch i % 10 {
		case 0:
			fmt.Fprintf(&b, `{"type":"user-questionnaire","key":"q%d","title":{"en":"Questionnaire %d"},"description":{"en":"About you"},"questions":[`, i, i)
			for j := range 50 {
				if j > 0 {
					b.WriteByte(',')
				}
				switch j % 5 {
				case 0:
					fmt.Fprintf(&b, `{"type":"options","key":"k%d","title":{"en":"Question %d of this questionnaire, asked of everyone"},"mandatory":true,"options":[{"key":"a%d","title":{"en":"Yes"}},{"key":"b%d","title":{"en":"No"}}]}`, j, j, j, j)
				case 1:
					fmt.Fprintf(&b, `{"type":"string","key":"k%d","title":{"en":"Question %d of this questionnaire, asked of everyone"},"showConditions":{"questionKey":"k%d","answer":"a%d"}}`, j, j, j-1, j-1)
				case 2:
					fmt.Fprintf(&b, `{"type":"multiple-choice","key":"k%d","title":{"en":"Question %d of this questionnaire, asked of everyone"},"options":[{"key":"c%d","title":{"en":"One"}}],"answer":["c%d"]}`, j, j, j, j)
				case 3:
					fmt.Fprintf(&b, `{"type":"dropdown","key":"k%d","title":{"en":"Question %d of this questionnaire, asked of everyone"},"multiple":true,"options":[{"key":"d%d","title":{"en":"One"}}]}`, j, j, j)
				default:
					fmt.Fprintf(&b, `{"type":"file","key":"k%d","title":{"en":"Question %d of this questionnaire, asked of everyone"},"fileTypes":["pdf"],"filesMaxCount":3}`, j, j)
				}
			}
			b.WriteString(`]}`)
		case 1:
			fmt.Fprintf(&b, `{"type":"company","key":"c%d","title":{"en":"Company"},"fields":[{"type":"companyName","mandatory":true},{"type":"registrationNumber","mandatory":true},{"type":"registrationCountry","mandatory":true},{"type":"taxId","mandatory":false}]}`, i)
		case 2:
			fmt.Fprintf(&b, `{"type":"beneficiaries","key":"b%d","title":{"en":"Owners"},"kycConfigId":"x","kybConfigId":"y","roles":{"shareholder":{"fields":[{"type":"companyName","mandatory":true},{"type":"registrationNumber","mandatory":true},{"type":"registrationCountry","mandatory":true},{"type":"firstName","mandatory":true},{"type":"lastName","mandatory":true},{"type":"dateOfBirth","mandatory":true}],"verification":true},"ubo":{"fields":[{"type":"firstName","mandatory":true},{"type":"lastName","mandatory":true},{"type":"dateOfBirth","mandatory":true}],"verification":true},"other":{"fields":[{"type":"positionName","mandatory":true},{"type":"firstName","mandatory":true},{"type":"lastName","mandatory":true},{"type":"dateOfBirth","mandatory":true}],"verification":false}}}`, i)
		case 3:
			fmt.Fprintf(&b, `{"type":"kyb-review","key":"r%d","title":{"en":"Review"}}`, i)
		case 4:
			fmt.Fprintf(&b, `{"type":"video-call","key":"v%d","flags":{"nameRequired":true},"steps":[{"type":"identity-document","key":"vi%d","flags":{"document_countries":["USA","DEU"]}},{"type":"liveness","key":"vl%d"}]}`, i, i, i)
		case 5:
			fmt.Fprintf(&b, `{"type":"identity-document","key":"i%d","flags":{"document_types":["id","passport"],"document_countries":["ITA","FRA","ESP"]}}`, i)
		case 6:
			fmt.Fprintf(&b, `{"type":"liveness","key":"l%d","flags":{"liveness":true}}`, i)
		case 7:
			fmt.Fprintf(&b, `{"type":"phone-number","key":"p%d","flags":{"require_phone_number_check":true}}`, i)
		case 8:
			fmt.Fprintf(&b, `{"type":"general-document","key":"g%d","title":{"en":"Proof"},"flags":{"general_document_types":["utility_bill"]}}`, i)
		default:
			fmt.Fprintf(&b, `{"type":"email","key":"e%d","flags":{"require_email":true}}`, i)
		}
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

var benchSizes = []int{10, 100, 1000} // ≈10 KB, 100 KB, 1 MB

func TestGeneratedFlowIsRealistic(t *testing.T) {
	data := generateFlow(1000)
	if len(data) < 900_000 || len(data) > 1_300_000 {
		t.Fatalf("generated flow is %d bytes, want about 1 MB", len(data))
	}
	_, diags, err := Check(data)
	if err != nil {
		t.Fatal(err)
	}
	if diags.HasErrors() {
		t.Fatalf("generated flow has errors: %v", diags[:min(5, len(diags))])
	}
}

// BenchmarkValidate measures load + validate from bytes.
func BenchmarkValidate(b *testing.B) {
	for _, n := range benchSizes {
		data := generateFlow(n)
		b.Run(fmt.Sprintf("steps=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := Check(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecodeOnly is the baseline: encoding/json into any.
func BenchmarkDecodeOnly(b *testing.B) {
	for _, n := range benchSizes {
		data := generateFlow(n)
		b.Run(fmt.Sprintf("steps=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var v any
				if err := json.Unmarshal(data, &v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSave measures writing a loaded 1 MB flow back out.
func BenchmarkSave(b *testing.B) {
	c, err := Parse(generateFlow(1000))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = c.Bytes()
	}
}
