package repl

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/reqsh/reqsh/internal/demo"
)

// sessRun runs reqsh once, as its own shell, on a script, and returns
// stdout, stderr and the exit status.
func sessRun(t *testing.T, env []string, script string, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(args, strings.NewReader(script), &stdout, &stderr, env)
	return stdout.String(), stderr.String(), code
}

// sessEcho is what the demo httpbin's /anything saw.
type sessEcho struct {
	Headers map[string][]string `json:"headers"`
	Args    map[string][]string `json:"args"`
}

// sessAnything runs a script whose last command is `get /anything` and
// returns what the server saw.
func sessAnything(t *testing.T, env []string, script string, args ...string) sessEcho {
	t.Helper()
	out, errOut, code := sessRun(t, env, script+"get /anything\n", args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// The last body starts at the last line that is just "{".
	i := strings.LastIndex("\n"+out, "\n{\n")
	var e sessEcho
	if i < 0 || json.Unmarshal([]byte(out[i:]), &e) != nil {
		t.Fatalf("no httpbin echo in the output:\n%s", out)
	}
	return e
}

// wantSent checks headers and args the server saw.
func wantSent(t *testing.T, e sessEcho, headers map[string]string, args map[string]string) {
	t.Helper()
	for name, want := range headers {
		if got := strings.Join(e.Headers[name], ", "); got != want {
			t.Errorf("server saw %s %q, want %q", name, got, want)
		}
	}
	for name, want := range args {
		if got := strings.Join(e.Args[name], ", "); got != want {
			t.Errorf("server saw param %s=%q, want %q", name, got, want)
		}
	}
}

// stateScript sets headers, params, auth and two cookies (one from the
// server, one by hand).
const stateScript = `header set User-Agent my-program
params set from perfcode.com
auth user pass
get /cookies/set/token/123456
cookies set flavor oatmeal
`

// stateSent is what the server must see from stateScript's session.
var stateSent = map[string]string{
	"User-Agent":    "my-program",
	"Authorization": "Basic dXNlcjpwYXNz",
	"Cookie":        "token=123456; flavor=oatmeal",
}

// TestSessionSaveLoadAcrossRuns saves a named session in one run and
// loads it in another: the server sees the same headers, params, cookies
// and auth.
func TestSessionSaveLoadAcrossRuns(t *testing.T) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	env := testEnv(t)
	if _, errOut, code := sessRun(t, env, stateScript+"session save work\n", srv.URL); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, errOut)
	}
	home, _ := lookupEnv(env, "XDG_CONFIG_HOME")
	host := strings.ReplaceAll(strings.TrimPrefix(srv.URL, "http://"), ":", "_")
	path := filepath.Join(home, "reqsh", "sessions", host, "work.json")
	checkMode(t, path, 0o600)
	checkMode(t, filepath.Dir(path), 0o700)

	e := sessAnything(t, env, "session load work\n", srv.URL)
	wantSent(t, e, stateSent, map[string]string{"from": "perfcode.com"})

	// The same file by its PATH, and in a shell started with no base URL:
	// the base URL comes from the file.
	e = sessAnything(t, env, "session load "+path+"\n")
	wantSent(t, e, stateSent, map[string]string{"from": "perfcode.com"})
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s: mode %o, want %o", path, got, want)
	}
}

// TestSessionFlag checks --session: loaded at start, saved at exit,
// created when missing, not written with --read-only, and -H on the
// command line winning over the file.
func TestSessionFlag(t *testing.T) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	env := testEnv(t)
	if _, errOut, code := sessRun(t, env, stateScript, "--session", "work", srv.URL); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, errOut)
	}
	e := sessAnything(t, env, "", "--session", "work", srv.URL)
	wantSent(t, e, stateSent, map[string]string{"from": "perfcode.com"})

	path := filepath.Join(t.TempDir(), "s.json")
	if _, errOut, code := sessRun(t, env, "header set X-A 1\n", "-s", path, srv.URL); code != 0 {
		t.Fatalf("new file: exit %d: %s", code, errOut)
	}
	checkMode(t, path, 0o600)
	before, _ := os.ReadFile(path)
	e = sessAnything(t, env, "header set X-A 2\nheader set X-B 3\n", "--session", path, "--read-only", "-H", "X-C: 4")
	wantSent(t, e, map[string]string{"X-A": "2", "X-B": "3", "X-C": "4"}, nil)
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Errorf("--read-only wrote the file:\n%s", after)
	}
	e = sessAnything(t, env, "", "--session", path, "-H", "X-A: flag")
	wantSent(t, e, map[string]string{"X-A": "flag"}, nil)

	out, _, _ := sessRun(t, env, "session\nsession save\n", "--session", path, "--read-only")
	if want := "file:        " + path + " (read-only)\nbase:        " + srv.URL + "\n"; !strings.HasPrefix(out, want) {
		t.Errorf("session with --read-only shows:\n%s\nwant it to start with:\n%s", out, want)
	}
}

// TestSessionFlagCorrupt checks that a corrupt --session file stops reqsh
// before any command runs, with a clear error, and is never overwritten.
func TestSessionFlagCorrupt(t *testing.T) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "s.json")
	const corrupt = "{\"headers\": [\n  {\"name\": \"A\", \"value\": \n"
	if err := os.WriteFile(path, []byte(corrupt), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := sessRun(t, testEnv(t), "get /get\nsession save "+path+"\n", "--session", path, srv.URL)
	if code != ExitFailure || out != "" {
		t.Errorf("exit %d with output %q, want exit %d and no command run", code, out, ExitFailure)
	}
	if !strings.Contains(errOut, path) || !strings.Contains(errOut, "invalid JSON at line 3") {
		t.Errorf("stderr = %q, want the file and the line of the error", errOut)
	}
	if got, _ := os.ReadFile(path); string(got) != corrupt {
		t.Errorf("the corrupt file was overwritten:\n%s", got)
	}

	// An explicit save does not overwrite it either.
	_, errOut, code = sessRun(t, testEnv(t), "session save "+path+"\n", srv.URL)
	if code != ExitFailure || !strings.Contains(errOut, "not overwritten") {
		t.Errorf("session save over a corrupt file: exit %d, stderr %q", code, errOut)
	}
	if got, _ := os.ReadFile(path); string(got) != corrupt {
		t.Errorf("the corrupt file was overwritten:\n%s", got)
	}
}

// TestSessionLoadHTTPieFixture loads the HTTPie 3 file in testdata at the
// prompt and sends its header, cookies and auth.
func TestSessionLoadHTTPieFixture(t *testing.T) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	fixture, _ := filepath.Abs(filepath.Join("..", "testdata", "sessions", "httpie.json"))
	e := sessAnything(t, testEnv(t), "session load "+fixture+"\n", srv.URL)
	wantSent(t, e, map[string]string{
		"User-Agent":    "my-program",
		"Authorization": "Basic dXNlcjpwYXNz",
		"Cookie":        "token=123456; theme=dark",
	}, nil)
}

// TestCookieStaysOnItsHost checks that a cookie set with `cookies set` is
// host-only: not sent to another host, also across a redirect.
func TestCookieStaysOnItsHost(t *testing.T) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	other := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	script := "cookies set token abc\n" +
		"get /cookies\n" +
		"get /redirect-to?url=" + other + "/cookies\n" +
		"get " + other + "/cookies\n"
	out, errOut, code := sessRun(t, testEnv(t), script, srv.URL)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := `{ "cookies": { "token": "abc" } }` + "\n" + `{ "cookies": { } }` + "\n" + `{ "cookies": { } }` + "\n"
	if out != want {
		t.Errorf("output:\n%s\nwant:\n%s", out, want)
	}
}

// TestSessionShowMasks checks that `session` shows every part of the
// session and no secret.
func TestSessionShowMasks(t *testing.T) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	secrets := []string{"pw-s3cret", "hdr-tok", "key-456", "cookie-789", "param-tok", "proxy-pw", "url-pw"}
	script := `auth user pw-s3cret
header set Authorization Bearer hdr-tok
header set X-Api-Key key-456
header set Accept application/json
cookies set sid cookie-789
params set token param-tok
params set page 2
get /get
session
set proxy http://me:proxy-pw@127.0.0.1:1
base http://me:url-pw@example.com
show
auth bearer pw-s3cret
session show
`
	out, errOut, code := sessRun(t, testEnv(t), script, srv.URL)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// What get /get printed is the server's echo, secrets and all.
	out = out[strings.Index(out, "\nbase:")+1:]
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("secret %q in the output:\n%s", s, out)
		}
	}
	for _, want := range []string{
		"base:        " + srv.URL + "\n",
		"headers:     Accept: application/json\n",
		"             Authorization: ****\n",
		"             X-Api-Key: ****\n",
		"params:      token=****\n             page=2\n",
		"auth:        basic user:****\n",
		"cookies:     sid=**** (127.0.0.1 /, session, host-only)\n",
		"options:     timeout none, max-time none, follow on, max-redirects 30,",
		"connections: 1 open\n",
		"base:        http://me:****@example.com\n",
		"proxy http://me:****@127.0.0.1:1,",
		"auth:        bearer ****\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output has no %q:\n%s", want, out)
		}
	}
}

// TestSessionNames checks NAME and PATH resolution and its errors.
func TestSessionNames(t *testing.T) {
	sh := testShell(t)
	sh.env = []string{"HOME=/home/u"}
	sh.sess.Base = nil
	if _, err := sh.sessionPath("work"); err == nil || !strings.Contains(err.Error(), "set a base URL first") {
		t.Errorf("NAME with no base URL: err = %v", err)
	}
	if err := sh.execLine("base http://API.example.com:8080/v1"); err != nil {
		t.Fatal(err)
	}
	for arg, want := range map[string]string{
		"work":          "/home/u/.config/reqsh/sessions/api.example.com_8080/work.json",
		"work.v2-b_c":   "/home/u/.config/reqsh/sessions/api.example.com_8080/work.v2-b_c.json",
		"s.json":        "s.json",
		"./s":           "./s",
		"~/s/x.json":    "/home/u/s/x.json",
		"/abs/path.txt": "/abs/path.txt",
	} {
		if got, err := sh.sessionPath(arg); err != nil || got != want {
			t.Errorf("sessionPath(%q) = %q, %v, want %q", arg, got, err, want)
		}
	}
	sh.env = append(sh.env, "XDG_CONFIG_HOME=/xdg")
	if got, _ := sh.sessionPath("work"); got != "/xdg/reqsh/sessions/api.example.com_8080/work.json" {
		t.Errorf("with XDG_CONFIG_HOME: %q", got)
	}
	for _, bad := range []string{"..", "a b", "a:b", ""} {
		if _, err := sh.sessionPath(bad); err == nil {
			t.Errorf("sessionPath(%q): no error", bad)
		}
	}
}

// TestCompleteSessionNames checks that session save and load offer the
// names saved for the base URL's host, and files for a PATH.
func TestCompleteSessionNames(t *testing.T) {
	sh := testShell(t)
	sh.env = testEnv(t)
	for _, line := range []string{"session save alpha", "session save beta"} {
		if err := sh.execLine(line); err != nil {
			t.Fatal(err)
		}
	}
	for line, want := range map[string][]string{
		"session load ":   {"alpha", "beta"},
		"session save al": {"alpha"},
		"session load ../testdata/sessions/httpie.": {"../testdata/sessions/httpie.json"},
	} {
		if _, got := sh.complete(line); !reflect.DeepEqual(got, want) {
			t.Errorf("complete(%q) = %q, want %q", line, got, want)
		}
	}
}
