package format

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func body(t *testing.T, opts Options, b, contentType string) string {
	t.Helper()
	var out bytes.Buffer
	if err := New(&out, opts).Body([]byte(b), contentType); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestBody(t *testing.T) {
	t.Parallel()
	const obj = `{"a":1}`
	const prettyObj = `{ "a": 1 }` + "\n"
	long := `{"url":"http://example.com/get","args":{"a":["1"]},"origin":"127.0.0.1"}`
	longPretty := "{\n" +
		`  "url": "http://example.com/get",` + "\n" +
		`  "args": { "a": ["1"] },` + "\n" +
		`  "origin": "127.0.0.1"` + "\n" +
		"}\n"
	deep := strings.Repeat("[", 100) + "1" + strings.Repeat("]", 100)
	tests := map[string]struct {
		body, ct string
		pretty   bool
		want     string
	}{
		"empty":                   {"", "application/json", true, ""},
		"json":                    {obj, "application/json", true, prettyObj},
		"json with charset":       {obj, "application/json; charset=utf-8", true, prettyObj},
		"json type case":          {obj, " Application/JSON ;charset=UTF-8", true, prettyObj},
		"+json":                   {obj, "application/problem+json", true, prettyObj},
		"vnd +json with params":   {obj, "application/vnd.api+json; ext=x", true, prettyObj},
		"text/json":               {obj, "text/json", true, prettyObj},
		"x-json":                  {obj, "application/x-json", true, prettyObj},
		"long json":               {long, "application/json", true, longPretty},
		"json scalar":             {` "x" `, "application/json", true, `"x"` + "\n"},
		"sniffed without type":    {" \n" + obj, "", true, prettyObj},
		"sniffed text/plain":      {"[1,2]", "text/plain; charset=utf-8", true, "[1, 2]\n"},
		"not sniffed text/html":   {obj, "text/html", true, obj + "\n"},
		"not sniffed scalar":      {"42", "", true, "42\n"},
		"sniffed but invalid":     {"{not json", "", true, "{not json\n"},
		"invalid json as text":    {`{"a":1,}`, "application/json", true, `{"a":1,}` + "\n"},
		"html labelled json":      {"<html>\n", "application/json", true, "<html>\n"},
		"truncated json":          {`{"a":[1,2`, "application/json", true, `{"a":[1,2` + "\n"},
		"json not pretty":         {obj + "\n\n", "application/json", false, obj + "\n"},
		"json not pretty, no nl":  {obj, "application/json", false, obj + "\n"},
		"deep json compact":       {" \n" + strings.ReplaceAll(deep, "1", " 1 "), "application/json", true, deep + "\n"},
		"depth 65 compact":        {strings.Repeat("[", 65) + strings.Repeat("]", 65), "application/json", true, strings.Repeat("[", 65) + strings.Repeat("]", 65) + "\n"},
		"brackets in strings":     {`{"a":"[[[[{{{{"}`, "application/json", true, `{ "a": "[[[[{{{{" }` + "\n"},
		"ndjson":                  {obj + "\n[1, 2]\n\n\"s\"\n", "application/x-ndjson", true, prettyObj + "[1, 2]\n\"s\"\n"},
		"ndjson one line":         {obj + "\n", "application/x-ndjson", true, prettyObj},
		"ndjson labelled json":    {obj + "\r\n" + obj, "application/json", true, prettyObj + prettyObj},
		"ndjson sniffed":          {obj + "\n" + obj + "\n", "", true, prettyObj + prettyObj},
		"ndjson one bad line":     {obj + "\n{x}\n", "application/x-ndjson", true, obj + "\n{x}\n"},
		"text":                    {"hello\nworld", "text/plain", true, "hello\nworld\n"},
		"text keeps its newlines": {"hello\n\n", "text/plain", true, "hello\n\n"},
		"svg is text":             {"<svg/>", "image/svg+xml", true, "<svg/>\n"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, term := range []bool{false, true} {
				got := body(t, Options{Pretty: tt.pretty, Terminal: term}, tt.body, tt.ct)
				if got != tt.want {
					t.Errorf("terminal %v:\ngot  %q\nwant %q", term, got, tt.want)
				}
			}
		})
	}
}

func TestBodyDepth64IsPretty(t *testing.T) {
	t.Parallel()
	var want strings.Builder
	for i := range 63 {
		want.WriteString(strings.Repeat("  ", i) + "[\n")
	}
	want.WriteString(strings.Repeat("  ", 63) + "[]\n")
	for i := 62; i >= 0; i-- {
		want.WriteString(strings.Repeat("  ", i) + "]\n")
	}
	doc := strings.Repeat("[", 64) + strings.Repeat("]", 64)
	if got := body(t, Options{Pretty: true}, doc, "application/json"); got != want.String() {
		t.Errorf("got %q", got)
	}
}

func TestBodyDeepPrettyIsBounded(t *testing.T) {
	t.Parallel()
	// 20 KB of nested arrays made 190 MB with tidwall/pretty.
	doc := strings.Repeat("[", 9000) + strings.Repeat("]", 9000)
	got := body(t, Options{Pretty: true, Color: true, Terminal: true}, doc, "application/json")
	if len(got) > 10*len(doc) {
		t.Errorf("output of %d bytes for %d bytes of input", len(got), len(doc))
	}
	if stripSGR(got) != doc+"\n" {
		t.Errorf("not compact: %.80q", stripSGR(got))
	}
}

func TestBodyBinary(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		body, ct, terminal string
	}{
		"png":               {"\x89PNG\r\n\x1a\n\x00\x00", "image/png", "binary data not shown: 10 bytes, image/png (use -o FILE)\n"},
		"type params":       {"abc", "Application/Octet-Stream; x=1", "binary data not shown: 3 bytes, application/octet-stream (use -o FILE)\n"},
		"nul, no type":      {"a\x00b", "", "binary data not shown: 3 bytes, unknown type (use -o FILE)\n"},
		"nul in text":       {"a\x00b", "text/plain", "binary data not shown: 3 bytes, text/plain (use -o FILE)\n"},
		"latin-1 decoded":   {"caf\xe9", "text/plain; charset=latin1", "café\n"},
		"nul labelled json": {"{\"a\":\x00}", "application/json", "binary data not shown: 7 bytes, application/json (use -o FILE)\n"},
		"type sanitized":    {"\x00", "x/\x1b[2J", `binary data not shown: 1 bytes, x/\x1b[2j (use -o FILE)` + "\n"},
		"pdf":               {"%PDF-1.7\n", "application/pdf", "binary data not shown: 9 bytes, application/pdf (use -o FILE)\n"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, color := range []bool{false, true} {
				if got := body(t, Options{Pretty: true, Terminal: true, Color: color}, tt.body, tt.ct); got != tt.terminal {
					t.Errorf("terminal: got %q, want %q", got, tt.terminal)
				}
				if got := body(t, Options{Pretty: true, Color: color}, tt.body, tt.ct); got != tt.body {
					t.Errorf("not terminal: got %q, want the bytes %q", got, tt.body)
				}
			}
		})
	}
}

func TestBodyTerminalSafety(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		body, ct string
		terminal string // with Terminal; without it the body is unchanged
	}{
		"esc":       {"a\x1b[31mred\x1b]0;title\a", "text/plain", `a\x1b[31mred\x1b]0;title\x07` + "\n"},
		"csi":       {"a\u009b31mb", "text/plain", `a\u009b31mb` + "\n"},
		"del":       {"a\x7fb", "text/plain", `a\x7fb` + "\n"},
		"bare cr":   {"12345\rabc\n", "text/plain", `12345\rabc` + "\n"},
		"final cr":  {"abc\r", "text/plain", `abc\r` + "\n"},
		"crlf":      {"a\r\nb\r\n", "text/plain", "a\nb\n"},
		"bidi":      {"user\u202egnp.exe\u2066\u061c", "text/plain", `user\u202egnp.exe\u2066\u061c` + "\n"},
		"tab kept":  {"a\tb\n", "text/plain", "a\tb\n"},
		"unicode":   {"日本語 ✓ é\n", "text/plain", "日本語 ✓ é\n"},
		"backspace": {"x\by", "text/html", `x\x08y` + "\n"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := body(t, Options{Pretty: true, Terminal: true}, tt.body, tt.ct); got != tt.terminal {
				t.Errorf("terminal: got %q, want %q", got, tt.terminal)
			}
			want := tt.body
			if !strings.HasSuffix(want, "\n") {
				want += "\n"
			}
			if got := body(t, Options{Pretty: true}, tt.body, tt.ct); got != want {
				t.Errorf("not terminal: got %q, want %q", got, want)
			}
		})
	}
}

func TestBodyTerminalJSON(t *testing.T) {
	t.Parallel()
	// Valid JSON can carry DEL, C1 and bidi runes raw inside strings, and
	// carriage returns between tokens.
	doc := "{\r\n\"k\u202e\":\"a\x7fb\u009b31mc\u200ed\",\r\n\"e\":\"\\u001b[2J\"}\r\n"
	tests := []struct {
		opts Options
		want string
	}{
		{Options{Pretty: true, Terminal: true},
			`{ "k\u202e": "a\u007fb\u009b31mc\u200ed", "e": "\u001b[2J" }` + "\n"},
		{Options{Terminal: true},
			"{\n" + `"k\u202e":"a\u007fb\u009b31mc\u200ed",` + "\n" + `"e":"\u001b[2J"}` + "\n"},
		{Options{Pretty: true},
			"{ \"k\u202e\": \"a\x7fb\u009b31mc\u200ed\", \"e\": \"\\u001b[2J\" }\n"},
		{Options{}, strings.TrimSuffix(doc, "\r\n") + "\n"},
	}
	for _, tt := range tests {
		got := body(t, tt.opts, doc, "application/json")
		if got != tt.want {
			t.Errorf("%+v:\ngot  %q\nwant %q", tt.opts, got, tt.want)
		}
		tt.opts.Color = true
		colored := body(t, tt.opts, doc, "application/json")
		if !strings.Contains(colored, "\x1b[") {
			t.Errorf("%+v: no colors: %q", tt.opts, colored)
		}
		if tt.opts.Terminal {
			assertTerminalSafe(t, colored, true)
			if plain := stripSGR(colored); plain != got {
				t.Errorf("%+v: colored differs beyond colors:\n%q\n%q", tt.opts, plain, got)
			}
		}
	}
	// Invalid UTF-8 after the first 8 KiB is not binary; at a terminal it
	// shows as U+FFFD's escape.
	big := `{"pad":"` + strings.Repeat("x", 9000) + "\",\"s\":\"a\xffb\"}"
	got := body(t, Options{Pretty: true, Terminal: true}, big, "application/json")
	if !strings.HasSuffix(got, `"s": "a\ufffdb"`+"\n}\n") {
		t.Errorf("invalid UTF-8 in a JSON string: %q", got[len(got)-40:])
	}
	assertTerminalSafe(t, got, false)
}

// assertTerminalSafe fails when s holds a C0 control other than \n and \t
// (ESC too, unless colored: then only as part of SGR color sequences), DEL,
// a C1 or bidi control, or invalid UTF-8.
func assertTerminalSafe(t testing.TB, s string, colored bool) {
	t.Helper()
	if colored {
		s = stripSGR(s)
	}
	if !utf8.ValidString(s) {
		t.Fatalf("invalid UTF-8 in %q", s)
	}
	for i, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r <= 0x9f || isBidi(r) {
			t.Fatalf("unsafe %U at %d in %q", r, i, s)
		}
	}
}

// isBidi reports the bidi controls and the line and paragraph separators.
func isBidi(r rune) bool {
	return r == 0x61c || r == 0x200e || r == 0x200f || r == 0x2028 || r == 0x2029 ||
		r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

func TestSanitize(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain text", "plain text"},
		{"line\nnext\ttab", "line\nnext\ttab"},
		{"a\r\nb\rc", `a\r` + "\n" + `b\rc`},
		{"\x00\x07\x08\x1b[2J\x7f", `\x00\x07\x08\x1b[2J\x7f`},
		{"\u0080\u009b\u009f\u00a0", `\u0080\u009b\u009f` + "\u00a0"},
		{"\u061c\u200e\u200f\u202a\u202e\u2066\u2069\u2070", `\u061c\u200e\u200f\u202a\u202e\u2066\u2069` + "\u2070"},
		{"a\u2028b\u2029c\u2027", `a\u2028b\u2029c` + "\u2027"},
		{"\xff\xc3(\xe2\x82", `\xff\xc3(\xe2\x82`},
		{"é日\U0001F600\ufffd", "é日\U0001F600\ufffd"},
		{`back\slash`, `back\slash`},
	}
	for _, tt := range tests {
		if got := Sanitize(tt.in); got != tt.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsBinary(t *testing.T) {
	t.Parallel()
	euro := "€" // 3 bytes
	pad := strings.Repeat("a", sniffLen-1)
	tests := []struct {
		name, body, ct string
		want           bool
	}{
		{"text", "hello", "", false},
		{"empty", "", "", false},
		{"nul", "a\x00", "", true},
		{"invalid utf-8", "caf\xe9", "", true},
		{"image", "hello", "image/png", true},
		{"image params", "hello", "IMAGE/JPEG; q=1", true},
		{"audio", "hello", "audio/mpeg", true},
		{"video", "hello", "video/mp4", true},
		{"octet-stream", "hello", "application/octet-stream", true},
		{"zip", "hello", "application/zip", true},
		{"pdf", "hello", "application/pdf", true},
		{"svg", "<svg/>", "image/svg+xml", false},
		{"json", "{}", "application/json", false},
		{"+json", "{}", "application/vnd.api+json", false},
		{"xml", "<a/>", "application/xml", false},
		{"+xml", "<a/>", "application/atom+xml", false},
		{"javascript", "x", "application/javascript", false},
		{"form", "a=1", "application/x-www-form-urlencoded", false},
		{"text/html", "<p>", "text/html; charset=utf-8", false},
		{"unknown type", "hello", "application/x-whatever", false},
		{"nul beats text type", "a\x00", "text/plain", true},
		{"rune cut at 8 KiB", pad + euro + "tail", "", false},
		{"rune cut at 8 KiB, 2 of 3 in", pad[1:] + euro + "tail", "", false},
		{"rune whole at 8 KiB", pad[2:] + euro + "tail", "", false},
		{"rune cut, body ends", pad + euro[:2], "", true},
		{"invalid byte at 8 KiB", pad + "\xff" + "tail", "", true},
		{"invalid byte after 8 KiB", pad + "a\xff", "", false},
		{"nul after 8 KiB", pad + "a\x00", "", false},
		{"4-byte rune cut", pad[2:] + "\U0001F600", "", false},
	}
	for _, tt := range tests {
		if got := IsBinary([]byte(tt.body), tt.ct); got != tt.want {
			t.Errorf("%s: IsBinary = %v, want %v", tt.name, got, tt.want)
		}
	}
}
