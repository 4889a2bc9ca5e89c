package repl

import (
	"bytes"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reqsh/reqsh/internal/demo"
	"github.com/reqsh/reqsh/session"
)

// osc52 is what a hostile server hides in a path: an escape sequence that
// sets the clipboard (OSC 52), ended by BEL, percent-encoded in Location
// so that it arrives whole in the decoded path.
const osc52 = "%1B]52;c;cm0gLXJmIH4=%07"

// trapServer redirects /start through paths that carry a clipboard
// escape, a right-to-left override (raw UTF-8 in Location) and a line
// separator, then ends at /safe/end.
func trapServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/start":
			w.Header().Set("Location", "/clip"+osc52+"/x")
		case strings.HasPrefix(r.URL.Path, "/clip"):
			w.Header().Set("Location", "/bidi\u202egnp.exe")
		case strings.HasPrefix(r.URL.Path, "/bidi"):
			w.Header().Set("Location", "/sep%E2%80%A8line")
		case strings.HasPrefix(r.URL.Path, "/sep"):
			w.Header().Set("Location", "/safe/end")
		default:
			io.WriteString(w, "ok\n")
			return
		}
		w.WriteHeader(http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// dangerousText reports whether s holds one of the trap's characters.
func dangerousText(s string) bool {
	return strings.ContainsAny(s, "\x1b\x07\u202e\u2028\u2029\t\r\n")
}

// TestCompletionDropsNetworkEscapes follows a redirect chain through
// hostile paths: every path is remembered, but completion after "get /"
// and "cd " offers only the typeable ones, and the readline adapter
// returns no dangerous suffix.
func TestCompletionDropsNetworkEscapes(t *testing.T) {
	srv := trapServer(t)
	var out bytes.Buffer
	sh := scriptShell(t, srv.URL, &out)
	sh.interactive = true // paths are remembered at the prompt only
	if err := sh.execLine("get /start"); err != nil {
		t.Fatal(err)
	}
	hostile := 0
	for p := range sh.paths {
		if dangerousText(p) {
			hostile++
		}
	}
	if hostile != 3 {
		t.Fatalf("remembered paths %q: want the 3 hostile ones among them (the test's premise)", sh.seenPaths())
	}
	for _, line := range []string{"get /", "get ", "cd ", "cd /"} {
		_, got := sh.complete(line)
		if !contains(got, "/safe/end") || !contains(got, "/start") {
			t.Errorf("complete(%q) = %q: lacks the plain paths", line, got)
		}
		for _, c := range got {
			if dangerousText(c) {
				t.Errorf("complete(%q) offers %q", line, c)
			}
		}
	}
	c := &completer{sh: sh}
	line := []rune("get /")
	sufs, _ := c.Do(line, len(line))
	for _, s := range sufs {
		if dangerousText(string(s)) {
			t.Errorf("readline gets the suffix %q", string(s))
		}
	}
}

// TestTerminalCompletionNoEscapes is the same at a real terminal: after
// the hostile redirects, Tab Tab after "get /" lists the paths, and the
// screen gets no clipboard escape and no bidi control.
func TestTerminalCompletionNoEscapes(t *testing.T) {
	t.Parallel()
	srv := trapServer(t)
	host := strings.TrimPrefix(srv.URL, "http://")
	term := startTerminal(t, "--color", "never", srv.URL)
	term.waitFor(0, host+"> ", 5*time.Second)
	m := term.mark()
	term.typeText("get /start\r")
	term.waitFor(m, "ok", 5*time.Second)
	term.waitFor(m, host+"> ", 5*time.Second)
	m = term.mark()
	term.typeText("get /\t\t")
	// The whole list is on the screen once readline draws the line
	// again after it.
	screen, ok := term.waitUntil(m, 5*time.Second, func(s string) bool {
		i := strings.Index(s, "safe/end")
		return i >= 0 && strings.Contains(s[i:], host+"> get /")
	})
	if !ok {
		t.Fatalf("no list of paths, or no line after it:\n%q", screen)
	}
	if strings.Contains(screen, "\x1b]52") || strings.Contains(screen, "\u202e") ||
		strings.Contains(screen, "\u2028") {
		t.Errorf("completion wrote a hostile path to the terminal:\n%q", screen)
	}
}

// TestMessagesMaskURLSecrets sets a proxy and a base URL with passwords
// and sends requests with secret query params to a closed port: `set`,
// `base`, `show` and every error line show user:**** and token=****,
// never the secrets; the rest of the URL stays readable.
func TestMessagesMaskURLSecrets(t *testing.T) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	closed := "127.0.0.1:1" // nothing listens on port 1
	script := strings.Join([]string{
		"set proxy http://puser:p-s3cret@" + closed,
		"set proxy",
		"set",
		"show",
		"get " + srv.URL + "/get?token=t-s3cret",
		"set proxy none",
		"base http://buser:b-s3cret@" + closed + "/api",
		"base",
		"show",
		"get /x?access_key=k-s3cret&page=2",
		"get //u:pw-s3cret@" + closed + "/x?sig=g-s3cret",
		"get http://" + closed + "/cb#access_token=f-s3cret&state=1",
		"base http://u:pw-s3cret@[::1/",
	}, "\n") + "\n"
	got, code := runEcho(t, []string{"-k"}, script, testEnv(t))
	if code != ExitFailure {
		t.Errorf("exit %d, want %d (the requests fail)", code, ExitFailure)
	}
	for _, line := range strings.Split(got, "\n") {
		if strings.Contains(line, "s3cret") && !strings.HasPrefix(line, "> ") {
			t.Errorf("a secret is shown: %q", line)
		}
	}
	for _, want := range []string{
		"\nhttp://puser:****@" + closed + "\n",       // set proxy
		"proxy          http://puser:****@" + closed, // set
		"proxy http://puser:****@" + closed,          // show
		"\nhttp://buser:****@" + closed + "/api\n",   // base
		"base:        http://buser:****@" + closed + "/api\n",
		`"http://` + closed + `/x?access_key=****&page=2"`, // a request error
		`"http://` + closed + `/x?sig=****"`,
		`"http://` + closed + `/cb#access_token=****&state=1"`,
		`"http://u:****@[::1/"`, // an invalid URL
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "error: "); n != 5 {
		t.Errorf("%d error lines, want 5:\n%s", n, got)
	}
}

// TestCookiesMasked lists the jar with its values masked and a line that
// says how to see one; cookies show NAME shows it.
func TestCookiesMasked(t *testing.T) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	got, code := runEcho(t, []string{srv.URL}, "get /cookies/set?sid=c-s3cret\ncookies\ncookies show sid\ncookies show nosuch\n", testEnv(t))
	if code != ExitFailure {
		t.Errorf("exit %d, want %d (no cookie nosuch)", code, ExitFailure)
	}
	list, show, _ := strings.Cut(got, "> cookies show sid\n")
	list = list[strings.Index(list, "> cookies\n"):]
	if strings.Contains(list, "c-s3cret") || !strings.Contains(list, "sid   ****") ||
		!strings.Contains(list, "(values masked: cookies show NAME reveals one)") {
		t.Errorf("cookies:\n%s", list)
	}
	if !strings.Contains(show, "sid   c-s3cret") || strings.Contains(show, "values masked") ||
		!strings.Contains(show, `error: line 4: no cookie "nosuch"`) {
		t.Errorf("cookies show sid, cookies show nosuch:\n%s", show)
	}
}

func TestMaskURL(t *testing.T) {
	cases := map[string]string{
		"http://u:p@h/x":                   "http://u:****@h/x",
		"http://u@h/x":                     "http://u@h/x",
		"http://u:@h/x":                    "http://u:@h/x",
		"u:p@host/x":                       "u:****@host/x",
		"//u:p@host/x":                     "//u:****@host/x",
		"http://u:p:q@h:8080/a@b?x=1":      "http://u:****@h:8080/a@b?x=1",
		"http://h/x?token=abc&page=2#frag": "http://h/x?token=****&page=2#frag",
		"http://h/cb#access_token=abc&token_type=bearer&state=s": "http://h/cb#access_token=****&token_type=****&state=s",
		"http://h/app#/route?id_token=abc&x=1":                   "http://h/app#/route?id_token=****&x=1",
		"http://h/doc#section=2":                                 "http://h/doc#section=2",
		"http://h/x?a=1&api%5Fkey=k&pin=":                        "http://h/x?a=1&api%5Fkey=****&pin=",
		"http://u:p@[::1/":                                       "http://u:****@[::1/",
		"http://h/path@x?next=//a:b@c":                           "http://h/path@x?next=//a:b@c",
		"none (environment)":                                     "none (environment)",
		"http://example.com/users?sort=asc":                      "http://example.com/users?sort=asc",
	}
	for in, want := range cases {
		if got := maskURL(in); got != want {
			t.Errorf("maskURL(%q) = %q, want %q", in, got, want)
		}
	}
	msg := `get "http://u:xxxxx@h/x?token=t": too many redirects, last to "https://h2/y?sig=s&a=1"`
	want := `get "http://u:****@h/x?token=****": too many redirects, last to "https://h2/y?sig=****&a=1"`
	if got := maskURLsIn(msg); got != want {
		t.Errorf("maskURLsIn:\n got %q\nwant %q", got, want)
	}
}

// saveSession writes a session file with these options and base URL.
func saveSession(t *testing.T, path string, o session.Options, base string) {
	t.Helper()
	s, err := session.New(session.WithOptions(o))
	if err != nil {
		t.Fatal(err)
	}
	if base != "" {
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		s.Base = u
	}
	s.Headers.Set("X-From-File", "1")
	if err := s.Save(path); err != nil {
		t.Fatal(err)
	}
}

// TestSessionLoadWarns loads session files with `session load` and
// --session: a file that turns TLS verification off, sets a proxy or
// replaces the base URL prints one warning line naming each change (the
// proxy's password masked), which is also the line that confirms
// `session load`; a file that changes none of them prints nothing at
// start and the plain confirmation after `session load`.
func TestSessionLoadWarns(t *testing.T) {
	dir := t.TempDir()
	risky := filepath.Join(dir, "risky.json")
	o := session.DefaultOptions()
	o.Verify, o.Proxy = session.VerifyOff, "http://pu:px-s3cret@127.0.0.1:3128"
	saveSession(t, risky, o, "http://other.example/api")
	plain := filepath.Join(dir, "plain.json")
	saveSession(t, plain, session.DefaultOptions(), "http://127.0.0.1:8080")
	bundle := filepath.Join(dir, "bundle.json")
	o = session.DefaultOptions()
	caFile := filepath.Join(dir, "ca.pem")
	o.Verify = session.VerifyCA(caFile)
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	tlsSrv.Close()
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw})
	if err := os.WriteFile(caFile, ca, 0o600); err != nil {
		t.Fatal(err)
	}
	saveSession(t, bundle, o, "")

	cases := []struct {
		name   string
		args   []string
		script string
		want   string
	}{
		{"session load", []string{"http://127.0.0.1:8080"}, "session load " + risky + "\nheader\n",
			"warning: session file " + risky + " turns TLS verification off, sets the proxy to http://pu:****@127.0.0.1:3128, changes the base URL to http://other.example/api\n"},
		{"--session, base from the command line", []string{"--session", risky, "--read-only", "http://127.0.0.1:8080"}, "header\n",
			"warning: session file " + risky + " turns TLS verification off, sets the proxy to http://pu:****@127.0.0.1:3128\n"},
		{"--session, no base before", []string{"--session", risky, "--read-only"}, "header\n",
			"warning: session file " + risky + " turns TLS verification off, sets the proxy to http://pu:****@127.0.0.1:3128\n"},
		{"same base, verify on, no proxy", []string{"http://127.0.0.1:8080"}, "session load " + plain + "\nheader\n",
			"session loaded from " + plain + "\n"},
		{"--session plain", []string{"--session", plain, "--read-only"}, "header\n", ""},
		{"a CA bundle", []string{"http://127.0.0.1:8080"}, "session load " + bundle + "\nheader\n",
			"warning: session file " + bundle + " makes TLS trust the CA bundle " + caFile + "\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(c.args, strings.NewReader(c.script), &stdout, &stderr, testEnv(t))
			if code != ExitOK || stderr.String() != c.want {
				t.Errorf("exit %d, stderr:\n%q\nwant:\n%q", code, stderr.String(), c.want)
			}
			if !strings.Contains(stdout.String(), "X-From-File: 1") {
				t.Errorf("the file was not loaded: stdout %q", stdout.String())
			}
		})
	}
}
