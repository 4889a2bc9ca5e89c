package session_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/reqsh/reqsh/session"
)

// TestPrepare: Prepare sends nothing, and what it returns is what Do then
// puts on the wire for the same request: the request line, every header
// (session headers, params, the jar's cookies, auth, Host, Content-Length)
// and the body.
func TestPrepare(t *testing.T) {
	var got atomic.Int32
	var received http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Add(1)
		received = r.Header.Clone()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)

	s := newSession(t, session.WithUserAgent("reqsh-test"))
	s.Headers.Set("X-Session", "s")
	s.Params.Set("p", "1")
	s.Auth = session.BasicAuth("user", "pass")
	if err := s.Jar.Set(session.Cookie{Name: "c", Value: "v", Domain: u.Hostname(), Path: "/", HostOnly: true}); err != nil {
		t.Fatal(err)
	}
	req := func() *session.Request {
		return &session.Request{
			Method: "post", URL: srv.URL + "/x?q=1", Query: []session.Param{{Name: "r", Value: "2"}},
			Header: http.Header{"X-Req": {"r"}}, Omit: []string{"Accept-Encoding"},
			Body: []byte(`{"a":1}`), ContentType: "application/json",
		}
	}
	prepared, err := s.Prepare(req())
	if err != nil {
		t.Fatal(err)
	}
	if n := got.Load(); n != 0 {
		t.Fatalf("Prepare sent %d requests", n)
	}
	resp, err := s.Do(context.Background(), req())
	if err != nil {
		t.Fatal(err)
	}
	sent := resp.Request
	if prepared.Method != sent.Method || prepared.URL.String() != sent.URL.String() || prepared.Proto != sent.Proto {
		t.Errorf("prepared %s %s %s, sent %s %s %s", prepared.Method, prepared.URL, prepared.Proto, sent.Method, sent.URL, sent.Proto)
	}
	if !reflect.DeepEqual(prepared.Header, sent.Header) {
		t.Errorf("prepared headers %v\nsent headers %v", prepared.Header, sent.Header)
	}
	if string(prepared.Body) != string(sent.Body) || prepared.BodySize != sent.BodySize {
		t.Errorf("prepared body %q (%d), sent %q (%d)", prepared.Body, prepared.BodySize, sent.Body, sent.BodySize)
	}
	// And the record is the truth: the server got those headers.
	for _, name := range []string{"Authorization", "Cookie", "X-Session", "X-Req", "Content-Type", "User-Agent"} {
		if received.Get(name) != prepared.Header.Get(name) || received.Get(name) == "" {
			t.Errorf("%s: server got %q, prepared %q", name, received.Get(name), prepared.Header.Get(name))
		}
	}
	if want := "/x?q=1&p=1&r=2"; prepared.URL.RequestURI() != want {
		t.Errorf("prepared %s, want %s", prepared.URL.RequestURI(), want)
	}
}
