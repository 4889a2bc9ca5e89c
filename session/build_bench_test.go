package session

import (
	"context"
	"net/http"
	"net/url"
	"testing"
)

// BenchmarkBuildRequest is the session's own work for one request, with
// no network: a relative URL, session headers, params, basic auth and two
// jar cookies applied, and the http.Request with its record built.
func BenchmarkBuildRequest(b *testing.B) {
	s := mustNew(b)
	base, err := url.Parse("http://127.0.0.1:8080/api/")
	if err != nil {
		b.Fatal(err)
	}
	s.Base = base
	s.Headers.Set("User-Agent", "my-program")
	s.Headers.Set("X-Api-Key", "abc123")
	s.Params.Set("from", "perfcode.com")
	s.Auth = BasicAuth("user", "pass")
	s.Jar.SetCookies(base, []*http.Cookie{{Name: "token", Value: "123456"}, {Name: "theme", Value: "dark"}})
	r := &Request{Method: "get", URL: "items?page=2", Query: []Param{{Name: "q", Value: "shoes"}}}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		x, err := s.prepare(r)
		if err != nil {
			b.Fatal(err)
		}
		req, _ := x.newRequest(ctx)
		if req.Header.Get("Cookie") == "" {
			b.Fatal("no cookies sent")
		}
	}
}

// BenchmarkBuildPlainGet is the session's own work for the shell's
// commonest line, `get /get` under a base URL with a fresh session: the
// exchange prepared with its timeout, the http.Request built, released.
func BenchmarkBuildPlainGet(b *testing.B) {
	s := mustNew(b)
	base, err := url.Parse("http://127.0.0.1:18080")
	if err != nil {
		b.Fatal(err)
	}
	s.Base = base
	r := &Request{Method: "get", URL: "/get"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		x, ctx, err := s.start(ctx, r)
		if err != nil {
			b.Fatal(err)
		}
		req, _ := x.newRequest(ctx)
		if req.Host == "" {
			b.Fatal("no host")
		}
		x.release()
	}
}
