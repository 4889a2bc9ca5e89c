package session_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/mccutchen/go-httpbin/v2/httpbin"
	"github.com/tidwall/gjson"

	"github.com/reqsh/reqsh/session"
)

// A session keeps headers, params, auth and cookies between requests, as
// Python's requests.Session does.
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
	fmt.Println(resp.StatusCode, resp.Reused)
	fmt.Println(body.Get("headers.User-Agent.0"))
	fmt.Println(body.Get("headers.Cookie.0"))
	fmt.Println(body.Get("args.from.0"))
	fmt.Println(body.Get("headers.Authorization.0"))
	// Output:
	// 200 true
	// my-program
	// token=123456
	// perfcode.com
	// Basic dXNlcjpwYXNz
}
