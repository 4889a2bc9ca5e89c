package session

import (
	"crypto/tls"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// SentRequest is a request exactly as the session put it on the wire: the
// method, the final URL, the protocol spoken, the headers net/http wrote
// (Host in Header as "Host", for HTTP/2 the :authority), and the body
// bytes when the body was held in memory. A header given that net/http
// does not send (Transfer-Encoding, a Content-Length of its own, over
// HTTP/2 the hop-by-hop ones) is not in it; one the transport adds (the
// Proxy-Authorization of a proxy URL's credentials) is.
type SentRequest struct {
	Method string
	URL    *url.URL
	// Proto is "HTTP/1.1", or "HTTP/2.0" when the server chose HTTP/2
	// over TLS; Session.Prepare says "HTTP/1.1".
	Proto  string
	Header http.Header // every header written, Host and Content-Length included
	Body   []byte      // nil when there was no body or it was streamed from a file
	// BodySize is the body length in bytes (-1 when unknown).
	BodySize int64
	// Cert is the client certificate the session offered for this
	// request, should a TLS server ask for one: the request's own, else
	// the session's at the time; its paths absolute (as read from the
	// working directory then). Zero for none.
	Cert ClientCert

	// wire is the header map handed to net/http, from which Header is
	// made once the protocol is known (see settle).
	wire http.Header
}

// Response is a completed exchange: the last request sent (after redirects
// and auth retries), the response status, headers and body, and how it went.
type Response struct {
	Request *SentRequest

	Proto      string // "HTTP/1.1"
	StatusCode int    // 200
	Reason     string // "OK" (as the server sent it; may hold anything)
	Header     http.Header
	// Body is the decoded (gunzipped, inflated) body. It is nil when the body
	// was streamed to Request.Output instead, or is read from Stream.
	Body []byte
	// Stream is the decoded body as it arrives, for a response from
	// Session.Send; the caller reads it and must close it.
	Stream io.ReadCloser
	// BodySize is the number of decoded body bytes received (-1 when the
	// body was truncated and its length is unknown).
	BodySize int64
	// Truncated says Body holds only the first Request.MaxBody bytes.
	Truncated bool

	URL       *url.URL      // the final URL, after redirects
	Elapsed   time.Duration // from the first byte sent to the last byte read
	Redirects int           // redirect hops followed
	Reused    bool          // every hop ran on a pooled connection: none was opened
	// Resent counts the times a request of the exchange was sent again
	// on another connection because the server had closed a pooled one
	// under it before answering (only idempotent requests are).
	Resent int
	// Retries counts the times a request of the exchange was sent again
	// because Options.Retries allowed it: after a connection failure or
	// a 429 or 503 with Retry-After.
	Retries int
	// TLS describes the TLS connection of the final response; nil over
	// plain HTTP.
	TLS *TLSInfo
	// History holds the intermediate redirect responses, oldest first,
	// without bodies.
	History []*Response
}

// TLSInfo is what a response's TLS connection was: the version spoken
// and the server's certificate.
type TLSInfo struct {
	// Version is "TLS 1.3", "TLS 1.2", ...
	Version string
	// Subject is the subject of the server's certificate
	// ("CN=example.com,O=Example"), as the server sent it.
	Subject string
	// NotAfter is when the server's certificate expires.
	NotAfter time.Time
}

// tlsInfo returns the TLSInfo of resp, nil when it came over plain HTTP.
func tlsInfo(resp *http.Response) *TLSInfo {
	cs := resp.TLS
	if cs == nil {
		return nil
	}
	info := &TLSInfo{Version: tls.VersionName(cs.Version)}
	if len(cs.PeerCertificates) > 0 {
		c := cs.PeerCertificates[0]
		info.Subject, info.NotAfter = c.Subject.String(), c.NotAfter
	}
	return info
}

// ContentType returns the media type of the response without parameters,
// lowercased ("application/json"), or "" when the server sent none.
func (r *Response) ContentType() string {
	return mediaType(r.Header.Get("Content-Type"))
}

// reason returns the reason phrase of resp as the server sent it.
func reason(resp *http.Response) string {
	s := resp.Status
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[i+1:]
	}
	return ""
}
