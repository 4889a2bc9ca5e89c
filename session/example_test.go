package session_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"slices"
	"time"

	"github.com/mccutchen/go-httpbin/v2/httpbin"
	"github.com/tidwall/gjson"

	"github.com/reqsh/reqsh/session"
)

// A session keeps headers, params, auth and cookies between requests,
// and one pool of keep-alive connections, as Python's requests.Session
// does:
//
//	s = requests.Session()
//	s.headers.update({'User-Agent': 'my-program'})
//	s.auth = ('user', 'pass')
//	s.get(url + '/cookies/set?token=123456')
//	s.params = {'from': 'perfcode.com'}
//	r = s.get(url + '/anything')
func Example() {
	srv := httptest.NewServer(httpbin.New())
	defer srv.Close()

	s, err := session.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	s.Headers.Set("User-Agent", "my-program")
	s.Auth = session.BasicAuth("user", "pass")
	ctx := context.Background()

	// The server sets a cookie and redirects; the jar keeps it.
	if _, err := s.Get(ctx, srv.URL+"/cookies/set?token=123456"); err != nil {
		fmt.Println(err)
		return
	}
	s.Params.Set("from", "perfcode.com")
	resp, err := s.Get(ctx, srv.URL+"/anything")
	if err != nil {
		fmt.Println(err)
		return
	}
	body := gjson.ParseBytes(resp.Body)
	fmt.Println(resp.StatusCode, body.Get("headers.User-Agent.0"))
	fmt.Println(body.Get("headers.Cookie.0"))
	fmt.Println(body.Get("args.from.0"))
	fmt.Println(body.Get("headers.Authorization.0"))
	fmt.Println("reused a pooled connection:", resp.Reused, "open:", s.OpenConns())
	// Output:
	// 200 my-program
	// token=123456
	// perfcode.com
	// Basic dXNlcjpwYXNz
	// reused a pooled connection: true open: 1
}

// New takes options; one it cannot honour is an error, not a quiet
// fallback.
func ExampleNew() {
	o := session.DefaultOptions()
	o.Timeout = 10 * time.Second
	o.MaxRedirects = 5
	s, err := session.New(session.WithUserAgent("my-program/1.0"), session.WithOptions(o))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	fmt.Println(s.Options().Timeout, s.Options().MaxRedirects, s.Options().Verify)

	o.Verify = session.VerifyCA("/nonexistent/ca.pem")
	if _, err := session.New(session.WithOptions(o)); errors.Is(err, fs.ErrNotExist) {
		fmt.Println("error: no such CA bundle")
	}
	o.Verify, o.MaxRedirects = session.VerifyOn, -1
	_, err = session.New(session.WithOptions(o))
	fmt.Println("error:", err)
	// Output:
	// 10s 5 on
	// error: no such CA bundle
	// error: invalid max-redirects -1: want 0 or more
}

// Do sends one request with its own headers, query params and body on
// top of the session's state; relative URLs resolve against the base
// URL. Response.Request is the request as it went on the wire.
func ExampleSession_Do() {
	srv := httptest.NewServer(httpbin.New())
	defer srv.Close()
	s, err := session.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	if s.Base, err = s.ResolveURL(srv.URL + "/anything/"); err != nil {
		fmt.Println(err)
		return
	}

	resp, err := s.Do(context.Background(), &session.Request{
		Method:      "POST",
		URL:         "items",
		Header:      http.Header{"X-Request-Id": {"42"}},
		Query:       []session.Param{{Name: "dry", Value: "run"}},
		Body:        []byte(`{"name":"reqsh"}`),
		ContentType: "application/json",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	body := gjson.ParseBytes(resp.Body)
	fmt.Println(resp.StatusCode, body.Get("method"), body.Get("args.dry.0"), body.Get("headers.X-Request-Id.0"), body.Get("json.name"))
	sent := resp.Request
	fmt.Println(sent.Method, sent.URL.RequestURI(), sent.Proto, sent.Header.Get("Content-Length"), sent.Header.Get("Content-Type"))
	// Output:
	// 200 POST run 42 reqsh
	// POST /anything/items?dry=run HTTP/1.1 16 application/json
}

// Send returns at the status line and headers; the body is read as it
// arrives, here one JSON document a line.
func ExampleSession_Send() {
	srv := httptest.NewServer(httpbin.New())
	defer srv.Close()
	s, err := session.New()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()

	resp, err := s.Send(context.Background(), &session.Request{Method: "GET", URL: srv.URL + "/stream/3"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Stream.Close() // read to its end, the connection goes back to the pool
	fmt.Println(resp.StatusCode)
	lines := bufio.NewScanner(resp.Stream)
	for lines.Scan() {
		fmt.Println("line", gjson.GetBytes(lines.Bytes(), "id"))
	}
	if err := lines.Err(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 200
	// line 0
	// line 1
	// line 2
}

// Prepare shows a request as Do would put it on the wire, sending
// nothing (HTTPie's --offline).
func ExampleSession_Prepare() {
	s, err := session.New(session.WithUserAgent("my-program"))
	if err != nil {
		fmt.Println(err)
		return
	}
	s.Headers.Set("X-Team", "api")
	s.Params.Set("from", "docs")
	s.Auth = session.BasicAuth("user", "pass")

	sent, err := s.Prepare(&session.Request{Method: "get", URL: "http://api.example/items?page=2"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sent.Method, sent.URL.RequestURI(), sent.Proto)
	names := make([]string, 0, len(sent.Header))
	for name := range sent.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		fmt.Printf("%s: %s\n", name, sent.Header.Get(name))
	}
	// Output:
	// GET /items?page=2&from=docs HTTP/1.1
	// Accept: */*
	// Accept-Encoding: gzip, deflate
	// Authorization: Basic dXNlcjpwYXNz
	// Host: api.example
	// User-Agent: my-program
	// X-Team: api
}

// A failed request is a *session.Error: its Kind says what happened,
// whatever words net/http used.
func ExampleError() {
	srv := httptest.NewServer(httpbin.New())
	defer srv.Close()
	o := session.DefaultOptions()
	o.MaxRedirects = 2
	s, err := session.New(session.WithOptions(o))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	ctx := context.Background()

	for _, url := range []string{"http://127.0.0.1:1/", srv.URL + "/redirect/3", srv.URL + "/delay/3"} {
		ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		_, err := s.Get(ctx, url)
		cancel()
		var e *session.Error
		if errors.As(err, &e) {
			fmt.Printf("%s: connecting %v, timeout %v\n", e.Kind, e.Connecting, e.Timeout())
		}
	}
	// Output:
	// connect: connecting true, timeout false
	// redirect loop: connecting false, timeout false
	// timeout: connecting false, timeout true
}
