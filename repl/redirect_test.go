package repl

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reqsh/reqsh/internal/demo"
)

// countingDemo is the demo httpbin, counting the requests for each path.
type countingDemo struct {
	mu    sync.Mutex
	paths map[string]int
}

func newCountingDemo(t *testing.T) (*countingDemo, *httptest.Server) {
	t.Helper()
	c := &countingDemo{paths: map[string]int{}}
	h := demo.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.paths[r.URL.Path]++
		c.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return c, srv
}

func (c *countingDemo) count(path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.paths[path]
}

func (c *countingDemo) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.paths {
		n += v
	}
	return n
}

// runWithPath runs a script with the test environment plus PATH, for the
// commands a pipe starts.
func runWithPath(t *testing.T, script string, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr syncBuffer
	env := append(testEnv(t), "PATH="+os.Getenv("PATH"))
	code := Main(args, strings.NewReader(script), &stdout, &stderr, env)
	return stdout.String(), stderr.String(), code
}

// TestOutputToFile: > writes and >> appends exactly the bytes a pipe gets
// (compared with stdout in a script), without colors even when the
// shell's output has them; > replaces what the file held.
func TestOutputToFile(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	json, _, _ := runWithPath(t, "get /json\n", "--color", "never", srv.URL)
	args, _, _ := runWithPath(t, "get /get a==1\n", "--color", "never", srv.URL)
	colored, _, _ := runWithPath(t, "get /json\n", "--color", "always", srv.URL)
	if json == "" || args == "" || !strings.Contains(colored, "\x1b[") {
		t.Fatalf("reference outputs: %q, %q; colored %q", json, args, colored)
	}

	dir := t.TempDir()
	out, app := filepath.Join(dir, "out.json"), filepath.Join(dir, "log.json")
	if err := os.WriteFile(out, []byte("old content, longer than nothing\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	script := "get /json > " + out + "\n" +
		"get /json >> " + app + "\n" +
		"get /get a==1 >> '" + app + "'\n"
	stdout, stderr, code := runWithPath(t, script, "--color", "always", srv.URL)
	if code != 0 || stdout != "" || stderr != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if got, _ := os.ReadFile(out); string(got) != json {
		t.Errorf("> wrote %q\nwant %q", got, json)
	}
	if got, _ := os.ReadFile(app); string(got) != json+args {
		t.Errorf(">> left %q\nwant %q", got, json+args)
	}
}

// TestOutputTargetErrors: a target that cannot be used is one error line
// and nothing is sent.
func TestOutputTargetErrors(t *testing.T) {
	t.Parallel()
	c, srv := newCountingDemo(t)
	dir := t.TempDir()
	for _, tc := range []struct{ line, want string }{
		{"get /get > " + dir, "is a directory"},
		{"get /get >> " + dir, "is a directory"},
		{"get /get > " + filepath.Join(dir, "no", "such", "x.json"), "no such file or directory"},
		{"post /post a=1 > ", "> needs a file name"},
		{"get /get | ", "| needs a command"},
	} {
		_, stderr, code := runWithPath(t, tc.line+"\n", srv.URL)
		if code != 1 {
			t.Errorf("%q: exit %d, want 1", tc.line, code)
		}
		wantOneErrorLine(t, stderr, "error: line 1: ", tc.want)
	}
	if n := c.total(); n != 0 {
		t.Errorf("the server got %d requests, want none", n)
	}
}

// TestOutputPipe: | runs sh -c COMMAND on the body a pipe gets; its
// output shows; a status other than 0 fails the command; a command that
// stops reading early is no error of the request.
func TestOutputPipe(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	ref, _, _ := runWithPath(t, "get /get a==1\n", srv.URL)
	script := "get /get a==1 | cat\n" +
		"get /get a==1 | wc -c\n" +
		"get /bytes/200000 | head -c 10 >/dev/null; echo stopped\n" +
		"get /get | sh -c 'cat >/dev/null; exit 7'\n"
	stdout, stderr, code := runWithPath(t, script, "-k", srv.URL)
	if code != 1 {
		t.Errorf("exit %d, want 1 (one command failed)", code)
	}
	want := ref + strconv.Itoa(len(ref)) + "\n" + "stopped\n"
	if normalizeSpaces(stdout) != normalizeSpaces(want) {
		t.Errorf("stdout:\n%q\nwant:\n%q", stdout, want)
	}
	wantOneErrorLine(t, stderr, "error: line 4: ", `pipe to "sh -c 'cat >/dev/null; exit 7'"`, "exit status 7")
}

// normalizeSpaces drops the padding some wc implementations put before
// the count.
func normalizeSpaces(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, " ")
	}
	return strings.Join(lines, "\n")
}

// TestOutputPipeJQ: | jq shows jq's output of the body (skipped when jq
// is not installed).
func TestOutputPipeJQ(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("jq"); err != nil {
		t.Skip("jq not installed")
	}
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	stdout, stderr, code := runWithPath(t, "get /json | jq -c .slideshow.author\nget /get a==1 a==2 | jq -r '.args.a | join(\",\")'\n", srv.URL)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if want := "\"Yours Truly\"\n1,2\n"; stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
}

// TestOfflineMatchesSent: --offline sends nothing, and prints exactly the
// request head and body that -v shows for the same request really sent:
// session headers, params, auth, and cookies the server set.
func TestOfflineMatchesSent(t *testing.T) {
	t.Parallel()
	c, srv := newCountingDemo(t)
	setup := "get /cookies/set?k=v\nheader set X-Session s\nparams set p 1\nauth user pass\n"
	line := "post /anything a=1 n:=2 X-Item:i"
	offline, stderr, code := runWithPath(t, setup+line+" --offline\n", srv.URL)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if n := c.count("/anything"); n != 0 {
		t.Fatalf("--offline sent %d requests", n)
	}
	for _, want := range []string{"POST /anything?p=1 HTTP/1.1\n", "Cookie: k=v\n", "X-Session: s\n", "X-Item: i\n", "Authorization: Basic ", "\n\n{ \"a\": \"1\", \"n\": 2 }\n"} {
		if !strings.Contains(offline, want) {
			t.Errorf("--offline output lacks %q:\n%s", want, offline)
		}
	}
	// The cookie request printed its body before; keep only what the
	// request line starts.
	offline = offline[strings.Index(offline, "POST /anything"):]

	sent, stderr, code := runWithPath(t, setup+line+" -v\n", srv.URL)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if n := c.count("/anything"); n != 1 {
		t.Fatalf("-v sent %d requests, want 1", n)
	}
	sent = sent[strings.Index(sent, "POST /anything"):]
	if !strings.HasPrefix(sent, offline+"\nHTTP/1.1 200 OK\n") {
		t.Errorf("--offline printed:\n%s\n-v printed:\n%s", offline, sent)
	}
}

// TestOutputAtTerminal: at a terminal, where the default is hb and
// colors are on, > FILE gets what a pipe gets: the body, no colors; a
// pipe's command shows its output.
func TestOutputAtTerminal(t *testing.T) {
	srv, _ := ptyServer(t)
	want, _, _ := runWithPath(t, "get /json\n", srv.URL)
	file := filepath.Join(t.TempDir(), "out.json")
	term := startTerminal(t, "--color", "always", srv.URL)
	m := term.mark()
	term.waitFor(m, "> ", 10*time.Second)
	m = term.mark()
	term.typeText("get /json > " + file + "\r")
	// The next command runs when the first is done: its output says so.
	term.typeText("json slideshow.author\r")
	screen := term.waitFor(m, "Yours Truly", 10*time.Second)
	got, err := os.ReadFile(file)
	if err != nil || string(got) != want {
		t.Errorf("the file holds %q (%v), want %q", got, err, want)
	}
	if strings.Contains(screen, "HTTP/1.1") || strings.Contains(screen, "Sample Slide Show") {
		t.Errorf("the output showed on the screen:\n%q", screen)
	}
	// A pipe's command writes to the terminal itself.
	m = term.mark()
	term.typeText("get /json | tr a-z A-Z\r")
	term.waitFor(m, `"AUTHOR": "YOURS TRULY"`, 10*time.Second)
	term.typeText("exit\r")
	if code := term.exit(10 * time.Second); code != 0 {
		t.Errorf("exit %d", code)
	}
}

// TestCheckStatusDownload: --check-status applies to a download (-o) too;
// the body is saved all the same.
func TestCheckStatusDownload(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "teapot.txt")
	_, stderr, code := runWithPath(t, "get /status/418 -o "+file+" --check-status\n", srv.URL)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	wantOneErrorLine(t, stderr, "error: line 1: ", "HTTP 418 I'm a teapot (--check-status)")
	if got, err := os.ReadFile(file); err != nil || !strings.Contains(string(got), "teapot") {
		t.Errorf("the file holds %q (%v)", got, err)
	}
}
