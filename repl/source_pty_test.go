package repl

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestTerminalStopsSource presses Ctrl-C while a file sourced at the
// prompt (through another sourced file) waits for its first request: the
// request is canceled, the later lines of both files never reach the
// server, one line says the source
// stopped and the prompt comes back. Sourcing /dev/zero at the prompt
// gives one error line and the prompt too.
func TestTerminalStopsSource(t *testing.T) {
	t.Parallel()
	var (
		mu      sync.Mutex
		paths   []string
		started = make(chan struct{}, 1)
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		if r.URL.Path == "/delay/2" {
			started <- struct{}{}
			select {
			case <-r.Context().Done():
				return
			case <-time.After(2 * time.Second):
			}
		}
		io.WriteString(w, "ok "+r.URL.Path+"\n")
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	slow, file := filepath.Join(dir, "slow.reqsh"), filepath.Join(dir, "outer.reqsh")
	if err := os.WriteFile(slow, []byte("get /delay/2\nget /later-1\nget /later-2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte("source "+slow+"\nget /later-outer\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	term := startTerminal(t, "--color", "never", srv.URL)
	prompt := strings.TrimPrefix(srv.URL, "http://") + "> "
	term.waitFor(0, prompt, 5*time.Second)

	// source /dev/zero: one error line, back at the prompt.
	m := term.mark()
	term.typeText("source /dev/zero\r")
	out := term.waitFor(m, "binary input", 5*time.Second)
	term.waitFor(m+strings.Index(out, "binary input"), prompt, 5*time.Second)

	// Ctrl-C while the sourced file's first request waits.
	m = term.mark()
	term.typeText("source " + file + "\r")
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatalf("the server never got /delay/2; the screen shows:\n%q", term.since(m))
	}
	term.typeText("\x03")
	out = term.waitFor(m, "source stopped", 5*time.Second)
	term.waitFor(m+strings.Index(out, "source stopped"), prompt, 5*time.Second)

	// The shell goes on; had the file's later lines run, they would have
	// reached the server before this one.
	term.typeText("get /marker\r")
	out = term.waitFor(m, "ok /marker", 5*time.Second)
	if strings.Contains(out, "ok /later") {
		t.Errorf("the file's later lines ran:\n%q", out)
	}
	if n := strings.Count(out, "error:"); n != 1 {
		t.Errorf("%d error lines after Ctrl-C, want one (source stopped):\n%q", n, out)
	}
	mu.Lock()
	got := fmt.Sprint(paths)
	mu.Unlock()
	if got != "[/delay/2 /marker]" {
		t.Errorf("the server got %s, want [/delay/2 /marker]", got)
	}
	term.typeText("\x04")
	if code := term.exit(5 * time.Second); code != 0 {
		t.Errorf("exit %d after Ctrl-D, want 0", code)
	}
}
