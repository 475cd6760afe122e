package flow

import (
	"strings"
	"unicode"

	"github.com/gosimple/unidecode"
)

// maxSlugLen bounds a key suggested from a long title; it is cut at a word
// boundary.
const maxSlugLen = 48

// Slug turns a title into an ASCII key: lower-case letters and digits,
// words joined by '-'. Georgian, Armenian, Cyrillic, Greek and Latin with
// diacritics are transliterated (დანაზოგი → danazogi, Сбережения →
// sberezheniia, Économies → economies); apostrophes vanish rather than
// split a word. It returns "" when nothing is left to make a key of
// (punctuation only, emoji).
func Slug(title string) string {
	ascii := unidecode.Unidecode(transliterate(strings.ToLower(title)))
	var b strings.Builder
	b.Grow(len(ascii))
	dash := false
	for i := 0; i < len(ascii); i++ {
		c := ascii[i]
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
			fallthrough
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteByte(c)
			dash = false
		case c == '\'' || c == '`':
			// Georgian and Armenian aspiration marks, Cyrillic soft and
			// hard signs, elisions (l'étranger): part of the word.
		default:
			dash = true
		}
	}
	s := b.String()
	if len(s) > maxSlugLen {
		s = s[:maxSlugLen]
		if i := strings.LastIndexByte(s, '-'); i > 0 {
			s = s[:i]
		}
	}
	return s
}

// SuggestKey suggests a key for an item titled title: its Slug, or
// fallback+"-1" when the title gives none, made unique against taken with
// -2, -3, ... ("option" gives option-1, option-2, ...).
func SuggestKey(title, fallback string, taken map[string]bool) string {
	base := Slug(title)
	if base == "" {
		base = fallback + "-1"
	}
	return uniqueName(base, taken)
}

// transliterate romanizes the scripts a general-purpose table gets wrong:
// Georgian by the national system (2002) without its apostrophes, Armenian
// with ու as u and word-initial ո, ե as vo, ye (as in Yerevan), and
// Azerbaijani ə. Other text is left for unidecode. s is lower case.
func transliterate(s string) string {
	if !strings.ContainsFunc(s, needsOwnTable) {
		return s
	}
	runes := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	wordStart := true
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		next := rune(0)
		if i+1 < len(runes) {
			next = runes[i+1]
		}
		switch {
		case r >= 0x10D0 && r <= 0x10FA:
			b.WriteString(georgian[r-0x10D0])
		case r == 'ո' && next == 'ւ':
			b.WriteByte('u')
			i++
		case r == 'ո' && wordStart:
			b.WriteString("vo")
		case r == 'ե' && wordStart:
			b.WriteString("ye")
		case r == 'և':
			if wordStart {
				b.WriteString("yev")
			} else {
				b.WriteString("ev")
			}
		case r >= 0x0561 && r <= 0x0586:
			b.WriteString(armenian[r-0x0561])
		case r == 'ə':
			b.WriteByte('e')
		default:
			b.WriteRune(r)
		}
		wordStart = !isWordRune(r)
	}
	return b.String()
}

func needsOwnTable(r rune) bool {
	return (r >= 0x10D0 && r <= 0x10FA) || (r >= 0x0561 && r <= 0x0587) || r == 'ə'
}

// isWordRune reports whether r continues a word, for the word-initial rules.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// georgian romanizes Mkhedruli ა (U+10D0) to ჺ (U+10FA); the archaic
// letters take their usual values.
var georgian = [...]string{
	"a", "b", "g", "d", "e", "v", "z", "t", "i", "k", "l", "m", "n", "o", "p", "zh", // ა–ჟ
	"r", "s", "t", "u", "p", "k", "gh", "q", "sh", "ch", "ts", "dz", "ts", "ch", "kh", "j", // რ–ჯ
	"h", "e", "y", "w", "q", "o", "f", "", "", "", "", // ჰ–ჺ
}

// armenian romanizes ա (U+0561) to ֆ (U+0586).
var armenian = [...]string{
	"a", "b", "g", "d", "e", "z", "e", "y", "t", "zh", "i", "l", "kh", "ts", "k", "h", // ա–հ
	"dz", "gh", "ch", "m", "y", "n", "sh", "o", "ch", "p", "j", "r", "s", "v", "t", "r", // ձ–ր
	"ts", "v", "p", "k", "o", "f", // ց–ֆ
}
