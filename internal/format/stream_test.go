package format

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// streamBody prints body through StreamBody, read a byte at a time when
// oneByte is set.
func streamBody(t *testing.T, body []byte, ct string, opts Options, oneByte bool) string {
	t.Helper()
	var out bytes.Buffer
	var r io.Reader = bytes.NewReader(body)
	if oneByte {
		r = iotest.OneByteReader(r)
	}
	if err := New(&out, opts).StreamBody(r, ct, false); err != nil {
		t.Fatalf("StreamBody(%q): %v", body, err)
	}
	return out.String()
}

// wholeBody prints body through Body, today's whole-body path.
func wholeBody(t *testing.T, body []byte, ct string, opts Options) string {
	t.Helper()
	var out bytes.Buffer
	if err := New(&out, opts).Body(body, ct); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func TestStreamBodyMatchesBody(t *testing.T) {
	big := `{"items":[` + strings.Repeat(`{"id":1,"name":"caf\u00e9 \u202e","tags":["a","b"],"n":null},`, 2000) + `{}]}`
	cases := []struct{ body, ct string }{
		{`{"a":[1,2,{"b":null}],"c":"\u001b"}`, "application/json"},
		{"{\"a\":\"\u009b\x7f\u202e\"}\r\n", "application/json; charset=utf-8"},
		{`[1]` + "\n" + `[2]`, ""},
		{strings.Repeat("[", 70) + strings.Repeat("]", 70), "application/problem+json"},
		{"<html>\x1b[2J</html>", "application/json"},
		{"text\rline\r\nmore \xe6\x97\xa5\xe6\x9c\xac \u202e end", "text/plain"},
		{"no newline at the end", "text/html"},
		{"\x89PNG\r\n\x1a\n\x00\x00", "image/png"},
		{"plain\x00binary", ""},
		{big, "application/json"},
		{big, "text/plain"},
	}
	for _, c := range cases {
		for _, opts := range streamOptions() {
			want := wholeBody(t, []byte(c.body), c.ct, opts)
			for _, oneByte := range []bool{false, true} {
				if oneByte && bytes.IndexByte([]byte(c.body), 0) > 0 {
					// A NUL after the first bytes that came is escaped, not
					// taken for binary: the check sees the first chunk.
					continue
				}
				if got := streamBody(t, []byte(c.body), c.ct, opts, oneByte); got != want {
					t.Errorf("%.40q %q %+v oneByte=%v:\n got %.300q\nwant %.300q", c.body, c.ct, opts, oneByte, got, want)
				}
			}
		}
	}
}

func TestStreamBodyNDJSONAndSeq(t *testing.T) {
	opts := Options{Terminal: true, Pretty: true}
	got := streamBody(t, []byte("{\"a\":1}\n{\"b\":[2]}\n"), "application/x-ndjson", opts, true)
	if want := "{ \"a\": 1 }\n{ \"b\": [2] }\n"; got != want {
		t.Errorf("ndjson: got %q, want %q", got, want)
	}
	got = streamBody(t, []byte("\x1e{\"a\":1}\n\x1e[2]\n"), "application/json-seq", opts, false)
	if want := "{ \"a\": 1 }\n[2]\n"; got != want {
		t.Errorf("json-seq: got %q, want %q", got, want)
	}
	// A line that is not JSON: the documents before it stay, the rest
	// prints as text.
	got = streamBody(t, []byte("{\"a\":1}\nnot json \x1b[2J\n"), "application/x-ndjson", opts, false)
	if want := "{ \"a\": 1 }\nnot json \\x1b[2J\n"; got != want {
		t.Errorf("bad line: got %q, want %q", got, want)
	}
}

func TestStreamBodyEvents(t *testing.T) {
	body := ": comment\nevent: greet\nid: 1\ndata: {\"msg\":\"hi\",\"n\":[1,2]}\n\n" +
		"data: line one\r\ndata: line \x1b]0;x\x07two\r\n\r\n" +
		"retry: 10\nevent: ping\n\n" +
		"data: [3]"
	term := streamBody(t, []byte(body), "text/event-stream", Options{Terminal: true, Pretty: true}, true)
	wantTerm := "event: greet\nid: 1\n{ \"msg\": \"hi\", \"n\": [1, 2] }\n\n" +
		"line one\nline \\x1b]0;x\\x07two\n\n" +
		"event: ping\n\n" +
		"[3]\n"
	if term != wantTerm {
		t.Errorf("terminal:\n got %q\nwant %q", term, wantTerm)
	}
	pipe := streamBody(t, []byte(body), "text/event-stream; charset=utf-8", Options{Pretty: true}, false)
	wantPipe := "{ \"msg\": \"hi\", \"n\": [1, 2] }\nline one\nline \x1b]0;x\x07two\n[3]\n"
	if pipe != wantPipe {
		t.Errorf("pipe:\n got %q\nwant %q", pipe, wantPipe)
	}
}

// lineWriter hands each Flush's bytes to a channel, as a reader at the
// other end of a pipe sees them.
type lineWriter struct {
	buf     bytes.Buffer
	flushed chan string
}

func (w *lineWriter) Write(b []byte) (int, error) { return w.buf.Write(b) }
func (w *lineWriter) Flush() error {
	if w.buf.Len() > 0 {
		w.flushed <- w.buf.String()
		w.buf.Reset()
	}
	return nil
}

// TestStreamBodyEventsAsTheyCome sends events one at a time and checks
// each is written out before the next is sent.
func TestStreamBodyEventsAsTheyCome(t *testing.T) {
	for _, ct := range []string{"text/event-stream", "application/x-ndjson", "text/plain"} {
		t.Run(ct, func(t *testing.T) {
			pr, pw := io.Pipe()
			w := &lineWriter{flushed: make(chan string, 100)}
			p := New(w, Options{Pretty: true})
			done := make(chan error, 1)
			go func() { done <- p.StreamBody(pr, ct, false) }()
			for i := range 3 {
				msg := `{"n":` + string(rune('1'+i)) + `}`
				if ct == "text/plain" {
					msg = "log line " + string(rune('1'+i))
				}
				if ct == "text/event-stream" {
					msg = "data: " + msg + "\n\n"
				} else {
					msg += "\n"
				}
				if _, err := pw.Write([]byte(msg)); err != nil {
					t.Fatal(err)
				}
				// The event must be printed before the next is sent.
				var got string
				for !strings.Contains(got, string(rune('1'+i))) {
					select {
					case s := <-w.flushed:
						got += s
					case <-time.After(10 * time.Second):
						t.Fatalf("event %d not printed before the next was sent (got %q)", i+1, got)
					}
				}
			}
			pw.Close()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestStreamBodyReadError(t *testing.T) {
	boom := errors.New("connection reset")
	r := io.MultiReader(strings.NewReader("partial text"), iotest.ErrReader(boom))
	var out bytes.Buffer
	err := New(&out, Options{Terminal: true}).StreamBody(r, "text/plain", false)
	var re *ReadError
	if !errors.As(err, &re) || !errors.Is(err, boom) {
		t.Fatalf("got %v, want a ReadError wrapping %v", err, boom)
	}
	if out.String() != "partial text\n" {
		t.Errorf("what arrived is not kept: %q", out.String())
	}
}

func FuzzStreamBody(f *testing.F) {
	f.Add([]byte("data: {\"a\":1}\n\n"), "text/event-stream", uint8(3))
	f.Add([]byte("{\"a\":1}\n[2"), "application/x-ndjson", uint8(1))
	f.Add([]byte("caf\xc3\xa9\r\n\x1b"), "text/plain", uint8(5))
	f.Fuzz(func(t *testing.T, body []byte, ct string, o uint8) {
		opts := Options{Terminal: true, Pretty: o&1 != 0, Color: o&2 != 0}
		var out bytes.Buffer
		var r io.Reader = bytes.NewReader(body)
		if o&4 != 0 {
			r = iotest.OneByteReader(r)
		}
		if err := New(&out, opts).StreamBody(r, ct, o&8 != 0); err != nil {
			t.Fatal(err)
		}
		assertTerminalSafe(t, out.String(), opts.Color)
		if len(body) > 0 && mediaType(ct) != "text/event-stream" && out.Len() > 0 && !bytes.HasSuffix(out.Bytes(), []byte("\n")) {
			t.Fatalf("output does not end a line: %q", out.Bytes())
		}
	})
}
