package session_test

import (
	"bufio"
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/reqsh/reqsh/session"
)

// received is one request as a recording server got it.
type received struct {
	Method string
	Target string // the request target as sent, byte for byte
	Host   string
	Header http.Header
	Body   string
}

// recorder is an http.Handler that records every request it gets and
// answers with next (or 200 and no body).
type recorder struct {
	mu   sync.Mutex
	got  []received
	next http.HandlerFunc
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.got = append(rec.got, received{r.Method, r.RequestURI, r.Host, r.Header.Clone(), string(body)})
	rec.mu.Unlock()
	if rec.next != nil {
		rec.next(w, r)
	}
}

// take returns the requests recorded since the last take.
func (rec *recorder) take() []received {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	got := rec.got
	rec.got = nil
	return got
}

// newRecorder starts a recording server on 127.0.0.1.
func newRecorder(t *testing.T, next http.HandlerFunc) (*recorder, *httptest.Server) {
	t.Helper()
	rec := &recorder{next: next}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return rec, srv
}

// cookiesSent returns the Cookie headers a request carried.
func cookiesSent(r received) []string { return r.Header.Values("Cookie") }

// TestHandGivenCookie checks rule 3: a Cookie given by hand is merged with
// the jar (a jar cookie of the same name replaced, sent once; the others
// kept), stores nothing, and follows a redirect only while the chain stays
// on the scheme, host and port first asked for.
func TestHandGivenCookie(t *testing.T) {
	rec, srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if to := r.URL.Query().Get("to"); to != "" {
			http.Redirect(w, r, to, http.StatusFound)
		}
	})
	other := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	s := newSession(t)
	u, _ := url.Parse(srv.URL)
	s.Jar.SetCookies(u, []*http.Cookie{{Name: "a", Value: "session"}, {Name: "b", Value: "2"}})
	lu, _ := url.Parse(other)
	s.Jar.SetCookies(lu, []*http.Cookie{{Name: "l", Value: "jar"}})

	send := func(r *session.Request) []received {
		t.Helper()
		if _, err := s.Do(context.Background(), r); err != nil {
			t.Fatalf("%s: %v", r.URL, err)
		}
		return rec.take()
	}
	check := func(name string, got []received, want ...[]string) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d requests, want %d", name, len(got), len(want))
		}
		for i, r := range got {
			if c := cookiesSent(r); strings.Join(c, "|") != strings.Join(want[i], "|") {
				t.Errorf("%s: hop %d (%s%s) got Cookie %q, want %q", name, i, r.Host, r.Target, c, want[i])
			}
		}
	}

	hand := http.Header{"Cookie": {"a=override"}}
	check("request item", send(&session.Request{URL: srv.URL + "/x", Header: hand}),
		[]string{"a=override; b=2"})
	check("jar untouched", send(&session.Request{URL: srv.URL + "/x"}),
		[]string{"a=session; b=2"})
	if n := s.Jar.Len(); n != 3 {
		t.Errorf("jar holds %d cookies, want the 3 set (nothing of the hand-given one)", n)
	}

	s.Headers.Set("Cookie", "c=3; b=hand")
	check("session header", send(&session.Request{URL: srv.URL + "/x"}),
		[]string{"c=3; b=hand; a=session"})
	s.Headers.Del("Cookie")

	check("redirect on the same origin", send(&session.Request{URL: srv.URL + "/r?to=/end", Header: hand}),
		[]string{"a=override; b=2"}, []string{"a=override; b=2"})
	check("redirect to another host", send(&session.Request{URL: srv.URL + "/r?to=" + url.QueryEscape(other+"/end"), Header: hand}),
		[]string{"a=override; b=2"}, []string{"l=jar"})
	back := other + "/r?to=" + url.QueryEscape(srv.URL+"/end")
	check("away and back", send(&session.Request{URL: srv.URL + "/r?to=" + url.QueryEscape(back), Header: hand}),
		[]string{"a=override; b=2"}, []string{"l=jar"}, []string{"a=session; b=2"})
	check("hand-given on localhost, redirected to 127.0.0.1", send(&session.Request{URL: other + "/r?to=" + url.QueryEscape(srv.URL+"/end"),
		Header: http.Header{"Cookie": {"secret=1"}}}),
		[]string{"secret=1; l=jar"}, []string{"a=session; b=2"})
}

// TestProxyAuthorization checks rule 3: a hand-given Proxy-Authorization
// reaches the proxy only: not sent at all without a proxy, on the proxied
// request for http, in the CONNECT (not the tunneled request) for https.
func TestProxyAuthorization(t *testing.T) {
	const pa = "Basic cHJveHk6c2VjcmV0"
	hand := http.Header{"Proxy-Authorization": {pa}}

	t.Run("no proxy", func(t *testing.T) {
		rec, srv := newRecorder(t, nil)
		resp, err := newSession(t).Do(context.Background(), &session.Request{URL: srv.URL + "/x", Header: hand})
		if err != nil {
			t.Fatal(err)
		}
		got := rec.take()
		if len(got) != 1 || got[0].Header.Get("Proxy-Authorization") != "" {
			t.Errorf("server got %+v, want no Proxy-Authorization", got)
		}
		if v := resp.Request.Header.Get("Proxy-Authorization"); v != "" {
			t.Errorf("record of the request shows Proxy-Authorization %q, which was not sent", v)
		}
	})

	t.Run("http through a proxy", func(t *testing.T) {
		proxy, psrv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "via proxy") })
		s := newSession(t)
		o := s.Options()
		o.Proxy = psrv.URL
		if err := s.SetOptions(o); err != nil {
			t.Fatal(err)
		}
		resp, err := s.Do(context.Background(), &session.Request{URL: "http://origin.invalid/x", Header: hand})
		if err != nil {
			t.Fatal(err)
		}
		got := proxy.take()
		if len(got) != 1 || got[0].Target != "http://origin.invalid/x" || got[0].Header.Get("Proxy-Authorization") != pa {
			t.Errorf("proxy got %+v, want the proxied request with Proxy-Authorization", got)
		}
		if v := resp.Request.Header.Get("Proxy-Authorization"); v != pa {
			t.Errorf("record of the request shows Proxy-Authorization %q, want %q as sent", v, pa)
		}
	})

	t.Run("https through a CONNECT proxy", func(t *testing.T) {
		rec := &recorder{}
		origin := httptest.NewTLSServer(rec)
		defer origin.Close()
		var mu sync.Mutex
		var connects []received
		proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodConnect {
				http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
				return
			}
			mu.Lock()
			connects = append(connects, received{Method: r.Method, Target: r.RequestURI, Header: r.Header.Clone()})
			mu.Unlock()
			tunnel(t, w, r.RequestURI)
		}))
		defer proxy.Close()

		s := newSession(t, session.WithTransport(origin.Client().Transport.(*http.Transport)))
		o := s.Options()
		o.Proxy = proxy.URL
		if err := s.SetOptions(o); err != nil {
			t.Fatal(err)
		}
		resp, err := s.Do(context.Background(), &session.Request{URL: origin.URL + "/x", Header: hand})
		if err != nil {
			t.Fatal(err)
		}
		host := strings.TrimPrefix(origin.URL, "https://")
		if len(connects) != 1 || connects[0].Target != host || connects[0].Header.Get("Proxy-Authorization") != pa {
			t.Errorf("proxy got %+v, want one CONNECT %s with Proxy-Authorization", connects, host)
		}
		got := rec.take()
		if len(got) != 1 || got[0].Header.Get("Proxy-Authorization") != "" {
			t.Errorf("origin got %+v through the tunnel, want no Proxy-Authorization", got)
		}
		if v := resp.Request.Header.Get("Proxy-Authorization"); v != "" {
			t.Errorf("record of the tunneled request shows Proxy-Authorization %q, which was not sent in it", v)
		}
		// A request without the header on the pooled tunnel sends none.
		if _, err := s.Get(context.Background(), origin.URL+"/y"); err != nil {
			t.Fatal(err)
		}
		if got := rec.take(); len(got) != 1 || got[0].Header.Get("Proxy-Authorization") != "" {
			t.Errorf("origin got %+v, want no Proxy-Authorization", got)
		}
	})
}

// tunnel answers a CONNECT: it dials target and copies bytes both ways.
func tunnel(t *testing.T, w http.ResponseWriter, target string) {
	dst, err := net.Dial("tcp", target)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		dst.Close()
		return
	}
	fmt.Fprint(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
	done := make(chan struct{}, 2)
	go func() {
		_, _ = io.Copy(dst, buf)
		done <- struct{}{}
	}()
	go func() {
		_, _ = io.Copy(conn, dst)
		done <- struct{}{}
	}()
	<-done
	conn.Close()
	dst.Close()
}

// TestRequoteOnTheWire checks rule 2: non-ASCII and other bytes that may
// not stand in a path or query, typed or in a Location, go out
// percent-encoded exactly as requests sends them. The expected request
// targets were recorded from python3-requests 2.34 (urllib3 2.7) sending
// the same URLs to a raw socket server.
func TestRequoteOnTheWire(t *testing.T) {
	typed := []struct{ in, want string }{
		{"/a b", "/a%20b"},
		{"/é", "/%C3%A9"},
		{"/日本?q=日本", "/%E6%97%A5%E6%9C%AC?q=%E6%97%A5%E6%9C%AC"},
		{"/p?q=a b", "/p?q=a%20b"},
		{"/%7Efoo?x=%41%2F", "/~foo?x=A%2F"},
		{"/a%20b?x=%zz", "/a%20b?x=%25zz"},
		{"/a%zz%20", "/a%25zz%2520"},
		{"/a|b?c=d|e", "/a%7Cb?c=d%7Ce"},
		{"/a(é)*!'$,;:@", "/a(%C3%A9)*!'$,;:@"},
		{"/?q=é&r=[x]{y}", "/?q=%C3%A9&r=%5Bx%5D%7By%7D"},
		{"/a\"b<c>d`e^f{g}h\\i", "/a%22b%3Cc%3Ed%60e%5Ef%7Bg%7Dh%5Ci"},
		{"/a?b=c?d/e", "/a?b=c?d/e"},
		{"/a%2fb%2Fc", "/a%2Fb%2Fc"},
		{"/x?a=%e9", "/x?a=%E9"},
		{"/%C3%A9?é=%C3%A9", "/%C3%A9?%C3%A9=%C3%A9"},
		{"/a+b?c+d=e+f", "/a+b?c+d=e+f"},
		{"/~user/%7euser", "/~user/~user"},
		{"/a#frag é", "/a"},
		{"/a/./b/../c", "/a/c"},
		{"/a/%2E%2E/b", "/a/../b"},
		{"/x?a=1&b=%&c=%2", "/x?a=1&b=%25&c=%252"},
		{"/naïve café/ü?ü=ö&x=€", "/na%C3%AFve%20caf%C3%A9/%C3%BC?%C3%BC=%C3%B6&x=%E2%82%AC"},
	}
	locations := []struct{ in, want string }{
		{"/é?q=é", "/%C3%A9?q=%C3%A9"},
		{"/a b?c d", "/a%20b?c%20d"},
		{"/a|b", "/a%7Cb"},
		{"/%7e?x=%zz", "/%257e?x=%25zz"},
		{"/x?q=[1]", "/x?q=%5B1%5D"},
		{"$SERVER/日本", "/%E6%97%A5%E6%9C%AC"},
		{"/p/%41?%e9", "/p/A?%E9"},
	}
	var srvURL string
	rec, srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/loc/") {
			var i int
			fmt.Sscan(strings.TrimPrefix(r.URL.Path, "/loc/"), &i)
			w.Header()["Location"] = []string{strings.ReplaceAll(locations[i].in, "$SERVER", srvURL)}
			w.WriteHeader(http.StatusFound)
		}
	})
	srvURL = srv.URL
	s := newSession(t)
	checkTarget := func(name string, got []received, want string) {
		t.Helper()
		if len(got) == 0 {
			t.Errorf("%s: the server got no request", name)
			return
		}
		last := got[len(got)-1]
		if last.Target != want {
			t.Errorf("%s: server got target %q, want %q", name, last.Target, want)
		}
		for i := 0; i < len(last.Target); i++ {
			if c := last.Target[i]; c <= ' ' || c >= 0x7f {
				t.Errorf("%s: target %q has raw byte %#x", name, last.Target, c)
				break
			}
		}
	}
	for _, tc := range typed {
		if _, err := s.Get(context.Background(), srv.URL+tc.in); err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		checkTarget(fmt.Sprintf("typed %q", tc.in), rec.take(), tc.want)
	}
	for i, tc := range locations {
		resp, err := s.Get(context.Background(), fmt.Sprintf("%s/loc/%d", srv.URL, i))
		if err != nil {
			t.Errorf("Location %q: %v", tc.in, err)
			continue
		}
		got := rec.take()
		if resp.Redirects != 1 || len(got) != 2 {
			t.Errorf("Location %q: %d redirects, %d requests", tc.in, resp.Redirects, len(got))
			continue
		}
		checkTarget(fmt.Sprintf("Location %q", tc.in), got, tc.want)
	}

	// A path typed relative to the base URL, and session params after the
	// typed query, are encoded the same way.
	base, _ := url.Parse(srv.URL + "/dir/")
	s.Base = base
	s.Params.Set("p", "é é")
	if _, err := s.Get(context.Background(), "日本/x y?q=é"); err != nil {
		t.Fatal(err)
	}
	checkTarget("relative", rec.take(), "/dir/%E6%97%A5%E6%9C%AC/x%20y?q=%C3%A9&p=%C3%A9+%C3%A9")
}

// digestServer is a digest-protected handler (MD5, qop=auth) that checks
// each answer, counts requests and bodies, and can make its nonce stale.
type digestServer struct {
	mu       sync.Mutex
	nonce    string
	stale    map[string]bool
	requests int
	bodies   []string
	ncs      []string // the nc of every answer it accepted
}

const digestUser, digestPass, digestRealm = "user", "pass", "test@reqsh"

func (d *digestServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.requests++
	if len(body) > 0 {
		d.bodies = append(d.bodies, string(body))
	}
	if d.nonce == "" {
		d.renew()
	}
	p, ok := parseDigest(r.Header.Get("Authorization"))
	switch {
	case ok && d.stale[p["nonce"]]:
		d.challenge(w, true)
	case ok && p["nonce"] == d.nonce && p["response"] == digestResponse(p, r.Method):
		d.ncs = append(d.ncs, p["nc"])
		fmt.Fprint(w, "ok")
	default:
		d.challenge(w, false)
	}
}

// expire makes the current nonce stale: the next answer to it gets a new
// challenge with stale=true.
func (d *digestServer) expire() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stale[d.nonce] = true
	d.renew()
}

func (d *digestServer) renew() {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	d.nonce = hex.EncodeToString(b)
}

func (d *digestServer) challenge(w http.ResponseWriter, stale bool) {
	v := fmt.Sprintf(`Digest realm=%q, qop="auth", nonce=%q, opaque="op"`, digestRealm, d.nonce)
	if stale {
		v += ", stale=true"
	}
	w.Header().Set("WWW-Authenticate", v)
	w.WriteHeader(http.StatusUnauthorized)
}

// take returns the requests, bodies and accepted nonce counts since the
// last take.
func (d *digestServer) take() (int, []string, []string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	n, b, nc := d.requests, d.bodies, d.ncs
	d.requests, d.bodies, d.ncs = 0, nil, nil
	return n, b, nc
}

func parseDigest(h string) (map[string]string, bool) {
	rest, ok := strings.CutPrefix(h, "Digest ")
	if !ok {
		return nil, false
	}
	p := map[string]string{}
	for _, part := range strings.Split(rest, ", ") {
		k, v, _ := strings.Cut(part, "=")
		p[k] = strings.Trim(v, `"`)
	}
	return p, true
}

func digestResponse(p map[string]string, method string) string {
	h := func(s string) string { x := md5.Sum([]byte(s)); return hex.EncodeToString(x[:]) }
	ha1 := h(digestUser + ":" + digestRealm + ":" + digestPass)
	ha2 := h(method + ":" + p["uri"])
	return h(strings.Join([]string{ha1, p["nonce"], p["nc"], p["cnonce"], p["qop"], ha2}, ":"))
}

// TestDigestPreemptive checks rule 4: after the first challenge the
// session answers the next requests at once with the nonce count
// incremented, so a body is sent once; a stale nonce costs one retry.
func TestDigestPreemptive(t *testing.T) {
	d := &digestServer{stale: map[string]bool{}}
	srv := httptest.NewServer(d)
	defer srv.Close()
	s := newSession(t)
	s.Auth = session.DigestAuth(digestUser, digestPass)
	send := func(method, body string) {
		t.Helper()
		var b []byte
		if body != "" {
			b = []byte(body)
		}
		resp, err := s.Do(context.Background(), &session.Request{Method: method, URL: srv.URL + "/p", Body: b})
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 200 {
			t.Fatalf("%s: status %d, want 200", method, resp.StatusCode)
		}
	}
	check := func(name string, wantRequests int, wantBodies, wantNC []string) {
		t.Helper()
		n, bodies, ncs := d.take()
		if n != wantRequests || strings.Join(bodies, "|") != strings.Join(wantBodies, "|") || strings.Join(ncs, ",") != strings.Join(wantNC, ",") {
			t.Errorf("%s: server got %d requests, bodies %q, nc %q; want %d, %q, %q",
				name, n, bodies, ncs, wantRequests, wantBodies, wantNC)
		}
	}

	send("GET", "")
	check("first request: challenged once", 2, nil, []string{"00000001"})
	send("POST", "one")
	check("second request: answered at once", 1, []string{"one"}, []string{"00000002"})
	send("PUT", "two")
	check("third request", 1, []string{"two"}, []string{"00000003"})
	d.expire()
	send("POST", "three")
	check("stale nonce: one retry", 2, []string{"three", "three"}, []string{"00000001"})
	send("POST", "four")
	check("after the new nonce", 1, []string{"four"}, []string{"00000002"})

	// An Authorization given by hand wins over the digest answer: sent as
	// given, not answered when challenged.
	resp, err := s.Do(context.Background(), &session.Request{URL: srv.URL + "/p", Header: http.Header{"Authorization": {"Bearer hand"}}})
	if err != nil || resp.StatusCode != 401 || resp.Request.Header.Get("Authorization") != "Bearer hand" {
		t.Errorf("hand-given Authorization: %v %v; want the 401 to it", resp, err)
	}
	check("hand-given Authorization", 1, nil, nil)

	// Another origin gets no answer before it challenges.
	d2 := &digestServer{stale: map[string]bool{}}
	srv2 := httptest.NewServer(d2)
	defer srv2.Close()
	resp, err = s.Get(context.Background(), srv2.URL+"/p")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("other origin: %v %v", resp, err)
	}
	if n, _, _ := d2.take(); n != 2 {
		t.Errorf("other origin got %d requests, want 2 (challenge, answer)", n)
	}

	// Reset forgets the challenges.
	s.Reset()
	s.Auth = session.DigestAuth(digestUser, digestPass)
	send("GET", "")
	check("after reset: challenged again", 2, nil, []string{"00000001"})
}

// TestStripsAuthOnSchemeChange checks requests' rule on the wire: http to
// https on the same non-default port drops Authorization.
func TestStripsAuthOnSchemeChange(t *testing.T) {
	rec := &recorder{}
	var port string
	rec.next = func(w http.ResponseWriter, r *http.Request) {
		if r.TLS == nil {
			http.Redirect(w, r, "https://127.0.0.1:"+port+"/end", http.StatusFound)
		}
	}
	tlsSrv := httptest.NewTLSServer(rec) // for its certificate and client
	defer tlsSrv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ = net.SplitHostPort(ln.Addr().String())
	both := &http.Server{Handler: rec}
	go both.Serve(&sniffListener{Listener: ln, tls: tlsSrv.TLS})
	defer both.Close()

	s := newSession(t, session.WithTransport(tlsSrv.Client().Transport.(*http.Transport)))
	s.Auth = session.BasicAuth("user", "pass")
	resp, err := s.Get(context.Background(), "http://127.0.0.1:"+port+"/start")
	if err != nil {
		t.Fatal(err)
	}
	got := rec.take()
	if resp.Redirects != 1 || len(got) != 2 {
		t.Fatalf("%d redirects, %d requests; want 1, 2", resp.Redirects, len(got))
	}
	if got[0].Header.Get("Authorization") == "" {
		t.Error("the first request went without Authorization")
	}
	if v := got[1].Header.Get("Authorization"); v != "" {
		t.Errorf("after http -> https on port %s, Authorization %q was sent; requests strips it", port, v)
	}
}

// sniffListener serves TLS and plain HTTP on one port: a connection whose
// first byte starts a TLS handshake record is wrapped in TLS.
type sniffListener struct {
	net.Listener
	tls *tls.Config
}

func (l *sniffListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	br := bufio.NewReader(c)
	first, err := br.Peek(1)
	pc := &peekedConn{Conn: c, r: br}
	if err == nil && first[0] == 0x16 {
		return tls.Server(pc, l.tls), nil
	}
	return pc, nil
}

// peekedConn reads through the buffer that peeked at its first bytes.
type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *peekedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// TestParamsMergeLikeRequests checks rule 2 against requests' dict merge:
// a request param replaces the session param of its name in that place,
// and all values of a name go together where the name first appears. The
// expected queries were printed by python3-requests 2.34 for the same
// session and request params (repeated values as lists).
func TestParamsMergeLikeRequests(t *testing.T) {
	rec, srv := newRecorder(t, nil)
	p := func(pairs ...string) []session.Param {
		var out []session.Param
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, session.Param{Name: pairs[i], Value: pairs[i+1]})
		}
		return out
	}
	cases := []struct {
		name         string
		session, req []session.Param
		want         string
	}{
		{"replaced in place", p("a", "1", "b", "2"), p("a", "9", "c", "3"), "/p?z=1&a=9&b=2&c=3"},
		{"all session values replaced", p("tag", "a", "tag", "b", "x", "1"), p("tag", "c"), "/p?z=1&tag=c&x=1"},
		{"repeated request values", p("tag", "a", "tag", "b", "x", "1"), p("x", "7", "n", "1", "x", "8", "n", "2"), "/p?z=1&tag=a&tag=b&x=7&x=8&n=1&n=2"},
		{"session values grouped", p("a", "1", "b", "2", "a", "3"), nil, "/p?z=1&a=1&a=3&b=2"},
		{"both grouped", p("a", "1", "b", "2", "a", "3"), p("b", "5", "a", "0", "b", "6"), "/p?z=1&a=0&b=5&b=6"},
	}
	for _, tc := range cases {
		s := newSession(t)
		for _, q := range tc.session {
			s.Params.Add(q.Name, q.Value)
		}
		if _, err := s.Do(context.Background(), &session.Request{URL: srv.URL + "/p?z=1", Query: tc.req}); err != nil {
			t.Fatal(err)
		}
		if got := rec.take(); len(got) != 1 || got[0].Target != tc.want {
			t.Errorf("%s: server got %+v, want target %q", tc.name, got, tc.want)
		}
	}
}

// TestHeadRedirects checks rule 5: HEAD does not follow redirects unless
// asked to, as requests' Session.head, whatever the session's follow.
func TestHeadRedirects(t *testing.T) {
	rec, srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/from" {
			http.Redirect(w, r, "/to", http.StatusFound)
		}
	})
	yes, no := true, false
	cases := []struct {
		name    string
		follow  *bool
		session bool
		status  int
		targets string
	}{
		{"head", nil, true, 302, "/from"},
		{"head --follow", &yes, true, 200, "/from,/to"},
		{"head --follow, follow off", &yes, false, 200, "/from,/to"},
		{"head --no-follow", &no, true, 302, "/from"},
	}
	for _, tc := range cases {
		s := newSession(t)
		o := s.Options()
		o.Follow = tc.session
		_ = s.SetOptions(o)
		resp, err := s.Do(context.Background(), &session.Request{Method: "HEAD", URL: srv.URL + "/from", Follow: tc.follow})
		if err != nil {
			t.Fatal(err)
		}
		var targets []string
		for _, r := range rec.take() {
			targets = append(targets, r.Method+" "+r.Target)
		}
		want := "HEAD " + strings.ReplaceAll(tc.targets, ",", ",HEAD ")
		if resp.StatusCode != tc.status || strings.Join(targets, ",") != want {
			t.Errorf("%s: status %d, server got %q; want %d, %q", tc.name, resp.StatusCode, targets, tc.status, want)
		}
	}
	// A GET still follows by default.
	resp, err := newSession(t).Get(context.Background(), srv.URL+"/from")
	if err != nil || resp.StatusCode != 200 || resp.Redirects != 1 {
		t.Errorf("GET: %v %v, want 200 after one redirect", resp, err)
	}
}

// TestNoBodyToDecode checks that a response that has no body (HEAD, 204,
// 304) is not decoded whatever its Content-Encoding says: go-httpbin's
// /gzip for HEAD, and a server answering 204 and 304 with gzip headers.
func TestNoBodyToDecode(t *testing.T) {
	bin := newServer(t)
	s := newSession(t)
	resp, err := s.Do(context.Background(), &session.Request{Method: "HEAD", URL: bin.URL + "/gzip"})
	if err != nil {
		t.Fatalf("HEAD /gzip: %v", err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" || len(resp.Body) != 0 {
		t.Errorf("HEAD /gzip: status %d, Content-Encoding %q, body %q; want 200, gzip, none",
			resp.StatusCode, resp.Header.Get("Content-Encoding"), resp.Body)
	}
	var out strings.Builder
	if _, err := s.Do(context.Background(), &session.Request{Method: "HEAD", URL: bin.URL + "/deflate", Output: &out}); err != nil || out.Len() != 0 {
		t.Errorf("HEAD /deflate to a writer: err %v, wrote %q", err, out.String())
	}

	_, srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", "20")
		code := http.StatusNoContent
		if r.URL.Path == "/304" {
			code = http.StatusNotModified
		}
		w.WriteHeader(code)
	})
	for _, path := range []string{"/204", "/304"} {
		resp, err := s.Get(context.Background(), srv.URL+path)
		if err != nil {
			t.Errorf("GET %s with Content-Encoding gzip: %v", path, err)
			continue
		}
		if len(resp.Body) != 0 {
			t.Errorf("GET %s: body %q, want none", path, resp.Body)
		}
	}
}
