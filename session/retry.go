package session

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
)

// maxResends bounds how many times one request is sent again after
// pooled connections turned out closed: each resend leaves one dead
// connection behind, so a pool of idle connections cannot hold more.
const maxResends = 10

// connClosed is the failure of a request that is not idempotent when the
// server closed a pooled connection after the request was written and
// before any byte of the response arrived: the server may have acted on
// it, so it was not sent again. err is what the connection gave (EOF, a
// reset).
func connClosed(method string, err error) *Error {
	return failure(KindConnClosed, &worded{fmt.Sprintf("server closed the connection before responding; the %s was not sent again (it may have been received)", method), err})
}

// idempotent reports whether a request with this method may be sent
// twice with the effect of once (RFC 9110 9.2.2).
func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace,
		http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// connWatch follows one exchange's requests through the transport by an
// httptrace: the connections each was given, whether a byte of the
// response came, and how often the transport sent it again by itself.
// One lives in each exchange, so its hooks are made once per exchange.
type connWatch struct {
	c       *connCounter
	asked   bool  // the transport was asked for a connection
	conns   int   // connections the transport gave the request
	reused  bool  // the last of them came from the pool (HTTP/1)
	gotByte bool  // a byte of the response arrived on it
	written int64 // the session's bytes written when it was given
	resent  int   // times the transport wrote the request again
	trace   httptrace.ClientTrace
	// handshaking is set when a TLS handshake starts for the request:
	// still connecting after that, the request failed in the handshake.
	// The transport dials on a goroutine of its own, which may outlive
	// the request.
	handshaking atomic.Bool
}

// watch starts w on the connections that c counts and returns ctx with
// w's trace, for the exchange's requests.
func (w *connWatch) watch(ctx context.Context, c *connCounter) context.Context {
	w.c = c
	w.trace.GetConn = func(string) { w.asked = true }
	w.trace.TLSHandshakeStart = func() { w.handshaking.Store(true) }
	w.trace.GotConn = func(info httptrace.GotConnInfo) {
		written := c.written.Load()
		// A second connection is the transport trying again; it is a
		// resend when the first one had carried bytes of the request
		// (not when the write was refused, see countedConn).
		if w.conns > 0 && written != w.written {
			w.resent++
		}
		w.conns++
		// HTTP/2 has its own rules for what it sends again (a
		// GOAWAY names the streams the server never processed).
		w.reused = info.Reused && !isHTTP2(info.Conn)
		w.gotByte = false
		w.written = written
	}
	w.trace.GotFirstResponseByte = func() { w.gotByte = true }
	return httptrace.WithClientTrace(ctx, &w.trace)
}

// isHTTP2 reports whether conn speaks HTTP/2.
func isHTTP2(conn net.Conn) bool {
	tc, ok := conn.(*tls.Conn)
	return ok && tc.ConnectionState().NegotiatedProtocol == http2Proto
}

// http2Proto is HTTP/2's ALPN protocol name.
const http2Proto = "h2"

// connecting reports whether the request was still waiting for its
// connection: asked for, not yet given (dialing, the proxy, TLS).
func (w *connWatch) connecting() bool {
	return w.asked && w.conns == 0
}

// diedUnanswered reports whether the last connection came from the pool
// and gave no byte of response: the server closed it under the request.
func (w *connWatch) diedUnanswered() bool {
	return w.conns > 0 && w.reused && !w.gotByte
}

// roundTrip sends req through the session's transport. When the server
// closed a pooled connection under the request before any byte of the
// response, an idempotent request is sent again on another connection
// (the transport itself replays only GET, HEAD, OPTIONS and TRACE) and
// any other request fails with an *Error of KindConnClosed. Each resend, the
// transport's included, is counted in x.resent. req's context carries
// the exchange's connWatch (see run).
func (x *exchange) roundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	w := &x.watch
	for {
		w.asked, w.conns, w.resent = false, 0, 0
		w.handshaking.Store(false)
		resp, err := x.s.transport.RoundTrip(req)
		x.resent += w.resent
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil || !w.diedUnanswered() {
			return nil, err
		}
		if !idempotent(req.Method) {
			return nil, connClosed(req.Method, err)
		}
		if x.resent >= maxResends {
			return nil, err
		}
		if req.Body != nil && req.Body != http.NoBody {
			if req.GetBody == nil {
				return nil, err
			}
			body, berr := req.GetBody()
			if berr != nil {
				return nil, err
			}
			req = req.Clone(req.Context())
			req.Body = body
		}
		x.resent++
	}
}
