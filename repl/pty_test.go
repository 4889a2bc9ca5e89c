package repl

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/reqsh/reqsh/internal/demo"
)

// runMainEnv makes the test binary act as reqsh when it is started by a
// terminal test: TestMain runs Main instead of the tests.
const runMainEnv = "REQSH_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		runtime.GOMAXPROCS(1) // as cmd/reqsh runs
		os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Environ()))
	}
	os.Exit(m.Run())
}

// terminal is reqsh running on a pseudo-terminal: what a person sees and
// types.
type terminal struct {
	t    *testing.T
	cmd  *exec.Cmd
	pty  *os.File
	home string

	mu     sync.Mutex
	screen bytes.Buffer
	// changed is closed when more output reaches the screen, then
	// replaced: waits wake on it instead of polling.
	changed chan struct{}
	paused  bool
	resume  chan struct{}
	done    chan error
}

// startTerminal starts reqsh with args on a new pseudo-terminal.
func startTerminal(t *testing.T, args ...string) *terminal {
	t.Helper()
	return startTerminalInput(t, nil, args...)
}

// startTerminalInput starts reqsh with args, its output on a new
// pseudo-terminal and its input from stdin (the terminal when nil).
func startTerminalInput(t *testing.T, stdin io.Reader, args ...string) *terminal {
	t.Helper()
	return startTerminalSize(t, stdin, &pty.Winsize{Rows: 40, Cols: 120}, args...)
}

// startTerminalSize is startTerminalInput on a terminal of the given size.
func startTerminalSize(t *testing.T, stdin io.Reader, size *pty.Winsize, args ...string) *terminal {
	t.Helper()
	home := t.TempDir()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = []string{runMainEnv + "=1", "HOME=" + home, "TERM=xterm-256color", "PATH=" + os.Getenv("PATH")}
	// The terminal controls the process through its stdin, or its stdout
	// when stdin is a pipe.
	attrs := &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if stdin != nil {
		cmd.Stdin = stdin
		attrs.Ctty = 1
	}
	f, err := pty.StartWithAttrs(cmd, size, attrs)
	if err != nil {
		t.Fatalf("start on a pty: %v", err)
	}
	term := &terminal{t: t, cmd: cmd, pty: f, home: home, changed: make(chan struct{}), resume: make(chan struct{}), done: make(chan error, 1)}
	go term.read()
	go func() { term.done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		f.Close()
	})
	return term
}

// read copies the terminal's output into the screen buffer, waiting while
// paused (a person who stopped reading: the program's writes block).
func (term *terminal) read() {
	buf := make([]byte, 4096)
	for {
		term.mu.Lock()
		paused := term.paused
		term.mu.Unlock()
		if paused {
			<-term.resume
		}
		n, err := term.pty.Read(buf)
		term.mu.Lock()
		term.screen.Write(buf[:n])
		if n > 0 {
			close(term.changed)
			term.changed = make(chan struct{})
		}
		term.mu.Unlock()
		if err != nil {
			return
		}
	}
}

func (term *terminal) pause() {
	term.mu.Lock()
	term.paused = true
	term.mu.Unlock()
}

func (term *terminal) unpause() {
	term.mu.Lock()
	term.paused = false
	term.mu.Unlock()
	term.resume <- struct{}{}
}

// typeText sends keystrokes.
func (term *terminal) typeText(s string) {
	term.t.Helper()
	if _, err := term.pty.WriteString(s); err != nil {
		term.t.Fatalf("type %q: %v", s, err)
	}
}

// mark returns the screen length now, so later waits look only at what
// came after.
func (term *terminal) mark() int {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.screen.Len()
}

// since returns the screen from mark on.
func (term *terminal) since(mark int) string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.screen.String()[mark:]
}

// waitFor waits until the screen after mark shows want.
func (term *terminal) waitFor(mark int, want string, within time.Duration) string {
	term.t.Helper()
	got, ok := term.waitUntil(mark, within, func(screen string) bool { return strings.Contains(screen, want) })
	if !ok {
		if len(got) > 3000 {
			got = "..." + got[len(got)-3000:]
		}
		term.t.Fatalf("after %s the screen does not show %q; it shows:\n%q", within, want, got)
	}
	return got
}

// waitPrompt waits until the screen after mark shows after, then the
// prompt: readline has the terminal in raw mode again (it enters raw
// mode before it draws the prompt), so a control key typed now is a key
// for readline, not a signal or a line-discipline key.
func (term *terminal) waitPrompt(mark int, after, prompt string, within time.Duration) string {
	term.t.Helper()
	got, ok := term.waitUntil(mark, within, func(screen string) bool {
		i := strings.Index(screen, after)
		return i >= 0 && strings.Contains(screen[i+len(after):], prompt)
	})
	if !ok {
		term.t.Fatalf("after %s the screen does not show %q then the prompt %q; it shows:\n%q", within, after, prompt, got)
	}
	return got
}

// waitUntil waits until the screen after mark meets cond, waking each
// time more output arrives, for at most within. It returns that part of
// the screen and whether cond held.
func (term *terminal) waitUntil(mark int, within time.Duration, cond func(screen string) bool) (string, bool) {
	timeout := time.NewTimer(within)
	defer timeout.Stop()
	for {
		term.mu.Lock()
		got, changed := term.screen.String()[mark:], term.changed
		term.mu.Unlock()
		if cond(got) {
			return got, true
		}
		select {
		case <-changed:
		case <-timeout.C:
			return term.since(mark), false
		}
	}
}

// waitArrival waits until the server has received a request for path:
// reqsh is then waiting for the response.
func waitArrival(t *testing.T, arrived <-chan string, path string) {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case p := <-arrived:
			if p == path {
				return
			}
		case <-timeout:
			t.Fatalf("the server never received %s", path)
		}
	}
}

// exit waits for reqsh to end and returns its exit status.
func (term *terminal) exit(within time.Duration) int {
	term.t.Helper()
	select {
	case err := <-term.done:
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		}
		if err != nil {
			term.t.Fatalf("wait: %v", err)
		}
		return 0
	case <-time.After(within):
		screen := term.since(0)
		term.t.Fatalf("reqsh did not exit within %s; screen ends:\n%q", within, screen[max(0, len(screen)-3000):])
		return -1
	}
}

func ptyServer(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	srv, host, _ := ptyServerArrivals(t)
	return srv, host
}

// ptyServerArrivals is ptyServer that also tells, on the channel, the
// path of each request as it arrives (when the channel has room).
func ptyServerArrivals(t *testing.T) (*httptest.Server, string, <-chan string) {
	t.Helper()
	arrived := make(chan string, 16)
	mux := http.NewServeMux()
	demoHandler := demo.Handler()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		select {
		case arrived <- r.URL.Path:
		default:
		}
		demoHandler.ServeHTTP(w, r)
	})
	mux.HandleFunc("/long.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, "[")
		for i := range 200000 {
			if i > 0 {
				io.WriteString(w, ",")
			}
			fmt.Fprintf(w, `{"n":%d,"text":"a long response that keeps the terminal busy"}`, i)
		}
		io.WriteString(w, "]")
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, strings.TrimPrefix(srv.URL, "http://"), arrived
}

// TestTerminalSession types at a real pseudo-terminal: the prompt, tab
// completion, a colored response, Ctrl-C at the prompt and during a
// request, and Ctrl-D.
func TestTerminalSession(t *testing.T) {
	t.Parallel()
	srv, host, arrived := ptyServerArrivals(t)
	term := startTerminal(t, srv.URL)
	term.waitFor(0, host+"\x1b[0m> ", 5*time.Second)

	// Tab completes a command, then a subcommand, in the case typed.
	m := term.mark()
	term.typeText("HEADE\t")
	term.waitFor(m, "> HEADER", 2*time.Second)
	term.typeText(" s\t")
	term.waitFor(m, "HEADER set ", 2*time.Second)
	term.typeText("X-Typed yes\r")

	// A request: colored status line and headers, pretty JSON.
	m = term.mark()
	term.typeText("get /headers\r")
	out := term.waitPrompt(m, `"yes"`, host+"\x1b[0m> ", 5*time.Second)
	for _, want := range []string{"\x1b[1;32mHTTP/1.1 200 OK", "\x1b[36mContent-Type", `"X-Typed"`, `"yes"`} {
		if !strings.Contains(out, want) {
			t.Errorf("response on screen lacks %q:\n%q", want, out)
		}
	}

	// Ctrl-C at the prompt drops the line.
	m = term.mark()
	term.typeText("get /status/500")
	term.typeText("\x03")
	term.typeText("get /status/201 --print h\r")
	out = term.waitFor(m, "201 Created", 5*time.Second)
	if strings.Contains(out, "500") && strings.Contains(out, "Internal Server Error") {
		t.Errorf("the line canceled with Ctrl-C ran:\n%q", out)
	}

	// Ctrl-C during a request cancels it within a second; the shell stays.
	m = term.mark()
	term.typeText("get /delay/10\r")
	waitArrival(t, arrived, "/delay/10")
	start := time.Now()
	term.typeText("\x03")
	term.waitFor(m, "request canceled", 2*time.Second)
	if d := time.Since(start); d > time.Second {
		t.Errorf("Ctrl-C took %s to cancel the request", d)
	}
	m = term.mark()
	term.typeText("get /get a==after\r")
	term.waitPrompt(m, `"after"`, host+"\x1b[0m> ", 5*time.Second)

	// Ctrl-R searches the history; Enter runs the line found.
	m = term.mark()
	term.typeText("\x12a==aft")
	term.waitFor(m, "bck-i-search: a==aft", 2*time.Second)
	term.typeText("\r")
	term.waitPrompt(m, `"after"`, host+"\x1b[0m> ", 5*time.Second)

	// Ctrl-D exits 0.
	term.typeText("\x04")
	if code := term.exit(5 * time.Second); code != 0 {
		t.Errorf("exit status %d after Ctrl-D, want 0", code)
	}
}

// TestTerminalStopsLongOutput presses Ctrl-C while a long response is
// being printed: printing stops and the prompt comes back.
func TestTerminalStopsLongOutput(t *testing.T) {
	t.Parallel()
	srv, host := ptyServer(t)
	term := startTerminal(t, srv.URL)
	term.waitFor(0, host+"\x1b[0m> ", 5*time.Second)
	m := term.mark()
	term.typeText("get /long.json\r")
	term.waitFor(m, "keeps the terminal busy", 10*time.Second)
	// Stop reading, as a slow terminal (or a person who scrolled back)
	// would: reqsh's writes now block. These two sleeps model that
	// person, not a wait for reqsh: nothing tells from outside when the
	// pty's buffer is full, or when the SIGINT of the Ctrl-C typed while
	// it is full has reached reqsh; the test holds for any length.
	term.pause()
	time.Sleep(200 * time.Millisecond)
	term.typeText("\x03")
	time.Sleep(100 * time.Millisecond)
	term.unpause()
	out := term.waitFor(m, "output stopped", 5*time.Second)
	term.waitFor(m, host+"\x1b[0m> ", 5*time.Second)
	if strings.Contains(out, "199999") {
		t.Error("the whole response was printed despite Ctrl-C")
	}
	m = term.mark()
	term.typeText("get /get a==next\r")
	term.waitFor(m, `"next"`, 5*time.Second)
}

// TestTerminalPassword asks for a password without echo and keeps it and
// the auth line out of the history file, which is mode 0600.
func TestTerminalPassword(t *testing.T) {
	t.Parallel()
	srv, host := ptyServer(t)
	term := startTerminal(t, srv.URL)
	term.waitFor(0, host+"\x1b[0m> ", 5*time.Second)
	m := term.mark()
	term.typeText("auth user\r")
	term.waitFor(m, "password for user: ", 5*time.Second)
	term.typeText("s3cret-pw\r")
	term.typeText("get /headers\r")
	want := base64.StdEncoding.EncodeToString([]byte("user:s3cret-pw"))
	out := term.waitFor(m, want, 5*time.Second)
	if strings.Contains(out, "s3cret-pw") {
		t.Errorf("the password was echoed:\n%q", out)
	}
	term.typeText("\x04")
	if code := term.exit(5 * time.Second); code != 0 {
		t.Errorf("exit %d", code)
	}

	path := filepath.Join(term.home, ".local", "share", "reqsh", "history")
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("history file: %v", err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("history file mode %o, want 600", mode)
	}
	if dir, _ := os.Stat(filepath.Dir(path)); dir.Mode().Perm() != 0o700 {
		t.Errorf("history dir mode %o, want 700", dir.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	if bytes.Contains(data, []byte("auth user")) || bytes.Contains(data, []byte("s3cret-pw")) {
		t.Errorf("history keeps the auth line or the typed password:\n%s", data)
	}
	if !bytes.Contains(data, []byte("get /headers")) {
		t.Errorf("history lacks an ordinary line:\n%s", data)
	}
}

// TestScriptToTerminal pipes a script in while a person watches the
// output: each command's output shows as soon as it is done, not when the
// script ends.
func TestScriptToTerminal(t *testing.T) {
	t.Parallel()
	srv, _ := ptyServer(t)
	in, script := io.Pipe()
	term := startTerminalInput(t, in, "--color", "never", srv.URL)
	defer script.Close()
	io.WriteString(script, "get /get?n=1\n")
	term.waitFor(0, `"n": ["1"]`, 10*time.Second)
	io.WriteString(script, "get /get?n=2\n")
	term.waitFor(0, `"n": ["2"]`, 10*time.Second)
	script.Close()
	if code := term.exit(10 * time.Second); code != 0 {
		t.Errorf("exit %d, want 0", code)
	}
}
