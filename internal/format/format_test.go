package format

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/reqsh/reqsh/session"
)

// exchange returns a small GET exchange with a JSON response.
func exchange() *session.Response {
	u, _ := url.Parse("http://example.com/get?a=1&b=two")
	return &session.Response{
		Request: &session.SentRequest{
			Method: "GET",
			URL:    u,
			Proto:  "HTTP/1.1",
			Header: http.Header{
				"Host":       {"example.com"},
				"User-Agent": {"reqsh/1.0"},
				"Accept":     {"*/*"},
			},
		},
		Proto:      "HTTP/1.1",
		StatusCode: 200,
		Reason:     "OK",
		Header: http.Header{
			"Content-Type":   {"application/json"},
			"Content-Length": {"20"},
			"Set-Cookie":     {"a=1", "b=2"},
		},
		Body:      []byte(`{"a":"1","b":[1,2]}`),
		BodySize:  20,
		URL:       u,
		Elapsed:   12345678 * time.Nanosecond,
		Redirects: 1,
		Reused:    true,
	}
}

// post returns a POST exchange with a JSON request body and a text
// response body.
func post() *session.Response {
	r := exchange()
	u, _ := url.Parse("http://example.com/post")
	r.Request.Method = "POST"
	r.Request.URL = u
	r.Request.Header.Set("Content-Type", "application/json")
	r.Request.Body = []byte(`{"name":"x"}`)
	r.Request.BodySize = 12
	r.StatusCode, r.Reason = 201, ""
	r.Header = http.Header{"Content-Type": {"text/plain"}}
	r.Body = []byte("created")
	r.Reused = false
	r.Redirects = 0
	return r
}

const (
	reqHead = "GET /get?a=1&b=two HTTP/1.1\n" +
		"Host: example.com\n" +
		"Accept: */*\n" +
		"User-Agent: reqsh/1.0\n"
	respHead = "HTTP/1.1 200 OK\n" +
		"Content-Length: 20\n" +
		"Content-Type: application/json\n" +
		"Set-Cookie: a=1\n" +
		"Set-Cookie: b=2\n"
	respBody = `{ "a": "1", "b": [1, 2] }` + "\n"
	meta     = "elapsed: 12.3ms\nredirects: 1\nconnection: reused\nprotocol: HTTP/1.1\n"
)

func show(t *testing.T, opts Options, r *session.Response, letters string) string {
	t.Helper()
	parts, err := ParseParts(letters)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := New(&out, opts).Exchange(r, parts); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestExchangeParts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		parts string
		r     func() *session.Response
		want  string
	}{
		{"H", exchange, reqHead},
		{"B", exchange, ""}, // a GET without a body
		{"h", exchange, respHead},
		{"b", exchange, respBody},
		{"m", exchange, meta},
		{"m", func() *session.Response { r := exchange(); r.Resent = 2; return r }, meta + "resent: 2\n"},
		{"hb", exchange, respHead + "\n" + respBody},
		{"bh", exchange, respHead + "\n" + respBody},
		{"Hh", exchange, reqHead + "\n" + respHead},
		{"HB", exchange, reqHead},
		{"Hb", exchange, reqHead + "\n" + respBody},
		{"hm", exchange, respHead + "\n" + meta},
		{"bm", exchange, respBody + "\n" + meta},
		{"HBhbm", exchange, reqHead + "\n" + respHead + "\n" + respBody + "\n" + meta},
		{"HBhbm", post, "POST /post HTTP/1.1\n" +
			"Host: example.com\n" +
			"Accept: */*\n" +
			"Content-Type: application/json\n" +
			"User-Agent: reqsh/1.0\n" +
			"\n" +
			`{ "name": "x" }` + "\n" +
			"\n" +
			"HTTP/1.1 201 Created\n" +
			"Content-Type: text/plain\n" +
			"\n" +
			"created\n" +
			"\n" +
			"elapsed: 12.3ms\nredirects: 0\nconnection: new\nprotocol: HTTP/1.1\n"},
		{"B", post, `{ "name": "x" }` + "\n"},
		{"Bb", post, `{ "name": "x" }` + "\n\ncreated\n"},
	}
	for _, tt := range tests {
		for _, term := range []bool{false, true} {
			got := show(t, Options{Pretty: true, Terminal: term}, tt.r(), tt.parts)
			if got != tt.want {
				t.Errorf("%s (terminal %v):\ngot:\n%s\nwant:\n%s", tt.parts, term, got, tt.want)
			}
		}
	}
}

func TestExchangeLayout(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		edit  func(r *session.Response)
		parts string
		want  string
	}{
		"empty body leaves no trailing blank line": {
			func(r *session.Response) { r.Body = nil },
			"hb", respHead,
		},
		"empty body between sections": {
			func(r *session.Response) { r.Body = []byte{} },
			"hbm", respHead + "\n" + meta,
		},
		"no request": {
			func(r *session.Response) { r.Request = nil },
			"HBb", respBody,
		},
		"host from the URL": {
			func(r *session.Response) { r.Request.Header.Del("Host") },
			"H", reqHead,
		},
		"defaults for missing proto, method and reason": {
			func(r *session.Response) {
				r.Request.Method, r.Request.Proto, r.Proto = "", "", ""
				r.StatusCode, r.Reason, r.Header = 404, "", nil
			},
			"Hh", reqHead + "\nHTTP/1.1 404 Not Found\n",
		},
		"unknown status without a reason": {
			func(r *session.Response) { r.StatusCode, r.Reason, r.Header = 599, "", nil },
			"h", "HTTP/1.1 599\n",
		},
		"server reason kept": {
			func(r *session.Response) { r.Reason, r.Header = "Fine Thanks", nil },
			"h", "HTTP/1.1 200 Fine Thanks\n",
		},
		"text body gets a final newline": {
			func(r *session.Response) { r.Header.Set("Content-Type", "text/plain"); r.Body = []byte("hi") },
			"bm", "hi\n\n" + meta,
		},
		"text body newline kept": {
			func(r *session.Response) { r.Header.Set("Content-Type", "text/html"); r.Body = []byte("<p>\n") },
			"b", "<p>\n",
		},
		"streamed request body": {
			func(r *session.Response) { r.Request.Body, r.Request.BodySize = nil, 2048 },
			"HB", reqHead + "\nbody not shown: 2048 bytes sent from a file\n",
		},
		"streamed request body of unknown size": {
			func(r *session.Response) { r.Request.Body, r.Request.BodySize = nil, -1 },
			"B", "body not shown: sent from a file\n",
		},
		"response body saved elsewhere": {
			func(r *session.Response) { r.Body = nil; r.BodySize = 100 },
			"hbm", respHead + "\n" + meta,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := exchange()
			tt.edit(r)
			got := show(t, Options{Pretty: true}, r, tt.parts)
			if got != tt.want {
				t.Errorf("got:\n%q\nwant:\n%q", got, tt.want)
			}
		})
	}
}

func TestBinaryLayout(t *testing.T) {
	t.Parallel()
	r := exchange()
	r.Header = http.Header{"Content-Type": {"image/png"}}
	r.Body = []byte("\x89PNG\r\n\x1a\n")
	if got, want := show(t, Options{}, r, "hbm"),
		"HTTP/1.1 200 OK\nContent-Type: image/png\n\n\x89PNG\r\n\x1a\n\n"+meta; got != want {
		t.Errorf("not terminal: got %q, want %q", got, want)
	}
	r.Body = []byte("\x89PNG")
	if got, want := show(t, Options{}, r, "bm"), "\x89PNG\n\n"+meta; got != want {
		t.Errorf("not terminal, no final newline: got %q, want %q", got, want)
	}
	if got, want := show(t, Options{Terminal: true}, r, "bm"),
		"binary data not shown: 4 bytes, image/png (use -o FILE)\n\n"+meta; got != want {
		t.Errorf("terminal: got %q, want %q", got, want)
	}
}

func TestElapsed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0.0ms"},
		{-time.Second, "0.0ms"},
		{49 * time.Microsecond, "0.0ms"},
		{50 * time.Microsecond, "0.1ms"},
		{12345678, "12.3ms"},
		{999 * time.Millisecond, "999.0ms"},
		{999960 * time.Microsecond, "1s"},
		{1204 * time.Millisecond, "1.204s"},
		{1204400 * time.Microsecond, "1.204s"},
		{62500 * time.Millisecond, "1m2.5s"},
	}
	for _, tt := range tests {
		if got := string(appendElapsed(nil, tt.d)); got != tt.want {
			t.Errorf("%v: got %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestParseParts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want, err string
	}{
		{"H", "H", ""},
		{"hb", "hb", ""},
		{"bh", "hb", ""},
		{"mbhBH", "HBhbm", ""},
		{"bb", "b", ""},
		{"", "", `invalid --print value "": use the letters H B h b m`},
		{"x", "", `invalid --print value "x": use the letters H B h b m`},
		{"hbx", "", `invalid --print value "hbx": use the letters H B h b m`},
		{"h b", "", `invalid --print value "h b": use the letters H B h b m`},
	}
	for _, tt := range tests {
		p, err := ParseParts(tt.in)
		switch {
		case tt.err != "":
			if err == nil || err.Error() != tt.err {
				t.Errorf("ParseParts(%q): error %v, want %q", tt.in, err, tt.err)
			}
		case err != nil:
			t.Errorf("ParseParts(%q): %v", tt.in, err)
		case p.String() != tt.want:
			t.Errorf("ParseParts(%q) = %q, want %q", tt.in, p.String(), tt.want)
		}
	}
	if got := (Parts{ReqBody: true, Meta: true}).String(); got != "Bm" {
		t.Errorf("String() = %q", got)
	}
}

func TestColor(t *testing.T) {
	t.Parallel()
	for _, code := range []int{101, 200, 302, 404, 503, 700} {
		r := exchange()
		r.StatusCode = code
		plain := show(t, Options{Pretty: true, Terminal: true}, r, "Hhbm")
		if strings.Contains(plain, "\x1b") {
			t.Errorf("%d: color off printed an escape: %q", code, plain)
		}
		colored := show(t, Options{Pretty: true, Terminal: true, Color: true}, r, "Hhbm")
		if !strings.Contains(colored, "\x1b[") {
			t.Errorf("%d: color on printed no colors: %q", code, colored)
		}
		if got := stripSGR(colored); got != plain {
			t.Errorf("%d: colored output differs beyond its colors:\n%q\n%q", code, got, plain)
		}
	}
	r := exchange()
	colored := show(t, Options{Pretty: true, Color: true}, r, "Hhb")
	for _, want := range []string{
		"\x1b[1mGET /get?a=1&b=two HTTP/1.1\x1b[22m\n",
		"\x1b[1;32mHTTP/1.1 200 OK\x1b[22;0m\n",
		"\x1b[36mContent-Type\x1b[0m: application/json\n",
		"\x1b[1m\x1b[94m\"a\"\x1b[0m", // tidwall/pretty's key color
	} {
		if !strings.Contains(colored, want) {
			t.Errorf("colored output lacks %q:\n%q", want, colored)
		}
	}
	r.StatusCode = 500
	if got := show(t, Options{Color: true}, r, "h"); !strings.HasPrefix(got, "\x1b[1;31mHTTP/1.1 500 OK") {
		t.Errorf("500: %q", got)
	}
	// Text bodies are not colored.
	if got := show(t, Options{Color: true}, post(), "b"); got != "created\n" {
		t.Errorf("text body: %q", got)
	}
}

// stripSGR removes ANSI SGR sequences (ESC [ params m).
func stripSGR(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] == ';' || s[j] >= '0' && s[j] <= '9') {
				j++
			}
			if j < len(s) && s[j] == 'm' {
				i = j
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestTerminalHead(t *testing.T) {
	t.Parallel()
	r := exchange()
	r.Reason = "OK\x1b]0;pwn\a\r\n\u009b31m"
	r.Header = http.Header{
		"X-Evil":     {"a\u202eb\x7fc\xff\td"},
		"X-\x1bName": {"v"},
	}
	r.Request.URL.RawQuery = "q=%1b"
	r.Request.Header.Set("X-Note", "caf\u00e9 \u200f")
	got := show(t, Options{Terminal: true}, r, "Hh")
	want := "GET /get?q=%1b HTTP/1.1\n" +
		"Host: example.com\n" +
		"Accept: */*\n" +
		"User-Agent: reqsh/1.0\n" +
		`X-Note: café \u200f` + "\n" +
		"\n" +
		`HTTP/1.1 200 OK\x1b]0;pwn\x07\r\n\u009b31m` + "\n" +
		`X-\x1bName: v` + "\n" + // sorted by bytes: ESC before E
		`X-Evil: a\u202eb\x7fc\xff` + "\td\n"
	if got != want {
		t.Errorf("terminal:\ngot  %q\nwant %q", got, want)
	}
	got = show(t, Options{}, r, "h")
	want = "HTTP/1.1 200 OK\x1b]0;pwn\a\r\n\u009b31m\n" +
		"X-\x1bName: v\n" +
		"X-Evil: a\u202eb\x7fc\xff\td\n"
	if got != want {
		t.Errorf("not terminal:\ngot  %q\nwant %q", got, want)
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(b []byte) (int, error) {
	if w.n == 0 {
		return 0, errors.New("disk full")
	}
	w.n--
	return len(b), nil
}

func TestWriteError(t *testing.T) {
	t.Parallel()
	for n := range 4 {
		p := New(&failWriter{n: n}, Options{Pretty: true})
		if err := p.Exchange(exchange(), Parts{ReqHeaders: true, RespHeaders: true, RespBody: true, Meta: true}); err == nil || err.Error() != "disk full" {
			t.Errorf("after %d writes: error %v", n, err)
		}
	}
	if err := New(&failWriter{}, Options{}).Body([]byte("x"), ""); err == nil {
		t.Error("Body: no error")
	}
	if err := New(&failWriter{}, Options{}).Exchange(nil, Parts{}); err == nil {
		t.Error("nil response: no error")
	}
}

func TestPrinterReuse(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	p := New(&out, Options{Pretty: true})
	for range 3 {
		out.Reset()
		if err := p.Exchange(exchange(), Parts{RespHeaders: true, RespBody: true}); err != nil {
			t.Fatal(err)
		}
		if got, want := out.String(), respHead+"\n"+respBody; got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
		out.Reset()
		if err := p.Body([]byte("x"), "text/plain"); err != nil {
			t.Fatal(err)
		}
		if got := out.String(); got != "x\n" {
			t.Fatalf("Body after Exchange: %q", got)
		}
	}
}
