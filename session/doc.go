// Package session is a long-lived HTTP session in the manner of Python's
// requests.Session: one keep-alive connection pool, a cookie jar that can be
// listed and saved, session headers, session query parameters, auth and
// options, applied to every request until the session is closed or reset.
//
// A Session runs its own redirect loop hop by hop (not net/http's policy),
// so cookies from every hop reach the jar and Authorization never leaks to
// another origin. It prints nothing and knows nothing of terminals; the
// reqsh shell is one user of it and any Go program can be another.
//
// A Session is meant to be used by one goroutine at a time, like the shell
// that owns it: change its state between requests, not during one.
package session
