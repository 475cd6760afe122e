package flow

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Country is one ISO 3166-1 country.
type Country struct {
	Alpha3 string
	Alpha2 string
	Name   string
}

// Codes that CLDR knows as regions but ISO 3166-1 only reserves
// (Ascension, Clipperton, Diego Garcia, Tristan da Cunha): not issuers.
var reservedRegions = map[string]bool{"AC": true, "CP": true, "DG": true, "TA": true}

// Countries returns every ISO 3166-1 country, sorted by name.
func Countries() []Country { return slices.Clone(countries()) }

// countries derives the list from golang.org/x/text once; it is read-only.
var countries = sync.OnceValue(func() []Country {
	names := display.English.Regions()
	var out []Country
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			r, err := language.ParseRegion(code)
			if err != nil || r.String() != code || reservedRegions[code] || !isISOCountry(r) {
				continue
			}
			out = append(out, Country{Alpha3: r.ISO3(), Alpha2: code, Name: names.Name(r)})
		}
	}
	// Kosovo has no ISO code, but XKX (alpha-2 XK), from the range ISO
	// leaves to users, is what its documents and the EU use.
	kosovo := language.MustParseRegion("XK")
	out = append(out, Country{Alpha3: "XKX", Alpha2: "XK", Name: cmp.Or(names.Name(kosovo), "Kosovo")})
	// By name as people read it: Åland Islands with the A's, not after Z.
	order := collate.New(language.English)
	sort.SliceStable(out, func(i, j int) bool { return order.CompareString(out[i].Name, out[j].Name) < 0 })
	return out
})

func isISOCountry(r language.Region) bool {
	return r.IsCountry() && !r.IsPrivateUse() && r.Canonicalize() == r &&
		r.ISO3() != "ZZZ" && display.English.Regions().Name(r) != ""
}

var alpha3Index = sync.OnceValue(func() map[string]Country {
	m := make(map[string]Country)
	for _, c := range countries() {
		m[c.Alpha3] = c
	}
	return m
})

// LookupCountry returns the country with an exact upper-case alpha-3 code.
func LookupCountry(alpha3 string) (Country, bool) {
	c, ok := alpha3Index()[alpha3]
	return c, ok
}

var alpha2Index = sync.OnceValue(func() map[string]Country {
	m := make(map[string]Country)
	for _, c := range countries() {
		m[c.Alpha2] = c
	}
	return m
})

// withdrawnCountries are ISO 3166-1 alpha-3 codes of countries that no
// longer exist and have several successors, with what to use instead.
var withdrawnCountries = map[string]string{
	"SUN": `the Soviet Union, which no longer exists; use the code of the country that issues the document today, such as "RUS", "UKR", "GEO" or "KAZ"`,
	"YUG": `Yugoslavia, which no longer exists; use the code of the country that issues the document today, such as "SRB", "HRV", "SVN", "BIH", "MNE" or "MKD"`,
	"SCG": `Serbia and Montenegro, which no longer exists; use "SRB" or "MNE"`,
	"CSK": `Czechoslovakia, which no longer exists; use "CZE" or "SVK"`,
	"ANT": `the Netherlands Antilles, which no longer exist; use "CUW" (Curaçao), "SXM" (Sint Maarten) or "BES" (Caribbean Netherlands)`,
}

// isUserAssigned reports whether an upper-case alpha-3 code is one ISO
// leaves to users (AAA, QMA–QZZ, XAA–XZZ, ZZZ), which names no country.
func isUserAssigned(code string) bool {
	if len(code) != 3 || strings.Trim(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return false
	}
	return code == "AAA" || code == "ZZZ" || code[0] == 'X' || (code[0] == 'Q' && code[1] >= 'M')
}

// countryHint explains why code is not an alpha-3 country and what was
// probably meant; meant is that country's alpha-3 code when there is one.
func countryHint(code string) (hint, meant string) {
	use := func(how string, c Country) (string, string) {
		return how + "\"" + c.Alpha3 + "\" (" + c.Name + ")", c.Alpha3
	}
	upper := strings.ToUpper(code)
	if c, ok := LookupCountry(upper); ok {
		return use("country codes are upper case: use ", c)
	}
	if c, ok := alpha2Index()[upper]; ok && len(code) == 2 {
		return use("this is an alpha-2 code; use the alpha-3 code ", c)
	}
	if what, ok := withdrawnCountries[upper]; ok {
		return "it was withdrawn: it stood for " + what, ""
	}
	if isUserAssigned(upper) {
		return "it is a user-assigned code, which names no country (of those only \"XKX\", Kosovo, is accepted); use an ISO 3166-1 alpha-3 code such as \"USA\", \"DEU\" or \"ITA\"", ""
	}
	if r, err := language.ParseRegion(code); err == nil {
		if canon := r.Canonicalize(); isISOCountry(canon) && !reservedRegions[canon.String()] {
			c := alpha3Index()[canon.ISO3()]
			switch {
			case strings.Trim(code, "0123456789") == "":
				// ParseRegion also reads UN M.49 / ISO numeric codes such as "840".
				return use("this is a numeric code; use the alpha-3 code ", c)
			case len(code) == 3:
				return use("this code is no longer in use; use ", c)
			}
		}
	}
	if upper == "UK" {
		return "use \"GBR\" (United Kingdom)", "GBR"
	}
	return "use an ISO 3166-1 alpha-3 code such as \"USA\", \"DEU\" or \"ITA\"", ""
}
