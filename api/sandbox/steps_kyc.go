package sandbox

import (
	"crypto/rand"
	"html/template"
	"math/big"
	"net/mail"
	"slices"
	"strings"

	"github.com/identoflow/identoflow/flow"
)

// The identity steps: language, documents, selfies, liveness, location,
// phone and email, and the video call's own page. Cameras and checks are
// simulated: photos are taken with the phone's camera through a file
// input, sniffed, counted and discarded.

// documentTypeLabels name the document types, in English (see words.T).
var documentTypeLabels = map[string]string{
	"id": "ID card", "passport": "Passport", "driver_license": "Driving licence", "residence_license": "Residence permit",
	"bank_statement": "Bank statement", "utility_bill": "Utility bill", "yellow_slip": "Yellow slip",
	"drivers_license": "Driving licence", "vehicle_registration_certificate": "Vehicle registration certificate",
}

// documentTypeLabel names a document type in the page's language.
func (c *pageCtx) documentTypeLabel(t string) string {
	if l, ok := documentTypeLabels[t]; ok {
		return c.t(l)
	}
	return flow.Visible(t)
}

// documentView is a document or selfie page.
type documentView struct {
	Note         string
	Types        *choiceGroup
	Countries    []choice      // the countries the step allows, or
	AllCountries template.HTML // every country, when it allows any
	Files        []fileInput
}

// allowed is list restricted to the known values in flag (all when the
// flag lists none), in the flag's order.
func allowed(flag []string, all []string) []string {
	var out []string
	for _, v := range flag {
		if slices.Contains(all, v) && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return all
	}
	return out
}

// documentCountries are the issuing countries a document step accepts;
// nil means any.
func documentCountries(st flow.Step) []string {
	var out []string
	for _, c := range st.StringsFlag("document_countries") {
		if _, ok := flow.LookupCountry(c); ok {
			out = append(out, c)
		}
	}
	return out
}

func (c *pageCtx) typeChoices(legend string, types []string) *choiceGroup {
	g := &choiceGroup{Legend: legend, Kind: "radio", Name: "doc_type", Required: true}
	picked := c.entry.value("doc_type")
	if picked == "" && len(types) == 1 {
		picked = types[0]
	}
	for _, t := range types {
		g.Options = append(g.Options, choice{Value: t, Label: shown{Text: c.documentTypeLabel(t)}, Selected: t == picked})
	}
	return g
}

// captureLabels label a photo's inputs, in English (see words.T): the
// camera, the upload alone, and the upload beside the camera.
type captureLabels struct{ take, upload, orUpload string }

var (
	frontLabels  = captureLabels{"Take a photo of the front", "Upload a photo of the front", "Or upload a photo of the front"}
	backLabels   = captureLabels{"The back (ID cards and licences)", "The back (ID cards and licences)", "The back (ID cards and licences)"}
	selfieLabels = captureLabels{"Take a photo of yourself holding the document", "Upload a photo of yourself holding the document",
		"Or upload a photo of yourself holding the document"}
)

// captureInputs are the file inputs of a step that may use the camera
// and/or an upload: name takes the camera (capture), name_upload the
// upload; the camera is the back one (environment) or the front (user).
func (c *pageCtx) captureInputs(name string, labels captureLabels, camera string, capture, upload, required bool) []fileInput {
	var out []fileInput
	if capture {
		out = append(out, fileInput{ID: name, Name: name, Label: c.t(labels.take), Accept: "image/*", Capture: camera,
			Required: required && !upload, Received: c.describeFiles(c.entry.shownFiles(name))})
	}
	if upload {
		lbl := labels.upload
		if capture {
			lbl = labels.orUpload
		}
		out = append(out, fileInput{ID: name + "_upload", Name: name + "_upload", Label: c.t(lbl), Accept: "image/*",
			Required: required && !capture, Received: c.describeFiles(c.entry.shownFiles(name + "_upload"))})
	}
	return out
}

func (documentPage) view(c *pageCtx, v *pageView) {
	st := c.spec.step
	d := &documentView{}
	switch c.spec.typ {
	case "identity-document":
		capture := !st.BoolFlag("disable_document_capture")
		upload := st.BoolFlag("allow_document_upload") || !capture
		d.Note = c.t("The real widget reads the document live with the camera; here a photo is taken or chosen, then only its type and size are kept.")
		d.Types = c.typeChoices(c.t("Document type"), allowed(st.StringsFlag("document_types"), flow.DocumentTypes()))
		if codes := documentCountries(st); len(codes) > 0 {
			d.Countries = c.countryChoices(codes, c.entry.value("country"))
			if len(d.Countries) == 1 {
				d.Countries[0].Selected = true
			}
		} else {
			d.AllCountries = c.allCountries(c.entry.value("country"))
		}
		d.Files = c.captureInputs("front", frontLabels, "environment", capture, upload, true)
		back := c.captureInputs("back", backLabels, "environment", capture, upload, false)
		if len(back) > 0 {
			back = back[len(back)-1:] // one input for the optional back
			back[0].Hint = c.t("Not needed for a passport.")
		}
		d.Files = append(d.Files, back...)
	case "general-document":
		d.Note = c.t("The real widget checks the document; here only the files' type and size are kept.")
		d.Types = c.typeChoices(c.t("Document"), allowed(st.StringsFlag("general_document_types"), flow.GeneralDocumentTypes()))
		d.Files = []fileInput{{ID: "document", Name: "document", Label: c.t("Photo or PDF of the document"), Accept: "image/*,application/pdf",
			Multiple: true, Required: true, Hint: c.t("Up to 5 files: a photo of each page, or a PDF."), Received: c.describeFiles(c.entry.shownFiles("document"))}}
	case "face-document":
		upload := st.BoolFlag("allow_face_doc_upload")
		d.Note = c.t("Hold your identity document next to your face. The real widget takes the picture live; here only its type and size are kept.")
		d.Files = c.captureInputs("selfie", selfieLabels, "user", true, upload, true)
	}
	v.Document = d
	v.Form.Multipart = true
}

func (documentPage) submit(c *pageCtx, f *stepForm) int {
	st := c.spec.step
	sub := c.newSubmission()
	image := func(fi fileInfo) bool { return isImage(fi.ContentType) }
	imageHint := c.t("choose a photo (an image file)")
	switch c.spec.typ {
	case "identity-document":
		types := allowed(st.StringsFlag("document_types"), flow.DocumentTypes())
		c.pick(sub, f, "doc_type", types, c.t("Choose the document type"))
		countries := documentCountries(st)
		country := f.get("country")
		if _, ok := flow.LookupCountry(country); !ok || (len(countries) > 0 && !slices.Contains(countries, country)) {
			sub.fail(c.t("Choose the country that issued the document"))
		} else {
			sub.set("country", country)
		}
		front, back := c.t("Front of the document"), c.t("Back of the document")
		frontLive := c.takeFiles(sub, f, "front", front, image, imageHint, 1)
		frontUp := c.takeFiles(sub, f, "front_upload", front, image, imageHint, 1)
		c.takeFiles(sub, f, "back", back, image, imageHint, 1)
		c.takeFiles(sub, f, "back_upload", back, image, imageHint, 1)
		if len(frontLive)+len(frontUp) == 0 {
			sub.fail(c.t("Add a photo of the front of the document"))
		}
	case "general-document":
		types := allowed(st.StringsFlag("general_document_types"), flow.GeneralDocumentTypes())
		c.pick(sub, f, "doc_type", types, c.t("Choose the kind of document"))
		docs := c.takeFiles(sub, f, "document", c.t("Document"), func(fi fileInfo) bool { return isImage(fi.ContentType) || isPDF(fi.ContentType) },
			c.t("choose a photo or a PDF"), 5)
		if len(docs) == 0 {
			sub.fail(c.t("Add a photo or a PDF of the document"))
		}
	case "face-document":
		selfie := c.t("Selfie")
		live := c.takeFiles(sub, f, "selfie", selfie, image, imageHint, 1)
		uploaded := c.takeFiles(sub, f, "selfie_upload", selfie, image, imageHint, 1)
		switch {
		case len(live)+len(uploaded) == 0:
			sub.fail(c.t("Take a photo of yourself holding the document"))
		case st.BoolFlag("require_face_document") && len(live) == 0:
			sub.fail(c.t("Take the photo with the camera: this step needs a live picture"))
		}
	}
	return c.finish(sub)
}

// pick takes a radio choice that must be one of options.
func (c *pageCtx) pick(sub *submission, f *stepForm, field string, options []string, missing string) {
	v := f.get(field)
	if !slices.Contains(options, v) {
		sub.fail(missing)
		return
	}
	sub.set(field, v)
}

// simpleView is a page with a note, maybe files, and a button or two:
// liveness and geolocation.
type simpleView struct {
	Note   string
	Lines  []string
	Files  []fileInput
	Action string
	Button string
	Skip   string
}

func (simplePage) view(c *pageCtx, v *pageView) {
	st := c.spec.step
	switch c.spec.typ {
	case "liveness":
		active := st.BoolFlag("liveness")
		sv := &simpleView{Action: "next", Button: c.t("Start the liveness check")}
		if active {
			sv.Note = c.t("Active liveness: the real widget asks you to turn your head or smile while it films your face. The sandbox lets every check pass.")
		} else {
			sv.Note = c.t("Passive liveness: the real widget films your face for about two seconds while you hold still in an oval. The sandbox lets every check pass.")
		}
		sv.Files = []fileInput{{ID: "selfie", Name: "selfie", Label: c.t("Try the front camera"), Accept: "image/*", Capture: "user",
			Hint: c.t("Only the photo's type and size are kept."), Received: c.describeFiles(c.entry.shownFiles("selfie"))}}
		if st.BoolFlag("allow_face_upload") && !active {
			sv.Files = append(sv.Files, fileInput{ID: "selfie_upload", Name: "selfie_upload", Label: c.t("Or upload a selfie instead"), Accept: "image/*",
				Received: c.describeFiles(c.entry.shownFiles("selfie_upload"))})
		}
		v.Simple = sv
		v.Form.Multipart = true
	case "geolocation":
		sv := &simpleView{Action: "share", Button: c.t("Share my location"),
			Note:  c.t("The real widget asks the browser for your location. The sandbox does not read it."),
			Lines: []string{c.t("This step asks for your location.")}}
		if !st.BoolFlag("require_geolocation") {
			sv.Skip = c.t("Continue without sharing")
		} else {
			sv.Lines = append(sv.Lines, c.t("You need to share your location to go on."))
		}
		v.Simple = sv
	}
}

func (simplePage) submit(c *pageCtx, f *stepForm) int {
	sub := c.newSubmission()
	switch c.spec.typ {
	case "liveness":
		image := func(fi fileInfo) bool { return isImage(fi.ContentType) }
		selfie, hint := c.t("Selfie"), c.t("choose a photo (an image file)")
		c.takeFiles(sub, f, "selfie", selfie, image, hint, 1)
		c.takeFiles(sub, f, "selfie_upload", selfie, image, hint, 1)
		sub.set("liveness", "passed")
	case "geolocation":
		if f.get("action") == "skip" && !c.spec.step.BoolFlag("require_geolocation") {
			sub.set("location", "declined")
		} else {
			sub.set("location", "shared")
		}
	}
	return c.finish(sub)
}

// contactView is the phone-number or email page: the value, then, when
// it must be checked, the code the sandbox shows in place of sending it.
type contactView struct {
	Label, Input, Autocomplete string
	Sent, Channel, Change      string // the code stage's words
	Value                      string
	Required, Check, CodeStage bool
	Code                       string
}

func contactFlags(c *pageCtx) (required, check bool) {
	st := c.spec.step
	if c.spec.typ == "email" {
		return st.BoolFlag("require_email"), st.BoolFlag("require_email_check")
	}
	return st.BoolFlag("require_phone_number"), st.BoolFlag("require_phone_number_check")
}

func (contactPage) view(c *pageCtx, v *pageView) {
	required, check := contactFlags(c)
	cv := &contactView{Required: required || check, Check: check, Value: c.entry.value("value")}
	if c.spec.typ == "email" {
		cv.Label, cv.Input, cv.Autocomplete = c.t("Email address"), "email", "email"
		cv.Sent, cv.Channel, cv.Change = c.t("We sent a code to this address:"), c.t("The real widget sends it by email."), c.t("Change the address")
	} else {
		cv.Label, cv.Input, cv.Autocomplete = c.t("Phone number"), "tel", "tel"
		cv.Sent, cv.Channel, cv.Change = c.t("We sent a code to this number:"), c.t("The real widget sends it by text message."), c.t("Change the number")
	}
	if check && c.entry.code != "" && c.entry.draft == nil {
		cv.CodeStage, cv.Code, cv.Value = true, c.entry.code, c.entry.value("pending")
	}
	v.Contact = cv
}

func (contactPage) submit(c *pageCtx, f *stepForm) int {
	required, check := contactFlags(c)
	e := c.entry
	switch f.get("action") {
	case "change":
		e.code = ""
		return c.i
	case "verify":
		if e.code == "" {
			return c.i
		}
		if strings.TrimSpace(f.get("code")) != e.code {
			e.errors = []string{c.t("That is not the code shown on this page")}
			return c.i
		}
		sub := c.newSubmission()
		sub.set("value", e.value("pending"))
		sub.set("verified", "true")
		e.code = ""
		return c.finish(sub)
	}
	sub := c.newSubmission()
	name := c.t("Phone number")
	if c.spec.typ == "email" {
		name = c.t("Email address")
	}
	value := c.text(sub, f, "value", name)
	switch {
	case value == "" && (required || check) && c.spec.typ == "email":
		sub.fail(c.t("Enter your email address"))
	case value == "" && (required || check):
		sub.fail(c.t("Enter your phone number"))
	case value != "" && c.spec.typ == "email" && !validEmail(value):
		sub.fail(c.t("Enter an email address such as name@example.com"))
	case value != "" && c.spec.typ == "phone-number" && !validPhone(value):
		sub.fail(c.t("Enter a phone number with its country code, such as +995 555 12 34 56"))
	}
	if len(sub.errors) > 0 || !check {
		return c.finish(sub)
	}
	code, err := otpCode()
	if err != nil {
		sub.fail(c.t("The sandbox could not make a code; try again"))
		return c.finish(sub)
	}
	e.code = code
	e.draft, e.draftFiles = nil, nil
	e.values["pending"] = []string{value}
	return c.i
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s
}

func validPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+ -().", r):
		default:
			return false
		}
	}
	return digits >= 6 && digits <= 15
}

// otpCode is a random six-digit code.
func otpCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	s := n.String()
	return strings.Repeat("0", 6-len(s)) + s, nil
}

// callView is the video call's page: the operator would call now.
type callView struct {
	Note         string
	Lines        []string
	NameRequired bool
	Name         string
}

func (callPage) view(c *pageCtx, v *pageView) {
	st := c.spec.step
	cv := &callView{
		Note:         c.t("No call is made: the sandbox goes straight on to the call's steps."),
		Lines:        []string{c.t("An operator would call you now. In the real widget the video call starts here, and the operator guides you through its steps.")},
		NameRequired: st.BoolFlag("nameRequired"),
		Name:         c.entry.value("name"),
	}
	if st.BoolFlag("hideCameraOption") {
		cv.Lines = append(cv.Lines, c.t("Your camera stays on during the call."))
	}
	if st.BoolFlag("multiple_participants") {
		cv.Lines = append(cv.Lines, c.t("Other people may join the call."))
	}
	if st.BoolFlag("resetSteps") {
		cv.Lines = append(cv.Lines, c.t("If you leave and join again, the call's steps start over."))
	}
	var titles []string
	for _, p := range c.p.pages[c.i+1:] {
		if p.call != c.i {
			break
		}
		titles = append(titles, c.p.title(p, c.lang).String())
	}
	if len(titles) > 0 {
		cv.Lines = append(cv.Lines, c.t("During the call: {1}.", strings.Join(titles, " · ")))
	}
	v.CallPage = cv
}

func (callPage) submit(c *pageCtx, f *stepForm) int {
	sub := c.newSubmission()
	name := c.text(sub, f, "name", c.t("Your name"))
	if c.spec.step.BoolFlag("nameRequired") && name == "" {
		sub.fail(c.t("Enter your name to join the call"))
	}
	return c.finish(sub)
}

// languageView is the language step: the offered languages, each in its
// own name.
type languageView struct{ Options []languageOption }

func (languagePage) view(c *pageCtx, v *pageView) {
	lv := &languageView{}
	for _, l := range c.p.langs {
		o := languageOption{Code: l, Name: selfName(l), English: flow.LanguageName(l), Selected: l == c.lang}
		if o.English == o.Name {
			o.English = ""
		}
		lv.Options = append(lv.Options, o)
	}
	v.Language = lv
}

func (languagePage) submit(c *pageCtx, f *stepForm) int {
	sub := c.newSubmission()
	l := f.get("lang")
	if !slices.Contains(c.p.langs, l) {
		sub.fail(c.t("Choose a language"))
		return c.finish(sub)
	}
	c.w.lang = l
	sub.set("lang", l)
	return c.finish(sub)
}
