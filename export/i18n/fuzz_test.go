package i18n

import (
	"bytes"
	"testing"
)

// FuzzRead: no file, however malformed, makes a reader panic; what the
// XLIFF and PO readers accept they write back and read again unchanged.
func FuzzRead(f *testing.F) {
	tf := translatedTricky(&testing.T{})
	for _, format := range Formats() {
		var b bytes.Buffer
		if err := Write(&b, tf, format); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	f.Add([]byte("msgid \"a\"\nmsgstr \"\\x41\\101\"\n\nmsgctxt \"/x\"\nmsgid \"b\"\nmsgstr \"c\"\n"))
	f.Add([]byte(`<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="ru"><file id="f"><group id="g"><unit id="a"><segment><source>x<cp hex="D800"/></source><target><mrk id="m">y</mrk></target></segment></unit></group></file></xliff>`))
	f.Add([]byte("id,source:en,target:ru\r\n/a,\"x\r\ny\",z\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, format := range Formats() {
			got, err := Read(data, format)
			if err != nil || format == CSV {
				continue
			}
			var b bytes.Buffer
			if err := Write(&b, got, format); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			again, err := Read(b.Bytes(), format)
			if err != nil {
				t.Fatalf("%s: reading what was written: %v\n%s", format, err, b.Bytes())
			}
			if len(again.Units) != len(got.Units) {
				t.Fatalf("%s: %d units, then %d", format, len(got.Units), len(again.Units))
			}
			for i, u := range again.Units {
				if w := got.Units[i]; u.ID != w.ID || u.Source != w.Source || u.Target != w.Target {
					t.Fatalf("%s: unit %d read back as %+v, want %+v\n%s", format, i, u, w, b.Bytes())
				}
			}
		}
	})
}
