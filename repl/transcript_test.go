package repl

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reqsh/reqsh/internal/demo"
)

var update = flag.Bool("update", false, "rewrite the expected output of the transcript tests")

// A transcript (testdata/transcripts/*.txt) is a reqsh script and the
// output it gives, as a person would read it: every input line appears as
// "> line", followed by what reqsh wrote (stdout and stderr, in order).
// An optional first line "# args: FLAGS" gives reqsh's flags; a last line
// "[exit N]" gives a non-zero exit status. The server's address reads as
// $SERVER (http://127.0.0.1:PORT) and $HOST (127.0.0.1:PORT), the private
// HOME as $HOME and a session directory as $HOSTDIR; Date headers
// are dropped and elapsed times read as $ELAPSED.
//
// go test ./repl -run Transcript -update rewrites the expected output.
func TestTranscripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "transcripts", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts found: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runTranscript(t, file)
		})
	}
}

func runTranscript(t *testing.T, file string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want := string(data)
	var args []string
	header := ""
	if line, rest, ok := strings.Cut(want, "\n"); ok && strings.HasPrefix(line, "# args:") {
		args = strings.Fields(strings.TrimPrefix(line, "# args:"))
		header = line + "\n"
		want = rest
	}
	var input strings.Builder
	for _, line := range strings.SplitAfter(want, "\n") {
		if in, ok := strings.CutPrefix(line, "> "); ok {
			input.WriteString(in)
		} else if strings.TrimSuffix(line, "\n") == ">" {
			input.WriteString("\n")
		}
	}
	srv := httptest.NewServer(demo.Handler())
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	script := strings.ReplaceAll(input.String(), "$SERVER", srv.URL)
	script = strings.ReplaceAll(script, "$HOST", host)

	env := testEnv(t)
	got, code := runEcho(t, append(args, srv.URL), script, env)
	// Paths of session files: the private HOME, the host's directory.
	got = strings.ReplaceAll(got, strings.TrimPrefix(env[0], "HOME="), "$HOME")
	got = strings.ReplaceAll(got, strings.ReplaceAll(host, ":", "_"), "$HOSTDIR")
	got = normalize(got, srv.URL, host)
	if code != 0 {
		got += fmt.Sprintf("[exit %d]\n", code)
	}
	if *update {
		if err := os.WriteFile(file, []byte(header+got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != want {
		t.Errorf("%s: output differs (go test ./repl -run Transcript -update rewrites it)\n--- got\n%s\n--- want\n%s\n--- diff\n%s",
			file, got, want, lineDiff(want, got))
	}
}

// runEcho runs reqsh in script mode with every input line echoed, and
// returns stdout and stderr interleaved as written, and the exit status.
func runEcho(t *testing.T, args []string, script string, env []string) (string, int) {
	t.Helper()
	var out syncBuffer
	c, err := parseFlags(args, &out)
	if err != nil {
		t.Fatalf("flags %q: %v", args, err)
	}
	sh, err := newShell(c, strings.NewReader(script), &out, &out, env)
	if err != nil {
		t.Fatalf("new shell: %v", err)
	}
	code := sh.runFrom(func() (lineReader, error) {
		r, err := sh.openInput()
		if err != nil {
			return nil, err
		}
		return &echoReader{lineReader: r, out: sh.out}, nil
	})
	return out.String(), code
}

// echoReader writes every line it reads to out as "> line", where the
// output of the command it starts follows: a transcript shows what was
// typed and what came of it. A file run by source is read by a reader of
// its own, so its lines are not echoed.
type echoReader struct {
	lineReader
	out io.Writer
}

func (e *echoReader) ReadLine() (string, error) {
	line, err := e.lineReader.ReadLine()
	if err == nil || (errors.Is(err, io.EOF) && line != "") {
		fmt.Fprintf(e.out, "> %s\n", strings.TrimSuffix(line, "\r"))
	}
	return line, err
}

// testEnv is an environment with a private HOME and no color.
func testEnv(t *testing.T) []string {
	home := t.TempDir()
	return []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"), "TERM=dumb"}
}

var (
	dateLine    = regexp.MustCompile(`(?m)^(header )?Date: .*\n`)
	elapsedLine = regexp.MustCompile(`(?m)^elapsed: .*$`)
	logTime     = regexp.MustCompile(`(?m)^( *\d+  [A-Z]+ .*  \d{3}  .*  )[0-9.]+(ns|µs|ms|s)$`)
	boundary    = regexp.MustCompile(`boundary=[0-9a-f]{20,}|--[0-9a-f]{30,}`)
	digestParts = regexp.MustCompile(`(nonce|cnonce|response|opaque)="[^"]*"`)
)

// normalize replaces what changes from run to run with placeholders.
func normalize(s, serverURL, host string) string {
	s = strings.ReplaceAll(s, serverURL, "$SERVER")
	s = strings.ReplaceAll(s, host, "$HOST")
	s = dateLine.ReplaceAllString(s, "")
	s = elapsedLine.ReplaceAllString(s, "elapsed: $$ELAPSED")
	s = logTime.ReplaceAllString(s, "${1}$$ELAPSED")
	s = boundary.ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasPrefix(m, "--") {
			return "--$BOUNDARY"
		}
		return "boundary=$BOUNDARY"
	})
	return digestParts.ReplaceAllString(s, `$1="..."`)
}

// lineDiff shows the first lines where want and got differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %q\n  got  %q\n", i+1, wl, gl)
			if b.Len() > 2000 {
				break
			}
		}
	}
	return b.String()
}

// syncBuffer is a bytes.Buffer safe for the shell's two writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// connCounter counts the TCP connections a test server accepts and how
// many of them are still open.
type connCounter struct {
	mu             sync.Mutex
	opened, closed int
	changed        chan struct{} // closed at the next change, then replaced
}

func (c *connCounter) track(_ net.Conn, state http.ConnState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch state {
	case http.StateNew:
		c.opened++
	case http.StateClosed, http.StateHijacked:
		c.closed++
	default:
		return
	}
	if c.changed != nil {
		close(c.changed)
		c.changed = nil
	}
}

// waitCounts waits until opened and closed connections are counted, for
// at most within, waking at each change. It reports whether they were.
func (c *connCounter) waitCounts(opened, closed int, within time.Duration) bool {
	timeout := time.NewTimer(within)
	defer timeout.Stop()
	for {
		c.mu.Lock()
		if c.opened == opened && c.closed == closed {
			c.mu.Unlock()
			return true
		}
		if c.changed == nil {
			c.changed = make(chan struct{})
		}
		changed := c.changed
		c.mu.Unlock()
		select {
		case <-changed:
		case <-timeout.C:
			return false
		}
	}
}

func (c *connCounter) counts() (opened, closed int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.opened, c.closed
}
