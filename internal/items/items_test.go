package items

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		word  string
		kind  Kind
		name  string
		value string
	}{
		// Headers.
		{"Accept:application/json", Header, "Accept", "application/json"},
		{"X-Api-Key:abc", Header, "X-Api-Key", "abc"},
		{"Authorization:Bearer a:b=c", Header, "Authorization", "Bearer a:b=c"},
		{"X-A: spaced value \t", Header, "X-A", "spaced value"},
		{"X-A:a\tb", Header, "X-A", "a\tb"},
		{"X-A:héllo", Header, "X-A", "héllo"},
		{"X-A:@file", Header, "X-A", "@file"},
		{"Host:example.com:8080", Header, "Host", "example.com:8080"},
		{"http://x", Header, "http", "//x"},
		{"!#$%&'*+-.^_`|~09az:v", Header, "!#$%&'*+-.^_`|~09az", "v"},
		{`X-A:a\:b`, Header, "X-A", "a:b"},
		{`X-A:C:\dir`, Header, "X-A", `C:\dir`},
		{"User-Agent:", HeaderRemove, "User-Agent", ""},
		{"User-Agent:  ", HeaderRemove, "User-Agent", ""},
		// Query.
		{"a==1", Query, "a", "1"},
		{"url==http://x", Query, "url", "http://x"},
		{"q==a=b==c", Query, "q", "a=b==c"},
		{"empty==", Query, "empty", ""},
		{"a===b", Query, "a", "=b"},
		{"e==@x", Query, "e", "@x"},
		{`a\=b==c`, Query, "a=b", "c"},
		// Fields.
		{"name=reqsh", Field, "name", "reqsh"},
		{"name=a=b", Field, "name", "a=b"},
		{"name=", Field, "name", ""},
		{"name=a b", Field, "name", "a b"},
		{"name=:x", Field, "name", ":x"},
		{`a\:b=c`, Field, "a:b", "c"},
		{`x\==y`, Field, "x=", "y"},
		{`x\@y=z`, Field, "x@y", "z"},
		{`a\b=c`, Field, `a\b`, "c"},
		{`a\\=c`, Field, `a\\`, "c"},
		{`a=b\`, Field, "a", `b\`},
		{`a=b\=c\n`, Field, "a", `b=c\n`},
		{`p=C:\\x`, Field, "p", `C:\\x`},
		// Raw JSON.
		{"n:=1", RawJSON, "n", "1"},
		{"ok:=true", RawJSON, "ok", "true"},
		{"nil:=null", RawJSON, "nil", "null"},
		{`tags:=["a","b"]`, RawJSON, "tags", `["a","b"]`},
		{`o:={"a": {"b": [1, 2]}}`, RawJSON, "o", `{"a": {"b": [1, 2]}}`},
		{`s:="x:=y"`, RawJSON, "s", `"x:=y"`},
		{`s:="a\\b"`, RawJSON, "s", `"a\\b"`},
		{`s:="a\"b"`, RawJSON, "s", `"a\"b"`},
		{`s:="a\:b"`, RawJSON, "s", `"a:b"`},
		{`a\:=1=x`, Field, "a:", "1=x"},
		// Files.
		{"f=@/tmp/x.txt", FieldFile, "f", "/tmp/x.txt"},
		{"j:=@/tmp/x.json", RawJSONFile, "j", "/tmp/x.json"},
		{"file@/tmp/x", Upload, "file", "/tmp/x"},
		{"file@a b.png", Upload, "file", "a b.png"},
		{`file@a\@b`, Upload, "file", "a@b"},
		{"file@x@y", Upload, "file", "x@y"},
		{"@/tmp/body.json", BodyFile, "", "/tmp/body.json"},
		{"@a=b", BodyFile, "", "a=b"},
		{`@C:\x`, BodyFile, "", `C:\x`},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			got, err := Parse(tt.word)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.word, err)
			}
			want := Item{Kind: tt.kind, Name: tt.name, Value: tt.value, Raw: tt.word}
			if got != want {
				t.Errorf("Parse(%q) = %+v, want %+v", tt.word, got, want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		word string
		err  string
	}{
		{"", `not a request item: "" (want Name:Value, name==value, field=value, field:=json, field@file)`},
		{"foo", `not a request item: "foo" (want Name:Value, name==value, field=value, field:=json, field@file)`},
		{`a\:b`, `not a request item: "a\\:b" (want Name:Value, name==value, field=value, field:=json, field@file)`},
		{`\=\@`, `not a request item: "\\=\\@" (want Name:Value, name==value, field=value, field:=json, field@file)`},
		{":x", `empty header name in ":x"`},
		{":", `empty header name in ":"`},
		{"=x", `empty field name in "=x"`},
		{"=", `empty field name in "="`},
		{"==x", `empty query parameter name in "==x"`},
		{":=1", `empty field name in ":=1"`},
		{"=@f", `empty field name in "=@f"`},
		{":=@f", `empty field name in ":=@f"`},
		{"@", `empty file path in "@"`},
		{"f@", `field "f": empty file path in "f@"`},
		{"f=@", `field "f": empty file path in "f=@"`},
		{"f:=@", `field "f": empty file path in "f:=@"`},
		{"a b:c", `invalid header name "a b"`},
		{`user\@host:v`, `invalid header name "user@host"`},
		{"a/b:c", `invalid header name "a/b"`},
		{"é:c", `invalid header name "é"`},
		{"a b:", `invalid header name "a b"`},
		{"X:a\r\nEvil: 1", `header "X": invalid value "a\r\nEvil: 1" (control character)`},
		{"X:a\x00", `header "X": invalid value "a\x00" (control character)`},
		{"X:\x7f", `header "X": invalid value "\x7f" (control character)`},
		{"a:=b", `field "a": invalid JSON "b"`},
		{"n:=[1,", `field "n": invalid JSON "[1,"`},
		{"n:=", `field "n": invalid JSON ""`},
		{"X-A:=", `field "X-A": invalid JSON ""`},
		{"n:={'a':1}", `field "n": invalid JSON "{'a':1}"`},
		{"n:=1 2", `field "n": invalid JSON "1 2"`},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			got, err := Parse(tt.word)
			if err == nil {
				t.Fatalf("Parse(%q) = %+v, want error %q", tt.word, got, tt.err)
			}
			if err.Error() != tt.err {
				t.Errorf("Parse(%q) error %q, want %q", tt.word, err.Error(), tt.err)
			}
			if got != (Item{}) {
				t.Errorf("Parse(%q) returned %+v with the error", tt.word, got)
			}
		})
	}
}

func TestKindString(t *testing.T) {
	tests := map[Kind]string{
		Header:       "header",
		HeaderRemove: "header removal",
		Query:        "query parameter",
		Field:        "field",
		RawJSON:      "raw JSON field",
		FieldFile:    "field from file",
		RawJSONFile:  "raw JSON field from file",
		Upload:       "file upload",
		BodyFile:     "body from file",
		0:            "Kind(0)",
		-1:           "Kind(-1)",
		99:           "Kind(99)",
	}
	for k, want := range tests {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}

func mustParse(t *testing.T, words ...string) []Item {
	t.Helper()
	var its []Item
	for _, w := range words {
		it, err := Parse(w)
		if err != nil {
			t.Fatalf("Parse(%q): %v", w, err)
		}
		its = append(its, it)
	}
	return its
}

func TestJSONBody(t *testing.T) {
	tests := []struct {
		name  string
		words []string
		want  string
	}{
		{"none", nil, `{}`},
		{"only other kinds", []string{"X-A:1", "a==1", "f@x", "@body", "g=@x", "h:=@x", "Accept:"}, `{}`},
		{"string", []string{"name=reqsh"}, `{"name":"reqsh"}`},
		{"empty string", []string{"name="}, `{"name":""}`},
		{"order kept", []string{"z=1", "a:=2", "m=3"}, `{"z":"1","a":2,"m":"3"}`},
		{"mixed with others", []string{"X-A:1", "b=x", "q==1", "a:=true"}, `{"b":"x","a":true}`},
		{"replacement keeps first place", []string{"a=1", "b=2", "a:=3"}, `{"a":3,"b":"2"}`},
		{"replacement by string", []string{"a:=[1]", "b=2", "a=x"}, `{"a":"x","b":"2"}`},
		{"raw compacted", []string{`o:= { "a" : [ 1 , 2 ] ,"b":{ } } `}, `{"o":{"a":[1,2],"b":{}}}`},
		{"raw kinds", []string{"n:=1.5e3", "t:=true", "f:=false", "z:=null", `s:="x"`, "l:=[]"}, `{"n":1.5e3,"t":true,"f":false,"z":null,"s":"x","l":[]}`},
		{"key with quote", []string{`a"b=c`}, `{"a\"b":"c"}`},
		{"key with backslash", []string{`a\b=c`}, `{"a\\b":"c"}`},
		{"escaped separator key", []string{`a\:b=c`, `x\==y`}, `{"a:b":"c","x=":"y"}`},
		{"value escaping", []string{"v=line1\nline2\t\"q\" \\ \x01"}, `{"v":"line1\nline2\t\"q\" \\ \u0001"}`},
		{"no HTML escaping", []string{"h=<a href='x'>&</a>"}, `{"h":"<a href='x'>&</a>"}`},
		{"unicode", []string{"ü=日本"}, `{"ü":"日本"}`},
		{"invalid UTF-8 replaced", []string{"k=\xff"}, `{"k":"\ufffd"}`},
		{"raw string unchanged", []string{`s:="<\u00e9>"`}, `{"s":"<\u00e9>"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := JSONBody(mustParse(t, tt.words...))
			if err != nil {
				t.Fatalf("JSONBody(%q): %v", tt.words, err)
			}
			if string(got) != tt.want {
				t.Errorf("JSONBody(%q) = %s, want %s", tt.words, got, tt.want)
			}
			if !json.Valid(got) {
				t.Errorf("JSONBody(%q) = %s, not valid JSON", tt.words, got)
			}
		})
	}
}

func TestJSONBodyInvalidRaw(t *testing.T) {
	// Items built by hand, not by Parse, can hold invalid JSON.
	_, err := JSONBody([]Item{{Kind: Field, Name: "a", Value: "1"}, {Kind: RawJSON, Name: "n", Value: "[1,"}})
	if err == nil || err.Error() != `field "n": invalid JSON "[1,"` {
		t.Errorf("JSONBody with invalid raw JSON: error %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "foo", ":", "=", "@", "==", ":=", ":=@", "=@", "\\", `\:`, `\\:`,
		"Accept:application/json", "X-Api-Key:abc", "Authorization:Bearer a:b=c",
		"X-A: spaced value \t", "X-A:a\tb", "User-Agent:", "User-Agent:  ",
		"Host:example.com:8080", "http://x", "!#$%&'*+-.^_`|~09az:v", `X-A:a\:b`,
		"a==1", "url==http://x", "q==a=b==c", "empty==", "a===b", "e==@x", `a\=b==c`,
		"name=reqsh", "name=a=b", "name=", `a\:b=c`, `x\==y`, `x\@y=z`, `a\b=c`,
		`a\\=c`, `a=b\`, `a=b\=c\n`, "n:=1", "ok:=true", `tags:=["a","b"]`,
		`o:={"a": {"b": [1, 2]}}`, `s:="a\\b"`, `s:="a\:b"`, `a\:=1=x`,
		"f=@/tmp/x.txt", "j:=@/tmp/x.json", "file@/tmp/x", `file@a\@b`,
		"@/tmp/body.json", "@a=b", ":x", "=x", "==x", ":=1", "=@f", ":=@f",
		"f@", "f=@", "f:=@", "a b:c", `user\@host:v`, "é:c", "X:a\r\nEvil: 1",
		"X:a\x00", "X:\x7f", "a:=b", "n:=[1,", "n:=", "n:=1 2", "k=\xff", "\xff:x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, word string) {
		it, err := Parse(word)
		if err != nil {
			if it != (Item{}) {
				t.Fatalf("Parse(%q) = %+v with error %v", word, it, err)
			}
			if msg := err.Error(); msg == "" || strings.HasSuffix(msg, ".") {
				t.Fatalf("Parse(%q): bad error message %q", word, msg)
			}
			return
		}
		if it.Raw != word {
			t.Fatalf("Parse(%q).Raw = %q", word, it.Raw)
		}
		if (it.Name == "") != (it.Kind == BodyFile) {
			t.Fatalf("Parse(%q) = %+v: name empty only for BodyFile", word, it)
		}
		switch it.Kind {
		case Header, HeaderRemove:
			if !validToken(it.Name) {
				t.Fatalf("Parse(%q) = %+v: header name not a token", word, it)
			}
			if it.Value != strings.Trim(it.Value, " \t") || !validHeaderValue(it.Value) {
				t.Fatalf("Parse(%q) = %+v: bad header value", word, it)
			}
			if (it.Value == "") != (it.Kind == HeaderRemove) {
				t.Fatalf("Parse(%q) = %+v: empty value only for HeaderRemove", word, it)
			}
		case RawJSON:
			if !json.Valid([]byte(it.Value)) {
				t.Fatalf("Parse(%q) = %+v: invalid JSON value", word, it)
			}
		case FieldFile, RawJSONFile, Upload, BodyFile:
			if it.Value == "" {
				t.Fatalf("Parse(%q) = %+v: empty path", word, it)
			}
		case Query, Field:
		default:
			t.Fatalf("Parse(%q) = %+v: unknown kind", word, it)
		}
		// Escapes only ever shorten a word.
		if len(it.Name)+len(it.Value) > len(word) {
			t.Fatalf("Parse(%q) = %+v: longer than the word", word, it)
		}
		if body, err := JSONBody([]Item{it}); err != nil || !json.Valid(body) {
			t.Fatalf("JSONBody(%+v) = %s, %v", it, body, err)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	words := []string{"X-Api-Key:abc", "a==1", "name=reqsh", "n:=1", `tags:=["a","b"]`, `a\:b=c`, "file@/tmp/x"}
	b.ReportAllocs()
	for b.Loop() {
		for _, w := range words {
			if _, err := Parse(w); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkJSONBody(b *testing.B) {
	var its []Item
	for _, w := range []string{"name=reqsh", "n:=1", `tags:=["a", "b"]`, "ok:=true", `msg=say "hi"`} {
		it, err := Parse(w)
		if err != nil {
			b.Fatal(err)
		}
		its = append(its, it)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := JSONBody(its); err != nil {
			b.Fatal(err)
		}
	}
}
