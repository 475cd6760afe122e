package editor

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/identoflow/identoflow/flow"
	"github.com/identoflow/identoflow/tui/ui"
	"github.com/identoflow/identoflow/tui/widget"
)

// flagProps are the global flags as property lines (SPEC §2).
func flagProps(c *ui.Common, doc *ui.Doc) []widget.Prop {
	s := &c.Styles
	var props []widget.Prop
	for _, f := range flow.GlobalFlags() {
		name := f.Name
		path := "/flags/" + name
		p := widget.Prop{Label: name, Path: path, Hint: func() string { return f.Doc }}
		switch f.Kind {
		case flow.KindBool:
			p.Kind = widget.PropToggle
			p.Value = func() string { return widget.BoolValue(s, doc.Config.Flag(name), false) }
			p.Toggle = func() error {
				return doc.Edit("toggle "+name, func(cfg *flow.Config) error {
					cfg.SetFlag(name, flow.NewBool(!cfg.BoolFlag(name)))
					return nil
				})
			}
		case flow.KindURL:
			p.Kind = widget.PropText
			p.Value = func() string { return widget.TextValue(s, doc.Config.Flag(name)) }
			p.Text = func() string { v, _ := doc.Config.Flag(name).Str(); return v }
			p.Validate = checkURLInput
			p.SetText = func(v string) error {
				v = strings.TrimSpace(v)
				return doc.Edit("set "+name, func(cfg *flow.Config) error {
					if v == "" {
						cfg.SetFlag(name, nil)
					} else {
						cfg.SetFlag(name, flow.NewString(v))
					}
					return nil
				})
			}
			p.Hint = func() string { return f.Doc + "; empty removes it" }
		case flow.KindString: // language
			p.Kind = widget.PropPick
			p.Value = func() string {
				lang := doc.Config.Language()
				v := ui.Shown(flow.LanguageName(lang) + " (" + lang + ")")
				if doc.Config.Flag(name) == nil {
					v += s.Dim.Render(" default")
				}
				return v
			}
			p.Pick = func() ui.Screen {
				return widget.NewPicker(c, "interface language", languageItems(flow.UILanguages()), []string{doc.Config.Language()}, false, func(values []string) tea.Cmd {
					_ = doc.Edit("set language", func(cfg *flow.Config) error {
						cfg.SetFlag(name, flow.NewString(values[0]))
						return nil
					})
					return nil
				})
			}
		}
		p.Keys = resetFlagKey(c, doc, name)
		props = append(props, p)
	}
	return props
}

// resetFlagKey is d on a flag: it removes the flag, so the default applies
// again; that is also the way out of a value that is not valid.
func resetFlagKey(c *ui.Common, doc *ui.Doc, name string) func(tea.KeyPressMsg) (tea.Cmd, bool) {
	return func(km tea.KeyPressMsg) (tea.Cmd, bool) {
		if !key.Matches(km, c.Keys.Delete) {
			return nil, false
		}
		if doc.Config.Flag(name) == nil {
			return ui.Status(name + " is already at its default"), true
		}
		if err := doc.Edit("reset "+name, func(cfg *flow.Config) error {
			cfg.SetFlag(name, nil)
			return nil
		}); err != nil {
			return ui.StatusErr(err), true
		}
		return ui.Status("reset " + name + " to its default · u to undo"), true
	}
}

// checkURLInput explains, as the person types, why a URL would be refused.
func checkURLInput(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "not an absolute http(s) URL, e.g. https://example.com/done"
	}
	return ""
}

// sessionProps are the top-level session fields (SPEC §1).
func sessionProps(c *ui.Common, doc *ui.Doc) []widget.Prop {
	s := &c.Styles
	fields := []struct{ name, doc string }{
		{"name", "session label in the dashboard"},
		{"clientUserId", "your id for this person"},
		{"groupId", "group that may take the session (video calls)"},
		{"parent_session_id", "joins a multi-participant session"},
		{"config_id", "a configuration saved in the dashboard; steps then replace its steps of the same key"},
		{"scheduleStartTime", "when the session opens, RFC 3339, e.g. 2024-06-20T07:33:00Z"},
		{"scheduleEndTime", "when the session closes, RFC 3339, after the start"},
	}
	var props []widget.Prop
	for _, f := range fields {
		name, help := f.name, f.doc
		p := widget.Prop{
			Label: name, Kind: widget.PropText, Path: "/" + name,
			Value: func() string { return widget.TextValue(s, doc.Config.Get(name)) },
			Text:  func() string { return doc.Config.String(name) },
			Hint:  func() string { return help + "; empty removes it" },
			SetText: func(v string) error {
				v = strings.TrimSpace(v)
				return doc.Edit("set "+name, func(cfg *flow.Config) error { cfg.SetString(name, v); return nil })
			},
		}
		if strings.HasPrefix(name, "schedule") {
			p.Validate = func(v string) string { return checkScheduleInput(doc.Config, name, v) }
		}
		props = append(props, p)
	}
	return props
}

// checkScheduleInput checks an RFC 3339 time and its order with the other
// end of the schedule.
func checkScheduleInput(c *flow.Config, name, v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return "not an RFC 3339 time, e.g. 2024-06-20T07:33:00Z"
	}
	other := "scheduleEndTime"
	if name == "scheduleEndTime" {
		other = "scheduleStartTime"
	}
	ot, err := time.Parse(time.RFC3339, c.String(other))
	if err != nil {
		return ""
	}
	if (name == "scheduleStartTime" && !ot.After(t)) || (name == "scheduleEndTime" && !t.After(ot)) {
		return fmt.Sprintf("the end must be after the start (%s is %s)", other, c.String(other))
	}
	return ""
}
