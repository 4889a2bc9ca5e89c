package format

import (
	"encoding/json"
	"testing"

	"github.com/tidwall/pretty"
)

// colorDocs are valid JSON documents with every kind of token, compact
// and spaced.
var colorDocs = []string{
	`{}`, `[]`, `0`, `-1.5e+10`, `true`, `false`, `null`, `""`, `"plain"`,
	`{"a":1,"b":[true,false,null],"c":{"d":"e"}}`,
	`{"esc":"a\"b\\c\/d\b\f\n\r\t","u":"\u00e9\ud83d\ude00x","k\"ey":"\\"}`,
	`{"\\":"\\\\","\u0041":"\"\""}`,
	`[1,-2,3.25,4e5,"s",[],{},[[]],{"a":{}}]`,
	"{\n  \"a\" : [ 1 ,\t2 ],\r\n  \"b\": \"Zürich 日本\"\n}\n",
	`[{"id":1,"tags":["x","y"],"parent":null},{"id":2,"note":"line\nline"}]`,
}

// TestAppendColorMatchesPretty checks appendColor writes what pretty.Color
// writes, on documents as they come and pretty-printed.
func TestAppendColorMatchesPretty(t *testing.T) {
	for _, doc := range colorDocs {
		for _, src := range [][]byte{[]byte(doc), pretty.Pretty([]byte(doc))} {
			want := pretty.Color(src, pretty.TerminalStyle)
			if got := appendColor(nil, src, pretty.TerminalStyle); string(got) != string(want) {
				t.Errorf("appendColor(%q)\n got %q\nwant %q", src, got, want)
			}
		}
	}
	big := pretty.Pretty(bigJSON())
	if got, want := appendColor([]byte("kept:"), big, pretty.TerminalStyle), pretty.Color(big, pretty.TerminalStyle); string(got[5:]) != string(want) || string(got[:5]) != "kept:" {
		t.Error("appendColor differs from pretty.Color on the 10 MiB document, or lost what dst held")
	}
}

func FuzzAppendColor(f *testing.F) {
	for _, doc := range colorDocs {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		if !json.Valid([]byte(doc)) {
			return
		}
		for _, src := range [][]byte{[]byte(doc), pretty.Pretty([]byte(doc))} {
			want := pretty.Color(src, pretty.TerminalStyle)
			if got := appendColor(nil, src, pretty.TerminalStyle); string(got) != string(want) {
				t.Fatalf("appendColor(%q)\n got %q\nwant %q", src, got, want)
			}
		}
	})
}
