package session_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/mccutchen/go-httpbin/v2/httpbin"

	"github.com/reqsh/reqsh/session"
)

// BenchmarkDo is one GET through a session with some state: the request
// building, the exchange and reading the body.
func BenchmarkDo(b *testing.B) {
	srv := httptest.NewServer(httpbin.New())
	defer srv.Close()
	s := newSession(b)
	s.Headers.Set("User-Agent", "bench")
	s.Params.Set("from", "perfcode.com")
	req := &session.Request{Method: "GET", URL: srv.URL + "/get"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Do(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClientGet is the floor for BenchmarkDo: net/http alone.
func BenchmarkClientGet(b *testing.B) {
	srv := httptest.NewServer(httpbin.New())
	defer srv.Close()
	client := &http.Client{}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := client.Get(srv.URL + "/get?from=perfcode.com")
		if err != nil {
			b.Fatal(err)
		}
		io.ReadAll(resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkDoTrivialServer is BenchmarkDo against a server that does
// almost nothing, so the client's own cost shows.
func BenchmarkDoTrivialServer(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	}))
	defer srv.Close()
	s := newSession(b)
	s.Headers.Set("User-Agent", "bench")
	req := &session.Request{Method: "GET", URL: srv.URL + "/x"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Do(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClientTrivialServer is the floor for BenchmarkDoTrivialServer.
func BenchmarkClientTrivialServer(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	}))
	defer srv.Close()
	client := &http.Client{}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := client.Get(srv.URL + "/x")
		if err != nil {
			b.Fatal(err)
		}
		io.ReadAll(resp.Body)
		resp.Body.Close()
	}
}
