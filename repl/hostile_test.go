package repl

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// hostile is a test server that answers with raw bytes, so it can break
// every rule: control characters in the status line, lying headers, resets,
// truncated bodies, silence.
type hostile struct {
	ln  net.Listener
	url string
	wg  sync.WaitGroup
}

// hostileReplies maps a request path to what the server does.
var hostileReplies = map[string]func(c net.Conn){
	"/esc-reason": raw("HTTP/1.1 200 OK\x1b]0;pwned\x07\x1b[2J\r\nContent-Length: 2\r\n\r\nok"),
	"/c1-header":  raw("HTTP/1.1 200 OK\r\nX-Csi: a\u009b31mred\r\nX-Bidi: \u202eevil\r\nX-Bad-Utf8: \xff\xfe\r\nContent-Length: 2\r\n\r\nok"),
	"/text": rawBody("text/plain; charset=utf-8",
		"line one\r\nclear\x1b[2J title\x1b]0;x\x07 bare\rCR del\x7f csi\u009b1m bidi\u202eRTL end\n"),
	"/bad-utf8":     rawBody("text/plain", "almost text \xff\xfe"),
	"/json-c1":      rawBody("application/json", "{\"a\":\"x\u009b31m\u202ey\x7fz\",\"esc\":\"\\u001b[2J\"}"),
	"/json-lies":    rawBody("application/json", "<html><body>not json</body></html>"),
	"/json-deep":    rawBody("application/json", strings.Repeat("[", 500)+strings.Repeat("]", 500)),
	"/json-trunc":   rawBody("application/json", `{"a":[1,2,{"b":`),
	"/ndjson":       rawBody("application/x-ndjson", "{\"n\":1}\n{\"n\":2}\n"),
	"/binary":       rawBody("application/octet-stream", "\x00\x01\x02binary\x1b[2J"),
	"/binary-plain": rawBody("text/plain", "looks like text\x00but has a NUL"),
	"/reset": func(c net.Conn) {
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetLinger(0) // close with RST
		}
	},
	"/truncated": raw("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nonly ten.."),
	"/hang":      func(c net.Conn) { time.Sleep(3 * time.Second) }, // a server that never answers
	"/drip": func(c net.Conn) {
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n")
		for _, b := range "drip\n" {
			time.Sleep(150 * time.Millisecond) // a slow server, not a wait
			c.Write([]byte{byte(b)})
		}
	},
	"/slow-drip": func(c net.Conn) {
		// A byte every 100ms of a 100-byte body: no gap reaches the
		// timeout, only max-time stops it.
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\n")
		for range 100 {
			time.Sleep(100 * time.Millisecond) // the server's pace, not a wait
			if _, err := c.Write([]byte{'.'}); err != nil {
				return
			}
		}
	},
	"/huge-header": func(c net.Conn) {
		io.WriteString(c, "HTTP/1.1 200 OK\r\nX-Big: ")
		c.Write([]byte(strings.Repeat("a", 2<<20)))
		io.WriteString(c, "\r\nContent-Length: 0\r\n\r\n")
	},
	"/loop":    raw("HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n"),
	"/garbage": raw("SSH-2.0-OpenSSH_9.2\r\n\r\n"),
}

func raw(s string) func(net.Conn) {
	return func(c net.Conn) { io.WriteString(c, s) }
}

func rawBody(contentType, body string) func(net.Conn) {
	return raw(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s", contentType, len(body), body))
}

func newHostile(t *testing.T) *hostile {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := &hostile{ln: ln, url: "http://" + ln.Addr().String()}
	go h.serve()
	t.Cleanup(func() { ln.Close(); h.wg.Wait() })
	return h
}

func (h *hostile) serve() {
	for {
		c, err := h.ln.Accept()
		if err != nil {
			return
		}
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			defer c.Close()
			req, err := http.ReadRequest(bufio.NewReader(c))
			if err != nil {
				return
			}
			if reply, ok := hostileReplies[req.URL.Path]; ok {
				reply(c)
			}
		}()
	}
}

// terminalRun runs a script through the shell as if stdout were a
// terminal (sanitizing on, colors off) and returns what reached it.
func terminalRun(t *testing.T, base, script string) (string, int) {
	t.Helper()
	var out syncBuffer
	c, err := parseFlags([]string{"-k", "--color", "never", base}, &out)
	if err != nil {
		t.Fatal(err)
	}
	sh, err := newShell(c, strings.NewReader(script), &out, &out, testEnv(t))
	if err != nil {
		t.Fatal(err)
	}
	sh.outTerminal = true
	sh.newPrinter()
	code := sh.run()
	return out.String(), code
}

// TestHostileToTerminal checks the exact bytes that reach a terminal for
// each trick a server can play.
func TestHostileToTerminal(t *testing.T) {
	t.Parallel()
	h := newHostile(t)
	cases := []struct {
		line string
		want string
	}{
		{"get /esc-reason --print h", "HTTP/1.1 200 OK\\x1b]0;pwned\\x07\\x1b[2J\nContent-Length: 2\n"},
		{"get /c1-header --print h", "HTTP/1.1 200 OK\nContent-Length: 2\nX-Bad-Utf8: \\xff\\xfe\nX-Bidi: \\u202eevil\nX-Csi: a\\u009b31mred\n"},
		{"get /text", "line one\nclear\\x1b[2J title\\x1b]0;x\\x07 bare\\rCR del\\x7f csi\\u009b1m bidi\\u202eRTL end\n"},
		{"get /bad-utf8", "binary data not shown: 14 bytes, text/plain (use -o FILE)\n"},
		{"get /json-c1", "{ \"a\": \"x\\u009b31m\\u202ey\\u007fz\", \"esc\": \"\\u001b[2J\" }\n"},
		{"get /json-lies", "<html><body>not json</body></html>\n"},
		{"get /json-deep", strings.Repeat("[", 500) + strings.Repeat("]", 500) + "\n"},
		{"get /json-trunc", "{\"a\":[1,2,{\"b\":\n"},
		{"get /ndjson", "{ \"n\": 1 }\n{ \"n\": 2 }\n"},
		{"get /binary", "binary data not shown: 13 bytes, application/octet-stream (use -o FILE)\n"},
		{"get /binary-plain", "binary data not shown: 29 bytes, text/plain (use -o FILE)\n"},
	}
	for _, tc := range cases {
		t.Run(strings.Fields(tc.line)[1], func(t *testing.T) {
			t.Parallel()
			got, code := terminalRun(t, h.url, tc.line+"\n")
			if got != tc.want || code != 0 {
				t.Errorf("%s: exit %d, terminal got\n%q\nwant\n%q", tc.line, code, got, tc.want)
			}
			for _, bad := range []string{"\x1b", "\x07", "\u009b", "\u202e", "\x7f", "\r", "\x00"} {
				if strings.Contains(got, bad) {
					t.Errorf("%s: %q reached the terminal raw", tc.line, bad)
				}
			}
		})
	}
}

// TestHostileToPipe checks that, when stdout is not a terminal, the body
// bytes pass unchanged.
func TestHostileToPipe(t *testing.T) {
	t.Parallel()
	h := newHostile(t)
	var out syncBuffer
	code := Main([]string{h.url}, strings.NewReader("get /text\nget /binary\n"), &out, &out, testEnv(t))
	want := "line one\r\nclear\x1b[2J title\x1b]0;x\x07 bare\rCR del\x7f csi\u009b1m bidi\u202eRTL end\n" + "\x00\x01\x02binary\x1b[2J"
	if got := out.String(); got != want || code != 0 {
		t.Errorf("exit %d, pipe got\n%q\nwant\n%q", code, got, want)
	}
}

// TestHostileFaults checks that every fault is one error line, the shell
// goes on, and the session keeps its state.
func TestHostileFaults(t *testing.T) {
	t.Parallel()
	h := newHostile(t)
	cases := map[string]string{
		"get /reset":                `get "` + h.url + `/reset": response: `,
		"get /truncated":            `get "` + h.url + `/truncated": read body: unexpected EOF`,
		"get /hang --timeout 500ms": `get "` + h.url + `/hang": read timed out after 500ms`,
		"get /slow-drip --timeout 1s --max-time 700ms": `get "` + h.url + `/slow-drip": max-time 700ms exceeded`,
		"get /huge-header":            `get "` + h.url + `/huge-header": response: net/http: HTTP/1.x transport connection broken: net/http: server response headers exceeded 1048576 bytes`,
		"get /loop":                   `get "` + h.url + `/loop": too many redirects (more than 30), last to "` + h.url + `/loop"`,
		"get /garbage":                `get "` + h.url + `/garbage": response: net/http: HTTP/1.x transport connection broken: malformed HTTP response`,
		"get http://127.0.0.1:1/x":    `get "http://127.0.0.1:1/x": dial tcp 127.0.0.1:1: connect: connection refused`,
		"get http://no-such.invalid/": `get "http://no-such.invalid/": dial tcp: lookup no-such.invalid`,
	}
	partialBodies := map[string]string{
		"get /truncated": "only ten.", // the characters of what arrived
		"get /slow-drip --timeout 1s --max-time 700ms": ".",
	}
	for line, want := range cases {
		t.Run(line, func(t *testing.T) {
			t.Parallel()
			script := "header set X-Kept yes\n" + line + " --timeout 5s\nheader\nget /drip --timeout 1s\n"
			if strings.Contains(line, "--timeout") {
				script = "header set X-Kept yes\n" + line + "\nheader\nget /drip --timeout 1s\n"
			}
			got, code := terminalRun(t, h.url, script)
			lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
			if partial := partialBodies[line]; partial != "" && len(lines) > 0 &&
				lines[0] != "" && strings.Trim(lines[0], partial) == "" {
				// A body streams: what arrived before the fault is shown.
				lines = lines[1:]
			}
			if code != 1 || len(lines) != 3 {
				t.Fatalf("exit %d, want 1 and three lines (error, header, drip); got:\n%s", code, got)
			}
			if !strings.HasPrefix(lines[0], "error: line 2: "+want) {
				t.Errorf("error line\n%q\nwant prefix\n%q", lines[0], "error: line 2: "+want)
			}
			if lines[1] != "X-Kept: yes" || lines[2] != "drip" {
				t.Errorf("after the fault: %q; want the header kept and the next request to work", lines[1:])
			}
		})
	}
}

// TestNoGoroutineLeft checks that requests leave no goroutine behind once
// the session is closed.
func TestNoGoroutineLeft(t *testing.T) {
	h := newHostile(t)
	srv, _ := countingServer(t)
	// A script's signal handler starts os/signal's goroutine, which
	// then lives as long as the process: start it before counting, so
	// the test holds when it runs alone too.
	Main(nil, strings.NewReader(""), io.Discard, io.Discard, testEnv(t))
	before := runtime.NumGoroutine()
	script := strings.Repeat("get /get\npost /post a=1\n", 50) + "get " + h.url + "/reset\nget " + h.url + "/truncated\nget " + h.url + "/hang --timeout 200ms\n"
	var out syncBuffer
	Main([]string{"-k", srv.URL}, strings.NewReader(script), &out, &out, testEnv(t))
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			n := runtime.Stack(buf, true)
			t.Fatalf("%d goroutines before, %d after:\n%s", before, runtime.NumGoroutine(), buf[:n])
		}
		// No event says a goroutine ended: look again soon.
		time.Sleep(20 * time.Millisecond)
	}
}
