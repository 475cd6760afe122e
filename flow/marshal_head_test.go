package flow

import (
	"bytes"
	"os"
	"testing"
)

// firstLines is the first n lines of text, line ends included.
func firstLines(text []byte, n int) []byte {
	end := 0
	for range n {
		i := bytes.IndexByte(text[end:], '\n')
		if i < 0 {
			return text
		}
		end += i + 1
	}
	return text[:end]
}

func TestMarshalHeadIsTheFirstLinesOfMarshal(t *testing.T) {
	docs := [][]byte{[]byte(`{}`), []byte(`[]`), []byte(`"x"`), []byte(`{"a":[],"b":{},"c":[{"d":"\u2028\n"}]}`)}
	for _, name := range testdataFiles(t) {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, data)
	}
	for _, data := range docs {
		v, err := ParseValue(data)
		if err != nil {
			continue
		}
		full := Marshal(v)
		lines := bytes.Count(full, []byte("\n"))
		for n := range lines + 3 {
			if got, want := MarshalHead(v, n), firstLines(full, n); !bytes.Equal(got, want) {
				t.Fatalf("MarshalHead(%d) of %s:\n%q\nwant\n%q", n, data, got, want)
			}
		}
	}
}

// The head of a large flow costs what it shows.
func TestMarshalHeadWritesOnlyTheHead(t *testing.T) {
	v, err := ParseValue(generateFlow(1000))
	if err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(5, func() { MarshalHead(v, 40) })
	if got := MarshalHead(v, 40); len(got) > 4000 || allocs > 10 {
		t.Fatalf("40 lines of a 1 MB flow: %d bytes, %.0f allocations", len(got), allocs)
	}
}
