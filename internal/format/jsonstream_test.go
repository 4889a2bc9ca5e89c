package format

import (
	"bytes"
	"strings"
	"testing"
	"testing/iotest"
)

// streamCorpus is valid JSON with the shapes that decide tidwall/pretty's
// layout: containers that just fit in 80 columns and just do not, empty
// ones, first array items (whose column pretty counts one further), deep
// nesting, escapes and what a terminal must not get raw.
var streamCorpus = []string{
	`{}`, `[]`, `{"a":1}`, `[1,2,{"a":[]}]`, `"x"`, `1`, `-0.5e+10`, `true`, `null`,
	`{"a":{"b":{}}, "c":[1,2,3]}`,
	`[{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa":1,"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb":2}]`,
	"  [ 1 , 2 ]  \r\n",
	`{"s":"a\"b\\c\u0041\n","t":"\u001b[31m"}`,
	"{\"a\":\"\u009b\x7f\u202e\",\"b\":\"caf\xe9\",\"c\":\"\u2028\"}",
	`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`,
	`{"k":"` + strings.Repeat("x", 66) + `"}`,
	`{"k":"` + strings.Repeat("x", 67) + `"}`,
	`{"k":"` + strings.Repeat("x", 68) + `"}`,
	`[[` + strings.Repeat("1,", 37) + `1]]`,
	`[[` + strings.Repeat("1,", 38) + `1]]`,
	`{"a":[` + strings.Repeat("12,", 22) + `1],"b":{"c":{"d":[true,false,null,"` + strings.Repeat("é", 20) + `"]}}}`,
	`{"items":[{"id":1,"name":"one","tags":["a","b"]},{"id":2,"name":"two","tags":[]},{"id":3,"name":"three","nested":{"deep":{"deeper":{"deepest":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24]}}}}]}`,
	strings.Repeat("[", 64) + strings.Repeat("]", 64),
	"[\"\u65e5\u672c\u8a9e\", \"\U0001F600\", {\"\u202e\": \"\\ud83d\\ude00\"}]",
}

func streamOptions() []Options {
	var all []Options
	for o := 0; o < 8; o++ {
		all = append(all, Options{Terminal: o&1 != 0, Pretty: o&2 != 0, Color: o&4 != 0})
	}
	return all
}

// wholeDoc is what jsonDoc prints for one valid document.
func wholeDoc(t testing.TB, doc []byte, opts Options) []byte {
	t.Helper()
	var want bytes.Buffer
	p := New(&want, opts)
	p.jsonDoc(doc, checkJSON(doc, opts.Terminal))
	if p.err != nil {
		t.Fatal(p.err)
	}
	return want.Bytes()
}

// streamDoc is what a jsonStream prints for doc, read a byte at a time
// when oneByte is set.
func streamDoc(t testing.TB, doc []byte, opts Options, oneByte bool) ([]byte, error) {
	t.Helper()
	var got bytes.Buffer
	var r = bytes.NewReader(doc)
	s := newJSONStream(r, &got, opts)
	if oneByte {
		s = newJSONStream(iotest.OneByteReader(r), &got, opts)
	}
	err := s.Documents()
	return got.Bytes(), err
}

func TestJSONStreamMatchesWholeDocument(t *testing.T) {
	for _, doc := range streamCorpus {
		info := checkJSON([]byte(doc), false)
		if !info.valid || info.depth > maxPrettyDepth {
			t.Fatalf("corpus document is not valid or too deep: %q", doc)
		}
		for _, opts := range streamOptions() {
			want := wholeDoc(t, []byte(doc), opts)
			for _, oneByte := range []bool{false, true} {
				got, err := streamDoc(t, []byte(doc), opts, oneByte)
				if err != nil {
					t.Fatalf("%q %+v: %v", doc, opts, err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%q %+v oneByte=%v:\n got %q\nwant %q", doc, opts, oneByte, got, want)
				}
			}
		}
	}
}

func TestJSONStreamInvalid(t *testing.T) {
	for _, doc := range []string{`{`, `[1,]`, `{"a" 1}`, `{"a":}`, `tru`, `01`, `-`, `1.`, `"\x"`, "\"a\x01\"", `[1 2]`, `{1:2}`} {
		_, err := streamDoc(t, []byte(doc), Options{Pretty: true}, false)
		if err != errInvalidJSON {
			t.Errorf("%q: got %v, want errInvalidJSON", doc, err)
		}
	}
}

func TestJSONStreamNDJSON(t *testing.T) {
	body := "{\"a\":1}\n[2]\n\n\"x\"\n"
	for _, opts := range streamOptions() {
		var want bytes.Buffer
		for _, line := range []string{`{"a":1}`, `[2]`, `"x"`} {
			want.Write(wholeDoc(t, []byte(line), opts))
		}
		got, err := streamDoc(t, []byte(body), opts, false)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%+v:\n got %q\nwant %q", opts, got, want.Bytes())
		}
	}
}

func FuzzJSONStream(f *testing.F) {
	for _, doc := range streamCorpus {
		f.Add([]byte(doc), uint8(7))
		f.Add([]byte(doc), uint8(2))
	}
	f.Fuzz(func(t *testing.T, doc []byte, o uint8) {
		opts := Options{Terminal: o&1 != 0, Pretty: o&2 != 0, Color: o&4 != 0}
		got, err := streamDoc(t, doc, opts, o&8 != 0)
		if opts.Terminal {
			assertTerminalSafe(t, string(got), opts.Color)
		}
		info := checkJSON(doc, false)
		if !info.valid || info.depth > maxPrettyDepth {
			return
		}
		if err != nil {
			t.Fatalf("valid %q: %v", doc, err)
		}
		if want := wholeDoc(t, doc, opts); !bytes.Equal(got, want) {
			t.Fatalf("%q %+v:\n got %q\nwant %q", doc, opts, got, want)
		}
	})
}
