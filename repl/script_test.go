package repl

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/reqsh/reqsh/internal/demo"
	"github.com/reqsh/reqsh/session"
)

// scriptShell is a script-mode shell over a base URL, writing to out.
func scriptShell(t *testing.T, baseURL string, out *bytes.Buffer) *shell {
	t.Helper()
	sh, err := newShell(&config{color: "never", baseURL: baseURL}, strings.NewReader(""), out, out, testEnv(t))
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

func TestExpand(t *testing.T) {
	var out bytes.Buffer
	sh := scriptShell(t, "", &out)
	sh.env = []string{"TERM=dumb", "EMPTY=", "TERM=xterm"}
	sh.vars = map[string]string{"user": "alice", "spaced": "a b", "braces": "{{user}}", "a.b-c_1": "dotted"}
	cases := []struct {
		in, want, err string
	}{
		{in: "plain", want: "plain"},
		{in: "{{user}}", want: "alice"},
		{in: "x={{user}}&y={{spaced}}!", want: "x=alice&y=a b!"},
		{in: "{{ user }}", want: "alice"},
		{in: "{{a.b-c_1}}", want: "dotted"},
		{in: "{{braces}}", want: "{{user}}"}, // never expanded twice
		{in: `\{{user}}`, want: "{{user}}"},
		{in: `\{{user}}{{user}}`, want: "{{user}}alice"},
		{in: "}} {{user}} }}", want: "}} alice }}"},
		{in: "{{env.TERM}}", want: "xterm"}, // the last entry wins
		{in: "{{env.EMPTY}}", want: ""},
		{in: "{{nobody}}", err: `undefined variable "nobody"`},
		{in: "{{env.NOPE}}", err: `undefined variable "env.NOPE": not set in the environment`},
		{in: "a{{user", err: `unclosed {{ in "a{{user" (write \{{ for a literal {{)`},
		{in: "{{user}}{{", err: `unclosed {{ in "{{user}}{{" (write \{{ for a literal {{)`},
		{in: "{{}}", err: `invalid variable name "" (write \{{ for a literal {{)`},
		{in: "{{env.}}", err: `invalid variable name "env." (write \{{ for a literal {{)`},
		{in: `{{"a":1}}`, err: `invalid variable name "\"a\":1" (write \{{ for a literal {{)`},
	}
	for _, c := range cases {
		got, err := sh.expand(c.in)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("expand(%q): error %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("expand(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestExpectJSON(t *testing.T) {
	cases := []struct {
		body, path, want string
		ok               bool
	}{
		{`{"a":"42"}`, "a", "42", true},
		{`{"a":42}`, "a", "42", true},
		{`{"a":42}`, "a", `"42"`, false},
		{`{"a":"true"}`, "a", "true", true},
		{`{"a":true}`, "a", "true", true},
		{`{"a":true}`, "a", `"true"`, false},
		{`{"a":null}`, "a", "null", true},
		{`{"a":null}`, "a", "", false},
		{`{"a":""}`, "a", "", true},
		{`{"a": [1, 2]}`, "a", "[1,2]", true},
		{`{"a": [1, 2]}`, "a", "[ 1 , 2 ]", true},
		{`{"a": [1, 2]}`, "a", "[2,1]", false},
		{`{"a": {"b": [true, null]}}`, "a", `{"b":[true,null]}`, true},
		{`{"a": 1}`, "a", "1.0", false},
		{`{"items":[{"id":7}]}`, "items.0.id", "7", true},
		{`{"items":[{"id":7}]}`, "items.#", "1", true},
		{`{"s":"two words"}`, "s", "two words", true},
	}
	for _, c := range cases {
		var out bytes.Buffer
		sh := scriptShell(t, "", &out)
		sh.last = &session.Response{Body: []byte(c.body)}
		err := expectJSON(c.path, c.want)(sh, sh.last)
		if (err == nil) != c.ok {
			t.Errorf("expect json %s %q on %s: error %v, want ok=%v", c.path, c.want, c.body, err, c.ok)
		}
	}
}

func TestExpectStatus(t *testing.T) {
	cases := []struct {
		want string
		code int
		ok   bool
	}{
		{"200", 200, true}, {"200", 201, false}, {"2xx", 204, true}, {"2XX", 299, true},
		{"2xx", 302, false}, {"4x4", 404, true}, {"4x4", 403, false}, {"5xx", 503, true},
	}
	for _, c := range cases {
		check, err := expectStatus(c.want)
		if err != nil {
			t.Fatalf("expectStatus(%q): %v", c.want, err)
		}
		err = check(nil, &session.Response{StatusCode: c.code})
		if (err == nil) != c.ok {
			t.Errorf("expect status %s on %d: error %v, want ok=%v", c.want, c.code, err, c.ok)
		}
	}
	for _, bad := range []string{"20", "2000", "600", "0xx", "abc", "x00", "2y0"} {
		if _, err := expectStatus(bad); err == nil {
			t.Errorf("expectStatus(%q): no error", bad)
		}
	}
}

// exampleScripts returns the example scripts in testdata/scripts.
func exampleScripts(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "scripts", "*.reqsh"))
	if err != nil || len(files) < 2 {
		t.Fatalf("example scripts not found: %v %v", files, err)
	}
	return files
}

// countExpects counts the expect lines of a script file.
func countExpects(t *testing.T, file string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "expect ") {
			n++
		}
	}
	return n
}

// TestExampleScripts runs each example script with -f and checks that
// every expectation in it passed.
func TestExampleScripts(t *testing.T) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	for _, file := range exampleScripts(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if first, _, _ := strings.Cut(string(data), "\n"); first != "#!/usr/bin/env -S reqsh -f" {
				t.Errorf("first line %q, want the shebang", first)
			}
			if fi, err := os.Stat(file); err != nil || fi.Mode()&0o111 == 0 {
				t.Errorf("%s is not executable: %v", file, err)
			}
			var stdout, stderr bytes.Buffer
			code := Main([]string{"-f", file, srv.URL}, strings.NewReader(""), &stdout, &stderr, testEnv(t))
			want := fmt.Sprintf("%d passed, 0 failed\n", countExpects(t, file))
			if code != ExitOK || stderr.String() != want {
				t.Errorf("exit %d, stderr %q; want exit 0, stderr %q\nstdout:\n%s", code, stderr.String(), want, stdout.String())
			}
		})
	}
}

// buildReqsh builds cmd/reqsh as dir/reqsh.
func buildReqsh(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "reqsh")
	cmd := exec.Command("go", "build", "-o", bin, "../cmd/reqsh")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestShebang runs scripts as programs: the examples through their own
// "#!/usr/bin/env -S reqsh -f" line with reqsh on PATH, and a failing
// script naming the binary in its shebang.
func TestShebang(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	if err := exec.Command("/usr/bin/env", "-S", "true").Run(); err != nil {
		t.Skipf("/usr/bin/env -S does not work here: %v", err)
	}
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	dir := t.TempDir()
	bin := buildReqsh(t, dir)
	env := append(testEnv(t), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	run := func(script string) (stdout, stderr string, code int) {
		t.Helper()
		var o, e bytes.Buffer
		cmd := exec.Command(script, srv.URL)
		cmd.Env, cmd.Stdout, cmd.Stderr = env, &o, &e
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			return o.String(), e.String(), ee.ExitCode()
		} else if err != nil {
			t.Fatalf("run %s: %v", script, err)
		}
		return o.String(), e.String(), 0
	}

	for _, file := range exampleScripts(t) {
		abs, err := filepath.Abs(file)
		if err != nil {
			t.Fatal(err)
		}
		stdout, stderr, code := run(abs)
		want := fmt.Sprintf("%d passed, 0 failed\n", countExpects(t, file))
		if code != 0 || stderr != want || stdout == "" {
			t.Errorf("%s: exit %d, stderr %q, stdout %q; want exit 0, stderr %q", file, code, stderr, stdout, want)
		}
	}

	failing := filepath.Join(dir, "failing.reqsh")
	script := "#!/usr/bin/env -S " + bin + " -f\nget /status/404\nexpect status 4xx\nexpect status 2xx\nget /get\n"
	if err := os.WriteFile(failing, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := run(failing)
	wantErr := "error: " + failing + ":4: expect status 2xx: got 404\n1 passed, 1 failed\n"
	if code != ExitFailure || stderr != wantErr || stdout != "" {
		t.Errorf("failing script: exit %d, stderr %q, stdout %q; want exit 1, stderr %q and no output", code, stderr, stdout, wantErr)
	}
}

// TestSourceDepth checks that a chain of files, each sourcing the next,
// stops at the depth limit with one error line, not one per level.
func TestSourceDepth(t *testing.T) {
	dir := t.TempDir()
	name := func(i int) string { return filepath.Join(dir, fmt.Sprintf("f%d.reqsh", i)) }
	for i := range maxSourceDepth + 4 {
		if err := os.WriteFile(name(i), []byte("source "+name(i+1)+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	code := Main([]string{"-f", name(0)}, strings.NewReader(""), &stdout, &stderr, testEnv(t))
	last := name(maxSourceDepth)
	want := fmt.Sprintf("error: %s:1: source %q: nested more than %d deep\n", last, name(maxSourceDepth+1), maxSourceDepth)
	if code != ExitFailure || stderr.String() != want {
		t.Fatalf("exit %d, stderr:\n%s\nwant exit 1 and one line:\n%s", code, stderr.String(), want)
	}
}

// TestSourceSharesSession checks that a sourced file works on the same
// session and variables as the script that sources it.
func TestSourceSharesSession(t *testing.T) {
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	lib := filepath.Join(t.TempDir(), "lib.reqsh")
	if err := os.WriteFile(lib, []byte("header set X-From-Lib {{who}}\nlet seen yes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	script := "let who alice\nsource " + lib + "\nget /headers\nexpect json headers.X-From-Lib.0 alice\nget /get q=={{seen}}\nexpect json args.q.0 yes\n"
	var stdout, stderr bytes.Buffer
	code := Main([]string{srv.URL}, strings.NewReader(script), &stdout, &stderr, testEnv(t))
	if code != ExitOK || stderr.String() != "2 passed, 0 failed\n" {
		t.Errorf("exit %d, stderr %q; want 0 and 2 passed\n%s", code, stderr.String(), stdout.String())
	}
}

// A variable's name is [A-Za-z_][A-Za-z0-9_.-]*, checked by hand.
func TestValidVarName(t *testing.T) {
	ref := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)
	names := []string{"", "a", "_", "A1", "a.b-c_d", "1a", ".a", "-a", "a b", "a\n", "é", "aé", "a/b", "env.HOME", "a{", "Z9.", "_-"}
	for b := 0; b < 256; b++ {
		names = append(names, string([]byte{byte(b)}), "a"+string([]byte{byte(b)}))
	}
	for _, name := range names {
		if got, want := validVarName(name), ref.MatchString(name); got != want {
			t.Errorf("validVarName(%q) = %v, want %v", name, got, want)
		}
	}
}
