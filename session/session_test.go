package session_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/mccutchen/go-httpbin/v2/httpbin"

	"github.com/reqsh/reqsh/session"
)

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(httpbin.New())
	t.Cleanup(srv.Close)
	return srv
}

// echo is what go-httpbin's /anything reports about the request it got.
type echo struct {
	Args    map[string][]string `json:"args"`
	Headers map[string][]string `json:"headers"`
	Method  string              `json:"method"`
	URL     string              `json:"url"`
	Data    string              `json:"data"`
}

func do(t *testing.T, s *session.Session, r *session.Request) (*session.Response, echo) {
	t.Helper()
	resp, err := s.Do(context.Background(), r)
	if err != nil {
		t.Fatalf("%s %s: %v", r.Method, r.URL, err)
	}
	var e echo
	if err := json.Unmarshal(resp.Body, &e); err != nil {
		t.Fatalf("%s %s: response is not httpbin's echo: %v\n%s", r.Method, r.URL, err, resp.Body)
	}
	return resp, e
}

// TestHeaderMerge checks rule 1: defaults, then session headers, then
// request headers, case-insensitive, nothing from a request persists, and
// an omitted header is gone for one request only.
func TestHeaderMerge(t *testing.T) {
	srv := newServer(t)
	s := newSession(t, session.WithUserAgent("reqsh-test"))
	s.Headers.Set("user-agent", "my-program")
	s.Headers.Set("X-Session", "s")

	_, e := do(t, s, &session.Request{URL: srv.URL + "/anything", Header: http.Header{"X-Session": {"r"}, "A": {"b"}}})
	want := map[string][]string{"User-Agent": {"my-program"}, "X-Session": {"r"}, "A": {"b"}, "Accept": {"*/*"}}
	for k, v := range want {
		if !reflect.DeepEqual(e.Headers[k], v) {
			t.Errorf("header %s = %q, want %q", k, e.Headers[k], v)
		}
	}

	_, e = do(t, s, &session.Request{URL: srv.URL + "/anything", Omit: []string{"x-session", "accept-encoding", "User-Agent"}})
	for _, k := range []string{"X-Session", "Accept-Encoding", "User-Agent", "A"} {
		if v, ok := e.Headers[k]; ok {
			t.Errorf("header %s sent as %q, want it absent", k, v)
		}
	}

	_, e = do(t, s, &session.Request{URL: srv.URL + "/anything"})
	if got := e.Headers["X-Session"]; !reflect.DeepEqual(got, []string{"s"}) {
		t.Errorf("after one-request overrides, X-Session = %q, want [s]", got)
	}
	if _, ok := e.Headers["A"]; ok {
		t.Error("a request header persisted into the session")
	}
}

// TestQueryMerge checks rule 2: the URL's query, then session params in
// insertion order, then request params replacing session params by name.
func TestQueryMerge(t *testing.T) {
	srv := newServer(t)
	s := newSession(t)
	s.Params.Set("from", "perfcode.com")
	s.Params.Add("tag", "a")
	s.Params.Add("tag", "b")
	s.Params.Set("Case", "upper")

	cases := map[string]struct {
		url   string
		query []session.Param
		want  string
	}{
		"session params only": {"/anything", nil, "from=perfcode.com&tag=a&tag=b&Case=upper"},
		"URL query first":     {"/anything?z=1&a=2", nil, "z=1&a=2&from=perfcode.com&tag=a&tag=b&Case=upper"},
		"request replaces":    {"/anything", []session.Param{{"tag", "c"}}, "from=perfcode.com&tag=c&Case=upper"},
		"names case-sensitive": {"/anything", []session.Param{{"case", "lower"}},
			"from=perfcode.com&tag=a&tag=b&Case=upper&case=lower"},
		"escaping": {"/anything", []session.Param{{"q", "a b&c=d"}},
			"from=perfcode.com&tag=a&tag=b&Case=upper&q=a+b%26c%3Dd"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resp, e := do(t, s, &session.Request{URL: srv.URL + tc.url, Query: tc.query})
			if resp.URL.RawQuery != tc.want {
				t.Errorf("query sent = %q, want %q", resp.URL.RawQuery, tc.want)
			}
			if !strings.HasSuffix(e.URL, "?"+tc.want) {
				t.Errorf("server saw URL %q, want query %q", e.URL, tc.want)
			}
		})
	}
}

// TestCookiesAcrossRedirect checks rule 3: a cookie set on a redirect hop
// reaches the jar and is sent on the next hop and later requests.
func TestCookiesAcrossRedirect(t *testing.T) {
	srv := newServer(t)
	s := newSession(t)
	resp, err := s.Get(context.Background(), srv.URL+"/cookies/set?token=123456")
	if err != nil {
		t.Fatal(err)
	}
	if resp.Redirects != 1 || !strings.Contains(string(resp.Body), `"token": "123456"`) && !strings.Contains(string(resp.Body), `"token":"123456"`) {
		t.Fatalf("after /cookies/set: %d redirects, body %s", resp.Redirects, resp.Body)
	}
	_, e := do(t, s, &session.Request{URL: srv.URL + "/anything"})
	if got := e.Headers["Cookie"]; !reflect.DeepEqual(got, []string{"token=123456"}) {
		t.Errorf("Cookie sent = %q, want [token=123456]", got)
	}
	all := s.Jar.All()
	if len(all) != 1 || all[0].Name != "token" || !all[0].HostOnly {
		t.Errorf("jar = %+v, want one host-only token cookie", all)
	}
}

// TestBasicAuthPrecedence checks request auth over session auth over URL
// userinfo.
func TestBasicAuthPrecedence(t *testing.T) {
	srv := newServer(t)
	s := newSession(t)
	host := strings.TrimPrefix(srv.URL, "http://")
	check := func(name string, r *session.Request, want int) {
		t.Helper()
		resp, err := s.Do(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != want {
			t.Errorf("%s: status %d, want %d", name, resp.StatusCode, want)
		}
	}
	check("no auth", &session.Request{URL: srv.URL + "/basic-auth/user/pass"}, 401)
	check("URL userinfo", &session.Request{URL: "http://user:pass@" + host + "/basic-auth/user/pass"}, 200)
	s.Auth = session.BasicAuth("user", "pass")
	check("session auth", &session.Request{URL: srv.URL + "/basic-auth/user/pass"}, 200)
	check("session over URL", &session.Request{URL: "http://user:wrong@" + host + "/basic-auth/user/pass"}, 200)
	check("request over session", &session.Request{URL: srv.URL + "/basic-auth/user/pass", Auth: session.BasicAuth("user", "wrong")}, 401)
}

// TestCloseKeepsSession checks rule 6: Close drops pooled connections and
// the session, with its state, stays usable.
func TestCloseKeepsSession(t *testing.T) {
	srv := newServer(t)
	s := newSession(t)
	s.Headers.Set("X-Kept", "yes")
	r1, _ := do(t, s, &session.Request{URL: srv.URL + "/anything"})
	r2, _ := do(t, s, &session.Request{URL: srv.URL + "/anything"})
	if r1.Reused || !r2.Reused {
		t.Errorf("reused = %v then %v, want false then true", r1.Reused, r2.Reused)
	}
	s.Close()
	r3, e := do(t, s, &session.Request{URL: srv.URL + "/anything"})
	if r3.Reused {
		t.Error("after Close the request reused a pooled connection")
	}
	if got := e.Headers["X-Kept"]; !reflect.DeepEqual(got, []string{"yes"}) {
		t.Errorf("after Close, X-Kept = %q, want [yes]", got)
	}
}

func TestResolveURL(t *testing.T) {
	s := newSession(t)
	base, err := s.ResolveURL("http://127.0.0.1:8080/api")
	if err != nil {
		t.Fatal(err)
	}
	s.Base = base
	cases := map[string]string{
		"/get":                  "http://127.0.0.1:8080/get",
		"get":                   "http://127.0.0.1:8080/api/get",
		"users/1?x=y":           "http://127.0.0.1:8080/api/users/1?x=y",
		"?a=1":                  "http://127.0.0.1:8080/api?a=1",
		"../up":                 "http://127.0.0.1:8080/up",
		"":                      "http://127.0.0.1:8080/api",
		":3000/x":               "http://localhost:3000/x",
		"example.com/path":      "http://example.com/path",
		"localhost:9/a":         "http://localhost:9/a",
		"HTTPS://Example.com/A": "https://Example.com/A",
	}
	for in, want := range cases {
		u, err := s.ResolveURL(in)
		if err != nil {
			t.Errorf("ResolveURL(%q): %v", in, err)
			continue
		}
		if u.String() != want {
			t.Errorf("ResolveURL(%q) = %q, want %q", in, u, want)
		}
	}
	noBase := newSession(t)
	for _, rel := range []string{"/get", "?a=1", "../x", "#top"} {
		if _, err := noBase.ResolveURL(rel); err == nil || !strings.Contains(err.Error(), "needs a base URL") {
			t.Errorf("ResolveURL(%q) without a base: %v, want a needs-a-base-URL error", rel, err)
		}
	}
	if u, err := noBase.ResolveURL("users/1"); err != nil || u.String() != "http://users/1" {
		t.Errorf(`ResolveURL("users/1") without a base = %v, %v; want http://users/1 (a host, as in HTTPie)`, u, err)
	}
	for _, bad := range []string{"ftp://x/", "http://[::1/", "http:///nohost"} {
		if u, err := s.ResolveURL(bad); err == nil {
			t.Errorf("ResolveURL(%q) = %q, want an error", bad, u)
		}
	}
}

// TestResolveURLRepeated checks that resolving one path again gives a
// fresh URL for the current base, however the last result was changed.
func TestResolveURLRepeated(t *testing.T) {
	s := newSession(t)
	first, err := s.ResolveURL("http://127.0.0.1:8080/api/")
	if err != nil {
		t.Fatal(err)
	}
	s.Base = first
	u, err := s.ResolveURL("items?a=1")
	if err != nil {
		t.Fatal(err)
	}
	u.RawQuery, u.Path = "changed=1", "/changed"
	again, err := s.ResolveURL("items?a=1")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := again.String(), "http://127.0.0.1:8080/api/items?a=1"; got != want {
		t.Errorf("second resolve = %q, want %q", got, want)
	}
	s.Base, err = s.ResolveURL("http://127.0.0.1:9090/v2/")
	if err != nil {
		t.Fatal(err)
	}
	moved, err := s.ResolveURL("items?a=1")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := moved.String(), "http://127.0.0.1:9090/v2/items?a=1"; got != want {
		t.Errorf("after a new base = %q, want %q", got, want)
	}
}

// TestMethods checks that a method is sent as given (upper-cased) and that
// one that is not a token is refused before anything is sent.
func TestMethods(t *testing.T) {
	srv := newServer(t)
	s := newSession(t)
	for _, m := range []string{"get", "PUT", "Delete", "PATCH"} {
		_, e := do(t, s, &session.Request{Method: m, URL: srv.URL + "/anything"})
		if want := strings.ToUpper(m); e.Method != want {
			t.Errorf("method %q: server got %q, want %q", m, e.Method, want)
		}
	}
	for _, bad := range []string{"GE T", "GET\r\nX: y", "(GET)"} {
		_, err := s.Do(context.Background(), &session.Request{Method: bad, URL: srv.URL + "/anything"})
		if err == nil || !strings.Contains(err.Error(), "invalid method") {
			t.Errorf("method %q: error %v, want an invalid method error", bad, err)
		}
	}
}

// TestMaxBody checks that a body over the limit is cut there, reported
// with its full length, and its connection dropped rather than drained.
func TestMaxBody(t *testing.T) {
	srv := newServer(t)
	s := newSession(t)
	resp, err := s.Do(context.Background(), &session.Request{URL: srv.URL + "/range/100000", MaxBody: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Truncated || len(resp.Body) != 1000 || resp.BodySize != 100000 {
		t.Errorf("truncated %v, kept %d bytes, size %d; want true, 1000, 100000", resp.Truncated, len(resp.Body), resp.BodySize)
	}
	next, err := s.Do(context.Background(), &session.Request{URL: srv.URL + "/range/10", MaxBody: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if next.Truncated || string(next.Body) != "abcdefghij" {
		t.Errorf("next body %q (truncated %v), want abcdefghij", next.Body, next.Truncated)
	}
	if next.Reused {
		t.Error("the connection of the cut body was reused; it should have been dropped")
	}
}

// newSession returns session.New(opts...), failing the test on an error.
func newSession(tb testing.TB, opts ...session.Option) *session.Session {
	tb.Helper()
	s, err := session.New(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// kindOf returns the Kind of a session error, 255 when err is no *session.Error.
func kindOf(err error) session.Kind {
	var e *session.Error
	if !errors.As(err, &e) {
		return 255
	}
	return e.Kind
}
