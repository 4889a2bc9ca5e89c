package session

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
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
// One lives in each exchange; its trace's hooks are kept between
// exchanges (see watchHooks).
type connWatch struct {
	c       *connCounter
	asked   bool  // the transport was asked for a connection
	conns   int   // connections the transport gave the request
	reused  bool  // the last of them came from the pool (HTTP/1)
	gotByte bool  // a byte of the response arrived on it
	written int64 // the session's bytes written when it was given
	resent  int   // times the transport wrote the request again
	// handshaking is set when a TLS handshake starts for the request:
	// still connecting after that, the request failed in the handshake.
	// The transport dials on a goroutine of its own, which may outlive
	// the request.
	handshaking atomic.Bool
	// hooks is the trace the exchange's requests carry, given back by
	// done; dials is the session's count of dials begun when it was
	// taken.
	hooks *watchHooks
	dials int64
	// idempotent is set while the request in the transport has an
	// idempotent method: roundTrip sends it again by itself when its
	// pooled connection turns out closed, so the connection it is given
	// need not look before writing it (countedConn.resendable).
	idempotent bool
}

// watchHooks is the httptrace of a connWatch, bound to it while its
// exchange runs. Its four hooks are closures: made for every request,
// they cost as much as the rest of the watch, so a session keeps them
// from one exchange to the next (connCounter.hooks).
type watchHooks struct {
	w     *connWatch
	trace httptrace.ClientTrace
}

// newWatchHooks makes the hooks, each acting on the watch bound to them.
func newWatchHooks() *watchHooks {
	h := &watchHooks{}
	h.trace.GetConn = func(string) { h.w.asked = true }
	h.trace.TLSHandshakeStart = func() { h.w.handshaking.Store(true) }
	h.trace.GotConn = func(info httptrace.GotConnInfo) {
		w := h.w
		written := w.c.written.Load()
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
		if w.reused {
			if cc := counted(info.Conn); cc != nil {
				cc.resendable.Store(w.idempotent)
			}
		}
		w.gotByte = false
		w.written = written
	}
	h.trace.GotFirstResponseByte = func() { h.w.gotByte = true }
	return h
}

// watch starts w on the connections that c counts and returns ctx with
// w's trace, for the exchange's requests.
func (w *connWatch) watch(ctx context.Context, c *connCounter) context.Context {
	w.c = c
	if httptrace.ContextClientTrace(ctx) != nil {
		// The caller's own trace: WithClientTrace composes it into the
		// hooks, which so are this exchange's alone.
		h := newWatchHooks()
		h.w = w
		return httptrace.WithClientTrace(ctx, &h.trace)
	}
	h, _ := c.hooks.Get().(*watchHooks)
	if h == nil {
		h = newWatchHooks()
	}
	h.w, w.hooks, w.dials = w, h, c.dials.Load()
	return httptrace.WithClientTrace(ctx, &h.trace)
}

// done ends the watch when its exchange ends. Its hooks are kept for the
// next exchange unless a dial began meanwhile: the transport dials on a
// goroutine that may outlive the request and still call them.
func (w *connWatch) done() {
	h := w.hooks
	if h == nil {
		return
	}
	w.hooks = nil
	if w.c.dials.Load() != w.dials {
		return
	}
	h.w = nil
	w.c.hooks.Put(h)
}

// counted returns the session's connection under conn (conn itself, or
// the one a TLS connection runs on); nil when there is none.
func counted(conn net.Conn) *countedConn {
	if tc, ok := conn.(*tls.Conn); ok {
		conn = tc.NetConn()
	}
	cc, _ := conn.(*countedConn)
	return cc
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
	if err := x.needCAs(req.URL); err != nil {
		return nil, failure(KindTLS, err)
	}
	ctx := req.Context()
	w := &x.watch
	for {
		w.asked, w.conns, w.resent = false, 0, 0
		w.idempotent = idempotent(req.Method)
		w.handshaking.Store(false)
		resp, err := x.transport.RoundTrip(req)
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

// Bounds of the retries that Options.Retries asks for.
const (
	// retryBase is the first backoff; each next one doubles, up to
	// retryMaxBackoff, and jitter picks a wait between half of it and
	// all of it.
	retryBase       = 250 * time.Millisecond
	retryMaxBackoff = 10 * time.Second
	// MaxRetryAfter is the longest Retry-After a session waits for: a
	// server asking for more is answered with its own response.
	MaxRetryAfter = time.Minute
)

// backoff returns the wait before retry n (0 for the first), with jitter.
func backoff(n int) time.Duration {
	d := retryMaxBackoff
	if n < 16 {
		d = min(retryBase<<n, retryMaxBackoff)
	}
	return d/2 + rand.N(d/2+1)
}

// retryAfter reads a Retry-After value: seconds or an HTTP date
// (RFC 9110 10.2.3), relative to now; false when it is neither.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseUint(v, 10, 32); err == nil {
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// send sends the current hop, retrying it as the exchange's retries
// allow (see retryWait); x.retries counts the retries made.
func (x *exchange) send(ctx context.Context) (*http.Response, *SentRequest, error) {
	for n := 0; ; n++ {
		req, sent := x.newRequest(ctx)
		resp, err := x.roundTrip(req)
		if n >= x.maxRetries {
			return resp, sent, err
		}
		wait, ok := x.retryWait(ctx, resp, err, n)
		if !ok {
			return resp, sent, err
		}
		if resp != nil {
			drain(resp.Body)
		}
		if err := x.pause(ctx, wait); err != nil {
			return nil, nil, err
		}
		x.retries++
	}
}

// retryWait says whether the hop just sent is sent again and after how
// long: a connection failure of an idempotent method (connecting, or the
// connection lost before a response) after an exponential backoff; a
// 429 or 503 of any method whose Retry-After is at most MaxRetryAfter,
// after that. Never when the wait would pass the max-time.
func (x *exchange) retryWait(ctx context.Context, resp *http.Response, err error, n int) (time.Duration, bool) {
	var wait time.Duration
	switch {
	case ctx.Err() != nil:
		return 0, false
	case err != nil:
		var own *Error
		if errors.As(err, &own) || !idempotent(x.method) {
			// connClosed: a request the server may have read.
			return 0, false
		}
		switch x.watch.classify(err) {
		case KindConnect, KindConnClosed, KindResponse:
		default:
			return 0, false
		}
		wait = backoff(n)
	case resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode == http.StatusServiceUnavailable:
		d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now())
		if !ok || d > MaxRetryAfter {
			return 0, false
		}
		wait = d
	default:
		return 0, false
	}
	if dl, ok := ctx.Deadline(); ok && time.Now().Add(wait).After(dl) {
		return 0, false
	}
	return wait, true
}

// pause waits d, the timeout stopped meanwhile, or until ctx ends.
func (x *exchange) pause(ctx context.Context, d time.Duration) error {
	if x.timer != nil {
		x.timer.Stop()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
	}
	x.restartTimer()
	return nil
}
