// Package export writes a request reqsh sent as an HTTPie command line
// or as a Python program using requests, so that the server sees the
// same request again: the method, the final URL, every header as sent
// and the body. Values are quoted for their target: a POSIX shell's
// single quotes (curl.Quote) and Python string literals. It is a pure
// function of the recorded requests and the session's state; it imports
// nothing of the shell. The curl writer is internal/curl.
package export

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/reqsh/reqsh/session"
)

// check reports a request that cannot be exported: none, or a body that
// was not kept.
func check(req *session.SentRequest) error {
	if req == nil || req.URL == nil {
		return fmt.Errorf("no request to export")
	}
	if req.Body == nil && req.BodySize > 0 {
		return fmt.Errorf("the request body (%d bytes) was not kept; not exported", req.BodySize)
	}
	return nil
}

// sentHeaders returns the headers of req a client must be told to send:
// all but Host (when it is the URL's) and Content-Length (which the
// client computes).
func sentHeaders(req *session.SentRequest) http.Header {
	h := http.Header{}
	for name, vs := range req.Header {
		switch {
		case name == "Host" && len(vs) == 1 && vs[0] == req.URL.Host:
		case name == "Content-Length":
		default:
			h[name] = vs
		}
	}
	return h
}

// PyString returns s as a Python str literal in single quotes that
// reads back as the same bytes when encoded as Latin-1 (as http.client
// encodes header values) for s of any bytes, and as the same text for
// printable ASCII: quotes and backslashes escaped, every other byte
// outside printable ASCII written as \xNN.
func PyString(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' || c == '\'':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// PyText returns s as a Python str literal of the same text (UTF-8 text
// as code points, \uNNNN escapes for what is not printable ASCII), for
// strings Python encodes as UTF-8: URLs, cookie and auth values.
func PyText(s string) string {
	if !utf8.ValidString(s) {
		return PyString(s)
	}
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		switch {
		case r == '\\' || r == '\'':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x7f:
			b.WriteRune(r)
		case r <= 0xffff:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// PyBytes returns b as a Python bytes literal.
func PyBytes(b []byte) string { return "b" + PyString(string(b)) }
