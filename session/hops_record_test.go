package session_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/reqsh/reqsh/session"
)

// TestEveryHopRecordsItsOwnHeaders: in one exchange that is sent three
// times (a redirect to another host, then a retry after a 503), each
// request's record holds exactly the header lines its server read, also
// after the later requests dropped Authorization (another host), the
// body's Content-* headers (302 turns the POST into a GET) and the jar's
// cookie (another host), and a Host given by hand goes out every time.
func TestEveryHopRecordsItsOwnHeaders(t *testing.T) {
	var mu sync.Mutex
	var got []wireRequest
	serve := func(answer func(n int) string) func(net.Conn) {
		return func(c net.Conn) {
			br := bufio.NewReader(c)
			for {
				req, ok := readWireRequest(br)
				if !ok {
					return
				}
				mu.Lock()
				got = append(got, req)
				n := len(got)
				mu.Unlock()
				if _, err := io.WriteString(c, answer(n)); err != nil {
					return
				}
			}
		}
	}
	end := rawServer(t, serve(func(n int) string {
		if n == 2 {
			return "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 0\r\nContent-Length: 0\r\n\r\n"
		}
		return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
	}))
	_, port, _ := net.SplitHostPort(end)
	start := rawServer(t, serve(func(int) string {
		return "HTTP/1.1 302 Found\r\nLocation: http://localhost:" + port + "/end\r\nContent-Length: 0\r\n\r\n"
	}))

	o := session.DefaultOptions()
	o.Retries = 1
	s := newSession(t, session.WithOptions(o))
	s.Auth = session.BasicAuth("user", "pass")
	if err := s.Jar.Set(session.Cookie{Name: "jar", Value: "j", Domain: "127.0.0.1", Path: "/", HostOnly: true}); err != nil {
		t.Fatal(err)
	}
	resp, err := s.Do(context.Background(), &session.Request{
		Method: "POST", URL: "http://" + start + "/start", Body: []byte(`{"a":1}`), ContentType: "application/json",
		Header: http.Header{"Host": {"example.test"}, "X-Hand": {"h"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || len(resp.History) != 1 {
		t.Fatalf("%d requests, %d hops before the last", len(got), len(resp.History))
	}
	for i, rec := range []*session.SentRequest{resp.History[0].Request, resp.Request} {
		wire := got[2*i] // the first hop, the retry of the second
		if i == 1 {
			if !reflect.DeepEqual(got[1], got[2]) {
				t.Errorf("the retry differs from the request it repeats:\n%v\n%v", got[1], got[2])
			}
		}
		if gotLines, want := headerLines(rec.Header), canonicalLines(wire.header); !reflect.DeepEqual(gotLines, want) {
			t.Errorf("request %d recorded:\n  %s\non the wire:\n  %s", i, strings.Join(gotLines, "\n  "), strings.Join(want, "\n  "))
		}
	}
	first, last := strings.Join(got[0].header, "\n"), strings.Join(got[2].header, "\n")
	for _, h := range []string{"Authorization: Basic", "Content-Type: application/json", "Content-Length: 7", "Cookie: jar=j", "Host: example.test", "X-Hand: h"} {
		if !strings.Contains(first, h) {
			t.Errorf("first request lacks %q:\n%s", h, first)
		}
	}
	for _, h := range []string{"Authorization", "Content-Type", "Content-Length", "Cookie"} {
		if strings.Contains(last, h) {
			t.Errorf("last request has %s:\n%s", h, last)
		}
	}
	for _, h := range []string{"Host: example.test", "X-Hand: h"} {
		if !strings.Contains(last, h) {
			t.Errorf("last request lacks %q:\n%s", h, last)
		}
	}
}
