package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
)

// textsFlow is a Georgian flow shown in Georgian, English and Russian with
// 50 questionnaires of 20 choice questions of 4 options: 5,050 texts, each
// in ka and en, none in ru.
func textsFlow(tb testing.TB) *flow.Config {
	tb.Helper()
	var b strings.Builder
	b.WriteString(`{"flags": {"language": "ka"}, "steps": [{"type": "language", "flags": {"languages": ["ka", "en", "ru"]}}`)
	for s := range 50 {
		fmt.Fprintf(&b, `, {"type": "user-questionnaire", "key": "q%d", "title": {"ka": "კითხვარი %d", "en": "Questionnaire %d"}, "questions": [`, s, s, s)
		for q := range 20 {
			if q > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, `{"type": "options", "key": "q%d-%d", "title": {"ka": "კითხვა %d", "en": "Question %d"}, "options": [`, s, q, q, q)
			for o := range 4 {
				if o > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, `{"key": "o%d", "title": {"ka": "პასუხი %d", "en": "Answer %d"}}`, o, o, o)
			}
			b.WriteString("]}")
		}
		b.WriteString("]}")
	}
	b.WriteString("]}")
	c, err := flow.Parse([]byte(b.String()))
	if err != nil {
		tb.Fatal(err)
	}
	if n := len(c.Texts()); n < 5000 {
		tb.Fatalf("the flow has %d texts, want 5,000 or more", n)
	}
	return c
}

// tableApp is the wizard at 120×40 on the Translations tab of textsFlow,
// the Russian column selected.
func tableApp(b *testing.B) *App {
	app := benchApp(b, textsFlow(b))
	app.Update(press("shift+tab"))
	app.Update(press("right"))
	app.Update(press("right"))
	if view := app.View().Content; !strings.Contains(view, "ru: 0 of 5050") {
		b.Fatalf("not on the table:\n%s", view)
	}
	return app
}

func BenchmarkScaleKeystrokeTranslationTableMove5000Texts(b *testing.B) {
	app := tableApp(b)
	down, up := press("down"), press("up")
	keystrokeBench(b, app, func(i int) tea.KeyPressMsg {
		if i%400 < 199 {
			return down
		}
		return up
	})
}

// Typing into a cell being edited.
func BenchmarkScaleKeystrokeTranslationTableType5000Texts(b *testing.B) {
	app := tableApp(b)
	app.Update(press("pgdown"))
	app.Update(press("enter"))
	x, back := press("x"), press("backspace")
	keystrokeBench(b, app, func(i int) tea.KeyPressMsg {
		if i%2 == 0 {
			return x
		}
		return back
	})
}

// Filling cells: enter, a letter, enter, and so on; every third key
// applies an edit, which the table shows by reading that text alone.
func BenchmarkScaleKeystrokeTranslationTableEdit5000Texts(b *testing.B) {
	app := tableApp(b)
	enter, x := press("enter"), press("x")
	before := app.doc.State()
	keystrokeBench(b, app, func(i int) tea.KeyPressMsg {
		if i%3 == 1 {
			return x
		}
		return enter
	})
	if b.N >= 3 && app.doc.State() == before {
		b.Fatal("no cell was filled")
	}
}
