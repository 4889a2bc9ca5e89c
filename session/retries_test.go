package session_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/reqsh/reqsh/session"
)

// flaky answers 503 or 429 with a Retry-After for the first fails
// requests, then 200, recording every body it read.
type flaky struct {
	mu     sync.Mutex
	fails  int
	status int
	after  string
	bodies []string
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.bodies = append(f.bodies, r.Method+" "+string(b))
	n := len(f.bodies)
	f.mu.Unlock()
	if n <= f.fails {
		if f.after != "" {
			w.Header().Set("Retry-After", f.after)
		}
		w.WriteHeader(f.status)
		return
	}
	io.WriteString(w, "ok")
}

func (f *flaky) got() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.bodies...)
}

func withRetries(n int) session.Option {
	o := session.DefaultOptions()
	o.Retries = n
	return session.WithOptions(o)
}

// TestRetryAfter: a 429 or 503 with Retry-After (seconds or an HTTP
// date) is sent again, for a POST too, with the same body; without
// Retry-After, beyond the retries or with retries 0 it is the answer.
func TestRetryAfter(t *testing.T) {
	past := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
	cases := []struct {
		name          string
		retries       int
		fails, status int
		after         string
		wantStatus    int
		wantSent      int
	}{
		{"503 seconds", 3, 2, 503, "0", 200, 3},
		{"429 date", 3, 1, 429, past, 200, 2},
		{"no retry-after", 3, 2, 503, "", 503, 1},
		{"too long", 3, 2, 503, "3600", 503, 1},
		{"retries used up", 1, 3, 429, "0", 429, 2},
		{"retries off", 0, 2, 503, "0", 503, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := &flaky{fails: tc.fails, status: tc.status, after: tc.after}
			srv := httptest.NewServer(f)
			defer srv.Close()
			s := newSession(t, withRetries(tc.retries))
			resp, err := s.Do(context.Background(), &session.Request{Method: "POST", URL: srv.URL, Body: []byte("payload")})
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.wantStatus || resp.Retries != tc.wantSent-1 {
				t.Errorf("status %d, Retries %d; want %d, %d", resp.StatusCode, resp.Retries, tc.wantStatus, tc.wantSent-1)
			}
			got := f.got()
			if len(got) != tc.wantSent {
				t.Fatalf("server got %d requests %q, want %d", len(got), got, tc.wantSent)
			}
			for _, b := range got {
				if b != "POST payload" {
					t.Errorf("server got %q, want every one %q", b, "POST payload")
				}
			}
		})
	}
}

// TestRetryAfterWithinMaxTime: a Retry-After that would pass the
// max-time is not waited for.
func TestRetryAfterWithinMaxTime(t *testing.T) {
	f := &flaky{fails: 1, status: 503, after: "30"}
	srv := httptest.NewServer(f)
	defer srv.Close()
	o := session.DefaultOptions()
	o.Retries, o.MaxTime = 3, 5*time.Second
	s := newSession(t, session.WithOptions(o))
	resp, err := s.Do(context.Background(), &session.Request{Method: "GET", URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 503 || len(f.got()) != 1 {
		t.Errorf("status %d after %d requests, want 503 after 1", resp.StatusCode, len(f.got()))
	}
}

// resetFirst accepts connections on a loopback listener and resets the
// first n of them after reading the request; later ones get a 200.
func resetFirst(t *testing.T, n int) (url string, requests func() []string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu  sync.Mutex
		got []string
	)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Method+" "+string(b))
		k := len(got)
		mu.Unlock()
		if k <= n {
			c, _, _ := w.(http.Hijacker).Hijack()
			c.(*net.TCPConn).SetLinger(0)
			c.Close()
			return
		}
		io.WriteString(w, "ok")
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String(), func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), got...)
	}
}

// TestRetryConnectionFailure: a connection lost before the response is
// retried for PUT (idempotent), with its body, and never for POST.
func TestRetryConnectionFailure(t *testing.T) {
	url, got := resetFirst(t, 2)
	s := newSession(t, withRetries(3))
	resp, err := s.Do(context.Background(), &session.Request{Method: "PUT", URL: url, Body: []byte("v1")})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Retries != 2 {
		t.Errorf("PUT: status %d, Retries %d; want 200, 2", resp.StatusCode, resp.Retries)
	}
	if g := got(); len(g) != 3 || g[0] != "PUT v1" || g[2] != "PUT v1" {
		t.Errorf("server got %q, want PUT v1 three times", g)
	}

	url, got = resetFirst(t, 1)
	_, err = s.Do(context.Background(), &session.Request{Method: "POST", URL: url, Body: []byte("once")})
	var se *session.Error
	if !errors.As(err, &se) {
		t.Fatalf("POST: err %v, want a *session.Error", err)
	}
	if g := got(); len(g) != 1 {
		t.Errorf("server got %q for a POST, want it once", g)
	}
}

// TestRetryConnectRefused: a refused connection is retried for GET, up
// to the retries, and then fails as a connect error.
func TestRetryConnectRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := newSession(t, withRetries(1))
	_, err = s.Do(context.Background(), &session.Request{Method: "GET", URL: "http://" + addr})
	var se *session.Error
	if !errors.As(err, &se) || se.Kind != session.KindConnect {
		t.Fatalf("err %v, want a connect error", err)
	}
}
