// Package session is a long-lived HTTP session in the manner of Python's
// requests.Session: one keep-alive connection pool, a cookie jar that can be
// listed and saved, session headers, session query parameters, auth and
// options, applied to every request until the session is closed or reset.
//
// It is a library: the reqsh shell is one user of it and any Go program
// can be another, with no terminal involved. What requests spells
//
//	s = requests.Session()
//	s.headers.update({'User-Agent': 'my-program'})
//	s.params = {'from': 'docs'}
//	s.auth = ('user', 'pass')
//	r = s.get(url)
//	s.close()
//
// is here
//
//	s, err := session.New()                 // options: WithOptions, WithBase, ...
//	s.Headers.Set("User-Agent", "my-program")
//	s.Params.Set("from", "docs")
//	s.Auth = session.BasicAuth("user", "pass")
//	resp, err := s.Get(ctx, url)            // or s.Do(ctx, &session.Request{...})
//	s.Close()
//
// Cookies every response sets go into s.Jar and back to the servers they
// belong to; every request of the session shares one pool of
// connections. New returns an error for an option it cannot honour (a
// missing CA bundle, a negative timeout, a proxy that is no URL).
//
// Do reads the body whole; Send returns at the headers and the body is
// read from Response.Stream as it arrives; Prepare builds a request
// without sending it. Response.Request records the request as it went on
// the wire: the protocol spoken (HTTP/2 where a TLS server offers it) and
// the headers net/http wrote.
//
// A Session runs its own redirect loop hop by hop (not net/http's policy),
// so cookies from every hop reach the jar and Authorization never leaks to
// another origin, as requests' rules say. A request that fails returns an
// *Error whose Kind (connect, DNS, TLS, timeout, max-time, redirect loop,
// ...) comes from the types net/http returns, never from their wording.
//
// A Session is meant to be used by one goroutine at a time, like the shell
// that owns it: change its state between requests, not during one.
package session
