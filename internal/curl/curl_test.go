package curl

import (
	"net/http"
	"net/url"
	"os/exec"
	"testing"

	"github.com/reqsh/reqsh/internal/format"
	"github.com/reqsh/reqsh/session"
)

// TestQuoteVisible checks that bash, in the C locale too, reads every
// quoted string back as it was.
func TestQuoteVisible(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	for _, s := range []string{
		"plain", "it's", "a\u202eb", "a\u202e'b\\c", "esc\x1b]0;t\x07", "c1\u009b1m", "cr\r\nlf",
		"sep\u2028x", "bad\xff\xfeutf8", "tab\tand\nnewline\u2066", "hex\x1bAf",
	} {
		q := QuoteVisible(s)
		if format.Sanitize(q) != q {
			t.Errorf("QuoteVisible(%q) = %q is not safe for a terminal", s, q)
		}
		cmd := exec.Command(bash, "-c", "printf %s "+q)
		cmd.Env = []string{"LC_ALL=C"}
		out, err := cmd.Output()
		if err != nil || string(out) != s {
			t.Errorf("QuoteVisible(%q) = %s: bash read %q, %v", s, q, out, err)
		}
	}
}

func TestCommand(t *testing.T) {
	u := func(s string) *url.URL {
		t.Helper()
		p, err := url.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	std := func(extra ...string) http.Header {
		h := http.Header{"Host": {"h"}, "User-Agent": {"reqsh/dev"}, "Accept": {"*/*"}}
		for i := 0; i+1 < len(extra); i += 2 {
			h.Set(extra[i], extra[i+1])
		}
		return h
	}
	on := session.DefaultOptions()
	cases := []struct {
		name string
		req  session.SentRequest
		opts session.Options
		want string
	}{
		{
			name: "head",
			req:  session.SentRequest{Method: "HEAD", URL: u("http://h/x"), Header: std()},
			opts: on,
			want: "curl --head 'http://h/x' \\\n  -H 'Accept: */*' \\\n  -H 'User-Agent: reqsh/dev'",
		},
		{
			name: "get with another Host and no Accept-Encoding",
			req:  session.SentRequest{Method: "GET", URL: u("http://h/x?a=1&b=2"), Header: std("Host", "other.example")},
			opts: on,
			want: "curl 'http://h/x?a=1&b=2' \\\n  -H 'Accept: */*' \\\n  -H 'Host: other.example' \\\n  -H 'User-Agent: reqsh/dev'",
		},
		{
			name: "get with a body",
			req:  session.SentRequest{Method: "GET", URL: u("http://h/"), Header: std("Content-Type", "text/plain", "Content-Length", "2"), Body: []byte("hi")},
			opts: on,
			want: "curl -X GET 'http://h/' \\\n  -H 'Accept: */*' \\\n  -H 'Content-Type: text/plain' \\\n  -H 'User-Agent: reqsh/dev' \\\n  --data-binary 'hi'",
		},
		{
			name: "post body without Content-Type",
			req:  session.SentRequest{Method: "POST", URL: u("http://h/"), Header: std("Content-Length", "5"), Body: []byte("a'b\r\n")},
			opts: on,
			want: "curl 'http://h/' \\\n  -H 'Accept: */*' \\\n  -H 'User-Agent: reqsh/dev' \\\n  -H 'Content-Type:' \\\n  --data-binary 'a'\\''b\r\n'",
		},
		{
			name: "https with options, IPv6 host, no default headers",
			req:  session.SentRequest{Method: "PUT", URL: u("https://[::1]:8443/x"), Header: http.Header{"Host": {"[::1]:8443"}, "Accept-Encoding": {"gzip"}, "Content-Length": {"0"}}},
			opts: session.Options{Verify: session.VerifyOff, Proxy: "http://proxy:3128"},
			want: "curl -X PUT --globoff 'https://[::1]:8443/x' \\\n  -H 'Accept-Encoding: gzip' \\\n  -H 'Content-Length: 0' \\\n  -H 'User-Agent:' \\\n  -H 'Accept:' \\\n  --compressed \\\n  --insecure \\\n  --proxy 'http://proxy:3128'",
		},
		{
			name: "CA bundle",
			req:  session.SentRequest{Method: "GET", URL: u("https://h/"), Header: std("Host", "h")},
			opts: session.Options{Verify: session.VerifyCA("/etc/my ca.pem")},
			want: "curl 'https://h/' \\\n  -H 'Accept: */*' \\\n  -H 'User-Agent: reqsh/dev' \\\n  --cacert '/etc/my ca.pem'",
		},
	}
	for _, c := range cases {
		got, err := Command(&c.req, c.opts, Quote)
		if err != nil || got != c.want {
			t.Errorf("%s:\n got %q, %v\nwant %q", c.name, got, err, c.want)
		}
	}

	bad := []struct {
		body []byte
		err  string
	}{
		{[]byte{'a', 0, 'b'}, "the last request body is binary (3 bytes); not exported"},
		{[]byte{0xff, 0xfe}, "the last request body is binary (2 bytes); not exported"},
		{[]byte("a\x1b[31mb"), "the last request body has control characters (7 bytes); not exported"},
		{[]byte("a\rb"), "the last request body has control characters (3 bytes); not exported"},
		{[]byte("a\u009bb"), "the last request body has control characters (4 bytes); not exported"},
	}
	for _, b := range bad {
		req := &session.SentRequest{Method: "POST", URL: u("http://h/"), Header: std(), Body: b.body}
		if _, err := Command(req, on, Quote); err == nil || err.Error() != b.err {
			t.Errorf("body %q: error %v, want %q", b.body, err, b.err)
		}
	}
}

// TestQuote checks that a POSIX shell reads every quoted string back
// as it was.
func TestQuote(t *testing.T) {
	for _, s := range []string{
		"", "plain", "PUT", "two words", "it's", "'", "''", `a\b`, `"$HOME"`, "`id`",
		"$(id)", "a\nb", "tab\there", "*", "semi;colon", "{a,b}", "ünïcode", "-x",
	} {
		out, err := exec.Command("sh", "-c", "printf %s "+Quote(s)).Output()
		if err != nil || string(out) != s {
			t.Errorf("Quote(%q) = %s: sh read %q, %v", s, Quote(s), out, err)
		}
	}
}
