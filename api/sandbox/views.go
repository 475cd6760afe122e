package sandbox

import (
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/identoflow/identoflow/flow"
)

// stepPath is where every page's forms are posted.
const stepPath = "/sandbox/step"

// pageView is everything one page shows. Exactly one of the body fields
// (Language … Message) is set.
type pageView struct {
	Lang, Dir   string
	W           words // the sandbox's own words in Lang
	Legend      string
	DocTitle    string
	StepLine    string
	Switch      *switchView
	SessionName string
	Call        *shown // the title of the video call a nested step belongs to (maybe empty)
	Heading     shown
	Description shown
	Notice      string
	Errors      []string
	Back        string
	Foot        string
	Script      bool // the page has questions or fields that follow answers
	Done        bool // the page tells its parent frame the session is done
	Form        formView

	Language      *languageView
	Document      *documentView
	Contact       *contactView
	Simple        *simpleView
	CallPage      *callView
	Questionnaire *questionnaireView
	Company       *companyView
	Beneficiaries *beneficiariesView
	Review        *reviewView
	Outcome       *outcomeView
	Message       *messageBody
}

// formView is where a page's form goes.
type formView struct {
	Action    string
	CSRF      string
	Multipart bool
}

// switchView is the language switcher.
type switchView struct {
	Action  string
	CSRF    string
	Options []languageOption
}

type languageOption struct {
	Code, Name, English string
	Selected            bool
}

// choice is one option of a radio group, checkbox group or select.
type choice struct {
	Value    string
	Label    shown
	Detail   string
	Selected bool
}

// choiceGroup is a radio or checkbox group.
type choiceGroup struct {
	Legend   string
	Kind     string // radio or checkbox
	Name     string
	Required bool
	Options  []choice
}

// fileInput is one file picker.
type fileInput struct {
	ID, Name, Label string
	Accept          string
	Capture         string // environment (back camera), user (front camera) or ""
	Multiple        bool
	Required        bool
	Disabled        bool
	Hint, Received  string
}

type messageBody struct {
	Outcome string
	Lines   []string
}

type outcomeView struct {
	Lines     []string
	Action    string
	CSRF      string
	Reasons   []RejectReason // descriptions in the page's language
	ReturnURL string
}

const pageFoot = "A preview in the identoflow sandbox, not the real widget: nothing is sent to the verification service, and photos and files are checked, counted and discarded."

// stepPage is what a kind of step shows and takes.
type stepPage interface {
	view(c *pageCtx, v *pageView)
	submit(c *pageCtx, f *stepForm) int // the page to go to next
}

// The kinds of step pages.
type (
	languagePage      struct{}
	documentPage      struct{} // identity-document, general-document, face-document
	simplePage        struct{} // liveness, geolocation
	contactPage       struct{} // phone-number, email
	callPage          struct{}
	questionnairePage struct{} // user and operator
	companyPage       struct{}
	beneficiariesPage struct{}
	reviewPage        struct{}
	unknownPage       struct{}
)

func stepPageOf(typ string) stepPage {
	switch typ {
	case "language":
		return languagePage{}
	case "identity-document", "general-document", "face-document":
		return documentPage{}
	case "liveness", "geolocation":
		return simplePage{}
	case "phone-number", "email":
		return contactPage{}
	case "video-call":
		return callPage{}
	case "user-questionnaire", "operator-questionnaire":
		return questionnairePage{}
	case "company":
		return companyPage{}
	case "beneficiaries":
		return beneficiariesPage{}
	case "kyb-review":
		return reviewPage{}
	}
	return unknownPage{} // the validator lets no other type through
}

func (unknownPage) view(c *pageCtx, v *pageView) {
	v.Simple = &simpleView{Action: "next", Button: c.t("Continue"), Lines: []string{c.t("The sandbox does not know this step.")}}
}

func (unknownPage) submit(c *pageCtx, f *stepForm) int { return c.finish(c.newSubmission()) }

func (reviewPage) submit(c *pageCtx, f *stepForm) int { return c.finish(c.newSubmission()) }

// pageCtx is what building or submitting one page needs. The walk's lock
// is held while it is in use.
type pageCtx struct {
	s     *Server
	snap  *snapshot
	w     *walk
	p     *plan
	i     int // page index
	spec  pageSpec
	lang  string
	words words // the sandbox's own words in lang
	entry *entry
}

// t is the sandbox's text whose English is english in the page's
// language, with args put in (see words.T).
func (c *pageCtx) t(english string, args ...any) string { return c.words.T(english, args...) }

// pageURL is the link to page i of a session; i < 0 means wherever the
// customer is.
func pageURL(token string, i int) string {
	u := "/?session_token=" + url.QueryEscape(token)
	if i >= 0 {
		u += "&page=" + strconv.Itoa(i)
	}
	return u
}

func stepAction(token string, i int) string {
	return stepPath + "?session_token=" + url.QueryEscape(token) + "&page=" + strconv.Itoa(i)
}

// dir is the writing direction of a page in lang.
func dir(lang string) string {
	if lang == "ar" {
		return "rtl"
	}
	return "ltr"
}

// languageTag maps the vendor's codes to BCP 47 ("gr" is Greek).
func languageTag(code string) language.Tag {
	if code == "gr" {
		code = "el"
	}
	return language.Make(code)
}

// selfName is a language's name in itself, e.g. "ქართული".
func selfName(code string) string {
	if n := display.Self.Name(languageTag(code)); n != "" {
		return n
	}
	return flow.LanguageName(code)
}

// baseView is the part every walk page shares.
func (c *pageCtx) baseView() pageView {
	v := pageView{
		Lang:        c.lang,
		Dir:         dir(c.lang),
		W:           c.words,
		SessionName: flow.Visible(c.p.name),
		Foot:        c.t(pageFoot),
		Form:        formView{Action: stepAction(c.snap.token, c.i), CSRF: c.w.formTok},
	}
	n := len(c.p.pages)
	if c.i < n {
		v.StepLine = c.t("Step {1} of {2}", c.i+1, n)
		v.Heading = c.p.title(c.spec, c.lang)
		v.Description = c.p.text(c.spec.step.Description(), c.lang)
		if c.spec.call >= 0 {
			// The call's own title, if it has one: its default would
			// only repeat "Video call".
			t := c.p.text(c.p.pages[c.spec.call].step.Title(), c.lang)
			v.Call = &t
		}
	} else if n > 0 {
		v.StepLine = c.t("All {1} steps done", n)
	}
	if c.i > 0 {
		v.Back = pageURL(c.snap.token, c.i-1)
	}
	if len(c.p.langs) > 1 {
		sw := &switchView{Action: v.Form.Action, CSRF: c.w.formTok}
		for _, l := range c.p.langs {
			name := selfName(l)
			if en := flow.LanguageName(l); en != name {
				name += " · " + en
			}
			sw.Options = append(sw.Options, languageOption{Code: l, Name: name, Selected: l == c.lang})
		}
		v.Switch = sw
	}
	if c.entry != nil {
		v.Errors, c.entry.errors = c.entry.errors, nil
		v.Notice, c.entry.notice = c.entry.notice, ""
	}
	return v
}

// view builds page c.i: a step's page or, past the last, the outcome page.
func (c *pageCtx) view() pageView {
	v := c.baseView()
	if c.i >= len(c.p.pages) {
		c.outcomeView(&v)
	} else {
		stepPageOf(c.spec.typ).view(c, &v)
	}
	v.DocTitle = v.Heading.String()
	if v.DocTitle == "" {
		v.DocTitle = c.t("Finish")
	}
	if l := v.fallbackLanguage(); l != "" {
		v.Legend = c.t("A language code in brackets, such as ({1}), marks a text this flow lacks in this language.", l)
	}
	return v
}

// fallbackLanguage is the language of the first flow text on the page
// shown in another language than the page's, or "" when there is none.
func (v *pageView) fallbackLanguage() string {
	texts := []shown{v.Heading, v.Description}
	if v.Call != nil {
		texts = append(texts, *v.Call)
	}
	if q := v.Questionnaire; q != nil {
		texts = append(texts, q.Submit)
		for _, qv := range q.Questions {
			texts = append(texts, qv.Title, qv.Description)
			for _, o := range qv.Options {
				texts = append(texts, o.Label)
			}
		}
	}
	for _, t := range texts {
		if t.From != "" {
			return t.From
		}
	}
	return ""
}

func (c *pageCtx) outcomeView(v *pageView) {
	o := &outcomeView{
		Action:    completePath + "?session_token=" + url.QueryEscape(c.snap.token),
		CSRF:      c.w.formTok,
		ReturnURL: flow.Visible(c.snap.returnURL),
	}
	for _, r := range c.p.rejectReasons() {
		o.Reasons = append(o.Reasons, RejectReason{Value: r.Value, Description: c.t(r.Description)})
	}
	switch {
	case len(c.p.pages) > 0:
		o.Lines = []string{c.t("That was the last step. The real widget would now check what the customer sent.")}
	case c.p.configID != "":
		o.Lines = []string{c.t("The steps come from the saved configuration {1}, which the sandbox cannot see.", flow.Visible(c.p.configID))}
	default:
		o.Lines = []string{c.t("This session has no steps.")}
	}
	v.Heading = shown{Text: c.t("Finish")}
	v.Outcome = o
}

// nameCache holds the countries sorted by name in each language asked
// for, and their <option>s as rendered once: the whole list is most of the
// work of a page that offers it.
type nameCache struct {
	mu       sync.Mutex
	byLang   map[string][]countryName
	rendered map[string]string
}

type countryName struct{ Alpha3, Name string }

// countries returns every country with its name in lang, sorted as
// people of that language sort.
func (n *nameCache) countries(lang string) []countryName {
	n.mu.Lock()
	defer n.mu.Unlock()
	if list, ok := n.byLang[lang]; ok {
		return list
	}
	tag := languageTag(lang)
	namer := display.Regions(tag)
	var list []countryName
	for _, c := range flow.Countries() {
		name := c.Name
		if namer != nil {
			if r, err := language.ParseRegion(c.Alpha2); err == nil {
				if local := namer.Name(r); local != "" {
					name = local
				}
			}
		}
		list = append(list, countryName{Alpha3: c.Alpha3, Name: name})
	}
	order := collate.New(tag)
	slices.SortStableFunc(list, func(a, b countryName) int { return order.CompareString(a.Name, b.Name) })
	if n.byLang == nil {
		n.byLang = map[string][]countryName{}
	}
	n.byLang[lang] = list
	return list
}

// options returns the <option>s of every country by name in lang,
// rendered by html/template once per language.
func (n *nameCache) options(lang string) (string, error) {
	list := n.countries(lang)
	n.mu.Lock()
	defer n.mu.Unlock()
	if html, ok := n.rendered[lang]; ok {
		return html, nil
	}
	var b strings.Builder
	if err := pageTemplates().ExecuteTemplate(&b, "countryoptions", list); err != nil {
		return "", err
	}
	if n.rendered == nil {
		n.rendered = map[string]string{}
	}
	n.rendered[lang] = b.String()
	return b.String(), nil
}

// allCountries is the <option>s of every country by name in the page's
// language, selected chosen when it is a country code.
func (c *pageCtx) allCountries(selected string) template.HTML {
	html, err := c.s.web.names.options(c.lang)
	if err != nil { // the sandbox's own template and data: cannot happen
		c.s.log.Error("rendering the country list failed", "err", err)
		return ""
	}
	if _, ok := flow.LookupCountry(selected); ok {
		html = strings.Replace(html, `<option value="`+selected+`">`, `<option value="`+selected+`" selected>`, 1)
	}
	return template.HTML(html) // rendered by html/template; the code inserted is an upper-case alpha-3 code
}

// countryChoices are the countries in codes, by name in lang, with
// selected chosen.
func (c *pageCtx) countryChoices(codes []string, selected string) []choice {
	var out []choice
	for _, cn := range c.s.web.names.countries(c.lang) {
		if len(codes) > 0 && !slices.Contains(codes, cn.Alpha3) {
			continue
		}
		out = append(out, choice{Value: cn.Alpha3, Label: shown{Text: cn.Name}, Selected: cn.Alpha3 == selected})
	}
	return out
}

// countryName is a country's name in lang, or its code.
func (c *pageCtx) countryName(code string) string {
	for _, cn := range c.s.web.names.countries(c.lang) {
		if cn.Alpha3 == code {
			return cn.Name
		}
	}
	return flow.Visible(code)
}
