package repl

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
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
	term.waitFor(m, "safe/end", 5*time.Second)
	time.Sleep(100 * time.Millisecond) // the rest of the list, if any
	screen := term.since(m)
	if strings.Contains(screen, "\x1b]52") || strings.Contains(screen, "\u202e") ||
		strings.Contains(screen, "\u2028") {
		t.Errorf("completion wrote a hostile path to the terminal:\n%q", screen)
	}
}
