package flow

import (
	"strings"
	"testing"
)

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// Latin, with and without diacritics.
		{"Self-employed", "self-employed"},
		{"  Yes, please! ", "yes-please"},
		{"Über 18", "uber-18"},
		{"Économies à l'étranger", "economies-a-letranger"},
		{"Straße", "strasse"},
		{"Şəxsiyyət vəsiqəsi", "sexsiyyet-vesiqesi"},
		{"İş yeri", "is-yeri"},
		{"Zażółć gęślą jaźń", "zazolc-gesla-jazn"},
		// Georgian: the national system, aspiration marks dropped.
		{"დანაზოგი", "danazogi"},
		{"ქართული ენა", "kartuli-ena"},
		{"ღვინო", "ghvino"},
		{"წყალი", "tsqali"},
		{"ჭადრაკი", "chadraki"},
		{"ხელფასი", "khelpasi"},
		{"ᲓᲐᲜᲐᲖᲝᲒᲘ", "danazogi"}, // Mtavruli capitals
		// Cyrillic (Russian, Ukrainian, Kazakh).
		{"Сбережения", "sberezheniia"},
		{"Подъезд", "podezd"},
		{"Їжак і ґанок", "yizhak-i-ganok"},
		{"Жұмыс", "zhumys"},
		// Armenian: ու is u; word-initial ո and ե are vo and ye.
		{"Խնայողություն", "khnayoghutyun"},
		{"Երևան", "yerevan"},
		{"Ոչ", "voch"},
		{"Այո, ոչ", "ayo-voch"},
		{"և", "yev"},
		// Greek.
		{"Αποταμιεύσεις", "apotamieuseis"},
		{"Ναι", "nai"},
		// Nothing to make a key of.
		{"???", ""},
		{"", ""},
		{"👍", ""},
		// Digits of other scripts.
		{"٣ سنوات", "3-snwt"},
	} {
		if got := Slug(tc.in); got != tc.want {
			t.Errorf("Slug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSlugIsASCIIAndBounded(t *testing.T) {
	long := strings.Repeat("საცხოვრებელი მისამართი ", 10)
	got := Slug(long)
	if len(got) > maxSlugLen || strings.HasSuffix(got, "-") || got == "" {
		t.Fatalf("Slug of a long title = %q (%d bytes)", got, len(got))
	}
	for _, in := range []string{long, "日本語のテキスト", "हिन्दी", "বাংলা", "العربية", "\x00\x1b[31m"} {
		for _, c := range []byte(Slug(in)) {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				t.Fatalf("Slug(%q) = %q: not a lower-case ASCII key", in, Slug(in))
			}
		}
	}
}

func TestSuggestKey(t *testing.T) {
	taken := map[string]bool{"danazogi": true, "option-1": true}
	for _, tc := range []struct{ title, fallback, want string }{
		{"დანაზოგი", "option", "danazogi-2"},
		{"Сбережения", "option", "sberezheniia"},
		{"", "option", "option-2"},
		{"!!!", "question", "question-1"},
	} {
		if got := SuggestKey(tc.title, tc.fallback, taken); got != tc.want {
			t.Errorf("SuggestKey(%q, %q) = %q, want %q", tc.title, tc.fallback, got, tc.want)
		}
	}
}
