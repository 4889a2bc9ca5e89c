package session

import (
	"context"
	"encoding/json"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/mccutchen/go-httpbin/v2/httpbin"
)

// The jar's own tests, and the standard library's conformance tables, are
// in package cookiejar; these check cookies end to end through a session.

// sameHostTransport is a transport that reaches every host on the given
// ports of 127.0.0.1 (http on 80, https on 443), trusting tlsSrv's
// certificate (which names example.com): so the session sees real host
// names over plain http and https.
func sameHostTransport(httpSrv, tlsSrv *httptest.Server) *http.Transport {
	t := tlsSrv.Client().Transport.(*http.Transport).Clone()
	d := &net.Dialer{}
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		_, port, _ := net.SplitHostPort(addr)
		if port == "443" {
			return d.DialContext(ctx, network, tlsSrv.Listener.Addr().String())
		}
		return d.DialContext(ctx, network, httpSrv.Listener.Addr().String())
	}
	return t
}

// TestSecureCookieNotShadowedOverHTTP: end to end, a Secure cookie set
// over https survives a same-named cookie (and a deletion) that arrives
// over plain http, and is what the server receives over https.
func TestSecureCookieNotShadowedOverHTTP(t *testing.T) {
	h := httpbin.New()
	plain := httptest.NewServer(h)
	defer plain.Close()
	tlsSrv := httptest.NewTLSServer(h)
	defer tlsSrv.Close()
	s := mustNew(t, WithTransport(sameHostTransport(plain, tlsSrv)))
	ctx := context.Background()
	setCookieVia := func(base, value string) {
		t.Helper()
		u := base + "/response-headers?Set-Cookie=" + url.QueryEscape(value)
		if _, err := s.Do(ctx, &Request{Method: "GET", URL: u}); err != nil {
			t.Fatal(err)
		}
	}
	setCookieVia("https://example.com", "sid=good; Secure; Path=/")
	setCookieVia("http://example.com", "sid=evil; Path=/")
	setCookieVia("http://www.example.com", "sid=evil2; Domain=example.com; Path=/")
	setCookieVia("http://example.com", "sid=; Max-Age=0; Path=/")
	resp, err := s.Do(ctx, &Request{Method: "GET", URL: "https://example.com/cookies"})
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Cookies map[string]string }
	if err := json.Unmarshal(resp.Body, &got); err != nil {
		t.Fatalf("%v: %s", err, resp.Body)
	}
	if want := map[string]string{"sid": "good"}; !maps.Equal(got.Cookies, want) {
		t.Errorf("server received cookies %v, want %v", got.Cookies, want)
	}
}

// TestSessionSendsQuotedCookie: end to end through the session, a quoted
// value set by the server goes back with its quotes, as requests sends
// it. It needs the Cookie header writer to honour http.Cookie.Quoted.
func TestSessionSendsQuotedCookie(t *testing.T) {
	srv := httptest.NewServer(httpbin.New())
	defer srv.Close()
	s := mustNew(t)
	ctx := context.Background()
	set := srv.URL + "/response-headers?Set-Cookie=" + url.QueryEscape(`q="abc"; Path=/`)
	if _, err := s.Do(ctx, &Request{Method: "GET", URL: set}); err != nil {
		t.Fatal(err)
	}
	resp, err := s.Do(ctx, &Request{Method: "GET", URL: srv.URL + "/headers"})
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Headers map[string][]string }
	if err := json.Unmarshal(resp.Body, &got); err != nil {
		t.Fatalf("%v: %s", err, resp.Body)
	}
	if c := got.Headers["Cookie"]; len(c) != 1 || c[0] != `q="abc"` {
		t.Errorf("server received Cookie %q, want %q", c, `q="abc"`)
	}
}
