package sandbox

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/identoflow/identoflow/api/sandbox/sandboxtest"

	"github.com/identoflow/identoflow/flow"
)

// tableLanguages are the languages the words table must have.
var tableLanguages = []string{"ka", "ru", "uk", "es", "de", "fr", "tr", "ar"}

var placeholder = regexp.MustCompile(`\{[0-9]\}`)

// Every text of the table is given in every language, with the same
// placeholders as its English.
func TestWordsTableIsComplete(t *testing.T) {
	table, err := parseWords(wordsFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range tableLanguages {
		if !slices.Contains(table.langs, l) {
			t.Errorf("the words table has no %s column", l)
		}
	}
	for _, l := range table.langs {
		if !slices.Contains(flow.Languages(), l) {
			t.Errorf("column %q is not a language a flow can show", l)
		}
	}
	for _, en := range slices.Sorted(maps.Keys(table.rows)) {
		want := slices.Sorted(slices.Values(placeholder.FindAllString(en, -1)))
		for i, text := range table.rows[en] {
			l := table.langs[i]
			if strings.TrimSpace(text) == "" {
				t.Errorf("%q has no %s text", en, l)
				continue
			}
			if got := slices.Sorted(slices.Values(placeholder.FindAllString(text, -1))); !slices.Equal(got, want) {
				t.Errorf("%q in %s (%q) has placeholders %v, want %v", en, l, text, got, want)
			}
		}
	}
}

func TestParseWordsRefusesBadTables(t *testing.T) {
	for name, text := range map[string]string{
		"English not first": "ka\ten\nა\ta\n",
		"a missing cell":    "en\tka\nYes\n",
		"a text twice":      "en\tka\nYes\tდიახ\nYes\tკი\n",
	} {
		if _, err := parseWords(text); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	table, err := parseWords("en\tka\n# a comment\nYes\tდიახ\n")
	if err != nil || table.rows["Yes"][0] != "დიახ" || len(table.rows) != 1 {
		t.Fatalf("parseWords = %+v, %v", table, err)
	}
}

// wordsUsed are the English texts the pages ask the table for: the string
// literals given to a t or T call in the package's code, those of its
// page templates, and the texts of its lookup tables and of the flow's
// default step titles.
func wordsUsed(t *testing.T) map[string]bool {
	t.Helper()
	used := map[string]bool{}
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "t" && sel.Sel.Name != "T") {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				used[s] = true
			}
			return true
		})
	}
	for _, m := range regexp.MustCompile(`\.W\.T "([^"]*)"`).FindAllStringSubmatch(asset("pages.html"), -1) {
		used[m[1]] = true
	}
	add := func(texts ...string) {
		for _, s := range texts {
			used[s] = true
		}
	}
	add(pageFoot)
	add(slices.Collect(maps.Values(fieldLabels))...)
	add(slices.Collect(maps.Values(documentTypeLabels))...)
	add(slices.Collect(maps.Values(shareholderTitles))...)
	for _, r := range roleText {
		add(r[:]...)
	}
	for _, l := range []captureLabels{frontLabels, backLabels, selfieLabels} {
		add(l.take, l.upload, l.orUpload)
	}
	for _, r := range RejectReasons() {
		add(r.Description)
	}
	for _, s := range flow.StepSpecs() {
		add(s.Title)
	}
	return used
}

// Every text the pages use is in the table, and the table holds no text
// they no longer use.
func TestEveryWordIsInTheTable(t *testing.T) {
	table := sandboxWords()
	used := wordsUsed(t)
	for _, en := range slices.Sorted(maps.Keys(used)) {
		if _, ok := table.rows[en]; !ok {
			t.Errorf("not in assets/words.tsv: %q", en)
		}
	}
	for _, en := range slices.Sorted(maps.Keys(table.rows)) {
		if !used[en] {
			t.Errorf("in assets/words.tsv but not used: %q", en)
		}
	}
}

func TestWordsPutArgumentsInOnce(t *testing.T) {
	w := wordsFor("en")
	if got := w.T("{1}: at most {2} characters", "Name {2}", 2000); got != "Name {2}: at most 2000 characters" {
		t.Errorf("T = %q", got)
	}
	if got := wordsFor("ka").T("Step {1} of {2}", 2, 5); !strings.Contains(got, "2") || !strings.Contains(got, "5") || strings.Contains(got, "Step") {
		t.Errorf("Georgian step line %q", got)
	}
	if got := (words{}).T("Continue"); got != "Continue" {
		t.Errorf("the zero words say %q", got)
	}
	if !wordsFor("ja").InEnglish() || wordsFor("en").InEnglish() || wordsFor("ka").InEnglish() || (words{}).InEnglish() {
		t.Error("InEnglish: only a language the table lacks")
	}
}

// A page shows the sandbox's own words in the page's language where the
// table has it, the type's default title for a step without one; in a
// language the table lacks, English, said once at the top; a flow text
// shown in another language is marked where it stands, and explained once.
func TestPagesSpeakThePagesLanguage(t *testing.T) {
	f := newFixture(t, Options{})
	config := `{"flags":{"language":"%s"},"steps":[
	 {"type":"language","flags":{"languages":["ka","ar","ja","en"]}},
	 {"type":"user-questionnaire","key":"q","title":{},"questions":[{"type":"string","key":"city","title":{"en":"City"}}],"successButtonTitle":{"en":"Send"}},
	 {"type":"beneficiaries","roles":{"ubo":{"fields":[{"type":"firstName","mandatory":true},{"type":"lastName","mandatory":true},{"type":"dateOfBirth","mandatory":true}]}}}]}`
	for _, tc := range []struct {
		lang, heading, button, field string
		english                      bool
	}{
		{"ka", "კითხვარი", "გაგრძელება", "სახელი", false},
		{"ar", "استبيان", "متابعة", "الاسم الأول", false},
		{"ja", "Questionnaire", "Continue", "First name", true},
		{"en", "Questionnaire", "Continue", "First name", false},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			token := f.begin(t, strings.Replace(config, "%s", tc.lang, 1))
			w := sandboxtest.NewWalker(sandboxtest.NewBrowser(t, f.srv.URL), token)
			w.Check = pageInvariants(tc.lang)
			p := w.Fetch(pageURL(token, -1))
			notes := func(p *sandboxtest.Page) (english, legend int) {
				for _, n := range sandboxtest.Elements(p.Doc, "p") {
					switch text := sandboxtest.TextOf(n); {
					case sandboxtest.AttrOr(n, "class") != "langnote":
					case strings.Contains(text, "in English"):
						english++
					default:
						legend++
					}
				}
				return english, legend
			}
			if got := sandboxtest.TextOf(sandboxtest.Elements(sandboxtest.MainForm(p).Node, "button")[0]); got != tc.button {
				t.Errorf("the language step's button reads %q, want %q", got, tc.button)
			}
			if n, _ := notes(p); n != map[bool]int{true: 1}[tc.english] {
				t.Errorf("%d notes that the sandbox's words are English", n)
			}
			p = w.Send(sandboxtest.MainForm(p), "")
			if h := sandboxtest.Heading(p); h != tc.heading {
				t.Errorf("an untitled questionnaire's heading %q, want %q", h, tc.heading)
			}
			english, legend := notes(p)
			if english != map[bool]int{true: 1}[tc.english] {
				t.Errorf("%d notes that the sandbox's words are English", english)
			}
			// The flow's own texts missing in the page's language are
			// marked where they stand (not the sandbox's words), and
			// explained once.
			marks := 0
			for _, n := range sandboxtest.Elements(p.Doc, "span") {
				if sandboxtest.AttrOr(n, "class") == "fallback" {
					marks++
				}
			}
			if (tc.lang == "en") != (marks == 0) || (tc.lang == "en") != (legend == 0) || legend > 1 {
				t.Errorf("%d texts marked, %d legends", marks, legend)
			}
			fm := sandboxtest.MainForm(p)
			fm.Set("q0", "Tbilisi")
			p = w.Send(fm, "")
			label := sandboxtest.TextOf(sandboxtest.Elements(p.Doc, "label")[1])
			if !strings.HasPrefix(label, tc.field) || strings.Contains(label, "(en)") {
				t.Errorf("the first field reads %q, want %q", label, tc.field)
			}
		})
	}
}

// A file's size is said in the page's language too.
func TestReceivedFilesInThePagesLanguage(t *testing.T) {
	files := []fileInfo{{ContentType: "image/png", Size: 3 << 20}, {ContentType: "application/pdf", Size: 2 << 10}}
	for lang, want := range map[string]string{
		"en": "Files received: 2 (3.0 MB). Choose again to replace them.",
		"fr": "Fichiers reçus\u00a0: 2 (3.0 Mo). Choisissez à nouveau pour les remplacer.",
		"ru": "Получено файлов: 2 (3.0 МБ). Выберите снова, чтобы заменить их.",
	} {
		c := &pageCtx{lang: lang, words: wordsFor(lang)}
		if got := c.describeFiles(files); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	if got := humanSize(wordsFor("ar"), 69); got != "69 بايت" {
		t.Errorf("69 bytes in Arabic: %q", got)
	}
}

// The pages after the outcome speak the session's language (right to left
// in Arabic); a page for a session the sandbox does not know has no
// language to speak but English.
func TestEndPagesSpeakTheSessionsLanguage(t *testing.T) {
	f := newFixture(t, Options{})
	for _, tc := range []struct {
		lang, done, outcome, finished string
	}{
		{"ka", "მზადაა — შეგიძლიათ დახუროთ ეს გვერდი", "უარყოფილია: სიცოცხლის შემოწმება ვერ გაიარა", "ეს სესია დასრულებულია"},
		{"ar", "تم — يمكنك إغلاق هذه الصفحة", "مرفوض: فشل التحقق من الحيوية", "هذه الجلسة منتهية"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			token := f.begin(t, strings.Replace(minimalConfig, `"en"`, `"`+tc.lang+`"`, 1))
			b := sandboxtest.NewBrowser(t, f.srv.URL)
			w := sandboxtest.NewWalker(b, token)
			w.Check = pageInvariants(tc.lang)
			done := w.Finish(w.Run(), "rejected", "LIVENESS_FAILED")
			pageInvariants(tc.lang)(t, done)
			if h := sandboxtest.Heading(done); h != tc.done {
				t.Errorf("done page heading %q, want %q", h, tc.done)
			}
			if o := sandboxtest.TextOf(sandboxtest.ByClass(done.Doc, "outcome")); o != tc.outcome {
				t.Errorf("done page outcome %q, want %q", o, tc.outcome)
			}
			again := b.Get(pageURL(token, -1))
			pageInvariants(tc.lang)(t, again)
			if h := sandboxtest.Heading(again); h != tc.finished {
				t.Errorf("finished page heading %q, want %q", h, tc.finished)
			}
		})
	}
	unknown := sandboxtest.NewBrowser(t, f.srv.URL).Get(pageURL("no-such-session", -1))
	if unknown.Status != http.StatusNotFound || sandboxtest.HTMLAttr(unknown, "lang") != "en" || sandboxtest.Heading(unknown) != "This session does not exist" {
		t.Errorf("unknown session page: %d lang=%q %q", unknown.Status, sandboxtest.HTMLAttr(unknown, "lang"), sandboxtest.Heading(unknown))
	}
}
