package sandbox

import (
	"container/heap"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/identoflow/identoflow/flow"
)

// A session's walk-through: one page per step of the flow (a video call's
// own steps follow its page), then the outcome page. The customer may go
// back to any page they have reached; what they enter is kept with the
// session, in memory only, and dropped when the session expires
// unfinished.

// Limits on what one session keeps.
const (
	maxTextRunes      = 2000 // one answer, field or name
	maxPeoplePerRole  = 20   // beneficiaries of one role
	maxFilesPerAnswer = 10   // the most filesMaxCount allows
)

// walk is one session's journey. Copies of the session (snapshots) share
// it; its own lock guards it, and the plan, built on first use from the
// flow the session was created with, never changes. Until then the flow is
// kept as compact JSON: a parsed flow takes ten times the memory or more,
// and most sessions of a busy sandbox are never opened.
type walk struct {
	flowJSON []byte
	planOnce sync.Once
	plan     *plan

	mu       sync.Mutex
	formTok  string // anti-forgery token of the session's forms
	lang     string
	opened   bool // the customer has opened the link
	at       int  // page the customer is on; len(pages) is the outcome page
	reached  int  // furthest page they may open
	tracked  bool // in the server's expiry queue
	finished bool
	dropped  bool     // expired unfinished: answers gone
	entries  []*entry // one per page, nil until entered
}

// newWalk starts the walk of a session created from cfg (nil: no steps).
func newWalk(cfg *flow.Config) *walk {
	if cfg == nil {
		return &walk{}
	}
	return &walk{flowJSON: cfg.RequestBody()}
}

// entry is what the customer entered on one page: what was accepted,
// and the last submission that was not (shown again to be corrected).
type entry struct {
	done   bool                  // submitted and accepted
	values map[string][]string   // accepted form values, by field name
	files  map[string][]fileInfo // accepted files, by field name
	people []person              // beneficiaries
	code   string                // one-time code shown for a contact check

	draft      map[string][]string // a submission with problems, nil when none
	draftFiles map[string][]fileInfo
	errors     []string // problems with the last submission, shown once
	notice     string   // a message shown once
}

// fileInfo is all the sandbox keeps of an uploaded file.
type fileInfo struct {
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

// person is one beneficiary.
type person struct {
	Role   string
	Kind   string // "individual" or "company"
	Fields map[string]string
}

// plan is the pages of a flow and the languages it offers.
type plan struct {
	pages    []pageSpec
	langs    []string // offered by the language switcher, in order
	main     string   // flags.language
	name     string   // the session's name
	configID string
	company  int // page of the company step, -1 when none
	benef    int // page of the beneficiaries step, -1 when none
}

// pageSpec is one page: a step, maybe inside a video call.
type pageSpec struct {
	step flow.Step
	typ  string
	key  string // the step's effective key
	call int    // page of the video call holding it, -1 at the top level
}

func (w *walk) getPlan() *plan {
	w.planOnce.Do(func() {
		cfg, err := flow.Parse(w.flowJSON)
		if err != nil { // no flow, or (cannot happen) one the sandbox wrote wrong
			cfg = flow.New()
		}
		w.plan, w.flowJSON = newPlan(cfg), nil
	})
	return w.plan
}

func newPlan(cfg *flow.Config) *plan {
	p := &plan{main: cfg.Language(), name: cfg.String("name"), configID: cfg.String("config_id"), company: -1, benef: -1}
	for _, st := range cfg.Steps() {
		call := -1
		p.add(st, call)
		if st.Type() == "video-call" {
			call = len(p.pages) - 1
			for _, n := range st.Steps() {
				p.add(n, call)
			}
		}
	}
	p.langs = offeredLanguages(cfg)
	return p
}

func (p *plan) add(st flow.Step, call int) {
	switch st.Type() {
	case "company":
		if p.company < 0 {
			p.company = len(p.pages)
		}
	case "beneficiaries":
		if p.benef < 0 {
			p.benef = len(p.pages)
		}
	}
	p.pages = append(p.pages, pageSpec{step: st, typ: st.Type(), key: st.EffectiveKey(), call: call})
}

// offeredLanguages are the languages the switcher offers: the language
// step's list (all languages when it lists none), else the flow's
// language; the flow's language always among them.
func offeredLanguages(cfg *flow.Config) []string {
	main := cfg.Language()
	all := flow.Languages()
	for _, st := range cfg.Steps() {
		if st.Type() != "language" {
			continue
		}
		var out []string
		for _, l := range st.StringsFlag("languages") {
			if slices.Contains(all, l) && !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
		if len(out) == 0 {
			out = all
		}
		if !slices.Contains(out, main) && slices.Contains(all, main) {
			out = append([]string{main}, out...)
		}
		return out
	}
	if !slices.Contains(all, main) {
		return []string{"en"}
	}
	return []string{main}
}

// shown is a flow text ready for a page, in the page's language or, when
// it lacks one, visibly in another: From names that language.
type shown struct {
	Text string
	From string
}

// text picks t's text for lang: the text in lang, else in the flow's
// language, else English, else the first given, marked with where it came
// from. A plain string is shown as it is. Unsafe characters (controls,
// bidi overrides) are made visible.
func (p *plan) text(t flow.Text, lang string) shown {
	if s, ok := t.V.Str(); ok {
		return shown{Text: flow.VisibleLines(s)}
	}
	if !t.IsLocalized() {
		return shown{}
	}
	for _, l := range []string{lang, p.main, "en"} {
		if s, ok := t.V.Get(l).Str(); ok && strings.TrimSpace(s) != "" {
			return shown{Text: flow.VisibleLines(s), From: fromUnless(l, lang)}
		}
	}
	for _, m := range t.V.Members() {
		if s, ok := m.Value.Str(); ok && strings.TrimSpace(s) != "" {
			return shown{Text: flow.VisibleLines(s), From: fromUnless(m.Name, lang)}
		}
	}
	return shown{}
}

func fromUnless(l, lang string) string {
	if l == lang {
		return ""
	}
	return flow.Visible(l)
}

// title is a step's title: its own, else its type's default title, one
// of the sandbox's own words (so in lang where the words table has it).
func (p *plan) title(spec pageSpec, lang string) shown {
	if t := p.text(spec.step.Title(), lang); t.Text != "" {
		return t
	}
	if s, ok := flow.LookupStep(spec.typ); ok {
		return shown{Text: wordsFor(lang).T(s.Title)}
	}
	return shown{Text: flow.Visible(spec.typ)}
}

// String is the text with its language mark, for plain-text use.
func (s shown) String() string {
	if s.From == "" {
		return s.Text
	}
	return s.Text + " (" + s.From + ")"
}

// words are the sandbox's own words in the walk's language (English
// before the walk has one).
func (w *walk) words() words {
	if w == nil {
		return words{}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return wordsFor(w.lang)
}

// ensure prepares the walk for a page view or a post: the anti-forgery
// token and the language. Called with w.mu held.
func (w *walk) ensure() error {
	if w.formTok == "" {
		tok, err := newFormToken()
		if err != nil {
			return err
		}
		w.formTok = tok
	}
	if w.lang == "" {
		w.lang = w.getPlan().main
		if !slices.Contains(w.plan.langs, w.lang) {
			w.lang = w.plan.langs[0]
		}
	}
	if w.entries == nil {
		w.entries = make([]*entry, len(w.plan.pages))
	}
	return nil
}

// entry returns the entry of page i, creating it. Called with w.mu held.
func (w *walk) entry(i int) *entry {
	if w.entries[i] == nil {
		w.entries[i] = &entry{values: map[string][]string{}, files: map[string][]fileInfo{}}
	}
	return w.entries[i]
}

// shownValues are the values a page shows: the draft, else the accepted.
func (e *entry) shownValues(name string) []string {
	if e == nil {
		return nil
	}
	if e.draft != nil {
		return e.draft[name]
	}
	return e.values[name]
}

// value is the first value a page shows for a field, or "".
func (e *entry) value(name string) string {
	if v := e.shownValues(name); len(v) > 0 {
		return v[0]
	}
	return ""
}

// shownFiles are the files a page says it has: the draft's, else the
// accepted ones.
func (e *entry) shownFiles(name string) []fileInfo {
	if e == nil {
		return nil
	}
	if f, ok := e.draftFiles[name]; ok {
		return f
	}
	return e.files[name]
}

// accepted is the first accepted value of a field, or "".
func (e *entry) accepted(name string) string {
	if e == nil || !e.done || len(e.values[name]) == 0 {
		return ""
	}
	return e.values[name][0]
}

// drop forgets what was entered. Called with w.mu held.
func (w *walk) drop() {
	w.entries = nil
	w.dropped = true
}

// expiring is the walks holding answers, soonest expiry first, so that
// the answers of an expired, unfinished session are dropped even when
// nobody opens it again.
type expiring struct {
	mu    sync.Mutex
	queue expiryHeap
}

type expiryItem struct {
	w   *walk
	exp time.Time
}

type expiryHeap []expiryItem

func (h expiryHeap) Len() int           { return len(h) }
func (h expiryHeap) Less(i, j int) bool { return h[i].exp.Before(h[j].exp) }
func (h expiryHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *expiryHeap) Push(x any)        { *h = append(*h, x.(expiryItem)) }
func (h *expiryHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	old[len(old)-1] = expiryItem{}
	*h = old[:len(old)-1]
	return it
}

// track adds a walk that now holds answers. Called with w.mu held.
func (e *expiring) track(w *walk, exp time.Time) {
	if w.tracked {
		return
	}
	w.tracked = true
	e.mu.Lock()
	defer e.mu.Unlock()
	heap.Push(&e.queue, expiryItem{w: w, exp: exp})
}

// sweep drops the answers of every tracked walk expired at now that did
// not finish (a finished one keeps them for result/).
func (e *expiring) sweep(now time.Time) {
	var due []*walk
	e.mu.Lock()
	for e.queue.Len() > 0 && !now.Before(e.queue[0].exp) {
		due = append(due, heap.Pop(&e.queue).(expiryItem).w)
	}
	e.mu.Unlock()
	for _, w := range due {
		w.mu.Lock()
		if !w.finished {
			w.drop()
		}
		w.mu.Unlock()
	}
}
