package repl

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/reqsh/reqsh/internal/demo"
	"github.com/reqsh/reqsh/internal/format"
	"github.com/reqsh/reqsh/session"
)

// TestCurlRunsTheSameRequest sends requests with reqsh, runs the command
// line that curl prints for each, and checks that the httpbin echo curl
// gets is the echo reqsh got: same method, URL, headers and body.
func TestCurlRunsTheSameRequest(t *testing.T) {
	curlPath, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed")
	}
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	var out bytes.Buffer
	sh := scriptShell(t, srv.URL, &out)
	exec1 := func(line string) {
		t.Helper()
		out.Reset()
		if err := sh.execLine(line); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		sh.out.Flush()
	}
	for _, line := range []string{
		"get /cookies/set?theme=dark", // a cookie from the server
		"cookies set sid abc123",      // and one set by hand
		"auth user pass",
		"header set X-Trace on",
	} {
		exec1(line)
	}
	upload := filepath.Join(t.TempDir(), "note.txt")
	if err := os.WriteFile(upload, []byte("it's a note\nline two\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"get /anything a==1 'q==two words' X-Quote:\"it's\"",
		`post /anything/items name=reqsh n:=1 "note=it's \$HOME" 'tags:=["a","b"]'`,
		"put /anything --form a=1 'b=x y&z'",
		"patch /anything --multipart x=1 f@" + upload,
		"delete /anything User-Agent: Accept:",
		"post /anything --raw @not-a-file Content-Type:text/plain",
		"post /anything --raw 'no type' Content-Type:",
		"post /anything",
		"get /gzip",
		"get /deflate",
		"get /redirect-to?url=/anything/final",
	} {
		t.Run(line, func(t *testing.T) {
			exec1(line)
			want := sh.last.Body
			exec1("curl")
			command := out.String()
			if !strings.HasPrefix(command, "curl ") {
				t.Fatalf("curl printed %q", command)
			}
			sameEcho(t, "sh", curlPath, command, want)
		})
	}
}

// sameEcho runs command (a curl command line) with the shell named and
// checks that the echo server's answer to curl is want, reqsh's answer:
// the server saw the same request.
func sameEcho(t *testing.T, shell, curlPath, command string, want []byte) {
	t.Helper()
	cmd := exec.Command(shell, "-c", command)
	cmd.Env = []string{"PATH=" + filepath.Dir(curlPath), "HOME=" + t.TempDir()}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s\nfailed: %v\n%s", command, err, stderr.String())
	}
	var gotEcho, wantEcho map[string]any
	if err := json.Unmarshal(want, &wantEcho); err != nil {
		t.Fatalf("reqsh's response is not JSON: %v\n%s", err, want)
	}
	if err := json.Unmarshal(stdout.Bytes(), &gotEcho); err != nil {
		t.Fatalf("curl's response is not JSON: %v\n%s\ncommand:\n%s", err, stdout.String(), command)
	}
	if !reflect.DeepEqual(gotEcho, wantEcho) {
		t.Errorf("curl's request differs from reqsh's\ncommand:\n%s\ncurl got:\n%s\nreqsh got:\n%s", command, stdout.String(), want)
	}
}

// TestCurlAtTerminalIsVisible exports a request whose header and body
// hold a right-to-left override and a C1 control: at a terminal the
// command shows them as escapes in $'...' and bash runs it to the same
// request; in a pipe the command is the exact text, and sh runs it to
// the same request.
func TestCurlAtTerminalIsVisible(t *testing.T) {
	curlPath, err := exec.LookPath("curl")
	if err != nil {
		t.Skip("curl is not installed")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	var out bytes.Buffer
	sh := scriptShell(t, srv.URL, &out)
	if err := sh.execLine("post /anything \"note=x\u202ey\" \"X-Note:a\u202eb\u009bc\""); err != nil {
		t.Fatal(err)
	}
	want := sh.last.Body
	if !bytes.Contains(want, []byte("a\u202eb\u009bc")) {
		t.Fatalf("the server did not get the header as typed (the test's premise):\n%s", want)
	}
	export := func(terminal bool) string {
		t.Helper()
		sh.out.Flush()
		out.Reset()
		sh.outTerminal = terminal
		if err := sh.execLine("curl"); err != nil {
			t.Fatal(err)
		}
		sh.out.Flush()
		return out.String()
	}

	shown := export(true)
	if strings.ContainsAny(shown, "\u202e\u009b") {
		t.Errorf("the command at a terminal holds a raw bidi or C1 control:\n%q", shown)
	}
	for _, part := range []string{`-H $'X-Note: a\xe2\x80\xaeb\xc2\x9bc'`, `--data-binary $'{"note":"x\xe2\x80\xaey"}'`, "-H 'Accept: application/json, */*'"} {
		if !strings.Contains(shown, part) {
			t.Errorf("the command at a terminal lacks %s:\n%s", part, shown)
		}
	}
	sameEcho(t, bash, curlPath, shown, want)

	piped := export(false)
	if !strings.Contains(piped, "-H 'X-Note: a\u202eb\u009bc'") {
		t.Errorf("the command in a pipe is not the exact text:\n%q", piped)
	}
	sameEcho(t, "sh", curlPath, piped, want)
}

// TestVisibleQuote checks that bash, in the C locale too, reads every
// quoted string back as it was.
func TestVisibleQuote(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	for _, s := range []string{
		"plain", "it's", "a\u202eb", "a\u202e'b\\c", "esc\x1b]0;t\x07", "c1\u009b1m", "cr\r\nlf",
		"sep\u2028x", "bad\xff\xfeutf8", "tab\tand\nnewline\u2066", "hex\x1bAf",
	} {
		q := visibleQuote(s)
		if format.Sanitize(q) != q {
			t.Errorf("visibleQuote(%q) = %q is not safe for a terminal", s, q)
		}
		cmd := exec.Command(bash, "-c", "printf %s "+q)
		cmd.Env = []string{"LC_ALL=C"}
		out, err := cmd.Output()
		if err != nil || string(out) != s {
			t.Errorf("visibleQuote(%q) = %s: bash read %q, %v", s, q, out, err)
		}
	}
}

// TestCurlHead checks that an exported HEAD request runs and gets the
// same status as reqsh.
func TestCurlHead(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	var out bytes.Buffer
	sh := scriptShell(t, srv.URL, &out)
	if err := sh.execLine("head /status/418"); err != nil {
		t.Fatal(err)
	}
	line, err := curlCommand(sh.last.Request, sh.sess.Options(), shellQuote)
	if err != nil {
		t.Fatal(err)
	}
	got, err := exec.Command("sh", "-c", line+" -s -o /dev/null -w '%{http_code}'").Output()
	if err != nil || string(got) != "418" || sh.last.StatusCode != 418 {
		t.Errorf("curl: %q, %v; reqsh: %d; want 418 from both\n%s", got, err, sh.last.StatusCode, line)
	}
}

func TestCurlCommand(t *testing.T) {
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
		got, err := curlCommand(&c.req, c.opts, shellQuote)
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
		if _, err := curlCommand(req, on, shellQuote); err == nil || err.Error() != b.err {
			t.Errorf("body %q: error %v, want %q", b.body, err, b.err)
		}
	}
}

// TestCurlBinaryBody checks the error line for a request whose body
// cannot be written on a command line.
func TestCurlBinaryBody(t *testing.T) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "blob.bin")
	if err := os.WriteFile(file, []byte{0x89, 'P', 'N', 'G', 0, 1}, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := Main([]string{srv.URL}, strings.NewReader("post /anything @"+file+"\ncurl\n"), &stdout, &stderr, testEnv(t))
	want := "error: line 2: curl: the last request body is binary (6 bytes); not exported\n"
	if code != ExitFailure || stderr.String() != want {
		t.Errorf("exit %d, stderr %q; want 1, %q", code, stderr.String(), want)
	}
}

// TestShellQuote checks that a POSIX shell reads every quoted string back
// as it was.
func TestShellQuote(t *testing.T) {
	for _, s := range []string{
		"", "plain", "PUT", "two words", "it's", "'", "''", `a\b`, `"$HOME"`, "`id`",
		"$(id)", "a\nb", "tab\there", "*", "semi;colon", "{a,b}", "ünïcode", "-x",
	} {
		out, err := exec.Command("sh", "-c", "printf %s "+shellQuote(s)).Output()
		if err != nil || string(out) != s {
			t.Errorf("shellQuote(%q) = %s: sh read %q, %v", s, shellQuote(s), out, err)
		}
	}
}
