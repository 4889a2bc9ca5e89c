package session_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/reqsh/reqsh/session"
)

// TestNewRejectsBadOptions: New returns an error for an option it cannot
// honour instead of falling back to a default behind the caller's back.
func TestNewRejectsBadOptions(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	with := func(f func(*session.Options)) session.Option {
		o := session.DefaultOptions()
		f(&o)
		return session.WithOptions(o)
	}
	ftp, _ := url.Parse("ftp://example.com/")
	cases := map[string]session.Option{
		"negative timeout":       with(func(o *session.Options) { o.Timeout = -time.Second }),
		"negative max-time":      with(func(o *session.Options) { o.MaxTime = -time.Second }),
		"negative max-redirects": with(func(o *session.Options) { o.MaxRedirects = -1 }),
		"missing CA bundle":      with(func(o *session.Options) { o.Verify = session.VerifyCA(filepath.Join(dir, "missing.pem")) }),
		"CA bundle without PEM":  with(func(o *session.Options) { o.Verify = session.VerifyCA(notPEM) }),
		"proxy not a URL":        with(func(o *session.Options) { o.Proxy = "::not a url" }),
		"user agent with CR LF":  session.WithUserAgent("a\r\nX-Injected: 1"),
		"ftp base URL":           session.WithBase(ftp),
	}
	for name, opt := range cases {
		t.Run(name, func(t *testing.T) {
			s, err := session.New(opt)
			if err == nil || s != nil {
				t.Fatalf("New: session %v, err %v; want an error and no session", s, err)
			}
		})
	}
	if _, err := session.New(with(func(o *session.Options) { o.Verify = session.VerifyOff; o.Timeout = time.Second })); err != nil {
		t.Errorf("good options refused: %v", err)
	}
}

// TestSetOptionsRejectsNegative: a negative limit is an error and leaves
// the options as they were.
func TestSetOptionsRejectsNegative(t *testing.T) {
	s := newSession(t)
	o := s.Options()
	o.Timeout = -time.Second
	if err := s.SetOptions(o); err == nil {
		t.Fatal("a negative timeout was accepted")
	}
	if got := s.Options(); got != session.DefaultOptions() {
		t.Errorf("options after a refused change: %+v, want the defaults", got)
	}
}

// TestVerifyType: the verify setting reads and prints as a user writes
// it, and its zero value is on.
func TestVerifyType(t *testing.T) {
	for in, want := range map[string]session.Verify{
		"on": session.VerifyOn, "": session.VerifyOn, "YES": session.VerifyOn, "true": session.VerifyOn,
		"off": session.VerifyOff, "No": session.VerifyOff, "false": session.VerifyOff,
		"/etc/ca.pem": session.VerifyCA("/etc/ca.pem"),
	} {
		if got := session.ParseVerify(in); got != want {
			t.Errorf("ParseVerify(%q) = %v, want %v", in, got, want)
		}
	}
	var zero session.Verify
	if zero != session.VerifyOn || zero.Off() || zero.CAFile() != "" || zero.String() != "on" {
		t.Errorf("zero Verify = %v, want on", zero)
	}
	ca := session.VerifyCA("/etc/ca.pem")
	if ca.Off() || ca.CAFile() != "/etc/ca.pem" || ca.String() != "/etc/ca.pem" {
		t.Errorf("VerifyCA: off %v, file %q, string %q", ca.Off(), ca.CAFile(), ca.String())
	}
	if !session.VerifyOff.Off() || session.VerifyOff.String() != "off" {
		t.Errorf("VerifyOff = %v", session.VerifyOff)
	}
}

// TestAuthScheme: schemes read in any case; an unknown one is an error
// when parsed and, set by hand, fails the request before anything is
// sent.
func TestAuthScheme(t *testing.T) {
	for in, want := range map[string]session.Scheme{"basic": session.Basic, "Digest": session.Digest, "BEARER": session.Bearer} {
		if got, err := session.ParseScheme(in); err != nil || got != want {
			t.Errorf("ParseScheme(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := session.ParseScheme("ntlm"); err == nil {
		t.Error(`ParseScheme("ntlm") accepted`)
	}
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	s := newSession(t)
	s.Auth = &session.Auth{Scheme: "ntlm", User: "u", Password: "p"}
	if _, err := s.Get(context.Background(), srv.URL); err == nil {
		t.Error("a request with an unknown auth scheme succeeded")
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the server got %d requests, want none", n)
	}
}
