package session_test

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mccutchen/go-httpbin/v2/httpbin"

	"github.com/reqsh/reqsh/session"
)

// redirectTo is go-httpbin's /redirect-to for target with a status code.
func redirectTo(base, target string, code int) string {
	return fmt.Sprintf("%s/redirect-to?url=%s&status_code=%d", base, url.QueryEscape(target), code)
}

// TestRedirectMethodRules checks rule 5: 301 POST→GET, 302/303 any→GET
// (not HEAD), 307/308 keep method and body; a rewritten GET sends no body
// and no Content-* headers.
func TestRedirectMethodRules(t *testing.T) {
	srv := newServer(t)
	body := []byte(`{"name":"reqsh"}`)
	cases := []struct {
		method   string
		code     int
		want     string
		wantBody bool
	}{
		{"POST", 301, "GET", false},
		{"PUT", 301, "PUT", true},
		{"POST", 302, "GET", false},
		{"PATCH", 302, "GET", false},
		{"PUT", 303, "GET", false},
		{"DELETE", 303, "GET", false},
		{"POST", 307, "POST", true},
		{"PUT", 308, "PUT", true},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s %d", tc.method, tc.code), func(t *testing.T) {
			s := newSession(t)
			resp, e := do(t, s, &session.Request{
				Method: tc.method, URL: redirectTo(srv.URL, "/anything", tc.code),
				Body: body, ContentType: "application/json",
			})
			if resp.Redirects != 1 {
				t.Errorf("redirects = %d, want 1", resp.Redirects)
			}
			if e.Method != tc.want {
				t.Errorf("server got %s, want %s", e.Method, tc.want)
			}
			_, hasType := e.Headers["Content-Type"]
			if tc.wantBody {
				if e.Data != string(body) || !hasType {
					t.Errorf("body %q, Content-Type sent %v; want the body and its type kept", e.Data, hasType)
				}
			} else if e.Data != "" || hasType || e.Headers["Content-Length"] != nil {
				t.Errorf("after rewrite to GET: body %q, headers %v; want no body and no Content-*", e.Data, e.Headers)
			}
		})
	}

	t.Run("HEAD 302 stays HEAD", func(t *testing.T) {
		var methods []string
		mux := http.NewServeMux()
		mux.HandleFunc("/from", func(w http.ResponseWriter, r *http.Request) {
			methods = append(methods, r.Method)
			http.Redirect(w, r, "/to", http.StatusFound)
		})
		mux.HandleFunc("/to", func(w http.ResponseWriter, r *http.Request) { methods = append(methods, r.Method) })
		hs := httptest.NewServer(mux)
		defer hs.Close()
		follow := true // a HEAD follows only when asked to
		if _, err := newSession(t).Do(context.Background(), &session.Request{Method: "HEAD", URL: hs.URL + "/from", Follow: &follow}); err != nil {
			t.Fatal(err)
		}
		if strings.Join(methods, ",") != "HEAD,HEAD" {
			t.Errorf("methods = %v, want HEAD,HEAD", methods)
		}
	})
}

// TestRedirectLimits checks the redirect count: 30 by default, settable,
// and an error naming the last URL beyond it; and following on or off.
func TestRedirectLimits(t *testing.T) {
	srv := newServer(t)
	s := newSession(t)
	resp, err := s.Get(context.Background(), srv.URL+"/redirect/30")
	if err != nil {
		t.Fatalf("/redirect/30: %v", err)
	}
	if resp.Redirects != 30 || resp.StatusCode != 200 || len(resp.History) != 30 {
		t.Errorf("/redirect/30: %d redirects, status %d, history %d", resp.Redirects, resp.StatusCode, len(resp.History))
	}
	_, err = s.Get(context.Background(), srv.URL+"/redirect/31")
	if kindOf(err) != session.KindRedirectLoop {
		t.Fatalf("/redirect/31: err = %v, want too many redirects", err)
	}
	if !strings.Contains(err.Error(), srv.URL+"/get") || !strings.Contains(err.Error(), "/redirect/31") {
		t.Errorf("error %q should name the request and the last URL (/get)", err)
	}

	o := s.Options()
	o.MaxRedirects = 2
	if err := s.SetOptions(o); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(context.Background(), srv.URL+"/redirect/3"); kindOf(err) != session.KindRedirectLoop {
		t.Errorf("max 2, /redirect/3: err = %v, want too many redirects", err)
	}

	o.Follow = false
	_ = s.SetOptions(o)
	resp, err = s.Get(context.Background(), srv.URL+"/redirect/3")
	if err != nil || resp.StatusCode != 302 || resp.Redirects != 0 {
		t.Errorf("follow off: status %v, err %v; want the 302 itself", resp, err)
	}
	yes := true
	resp, err = s.Do(context.Background(), &session.Request{URL: srv.URL + "/redirect/2", Follow: &yes})
	if err != nil || resp.StatusCode != 200 || resp.Redirects != 2 {
		t.Errorf("follow off, --follow: status %v, err %v; want 200 after 2", resp, err)
	}
}

// TestRedirectStripsAuth checks rule 4: Authorization is kept on the same
// host, dropped for another host or port, and never comes back later in
// the chain.
func TestRedirectStripsAuth(t *testing.T) {
	srv := newServer(t)
	other := newServer(t)
	localhost := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	cases := map[string]struct {
		url      string
		wantAuth bool
	}{
		"same host":    {redirectTo(srv.URL, "/anything", 302), true},
		"to localhost": {redirectTo(srv.URL, localhost+"/anything", 302), false},
		"other port":   {redirectTo(srv.URL, other.URL+"/anything", 307), false},
		"away and back": {redirectTo(srv.URL, redirectTo(localhost, srv.URL+"/anything", 302), 302),
			false},
	}
	for name, tc := range cases {
		for _, auth := range []*session.Auth{session.BasicAuth("user", "pass"), session.BearerAuth("t0ken")} {
			t.Run(name+" "+string(auth.Scheme), func(t *testing.T) {
				s := newSession(t)
				s.Auth = auth
				_, e := do(t, s, &session.Request{URL: tc.url})
				_, got := e.Headers["Authorization"]
				if got != tc.wantAuth {
					t.Errorf("Authorization arrived = %v, want %v (headers %v)", got, tc.wantAuth, e.Headers)
				}
			})
		}
	}
}

func TestAuthKinds(t *testing.T) {
	srv := newServer(t)
	cases := map[string]struct {
		auth *session.Auth
		url  string
		want int
	}{
		"digest MD5":         {session.DigestAuth("user", "pass"), "/digest-auth/auth/user/pass", 200},
		"digest MD5 named":   {session.DigestAuth("user", "pass"), "/digest-auth/auth/user/pass/MD5", 200},
		"digest SHA-256":     {session.DigestAuth("user", "pass"), "/digest-auth/auth/user/pass/SHA-256", 200},
		"digest wrong pass":  {session.DigestAuth("user", "nope"), "/digest-auth/auth/user/pass", 401},
		"digest behind 302":  {session.DigestAuth("user", "pass"), "/redirect-to?url=/digest-auth/auth/user/pass/SHA-256", 200},
		"bearer":             {session.BearerAuth("t0ken"), "/bearer", 200},
		"basic on digest":    {session.BasicAuth("user", "pass"), "/digest-auth/auth/user/pass", 401},
		"no auth for bearer": {nil, "/bearer", 401},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := newSession(t)
			s.Auth = tc.auth
			resp, err := s.Get(context.Background(), srv.URL+tc.url)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.want {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, tc.want, resp.Body)
			}
			if tc.auth != nil && tc.auth.Scheme == session.Digest && tc.want == 200 {
				if got := resp.Request.Header.Get("Authorization"); !strings.HasPrefix(got, "Digest username=\"user\"") {
					t.Errorf("Authorization sent = %q, want a digest answer", got)
				}
			}
		})
	}
}

// TestTimeout checks that a timeout fails the request in about its limit,
// names the URL and the limit, and leaves the session usable.
func TestTimeout(t *testing.T) {
	srv := newServer(t)
	s := newSession(t)
	start := time.Now()
	_, err := s.Do(context.Background(), &session.Request{URL: srv.URL + "/delay/5", Timeout: time.Second})
	elapsed := time.Since(start)
	var te *session.Error
	if !errors.As(err, &te) || te.Kind != session.KindTimeout || te.Limit != time.Second || te.Connecting {
		t.Fatalf("err = %v, want a read timeout after 1s", err)
	}
	if !strings.Contains(err.Error(), srv.URL+"/delay/5") || !strings.Contains(err.Error(), "1s") {
		t.Errorf("error %q should name the URL and the limit", err)
	}
	if elapsed > 4*time.Second {
		t.Errorf("the 1s timeout took %s; the request was not cut", elapsed)
	}
	if resp, err := s.Get(context.Background(), srv.URL+"/get"); err != nil || resp.StatusCode != 200 {
		t.Errorf("after the timeout: %v %v", resp, err)
	}

	// A slow body that keeps flowing is not cut by a timeout longer than
	// its gaps: /drip sends 4 bytes over 2s.
	resp, err := s.Do(context.Background(), &session.Request{URL: srv.URL + "/drip?numbytes=4&duration=2&delay=0", Timeout: 1500 * time.Millisecond})
	if err != nil || len(resp.Body) != 4 {
		t.Errorf("drip under an idle timeout: %v, err %v", resp, err)
	}
}

func TestConnectError(t *testing.T) {
	_, err := newSession(t).Get(context.Background(), "http://127.0.0.1:1/x")
	if err == nil || !strings.Contains(err.Error(), `get "http://127.0.0.1:1/x"`) || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("err = %v, want the URL and connection refused", err)
	}
}

func TestContentEncoding(t *testing.T) {
	srv := newServer(t)
	s := newSession(t)
	for path, key := range map[string]string{"/gzip": `"gzipped": true`, "/deflate": `"deflated": true`} {
		resp, err := s.Get(context.Background(), srv.URL+path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if !strings.Contains(string(resp.Body), key) {
			t.Errorf("%s: body not decoded: %q", path, resp.Body)
		}
	}
	_, e := do(t, s, &session.Request{URL: srv.URL + "/anything", Omit: []string{"Accept-Encoding"}})
	if v, ok := e.Headers["Accept-Encoding"]; ok {
		t.Errorf("Accept-Encoding sent as %q after removing it", v)
	}
}

func TestEmptyBodyContentLength(t *testing.T) {
	srv := newServer(t)
	s := newSession(t)
	for _, m := range []string{"POST", "PUT", "PATCH"} {
		_, e := do(t, s, &session.Request{Method: m, URL: srv.URL + "/anything"})
		if got := e.Headers["Content-Length"]; len(got) != 1 || got[0] != "0" {
			t.Errorf("%s with no body: Content-Length %q, want 0", m, got)
		}
	}
}

// TestTLSVerify checks certificate verification on by default, off on
// request, and against a CA bundle file.
func TestTLSVerify(t *testing.T) {
	srv := httptest.NewUnstartedServer(httpbin.New())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshake is expected
	srv.StartTLS()
	defer srv.Close()
	s := newSession(t)
	if _, err := s.Get(context.Background(), srv.URL+"/get"); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("verify on, self-signed server: err = %v, want a certificate error", err)
	}
	o := s.Options()
	o.Verify = session.VerifyOff
	if err := s.SetOptions(o); err != nil {
		t.Fatal(err)
	}
	if resp, err := s.Get(context.Background(), srv.URL+"/get"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("verify off: %v %v", resp, err)
	}

	ca := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(ca, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	o.Verify = session.VerifyCA(ca)
	if err := s.SetOptions(o); err != nil {
		t.Fatal(err)
	}
	if resp, err := s.Get(context.Background(), srv.URL+"/get"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("verify with the CA bundle: %v %v", resp, err)
	}
	o.Verify = session.VerifyCA(filepath.Join(t.TempDir(), "missing.pem"))
	if err := s.SetOptions(o); err == nil {
		t.Error("a missing CA bundle was accepted")
	}
	if s.Options().Verify != session.VerifyCA(ca) {
		t.Errorf("after a bad value, verify = %q, want it unchanged", s.Options().Verify)
	}
}

// TestProxy checks that `set proxy` sends requests through the proxy.
func TestProxy(t *testing.T) {
	var seen []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Method+" "+r.URL.String())
		fmt.Fprint(w, "via proxy")
	}))
	defer proxy.Close()
	s := newSession(t)
	o := s.Options()
	o.Proxy = proxy.URL
	if err := s.SetOptions(o); err != nil {
		t.Fatal(err)
	}
	resp, err := s.Get(context.Background(), "http://api.invalid/items?a=1")
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "via proxy" || len(seen) != 1 || seen[0] != "GET http://api.invalid/items?a=1" {
		t.Errorf("proxy saw %q, body %q", seen, resp.Body)
	}
	o.Proxy = "::not a url"
	if err := s.SetOptions(o); err == nil {
		t.Error("an invalid proxy URL was accepted")
	}
}

// TestMaxTime checks that max-time cuts a body that keeps dripping under
// the timeout, names the limit, and leaves the session usable; and that a
// session's max-time is replaced by a request's.
func TestMaxTime(t *testing.T) {
	srv := newServer(t)
	s := newSession(t)
	o := s.Options()
	o.Timeout, o.MaxTime = time.Second, 10*time.Second
	if err := s.SetOptions(o); err != nil {
		t.Fatal(err)
	}
	// /drip sends 10 bytes over 5s: never a gap of a second.
	url := srv.URL + "/drip?numbytes=10&duration=5&delay=0"
	_, err := s.Do(context.Background(), &session.Request{URL: url, MaxTime: 700 * time.Millisecond})
	var te *session.Error
	if !errors.As(err, &te) || te.Kind != session.KindMaxTime || te.Limit != 700*time.Millisecond {
		t.Fatalf("err = %v, want max-time 700ms exceeded", err)
	}
	if want := `get "` + url + `": max-time 700ms exceeded`; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if resp, err := s.Get(context.Background(), srv.URL+"/get"); err != nil || resp.StatusCode != 200 {
		t.Errorf("after max-time: %v %v", resp, err)
	}
}

// TestBodyBufferBounded checks that what a server promises in
// Content-Length does not buy memory it does not send: a HEAD keeps no
// buffer, and a short body no more than the first guess.
func TestBodyBufferBounded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "60000000")
		if r.Method != http.MethodHead {
			w.Write([]byte("x"))
		}
	}))
	defer srv.Close()
	s := newSession(t)
	head, err := s.Do(context.Background(), &session.Request{Method: "HEAD", URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if cap(head.Body) != 0 {
		t.Errorf("HEAD kept a buffer of %d bytes", cap(head.Body))
	}
	_, err = s.Do(context.Background(), &session.Request{URL: srv.URL})
	if err == nil || !strings.Contains(err.Error(), "unexpected EOF") {
		t.Errorf("a body shorter than its Content-Length: %v, want unexpected EOF", err)
	}
}
