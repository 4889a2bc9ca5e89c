package repl

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// eventServer serves /events: n server-sent events, each sent only when
// the test releases it, so a test can check an event was printed before
// the next one exists; then the stream ends. It reports on gone when a
// client drops the stream before.
type eventServer struct {
	*httptest.Server
	release chan struct{}
	gone    chan struct{}
}

func newEventServer(t *testing.T, n int) *eventServer {
	t.Helper()
	es := &eventServer{release: make(chan struct{}), gone: make(chan struct{}, 1)}
	es.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/events":
			w.Header().Set("Content-Type", "text/event-stream")
			w.WriteHeader(200)
			w.(http.Flusher).Flush()
			for i := 1; i <= n; i++ {
				select {
				case <-es.release:
				case <-r.Context().Done():
					es.gone <- struct{}{}
					return
				}
				fmt.Fprintf(w, "event: tick\nid: %d\ndata: {\"n\":%d,\"msg\":\"event number %d\"}\n\n", i, i, i)
				w.(http.Flusher).Flush()
			}
		default:
			fmt.Fprintf(w, "{\"path\":%q}", r.URL.Path)
		}
	}))
	t.Cleanup(es.Close)
	return es
}

// TestScriptPrintsEventsAsTheyCome pipes a script's output and checks
// that each event is on stdout before the server sends the next one.
func TestScriptPrintsEventsAsTheyCome(t *testing.T) {
	t.Parallel()
	es := newEventServer(t, 3)
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := Main([]string{es.URL}, strings.NewReader("get /events\n"), pw, io.Discard, testEnv(t))
		pw.Close()
		done <- code
	}()
	out := bufio.NewReader(pr)
	for i := 1; i <= 3; i++ {
		es.release <- struct{}{}
		want := fmt.Sprintf(`"msg": "event number %d"`, i)
		var seen strings.Builder
		for !strings.Contains(seen.String(), want) {
			line, err := out.ReadString('\n')
			seen.WriteString(line)
			if err != nil {
				t.Fatalf("event %d not printed before the next was sent; got %q (%v)", i, seen.String(), err)
			}
		}
		if strings.Contains(seen.String(), "event: tick") {
			t.Errorf("a pipe gets the data alone, not the event fields: %q", seen.String())
		}
	}
	io.Copy(io.Discard, out)
	if code := <-done; code != 0 {
		t.Errorf("exit %d, want 0", code)
	}
}

// TestTerminalStopsStream presses Ctrl-C while events stream: what was
// printed stays, one line says the output stopped, the connection is
// dropped, and the shell goes on.
func TestTerminalStopsStream(t *testing.T) {
	t.Parallel()
	es := newEventServer(t, 5)
	host := strings.TrimPrefix(es.URL, "http://")
	term := startTerminal(t, es.URL)
	term.waitFor(0, host+"\x1b[0m> ", 5*time.Second)
	m := term.mark()
	term.typeText("get /events\r")
	es.release <- struct{}{}
	term.waitFor(m, "event number 1", 5*time.Second)
	es.release <- struct{}{}
	out := term.waitFor(m, "event number 2", 5*time.Second)
	for _, want := range []string{"text/event-stream", "event\x1b[0m: tick", "id\x1b[0m: 2"} {
		if !strings.Contains(out, want) {
			t.Errorf("screen lacks %q:\n%q", want, out)
		}
	}
	term.typeText("\x03")
	out = term.waitFor(m, "output stopped", 5*time.Second)
	if !strings.Contains(out, "event number 1") {
		t.Error("the events printed before Ctrl-C are gone")
	}
	select {
	case <-es.gone:
	case <-time.After(5 * time.Second):
		t.Error("the stream's connection was not dropped")
	}
	term.waitFor(m, host+"\x1b[0m> ", 5*time.Second)
	m = term.mark()
	term.typeText("get /after\r")
	term.waitFor(m, `"/after"`, 5*time.Second)
}

// TestBodyKeptInATempFile gets a body larger than what is kept in
// memory: it prints, and the commands that read it later still work.
func TestBodyKeptInATempFile(t *testing.T) {
	t.Parallel()
	const items = 120000 // about 6 MiB of JSON
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"items":[`)
		for i := range items {
			if i > 0 {
				io.WriteString(w, ",")
			}
			fmt.Fprintf(w, `{"id":%d,"name":"item %d"}`, i, i)
		}
		io.WriteString(w, `],"total":120000}`)
	}))
	defer srv.Close()
	var out, errOut syncBuffer
	script := "get /big\nexpect json total 120000\nexpect json items.119999.name 'item 119999'\nexpect body contains 'item 60000'\njson items.5.id\nlast\n"
	code := Main([]string{srv.URL}, strings.NewReader(script), &out, &errOut, testEnv(t))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	got := out.String()
	if n := strings.Count(got, `"name": "item 119999"`); n != 2 {
		t.Errorf("the body printed %d times, want 2 (get, last)", n)
	}
	if !strings.Contains(got, "\n5\n") {
		t.Error("json items.5.id did not print 5")
	}
	if errOut.String() != "3 passed, 0 failed\n" {
		t.Errorf("stderr %q", errOut.String())
	}
}

// TestDeepJSONCommands: a body nested far deeper than any JSON decoder
// allows (sent gzip-compressed: small on the wire) prints in bounded
// memory, and the commands that read it say it is not JSON instead of
// overflowing the stack.
func TestDeepJSONCommands(t *testing.T) {
	t.Parallel()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(bytes.Repeat([]byte("["), 2<<20))
	zw.Write(bytes.Repeat([]byte("]"), 2<<20))
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gz.Bytes())
	}))
	defer srv.Close()
	var out, errOut syncBuffer
	code := Main([]string{"-k", srv.URL}, strings.NewReader("get /deep\njson\nexpect json 0 1\ncapture x json 0\n"), &out, &errOut, testEnv(t))
	want := "error: line 2: last response is not JSON\n" +
		"error: line 3: last response is not JSON\n" +
		"error: line 4: last response is not JSON\n" +
		"0 passed, 1 failed\n"
	if code != 1 || errOut.String() != want {
		t.Errorf("exit %d, stderr:\n%s\nwant:\n%s", code, errOut.String(), want)
	}
	if !strings.HasPrefix(out.String(), "[\n  [\n") {
		t.Errorf("the body did not print pretty from its start: %.40q", out.String())
	}
}
