package format

import (
	"encoding/json"
	"strings"
	"testing"
)

var jsonSamples = []string{
	``, ` `, `{}`, `[]`, ` { } `, "\t[\r\n]\n", `{"a":1}`, `{"a":1,}`, `{"a" 1}`, `{"a":}`, `{1:2}`,
	`{"a":1 "b":2}`, `[1,]`, `[,1]`, `[1 2]`, `[1,[2,[3,{"x":[]}]]]`, `[}`, `{]`, `[[]`, `[]]`, `]`,
	`"x"`, `"`, `"\"`, `"\\"`, `"\/\b\f\n\r\t"`, `"\u00e9\uD83D\uDE00"`, `"\u00e"`, `"\u00eg"`, `"\x"`,
	"\"a\tb\"", "\"a\x00b\"", "\"a\x1fb\"", "\"a\x7fb\"", "\"caf\xe9\"", "\"\u009b\"", "\"\u202e\"",
	`0`, `-0`, `01`, `-`, `-a`, `1.`, `1.5`, `.5`, `1e`, `1e+`, `1e5`, `1E-5`, `1.5e+10`, `-12.0e0`, `1x`,
	`true`, `tru`, `truex`, `false`, `null`, `nul`, `NaN`, `Infinity`, `1 2`, `{} {}`, "\xef\xbb\xbf{}",
	"{\"a\":[1,2,{\"b\":null}]}\r\n", `[true,false,null,"s",1.5,{"k":"v"}]`,
	strings.Repeat("[", 10000) + strings.Repeat("]", 10000),
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
}

func TestCheckJSON(t *testing.T) {
	t.Parallel()
	for _, s := range jsonSamples {
		if got, want := checkJSON([]byte(s), false).valid, json.Valid([]byte(s)); got != want {
			t.Errorf("checkJSON(%.40q).valid = %v, json.Valid = %v", s, got, want)
		}
	}
	tests := []struct {
		doc   string
		depth int
		fix   bool
	}{
		{`1`, 0, false},
		{`[]`, 1, false},
		{`{"a":[{"b":[]}],"c":[]}`, 4, false},
		{`{"a":"[[[[{{{{\"]]"}`, 1, false},
		{`["é日本\u009b\u202e\u007f"]`, 1, false}, // escapes are safe
		{"[\"a\x7f\"]", 1, true},
		{"[\"a\u009b\"]", 1, true},
		{"[\"a\u2067\"]", 1, true},
		{"[\"a\xff\"]", 1, true},
		{"[1,\r\n2]", 1, true},
		{"[\"\\\"\x7f\"]", 1, true},
	}
	for _, tt := range tests {
		info := checkJSON([]byte(tt.doc), true)
		if !info.valid || info.depth != tt.depth || info.fix != tt.fix {
			t.Errorf("checkJSON(%q, true) = %+v, want depth %d, fix %v", tt.doc, info, tt.depth, tt.fix)
		}
		if info := checkJSON([]byte(tt.doc), false); info.fix {
			t.Errorf("checkJSON(%q, false) wants a fix", tt.doc)
		}
	}
}

// FuzzCheckJSON checks that checkJSON agrees with json.Valid, and that
// appendTerminalJSON keeps a document valid and leaves nothing to fix.
func FuzzCheckJSON(f *testing.F) {
	for _, s := range jsonSamples[:len(jsonSamples)-2] {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		info := checkJSON(b, true)
		if want := json.Valid(b); info.valid != want {
			t.Fatalf("checkJSON(%q).valid = %v, json.Valid = %v", b, info.valid, want)
		}
		if !info.valid {
			return
		}
		if plain := checkJSON(b, false); plain.depth != info.depth || !plain.valid {
			t.Fatalf("checkJSON(%q, false) = %+v, with terminal %+v", b, plain, info)
		}
		fixed := appendTerminalJSON(nil, b)
		if !info.fix && string(fixed) != string(b) {
			t.Fatalf("%q changed to %q with nothing to fix", b, fixed)
		}
		again := checkJSON(fixed, true)
		if !again.valid || again.fix || again.depth != info.depth {
			t.Fatalf("%q fixed to %q: %+v", b, fixed, again)
		}
	})
}
