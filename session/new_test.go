package session

import "testing"

// mustNew returns New(opts...), failing the test on an error.
func mustNew(tb testing.TB, opts ...Option) *Session {
	tb.Helper()
	s, err := New(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
