package tui

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/x/ansi"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/editor"
	"github.com/identoflow/identoflow/tui/internal/cmdrun"
)

// The BenchmarkScale… benchmarks measure how the wizard copes with large
// flows: a keystroke in every editor at 2,000 steps and in a 500-question
// questionnaire, opening a 5,000-question questionnaire, a flag toggle on
// a 1 MB flow and the memory the undo history keeps. Goals: a keystroke
// within 1 ms at the 95th percentile (p95-ns), a questionnaire open within
// 50 ms, a toggle on 1 MB within one frame (16 ms). Besides wall time they
// report cpu-ns/op, the process CPU time per operation, which a busy
// machine disturbs less.

// scaleStepKinds are the steps of a generated flow, in turn: one in ten a
// questionnaire (""), then a video call with nested steps and KYC steps.
// %[1]d is the step's index. The KYB steps come once, at the start: in a
// session they run in one block.
var scaleStepKinds = []string{
	"",
	`{"type":"face-document","key":"selfie-%[1]d"}`,
	`{"type":"geolocation","key":"where-%[1]d"}`,
	`{"type":"email","key":"contact-%[1]d","flags":{"require_email_check":true}}`,
	`{"type":"video-call","key":"call-%[1]d","flags":{"nameRequired":true},"steps":[{"type":"identity-document","key":"call-doc-%[1]d"},{"type":"liveness","key":"call-face-%[1]d"}]}`,
	`{"type":"identity-document","key":"doc-%[1]d","flags":{"document_types":["id","passport"],"document_countries":["ITA","FRA"]}}`,
	`{"type":"liveness","key":"face-%[1]d","flags":{"liveness":true}}`,
	`{"type":"phone-number","key":"phone-%[1]d","flags":{"require_phone_number_check":true}}`,
	`{"type":"general-document","key":"proof-%[1]d","title":{"en":"Proof of address"},"flags":{"general_document_types":["utility_bill"]}}`,
	`{"type":"email","key":"mail-%[1]d","flags":{"require_email":true}}`,
}

// scaleKYBSteps take the place of steps 1 to 3.
var scaleKYBSteps = []string{
	`{"type":"company","key":"company-%[1]d","title":{"en":"Your company"},"fields":[{"type":"companyName","mandatory":true},{"type":"registrationNumber","mandatory":true},{"type":"registrationCountry","mandatory":true}]}`,
	`{"type":"beneficiaries","key":"owners-%[1]d","title":{"en":"Owners"},"kycConfigId":"kyc","kybConfigId":"kyb","roles":{"ubo":{"fields":[{"type":"firstName","mandatory":true},{"type":"lastName","mandatory":true},{"type":"dateOfBirth","mandatory":true}],"verification":true}}}`,
	`{"type":"kyb-review","key":"review-%[1]d","title":{"en":"Review"}}`,
}

// scaleQuestionKinds are the questions of a generated questionnaire, in
// turn; %[1]d is the question's index, %[2]d the step's.
var scaleQuestionKinds = []string{
	`{"type":"options","key":"s%[2]d-q%[1]d","title":{"en":"Question %[1]d, asked of everyone who takes part"},"mandatory":true,"options":[{"key":"s%[2]d-yes%[1]d","title":{"en":"Yes"}},{"key":"s%[2]d-no%[1]d","title":{"en":"No"}}]}`,
	`{"type":"string","key":"s%[2]d-q%[1]d","title":{"en":"Question %[1]d, asked of everyone who takes part"},"showConditions":{"questionKey":"s%[2]d-q%[3]d","answer":"s%[2]d-yes%[3]d"}}`,
	`{"type":"multiple-choice","key":"s%[2]d-q%[1]d","title":{"en":"Question %[1]d, asked of everyone who takes part"},"options":[{"key":"s%[2]d-one%[1]d","title":{"en":"One"}},{"key":"s%[2]d-two%[1]d","title":{"en":"Two"}}],"answer":["s%[2]d-one%[1]d"]}`,
	`{"type":"dropdown","key":"s%[2]d-q%[1]d","title":{"en":"Question %[1]d, asked of everyone who takes part"},"multiple":true,"options":[{"key":"s%[2]d-pick%[1]d","title":{"en":"Pick me"}}]}`,
	`{"type":"file","key":"s%[2]d-q%[1]d","title":{"en":"Question %[1]d, asked of everyone who takes part"},"fileTypes":["pdf"],"filesMaxCount":3}`,
}

// generatedFlow is a flow of n steps, its questionnaires of questions each,
// with flags.language set to lang (its texts are English).
func generatedFlow(tb testing.TB, n, questions int, lang string) *flow.Config {
	tb.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, `{"flags":{"language":%q,"skip_face":true,"skip_document":true,"return_url":"https://example.com/done"},"steps":[`, lang)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		kind := scaleStepKinds[i%len(scaleStepKinds)]
		if i >= 1 && i <= len(scaleKYBSteps) {
			kind = scaleKYBSteps[i-1]
		}
		if kind != "" {
			fmt.Fprintf(&b, kind, i)
			continue
		}
		fmt.Fprintf(&b, `{"type":"user-questionnaire","key":"survey-%d","title":{"en":"About you"},"questions":[`, i)
		for j := range questions {
			if j > 0 {
				b.WriteByte(',')
			}
			// A conditional question names the one before it.
			fmt.Fprintf(&b, scaleQuestionKinds[j%len(scaleQuestionKinds)], j, i, j-1)
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}`)
	c, err := flow.Parse([]byte(b.String()))
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// TestGeneratedFlowIsClean keeps the generated flows what the benchmarks say
// they are: valid, and about 1 MB of compact JSON at 1,000 steps of
// 50-question questionnaires.
func TestGeneratedFlowIsClean(t *testing.T) {
	c := generatedFlow(t, 1000, 50, "en")
	if n := len(flow.MarshalCompact(c.Root())); n < 800_000 || n > 1_400_000 {
		t.Errorf("the 1 MB flow is %d bytes", n)
	}
	for _, d := range flow.Validate(c) {
		if d.Severity != flow.SevInfo {
			t.Errorf("the generated flow has %s %s at %s: %s", d.Severity, d.Code, d.Path, d.Message)
		}
	}
}

// bounce is a key sequence that walks the cursor down n rows and back up.
func bounce(n int) func(i int) tea.KeyPressMsg {
	down, up := press("down"), press("up")
	return func(i int) tea.KeyPressMsg {
		if i%(2*n) < n {
			return down
		}
		return up
	}
}

// repeat is a key sequence of one key.
func repeat(name string) func(int) tea.KeyPressMsg {
	k := press(name)
	return func(int) tea.KeyPressMsg { return k }
}

// openStepAt opens the editor of the last top-level step of type typ,
// selecting it in the Steps pane from the end of the list.
func openStepAt(tb testing.TB, app *App, typ string) {
	tb.Helper()
	ed := app.top().(*editor.Editor)
	app.Update(press("end"))
	for range 10_000 {
		if p := ed.SelectedStep(); len(p) == 1 {
			if s, _ := app.doc.Config.StepAt(p); s.Type() == typ {
				deliver(tb, app, press("enter"))
				requireTitle(tb, app, typ+" step")
				return
			}
		}
		app.Update(press("up"))
	}
	tb.Fatalf("no %s step in the list", typ)
}

// openQuestion opens, in the questionnaire editor, the editor of an
// options question half way down a questionnaire of qs questions.
func openQuestion(tb testing.TB, app *App, qs int) {
	tb.Helper()
	openStepAt(tb, app, "user-questionnaire")
	q := qs / 2 / len(scaleQuestionKinds) * len(scaleQuestionKinds)
	app.Update(press("home"))
	for range 4 + q { // key, title, description, button; then the questions
		app.Update(press("down"))
	}
	deliver(tb, app, press("enter"))
	requireTitle(tb, app, fmt.Sprintf(`question "s0-q%d"`, q))
}

// downTo moves the cursor down to the line labelled label.
func downTo(tb testing.TB, app *App, label string) {
	tb.Helper()
	for range 50 {
		if strings.Contains(ansi.Strip(app.View().Content), "▸ "+label) {
			return
		}
		app.Update(press("down"))
	}
	tb.Fatalf("no line %q on the screen:\n%s", label, ansi.Strip(app.View().Content))
}

// deliver sends msg and then the messages its command gives, as the
// program would, except timers.
func deliver(tb testing.TB, app *App, msg tea.Msg) {
	tb.Helper()
	run := &cmdrun.Runner{TB: tb}
	run.Deliver = func(m tea.Msg) {
		_, cmd := app.Update(m)
		run.Exec(cmd)
	}
	run.Deliver(msg)
}

// requireTitle fails unless the top screen's title starts with prefix.
func requireTitle(tb testing.TB, app *App, prefix string) {
	tb.Helper()
	if title := app.top().Title(); !strings.HasPrefix(title, prefix) {
		tb.Fatalf("top is %T %q, want %q", app.top(), title, prefix)
	}
}

// scaleKeystrokeCases are the editors, each opened on a large flow (steps
// steps, qs questions per questionnaire, flags.language lang), with the
// keys typed in it.
var scaleKeystrokeCases = []struct {
	name      string
	steps, qs int
	lang      string
	setup     func(tb testing.TB, app *App, qs int)
	keys      func(i int) tea.KeyPressMsg
	edits     bool // the keys edit the flow, which is then validated
	scans     bool // the keys search the whole flow (the step filter)
}{
	{name: "editor=steps/key=down/steps=2000", steps: 2000, qs: 10, lang: "en",
		setup: func(testing.TB, *App, int) {}, keys: bounce(500)},
	{name: "editor=steps/key=filter/steps=2000", steps: 2000, qs: 10, lang: "en", scans: true,
		setup: func(tb testing.TB, app *App, _ int) { deliver(tb, app, press("/")) },
		keys: func(i int) tea.KeyPressMsg {
			if i%2 == 0 {
				return press("l")
			}
			return press("backspace")
		}},
	{name: "editor=flags/key=space/steps=2000", steps: 2000, qs: 10, lang: "en", edits: true,
		setup: func(_ testing.TB, app *App, _ int) { app.Update(press("tab")) }, keys: repeat("space")},
	{name: "editor=session/key=down/steps=2000", steps: 2000, qs: 10, lang: "en",
		setup: func(_ testing.TB, app *App, _ int) { app.Update(press("tab")); app.Update(press("tab")) }, keys: bounce(6)},
	{name: "editor=problems/key=down/steps=2000", steps: 2000, qs: 10, lang: "ka",
		setup: func(_ testing.TB, app *App, _ int) {
			for range 3 {
				app.Update(press("tab"))
			}
		}, keys: bounce(500)},
	{name: "editor=translations/key=down/steps=2000", steps: 2000, qs: 10, lang: "ka",
		setup: func(tb testing.TB, app *App, _ int) {
			for range 6 {
				app.Update(press("tab"))
			}
			requireTitle(tb, app, "Translations")
		}, keys: bounce(500)},
	{name: "editor=json/key=down/steps=2000", steps: 2000, qs: 10, lang: "en",
		setup: func(_ testing.TB, app *App, _ int) {
			for range 4 {
				app.Update(press("tab"))
			}
		}, keys: bounce(500)},
	{name: "editor=kyc/key=space/steps=2000", steps: 2000, qs: 10, lang: "en", edits: true,
		setup: func(tb testing.TB, app *App, _ int) {
			openStepAt(tb, app, "liveness")
			downTo(tb, app, "liveness")
		}, keys: repeat("space")},
	{name: "editor=kyb/key=down/steps=2000", steps: 2000, qs: 10, lang: "en",
		setup: func(tb testing.TB, app *App, _ int) { openStepAt(tb, app, "company") }, keys: bounce(8)},
	{name: "editor=videocall/key=down/steps=2000", steps: 2000, qs: 10, lang: "en",
		setup: func(tb testing.TB, app *App, _ int) { openStepAt(tb, app, "video-call") }, keys: bounce(2)},
	{name: "editor=picker/key=down/steps=2000", steps: 2000, qs: 10, lang: "en",
		setup: func(tb testing.TB, app *App, _ int) {
			openStepAt(tb, app, "identity-document")
			downTo(tb, app, "document_countries")
			deliver(tb, app, press("enter"))
			requireTitle(tb, app, "choose document_countries")
		}, keys: bounce(100)},
	{name: "editor=text/key=down/steps=2000", steps: 2000, qs: 10, lang: "en",
		setup: func(tb testing.TB, app *App, _ int) {
			openStepAt(tb, app, "company")
			downTo(tb, app, "title")
			deliver(tb, app, press("enter"))
			requireTitle(tb, app, "title of step")
		}, keys: bounce(2)},
	{name: "editor=catalog/key=down/steps=2000", steps: 2000, qs: 10, lang: "en",
		setup: func(tb testing.TB, app *App, _ int) { deliver(tb, app, press("a")) }, keys: bounce(10)},
	{name: "editor=questionnaire/key=down/questions=500", steps: 10, qs: 500, lang: "en",
		setup: func(tb testing.TB, app *App, _ int) { openStepAt(tb, app, "user-questionnaire") }, keys: bounce(250)},
	{name: "editor=preview/key=down/questions=500", steps: 10, qs: 500, lang: "en",
		setup: func(tb testing.TB, app *App, _ int) {
			openStepAt(tb, app, "user-questionnaire")
			deliver(tb, app, press("p"))
			requireTitle(tb, app, "preview of")
		}, keys: bounce(200)},
	{name: "editor=question/key=space/questions=500", steps: 10, qs: 500, lang: "en", edits: true,
		setup: func(tb testing.TB, app *App, qs int) {
			openQuestion(tb, app, qs)
			downTo(tb, app, "mandatory")
		}, keys: repeat("space")},
	{name: "editor=options/key=down/questions=500", steps: 10, qs: 500, lang: "en",
		setup: func(tb testing.TB, app *App, qs int) {
			openQuestion(tb, app, qs)
			downTo(tb, app, "options")
			deliver(tb, app, press("enter"))
			requireTitle(tb, app, "options of question")
		}, keys: bounce(2)},
}

// scaleKeystrokeBench is keystrokeBench reporting cpu-ns/op too.
func scaleKeystrokeBench(b *testing.B, app *App, keyAt func(i int) tea.KeyPressMsg) {
	start := processCPU()
	keystrokeBench(b, app, keyAt)
	b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
}

// BenchmarkScaleKeystroke is Update and View of a keystroke in each
// editor on a large flow, at 120×40 (the JSON preview beside the flow
// editor's panes).
func BenchmarkScaleKeystroke(b *testing.B) {
	for _, tc := range scaleKeystrokeCases {
		b.Run(tc.name, func(b *testing.B) {
			app := benchApp(b, generatedFlow(b, tc.steps, tc.qs, tc.lang))
			tc.setup(b, app, tc.qs)
			before := app.doc.State()
			scaleKeystrokeBench(b, app, tc.keys)
			if changed := app.doc.State() != before; changed != tc.edits {
				b.Fatalf("the keys changed the flow: %v", changed)
			}
		})
	}
}

// BenchmarkScaleOpenQuestionnaire is enter on a questionnaire of 5,000
// questions up to the first frame of its editor.
func BenchmarkScaleOpenQuestionnaire(b *testing.B) {
	app := benchApp(b, generatedFlow(b, 1, 5000, "en"))
	enter, esc := press("enter"), press("esc")
	times := make([]time.Duration, 0, b.N)
	var cpu time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		start, startCPU := time.Now(), processCPU()
		_, cmd := app.Update(enter)
		app.Update(cmd())
		_ = app.View()
		times, cpu = append(times, time.Since(start)), cpu+processCPU()-startCPU
		requireTitle(b, app, "user-questionnaire step")
		b.StopTimer()
		deliver(b, app, esc)
		b.StartTimer()
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)*95/100].Nanoseconds()), "p95-ns")
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
}

// BenchmarkScaleFlagToggle1MB is space on a global flag of a 1 MB flow,
// the JSON to be saved shown beside: the edit, its undo record, the
// validation and the frame.
func BenchmarkScaleFlagToggle1MB(b *testing.B) {
	app := benchApp(b, generatedFlow(b, 1000, 50, "en"))
	app.Update(press("tab"))
	before := app.doc.State()
	scaleKeystrokeBench(b, app, repeat("space"))
	if app.doc.State() == before {
		b.Fatal("the toggle changed nothing")
	}
}

// liveHeap is the heap in use after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkScaleUndoMemory makes 1,000 flag toggles on a 1 MB flow and
// reports the most heap in use after any of them (live-MiB), with the
// document, its history and the editor.
func BenchmarkScaleUndoMemory(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		b.StartTimer()
		app := benchApp(b, generatedFlow(b, 1000, 50, "en"))
		app.Update(press("tab"))
		space := press("space")
		var peak uint64
		for i := range 1000 {
			app.Update(space)
			_ = app.View()
			if i%50 == 49 {
				b.StopTimer()
				peak = max(peak, liveHeap())
				b.StartTimer()
			}
		}
		b.ReportMetric(float64(peak)/(1<<20), "live-MiB")
	}
}

// BenchmarkScaleEdit10MB opens a 10 MB flow and makes 200 edits of it,
// each drawn: run under /usr/bin/time -v for the peak resident memory.
func BenchmarkScaleEdit10MB(b *testing.B) {
	for b.Loop() {
		app := benchApp(b, generatedFlow(b, 10_000, 50, "en"))
		app.Update(press("tab"))
		space := press("space")
		for range 200 {
			app.Update(space)
			_ = app.View()
		}
	}
}
