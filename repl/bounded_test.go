package repl

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// hugeLineSize is the length of the line the bounded-input tests feed:
// far over maxLineBytes.
const hugeLineSize = 100 << 20

// repeatByte is an endless reader of one byte.
type repeatByte byte

func (r repeatByte) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// hugeLine is a script whose first line is "get /huge?q=" and about
// 100 MB of "a", then "get /after", made as it is read: the test never
// holds it in memory.
func hugeLine() io.Reader {
	return io.MultiReader(
		strings.NewReader("get /huge?q="),
		io.LimitReader(repeatByte('a'), hugeLineSize),
		strings.NewReader("\nget /after\n"),
	)
}

// pathRecorder is a server that records the paths it was asked for.
type pathRecorder struct {
	mu    sync.Mutex
	paths []string
}

func newPathRecorder(t *testing.T) (*pathRecorder, *httptest.Server) {
	t.Helper()
	rec := &pathRecorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.paths = append(rec.paths, r.URL.Path)
		rec.mu.Unlock()
		io.WriteString(w, "ok "+r.URL.Path+"\n")
	}))
	t.Cleanup(srv.Close)
	return rec, srv
}

func (rec *pathRecorder) got() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]string(nil), rec.paths...)
}

// runScript runs Main on a script given as a reader and returns stdout,
// stderr and the exit status.
func runScript(t *testing.T, script io.Reader, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(args, script, &stdout, &stderr, testEnv(t))
	return stdout.String(), stderr.String(), code
}

// wantOneErrorLine checks that stderr is one short error line that
// starts with prefix and contains every part of want.
func wantOneErrorLine(t *testing.T, stderr, prefix string, want ...string) {
	t.Helper()
	if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, prefix) {
		t.Fatalf("stderr is not one line starting with %q:\n%.2000q", prefix, stderr)
	}
	if len(stderr) >= 300 {
		t.Errorf("the error line is %d bytes long, want a short one: %.2000q", len(stderr), stderr)
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			t.Errorf("the error line lacks %q: %q", w, stderr)
		}
	}
}

// writeHugeFile writes the huge-line script to a file in dir.
func writeHugeFile(t *testing.T, dir string) string {
	t.Helper()
	name := filepath.Join(dir, "huge.reqsh")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(f, hugeLine()); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return name
}

// TestHugeLineOnStdin feeds a script whose first line is 100 MB long:
// one short error line, nothing sent, exit 1.
func TestHugeLineOnStdin(t *testing.T) {
	rec, srv := newPathRecorder(t)
	stdout, stderr, code := runScript(t, hugeLine(), srv.URL)
	if code != ExitFailure {
		t.Errorf("exit %d, want %d", code, ExitFailure)
	}
	wantOneErrorLine(t, stderr, "error: line 1: line too long", "over 1 MiB", `"get /huge?q=aaaa`)
	if got := rec.got(); len(got) != 0 || stdout != "" {
		t.Errorf("the server got %q and stdout is %.200q; want nothing", got, stdout)
	}
}

// TestHugeLineMemory checks that a 100 MB line is not read whole: the
// whole run allocates far less than the line's size.
func TestHugeLineMemory(t *testing.T) {
	const bound = 32 << 20
	_, srv := newPathRecorder(t)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, stderr, code := runScript(t, hugeLine(), srv.URL)
	runtime.ReadMemStats(&after)
	if code != ExitFailure || !strings.Contains(stderr, "line too long") {
		t.Fatalf("exit %d, stderr %.300q; want 1 and line too long", code, stderr)
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %d KiB for a %d MiB line", allocated>>10, hugeLineSize>>20)
	if allocated > bound {
		t.Errorf("reading a %d MiB line allocated %d MiB, want under %d MiB", hugeLineSize>>20, allocated>>20, bound>>20)
	}
}

// TestHugeLineInSourcedFile sources a file whose first line is 100 MB
// long: source fails with one line naming the file; with -k the next
// command still runs.
func TestHugeLineInSourcedFile(t *testing.T) {
	rec, srv := newPathRecorder(t)
	huge := writeHugeFile(t, t.TempDir())
	script := "source " + huge + "\nget /next\n"
	_, stderr, code := runScript(t, strings.NewReader(script), "-k", srv.URL)
	if code != ExitFailure {
		t.Errorf("exit %d, want %d", code, ExitFailure)
	}
	wantOneErrorLine(t, stderr, "error: "+huge+":1: line too long", `"get /huge?q=aaaa`)
	if got := rec.got(); fmt.Sprint(got) != "[/next]" {
		t.Errorf("the server got %q, want only /next (the file's lines never run)", got)
	}
}

// TestSourceDevZero sources an endless stream of NUL bytes: refused as
// binary input at once.
func TestSourceDevZero(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	rec, srv := newPathRecorder(t)
	_, stderr, code := runScript(t, strings.NewReader("source /dev/zero\nget /next\n"), "-k", srv.URL)
	if code != ExitFailure {
		t.Errorf("exit %d, want %d", code, ExitFailure)
	}
	wantOneErrorLine(t, stderr, "error: /dev/zero:1: binary input", "NUL", `"\x00\x00`)
	if got := rec.got(); fmt.Sprint(got) != "[/next]" {
		t.Errorf("the server got %q, want /next", got)
	}
}

// TestBinaryLines refuses lines with a NUL byte or invalid UTF-8 in a
// script, quoting their start; the commands before them ran.
func TestBinaryLines(t *testing.T) {
	cases := map[string]struct{ line, want string }{
		"nul":       {"get /x\x00y", `a NUL byte: "get /x\x00y"`},
		"bad utf-8": {"get /caf\xe9", `invalid UTF-8: "get /caf\xe9"`},
		"long nul":  {strings.Repeat("b", 100) + "\x00", `"` + strings.Repeat("b", excerptLen) + `"...`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			rec, srv := newPathRecorder(t)
			script := "get /before\n" + c.line + "\nget /after\n"
			_, stderr, code := runScript(t, strings.NewReader(script), srv.URL)
			if code != ExitFailure {
				t.Errorf("exit %d, want %d", code, ExitFailure)
			}
			wantOneErrorLine(t, stderr, "error: line 2: binary input", c.want)
			if got := rec.got(); fmt.Sprint(got) != "[/before]" {
				t.Errorf("the server got %q, want /before only", got)
			}
		})
	}
}

// TestLongContinuedCommand bounds a command joined from many lines that
// end in a backslash, each of them short.
func TestLongContinuedCommand(t *testing.T) {
	rec, srv := newPathRecorder(t)
	lines := io.MultiReader(
		strings.NewReader("get /x \\\n"),
		io.LimitReader(repeatLine("a=b \\\n"), 2*maxLineBytes),
		strings.NewReader("\nget /after\n"),
	)
	_, stderr, code := runScript(t, lines, srv.URL)
	if code != ExitFailure {
		t.Errorf("exit %d, want %d", code, ExitFailure)
	}
	wantOneErrorLine(t, stderr, "error: line ", "command too long", `"get /x a=b a=b`)
	if got := rec.got(); len(got) != 0 {
		t.Errorf("the server got %q, want nothing", got)
	}
}

// repeatLine is an endless reader of one line repeated.
func repeatLine(line string) io.Reader {
	return &repeater{s: line}
}

type repeater struct {
	s   string
	off int
}

func (r *repeater) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.s[r.off:])
		n += c
		r.off = (r.off + c) % len(r.s)
	}
	return n, nil
}

// writeScripts writes files (name -> content) into dir; "DIR" in a
// content stands for dir.
func writeScripts(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		content = strings.ReplaceAll(content, "DIR", dir)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSourceCycle sources a file that sources itself, directly or
// through another file: one error line naming the chain, exit 1, and
// with -k the script goes on.
func TestSourceCycle(t *testing.T) {
	dir := t.TempDir()
	writeScripts(t, dir, map[string]string{
		"self.reqsh": "get /self\nsource DIR/self.reqsh\nget /self-after\n",
		"a.reqsh":    "get /a\nsource DIR/b.reqsh\nget /a-after\n",
		"b.reqsh":    "get /b\nsource DIR/./a.reqsh\nget /b-after\n",
	})
	self, a, b := filepath.Join(dir, "self.reqsh"), filepath.Join(dir, "a.reqsh"), filepath.Join(dir, "b.reqsh")
	cases := map[string]struct {
		script   string
		args     []string
		want     string
		requests string
	}{
		"self": {
			script:   "source " + self + "\nget /next\n",
			args:     []string{"-k"},
			want:     fmt.Sprintf("error: %s:2: source %q: a cycle: %s -> %s\n", self, self, self, self),
			requests: "[/self /self-after /next]",
		},
		"a-b-a": {
			script:   "source " + a + "\nget /next\n",
			want:     fmt.Sprintf("error: %s:2: source %q: a cycle: %s -> %s -> %s/./a.reqsh\n", b, dir+"/./a.reqsh", a, b, dir),
			requests: "[/a /b]",
		},
		"script file": {
			args:     []string{"-f", self},
			want:     fmt.Sprintf("error: %s:2: source %q: a cycle: %s -> %s\n", self, self, self, self),
			requests: "[/self]",
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			rec, srv := newPathRecorder(t)
			_, stderr, code := runScript(t, strings.NewReader(c.script), append(c.args, srv.URL)...)
			if code != ExitFailure || stderr != c.want {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and:\n%s", code, stderr, c.want)
			}
			if got := fmt.Sprint(rec.got()); got != c.requests {
				t.Errorf("the server got %s, want %s", got, c.requests)
			}
		})
	}
}
