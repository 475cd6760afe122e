package sandbox

import (
	"regexp"
	"strings"
	"testing"
)

// Every class the page templates give an element has a rule in the
// pages' style: a class without one is a part left looking like body
// text.
func TestEveryTemplateClassIsStyled(t *testing.T) {
	for _, m := range regexp.MustCompile(`class="([^"{]*)"`).FindAllStringSubmatch(asset("pages.html"), -1) {
		for _, class := range strings.Fields(m[1]) {
			if !regexp.MustCompile(`\.` + regexp.QuoteMeta(class) + `\b`).MatchString(pageStyle) {
				t.Errorf("class %q has no rule in page.css", class)
			}
		}
	}
}

// The mark of a flow text shown in another language is muted on the page,
// but inside a button it takes the button's own color: the page's muted
// grey on the button's blue could not be read.
func TestFallbackMarkInAButtonTakesItsColor(t *testing.T) {
	rule := regexp.MustCompile(`(?m)^button \.fallback\{([^}]*)\}`).FindStringSubmatch(pageStyle)
	if rule == nil || !strings.Contains(rule[1], "color:inherit") {
		t.Errorf("no rule giving a button's fallback mark the button's color: %v", rule)
	}
}
