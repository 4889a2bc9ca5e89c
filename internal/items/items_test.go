package items

import (
	"bytes"
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
		{"X-Empty;", HeaderEmpty, "X-Empty", ""},
		{`X-A:a\;b`, Header, "X-A", "a;b"},
		{"X-A:a;b", Header, "X-A", "a;b"},
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
		{`a\;b=c`, Field, "a;b", "c"},
		{"a=b;c", Field, "a", "b;c"},
		{"user[name]=ann", Field, "user[name]", "ann"},
		{`a\[b\]=c`, Field, `a\[b\]`, "c"},
		{"[]:=1", RawJSON, "[]", "1"},
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
		{"file@x;y", Upload, "file", "x;y"},
		{"q==a;b", Query, "q", "a;b"},
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

func TestParseUploadType(t *testing.T) {
	tests := []struct {
		word, path, typ string
	}{
		{"f@photo.jpg", "photo.jpg", ""},
		{"f@photo.jpg;type=image/png", "photo.jpg", "image/png"},
		{`f@photo.jpg\;type=image/png`, "photo.jpg", "image/png"}, // HTTPie unescapes first too
		{"f@n.csv;type=text/plain; charset=latin1", "n.csv", "text/plain; charset=latin1"},
		{"f@x;type=", "x", ""},
		{"f@x;type= a/b ", "x", "a/b"},
		{"f@a;b", "a;b", ""},
		{"f@x;type=a;type=b", "x", "a;type=b"},
	}
	for _, tt := range tests {
		it, err := Parse(tt.word)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.word, err)
			continue
		}
		if it.Kind != Upload || it.Value != tt.path || it.Type != tt.typ {
			t.Errorf("Parse(%q) = %+v, want upload of %q with type %q", tt.word, it, tt.path, tt.typ)
		}
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
		{";", `empty header name in ";"`},
		{";x", `empty header name in ";x"`},
		{"X-A;v", `invalid item "X-A;v": an empty header is written "X-A;"`},
		{"a;b=c", `invalid item "a;b=c": an empty header is written "a;"`},
		{"a b;", `invalid header name "a b"`},
		{"f@;type=image/png", `field "f": empty file path in "f@;type=image/png"`},
		{"f@x;type=a\x01", `upload "f": invalid type "a\x01" (control character)`},
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
		HeaderEmpty:  "empty header",
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
		{"raw number as written", []string{"n:=1.50", "m:=1e3"}, `{"n":1.50,"m":1e3}`},
		{"nested", []string{"user[name]=ann", "user[roles][]=dev", "user[roles][]=ops", "n[0]:=1"},
			`{"user":{"name":"ann","roles":["dev","ops"]},"n":[1]}`},
		{"sparse", []string{"a[3]=x", "a[1]:=true"}, `{"a":[null,true,null,"x"]}`},
		{"top-level array", []string{"[]:=1", "[]:=2", "[][a]=x"}, `[1,2,{"a":"x"}]`},
		{"top-level index", []string{"[2]=x"}, `[null,null,"x"]`},
		{"escaped brackets", []string{`a\[b\]=c`, `x[\1]=y`, `\\=z`}, `{"a[b]":"c","x":{"1":"y"},"\\":"z"}`},
		{"into a raw object", []string{`a:={"k":{"l":1}}`, "a[k][m]=2", "a[n]=3"}, `{"a":{"k":{"l":1,"m":"2"},"n":"3"}}`},
		{"into a raw array", []string{`a:=[1,[2]]`, "a[1][]=3", "a[]=4"}, `{"a":[1,[2,"3"],"4"]}`},
		{"into a null", []string{"a[0]:=null", "a[0][b]=1", "c:=null", "c[]=2"}, `{"a":[{"b":"1"}],"c":["2"]}`},
		{"replaced in place", []string{"a[x]=1", "b=2", "a=3"}, `{"a":"3","b":"2"}`},
		{"number key kept", []string{"007=a", "a[007]=b"}, `{"007":"a","a":[null,null,null,null,null,null,null,"b"]}`},
		{"blank key", []string{"a[ ]=1", "a[b c]=2"}, `{"a":{" ":"1","b c":"2"}}`},
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

func TestJSONBodyErrors(t *testing.T) {
	tests := []struct {
		words []string
		err   string
	}{
		{[]string{"a=1", "a[b]=2"}, `item "a[b]=2": "a" is a string, not an object`},
		{[]string{"a[b]=1", "a[]=2"}, `item "a[]=2": "a" is an object, not an array`},
		{[]string{"a[]=1", "a[x]=2"}, `item "a[x]=2": "a" is an array, not an object`},
		{[]string{"a:=1", "a[0]=2"}, `item "a[0]=2": "a" is a number, not an array`},
		{[]string{"a:=true", "a[0]=2"}, `item "a[0]=2": "a" is a boolean, not an array`},
		{[]string{`a:="s"`, "a[k]=2"}, `item "a[k]=2": "a" is a string, not an object`},
		{[]string{"a[b][c]=1", "a[b][c][d]=2"}, `item "a[b][c][d]=2": "a[b][c]" is a string, not an object`},
		{[]string{"a=1", "[]=2"}, `item "[]=2": the body is an object, not an array`},
		{[]string{"[]=1", "a=2"}, `item "a=2": the body is an array, not an object`},
		{[]string{"a[-1]=1"}, `item "a[-1]=1": bad path: negative index "-1"`},
		{[]string{"[-1]=1"}, `item "[-1]=1": bad path: negative index "-1"`},
		{[]string{"a[10001]=1"}, `item "a[10001]=1": bad path: index "10001" over 10000`},
		{[]string{"a[99999999999999999999]=1"}, `item "a[99999999999999999999]=1": bad path: index "99999999999999999999" over 10000`},
		{[]string{"a[b=1"}, `item "a[b=1": bad path: want ']' after "a[b"`},
		{[]string{"a[=1"}, `item "a[=1": bad path: want a key, a number or ']' after "a["`},
		{[]string{"a]=1"}, `item "a]=1": bad path: want '[' after "a", not ']'`},
		{[]string{"a[b]c=1"}, `item "a[b]c=1": bad path: want '[' after "a[b]", not the key "c"`},
		{[]string{"a[0]1=1"}, `item "a[0]1=1": bad path: want '[' after "a[0]", not the number "1"`},
		{[]string{"]=1"}, `item "]=1": bad path: want a name or '[' at the start, not ']'`},
		{[]string{"[a]=1"}, `item "[a]=1": bad path: want a number or ']' after "[", not the key "a"`},
		{[]string{"a[[b]]=1"}, `item "a[[b]]=1": bad path: want a key, a number or ']' after "a[", not '['`},
		{[]string{"a" + strings.Repeat("[]", 1001) + "=1"}, `"...: bad path: over 1000 levels`},
	}
	for _, tt := range tests {
		_, err := JSONBody(mustParse(t, tt.words...))
		if err == nil || !strings.HasSuffix(err.Error(), tt.err) {
			t.Errorf("JSONBody(%q): error %v, want %s", tt.words, err, tt.err)
		}
	}
}

func TestFormValue(t *testing.T) {
	tests := []struct {
		word, want, err string
	}{
		{"a=x", "x", ""},
		{"a=", "", ""},
		{"n:=1", "1", ""},
		{"n:=-2.50", "-2.50", ""},
		{"n:=1e3", "1e3", ""},
		{`s:="x y"`, "x y", ""},
		{"t:=true", "true", ""},
		{"f:= false ", "false", ""},
		{"z:=null", "", `field "z": null (:=) cannot be sent in a form`},
		{`o:={"a":1}`, "", `field "o": an object (:=) cannot be sent in a form`},
		{"l:= [1]", "", `field "l": an array (:=) cannot be sent in a form`},
	}
	for _, tt := range tests {
		got, err := FormValue(mustParse(t, tt.word)[0])
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("FormValue(%q): error %v, want %s", tt.word, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("FormValue(%q) = %q, %v, want %q", tt.word, got, err, tt.want)
		}
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
		"X-A;", "X-A;v", ";", `a\;b=c`, "f@x;type=image/png", "f@x;type=", "f@;type=a",
		"user[name]=ann", "user[roles][]=dev", "n[0]:=1", "[][a]=1", `a\[b\]=c`,
		"a[3]=x", "[]:=1", "[2]:=[1]", "a[-1]=1", "a[b=1", "a]=1", "]=1", "[x]=1",
		`a[\1]=x`, "a[ 1_0 ]=1", "a[+1]=1", "a[99999]=1", `a\\=1`, `a[\]]=1`,
		`a:={"k":1}`, "a[b][c][d][][0]=x", "007=v", "a[]]=1", `\[\]=x`,
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
		case HeaderEmpty:
			if !validToken(it.Name) || it.Value != "" {
				t.Fatalf("Parse(%q) = %+v: bad empty header", word, it)
			}
		case RawJSON:
			if !json.Valid([]byte(it.Value)) {
				t.Fatalf("Parse(%q) = %+v: invalid JSON value", word, it)
			}
		case FieldFile, RawJSONFile, Upload, BodyFile:
			if it.Value == "" {
				t.Fatalf("Parse(%q) = %+v: empty path", word, it)
			}
			if it.Type != "" && (it.Kind != Upload || !validHeaderValue(it.Type)) {
				t.Fatalf("Parse(%q) = %+v: bad upload type", word, it)
			}
		case Query, Field:
		default:
			t.Fatalf("Parse(%q) = %+v: unknown kind", word, it)
		}
		// Escapes only ever shorten a word.
		if len(it.Name)+len(it.Value) > len(word) {
			t.Fatalf("Parse(%q) = %+v: longer than the word", word, it)
		}
		// A field builds a JSON body or fails in one line naming it.
		body, err := JSONBody([]Item{it, it})
		if err != nil {
			if it.Kind != Field && it.Kind != RawJSON {
				t.Fatalf("JSONBody(%+v): %v", it, err)
			}
			if msg := err.Error(); strings.ContainsAny(msg, "\r\n") || !strings.Contains(msg, quote(word)) {
				t.Fatalf("JSONBody(%+v): bad error message %q", it, msg)
			}
			return
		}
		if !json.Valid(body) {
			t.Fatalf("JSONBody(%+v) = %s, not valid JSON", it, body)
		}
		if _, err := FormValue(it); err != nil && it.Kind != RawJSON {
			t.Fatalf("FormValue(%+v): %v", it, err)
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

// A flat body (plain, distinct names) is written without the tree, byte
// for byte as the tree writes it; other bodies are left to the tree.
func TestFlatJSONBodyAsTree(t *testing.T) {
	for _, tc := range []struct {
		words []string
		flat  bool
	}{
		{[]string{"name=reqsh"}, true},
		{[]string{"name=item5", "n:=5", "ok:=true"}, true},
		{[]string{`msg=say "hi" <b>&</b>`, "u=\u2028 \xe9 \x01 \t \xff", `tags:= [ "a" , {"b" : null} ]`, "n:=-1.5e3"}, true},
		{[]string{"X-A:1", "name=x", "a==1", "m:=null"}, true},
		{[]string{"0=zero", " 1=one", "_=u", "a.b=c", "a-b:=1", "\u00e9=\u2029"}, true},
		{[]string{"ok=1", "bad:=[1,"}, true},
		{[]string{"a=1", "a=2"}, false},    // repeated: the tree
		{[]string{"a[b]=1", "c=2"}, false}, // a path: the tree
		{[]string{`a\[b=1`}, false},        // an escape: the tree
		{[]string{"X-A:1"}, false},         // no field: the tree's {}
	} {
		var its []Item
		for _, w := range tc.words {
			it, err := Parse(w)
			if err != nil {
				// Parse refuses invalid raw JSON; JSONBody checks it
				// again, for items built otherwise.
				name, value, _ := strings.Cut(w, ":=")
				it = Item{Kind: RawJSON, Name: name, Value: value, Raw: w}
			}
			its = append(its, it)
		}
		want, wantErr := treeJSONBody(its)
		got, ok, err := flatJSONBody(its)
		if ok != tc.flat {
			t.Errorf("%q: flat %v, want %v", tc.words, ok, tc.flat)
		}
		if !ok {
			continue
		}
		if string(got) != string(want) || (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
			t.Errorf("%q:\nflat %s, %v\ntree %s, %v", tc.words, got, err, want, wantErr)
		}
		if all, err := JSONBody(its); string(all) != string(got) || (err == nil) != (wantErr == nil) {
			t.Errorf("%q: JSONBody %s, %v", tc.words, all, err)
		}
	}
}

// A string is written as encoding/json writes it (HTML characters not
// escaped), whatever bytes it holds.
func TestWriteStringAsEncoder(t *testing.T) {
	var want bytes.Buffer
	ref := json.NewEncoder(&want)
	ref.SetEscapeHTML(false)
	var w writer // one writer for all: its encoder is reused
	check := func(s string) {
		want.Reset()
		w.buf.Reset()
		if err := ref.Encode(s); err != nil {
			t.Fatal(err)
		}
		w.value(s)
		if got := w.buf.String(); got+"\n" != want.String() {
			t.Errorf("%q: wrote %s, want %s", s, got, want.String())
		}
	}
	for b := 0; b < 256; b++ {
		check("a" + string(rune(b)) + "z")
		check("a" + string([]byte{byte(b)}) + "z")
	}
	for _, s := range []string{"", "plain text", `<b>&"q"\</b>`, "\u2028\u2029", "é", "\xff\xfe", "tab\there"} {
		check(s)
	}
}

// BenchmarkPostItems is a usual JSON POST's items, parsed and made into
// the body: post /post name=item1 n:=1 ok:=true.
func BenchmarkPostItems(b *testing.B) {
	words := []string{"name=item1", "n:=1", "ok:=true"}
	its := make([]Item, len(words))
	b.ReportAllocs()
	for b.Loop() {
		for i, w := range words {
			it, err := Parse(w)
			if err != nil {
				b.Fatal(err)
			}
			its[i] = it
		}
		if _, err := JSONBody(its); err != nil {
			b.Fatal(err)
		}
	}
}

// A value plainJSON takes is one json.Valid takes and json.Compact gives
// back unchanged: the fast path says nothing encoding/json would not.
// Every string of up to 4 bytes over the bytes of numbers and literals
// is tried, and some longer ones.
func TestPlainJSONAsEncodingJSON(t *testing.T) {
	check := func(s string) {
		if !plainJSON(s) {
			return
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(s)); err != nil || buf.String() != s {
			t.Errorf("plainJSON(%q) but Compact gives %q, %v", s, buf.String(), err)
		}
	}
	const alphabet = "-+.0129eE tru"
	var gen func(prefix string, n int)
	gen = func(prefix string, n int) {
		check(prefix)
		if n == 0 {
			return
		}
		for i := 0; i < len(alphabet); i++ {
			gen(prefix+alphabet[i:i+1], n-1)
		}
	}
	gen("", 4)
	for _, s := range []string{"true", "false", "null", "-0.5e+10", "123456789012345678901234567890", "1.5E-3",
		"true ", " null", "nul", "falsey", "0x1", "1_000", "\u0661"} {
		check(s)
	}
	// The usual values take the fast path.
	for _, s := range []string{"1", "-12", "0", "3.25", "1e3", "true", "false", "null"} {
		if !plainJSON(s) {
			t.Errorf("plainJSON(%q) = false", s)
		}
	}
	// Invalid values are still refused, with the same error as before.
	for _, s := range []string{"01", "1.", "-", "+1", ".5", "1e", "tru", "1 2"} {
		if _, err := Parse("n:=" + s); err == nil {
			t.Errorf("Parse(%q): no error", "n:="+s)
		}
	}
}
