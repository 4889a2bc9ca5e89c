package repl

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestTerminalQuoteOverLines types a command with a quote open over
// three lines at a real terminal: the continuation prompt shows, the
// server gets one request with the lines as its body, and the command is
// kept out of the history (file and Up arrow), where a command joined by
// a backslash is one line. The same body pasted at once is one request
// too. Ctrl-D inside a quote is one error line, and the shell goes on.
func TestTerminalQuoteOverLines(t *testing.T) {
	t.Parallel()
	rec, srv := newExchangeRecorder(t)
	host := strings.TrimPrefix(srv.URL, "http://")
	term := startTerminal(t, "--color", "never", srv.URL)
	term.waitFor(0, host+"> ", 5*time.Second)

	m := term.mark()
	term.typeText("get /before \\\r")
	term.waitFor(m, "\r... ", 2*time.Second)
	term.typeText("a==1\r")
	term.waitFor(m, "ok", 5*time.Second)
	term.waitFor(m, host+"> ", 5*time.Second)

	// Typed line by line: the continuation prompt after each line.
	for _, line := range []string{"post /typed --raw '{", `  "a": 1,`} {
		m = term.mark()
		term.typeText(line + "\r")
		term.waitFor(m, "\r... ", 2*time.Second)
	}
	m = term.mark()
	term.typeText("}'  # done\r")
	term.waitFor(m, "ok", 5*time.Second)
	term.waitFor(m, host+"> ", 5*time.Second)

	// Pasted at once.
	m = term.mark()
	term.typeText("put /pasted --raw '[\rdelete /pasted\r]'\r")
	term.waitFor(m, "ok", 5*time.Second)
	term.waitFor(m, host+"> ", 5*time.Second)

	// Up recalls the last one-line command, not a line of the body.
	m = term.mark()
	term.typeText("\x1b[A")
	term.waitFor(m, "get /before a==1", 2*time.Second)
	term.typeText("\x15") // Ctrl-U: clear the line

	// Ctrl-D inside a quote: one error line, nothing sent, the prompt.
	m = term.mark()
	term.typeText("post /never --raw 'x\r")
	term.waitFor(m, "\r... ", 2*time.Second)
	term.typeText("\x04")
	out := term.waitFor(m, "error: unterminated single quote", 2*time.Second)
	term.waitFor(m, host+"> ", 5*time.Second)
	if strings.Contains(out, "line ") {
		t.Errorf("the error at the prompt names a line number:\n%q", out)
	}
	m = term.mark()
	term.typeText("get /after\r")
	term.waitFor(m, "ok", 5*time.Second)

	term.typeText("\x04")
	if code := term.exit(5 * time.Second); code != 0 {
		t.Errorf("exit %d", code)
	}
	want := []string{
		"GET /before ",
		"POST /typed {\n  \"a\": 1,\n}",
		"PUT /pasted [\ndelete /pasted\n]",
		"GET /after ",
	}
	if got := rec.requests(); !slices.Equal(got, want) {
		t.Errorf("the server got\n%q\nwant\n%q", got, want)
	}
	data, err := os.ReadFile(filepath.Join(term.home, ".local", "share", "reqsh", "history"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "get /before a==1\nget /after\n"; string(data) != want {
		t.Errorf("history file:\n%s\nwant:\n%s", data, want)
	}
}
