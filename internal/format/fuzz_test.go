package format

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{
		"", "plain", "a\nb\tc", "\x1b[31mred\x1b[0m", "OK\x1b]0;pwn\a", "a\rb\r\n",
		"\u009b31m", "\x7f", "\u202egnp.exe", "\u2066\u2069\u200e\u200f\u061c",
		"\xff\xfe", "\xe2\x82", "日本語", "\U0001F600", "\ufffd",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Sanitize(s)
		assertTerminalSafe(t, out, false)
		if again := Sanitize(out); again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, out, again)
		}
		if clean(s, sanitizeMode) && out != s {
			t.Fatalf("clean %q changed to %q", s, out)
		}
	})
}

func FuzzBody(f *testing.F) {
	seeds := []struct{ body, ct string }{
		{`{"a":[1,2,{"b":null}],"c":"\u001b"}`, "application/json"},
		{"{\"a\":\"\u009b\x7f\u202e\"}\r\n", "application/json; charset=utf-8"},
		{`{"a":1}` + "\n" + `[2]`, "application/x-ndjson"},
		{`[1]` + "\n" + `[2]`, ""},
		{strings.Repeat("[", 70) + strings.Repeat("]", 70), "application/problem+json"},
		{"<html>\x1b[2J</html>", "application/json"},
		{"text\rline\r\n\x00", "text/plain"},
		{"\x89PNG\r\n\x1a\n", "image/png"},
		{"caf\xe9", "text/plain"},
		{"{\"s\":\"\xff\"}", "text/json"},
		{"\"x\"", "application/json"},
	}
	for _, s := range seeds {
		for _, o := range []uint8{0, 1, 2, 3} {
			f.Add([]byte(s.body), s.ct, o)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte, ct string, o uint8) {
		opts := Options{Terminal: true, Pretty: o&1 != 0, Color: o&2 != 0}
		var out bytes.Buffer
		if err := New(&out, opts).Body(body, ct); err != nil {
			t.Fatal(err)
		}
		if !opts.Color && bytes.IndexByte(out.Bytes(), 0x1b) >= 0 {
			t.Fatalf("ESC in uncolored output %q", out.Bytes())
		}
		assertTerminalSafe(t, out.String(), opts.Color)
		if len(body) > 0 && !bytes.HasSuffix(out.Bytes(), []byte("\n")) {
			t.Fatalf("output does not end a line: %q", out.Bytes())
		}
		// Not at a terminal it must not panic either.
		opts.Terminal = false
		if err := New(&out, opts).Body(body, ct); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzExchange prints a whole exchange (request head, status line,
// headers, body, metadata) from fuzzed network text: at a terminal nothing
// reaches it raw, with or without colors.
func FuzzExchange(f *testing.F) {
	f.Add("OK", "X-Test", "value", "{\"a\":1}", "application/json", uint8(3))
	f.Add("OK\x1b]0;pwn\a", "X-\u009b", "a\rb\u202e", "text\x1b[2J", "text/plain", uint8(1))
	f.Add("", "", "", "\x00\x01", "", uint8(2))
	f.Add("Teapot \xff", "Set-Cookie", "a=b; \x7f", "[1,2]\n[3]", "application/x-ndjson", uint8(0))
	f.Fuzz(func(t *testing.T, reason, name, value, body, ct string, o uint8) {
		r := smallJSON()
		r.Reason = reason
		r.Header = http.Header{name: {value}, "Content-Type": {ct}}
		r.Request.Header = http.Header{name: {value}}
		r.Body, r.BodySize = []byte(body), int64(len(body))
		opts := Options{Terminal: true, Pretty: o&1 != 0, Color: o&2 != 0}
		var out bytes.Buffer
		all := Parts{ReqHeaders: true, ReqBody: true, RespHeaders: true, RespBody: true, Meta: true}
		if err := New(&out, opts).Exchange(r, all); err != nil {
			t.Fatal(err)
		}
		assertTerminalSafe(t, out.String(), opts.Color)
	})
}
