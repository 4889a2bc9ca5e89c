package format

import (
	"bytes"
	"strings"
	"testing"
	"testing/iotest"
)

// charsetBodies are texts in the charsets servers still declare, with
// their bytes as sent.
var charsetBodies = []struct {
	charset string
	raw     []byte
	text    string
}{
	{"iso-8859-1", []byte("caf\xe9 na\xefve \xa92024"), "café naïve ©2024"},
	{"ISO-8859-1", []byte("\xc5ngstr\xf6m"), "Ångström"},
	{"windows-1252", []byte("\x93quoted\x94 \x80 \x85"), "\u201cquoted\u201d € …"},
	{"latin1", []byte("fa\xe7ade"), "façade"},
	{"shift_jis", []byte("\x93\xfa\x96{\x8c\xea\x82\xcc\x83e\x83L\x83X\x83g"), "日本語のテキスト"},
	{"Shift_JIS", []byte("\x82\xb1\x82\xf1\x82\xc9\x82\xbf\x82\xcd"), "こんにちは"},
	{"euc-jp", []byte("\xc6\xfc\xcb\xdc\xb8\xec"), "日本語"},
	{"koi8-r", []byte("\xf0\xd2\xc9\xd7\xc5\xd4, \xcd\xc9\xd2"), "Привет, мир"},
	{"utf-16le", []byte("h\x00i\x00 \x00\x1f\x04\x40\x04"), "hi Пр"},
	{"\"windows-1251\"", []byte("\xcf\xf0\xe8\xe2\xe5\xf2"), "Привет"},
}

// TestCharsetDecoded prints bodies in declared charsets at a terminal,
// whole and streamed in small reads: the text shows as UTF-8, not as a
// binary note; in a pipe the bytes go as they came.
func TestCharsetDecoded(t *testing.T) {
	for _, c := range charsetBodies {
		for _, mt := range []string{"text/plain", "text/html", "application/json"} {
			ct := mt + "; charset=" + c.charset
			body := c.raw
			if mt == "application/json" {
				body = append(append([]byte(`{"t": "`), c.raw...), `"}`...)
				if strings.HasPrefix(c.charset, "utf-16") {
					continue
				}
			}
			for name, print := range map[string]func(*Printer) error{
				"Body":       func(p *Printer) error { return p.Body(body, ct) },
				"StreamBody": func(p *Printer) error { return p.StreamBody(iotest.OneByteReader(bytes.NewReader(body)), ct, false) },
			} {
				var out bytes.Buffer
				if err := print(New(&out, Options{Terminal: true})); err != nil {
					t.Fatalf("%s %q: %v", name, ct, err)
				}
				if !strings.Contains(out.String(), c.text) || strings.Contains(out.String(), "binary") {
					t.Errorf("%s %q at a terminal: %q, want it to show %q", name, ct, out.String(), c.text)
				}
				out.Reset()
				if err := print(New(&out, Options{})); err != nil {
					t.Fatal(err)
				}
				if !bytes.Contains(out.Bytes(), c.raw) {
					t.Errorf("%s %q in a pipe: %q, want the bytes as sent", name, ct, out.String())
				}
			}
		}
	}
}

// TestCharsetNotDecoded leaves alone what has no charset to decode:
// UTF-8 (invalid UTF-8 stays binary), an unknown charset, a binary type.
func TestCharsetNotDecoded(t *testing.T) {
	for _, ct := range []string{
		"text/plain", "text/plain; charset=utf-8", "text/plain; charset=UTF8",
		"application/json; charset=UTF-8", "application/json;charset=utf-8 ", "text/plain; charset=\"utf-8\"",
		"text/plain; charset=x-no-such", "image/png; charset=iso-8859-1",
		"text/plain; charset=iso-2022-kr", "text/plain; charset",
	} {
		if d := charset(ct); d != nil {
			t.Errorf("charset(%q) gives a decoder", ct)
		}
	}
	if n := testing.AllocsPerRun(10, func() { charset("application/json; charset=utf-8") }); n != 0 {
		t.Errorf("charset allocates %v times for UTF-8", n)
	}
	var out bytes.Buffer
	if err := New(&out, Options{Terminal: true}).Body([]byte("caf\xe9"), "text/plain; charset=utf-8"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "binary data not shown") {
		t.Errorf("invalid UTF-8 declared as UTF-8: %q", out.String())
	}
}
