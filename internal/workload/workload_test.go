package workload

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/reqsh/reqsh/internal/demo"
	"github.com/reqsh/reqsh/repl"
)

// recorder is go-httpbin that writes down every request it receives
// (method, target, headers and body) and counts the connections it
// accepts.
type recorder struct {
	mu    sync.Mutex
	seen  []string
	conns int
}

// track counts new connections (an http.Server's ConnState).
func (rec *recorder) track(_ net.Conn, state http.ConnState) {
	if state == http.StateNew {
		rec.mu.Lock()
		rec.conns++
		rec.mu.Unlock()
	}
}

// newRecorder starts a recording go-httpbin.
func newRecorder(t *testing.T) (*recorder, *httptest.Server) {
	rec := &recorder{}
	srv := httptest.NewUnstartedServer(rec.handler(demo.Handler()))
	srv.Config.ConnState = rec.track
	srv.Start()
	t.Cleanup(srv.Close)
	return rec, srv
}

func (rec *recorder) handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s %s\n", r.Method, r.RequestURI, r.Proto)
		for _, k := range slices.Sorted(func(yield func(string) bool) {
			for k := range r.Header {
				if !yield(k) {
					return
				}
			}
		}) {
			fmt.Fprintf(&b, "%s: %q\n", k, r.Header[k])
		}
		fmt.Fprintf(&b, "\n%s", body)
		rec.mu.Lock()
		rec.seen = append(rec.seen, b.String())
		rec.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// take returns the requests seen and the connections accepted since the
// last call.
func (rec *recorder) take() (seen []string, conns int) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	seen, conns = rec.seen, rec.conns
	rec.seen, rec.conns = nil, 0
	return seen, conns
}

// TestFloorDoesWhatReqshDoes runs each workload through reqsh (in
// process, as a script) and through the floor against one recording
// go-httpbin: the server must receive the same requests (method, target,
// every header, body; redirects followed, cookies sent back), both on
// one connection, and both must print the same bytes.
func TestFloorDoesWhatReqshDoes(t *testing.T) {
	rec, srv := newRecorder(t)
	ua := "reqsh/" + repl.Version
	for _, w := range All {
		t.Run(w.Name, func(t *testing.T) {
			script := w.Script(3 * MixedKinds * 4) // every kind, every cookie name, more than once
			var reqshOut, reqshErr bytes.Buffer
			if code := repl.Main([]string{srv.URL}, bytes.NewReader(script), &reqshOut, &reqshErr, nil); code != 0 {
				t.Fatalf("reqsh exit %d: %s", code, reqshErr.String())
			}
			byReqsh, reqshConns := rec.take()
			var floorOut bytes.Buffer
			if err := Floor(w, srv.URL, ua, bytes.NewReader(script), &floorOut); err != nil {
				t.Fatal(err)
			}
			byFloor, floorConns := rec.take()
			if reqshConns != 1 || floorConns != 1 {
				t.Errorf("TCP connections: reqsh %d, the floor %d; want 1 each", reqshConns, floorConns)
			}
			if len(byReqsh) < bytes.Count(script, []byte("\n")) {
				t.Fatalf("server saw %d requests from reqsh for %d commands", len(byReqsh), bytes.Count(script, []byte("\n")))
			}
			if len(byReqsh) != len(byFloor) {
				t.Fatalf("server saw %d requests from reqsh, %d from the floor", len(byReqsh), len(byFloor))
			}
			for i := range byReqsh {
				if byReqsh[i] != byFloor[i] {
					t.Fatalf("request %d differs\nreqsh sent:\n%s\nthe floor sent:\n%s", i, byReqsh[i], byFloor[i])
				}
			}
			if reqshOut.Len() == 0 {
				t.Fatal("reqsh printed nothing")
			}
			if reqshOut.String() != floorOut.String() {
				t.Errorf("output differs\nreqsh:\n%s\nthe floor:\n%s", reqshOut.String(), floorOut.String())
			}
		})
	}
}

// TestMixedWorkloadSendsCookiesBack checks that the mixed workload does
// what it says: cookies set through a redirect come back on later
// requests, gzip bodies arrive encoded, JSON is posted.
func TestMixedWorkloadSendsCookiesBack(t *testing.T) {
	rec, srv := newRecorder(t)
	w, err := Lookup("mixed")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Floor(w, srv.URL, "reqsh/test", bytes.NewReader(w.Script(4*MixedKinds)), &out); err != nil {
		t.Fatal(err)
	}
	seen, _ := rec.take()
	all := strings.Join(seen, "\n---\n")
	for _, want := range []string{
		"GET /cookies/set?c0=v0 HTTP/1.1",
		"GET /cookies HTTP/1.1",
		`Cookie: ["c0=v0; c1=v5; c2=v10; c3=v15"]`,
		`POST /post HTTP/1.1`,
		`{"name":"item1","n":1,"ok":true}`,
		`X-Custom: ["v3"]`,
		"GET /anything/items/4?page=4&q=term4 HTTP/1.1",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("the server never saw %q", want)
		}
	}
	if !strings.Contains(out.String(), `"gzipped": true`) {
		t.Errorf("no decoded gzip body in the output:\n%s", out.String())
	}
}
